package numconv

import (
	"math"
	"strconv"
	"unsafe"
)

// ParseFloat parses b as Redis 7.0's string2d does for ZADD scores and
// other double arguments: glibc strtod must consume all of b (see number
// for the grammar, which includes hex floats like "0x1p-3" and "0x10"
// and "inf"/"infinity" in any case), the first byte may not be a space,
// NaN is refused, and so is a result that overflowed to ±Inf or
// underflowed to zero (strtod's ERANGE); "-0" and "0e-999" are fine, and
// so are subnormals.
func ParseFloat(b []byte) (float64, bool) {
	n, ok := scanNumber(b)
	if !ok {
		return 0, false
	}
	var f float64
	switch n.kind {
	case kindInf:
		f = math.Inf(1)
	case kindDecimal:
		// strconv parses this subset of its grammar exactly as glibc does
		// (both round correctly); it does not keep the string.
		f, _ = strconv.ParseFloat(unsafe.String(unsafe.SliceData(b), len(b)), 64)
		f = math.Abs(f)
	case kindHex:
		// strconv insists on the binary exponent that strtod makes
		// optional.
		var buf [64]byte
		s := append(append(append(buf[:0], "0x"...), n.mant...), 'p')
		if len(n.exp) == 0 {
			s = append(s, '0')
		} else {
			s = append(s, n.exp...)
		}
		f, _ = strconv.ParseFloat(unsafe.String(unsafe.SliceData(s), len(s)), 64)
	}
	if n.kind != kindInf && (math.IsInf(f, 0) || (f == 0 && n.nonzero)) {
		return 0, false
	}
	if n.neg {
		f = -f
	}
	return f, true
}

// AppendDouble appends f the way Redis 7.0 replies a double (addReplyDouble,
// used by ZSCORE, ZMSCORE, ZINCRBY, ZADD INCR, ZRANGE WITHSCORES...):
// "inf" and "-inf" spelled out, everything else C's "%.17g", e.g. "1.5",
// "100", "-0", "0.10000000000000001", "1e+17", "1.0000000000000001e-05".
// (d2string's integer shortcut prints the same digits, so this also
// serves where Redis uses it.) Redis never replies NaN; it is "nan" here.
func AppendDouble(dst []byte, f float64) []byte {
	switch {
	case math.IsInf(f, 1):
		return append(dst, "inf"...)
	case math.IsInf(f, -1):
		return append(dst, "-inf"...)
	case math.IsNaN(f):
		return append(dst, "nan"...)
	}
	// Go's 'g' with an explicit precision follows C's %g: exponent form
	// when the exponent is < -4 or >= 17, trailing zeros dropped, at
	// least two exponent digits.
	return strconv.AppendFloat(dst, f, 'g', 17, 64)
}
