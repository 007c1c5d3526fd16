package engine_test

import (
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/jackdawdb/jackdaw/engine"
)

const (
	hashWrongType   = "WRONGTYPE Operation against a key holding the wrong kind of value"
	hashNotInt      = "ERR value is not an integer or out of range"
	hashNotFloat    = "ERR value is not a valid float"
	hashSyntax      = "ERR syntax error"
	hashTooLargeNeg = "ERR value is out of range, a negative count must be at least -4194304"
)

// hashAll is HGETALL as a map, checking that fields do not repeat.
func hashAll(t testing.TB, db *engine.DB, key string) map[string]string {
	t.Helper()
	a := bulks(t, do(db, "HGETALL", key))
	require.Zero(t, len(a)%2, "HGETALL: odd reply %q", a)
	m := map[string]string{}
	for i := 0; i < len(a); i += 2 {
		_, dup := m[a[i]]
		require.False(t, dup, "HGETALL repeats field %q", a[i])
		m[a[i]] = a[i+1]
	}
	return m
}

func hashSorted(t testing.TB, r engine.Reply) []string {
	t.Helper()
	out := bulks(t, r)
	slices.Sort(out)
	return out
}

// hashFill sets n fields f0..f{n-1} to v0..v{n-1} with HSET.
func hashFill(t testing.TB, db *engine.DB, key string, n int) map[string]string {
	t.Helper()
	m := map[string]string{}
	args := []string{"HSET", key}
	for i := range n {
		f, v := "f"+strconv.Itoa(i), "v"+strconv.Itoa(i)
		args = append(args, f, v)
		m[f] = v
	}
	requireInt(t, do(db, args...), int64(n))
	return m
}

func TestHashSetGet(t *testing.T) {
	db, _ := openDB(t)
	requireInt(t, do(db, "HSET", "h", "a", "1", "b", "2"), 2)
	requireInt(t, do(db, "hset", "h", "a", "10", "c", "3"), 1) // a updated, c new
	requireInt(t, do(db, "HSET", "h", "d", "x", "d", "y"), 1)  // the later pair wins
	requireBulk(t, do(db, "HGET", "h", "a"), "10")
	requireBulk(t, do(db, "HGET", "h", "d"), "y")
	requireNil(t, do(db, "HGET", "h", "nosuch"))
	requireNil(t, do(db, "HGET", "nokey", "a"))
	require.Equal(t, map[string]string{"a": "10", "b": "2", "c": "3", "d": "y"}, hashAll(t, db, "h"))
	require.Equal(t, engine.TypeHash, db.Type("h"))

	requireOK(t, do(db, "HMSET", "h", "e", "5", "a", "11"))
	requireOK(t, do(db, "hmset", "new", "x", "1"))
	requireBulk(t, do(db, "HGET", "h", "a"), "11")
	requireBulk(t, do(db, "HGET", "new", "x"), "1")

	requireInt(t, do(db, "HSETNX", "h", "a", "zzz"), 0)
	requireInt(t, do(db, "HSETNX", "h", "f", "6"), 1)
	requireInt(t, do(db, "HSETNX", "created", "f", "6"), 1)
	requireBulk(t, do(db, "HGET", "h", "a"), "11")
	requireBulk(t, do(db, "HGET", "h", "f"), "6")

	require.Equal(t, []string{"11", "<nil>", "2", "11"}, bulks(t, do(db, "HMGET", "h", "a", "nosuch", "b", "a")))
	require.Equal(t, []string{"<nil>", "<nil>"}, bulks(t, do(db, "HMGET", "nokey", "a", "b")))

	requireInt(t, do(db, "HLEN", "h"), 6)
	requireInt(t, do(db, "HLEN", "nokey"), 0)
	requireInt(t, do(db, "HEXISTS", "h", "a"), 1)
	requireInt(t, do(db, "HEXISTS", "h", "zz"), 0)
	requireInt(t, do(db, "HEXISTS", "nokey", "a"), 0)
	requireInt(t, do(db, "HSTRLEN", "h", "a"), 2)
	requireInt(t, do(db, "HSTRLEN", "h", "zz"), 0)
	requireInt(t, do(db, "HSTRLEN", "nokey", "a"), 0)

	// Empty fields and values exist.
	requireInt(t, do(db, "HSET", "h", "", ""), 1)
	requireBulk(t, do(db, "HGET", "h", ""), "")
	require.Equal(t, []string{""}, bulks(t, do(db, "HMGET", "h", "")))
	requireInt(t, do(db, "HEXISTS", "h", ""), 1)
	requireInt(t, do(db, "HSTRLEN", "h", ""), 0)
}

func TestHashArity(t *testing.T) {
	db, _ := openDB(t)
	for _, c := range [][]string{
		{"HSET", "h"}, {"HSET", "h", "a"}, {"HSET", "h", "a", "1", "b"}, {"HMSET", "h", "a"},
		{"HMSET", "h", "a", "1", "b"}, {"HSETNX", "h", "a"}, {"HGET", "h"}, {"HGET", "h", "a", "b"},
		{"HMGET", "h"}, {"HDEL", "h"}, {"HLEN"}, {"HLEN", "h", "x"}, {"HEXISTS", "h"}, {"HKEYS"},
		{"HVALS", "h", "x"}, {"HGETALL"}, {"HINCRBY", "h", "a"}, {"HINCRBYFLOAT", "h", "a", "1", "2"},
		{"HSTRLEN", "h"}, {"HRANDFIELD"}, {"HSCAN", "h"},
	} {
		requireErr(t, do(db, c...), "ERR wrong number of arguments for '"+strings.ToLower(c[0])+"' command")
	}
	require.Equal(t, 0, db.DBSize(), "no arity error may write")
}

