package engine_test

import (
	"fmt"
	"math"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/jackdawdb/jackdaw/engine"
	"github.com/jackdawdb/jackdaw/structures"
)

const wrongType = "WRONGTYPE Operation against a key holding the wrong kind of value"

func TestZAddDo(t *testing.T) {
	db, _ := openDB(t)
	requireInt(t, do(db, "ZADD", "z", "1", "a", "2", "b", "3", "c"), 3)
	requireInt(t, do(db, "ZADD", "z", "1", "a", "5", "b"), 0) // b updated, not counted
	requireInt(t, do(db, "ZADD", "z", "CH", "1", "a", "6", "b", "0", "d"), 2)
	require.Equal(t, []string{"d", "0", "a", "1", "c", "3", "b", "6"}, bulks(t, do(db, "ZRANGE", "z", "0", "-1", "WITHSCORES")))

	// NX / XX
	requireInt(t, do(db, "ZADD", "z", "NX", "9", "a", "9", "e"), 1)
	requireBulk(t, do(db, "ZSCORE", "z", "a"), "1")
	requireInt(t, do(db, "ZADD", "z", "XX", "CH", "2", "a", "9", "nope"), 1)
	requireNil(t, do(db, "ZSCORE", "z", "nope"))
	requireInt(t, do(db, "ZADD", "missing", "XX", "1", "a"), 0)
	requireInt(t, do(db, "EXISTS", "missing"), 0)
	requireNil(t, do(db, "ZADD", "missing", "XX", "INCR", "1", "a"))
	requireInt(t, do(db, "EXISTS", "missing"), 0)

	// GT / LT
	requireInt(t, do(db, "ZADD", "z", "GT", "CH", "1", "a", "10", "e"), 1) // a: 2 -> 1 refused
	requireBulk(t, do(db, "ZSCORE", "z", "a"), "2")
	requireInt(t, do(db, "ZADD", "z", "LT", "CH", "1", "a", "20", "e"), 1)
	requireBulk(t, do(db, "ZSCORE", "z", "e"), "10")
	requireInt(t, do(db, "ZADD", "z", "GT", "5", "new"), 1) // GT still adds new members
	requireInt(t, do(db, "ZADD", "z", "xx", "gt", "ch", "11", "e"), 1)

	// INCR
	requireBulk(t, do(db, "ZADD", "z", "INCR", "1.5", "a"), "2.5")
	requireNil(t, do(db, "ZADD", "z", "INCR", "NX", "1", "a"))
	requireNil(t, do(db, "ZADD", "z", "INCR", "GT", "-1", "a"))
	requireBulk(t, do(db, "ZADD", "z", "INCR", "LT", "-1", "a"), "1.5")
	requireBulk(t, do(db, "ZINCRBY", "z", "0.1", "a"), "1.6000000000000001")
	requireBulk(t, do(db, "ZINCRBY", "z", "5", "fresh"), "5")

	// Errors, in Redis's order.
	requireErr(t, do(db, "ZADD", "z", "1"), "ERR wrong number of arguments for 'zadd' command")
	requireErr(t, do(db, "ZADD", "z", "1", "a", "2"), "ERR syntax error")
	requireErr(t, do(db, "ZADD", "z", "NX", "XX", "1", "a"), "ERR XX and NX options at the same time are not compatible")
	requireErr(t, do(db, "ZADD", "z", "NX", "GT", "1", "a"), "ERR GT, LT, and/or NX options at the same time are not compatible")
	requireErr(t, do(db, "ZADD", "z", "GT", "LT", "1", "a"), "ERR GT, LT, and/or NX options at the same time are not compatible")
	requireErr(t, do(db, "ZADD", "z", "INCR", "1", "a", "2", "b"), "ERR INCR option supports a single increment-element pair")
	requireErr(t, do(db, "ZADD", "z", "abc", "a"), "ERR value is not a valid float")
	requireErr(t, do(db, "ZADD", "z", "nan", "a"), "ERR value is not a valid float")
	requireErr(t, do(db, "ZADD", "z", "1", "a", " 2", "b"), "ERR value is not a valid float")
	requireErr(t, do(db, "ZINCRBY", "z", "x", "a"), "ERR value is not a valid float")
	requireOK(t, do(db, "SET", "s", "v"))
	requireErr(t, do(db, "ZADD", "s", "1", "a"), wrongType)
	requireErr(t, do(db, "ZADD", "s", "x", "a"), "ERR value is not a valid float") // parsed before the type check
	requireErr(t, do(db, "ZINCRBY", "s", "1", "a"), wrongType)

	// NaN from an increment; ±inf.
	requireInt(t, do(db, "ZADD", "inf", "inf", "a", "-inf", "b", "+inf", "c"), 3)
	requireErr(t, do(db, "ZINCRBY", "inf", "-inf", "a"), "ERR resulting score is not a number (NaN)")
	requireErr(t, do(db, "ZADD", "inf", "INCR", "+inf", "b"), "ERR resulting score is not a number (NaN)")
	require.Equal(t, []string{"b", "-inf", "a", "inf", "c", "inf"}, bulks(t, do(db, "ZRANGE", "inf", "0", "-1", "WITHSCORES")))

	// Score formatting as Redis 7.0; -0 is stored as 0 but ZINCRBY replies -0.
	requireInt(t, do(db, "ZADD", "f", "0.1", "a", "1e17", "b", "-0", "c", "0x10", "d", "1.5e-7", "e"), 5)
	require.Equal(t, []string{"c", "0", "e", "1.4999999999999999e-07", "a", "0.10000000000000001", "d", "16", "b", "1e+17"},
		bulks(t, do(db, "ZRANGE", "f", "0", "-1", "WITHSCORES")))
	requireBulk(t, do(db, "ZINCRBY", "neg0", "-0", "x"), "-0")
	requireBulk(t, do(db, "ZSCORE", "neg0", "x"), "0")
	requireStatus(t, do(db, "TYPE", "f"), "zset")
}

