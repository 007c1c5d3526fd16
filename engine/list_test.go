package engine_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/zeebo/xxh3"

	"github.com/jackdawdb/jackdaw/engine"
)

const listWrongType = "WRONGTYPE Operation against a key holding the wrong kind of value"

func listRange(t testing.TB, db *engine.DB, key string) []string {
	t.Helper()
	return bulks(t, do(db, "LRANGE", key, "0", "-1"))
}

func listStrs(vs [][]byte) []string {
	if vs == nil {
		return nil
	}
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

func listArgs(ss ...string) [][]byte {
	out := make([][]byte, len(ss))
	for i, s := range ss {
		out[i] = []byte(s)
	}
	return out
}

func listInts(t testing.TB, r engine.Reply) []int64 {
	t.Helper()
	require.Equal(t, engine.ReplyArray, r.Kind, "reply: %s", r)
	out := make([]int64, len(r.Array))
	for i, e := range r.Array {
		require.Equal(t, engine.ReplyInt, e.Kind, "element %d: %s", i, e)
		out[i] = e.Int
	}
	return out
}

func listRequireNilArray(t testing.TB, r engine.Reply) {
	t.Helper()
	require.Equal(t, engine.ReplyNilArray, r.Kind, "reply: %s", r)
}

func TestListPushPop(t *testing.T) {
	db, _ := openDB(t)
	requireInt(t, do(db, "RPUSH", "l", "b", "c"), 2)
	requireInt(t, do(db, "LPUSH", "l", "z", "a"), 4) // z, then a in front of it
	require.Equal(t, []string{"a", "z", "b", "c"}, listRange(t, db, "l"))
	requireInt(t, do(db, "LLEN", "l"), 4)
	requireStatus(t, do(db, "TYPE", "l"), "list")

	requireBulk(t, do(db, "LPOP", "l"), "a")
	requireBulk(t, do(db, "RPOP", "l"), "c")
	require.Equal(t, []string{"z", "b"}, listRange(t, db, "l"))

	// With a count: an array in pop order; 0 gives an empty array.
	require.Equal(t, []string{}, bulks(t, do(db, "LPOP", "l", "0")))
	requireInt(t, do(db, "RPUSH", "l", "x", "y"), 4)
	require.Equal(t, []string{"y", "x"}, bulks(t, do(db, "RPOP", "l", "2")))
	require.Equal(t, []string{"z", "b"}, bulks(t, do(db, "lpop", "l", "10")))

	// Popping the last element deletes the key.
	requireInt(t, do(db, "EXISTS", "l"), 0)
	requireStatus(t, do(db, "TYPE", "l"), "none")
	requireInt(t, do(db, "LLEN", "l"), 0)

	// A missing key: nil, or a nil array with a count (0 included).
	requireNil(t, do(db, "LPOP", "l"))
	requireNil(t, do(db, "RPOP", "l"))
	listRequireNilArray(t, do(db, "LPOP", "l", "3"))
	listRequireNilArray(t, do(db, "RPOP", "l", "0"))

	// Bad counts, checked before the key.
	const notPositive = "ERR value is out of range, must be positive"
	for _, c := range []string{"-1", "abc", "", "1.5", "-9223372036854775808", "99999999999999999999"} {
		requireErr(t, do(db, "LPOP", "l", c), notPositive)
		requireErr(t, do(db, "RPOP", "l", c), notPositive)
	}
	requireErr(t, do(db, "LPOP", "l", "1", "2"), "ERR wrong number of arguments for 'lpop' command")
	requireErr(t, do(db, "RPOP", "l", "1", "2"), "ERR wrong number of arguments for 'rpop' command")
	requireErr(t, do(db, "LPUSH", "l"), "ERR wrong number of arguments for 'lpush' command")

	// Binary-safe elements, the empty one included.
	requireInt(t, do(db, "RPUSH", "b", "", "a\x00b", "\r\n"), 3)
	require.Equal(t, []string{"", "a\x00b", "\r\n"}, listRange(t, db, "b"))
	requireBulk(t, do(db, "LPOP", "b"), "")
}

func TestListPushX(t *testing.T) {
	db, _ := openDB(t)
	requireInt(t, do(db, "LPUSHX", "l", "a"), 0)
	requireInt(t, do(db, "RPUSHX", "l", "a", "b"), 0)
	requireInt(t, do(db, "EXISTS", "l"), 0)
	requireInt(t, do(db, "RPUSH", "l", "m"), 1)
	requireInt(t, do(db, "LPUSHX", "l", "b", "a"), 3)
	requireInt(t, do(db, "RPUSHX", "l", "y", "z"), 5)
	require.Equal(t, []string{"a", "b", "m", "y", "z"}, listRange(t, db, "l"))
}

func TestListWrongType(t *testing.T) {
	db, _ := openDB(t)
	requireOK(t, do(db, "SET", "s", "v"))
	requireInt(t, do(db, "RPUSH", "l", "a", "b"), 2)
	for _, c := range [][]string{
		{"LPUSH", "s", "x"}, {"RPUSH", "s", "x"}, {"LPUSHX", "s", "x"}, {"RPUSHX", "s", "x"},
		{"LPOP", "s"}, {"RPOP", "s"}, {"LPOP", "s", "0"}, {"RPOP", "s", "2"},
		{"LLEN", "s"}, {"LRANGE", "s", "0", "-1"}, {"LINDEX", "s", "0"}, {"LINDEX", "s", "abc"},
		{"LSET", "s", "0", "x"}, {"LSET", "s", "abc", "x"}, {"LINSERT", "s", "BEFORE", "a", "b"},
		{"LREM", "s", "0", "a"}, {"LTRIM", "s", "0", "1"}, {"LPOS", "s", "a"}, {"LPOS", "s", "a", "COUNT", "0"},
		{"LMOVE", "s", "l", "LEFT", "LEFT"}, {"LMOVE", "l", "s", "LEFT", "RIGHT"}, {"LMOVE", "s", "s", "LEFT", "LEFT"},
		{"RPOPLPUSH", "s", "l"}, {"RPOPLPUSH", "l", "s"},
		{"LMPOP", "1", "s", "LEFT"}, {"LMPOP", "2", "missing", "s", "RIGHT", "COUNT", "2"},
		// A list holds no string.
		{"GET", "l"}, {"APPEND", "l", "x"}, {"INCR", "l"}, {"STRLEN", "l"},
	} {
		requireErr(t, do(db, c...), listWrongType)
	}
	// Nothing was popped or changed by the failed commands.
	require.Equal(t, []string{"a", "b"}, listRange(t, db, "l"))
	v, _ := mustGet(t, db, "s")
	require.Equal(t, "v", v)

	// A missing source wins over a wrong-type destination (nil, not an
	// error), as in Redis; so does a list found before a string in LMPOP.
	requireNil(t, do(db, "LMOVE", "missing", "s", "LEFT", "LEFT"))
	requireNil(t, do(db, "RPOPLPUSH", "missing", "s"))
	r := do(db, "LMPOP", "2", "l", "s", "LEFT")
	require.Equal(t, engine.ReplyArray, r.Kind, "reply: %s", r)
	requireBulk(t, r.Array[0], "l")
	require.Equal(t, []string{"a"}, bulks(t, r.Array[1]))

	// SET replaces a list.
	requireOK(t, do(db, "SET", "l", "str"))
	requireStatus(t, do(db, "TYPE", "l"), "string")

	// The typed API reports engine.ErrWrongType.
	_, err := db.LPush("s", []byte("x"))
	require.ErrorIs(t, err, engine.ErrWrongType)
	_, err = db.RPop("s", 1)
	require.ErrorIs(t, err, engine.ErrWrongType)
	_, err = db.LRange("s", 0, -1)
	require.ErrorIs(t, err, engine.ErrWrongType)
	_, _, err = db.LMove("missing", "s", engine.Left, engine.Left)
	require.NoError(t, err)
	_, err = db.LPush("src", []byte("1"))
	require.NoError(t, err)
	_, _, err = db.LMove("src", "s", engine.Left, engine.Left)
	require.ErrorIs(t, err, engine.ErrWrongType)
	n, err := db.LLen("src")
	require.NoError(t, err)
	require.Equal(t, 1, n)
}

func TestListIndexes(t *testing.T) {
	db, _ := openDB(t)
	requireInt(t, do(db, "RPUSH", "l", "a", "b", "c", "d", "e"), 5)
	for idx, want := range map[string]string{"0": "a", "4": "e", "-1": "e", "-5": "a", "2": "c", "-3": "c"} {
		requireBulk(t, do(db, "LINDEX", "l", idx), want)
	}
	for _, idx := range []string{"5", "-6", "9223372036854775807", "-9223372036854775808", "100"} {
		requireNil(t, do(db, "LINDEX", "l", idx))
	}
	requireErr(t, do(db, "LINDEX", "l", "abc"), "ERR value is not an integer or out of range")
	// The key is looked up first: a missing key is nil whatever the index.
	requireNil(t, do(db, "LINDEX", "missing", "abc"))

	for _, c := range []struct {
		start, stop string
		want        []string
	}{
		{"0", "-1", []string{"a", "b", "c", "d", "e"}},
		{"1", "2", []string{"b", "c"}},
		{"-2", "-1", []string{"d", "e"}},
		{"-100", "1", []string{"a", "b"}},
		{"3", "100", []string{"d", "e"}},
		{"-9223372036854775808", "9223372036854775807", []string{"a", "b", "c", "d", "e"}},
		{"3", "2", []string{}},
		{"5", "10", []string{}},
		{"-100", "-50", []string{}},
		{"0", "-6", []string{}},
		{"9223372036854775807", "-9223372036854775808", []string{}},
	} {
		require.Equal(t, c.want, bulks(t, do(db, "LRANGE", "l", c.start, c.stop)), "LRANGE %s %s", c.start, c.stop)
	}
	require.Equal(t, []string{}, bulks(t, do(db, "LRANGE", "missing", "0", "-1")))
	requireErr(t, do(db, "LRANGE", "l", "0", "x"), "ERR value is not an integer or out of range")
	requireErr(t, do(db, "LRANGE", "missing", "x", "0"), "ERR value is not an integer or out of range")

	// LSET.
	requireOK(t, do(db, "LSET", "l", "0", "A"))
	requireOK(t, do(db, "LSET", "l", "-1", "a much longer element than before"))
	requireOK(t, do(db, "LSET", "l", "2", ""))
	require.Equal(t, []string{"A", "b", "", "d", "a much longer element than before"}, listRange(t, db, "l"))
	requireErr(t, do(db, "LSET", "l", "5", "x"), "ERR index out of range")
	requireErr(t, do(db, "LSET", "l", "-6", "x"), "ERR index out of range")
	requireErr(t, do(db, "LSET", "l", "-9223372036854775808", "x"), "ERR index out of range")
	requireErr(t, do(db, "LSET", "l", "abc", "x"), "ERR value is not an integer or out of range")
	requireErr(t, do(db, "LSET", "missing", "0", "x"), "ERR no such key")
	requireErr(t, do(db, "LSET", "missing", "abc", "x"), "ERR no such key")
	requireInt(t, do(db, "EXISTS", "missing"), 0)

	// Typed.
	v, ok, err := db.LIndex("l", -4)
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, "b", string(v))
	_, ok, err = db.LIndex("l", 5)
	require.NoError(t, err)
	require.False(t, ok)
	require.ErrorIs(t, db.LSet("missing", 0, nil), engine.ErrNoSuchKey)
	require.ErrorIs(t, db.LSet("l", 99, nil), engine.ErrIndexOutOfRange)
	vs, err := db.LRange("l", -2, -1)
	require.NoError(t, err)
	require.Equal(t, []string{"d", "a much longer element than before"}, listStrs(vs))
	vs, err = db.LRange("missing", 0, -1)
	require.NoError(t, err)
	require.NotNil(t, vs)
	require.Empty(t, vs)
}