func TestHashDelDeletesKey(t *testing.T) {
	db, clk := openDB(t)
	requireInt(t, do(db, "HDEL", "nokey", "a"), 0)
	requireInt(t, do(db, "HSET", "h", "a", "1", "b", "2", "c", "3"), 3)
	requireInt(t, do(db, "HDEL", "h", "a", "nosuch", "a"), 1)
	requireInt(t, do(db, "HLEN", "h"), 2)
	requireInt(t, do(db, "PEXPIRE", "h", "1000"), 1)
	requireInt(t, do(db, "HSET", "h", "d", "4"), 1) // writes keep the TTL
	requireInt(t, do(db, "PTTL", "h"), 1000)
	requireInt(t, do(db, "HDEL", "h", "b", "c", "d"), 3)
	require.Equal(t, 0, db.Exists("h"))
	requireStatus(t, do(db, "TYPE", "h"), "none")
	// Recreated: no TTL.
	requireInt(t, do(db, "HSET", "h", "a", "1"), 1)
	requireInt(t, do(db, "TTL", "h"), -1)
	requireInt(t, do(db, "PEXPIRE", "h", "100"), 1)
	clk.Advance(101 * time.Millisecond)
	requireNil(t, do(db, "HGET", "h", "a"))
	requireInt(t, do(db, "HSETNX", "h", "a", "2"), 1)
	requireInt(t, do(db, "TTL", "h"), -1)
	st := db.Stats().Total
	require.EqualValues(t, db.DBSize(), st.TotalKeys())
}

func TestHashWrongType(t *testing.T) {
	db, _ := openDB(t)
	requireOK(t, do(db, "SET", "s", "x"))
	for _, c := range [][]string{
		{"HSET", "s", "a", "1"}, {"HMSET", "s", "a", "1"}, {"HSETNX", "s", "a", "1"}, {"HGET", "s", "a"},
		{"HMGET", "s", "a"}, {"HDEL", "s", "a"}, {"HLEN", "s"}, {"HEXISTS", "s", "a"}, {"HKEYS", "s"},
		{"HVALS", "s"}, {"HGETALL", "s"}, {"HINCRBY", "s", "a", "1"}, {"HINCRBYFLOAT", "s", "a", "1"},
		{"HSTRLEN", "s", "a"}, {"HRANDFIELD", "s"}, {"HRANDFIELD", "s", "0"}, {"HRANDFIELD", "s", "-3", "WITHVALUES"},
		{"HSCAN", "s", "0"}, {"HSCAN", "s", "0", "BOGUS"},
	} {
		requireErr(t, do(db, c...), hashWrongType)
	}
	requireBulk(t, do(db, "GET", "s"), "x")

	// The argument errors come first where Redis checks them first.
	requireErr(t, do(db, "HINCRBY", "s", "a", "x"), hashNotInt)
	requireErr(t, do(db, "HINCRBYFLOAT", "s", "a", "x"), hashNotFloat)
	requireErr(t, do(db, "HINCRBYFLOAT", "s", "a", "inf"), "ERR value is NaN or Infinity")
	requireErr(t, do(db, "HRANDFIELD", "s", "x"), hashNotInt)
	requireErr(t, do(db, "HRANDFIELD", "s", "1", "bogus"), hashSyntax)
	requireErr(t, do(db, "HSCAN", "s", "x"), "ERR invalid cursor")
	requireErr(t, do(db, "HSET", "s", "a"), "ERR wrong number of arguments for 'hset' command")

	// The other way round: string commands on a hash.
	requireInt(t, do(db, "HSET", "h", "a", "1"), 1)
	requireErr(t, do(db, "GET", "h"), hashWrongType)
	requireErr(t, do(db, "INCR", "h"), hashWrongType)
	requireErr(t, do(db, "APPEND", "h", "x"), hashWrongType)
	requireOK(t, do(db, "SET", "h", "now a string"))
	requireErr(t, do(db, "HGET", "h", "a"), hashWrongType)

	_, err := db.HSet("s", engine.FieldValue{Field: "a", Value: []byte("1")})
	require.ErrorIs(t, err, engine.ErrWrongType)
	_, _, err = db.HGet("s", "a")
	require.ErrorIs(t, err, engine.ErrWrongType)
	_, err = db.HGetAll("s")
	require.ErrorIs(t, err, engine.ErrWrongType)
	_, err = db.HKeys("s")
	require.ErrorIs(t, err, engine.ErrWrongType)
	_, err = db.HIncrBy("s", "a", 1)
	require.ErrorIs(t, err, engine.ErrWrongType)
	_, _, err = db.HScan("s", 0, engine.HScanArgs{})
	require.ErrorIs(t, err, engine.ErrWrongType)
	_, err = db.HRandFields("s", -5)
	require.ErrorIs(t, err, engine.ErrWrongType)
}