func TestZAddTyped(t *testing.T) {
	db, _ := openDB(t)
	n, err := db.ZAdd("z", engine.ZAddArgs{}, engine.ZMember{Member: "a", Score: 1}, engine.ZMember{Member: "b", Score: 2})
	require.NoError(t, err)
	require.Equal(t, 2, n)
	n, err = db.ZAdd("z", engine.ZAddArgs{CH: true, GT: true}, engine.ZMember{Member: "a", Score: 5}, engine.ZMember{Member: "b", Score: 1})
	require.NoError(t, err)
	require.Equal(t, 1, n)
	_, err = db.ZAdd("z", engine.ZAddArgs{NX: true, XX: true})
	require.ErrorIs(t, err, engine.ErrZAddXXAndNX)
	_, err = db.ZAdd("z", engine.ZAddArgs{LT: true, GT: true})
	require.ErrorIs(t, err, engine.ErrZAddGTLTNX)
	_, err = db.ZAdd("z", engine.ZAddArgs{}, engine.ZMember{Member: "c", Score: 1}, engine.ZMember{Member: "d", Score: math.NaN()})
	require.ErrorIs(t, err, engine.ErrScoreNaN)
	_, ok, err := db.ZScore("z", "c")
	require.NoError(t, err)
	require.False(t, ok, "a NaN score changes nothing")

	s, err := db.ZIncrBy("z", 2.5, "a")
	require.NoError(t, err)
	require.Equal(t, 7.5, s)
	_, ok, err = db.ZAddIncr("z", engine.ZAddArgs{XX: true}, "nope", 1)
	require.NoError(t, err)
	require.False(t, ok)
	s, ok, err = db.ZAddIncr("z", engine.ZAddArgs{}, "a", -0.5)
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, 7.0, s)

	c, err := db.ZCard("z")
	require.NoError(t, err)
	require.Equal(t, 2, c)
	scores, found, err := db.ZMScore("z", "a", "x", "b")
	require.NoError(t, err)
	require.Equal(t, []bool{true, false, true}, found)
	require.Equal(t, []float64{7, 0, 2}, scores)
	r, ok, err := db.ZRank("z", "a")
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, 1, r)
	r, ok, err = db.ZRevRank("z", "a")
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, 0, r)
	_, ok, err = db.ZRank("z", "nope")
	require.NoError(t, err)
	require.False(t, ok)

	require.NoError(t, db.Set("s", []byte("x")))
	_, err = db.ZAdd("s", engine.ZAddArgs{}, engine.ZMember{Member: "a", Score: 1})
	require.ErrorIs(t, err, engine.ErrWrongType)
	_, err = db.ZCard("s")
	require.ErrorIs(t, err, engine.ErrWrongType)
	_, _, err = db.ZScore("s", "a")
	require.ErrorIs(t, err, engine.ErrWrongType)
	_, err = db.ZRangeByScore("s", structures.ScoreRange{Min: 0, Max: 1}, engine.ZRangeOpts{})
	require.ErrorIs(t, err, engine.ErrWrongType)

	n, err = db.ZRem("z", "a", "b", "x")
	require.NoError(t, err)
	require.Equal(t, 2, n)
	require.Equal(t, engine.TypeNone, db.Type("z"), "an empty sorted set is deleted")
}

func TestZReadsDo(t *testing.T) {
	db, _ := openDB(t)
	requireInt(t, do(db, "ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e"), 5)
	requireInt(t, do(db, "ZCARD", "z"), 5)
	requireInt(t, do(db, "ZCARD", "none"), 0)
	require.Equal(t, []string{"1", "<nil>", "5"}, bulks(t, do(db, "ZMSCORE", "z", "a", "x", "e")))
	require.Equal(t, []string{"<nil>", "<nil>"}, bulks(t, do(db, "ZMSCORE", "none", "a", "b")))
	requireInt(t, do(db, "ZRANK", "z", "c"), 2)
	requireInt(t, do(db, "ZREVRANK", "z", "c"), 2)
	requireInt(t, do(db, "ZREVRANK", "z", "a"), 4)
	requireNil(t, do(db, "ZRANK", "z", "x"))
	requireNil(t, do(db, "ZRANK", "none", "x"))

	requireInt(t, do(db, "ZCOUNT", "z", "-inf", "+inf"), 5)
	requireInt(t, do(db, "ZCOUNT", "z", "(1", "(5"), 3)
	requireInt(t, do(db, "ZCOUNT", "z", "5", "1"), 0)
	requireInt(t, do(db, "ZCOUNT", "none", "1", "2"), 0)
	requireErr(t, do(db, "ZCOUNT", "z", "x", "1"), "ERR min or max is not a float")
	requireErr(t, do(db, "ZCOUNT", "z", "nan", "1"), "ERR min or max is not a float")

	requireOK(t, do(db, "SET", "s", "v"))
	for _, c := range [][]string{{"ZCARD", "s"}, {"ZSCORE", "s", "a"}, {"ZMSCORE", "s", "a"}, {"ZRANK", "s", "a"},
		{"ZCOUNT", "s", "1", "2"}, {"ZLEXCOUNT", "s", "-", "+"}, {"ZRANGE", "s", "0", "-1"}, {"ZREM", "s", "a"},
		{"ZPOPMIN", "s"}, {"ZRANDMEMBER", "s"}, {"ZSCAN", "s", "0"}, {"ZREMRANGEBYRANK", "s", "0", "1"}} {
		requireErr(t, do(db, c...), wrongType)
	}
	// Stats: reads count hits and misses.
	before := db.Stats().Total
	do(db, "ZSCORE", "z", "a")
	do(db, "ZSCORE", "none", "a")
	after := db.Stats().Total
	require.Equal(t, before.Hits+1, after.Hits)
	require.Equal(t, before.Misses+1, after.Misses)
}

