// Package numconv is Redis 7.0's number parsing and formatting, so that
// what jackdaw accepts and replies matches Redis byte for byte.
//
// # What it owns
//
//   - ParseInt / AppendInt: string2ll, the canonical int64 form behind
//     INCR, INCRBY, integer-encoded strings and every integer argument.
//   - ParseFloat / AppendDouble: string2d (ZADD, ZINCRBY and other double
//     arguments) and the "%.17g" replies of ZSCORE, ZINCRBY, ZRANGE
//     WITHSCORES and friends.
//   - LongDouble: INCRBYFLOAT and HINCRBYFLOAT, which Redis computes in C
//     long double (x87 80-bit extended on x86-64) and replies through
//     ld2string's human mode ("%.17Lf", trailing zeros trimmed).
//
// # What it leaves to others
//
// Error replies ("ERR value is not a valid float", "ERR increment would
// produce NaN or Infinity", HINCRBYFLOAT's "value is NaN or Infinity" for
// an infinite increment) are the callers'; this package only says ok or
// not, and LongDouble.IsFinite tells the NaN/Infinity case. So is
// encoding: Redis keeps a zset score in a listpack as text, which loses
// the sign of -0 (ZSCORE then says "0" where a skiplist says "-0"); that
// is the zset's business, AppendDouble formats the double it is given.
// Range arguments (ZRANGEBYSCORE's "(1.5", GEO units) have their own
// parsers in Redis and are not here.
//
// # Platform
//
// Redis's behaviour here comes from glibc (strtod, strtold, printf) on
// x86-64, the platform the expected values in the tests were taken from.
// All parsing and formatting is done exactly in Go (strconv, math/big);
// nothing depends on the machine jackdaw runs on.
package numconv