func TestHashIncrBy(t *testing.T) {
	db, _ := openDB(t)
	requireInt(t, do(db, "HINCRBY", "h", "n", "5"), 5) // creates the key and the field
	requireInt(t, do(db, "HINCRBY", "h", "n", "-7"), -2)
	requireBulk(t, do(db, "HGET", "h", "n"), "-2")
	requireInt(t, do(db, "HINCRBY", "h", "n", "0"), -2)

	for _, v := range []string{"abc", "", "1.5", " 1", "1 ", "+1", "007", "-0", "0x10", "9223372036854775808"} {
		requireInt(t, do(db, "HSET", "h", "bad", v), 0+boolInt(v == "abc"))
		requireErr(t, do(db, "HINCRBY", "h", "bad", "1"), "ERR hash value is not an integer")
		requireBulk(t, do(db, "HGET", "h", "bad"), v) // unchanged
	}
	for _, d := range []string{"abc", "", "1.5", "+1", " 1", "9223372036854775808", "0x1"} {
		requireErr(t, do(db, "HINCRBY", "h", "n", d), hashNotInt)
		requireErr(t, do(db, "HINCRBY", "nokey", "n", d), hashNotInt)
	}
	require.Equal(t, 0, db.Exists("nokey"))

	requireInt(t, do(db, "HSET", "h", "max", "9223372036854775807", "min", "-9223372036854775808"), 2)
	requireErr(t, do(db, "HINCRBY", "h", "max", "1"), "ERR increment or decrement would overflow")
	requireErr(t, do(db, "HINCRBY", "h", "min", "-1"), "ERR increment or decrement would overflow")
	requireInt(t, do(db, "HINCRBY", "h", "max", "-9223372036854775808"), -1)
	requireInt(t, do(db, "HINCRBY", "h", "min", "9223372036854775807"), -1)
	requireInt(t, do(db, "HINCRBY", "h", "n2", "-9223372036854775808"), -9223372036854775808)
	requireErr(t, do(db, "HINCRBY", "h", "n2", "-1"), "ERR increment or decrement would overflow")

	n, err := db.HIncrBy("t", "c", 40)
	require.NoError(t, err)
	require.EqualValues(t, 40, n)
	n, err = db.HIncrBy("t", "c", 2)
	require.NoError(t, err)
	require.EqualValues(t, 42, n)
	_, err = db.HIncrBy("h", "bad", 1)
	require.ErrorIs(t, err, engine.ErrHashNotInteger)
	_, err = db.HIncrBy("h", "n2", -1)
	require.True(t, errors.Is(err, engine.ErrOverflow))
}

func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

func TestHashIncrByFloat(t *testing.T) {
	db, _ := openDB(t)
	requireBulk(t, do(db, "HINCRBYFLOAT", "h", "f", "10.5"), "10.5")
	requireBulk(t, do(db, "HINCRBYFLOAT", "h", "f", "0.1"), "10.6")
	requireBulk(t, do(db, "HINCRBYFLOAT", "h", "f", "-5.0e3"), "-4989.39999999999999991") // as Redis
	requireBulk(t, do(db, "HGET", "h", "f"), "-4989.39999999999999991")
	requireInt(t, do(db, "HSET", "h", "i", "3", "e", "1e3", "x", "0x10", "z", "007"), 4)
	requireBulk(t, do(db, "HINCRBYFLOAT", "h", "i", "1.5"), "4.5")
	requireBulk(t, do(db, "HINCRBYFLOAT", "h", "e", "1"), "1001")
	requireBulk(t, do(db, "HINCRBYFLOAT", "h", "x", "1"), "17")
	requireBulk(t, do(db, "HINCRBYFLOAT", "h", "z", "0x10"), "23")
	requireBulk(t, do(db, "HINCRBYFLOAT", "h", "p", "0.1"), "0.1")
	requireBulk(t, do(db, "HINCRBYFLOAT", "h", "p", "0.2"), "0.3") // long double, as Redis
	requireBulk(t, do(db, "HINCRBYFLOAT", "h", "big", "1e20"), "1"+strings.Repeat("0", 20))
	r := do(db, "HINCRBYFLOAT", "h", "big2", "1e308") // every integer digit, as Redis
	require.Len(t, r.Bulk, 308)
	require.True(t, strings.HasPrefix(string(r.Bulk), "99999999999999999996685879655845645660560099847415567207797047994921734"))

	for _, v := range []string{"abc", "", " 1", "1 ", "nan", "1.5e"} {
		requireInt(t, do(db, "HSET", "h", "bad", v), boolInt(v == "abc"))
		requireErr(t, do(db, "HINCRBYFLOAT", "h", "bad", "1"), "ERR hash value is not a float")
		requireBulk(t, do(db, "HGET", "h", "bad"), v)
	}
	// A stored infinity parses, and the sum is refused.
	requireInt(t, do(db, "HSET", "h", "inf", "inf"), 1)
	requireErr(t, do(db, "HINCRBYFLOAT", "h", "inf", "1"), "ERR increment would produce NaN or Infinity")
	requireInt(t, do(db, "HSET", "h", "huge", "1e4932"), 1)
	requireErr(t, do(db, "HINCRBYFLOAT", "h", "huge", "1e4932"), "ERR increment would produce NaN or Infinity")
	requireBulk(t, do(db, "HGET", "h", "huge"), "1e4932")

	// The increment is checked first, even on a missing key or another type.
	for _, d := range []string{"abc", "", "nan", "1e4933", " 1", "1..2"} {
		requireErr(t, do(db, "HINCRBYFLOAT", "nokey", "f", d), hashNotFloat)
	}
	for _, d := range []string{"inf", "-inf", "+inf", "Infinity"} {
		requireErr(t, do(db, "HINCRBYFLOAT", "nokey", "f", d), "ERR value is NaN or Infinity")
	}
	require.Equal(t, 0, db.Exists("nokey"))

	v, err := db.HIncrByFloat("t", "f", 2.5)
	require.NoError(t, err)
	require.Equal(t, "2.5", string(v))
	v, err = db.HIncrByFloat("t", "f", 0.25)
	require.NoError(t, err)
	require.Equal(t, "2.75", string(v))
	_, err = db.HIncrByFloat("t", "f", posInf())
	require.ErrorIs(t, err, engine.ErrHashIncrNotFinite)
	_, err = db.HIncrByFloat("h", "bad", 1)
	require.ErrorIs(t, err, engine.ErrHashNotFloat)
	_, err = db.HIncrByFloat("h", "inf", 1)
	require.ErrorIs(t, err, engine.ErrFloatNaNOrInf)
}

func posInf() float64 { f, _ := strconv.ParseFloat("inf", 64); return f }