func TestZRangeDo(t *testing.T) {
	db, _ := openDB(t)
	requireInt(t, do(db, "ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e"), 5)
	r := func(args ...string) []string { return bulks(t, do(db, args...)) }

	require.Equal(t, []string{"a", "b", "c", "d", "e"}, r("ZRANGE", "z", "0", "-1"))
	require.Equal(t, []string{"d", "e"}, r("ZRANGE", "z", "-2", "100"))
	require.Equal(t, []string{}, r("ZRANGE", "z", "3", "1"))
	require.Equal(t, []string{}, r("ZRANGE", "none", "0", "-1"))
	require.Equal(t, []string{"e", "5", "d", "4"}, r("ZRANGE", "z", "0", "1", "REV", "WITHSCORES"))
	require.Equal(t, []string{"e", "d"}, r("ZREVRANGE", "z", "0", "1"))
	require.Equal(t, []string{"a", "b", "c", "d", "e"}, r("ZRANGE", "z", "0", "-1", "LIMIT", "0", "-1")) // allowed

	// BYSCORE, exclusive bounds, ±inf, LIMIT (negative count: all).
	require.Equal(t, []string{"b", "c"}, r("ZRANGE", "z", "(1", "3", "BYSCORE"))
	require.Equal(t, []string{"a", "b", "c", "d", "e"}, r("ZRANGE", "z", "-inf", "+inf", "BYSCORE"))
	require.Equal(t, []string{"c", "b"}, r("ZRANGE", "z", "(4", "(1", "BYSCORE", "REV"))
	require.Equal(t, []string{"b", "c"}, r("ZRANGE", "z", "-inf", "inf", "BYSCORE", "LIMIT", "1", "2"))
	require.Equal(t, []string{"b", "c", "d", "e"}, r("ZRANGE", "z", "-inf", "inf", "BYSCORE", "LIMIT", "1", "-5"))
	require.Equal(t, []string{}, r("ZRANGE", "z", "-inf", "inf", "BYSCORE", "LIMIT", "-1", "2"))
	require.Equal(t, []string{}, r("ZRANGE", "z", "-inf", "inf", "BYSCORE", "LIMIT", "5", "2"))
	require.Equal(t, []string{"b", "2", "c", "3"}, r("ZRANGEBYSCORE", "z", "2", "3", "WITHSCORES"))
	require.Equal(t, []string{"d", "c"}, r("ZREVRANGEBYSCORE", "z", "+inf", "-inf", "LIMIT", "1", "2"))
	require.Equal(t, []string{}, r("ZRANGEBYSCORE", "z", "(3", "(3"))

	// BYLEX on equal scores.
	requireInt(t, do(db, "ZADD", "l", "0", "a", "0", "b", "0", "c", "0", "d"), 4)
	require.Equal(t, []string{"b", "c"}, r("ZRANGE", "l", "(a", "[c", "BYLEX"))
	require.Equal(t, []string{"d", "c", "b", "a"}, r("ZRANGE", "l", "+", "-", "BYLEX", "REV"))
	require.Equal(t, []string{"b"}, r("ZRANGEBYLEX", "l", "-", "+", "LIMIT", "1", "1"))
	require.Equal(t, []string{"c", "b"}, r("ZREVRANGEBYLEX", "l", "[c", "(a"))
	requireInt(t, do(db, "ZLEXCOUNT", "l", "[b", "+"), 3)
	requireInt(t, do(db, "ZLEXCOUNT", "none", "-", "+"), 0)
	requireErr(t, do(db, "ZLEXCOUNT", "l", "b", "+"), "ERR min or max not valid string range item")

	// Errors.
	requireErr(t, do(db, "ZRANGE", "z", "0", "1", "LIMIT", "0", "1"),
		"ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX")
	requireErr(t, do(db, "ZRANGE", "l", "-", "+", "BYLEX", "WITHSCORES"),
		"ERR syntax error, WITHSCORES not supported in combination with BYLEX")
	requireErr(t, do(db, "ZRANGE", "z", "0", "1", "BYSCORE", "BYLEX"), "ERR syntax error")
	requireErr(t, do(db, "ZRANGE", "z", "0", "1", "REV", "REV"), "ERR syntax error")
	requireErr(t, do(db, "ZRANGE", "z", "0", "1", "BOGUS"), "ERR syntax error")
	requireErr(t, do(db, "ZRANGE", "z", "0", "1", "LIMIT", "0"), "ERR syntax error")
	requireErr(t, do(db, "ZRANGE", "z", "0", "1", "BYSCORE", "LIMIT", "x", "1"), "ERR value is not an integer or out of range")
	requireErr(t, do(db, "ZRANGE", "z", "a", "1"), "ERR value is not an integer or out of range")
	requireErr(t, do(db, "ZRANGE", "z", "a", "1", "BYSCORE"), "ERR min or max is not a float")
	requireErr(t, do(db, "ZRANGE", "z", "a", "1", "BYLEX"), "ERR min or max not valid string range item")
	requireErr(t, do(db, "ZRANGEBYSCORE", "z", "0", "1", "REV"), "ERR syntax error")
	requireErr(t, do(db, "ZRANGEBYLEX", "z", "-", "+", "WITHSCORES"), "ERR syntax error, WITHSCORES not supported in combination with BYLEX")
	requireErr(t, do(db, "ZRANGE", "z", "0"), "ERR wrong number of arguments for 'zrange' command")

	// Typed API.
	ms, err := db.ZRange("z", 0, 1)
	require.NoError(t, err)
	require.Equal(t, []engine.ZMember{{Member: "a", Score: 1}, {Member: "b", Score: 2}}, ms)
	ms, err = db.ZRevRange("z", 0, 0)
	require.NoError(t, err)
	require.Equal(t, []engine.ZMember{{Member: "e", Score: 5}}, ms)
	ms, err = db.ZRangeByScore("z", structures.ScoreRange{Min: 2, Max: math.Inf(1), MinEx: true}, engine.ZRangeOpts{Rev: true, Offset: 1, Count: 2})
	require.NoError(t, err)
	require.Equal(t, []engine.ZMember{{Member: "d", Score: 4}, {Member: "c", Score: 3}}, ms)
	lr, err := structures.ParseLexRange([]byte("[b"), []byte("+"))
	require.NoError(t, err)
	names, err := db.ZRangeByLex("l", lr, engine.ZRangeOpts{})
	require.NoError(t, err)
	require.Equal(t, []string{"b", "c", "d"}, names)
	n, err := db.ZLexCount("l", lr)
	require.NoError(t, err)
	require.Equal(t, 3, n)
	n, err = db.ZCount("z", structures.ScoreRange{Min: math.Inf(-1), Max: 2})
	require.NoError(t, err)
	require.Equal(t, 2, n)
	ms, err = db.ZRange("none", 0, -1)
	require.NoError(t, err)
	require.Empty(t, ms)
}