func TestListInsert(t *testing.T) {
	db, _ := openDB(t)
	requireInt(t, do(db, "RPUSH", "l", "a", "b", "a"), 3)
	requireInt(t, do(db, "LINSERT", "l", "BEFORE", "a", "x"), 4) // the first pivot only
	requireInt(t, do(db, "LINSERT", "l", "after", "b", "y"), 5)
	requireInt(t, do(db, "LINSERT", "l", "After", "a", "z"), 6)
	require.Equal(t, []string{"x", "a", "z", "b", "y", "a"}, listRange(t, db, "l"))
	requireInt(t, do(db, "LINSERT", "l", "BEFORE", "nope", "q"), -1)
	requireInt(t, do(db, "LINSERT", "missing", "BEFORE", "a", "q"), 0)
	requireInt(t, do(db, "EXISTS", "missing"), 0)
	requireErr(t, do(db, "LINSERT", "l", "MIDDLE", "a", "q"), "ERR syntax error")
	requireErr(t, do(db, "LINSERT", "missing", "", "a", "q"), "ERR syntax error")
	requireErr(t, do(db, "LINSERT", "l", "BEFORE", "a"), "ERR wrong number of arguments for 'linsert' command")

	n, err := db.LInsert("l", false, []byte("y"), []byte("end"))
	require.NoError(t, err)
	require.Equal(t, 7, n)
	n, err = db.LInsert("l", true, []byte("x"), []byte("start"))
	require.NoError(t, err)
	require.Equal(t, 8, n)
	require.Equal(t, []string{"start", "x", "a", "z", "b", "y", "end", "a"}, listRange(t, db, "l"))
}