func TestHashGetAllKeysVals(t *testing.T) {
	db, _ := openDB(t)
	for _, c := range []string{"HGETALL", "HKEYS", "HVALS"} {
		r := do(db, c, "nokey")
		require.Equal(t, engine.ReplyArray, r.Kind)
		require.Empty(t, r.Array)
	}
	// Small (packed) and large (dense: many fields, or a long value).
	for _, n := range []int{1, 5, 128, 129, 1000} {
		key := "h" + strconv.Itoa(n)
		m := hashFill(t, db, key, n)
		require.Equal(t, m, hashAll(t, db, key))
		require.Equal(t, slices.Sorted(maps.Keys(m)), hashSorted(t, do(db, "HKEYS", key)))
		require.Equal(t, slices.Sorted(maps.Values(m)), hashSorted(t, do(db, "HVALS", key)))
		requireInt(t, do(db, "HLEN", key), int64(n))
	}
	long := strings.Repeat("L", 100)
	requireInt(t, do(db, "HSET", "h5", "long", long), 1)
	requireBulk(t, do(db, "HGET", "h5", "long"), long)
	require.Len(t, hashAll(t, db, "h5"), 6)

	// The typed API copies the fields and values.
	all, err := db.HGetAll("h5")
	require.NoError(t, err)
	require.Len(t, all, 6)
	require.Equal(t, long, string(all["long"]))
	keys, err := db.HKeys("h5")
	require.NoError(t, err)
	require.ElementsMatch(t, []string{"f0", "f1", "f2", "f3", "f4", "long"}, keys)
	vals, err := db.HVals("h5")
	require.NoError(t, err)
	require.Len(t, vals, 6)
	all, err = db.HGetAll("nokey")
	require.NoError(t, err)
	require.NotNil(t, all)
	require.Empty(t, all)
	keys, err = db.HKeys("nokey")
	require.NoError(t, err)
	require.Empty(t, keys)
}

func TestHashBinary(t *testing.T) {
	db, _ := openDB(t)
	key, f1, v1 := "k\x00\r\n", "f\x00\xff", "v\r\n\x00"
	requireInt(t, do(db, "HSET", key, f1, v1, "", "empty-field", "ef", ""), 3)
	requireBulk(t, do(db, "HGET", key, f1), v1)
	requireNil(t, do(db, "HGET", key, "f"))
	requireBulk(t, do(db, "HGET", key, ""), "empty-field")
	requireBulk(t, do(db, "HGET", key, "ef"), "")
	require.Equal(t, map[string]string{f1: v1, "": "empty-field", "ef": ""}, hashAll(t, db, key))
	requireInt(t, do(db, "HSTRLEN", key, f1), int64(len(v1)))
	requireInt(t, do(db, "HDEL", key, "f\x00"), 0)
	requireInt(t, do(db, "HDEL", key, f1), 1)
	// Binary fields in a dense hash.
	big := strings.Repeat("\x00\xff", 40)
	requireInt(t, do(db, "HSET", key, big, big+big), 1)
	requireBulk(t, do(db, "HGET", key, big), big+big)
	v, ok, err := db.HGet(key, big)
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, big+big, string(v))
	// MATCH sees the whole field, NULs included.
	r := do(db, "HSCAN", key, "0", "MATCH", "\x00*")
	require.Equal(t, []string{big, big + big}, bulks(t, r.Array[1]))
}

// TestHashReturnedValuesStable: values returned by reads never change
// afterwards, though a hash rewrites its storage in place.
func TestHashReturnedValuesStable(t *testing.T) {
	db, _ := openDB(t)
	for _, n := range []int{3, 200} { // packed, dense
		key := "h" + strconv.Itoa(n)
		hashFill(t, db, key, n)
		v, _, err := db.HGet(key, "f1")
		require.NoError(t, err)
		all, err := db.HGetAll(key)
		require.NoError(t, err)
		mv, err := db.HMGet(key, "f1", "f2")
		require.NoError(t, err)
		vals, err := db.HVals(key)
		require.NoError(t, err)
		rGet := do(db, "HGET", key, "f1")
		rAll := do(db, "HGETALL", key)
		rScan := do(db, "HSCAN", key, "0", "COUNT", "1000")
		rRand := do(db, "HRANDFIELD", key, "-50", "WITHVALUES")
		snapshot := rAll.String() + rScan.String() + rRand.String()

		// Same-length rewrites (in place in a packed hash), deletions,
		// growth.
		for i := range n {
			f := "f" + strconv.Itoa(i)
			requireInt(t, do(db, "HSET", key, f, "X"+strconv.Itoa(i)), 0)
		}
		requireInt(t, do(db, "HDEL", key, "f0", "f2"), 2)
		requireInt(t, do(db, "HSET", key, "new", strings.Repeat("n", 100)), 1)

		require.Equal(t, "v1", string(v))
		require.Equal(t, "v1", string(all["f1"]))
		require.Equal(t, "v1", string(mv[0]))
		require.Equal(t, "v2", string(mv[1]))
		require.Contains(t, valsStrings(vals), "v1")
		requireBulk(t, rGet, "v1")
		require.Equal(t, snapshot, rAll.String()+rScan.String()+rRand.String())
		require.NotContains(t, snapshot, "X")
	}
}

func valsStrings(vs [][]byte) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