func TestZRangeStore(t *testing.T) {
	db, _ := openDB(t)
	requireInt(t, do(db, "ZADD", "{t}src", "1", "a", "2", "b", "3", "c"), 3)
	requireOK(t, do(db, "SET", "{t}dst", "string"))
	requireInt(t, do(db, "EXPIRE", "{t}dst", "100"), 1)
	requireInt(t, do(db, "ZRANGESTORE", "{t}dst", "{t}src", "1", "-1"), 2)
	requireStatus(t, do(db, "TYPE", "{t}dst"), "zset")
	requireInt(t, do(db, "TTL", "{t}dst"), -1)
	require.Equal(t, []string{"b", "2", "c", "3"}, bulks(t, do(db, "ZRANGE", "{t}dst", "0", "-1", "WITHSCORES")))
	requireInt(t, do(db, "ZRANGESTORE", "other", "{t}src", "+inf", "(1", "BYSCORE", "REV", "LIMIT", "0", "1"), 1)
	require.Equal(t, []string{"c"}, bulks(t, do(db, "ZRANGE", "other", "0", "-1")))
	// An empty result deletes the destination.
	requireInt(t, do(db, "ZRANGESTORE", "{t}dst", "{t}src", "5", "10"), 0)
	requireInt(t, do(db, "EXISTS", "{t}dst"), 0)
	requireInt(t, do(db, "ZRANGESTORE", "other", "none", "0", "-1"), 0)
	requireInt(t, do(db, "EXISTS", "other"), 0)
	requireErr(t, do(db, "ZRANGESTORE", "d", "{t}src", "0", "-1", "WITHSCORES"), "ERR syntax error")
	requireOK(t, do(db, "SET", "s", "v"))
	requireErr(t, do(db, "ZRANGESTORE", "d", "s", "0", "-1"), wrongType)

	n, err := db.ZRangeStore("typed", "{t}src", engine.ZRangeSpec{By: engine.ZByScore, Score: structures.ScoreRange{Min: 2, Max: 3}})
	require.NoError(t, err)
	require.Equal(t, 2, n)
}

func TestZRemRange(t *testing.T) {
	db, _ := openDB(t)
	requireInt(t, do(db, "ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e"), 5)
	requireInt(t, do(db, "ZREMRANGEBYRANK", "z", "0", "0"), 1)
	requireInt(t, do(db, "ZREMRANGEBYRANK", "z", "-1", "-1"), 1)
	requireInt(t, do(db, "ZREMRANGEBYRANK", "z", "5", "10"), 0)
	requireInt(t, do(db, "ZREMRANGEBYSCORE", "z", "(2", "3"), 1)
	require.Equal(t, []string{"b", "d"}, bulks(t, do(db, "ZRANGE", "z", "0", "-1")))
	requireInt(t, do(db, "ZREMRANGEBYSCORE", "z", "-inf", "+inf"), 2)
	requireInt(t, do(db, "EXISTS", "z"), 0)
	requireInt(t, do(db, "ZADD", "l", "0", "a", "0", "b", "0", "c"), 3)
	requireInt(t, do(db, "ZREMRANGEBYLEX", "l", "[a", "(c"), 2)
	requireInt(t, do(db, "ZREMRANGEBYLEX", "l", "-", "+"), 1)
	requireInt(t, do(db, "EXISTS", "l"), 0)
	requireInt(t, do(db, "ZREMRANGEBYRANK", "none", "0", "-1"), 0)
	requireErr(t, do(db, "ZREMRANGEBYRANK", "z", "x", "1"), "ERR value is not an integer or out of range")
	requireErr(t, do(db, "ZREMRANGEBYSCORE", "z", "x", "1"), "ERR min or max is not a float")
	requireErr(t, do(db, "ZREMRANGEBYLEX", "z", "x", "+"), "ERR min or max not valid string range item")

	requireInt(t, do(db, "ZADD", "z", "1", "a", "2", "b", "3", "c"), 3)
	n, err := db.ZRemRangeByRank("z", 0, 0)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	n, err = db.ZRemRangeByScore("z", structures.ScoreRange{Min: 3, Max: 3})
	require.NoError(t, err)
	require.Equal(t, 1, n)
	n, err = db.ZRemRangeByLex("z", structures.LexRange{Min: structures.LexBound{Inf: -1}, Max: structures.LexBound{Inf: 1}})
	require.NoError(t, err)
	require.Equal(t, 1, n)
	require.Equal(t, engine.TypeNone, db.Type("z"))
}