func TestListRem(t *testing.T) {
	db, _ := openDB(t)
	reset := func() {
		do(db, "DEL", "l")
		requireInt(t, do(db, "RPUSH", "l", "a", "b", "a", "c", "a", "b"), 6)
	}
	reset()
	requireInt(t, do(db, "LREM", "l", "2", "a"), 2)
	require.Equal(t, []string{"b", "c", "a", "b"}, listRange(t, db, "l"))
	reset()
	requireInt(t, do(db, "LREM", "l", "-2", "a"), 2)
	require.Equal(t, []string{"a", "b", "c", "b"}, listRange(t, db, "l"))
	reset()
	requireInt(t, do(db, "LREM", "l", "0", "a"), 3)
	require.Equal(t, []string{"b", "c", "b"}, listRange(t, db, "l"))
	reset()
	requireInt(t, do(db, "LREM", "l", "-9223372036854775808", "b"), 2)
	requireInt(t, do(db, "LREM", "l", "9223372036854775807", "a"), 3)
	require.Equal(t, []string{"c"}, listRange(t, db, "l"))
	requireInt(t, do(db, "LREM", "l", "1", "nope"), 0)
	requireInt(t, do(db, "LREM", "l", "1", "c"), 1)
	requireInt(t, do(db, "EXISTS", "l"), 0) // emptied: deleted
	requireInt(t, do(db, "LREM", "missing", "0", "a"), 0)
	requireErr(t, do(db, "LREM", "missing", "x", "a"), "ERR value is not an integer or out of range")

	reset()
	n, err := db.LRem("l", -1, []byte("b"))
	require.NoError(t, err)
	require.Equal(t, 1, n)
	require.Equal(t, []string{"a", "b", "a", "c", "a"}, listRange(t, db, "l"))
}

func TestListTrim(t *testing.T) {
	db, _ := openDB(t)
	requireInt(t, do(db, "RPUSH", "l", "a", "b", "c", "d", "e"), 5)
	requireOK(t, do(db, "LTRIM", "l", "1", "-2"))
	require.Equal(t, []string{"b", "c", "d"}, listRange(t, db, "l"))
	requireOK(t, do(db, "LTRIM", "l", "-100", "100"))
	require.Equal(t, []string{"b", "c", "d"}, listRange(t, db, "l"))
	requireOK(t, do(db, "LTRIM", "l", "-9223372036854775808", "9223372036854775807"))
	require.Equal(t, []string{"b", "c", "d"}, listRange(t, db, "l"))
	requireOK(t, do(db, "LTRIM", "l", "1", "1"))
	require.Equal(t, []string{"c"}, listRange(t, db, "l"))
	requireOK(t, do(db, "LTRIM", "l", "1", "0")) // empty range: the key goes
	requireInt(t, do(db, "EXISTS", "l"), 0)
	requireOK(t, do(db, "LTRIM", "missing", "0", "1"))
	requireErr(t, do(db, "LTRIM", "missing", "a", "1"), "ERR value is not an integer or out of range")
	requireErr(t, do(db, "LTRIM", "missing", "0", "1.5"), "ERR value is not an integer or out of range")

	_, err := db.RPush("l", listArgs("a", "b", "c")...)
	require.NoError(t, err)
	require.NoError(t, db.LTrim("l", -2, -1))
	require.Equal(t, []string{"b", "c"}, listRange(t, db, "l"))
	require.NoError(t, db.LTrim("l", 5, 10))
	require.Equal(t, engine.TypeNone, db.Type("l"))
}