func TestHashRandField(t *testing.T) {
	db, _ := openDB(t)
	requireNil(t, do(db, "HRANDFIELD", "nokey"))
	for _, c := range []string{"5", "-5", "0"} {
		require.Empty(t, bulks(t, do(db, "HRANDFIELD", "nokey", c)))
		require.Empty(t, bulks(t, do(db, "HRANDFIELD", "nokey", c, "WITHVALUES")))
	}
	require.Empty(t, bulks(t, do(db, "HRANDFIELD", "nokey", "-9999999999"))) // no hash: no size check

	for _, n := range []int{3, 300} {
		key := "h" + strconv.Itoa(n)
		m := hashFill(t, db, key, n)
		for range 20 {
			r := do(db, "HRANDFIELD", key)
			require.Equal(t, engine.ReplyBulk, r.Kind)
			require.Contains(t, m, string(r.Bulk))
		}
		require.Empty(t, bulks(t, do(db, "HRANDFIELD", key, "0")))
		require.Empty(t, bulks(t, do(db, "HRANDFIELD", key, "0", "withvalues")))
		for _, count := range []int{1, 2, n - 1, n, n + 1, 1000} {
			fs := bulks(t, do(db, "HRANDFIELD", key, strconv.Itoa(count)))
			require.Len(t, fs, min(count, n))
			require.Len(t, uniq(fs), len(fs), "distinct fields")
			for _, f := range fs {
				require.Contains(t, m, f)
			}
			fv := bulks(t, do(db, "HRANDFIELD", key, strconv.Itoa(count), "WITHVALUES"))
			require.Len(t, fv, 2*min(count, n))
			seen := map[string]bool{}
			for i := 0; i < len(fv); i += 2 {
				require.Equal(t, m[fv[i]], fv[i+1])
				require.False(t, seen[fv[i]])
				seen[fv[i]] = true
			}
		}
		for _, count := range []int{1, 2, n, 3 * n} {
			fs := bulks(t, do(db, "HRANDFIELD", key, strconv.Itoa(-count)))
			require.Len(t, fs, count) // may repeat
			for _, f := range fs {
				require.Contains(t, m, f)
			}
			fv := bulks(t, do(db, "HRANDFIELD", key, strconv.Itoa(-count), "withValues"))
			require.Len(t, fv, 2*count)
			for i := 0; i < len(fv); i += 2 {
				require.Equal(t, m[fv[i]], fv[i+1])
			}
		}
		// Every field turns up eventually.
		got := map[string]bool{}
		for _, f := range bulks(t, do(db, "HRANDFIELD", key, strconv.Itoa(-50*n))) {
			got[f] = true
		}
		require.Len(t, got, n)
	}

	requireErr(t, do(db, "HRANDFIELD", "h3", "abc"), hashNotInt)
	requireErr(t, do(db, "HRANDFIELD", "h3", "1.5"), hashNotInt)
	requireErr(t, do(db, "HRANDFIELD", "h3", "1", "bogus"), hashSyntax)
	requireErr(t, do(db, "HRANDFIELD", "h3", "1", "WITHVALUES", "x"), hashSyntax)
	requireErr(t, do(db, "HRANDFIELD", "nokey", "1", "bogus"), hashSyntax)
	requireErr(t, do(db, "HRANDFIELD", "h3", "-9223372036854775808"),
		"ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807")
	requireErr(t, do(db, "HRANDFIELD", "h3", "-9223372036854775808", "bogus"),
		"ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807")
	requireErr(t, do(db, "HRANDFIELD", "h3", "4611686018427387904", "WITHVALUES"), "ERR value is out of range")
	requireErr(t, do(db, "HRANDFIELD", "h3", "-4611686018427387904", "WITHVALUES"), "ERR value is out of range")
	require.Len(t, bulks(t, do(db, "HRANDFIELD", "h3", "4611686018427387903", "WITHVALUES")), 6)
	require.Len(t, bulks(t, do(db, "HRANDFIELD", "h3", "9223372036854775807")), 3)
	// Refused rather than built in memory.
	requireErr(t, do(db, "HRANDFIELD", "h3", "-4194305"), hashTooLargeNeg)
	requireErr(t, do(db, "HRANDFIELD", "h3", "-4611686018427387903", "WITHVALUES"), hashTooLargeNeg)

	// Typed API.
	f, ok, err := db.HRandField("h3")
	require.NoError(t, err)
	require.True(t, ok)
	require.Contains(t, []string{"f0", "f1", "f2"}, f)
	_, ok, err = db.HRandField("nokey")
	require.NoError(t, err)
	require.False(t, ok)
	fs, err := db.HRandFields("h3", 10)
	require.NoError(t, err)
	require.ElementsMatch(t, []string{"f0", "f1", "f2"}, fs)
	fs, err = db.HRandFields("h3", -7)
	require.NoError(t, err)
	require.Len(t, fs, 7)
	fs, err = db.HRandFields("nokey", 3)
	require.NoError(t, err)
	require.Empty(t, fs)
	fvs, err := db.HRandFieldsWithValues("h3", 2)
	require.NoError(t, err)
	require.Len(t, fvs, 2)
	for _, p := range fvs {
		require.Equal(t, "v"+p.Field[1:], string(p.Value))
	}
	_, err = db.HRandFields("h3", -4194305)
	require.EqualError(t, err, hashTooLargeNeg)
}

func hashScanPairs(t testing.TB, r engine.Reply) (cursor string, pairs map[string]string) {
	t.Helper()
	require.Equal(t, engine.ReplyArray, r.Kind, "reply: %s", r)
	require.Len(t, r.Array, 2)
	require.Equal(t, engine.ReplyBulk, r.Array[0].Kind)
	a := bulks(t, r.Array[1])
	require.Zero(t, len(a)%2)
	pairs = map[string]string{}
	for i := 0; i < len(a); i += 2 {
		pairs[a[i]] = a[i+1]
	}
	return string(r.Array[0].Bulk), pairs
}