func TestZPop(t *testing.T) {
	db, _ := openDB(t)
	requireInt(t, do(db, "ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d"), 4)
	require.Equal(t, []string{"a", "1"}, bulks(t, do(db, "ZPOPMIN", "z")))
	require.Equal(t, []string{"d", "4", "c", "3"}, bulks(t, do(db, "ZPOPMAX", "z", "2")))
	require.Equal(t, []string{}, bulks(t, do(db, "ZPOPMAX", "z", "0")))
	require.Equal(t, []string{}, bulks(t, do(db, "ZPOPMIN", "none")))
	requireErr(t, do(db, "ZPOPMIN", "z", "-1"), "ERR value is out of range, must be positive")
	requireErr(t, do(db, "ZPOPMIN", "z", "x"), "ERR value is out of range, must be positive")
	requireErr(t, do(db, "ZPOPMIN", "z", "1", "2"), "ERR syntax error")
	require.Equal(t, []string{"b", "2"}, bulks(t, do(db, "ZPOPMIN", "z", "10")))
	requireInt(t, do(db, "EXISTS", "z"), 0)

	requireInt(t, do(db, "ZADD", "z", "1", "a", "2", "b"), 2)
	ms, err := db.ZPopMax("z", 1)
	require.NoError(t, err)
	require.Equal(t, []engine.ZMember{{Member: "b", Score: 2}}, ms)
	ms, err = db.ZPopMin("z", 5)
	require.NoError(t, err)
	require.Equal(t, []engine.ZMember{{Member: "a", Score: 1}}, ms)
	ms, err = db.ZPopMin("z", 5)
	require.NoError(t, err)
	require.Empty(t, ms)
}

func TestZMPop(t *testing.T) {
	db, _ := openDB(t)
	requireInt(t, do(db, "ZADD", "k2", "1", "a", "2", "b", "3", "c"), 3)
	r := do(db, "ZMPOP", "3", "none", "k2", "k3", "MIN", "COUNT", "2")
	require.Equal(t, engine.ReplyArray, r.Kind, "%s", r)
	require.Equal(t, "k2", string(r.Array[0].Bulk))
	require.Len(t, r.Array[1].Array, 2)
	require.Equal(t, []string{"a", "1"}, bulks(t, r.Array[1].Array[0]))
	require.Equal(t, []string{"b", "2"}, bulks(t, r.Array[1].Array[1]))
	r = do(db, "ZMPOP", "1", "k2", "max")
	require.Equal(t, []string{"c", "3"}, bulks(t, r.Array[1].Array[0]))
	requireInt(t, do(db, "EXISTS", "k2"), 0)
	require.Equal(t, engine.ReplyNilArray, do(db, "ZMPOP", "2", "k2", "none", "MIN").Kind)

	requireErr(t, do(db, "ZMPOP", "0", "k", "MIN"), "ERR numkeys should be greater than 0")
	requireErr(t, do(db, "ZMPOP", "x", "k", "MIN"), "ERR numkeys should be greater than 0")
	requireErr(t, do(db, "ZMPOP", "2", "k", "MIN"), "ERR syntax error")
	requireErr(t, do(db, "ZMPOP", "9223372036854775807", "k", "MIN"), "ERR syntax error")
	requireErr(t, do(db, "ZMPOP", "1", "k", "MID"), "ERR syntax error")
	requireErr(t, do(db, "ZMPOP", "1", "k", "MIN", "COUNT", "0"), "ERR count should be greater than 0")
	requireErr(t, do(db, "ZMPOP", "1", "k", "MIN", "COUNT", "1", "COUNT", "1"), "ERR syntax error")
	requireOK(t, do(db, "SET", "s", "v"))
	requireErr(t, do(db, "ZMPOP", "2", "none", "s", "MIN"), wrongType)

	requireInt(t, do(db, "ZADD", "{x}b", "1", "a", "2", "b"), 2)
	key, ms, err := db.ZMPop([]string{"{x}a", "{x}b"}, true, 5)
	require.NoError(t, err)
	require.Equal(t, "{x}b", key)
	require.Equal(t, []engine.ZMember{{Member: "b", Score: 2}, {Member: "a", Score: 1}}, ms)
	key, ms, err = db.ZMPop([]string{"{x}a", "{x}b"}, true, 5)
	require.NoError(t, err)
	require.Equal(t, "", key)
	require.Nil(t, ms)
}