func TestListPos(t *testing.T) {
	db, _ := openDB(t)
	requireInt(t, do(db, "RPUSH", "l", "a", "b", "c", "a", "b", "a"), 6)
	requireInt(t, do(db, "LPOS", "l", "a"), 0)
	requireInt(t, do(db, "LPOS", "l", "b"), 1)
	requireInt(t, do(db, "LPOS", "l", "a", "RANK", "2"), 3)
	requireInt(t, do(db, "LPOS", "l", "a", "RANK", "-1"), 5)
	requireInt(t, do(db, "LPOS", "l", "a", "rank", "-3"), 0)
	requireNil(t, do(db, "LPOS", "l", "a", "RANK", "4"))
	requireNil(t, do(db, "LPOS", "l", "zz"))
	requireNil(t, do(db, "LPOS", "l", "a", "RANK", "9223372036854775807"))
	requireNil(t, do(db, "LPOS", "missing", "a"))

	require.Equal(t, []int64{0, 3, 5}, listInts(t, do(db, "LPOS", "l", "a", "COUNT", "0")))
	require.Equal(t, []int64{0, 3}, listInts(t, do(db, "LPOS", "l", "a", "COUNT", "2")))
	require.Equal(t, []int64{5, 3}, listInts(t, do(db, "LPOS", "l", "a", "RANK", "-1", "COUNT", "2")))
	require.Equal(t, []int64{3, 5}, listInts(t, do(db, "LPOS", "l", "a", "RANK", "2", "COUNT", "0")))
	require.Equal(t, []int64{0}, listInts(t, do(db, "LPOS", "l", "a", "MAXLEN", "1", "COUNT", "0")))
	require.Equal(t, []int64{3}, listInts(t, do(db, "LPOS", "l", "a", "RANK", "-2", "MAXLEN", "3", "COUNT", "0")))
	require.Equal(t, []int64{0, 3, 5}, listInts(t, do(db, "LPOS", "l", "a", "COUNT", "1", "COUNT", "3"))) // the last wins
	require.Equal(t, []int64{}, listInts(t, do(db, "LPOS", "l", "zz", "COUNT", "0")))
	require.Equal(t, []int64{}, listInts(t, do(db, "LPOS", "missing", "a", "COUNT", "1")))
	requireNil(t, do(db, "LPOS", "l", "a", "RANK", "2", "MAXLEN", "2"))

	// Redis 7.0 quirk: RANK -9223372036854775808 is the first match from
	// the tail, and with COUNT it returns every match within MAXLEN.
	requireInt(t, do(db, "LPOS", "l", "a", "RANK", "-9223372036854775808"), 5)
	require.Equal(t, []int64{5, 3, 0}, listInts(t, do(db, "LPOS", "l", "a", "RANK", "-9223372036854775808", "COUNT", "1")))
	require.Equal(t, []int64{5}, listInts(t, do(db, "LPOS", "l", "a", "RANK", "-9223372036854775808", "MAXLEN", "2", "COUNT", "1")))
	require.Equal(t, []int64{}, listInts(t, do(db, "LPOS", "l", "a", "RANK", "-9223372036854775807", "COUNT", "1")))

	const rankZero = "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... " +
		"or use negative to start from the end of the list"
	requireErr(t, do(db, "LPOS", "l", "a", "RANK", "0"), rankZero)
	requireErr(t, do(db, "LPOS", "missing", "a", "RANK", "0"), rankZero)
	requireErr(t, do(db, "LPOS", "l", "a", "RANK", "x"), "ERR value is not an integer or out of range")
	requireErr(t, do(db, "LPOS", "l", "a", "COUNT", "-1"), "ERR COUNT can't be negative")
	requireErr(t, do(db, "LPOS", "l", "a", "COUNT", "x"), "ERR COUNT can't be negative")
	requireErr(t, do(db, "LPOS", "l", "a", "MAXLEN", "-1"), "ERR MAXLEN can't be negative")
	requireErr(t, do(db, "LPOS", "l", "a", "MAXLEN", "x"), "ERR MAXLEN can't be negative")
	requireErr(t, do(db, "LPOS", "l", "a", "COUNT"), "ERR syntax error")
	requireErr(t, do(db, "LPOS", "l", "a", "BOGUS", "1"), "ERR syntax error")
	// Options are checked in order, before the key.
	requireErr(t, do(db, "LPOS", "l", "a", "COUNT", "-1", "RANK", "0"), "ERR COUNT can't be negative")
	requireErr(t, do(db, "LPOS", "l", "a", "RANK", "0", "COUNT", "-1"), rankZero)
	requireErr(t, do(db, "LPOS", "s", "a", "BOGUS"), "ERR syntax error")

	// Typed: zero LPosArgs is every match from the head.
	pos, err := db.LPos("l", []byte("a"), engine.LPosArgs{})
	require.NoError(t, err)
	require.Equal(t, []int{0, 3, 5}, pos)
	pos, err = db.LPos("l", []byte("b"), engine.LPosArgs{Rank: -1, Count: 1})
	require.NoError(t, err)
	require.Equal(t, []int{4}, pos)
	pos, err = db.LPos("missing", []byte("b"), engine.LPosArgs{})
	require.NoError(t, err)
	require.Empty(t, pos)
	_, err = db.LPos("l", []byte("a"), engine.LPosArgs{Count: -1})
	require.EqualError(t, err, "ERR COUNT can't be negative")
	_, err = db.LPos("l", []byte("a"), engine.LPosArgs{MaxLen: -1})
	require.EqualError(t, err, "ERR MAXLEN can't be negative")
}