func TestHashScan(t *testing.T) {
	db, _ := openDB(t)
	// A missing key answers an empty scan, whatever the options.
	for _, opts := range [][]string{nil, {"BOGUS"}, {"COUNT", "0"}, {"MATCH"}, {"TYPE", "string"}} {
		c, p := hashScanPairs(t, do(db, append([]string{"HSCAN", "nokey", "0"}, opts...)...))
		require.Equal(t, "0", c)
		require.Empty(t, p)
	}
	requireErr(t, do(db, "HSCAN", "nokey", "abc"), "ERR invalid cursor")
	requireErr(t, do(db, "HSCAN", "nokey", "1.5"), "ERR invalid cursor")
	requireErr(t, do(db, "HSCAN", "nokey", "18446744073709551616"), "ERR invalid cursor")

	m := hashFill(t, db, "small", 5)
	requireInt(t, do(db, "HSET", "small", "", "e", "xyz", "w"), 2)
	m[""], m["xyz"] = "e", "w"
	// A small hash comes whole in one call, whatever the cursor and count.
	for _, cur := range []string{"0", "7", "-1"} {
		c, p := hashScanPairs(t, do(db, "HSCAN", "small", cur, "COUNT", "1"))
		require.Equal(t, "0", c)
		require.Equal(t, m, p)
	}
	_, p := hashScanPairs(t, do(db, "HSCAN", "small", "0", "MATCH", "f[0-2]"))
	require.Equal(t, map[string]string{"f0": "v0", "f1": "v1", "f2": "v2"}, p)
	_, p = hashScanPairs(t, do(db, "HSCAN", "small", "0", "match", "*"))
	require.Equal(t, m, p) // "*" matches the empty field too, as in Redis
	_, p = hashScanPairs(t, do(db, "HSCAN", "small", "0", "MATCH", ""))
	require.Equal(t, map[string]string{"": "e"}, p)
	_, p = hashScanPairs(t, do(db, "HSCAN", "small", "0", "MATCH", "v*"))
	require.Empty(t, p) // the pattern applies to fields, not values
	_, p = hashScanPairs(t, do(db, "HSCAN", "small", "0", "MATCH", "x*", "COUNT", "5", "MATCH", "f4"))
	require.Equal(t, map[string]string{"f4": "v4"}, p) // the last MATCH wins

	for opts, want := range map[string]string{
		"COUNT 0": hashSyntax, "COUNT -1": hashSyntax, "COUNT abc": hashNotInt, "COUNT": hashSyntax,
		"MATCH": hashSyntax, "TYPE string": hashSyntax, "BOGUS 1": hashSyntax, "NOVALUES": hashSyntax,
	} {
		requireErr(t, do(db, append([]string{"HSCAN", "small", "0"}, strings.Fields(opts)...)...), want)
	}

	// A large hash in many calls: every field at least once.
	big := hashFill(t, db, "big", 1000)
	for _, count := range []string{"1", "10", "77", "5000"} {
		got := map[string]string{}
		cursor := "0"
		for calls := 0; ; calls++ {
			require.Less(t, calls, 5000)
			c, p := hashScanPairs(t, do(db, "HSCAN", "big", cursor, "COUNT", count))
			maps.Copy(got, p)
			if cursor = c; cursor == "0" {
				break
			}
		}
		require.Equal(t, big, got)
	}
	got := map[string]string{}
	cursor := "0"
	for {
		c, p := hashScanPairs(t, do(db, "HSCAN", "big", cursor, "MATCH", "f1?"))
		maps.Copy(got, p)
		if cursor = c; cursor == "0" {
			break
		}
	}
	require.Len(t, got, 10)

	// Typed API, with writes between the calls: fields present throughout
	// come back.
	var cur uint64
	seen := map[string]bool{}
	for i := 0; ; i++ {
		fvs, next, err := db.HScan("big", cur, engine.HScanArgs{Count: 20})
		require.NoError(t, err)
		for _, p := range fvs {
			require.Equal(t, "v"+p.Field[1:], string(p.Value))
			seen[p.Field] = true
		}
		// Delete fields already returned (f0..f9 stay), add new ones.
		requireInt(t, do(db, "HDEL", "big", "f"+strconv.Itoa(999-i)), 1)
		requireInt(t, do(db, "HSET", "big", "g"+strconv.Itoa(i), "vx"), 1)
		if cur = next; cur == 0 {
			break
		}
	}
	for i := range 10 {
		require.True(t, seen["f"+strconv.Itoa(i)])
	}
	fvs, next, err := db.HScan("small", 0, engine.HScanArgs{Match: "f*"})
	require.NoError(t, err)
	require.Zero(t, next)
	require.Len(t, fvs, 5)
	fvs, next, err = db.HScan("nokey", 0, engine.HScanArgs{})
	require.NoError(t, err)
	require.Zero(t, next)
	require.Empty(t, fvs)
	_, _, err = db.HScan("small", 0, engine.HScanArgs{Count: -1})
	require.ErrorIs(t, err, engine.ErrSyntax)
}

func TestHashTypedAPI(t *testing.T) {
	db, _ := openDB(t)
	n, err := db.HSet("user:1", engine.FieldValue{"name", []byte("Ada")}, engine.FieldValue{"born", []byte("1815")})
	require.NoError(t, err)
	require.Equal(t, 2, n)
	n, err = db.HSet("user:1", engine.FieldValue{"name", []byte("Ada Lovelace")})
	require.NoError(t, err)
	require.Zero(t, n)
	_, err = db.HSet("user:1")
	require.EqualError(t, err, "ERR wrong number of arguments for 'hset' command")

	v, ok, err := db.HGet("user:1", "name")
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, "Ada Lovelace", string(v))
	v, ok, err = db.HGet("user:1", "nosuch")
	require.NoError(t, err)
	require.False(t, ok)
	require.Nil(t, v)
	_, ok, err = db.HGet("nokey", "name")
	require.NoError(t, err)
	require.False(t, ok)

	ok, err = db.HSetNX("user:1", "name", []byte("x"))
	require.NoError(t, err)
	require.False(t, ok)
	ok, err = db.HSetNX("user:1", "empty", nil)
	require.NoError(t, err)
	require.True(t, ok)

	vs, err := db.HMGet("user:1", "born", "nosuch", "empty")
	require.NoError(t, err)
	require.Equal(t, "1815", string(vs[0]))
	require.Nil(t, vs[1])
	require.NotNil(t, vs[2]) // present but empty
	require.Empty(t, vs[2])
	vs, err = db.HMGet("nokey", "a")
	require.NoError(t, err)
	require.Equal(t, [][]byte{nil}, vs)

	l, err := db.HLen("user:1")
	require.NoError(t, err)
	require.Equal(t, 3, l)
	ok, err = db.HExists("user:1", "born")
	require.NoError(t, err)
	require.True(t, ok)
	sl, err := db.HStrLen("user:1", "name")
	require.NoError(t, err)
	require.Equal(t, 12, sl)

	all, err := db.HGetAll("user:1")
	require.NoError(t, err)
	require.Equal(t, map[string][]byte{"name": []byte("Ada Lovelace"), "born": []byte("1815"), "empty": {}}, all)

	d, err := db.HDel("user:1", "born", "nosuch")
	require.NoError(t, err)
	require.Equal(t, 1, d)
	d, err = db.HDel("user:1", "name", "empty")
	require.NoError(t, err)
	require.Equal(t, 2, d)
	require.Equal(t, engine.TypeNone, db.Type("user:1"))
	l, err = db.HLen("user:1")
	require.NoError(t, err)
	require.Zero(t, l)

	// Values passed in are copied.
	buf := []byte("abc")
	_, err = db.HSet("c", engine.FieldValue{"f", buf})
	require.NoError(t, err)
	buf[0] = 'X'
	v, _, _ = db.HGet("c", "f")
	require.Equal(t, "abc", string(v))
}