func TestZSetOps(t *testing.T) {
	db, _ := openDB(t)
	requireInt(t, do(db, "ZADD", "a", "1", "x", "2", "y", "3", "z"), 3)
	requireInt(t, do(db, "ZADD", "b", "10", "y", "20", "z", "30", "w"), 3)
	r := func(args ...string) []string { return bulks(t, do(db, args...)) }

	require.Equal(t, []string{"x", "1", "y", "12", "z", "23", "w", "30"}, r("ZUNION", "2", "a", "b", "WITHSCORES"))
	require.Equal(t, []string{"x", "y", "z", "w"}, r("ZUNION", "3", "a", "b", "none"))
	require.Equal(t, []string{"x", "2", "y", "14", "z", "26", "w", "30"}, r("ZUNION", "2", "a", "b", "WEIGHTS", "2", "1", "WITHSCORES"))
	require.Equal(t, []string{"x", "1", "y", "2", "z", "3", "w", "30"}, r("ZUNION", "2", "a", "b", "AGGREGATE", "MIN", "WITHSCORES"))
	require.Equal(t, []string{"y", "10", "z", "20"}, r("ZINTER", "2", "a", "b", "AGGREGATE", "max", "WITHSCORES"))
	require.Equal(t, []string{"y", "12", "z", "23"}, r("ZINTER", "2", "a", "b", "WITHSCORES"))
	require.Equal(t, []string{}, r("ZINTER", "2", "a", "none"))
	require.Equal(t, []string{"x", "1"}, r("ZDIFF", "2", "a", "b", "WITHSCORES"))
	require.Equal(t, []string{"w"}, r("ZDIFF", "3", "b", "a", "none"))
	// inf - inf in a sum is 0, as in Redis.
	requireInt(t, do(db, "ZADD", "i", "inf", "x"), 1)
	require.Equal(t, []string{"x", "0"}, r("ZUNION", "2", "i", "i", "WEIGHTS", "1", "-1", "WITHSCORES"))
	require.Equal(t, []string{"x", "0"}, r("ZUNION", "1", "i", "WEIGHTS", "0", "WITHSCORES"))

	requireInt(t, do(db, "ZINTERCARD", "2", "a", "b"), 2)
	requireInt(t, do(db, "ZINTERCARD", "2", "a", "b", "LIMIT", "1"), 1)
	requireInt(t, do(db, "ZINTERCARD", "2", "a", "b", "LIMIT", "0"), 2)
	requireInt(t, do(db, "ZINTERCARD", "2", "a", "none"), 0)

	// Errors, in Redis's order.
	requireErr(t, do(db, "ZUNION", "0", "a"), "ERR at least 1 input key is needed for 'zunion' command")
	requireErr(t, do(db, "ZUNIONSTORE", "d", "0", "a"), "ERR at least 1 input key is needed for 'zunionstore' command")
	requireErr(t, do(db, "ZINTERCARD", "0", "a"), "ERR at least 1 input key is needed for 'zintercard' command")
	requireErr(t, do(db, "ZUNION", "x", "a"), "ERR value is not an integer or out of range")
	requireErr(t, do(db, "ZUNION", "3", "a", "b"), "ERR syntax error")
	requireErr(t, do(db, "ZUNION", "2", "a", "b", "WEIGHTS", "1"), "ERR syntax error")
	requireErr(t, do(db, "ZUNION", "2", "a", "b", "WEIGHTS", "1", "x"), "ERR weight value is not a float")
	requireErr(t, do(db, "ZUNION", "2", "a", "b", "AGGREGATE", "AVG"), "ERR syntax error")
	requireErr(t, do(db, "ZDIFF", "2", "a", "b", "AGGREGATE", "SUM"), "ERR syntax error")
	requireErr(t, do(db, "ZUNIONSTORE", "d", "2", "a", "b", "WITHSCORES"), "ERR syntax error")
	requireErr(t, do(db, "ZINTERCARD", "2", "a", "b", "LIMIT", "-1"), "ERR LIMIT can't be negative")
	requireErr(t, do(db, "ZINTERCARD", "2", "a", "b", "WITHSCORES"), "ERR syntax error")
	requireOK(t, do(db, "SET", "s", "v"))
	requireErr(t, do(db, "ZUNION", "2", "a", "s"), wrongType)
	requireErr(t, do(db, "ZUNION", "2", "a", "s", "BOGUS"), wrongType) // types are checked before options

	// STORE onto a key of another type replaces it; an empty result deletes.
	requireInt(t, do(db, "ZUNIONSTORE", "s", "2", "a", "b"), 4)
	requireStatus(t, do(db, "TYPE", "s"), "zset")
	requireInt(t, do(db, "ZINTERSTORE", "s", "2", "a", "b", "WEIGHTS", "1", "0"), 2)
	require.Equal(t, []string{"y", "2", "z", "3"}, r("ZRANGE", "s", "0", "-1", "WITHSCORES"))
	requireInt(t, do(db, "ZDIFFSTORE", "s", "2", "a", "a"), 0)
	requireInt(t, do(db, "EXISTS", "s"), 0)
	requireInt(t, do(db, "ZUNIONSTORE", "a", "2", "a", "b"), 4) // destination among the sources
	require.Equal(t, []string{"x", "1", "y", "12", "z", "23", "w", "30"}, r("ZRANGE", "a", "0", "-1", "WITHSCORES"))

	// Typed API.
	ms, err := db.ZInter([]string{"a", "b"}, engine.ZSetOpArgs{Weights: []float64{0, 1}, Aggregate: engine.ZAggSum})
	require.NoError(t, err)
	require.Equal(t, []engine.ZMember{{Member: "y", Score: 10}, {Member: "z", Score: 20}, {Member: "w", Score: 30}}, ms)
	ms, err = db.ZUnion([]string{"b", "none"}, engine.ZSetOpArgs{})
	require.NoError(t, err)
	require.Len(t, ms, 3)
	ms, err = db.ZDiff("a", "b")
	require.NoError(t, err)
	require.Equal(t, []engine.ZMember{{Member: "x", Score: 1}}, ms)
	n, err := db.ZInterCard([]string{"a", "b"}, 2)
	require.NoError(t, err)
	require.Equal(t, 2, n)
	_, err = db.ZUnion(nil, engine.ZSetOpArgs{})
	require.Error(t, err)
	_, err = db.ZUnion([]string{"a"}, engine.ZSetOpArgs{Weights: []float64{1, 2}})
	require.ErrorIs(t, err, engine.ErrSyntax)
	n, err = db.ZDiffStore("d", "a", "b")
	require.NoError(t, err)
	require.Equal(t, 1, n)
	n, err = db.ZInterStore("d", []string{"a", "b"}, engine.ZSetOpArgs{Aggregate: engine.ZAggMax})
	require.NoError(t, err)
	require.Equal(t, 3, n)
	n, err = db.ZUnionStore("d", []string{"none"}, engine.ZSetOpArgs{})
	require.NoError(t, err)
	require.Equal(t, 0, n)
	require.Equal(t, engine.TypeNone, db.Type("d"))
}