func TestListMove(t *testing.T) {
	db, _ := openDB(t)
	requireInt(t, do(db, "RPUSH", "src", "1", "2", "3", "4"), 4)
	requireBulk(t, do(db, "LMOVE", "src", "dst", "LEFT", "RIGHT"), "1")
	requireBulk(t, do(db, "LMOVE", "src", "dst", "right", "left"), "4")
	requireBulk(t, do(db, "LMOVE", "src", "dst", "Left", "Left"), "2")
	requireBulk(t, do(db, "LMOVE", "src", "dst", "RIGHT", "RIGHT"), "3")
	require.Equal(t, []string{"2", "4", "1", "3"}, listRange(t, db, "dst"))
	requireInt(t, do(db, "EXISTS", "src"), 0) // emptied: deleted
	requireNil(t, do(db, "LMOVE", "src", "dst", "LEFT", "LEFT"))
	requireNil(t, do(db, "RPOPLPUSH", "src", "dst"))
	requireInt(t, do(db, "EXISTS", "src"), 0)

	// The same key: a rotation.
	requireBulk(t, do(db, "LMOVE", "dst", "dst", "LEFT", "RIGHT"), "2")
	require.Equal(t, []string{"4", "1", "3", "2"}, listRange(t, db, "dst"))
	requireBulk(t, do(db, "RPOPLPUSH", "dst", "dst"), "2")
	require.Equal(t, []string{"2", "4", "1", "3"}, listRange(t, db, "dst"))
	requireBulk(t, do(db, "LMOVE", "dst", "dst", "LEFT", "LEFT"), "2")
	require.Equal(t, []string{"2", "4", "1", "3"}, listRange(t, db, "dst"))

	// A one-element list moved onto itself stays.
	requireInt(t, do(db, "RPUSH", "one", "x"), 1)
	requireBulk(t, do(db, "LMOVE", "one", "one", "RIGHT", "LEFT"), "x")
	require.Equal(t, []string{"x"}, listRange(t, db, "one"))
	requireBulk(t, do(db, "RPOPLPUSH", "one", "other"), "x")
	requireInt(t, do(db, "EXISTS", "one"), 0)
	require.Equal(t, []string{"x"}, listRange(t, db, "other"))

	// The destination keeps its TTL.
	requireInt(t, do(db, "EXPIRE", "dst", "100"), 1)
	requireBulk(t, do(db, "RPOPLPUSH", "other", "dst"), "x")
	requireInt(t, do(db, "TTL", "dst"), 100)

	requireErr(t, do(db, "LMOVE", "dst", "dst", "LEFT", "MIDDLE"), "ERR syntax error")
	requireErr(t, do(db, "LMOVE", "missing", "dst", "UP", "LEFT"), "ERR syntax error")
	requireErr(t, do(db, "LMOVE", "dst", "dst", "LEFT"), "ERR wrong number of arguments for 'lmove' command")

	// Typed.
	v, ok, err := db.LMove("dst", "t", engine.Right, engine.Left)
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, "3", string(v))
	v, ok, err = db.RPopLPush("dst", "t")
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, "1", string(v))
	require.Equal(t, []string{"1", "3"}, listRange(t, db, "t"))
	_, ok, err = db.LMove("missing", "t", engine.Left, engine.Right)
	require.NoError(t, err)
	require.False(t, ok)
	require.Equal(t, "LEFT", engine.Left.String())
	require.Equal(t, "RIGHT", engine.Right.String())
}

func TestListMPop(t *testing.T) {
	db, _ := openDB(t)
	requireInt(t, do(db, "RPUSH", "b", "1", "2", "3"), 3)
	listRequireNilArray(t, do(db, "LMPOP", "1", "a", "LEFT"))
	r := do(db, "LMPOP", "2", "a", "b", "LEFT")
	require.Equal(t, engine.ReplyArray, r.Kind, "reply: %s", r)
	requireBulk(t, r.Array[0], "b")
	require.Equal(t, []string{"1"}, bulks(t, r.Array[1]))
	r = do(db, "lmpop", "3", "a", "b", "c", "right", "count", "10")
	requireBulk(t, r.Array[0], "b")
	require.Equal(t, []string{"3", "2"}, bulks(t, r.Array[1]))
	requireInt(t, do(db, "EXISTS", "b"), 0)
	listRequireNilArray(t, do(db, "LMPOP", "2", "a", "b", "RIGHT", "COUNT", "2"))

	for _, c := range []struct {
		args []string
		err  string
	}{
		{[]string{"0", "a", "LEFT"}, "ERR numkeys should be greater than 0"},
		{[]string{"-1", "a", "LEFT"}, "ERR numkeys should be greater than 0"},
		{[]string{"abc", "a", "LEFT"}, "ERR numkeys should be greater than 0"},
		{[]string{"2", "a", "LEFT"}, "ERR syntax error"},
		{[]string{"9223372036854775807", "a", "LEFT"}, "ERR syntax error"},
		{[]string{"1", "a", "MIDDLE"}, "ERR syntax error"},
		{[]string{"1", "a", "LEFT", "COUNT"}, "ERR syntax error"},
		{[]string{"1", "a", "LEFT", "BOGUS", "1"}, "ERR syntax error"},
		{[]string{"1", "a", "LEFT", "COUNT", "1", "COUNT", "2"}, "ERR syntax error"},
		{[]string{"1", "a", "LEFT", "COUNT", "0"}, "ERR count should be greater than 0"},
		{[]string{"1", "a", "LEFT", "COUNT", "-1"}, "ERR count should be greater than 0"},
		{[]string{"1", "a", "LEFT", "COUNT", "x"}, "ERR count should be greater than 0"},
		{[]string{"1", "a"}, "ERR wrong number of arguments for 'lmpop' command"},
	} {
		requireErr(t, do(db, append([]string{"LMPOP"}, c.args...)...), c.err)
	}

	// Typed.
	_, err := db.RPush("{x}2", listArgs("p", "q", "r")...)
	require.NoError(t, err)
	key, vs, err := db.LMPop(engine.Right, 2, "{x}1", "{x}2")
	require.NoError(t, err)
	require.Equal(t, "{x}2", key)
	require.Equal(t, []string{"r", "q"}, listStrs(vs))
	key, vs, err = db.LMPop(engine.Left, 1, "{x}1")
	require.NoError(t, err)
	require.Equal(t, "", key)
	require.Nil(t, vs)
	_, _, err = db.LMPop(engine.Left, 0, "a")
	require.EqualError(t, err, "ERR count should be greater than 0")
	_, _, err = db.LMPop(engine.Left, 1)
	require.EqualError(t, err, "ERR numkeys should be greater than 0")
}