func TestHashHitsMisses(t *testing.T) {
	db, _ := openDB(t)
	requireInt(t, do(db, "HSET", "h", "a", "1"), 1)
	stats := func() (int64, int64) {
		st := db.Stats().Total
		return st.Hits, st.Misses
	}
	h0, m0 := stats()
	reads := [][]string{{"HGET", "h", "a"}, {"HMGET", "h", "a"}, {"HLEN", "h"}, {"HEXISTS", "h", "a"},
		{"HKEYS", "h"}, {"HVALS", "h"}, {"HGETALL", "h"}, {"HSTRLEN", "h", "a"}, {"HRANDFIELD", "h"},
		{"HRANDFIELD", "h", "2"}, {"HSCAN", "h", "0"}}
	for _, c := range reads {
		do(db, c...)
		c[1] = "missing"
		do(db, c...)
	}
	h1, m1 := stats()
	require.Equal(t, h0+int64(len(reads)), h1)
	require.Equal(t, m0+int64(len(reads)), m1)
	// Writes count neither.
	do(db, "HSET", "h", "b", "2")
	do(db, "HDEL", "missing", "a")
	do(db, "HINCRBY", "h", "n", "1")
	do(db, "HINCRBYFLOAT", "h", "x", "1")
	do(db, "HSETNX", "h", "a", "1")
	h2, m2 := stats()
	require.Equal(t, h1, h2)
	require.Equal(t, m1, m2)
}

func TestHashCopyRename(t *testing.T) {
	db, _ := openDB(t)
	for _, n := range []int{3, 300} {
		src, dst := "s"+strconv.Itoa(n), "d"+strconv.Itoa(n)
		m := hashFill(t, db, src, n)
		requireInt(t, do(db, "COPY", src, dst), 1)
		requireInt(t, do(db, "HSET", src, "f1", "changed", "extra", "x"), 1)
		requireInt(t, do(db, "HDEL", src, "f0"), 1)
		require.Equal(t, m, hashAll(t, db, dst)) // a deep copy
		requireOK(t, do(db, "RENAME", dst, "r"))
		require.Equal(t, m, hashAll(t, db, "r"))
		requireInt(t, do(db, "DEL", "r"), 1)
	}
	st := db.Stats().Total
	require.EqualValues(t, db.DBSize(), st.TotalKeys())
}

func TestHashCommandTable(t *testing.T) {
	want := map[string]struct {
		arity int
		flags []string
	}{
		"hset": {-4, []string{"write", "denyoom", "fast"}}, "hmset": {-4, []string{"write", "denyoom", "fast"}},
		"hsetnx": {4, []string{"write", "denyoom", "fast"}}, "hget": {3, []string{"readonly", "fast"}},
		"hmget": {-3, []string{"readonly", "fast"}}, "hdel": {-3, []string{"write", "fast"}},
		"hlen": {2, []string{"readonly", "fast"}}, "hexists": {3, []string{"readonly", "fast"}},
		"hstrlen": {3, []string{"readonly", "fast"}}, "hkeys": {2, []string{"readonly"}},
		"hvals": {2, []string{"readonly"}}, "hgetall": {2, []string{"readonly"}},
		"hincrby": {4, []string{"write", "denyoom", "fast"}}, "hincrbyfloat": {4, []string{"write", "denyoom", "fast"}},
		"hrandfield": {-2, []string{"readonly"}}, "hscan": {-3, []string{"readonly"}},
	}
	for name, w := range want {
		c := engine.LookupCommand([]byte(strings.ToUpper(name)))
		require.NotNil(t, c, name)
		require.Equal(t, w.arity, c.Arity, name)
		require.ElementsMatch(t, w.flags, c.Flags.Names(), name)
		require.Equal(t, []int{1, 1, 1}, []int{c.FirstKey, c.LastKey, c.Step}, name)
	}
}