// A plain set counts as a sorted set whose members all score 1.
func TestZSetOpsWithSetInput(t *testing.T) {
	db, _ := openDB(t)
	r := do(db, "SADD", "set", "x", "q")
	if r.IsError() {
		t.Skip("sets are not available:", r)
	}
	requireInt(t, do(db, "ZADD", "z", "5", "x", "6", "y"), 2)
	require.Equal(t, []string{"q", "1", "x", "6", "y", "6"}, bulks(t, do(db, "ZUNION", "2", "z", "set", "WITHSCORES")))
	require.Equal(t, []string{"x", "6"}, bulks(t, do(db, "ZINTER", "2", "set", "z", "WITHSCORES")))
	require.Equal(t, []string{"q", "1"}, bulks(t, do(db, "ZDIFF", "2", "set", "z", "WITHSCORES")))
}

// Set operations across shards are atomic. A writer keeps B one step
// behind A (ZINCRBY A, then ZUNIONSTORE B 1 A), so A-B is always 0 or 1; a
// reader that saw A and B at different instants could see -1.
func TestZUnionStoreCrossShardAtomic(t *testing.T) {
	db, _ := openDB(t)
	a, b := "atomic-source-a", "atomic-copy-b"
	requireInt(t, do(db, "ZADD", a, "0", "m"), 1)
	requireInt(t, do(db, "ZADD", b, "0", "m"), 1)
	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			do(db, "ZINCRBY", a, "1", "m")
			do(db, "ZUNIONSTORE", b, "1", a)
		}
	}()
	for i := 0; i < 2000; i++ {
		d := bulks(t, do(db, "ZUNION", "2", a, b, "WEIGHTS", "1", "-1", "WITHSCORES"))
		require.Contains(t, []string{"0", "1"}, d[1], "A-B seen non-atomically")
		requireInt(t, do(db, "ZINTERSTORE", "atomic-dst", "2", a, b, "WEIGHTS", "1", "-1"), 1)
	}
	close(stop)
	wg.Wait()
}

func TestZRandMember(t *testing.T) {
	db, _ := openDB(t)
	requireNil(t, do(db, "ZRANDMEMBER", "none"))
	require.Equal(t, []string{}, bulks(t, do(db, "ZRANDMEMBER", "none", "5")))
	requireInt(t, do(db, "ZADD", "z", "1", "a", "2", "b", "3", "c"), 3)
	in := map[string]string{"a": "1", "b": "2", "c": "3"}
	m := do(db, "ZRANDMEMBER", "z")
	require.Contains(t, in, string(m.Bulk))
	require.ElementsMatch(t, []string{"a", "b", "c"}, bulks(t, do(db, "ZRANDMEMBER", "z", "10")))
	got := bulks(t, do(db, "ZRANDMEMBER", "z", "2"))
	require.Len(t, got, 2)
	require.NotEqual(t, got[0], got[1])
	got = bulks(t, do(db, "ZRANDMEMBER", "z", "-7", "WITHSCORES"))
	require.Len(t, got, 14)
	for i := 0; i < len(got); i += 2 {
		require.Equal(t, in[got[i]], got[i+1])
	}
	require.Equal(t, []string{}, bulks(t, do(db, "ZRANDMEMBER", "z", "0")))
	requireErr(t, do(db, "ZRANDMEMBER", "z", "x"), "ERR value is not an integer or out of range")
	requireErr(t, do(db, "ZRANDMEMBER", "z", "1", "BOGUS"), "ERR syntax error")
	requireErr(t, do(db, "ZRANDMEMBER", "z", "-9223372036854775808"),
		"ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807")
	requireErr(t, do(db, "ZRANDMEMBER", "z", "-9223372036854775807", "WITHSCORES"), "ERR value is out of range")

	one, ok, err := db.ZRandMember("z")
	require.NoError(t, err)
	require.True(t, ok)
	require.Contains(t, in, one.Member)
	ms, err := db.ZRandMembers("z", -5)
	require.NoError(t, err)
	require.Len(t, ms, 5)
}