func TestListTypedAPI(t *testing.T) {
	db, _ := openDB(t)
	n, err := db.RPush("q", listArgs("a", "b")...)
	require.NoError(t, err)
	require.Equal(t, 2, n)
	n, err = db.LPush("q", listArgs("y", "z")...)
	require.NoError(t, err)
	require.Equal(t, 4, n)
	n, err = db.LPush("q") // no values: the length, nothing created
	require.NoError(t, err)
	require.Equal(t, 4, n)
	n, err = db.RPush("none")
	require.NoError(t, err)
	require.Zero(t, n)
	require.Equal(t, engine.TypeNone, db.Type("none"))
	n, err = db.LPushX("none", []byte("a"))
	require.NoError(t, err)
	require.Zero(t, n)
	n, err = db.RPushX("q", []byte("c"))
	require.NoError(t, err)
	require.Equal(t, 5, n)

	vs, err := db.LPop("q", 2)
	require.NoError(t, err)
	require.Equal(t, []string{"z", "y"}, listStrs(vs))
	vs, err = db.RPop("q", 1)
	require.NoError(t, err)
	require.Equal(t, []string{"c"}, listStrs(vs))
	vs, err = db.RPop("q", 0)
	require.NoError(t, err)
	require.NotNil(t, vs)
	require.Empty(t, vs)
	vs, err = db.LPop("none", 1)
	require.NoError(t, err)
	require.Nil(t, vs)
	_, err = db.LPop("q", -1)
	require.EqualError(t, err, "ERR value is out of range, must be positive")
	n, err = db.LLen("q")
	require.NoError(t, err)
	require.Equal(t, 2, n)

	// Values pushed are copied; values returned never change.
	buf := []byte("hello")
	_, err = db.RPush("v", buf)
	require.NoError(t, err)
	buf[0] = 'J'
	got, _, err := db.LIndex("v", 0)
	require.NoError(t, err)
	require.Equal(t, "hello", string(got))
	rng, err := db.LRange("v", 0, -1)
	require.NoError(t, err)
	rep := do(db, "LINDEX", "v", "0")
	repRange := do(db, "LRANGE", "v", "0", "-1")
	require.NoError(t, db.LSet("v", 0, []byte("world"))) // same length: rewritten in place
	require.Equal(t, "hello", string(got))
	require.Equal(t, "hello", string(rng[0]))
	requireBulk(t, rep, "hello")
	require.Equal(t, []string{"hello"}, bulks(t, repRange))
	popped, err := db.LPop("v", 1)
	require.NoError(t, err)
	_, err = db.RPush("v", []byte("XXXXX"), []byte("YYYYY"))
	require.NoError(t, err)
	require.Equal(t, "world", string(popped[0]))
}

func TestListHitsMisses(t *testing.T) {
	db, _ := openDB(t)
	_, err := db.RPush("l", []byte("a"))
	require.NoError(t, err)
	stats := func() (int64, int64) {
		st := db.Stats()
		return st.Total.Hits, st.Total.Misses
	}
	h0, m0 := stats()
	for _, c := range [][]string{{"LLEN", "l"}, {"LRANGE", "l", "0", "-1"}, {"LINDEX", "l", "0"}, {"LPOS", "l", "a"}} {
		do(db, c...)
		c[1] = "missing"
		do(db, c...)
	}
	h1, m1 := stats()
	require.Equal(t, h0+4, h1)
	require.Equal(t, m0+4, m1)
	// Writes count neither.
	do(db, "RPUSH", "l", "b")
	do(db, "LPOP", "missing")
	do(db, "LMOVE", "l", "l2", "LEFT", "LEFT")
	h2, m2 := stats()
	require.Equal(t, h1, h2)
	require.Equal(t, m1, m2)
}

func TestListCopyRenameTTL(t *testing.T) {
	db, clk := openDB(t)
	requireInt(t, do(db, "RPUSH", "l", "a", "b", "c"), 3)
	requireInt(t, do(db, "COPY", "l", "c"), 1)
	requireInt(t, do(db, "RPUSH", "l", "d"), 4)
	requireOK(t, do(db, "LSET", "l", "0", "A"))
	require.Equal(t, []string{"a", "b", "c"}, listRange(t, db, "c")) // a deep copy
	require.Equal(t, []string{"A", "b", "c", "d"}, listRange(t, db, "l"))
	requireOK(t, do(db, "RENAME", "c", "r"))
	require.Equal(t, []string{"a", "b", "c"}, listRange(t, db, "r"))
	enc, ok := db.ObjectEncoding("r")
	require.True(t, ok)
	require.Equal(t, "quicklist", enc)

	// Pushes keep the TTL; an expired list is gone for every command.
	requireInt(t, do(db, "PEXPIRE", "r", "100"), 1)
	requireInt(t, do(db, "LPUSH", "r", "z"), 4)
	requireInt(t, do(db, "PTTL", "r"), 100)
	clk.Advance(101 * time.Millisecond)
	requireInt(t, do(db, "LLEN", "r"), 0)
	requireInt(t, do(db, "RPUSHX", "r", "x"), 0)
	requireNil(t, do(db, "RPOPLPUSH", "r", "l"))
	requireInt(t, do(db, "LPUSH", "r", "new"), 1)
	requireInt(t, do(db, "TTL", "r"), -1)
}