// TestHashModel runs random operations, through Do and the typed API,
// against a map model, on hashes that grow past the packed form.
func TestHashModel(t *testing.T) {
	db, _ := openDB(t)
	rng := rand.New(rand.NewPCG(3, 4))
	model := map[string]map[string]string{}
	keys := []string{"a", "b", "{x}c"}
	field := func() string {
		if rng.IntN(10) == 0 {
			return "" // the empty field
		}
		return "f" + strconv.Itoa(rng.IntN(300))
	}
	value := func() string {
		switch rng.IntN(6) {
		case 0:
			return strings.Repeat("z", 60+rng.IntN(10)) // around the packed limit
		case 1:
			return strconv.Itoa(rng.IntN(100))
		}
		return "v" + strconv.Itoa(rng.IntN(1000))
	}
	for i := range 20000 {
		k := keys[rng.IntN(len(keys))]
		m := model[k]
		switch rng.IntN(9) {
		case 0, 1, 2:
			args := []string{"HSET", k}
			nw := map[string]bool{}
			for range 1 + rng.IntN(4) {
				f, v := field(), value()
				args = append(args, f, v)
				if _, ok := m[f]; !ok {
					nw[f] = true
				}
				if m == nil {
					m = map[string]string{}
					model[k] = m
				}
				m[f] = v
			}
			requireInt(t, do(db, args...), int64(len(nw)))
		case 3, 4:
			fs := []string{field(), field()}
			n := 0
			for _, f := range slices.Compact(slices.Sorted(slices.Values(fs))) {
				if _, ok := m[f]; ok {
					n++
					delete(m, f)
				}
			}
			if len(m) == 0 {
				delete(model, k)
			}
			d, err := db.HDel(k, fs...)
			require.NoError(t, err)
			require.Equal(t, n, d)
		case 5:
			f := field()
			v, ok, err := db.HGet(k, f)
			require.NoError(t, err)
			mv, mok := m[f]
			require.Equal(t, mok, ok)
			require.Equal(t, mv, string(v))
		case 6:
			f := field()
			cur, _ := strconv.ParseInt(m[f], 10, 64)
			_, isNum := m[f]
			if isNum {
				_, err := strconv.ParseInt(m[f], 10, 64)
				isNum = err == nil && strconv.FormatInt(cur, 10) == m[f]
			}
			r := do(db, "HINCRBY", k, f, "3")
			if _, ok := m[f]; ok && !isNum {
				requireErr(t, r, "ERR hash value is not an integer")
				break
			}
			requireInt(t, r, cur+3)
			if m == nil {
				m = map[string]string{}
				model[k] = m
			}
			m[f] = strconv.FormatInt(cur+3, 10)
		case 7:
			requireInt(t, do(db, "HLEN", k), int64(len(m)))
		default:
			if i%50 == 0 {
				require.Equal(t, modelOrEmpty(m), hashAll(t, db, k))
			}
		}
	}
	for _, k := range keys {
		require.Equal(t, modelOrEmpty(model[k]), hashAll(t, db, k))
		require.Equal(t, len(model[k]) > 0, db.Exists(k) == 1)
	}
}

func modelOrEmpty(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

// TestHashConcurrentIncr: HINCRBY is atomic.
func TestHashConcurrentIncr(t *testing.T) {
	db, _ := openDB(t)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 500 {
				_, err := db.HIncrBy("counters", "c"+strconv.Itoa(i%3), 1)
				require.NoError(t, err)
				if g == 0 && i%10 == 0 {
					_, err := db.HGetAll("counters")
					require.NoError(t, err)
				}
			}
		}()
	}
	wg.Wait()
	all, err := db.HGetAll("counters")
	require.NoError(t, err)
	total := 0
	for _, v := range all {
		n, err := strconv.Atoi(string(v))
		require.NoError(t, err)
		total += n
	}
	require.Equal(t, 2000, total)
}

func ExampleDB_HSet() {
	db, _ := engine.Open(engine.Options{ExpireInterval: -1})
	defer db.Close()

	n, _ := db.HSet("user:42",
		engine.FieldValue{Field: "name", Value: []byte("Ada")},
		engine.FieldValue{Field: "visits", Value: []byte("1")})
	fmt.Println(n)

	visits, _ := db.HIncrBy("user:42", "visits", 2)
	fmt.Println(visits)

	name, ok, _ := db.HGet("user:42", "name")
	fmt.Println(string(name), ok)

	all, _ := db.HGetAll("user:42")
	for _, f := range slices.Sorted(maps.Keys(all)) {
		fmt.Printf("%s=%s\n", f, all[f])
	}

	removed, _ := db.HDel("user:42", "name", "visits")
	fmt.Println(removed, db.Exists("user:42"))

	_ = db.Set("greeting", []byte("hello"))
	_, err := db.HSet("greeting", engine.FieldValue{Field: "f", Value: []byte("v")})
	fmt.Println(err)
	// Output:
	// 2
	// 3
	// Ada true
	// name=Ada
	// visits=3
	// 2 0
	// WRONGTYPE Operation against a key holding the wrong kind of value
}

// TestHashDoRandomArgs feeds every hash command random arguments, good and
// bad: no panic, a well-formed reply, consistent key accounting, and never
// an empty hash left behind.
func TestHashDoRandomArgs(t *testing.T) {
	db, _ := openDB(t)
	rng := rand.New(rand.NewPCG(7, 8))
	names := []string{"HSET", "HMSET", "HSETNX", "HGET", "HMGET", "HDEL", "HLEN", "HEXISTS", "HSTRLEN", "HKEYS",
		"HVALS", "HGETALL", "HINCRBY", "HINCRBYFLOAT", "HRANDFIELD", "HSCAN", "SET", "DEL"}
	keys := []string{"a", "b", "c"}
	pool := []string{"", "0", "1", "-1", "f", "g", "h", "7", "1.5", "inf", "-inf", "nan", "abc", "1e4932", "-1e4932",
		"9223372036854775807", "-9223372036854775808", "WITHVALUES", "MATCH", "COUNT", "*", "f*", "-5",
		"-4194305", "4611686018427387904", strings.Repeat("x", 80), "\x00", "0x10", " 1"}
	for range 30000 {
		args := []string{names[rng.IntN(len(names))], keys[rng.IntN(len(keys))]}
		for range rng.IntN(6) {
			args = append(args, pool[rng.IntN(len(pool))])
		}
		r := do(db, args...)
		if r.IsError() {
			require.NotEmpty(t, r.Err.Error())
		}
	}
	for _, k := range keys {
		if db.Type(k) == engine.TypeHash {
			n, err := db.HLen(k)
			require.NoError(t, err)
			require.Positive(t, n)
		}
	}
	st := db.Stats().Total
	require.EqualValues(t, db.DBSize(), st.TotalKeys())
}