func TestZScan(t *testing.T) {
	db, _ := openDB(t)
	requireInt(t, do(db, "ZADD", "z", "1", "m1", "2", "m2", "3", "x", "1e17", "big"), 4)
	r := do(db, "ZSCAN", "z", "0")
	require.Equal(t, engine.ReplyArray, r.Kind)
	requireBulk(t, r.Array[0], "0")
	// Small sets: scores as Redis's compact encoding stores them.
	require.Equal(t, []string{"m1", "1", "m2", "2", "x", "3", "big", "100000000000000000"}, bulks(t, r.Array[1]))
	r = do(db, "ZSCAN", "z", "0", "MATCH", "m*", "COUNT", "100")
	require.Equal(t, []string{"m1", "1", "m2", "2"}, bulks(t, r.Array[1]))
	r = do(db, "ZSCAN", "none", "0", "BOGUS")
	require.Equal(t, []string{}, bulks(t, r.Array[1]))
	requireErr(t, do(db, "ZSCAN", "z", "x"), "ERR invalid cursor")
	requireErr(t, do(db, "ZSCAN", "z", "0", "COUNT", "0"), "ERR syntax error")
	requireErr(t, do(db, "ZSCAN", "z", "0", "TYPE", "zset"), "ERR syntax error")
	requireErr(t, do(db, "ZSCAN", "z", "0", "COUNT", "x"), "ERR value is not an integer or out of range")

	ms, cursor, err := db.ZScan("z", 0, engine.ZScanArgs{Match: "?2"})
	require.NoError(t, err)
	require.Zero(t, cursor)
	require.Equal(t, []engine.ZMember{{Member: "m2", Score: 2}}, ms)
}

// Redis keeps -0 as 0 in small sets (its compact encoding stores scores as
// text) and as -0 in large ones; ZSCAN prints a small set's integral
// scores as integers, a large set's as %.17g.
func TestZSetNegativeZeroAndLargeSets(t *testing.T) {
	db, _ := openDB(t)
	long := string(make([]byte, 65))
	requireInt(t, do(db, "ZADD", "big", "-0", long, "1e17", "x"), 2)
	requireBulk(t, do(db, "ZSCORE", "big", long), "-0")
	r := do(db, "ZSCAN", "big", "0", "MATCH", "x")
	require.Equal(t, []string{"x", "1e+17"}, bulks(t, r.Array[1]))
	requireInt(t, do(db, "ZADD", "small", "-0", "a"), 1)
	requireBulk(t, do(db, "ZSCORE", "small", "a"), "0")
	requireInt(t, do(db, "ZUNIONSTORE", "u", "1", "big", "WEIGHTS", "1"), 2)
	requireBulk(t, do(db, "ZSCORE", "u", long), "-0")
	requireInt(t, do(db, "ZUNIONSTORE", "u", "1", "small", "WEIGHTS", "-1"), 1)
	requireBulk(t, do(db, "ZSCORE", "u", "a"), "0")
	require.Equal(t, []string{"a", "-0"}, bulks(t, do(db, "ZUNION", "1", "small", "WEIGHTS", "-1", "WITHSCORES")))
	for i := range 129 {
		requireInt(t, do(db, "ZADD", "many", "1", fmt.Sprint(i)), 1)
	}
	requireInt(t, do(db, "ZADD", "many", "-0", "z"), 1)
	requireBulk(t, do(db, "ZSCORE", "many", "z"), "-0")
}

func TestZSetCopyAndMemberOwnership(t *testing.T) {
	db, _ := openDB(t)
	arg := []byte("member")
	db.Do(t.Context(), []byte("ZADD"), []byte("z"), []byte("1"), arg)
	copy(arg, "XXXXXX") // the caller reuses its buffer
	requireBulk(t, do(db, "ZSCORE", "z", "member"), "1")
	requireInt(t, do(db, "COPY", "z", "c"), 1)
	requireInt(t, do(db, "ZADD", "c", "2", "other"), 1)
	requireInt(t, do(db, "ZCARD", "z"), 1)
	requireInt(t, do(db, "ZCARD", "c"), 2)
}

func TestZSetCommandTable(t *testing.T) {
	for name, want := range map[string]struct {
		arity       int
		first, last int
	}{
		"zadd": {-4, 1, 1}, "zrangestore": {-5, 1, 2}, "zunionstore": {-4, 0, 0}, "zmpop": {-4, 0, 0},
		"zscan": {-3, 1, 1}, "zintercard": {-3, 0, 0}, "zincrby": {4, 1, 1},
	} {
		c := engine.LookupCommand([]byte(name))
		require.NotNil(t, c, name)
		require.Equal(t, want.arity, c.Arity, name)
		require.Equal(t, want.first, c.FirstKey, name)
		require.Equal(t, want.last, c.LastKey, name)
	}
}

func ExampleDB_ZAdd() {
	db, err := engine.Open(engine.Options{})
	if err != nil {
		panic(err)
	}
	defer db.Close()
	_, _ = db.ZAdd("leaderboard", engine.ZAddArgs{},
		engine.ZMember{Member: "ada", Score: 310},
		engine.ZMember{Member: "bob", Score: 120},
		engine.ZMember{Member: "cyd", Score: 250})
	_, _ = db.ZIncrBy("leaderboard", 100, "bob")
	top, _ := db.ZRevRange("leaderboard", 0, 1)
	for _, m := range top {
		fmt.Println(m.Member, m.Score)
	}
	rank, _, _ := db.ZRank("leaderboard", "bob")
	fmt.Println("bob's rank:", rank)
	// Output:
	// ada 310
	// cyd 250
	// bob's rank: 0
}

func TestZRandMemberNegativeCountBounded(t *testing.T) {
	db, _ := openDB(t)
	_, err := db.ZAdd("z", engine.ZAddArgs{}, engine.ZMember{Member: "a", Score: 1})
	require.NoError(t, err)
	requireErr(t, do(db, "ZRANDMEMBER", "z", "-9000000000000000000"),
		"ERR value is out of range, a negative count must be at least -4194304")
	_, err = db.ZRandMembers("z", -1<<22-1)
	require.Error(t, err)
	got, err := db.ZRandMembers("z", -5)
	require.NoError(t, err)
	require.Len(t, got, 5)
}