// TestListModel runs random operations on long lists (many nodes, large
// and small elements) against a plain slice model.
func TestListModel(t *testing.T) {
	db, _ := openDB(t)
	rng := rand.New(rand.NewPCG(1, 2))
	model := map[string][]string{}
	keys := []string{"m0", "m1", "{m}2"}
	elem := func() string {
		if rng.IntN(4) == 0 {
			return strings.Repeat(strconv.Itoa(rng.IntN(10)), 1+rng.IntN(3000))
		}
		return strconv.Itoa(rng.IntN(20))
	}
	idx := func(n int) int { return rng.IntN(2*n+10) - n - 5 }
	norm := func(start, stop, n int) (int, int, bool) {
		if start < 0 {
			start += n
		}
		if stop < 0 {
			stop += n
		}
		start = max(start, 0)
		if start > stop || start >= n {
			return 0, 0, false
		}
		return start, min(stop, n-1), true
	}
	ends := []string{"LEFT", "RIGHT"}
	for step := range 20000 {
		k := keys[rng.IntN(len(keys))]
		m := model[k]
		switch op := rng.IntN(12); op {
		case 0, 1, 2:
			vs := make([]string, 1+rng.IntN(20))
			for i := range vs {
				vs[i] = elem()
			}
			args := append([]string{"RPUSH", k}, vs...)
			if op == 0 {
				args[0] = "LPUSH"
				for _, v := range vs {
					m = append([]string{v}, m...)
				}
			} else {
				m = append(m, vs...)
			}
			requireInt(t, do(db, args...), int64(len(m)))
		case 3:
			c := rng.IntN(8)
			r := do(db, "LPOP", k, strconv.Itoa(c))
			if len(m) == 0 {
				listRequireNilArray(t, r)
				break
			}
			c = min(c, len(m))
			require.Equal(t, m[:c], bulks(t, r))
			m = m[c:]
		case 4:
			c := rng.IntN(8)
			r := do(db, "RPOP", k, strconv.Itoa(c))
			if len(m) == 0 {
				listRequireNilArray(t, r)
				break
			}
			c = min(c, len(m))
			want := slices.Clone(m[len(m)-c:])
			slices.Reverse(want)
			require.Equal(t, want, bulks(t, r))
			m = m[:len(m)-c]
		case 5:
			i, v := idx(len(m)), elem()
			r := do(db, "LSET", k, strconv.Itoa(i), v)
			j := i
			if j < 0 {
				j += len(m)
			}
			switch {
			case len(m) == 0:
				requireErr(t, r, "ERR no such key")
			case j < 0 || j >= len(m):
				requireErr(t, r, "ERR index out of range")
			default:
				requireOK(t, r)
				m[j] = v
			}
		case 6:
			pivot, v := strconv.Itoa(rng.IntN(20)), elem()
			before := rng.IntN(2) == 0
			where := "AFTER"
			if before {
				where = "BEFORE"
			}
			r := do(db, "LINSERT", k, where, pivot, v)
			p := slices.Index(m, pivot)
			switch {
			case len(m) == 0:
				requireInt(t, r, 0)
			case p < 0:
				requireInt(t, r, -1)
			default:
				if !before {
					p++
				}
				m = slices.Insert(slices.Clone(m), p, v)
				requireInt(t, r, int64(len(m)))
			}
		case 7:
			c, v := rng.IntN(7)-3, strconv.Itoa(rng.IntN(20))
			removed := 0
			out := []string{}
			if c >= 0 {
				for _, e := range m {
					if e == v && (c == 0 || removed < c) {
						removed++
						continue
					}
					out = append(out, e)
				}
			} else {
				for i := len(m) - 1; i >= 0; i-- {
					if m[i] == v && removed < -c {
						removed++
						continue
					}
					out = append(out, m[i])
				}
				slices.Reverse(out)
			}
			m = out
			requireInt(t, do(db, "LREM", k, strconv.Itoa(c), v), int64(removed))
		case 8:
			if rng.IntN(4) != 0 {
				break // trims drain lists fast
			}
			start, stop := rng.IntN(len(m)/4+3)-1, -1-rng.IntN(len(m)/4+3)
			requireOK(t, do(db, "LTRIM", k, strconv.Itoa(start), strconv.Itoa(stop)))
			if s, e, ok := norm(start, stop, len(m)); ok {
				m = slices.Clone(m[s : e+1])
			} else {
				m = nil
			}
		case 9:
			start, stop := idx(len(m)), idx(len(m))
			want := []string{}
			if s, e, ok := norm(start, stop, len(m)); ok {
				want = m[s : e+1]
			}
			require.Equal(t, want, bulks(t, do(db, "LRANGE", k, strconv.Itoa(start), strconv.Itoa(stop))))
			i := idx(len(m))
			j := i
			if j < 0 {
				j += len(m)
			}
			if j >= 0 && j < len(m) {
				requireBulk(t, do(db, "LINDEX", k, strconv.Itoa(i)), m[j])
			} else {
				requireNil(t, do(db, "LINDEX", k, strconv.Itoa(i)))
			}
		case 10:
			d := keys[rng.IntN(len(keys))]
			from, to := rng.IntN(2), rng.IntN(2)
			r := do(db, "LMOVE", k, d, ends[from], ends[to])
			if len(m) == 0 {
				requireNil(t, r)
				break
			}
			var v string
			if from == 0 {
				v, m = m[0], m[1:]
			} else {
				v, m = m[len(m)-1], m[:len(m)-1]
			}
			model[k] = m
			dm := slices.Clone(model[d])
			if to == 0 {
				dm = append([]string{v}, dm...)
			} else {
				dm = append(dm, v)
			}
			model[d] = dm
			m = model[k]
			requireBulk(t, r, v)
		case 11:
			v := strconv.Itoa(rng.IntN(20))
			want := []int64{}
			for i, e := range m {
				if e == v {
					want = append(want, int64(i))
				}
			}
			require.Equal(t, want, listInts(t, do(db, "LPOS", k, v, "COUNT", "0")))
			if len(want) > 0 {
				requireInt(t, do(db, "LPOS", k, v, "RANK", "-1"), want[len(want)-1])
			}
		}
		model[k] = m
		if len(m) == 0 {
			requireInt(t, do(db, "EXISTS", k), 0)
		}
		if step%500 == 0 {
			for _, k := range keys {
				want := model[k]
				if want == nil {
					want = []string{}
				}
				require.Equal(t, want, listRange(t, db, k), "step %d key %s", step, k)
				requireInt(t, do(db, "LLEN", k), int64(len(want)))
			}
		}
	}
}

// crossShardKeys returns two keys that a DB with 4 shards routes to
// different shards (by the top bits of xxh3, as the engine routes them
// today; should that change, the test stays valid, if weaker).
func listCrossShardKeys(prefix string) (string, string) {
	a := prefix + "a"
	for i := 0; ; i++ {
		b := prefix + "b" + strconv.Itoa(i)
		if xxh3.HashString(a)>>62 != xxh3.HashString(b)>>62 {
			return a, b
		}
	}
}

// TestListLMoveAtomicAcrossShards moves one element back and forth between
// two lists on different shards while a reader checks, holding both locks
// (EXISTS of both keys), that it is always in exactly one of them.
func TestListLMoveAtomicAcrossShards(t *testing.T) {
	db, err := engine.Open(engine.Options{Shards: 4, ExpireInterval: -1})
	require.NoError(t, err)
	defer db.Close()
	a, b := listCrossShardKeys("mv")
	_, err = db.RPush(a, []byte("token"))
	require.NoError(t, err)

	var stop atomic.Bool
	var wg sync.WaitGroup
	var moves atomic.Int64
	for w := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; !stop.Load(); i++ {
				src, dst := a, b
				if (i+w)%2 == 1 {
					src, dst = b, a
				}
				var v []byte
				if i%3 == 0 {
					if r := do(db, "RPOPLPUSH", src, dst); r.Kind == engine.ReplyBulk {
						v = r.Bulk
					}
				} else {
					var err error
					if v, _, err = db.LMove(src, dst, engine.Left, engine.Right); err != nil {
						panic(err)
					}
				}
				if v != nil {
					if string(v) != "token" {
						panic(fmt.Sprintf("moved %q", v))
					}
					moves.Add(1)
				}
			}
		}()
	}
	for range 20000 {
		require.Equal(t, 1, db.Exists(a, b))
		k, vs, err := db.LMPop(engine.Left, 1, a, b) // takes both locks too
		require.NoError(t, err)
		require.Equal(t, []string{"token"}, listStrs(vs))
		_, err = db.RPush(k, []byte("token"))
		require.NoError(t, err)
	}
	stop.Store(true)
	wg.Wait()
	require.Equal(t, 1, db.Exists(a, b))
	require.Positive(t, moves.Load())

	// With many elements: none is lost or duplicated.
	c, d := listCrossShardKeys("many")
	var want []string
	for i := range 200 {
		want = append(want, strconv.Itoa(i))
	}
	_, err = db.RPush(c, listArgs(want...)...)
	require.NoError(t, err)
	var wg2 sync.WaitGroup
	for w := range 4 {
		wg2.Add(1)
		go func() {
			defer wg2.Done()
			for i := range 2000 {
				src, dst := c, d
				if (i+w)%2 == 1 {
					src, dst = d, c
				}
				if _, _, err := db.LMove(src, dst, engine.End(i%2), engine.End(w%2)); err != nil {
					panic(err)
				}
			}
		}()
	}
	wg2.Wait()
	got := append(listRange(t, db, c), listRange(t, db, d)...)
	slices.SortFunc(got, func(x, y string) int { return listAtoi(x) - listAtoi(y) })
	require.Equal(t, want, got)
}

func listAtoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		panic(err)
	}
	return n
}

func ExampleDB_LPush() {
	db, _ := engine.Open(engine.Options{ExpireInterval: -1})
	defer db.Close()

	// A work queue: producers push at the head, consumers pop at the tail.
	n, _ := db.LPush("jobs", []byte("resize:1"), []byte("resize:2"))
	fmt.Println(n)
	_, _ = db.RPush("jobs", []byte("urgent"))

	all, _ := db.LRange("jobs", 0, -1)
	fmt.Printf("%q\n", all)

	next, _ := db.RPop("jobs", 2)
	fmt.Printf("%q\n", next)

	// A reliable consumer moves a job to a processing list atomically.
	job, ok, _ := db.LMove("jobs", "processing", engine.Right, engine.Left)
	fmt.Println(string(job), ok)

	_, ok, _ = db.RPopLPush("jobs", "processing") // the queue is empty now
	fmt.Println(ok, db.Exists("jobs"))

	_ = db.Set("name", []byte("Ada"))
	_, err := db.LPush("name", []byte("x"))
	fmt.Println(err)
	// Output:
	// 2
	// ["resize:2" "resize:1" "urgent"]
	// ["urgent" "resize:1"]
	// resize:2 true
	// false 0
	// WRONGTYPE Operation against a key holding the wrong kind of value
}

// BenchmarkListQueue pushes at the tail and pops at the head of a list
// that holds size elements, as a work queue does.
func BenchmarkListQueue(b *testing.B) {
	for _, size := range []int{100, 1_000_000} {
		b.Run(strconv.Itoa(size), func(b *testing.B) {
			db, _ := openDB(b)
			v := []byte("job:0123456789")
			batch := make([][]byte, 1000)
			for i := range batch {
				batch[i] = v
			}
			for i := 0; i < size; i += len(batch) {
				_, _ = db.RPush("q", batch...)
			}
			b.ResetTimer()
			for range b.N {
				_, _ = db.RPush("q", v)
				_, _ = db.LPop("q", 1)
			}
		})
	}
}
