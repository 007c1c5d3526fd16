package engine_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/jackdawdb/jackdaw/engine"
)

const setWrongTypeErr = "WRONGTYPE Operation against a key holding the wrong kind of value"

// setSorted returns an array reply's bulk strings, setSorted.
func setSorted(t testing.TB, r engine.Reply) []string {
	t.Helper()
	out := bulks(t, r)
	slices.Sort(out)
	return out
}

// setStrs turns members into setSorted strings.
func setStrs(ms [][]byte) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = string(m)
	}
	slices.Sort(out)
	return out
}

func setBytes(ss ...string) [][]byte {
	out := make([][]byte, len(ss))
	for i, s := range ss {
		out[i] = []byte(s)
	}
	return out
}

// setInts returns an array reply's integers.
func setInts(t testing.TB, r engine.Reply) []int64 {
	t.Helper()
	require.Equal(t, engine.ReplyArray, r.Kind, "reply: %s", r)
	out := make([]int64, len(r.Array))
	for i, e := range r.Array {
		require.Equal(t, engine.ReplyInt, e.Kind, "element %d: %s", i, e)
		out[i] = e.Int
	}
	return out
}

// setShardOf returns the index of the shard that key (which must not exist)
// routes to, by storing it and watching the per-shard key counts.
func setShardOf(t testing.TB, db *engine.DB, key string) int {
	t.Helper()
	st0 := db.Stats()
	require.NoError(t, db.Set(key, []byte("x")))
	st1 := db.Stats()
	db.Del(key)
	for i := range st0.Shards {
		if st1.Shards[i].TotalKeys() != st0.Shards[i].TotalKeys() {
			return i
		}
	}
	t.Fatalf("key %q not found in any shard", key)
	return -1
}

// setTwoShardKeys returns two keys that live on different shards.
func setTwoShardKeys(t testing.TB, db *engine.DB) (string, string) {
	t.Helper()
	a := "{a}set"
	sa := setShardOf(t, db, a)
	for i := range 1000 {
		b := "{b" + strconv.Itoa(i) + "}set"
		if setShardOf(t, db, b) != sa {
			return a, b
		}
	}
	t.Fatal("no two keys on different shards")
	return "", ""
}

func TestSAddSRemSCard(t *testing.T) {
	db, _ := openDB(t)
	requireInt(t, do(db, "SADD", "s", "a", "b", "c", "a"), 3)
	requireInt(t, do(db, "SADD", "s", "b", "d"), 1)
	requireInt(t, do(db, "SCARD", "s"), 4)
	requireInt(t, do(db, "SCARD", "nokey"), 0)
	requireStatus(t, do(db, "TYPE", "s"), "set")
	require.Equal(t, []string{"a", "b", "c", "d"}, setSorted(t, do(db, "SMEMBERS", "s")))
	require.Equal(t, "(empty array)", do(db, "SMEMBERS", "nokey").String())

	requireInt(t, do(db, "SREM", "s", "a", "zz", "a"), 1)
	requireInt(t, do(db, "SREM", "nokey", "a"), 0)
	requireInt(t, do(db, "SCARD", "s"), 3)

	// Removing the last member deletes the key (and its TTL).
	requireInt(t, do(db, "EXPIRE", "s", "100"), 1)
	requireInt(t, do(db, "SREM", "s", "b", "c", "d"), 3)
	requireInt(t, do(db, "EXISTS", "s"), 0)
	requireStatus(t, do(db, "TYPE", "s"), "none")
	requireInt(t, do(db, "SADD", "s", "x"), 1)
	requireInt(t, do(db, "TTL", "s"), -1)
	require.Zero(t, db.Stats().Total.Keys[engine.TypeSet]-1)

	// Binary-safe members, the empty member included.
	requireInt(t, do(db, "SADD", "b", "", "\x00\xff", "crlf\r\n"), 3)
	requireInt(t, do(db, "SISMEMBER", "b", ""), 1)
	requireInt(t, do(db, "SISMEMBER", "b", "\x00\xff"), 1)
	require.Equal(t, []string{"", "\x00\xff", "crlf\r\n"}, setSorted(t, do(db, "SMEMBERS", "b")))

	// Arity.
	requireErr(t, do(db, "SADD", "s"), "ERR wrong number of arguments for 'sadd' command")
	requireErr(t, do(db, "SREM", "s"), "ERR wrong number of arguments for 'srem' command")
	requireErr(t, do(db, "SCARD", "s", "x"), "ERR wrong number of arguments for 'scard' command")
}

func TestSetTypedAPI(t *testing.T) {
	db, _ := openDB(t)
	n, err := db.SAdd("s", setBytes("a", "b", "c")...)
	require.NoError(t, err)
	require.Equal(t, 3, n)
	n, err = db.SAdd("s")
	require.NoError(t, err)
	require.Zero(t, n)
	n, err = db.SAdd("empty")
	require.NoError(t, err)
	require.Zero(t, n)
	require.Zero(t, db.Exists("empty"), "adding no members creates no key")

	ok, err := db.SIsMember("s", []byte("a"))
	require.NoError(t, err)
	require.True(t, ok)
	ok, err = db.SIsMember("nokey", []byte("a"))
	require.NoError(t, err)
	require.False(t, ok)
	oks, err := db.SMIsMember("s", setBytes("a", "x", "c")...)
	require.NoError(t, err)
	require.Equal(t, []bool{true, false, true}, oks)

	c, err := db.SCard("s")
	require.NoError(t, err)
	require.Equal(t, 3, c)

	// Members passed in are copied.
	in := []byte("mutable")
	_, err = db.SAdd("s", in)
	require.NoError(t, err)
	in[0] = 'M'
	ok, _ = db.SIsMember("s", []byte("mutable"))
	require.True(t, ok)

	// Members returned do not change when the set does.
	ms, err := db.SMembers("s")
	require.NoError(t, err)
	require.Equal(t, []string{"a", "b", "c", "mutable"}, setStrs(ms))
	_, err = db.SRem("s", setBytes("a", "b")...)
	require.NoError(t, err)
	_, err = db.SAdd("s", setBytes("zzzzzzzzzz", "yyyyyyyyyy", "xxxxxxxxxx")...)
	require.NoError(t, err)
	require.Equal(t, []string{"a", "b", "c", "mutable"}, setStrs(ms))

	n, err = db.SRem("s", setBytes("c", "mutable", "xxxxxxxxxx", "yyyyyyyyyy", "zzzzzzzzzz", "nope")...)
	require.NoError(t, err)
	require.Equal(t, 5, n)
	require.Zero(t, db.Exists("s"))

	ms, err = db.SMembers("nokey")
	require.NoError(t, err)
	require.Empty(t, ms)

	// Wrong type everywhere.
	require.NoError(t, db.Set("str", []byte("v")))
	_, err = db.SAdd("str", []byte("a"))
	require.ErrorIs(t, err, engine.ErrWrongType)
	_, err = db.SRem("str", []byte("a"))
	require.ErrorIs(t, err, engine.ErrWrongType)
	_, err = db.SCard("str")
	require.ErrorIs(t, err, engine.ErrWrongType)
	_, err = db.SIsMember("str", []byte("a"))
	require.ErrorIs(t, err, engine.ErrWrongType)
	_, err = db.SMembers("str")
	require.ErrorIs(t, err, engine.ErrWrongType)
	_, err = db.SPop("str", 1)
	require.ErrorIs(t, err, engine.ErrWrongType)
	_, err = db.SRandMember("str", 1)
	require.ErrorIs(t, err, engine.ErrWrongType)
	_, err = db.SInter("str")
	require.ErrorIs(t, err, engine.ErrWrongType)
	_, _, err = db.SScan("str", 0, "", 0)
	require.ErrorIs(t, err, engine.ErrWrongType)
	v, _ := mustGet(t, db, "str")
	require.Equal(t, "v", v)

	// Typed calls without keys, with bad counts.
	_, err = db.SInter()
	require.EqualError(t, err, "ERR wrong number of arguments for 'sinter' command")
	_, err = db.SUnionStore("d")
	require.EqualError(t, err, "ERR wrong number of arguments for 'sunionstore' command")
	_, err = db.SInterCard(0)
	require.EqualError(t, err, "ERR numkeys should be greater than 0")
	_, err = db.SInterCard(-1, "s")
	require.EqualError(t, err, "ERR LIMIT can't be negative")
	_, err = db.SPop("s", -1)
	require.EqualError(t, err, "ERR value is out of range, must be positive")
	_, err = db.SRandMember("s", -1<<40)
	require.Error(t, err)
	_, _, err = db.SScan("s", 0, "", -1)
	require.ErrorIs(t, err, engine.ErrSyntax)
}

func TestSetWrongType(t *testing.T) {
	db, _ := openDB(t)
	requireOK(t, do(db, "SET", "str", "v"))
	requireInt(t, do(db, "SADD", "set", "a"), 1)
	for _, c := range [][]string{
		{"SADD", "str", "a"}, {"SREM", "str", "a"}, {"SCARD", "str"}, {"SISMEMBER", "str", "a"},
		{"SMISMEMBER", "str", "a"}, {"SMEMBERS", "str"}, {"SPOP", "str"}, {"SPOP", "str", "0"},
		{"SRANDMEMBER", "str"}, {"SRANDMEMBER", "str", "0"}, {"SMOVE", "str", "set", "a"},
		{"SMOVE", "set", "str", "a"}, {"SMOVE", "str", "str", "a"}, {"SMOVE", "set", "str", "nope"},
		{"SINTER", "str"}, {"SINTER", "set", "str"}, {"SINTER", "nokey", "str"}, {"SINTER", "str", "nokey"},
		{"SUNION", "nokey", "str"}, {"SDIFF", "nokey", "str"}, {"SDIFF", "str"},
		{"SINTERSTORE", "d", "nokey", "str"}, {"SUNIONSTORE", "d", "set", "str"}, {"SDIFFSTORE", "d", "str", "set"},
		{"SINTERCARD", "2", "nokey", "str"}, {"SSCAN", "str", "0"}, {"SSCAN", "str", "0", "BOGUS"},
		// and the string commands against a set
		{"GET", "set"}, {"APPEND", "set", "x"}, {"INCR", "set"}, {"STRLEN", "set"}, {"GETRANGE", "set", "0", "1"},
	} {
		requireErr(t, do(db, c...), setWrongTypeErr)
	}
	requireBulk(t, do(db, "GET", "str"), "v")
	require.Equal(t, []string{"a"}, setSorted(t, do(db, "SMEMBERS", "set")))
	requireInt(t, do(db, "EXISTS", "d"), 0)

	// SMOVE from a missing key is 0 before any type check.
	requireInt(t, do(db, "SMOVE", "nokey", "str", "a"), 0)
	// SET replaces a set.
	requireOK(t, do(db, "SET", "set", "now a string"))
	requireBulk(t, do(db, "GET", "set"), "now a string")
}

func TestSIsMemberSMIsMember(t *testing.T) {
	db, _ := openDB(t)
	requireInt(t, do(db, "SADD", "s", "a", "b"), 2)
	requireInt(t, do(db, "SISMEMBER", "s", "a"), 1)
	requireInt(t, do(db, "SISMEMBER", "s", "z"), 0)
	requireInt(t, do(db, "SISMEMBER", "nokey", "a"), 0)
	require.Equal(t, []int64{1, 0, 1, 1}, setInts(t, do(db, "SMISMEMBER", "s", "a", "z", "b", "a")))
	require.Equal(t, []int64{0, 0}, setInts(t, do(db, "SMISMEMBER", "nokey", "a", "b")))
	requireErr(t, do(db, "SISMEMBER", "s"), "ERR wrong number of arguments for 'sismember' command")
	requireErr(t, do(db, "SISMEMBER", "s", "a", "b"), "ERR wrong number of arguments for 'sismember' command")
	requireErr(t, do(db, "SMISMEMBER", "s"), "ERR wrong number of arguments for 'smismember' command")
}

func TestSPop(t *testing.T) {
	db, _ := openDB(t)
	requireNil(t, do(db, "SPOP", "nokey"))
	require.Equal(t, "(empty array)", do(db, "SPOP", "nokey", "3").String())
	requireErr(t, do(db, "SPOP", "s", "1", "2"), "ERR syntax error")
	for _, bad := range []string{"-1", "abc", "", "1.5", "-9223372036854775808", "99999999999999999999"} {
		requireErr(t, do(db, "SPOP", "s", bad), "ERR value is out of range, must be positive")
	}

	requireInt(t, do(db, "SADD", "s", "a", "b", "c", "d", "e"), 5)
	require.Equal(t, "(empty array)", do(db, "SPOP", "s", "0").String())
	requireInt(t, do(db, "SCARD", "s"), 5)

	// Without a count: one bulk member, removed.
	r := do(db, "SPOP", "s")
	require.Equal(t, engine.ReplyBulk, r.Kind)
	requireInt(t, do(db, "SISMEMBER", "s", string(r.Bulk)), 0)
	requireInt(t, do(db, "SCARD", "s"), 4)

	// With a count: distinct members of the set, removed.
	popped := bulks(t, do(db, "SPOP", "s", "3"))
	require.Len(t, popped, 3)
	require.Len(t, setUniq(popped), 3)
	require.NotContains(t, popped, string(r.Bulk))
	for _, m := range popped {
		require.Contains(t, []string{"a", "b", "c", "d", "e"}, m)
		requireInt(t, do(db, "SISMEMBER", "s", m), 0)
	}
	requireInt(t, do(db, "SCARD", "s"), 1)

	// A count beyond the size pops everything and deletes the key.
	requireInt(t, do(db, "EXPIRE", "s", "100"), 1)
	require.Len(t, bulks(t, do(db, "SPOP", "s", "9223372036854775807")), 1)
	requireInt(t, do(db, "EXISTS", "s"), 0)

	// Popping the last member without a count deletes the key too.
	requireInt(t, do(db, "SADD", "one", "x"), 1)
	requireBulk(t, do(db, "SPOP", "one"), "x")
	requireInt(t, do(db, "EXISTS", "one"), 0)

	// Large sets, by property, through the typed API.
	for _, size := range []int{10, 200, 1000} {
		all := map[string]bool{}
		for i := range size {
			m := "m" + strconv.Itoa(i)
			all[m] = true
			_, err := db.SAdd("big", []byte(m))
			require.NoError(t, err)
		}
		seen := map[string]bool{}
		for left := size; left > 0; {
			count := 1 + rand.IntN(size/3+1)
			got, err := db.SPop("big", count)
			require.NoError(t, err)
			require.Len(t, got, min(count, left))
			for _, m := range got {
				require.True(t, all[string(m)], "popped %q, not a member", m)
				require.False(t, seen[string(m)], "popped %q twice", m)
				seen[string(m)] = true
			}
			left -= len(got)
			n, err := db.SCard("big")
			require.NoError(t, err)
			require.Equal(t, left, n)
		}
		require.Len(t, seen, size)
		require.Zero(t, db.Exists("big"))
		got, err := db.SPop("big", 5)
		require.NoError(t, err)
		require.Empty(t, got)
	}
}

func TestSRandMember(t *testing.T) {
	db, _ := openDB(t)
	requireNil(t, do(db, "SRANDMEMBER", "nokey"))
	for _, c := range []string{"5", "-5", "0"} {
		require.Equal(t, "(empty array)", do(db, "SRANDMEMBER", "nokey", c).String())
	}
	requireErr(t, do(db, "SRANDMEMBER", "s", "1", "2"), "ERR syntax error")
	requireErr(t, do(db, "SRANDMEMBER", "s", "abc"), "ERR value is not an integer or out of range")
	requireErr(t, do(db, "SRANDMEMBER", "s", "1.5"), "ERR value is not an integer or out of range")
	requireErr(t, do(db, "SRANDMEMBER", "s", "-9223372036854775808"),
		"ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807")
	require.True(t, do(db, "SRANDMEMBER", "s", "-9223372036854775807").IsError(), "refused, not attempted")

	for _, size := range []int{1, 5, 127, 129, 600} {
		key := "s" + strconv.Itoa(size)
		all := map[string]bool{}
		for i := range size {
			m := strconv.Itoa(i * 7)
			all[m] = true
			requireInt(t, do(db, "SADD", key, m), 1)
		}
		r := do(db, "SRANDMEMBER", key)
		require.Equal(t, engine.ReplyBulk, r.Kind)
		require.True(t, all[string(r.Bulk)])
		require.Equal(t, "(empty array)", do(db, "SRANDMEMBER", key, "0").String())
		for _, count := range []int{1, 2, size / 2, size - 1, size, size + 1, 3 * size, 1 << 40} {
			if count <= 0 {
				continue
			}
			got := bulks(t, do(db, "SRANDMEMBER", key, strconv.Itoa(count)))
			require.Len(t, got, min(count, size), "count %d of %d", count, size)
			require.Len(t, setUniq(got), len(got), "positive count: distinct members")
			for _, m := range got {
				require.True(t, all[m])
			}
		}
		for _, count := range []int{1, 2, size, 3 * size} {
			got := bulks(t, do(db, "SRANDMEMBER", key, strconv.Itoa(-count)))
			require.Len(t, got, count, "negative count: exactly -count members")
			for _, m := range got {
				require.True(t, all[m])
			}
		}
		requireInt(t, do(db, "SCARD", key), int64(size)) // nothing removed
	}

	// Negative counts are bounded: Redis would try to send 2^63 members.
	requireErr(t, do(db, "SRANDMEMBER", "s1", "-4194305"),
		"ERR value is out of range, a negative count must be at least -4194304")
	got, err := db.SRandMember("s1", -1<<22)
	require.NoError(t, err)
	require.Len(t, got, 1<<22)
	_, err = db.SRandMember("s1", -1<<22-1)
	require.Error(t, err)

	// A negative count over a one-member set repeats it.
	got, err = db.SRandMember("s1", -4)
	require.NoError(t, err)
	require.Equal(t, []string{"0", "0", "0", "0"}, setStrs(got))
	// Over a large set, a full positive sample is a permutation; repeated
	// samples eventually differ.
	a, _ := db.SRandMember("s600", 10)
	differs := false
	for range 20 {
		b, _ := db.SRandMember("s600", 10)
		if !slices.Equal(setStrs(a), setStrs(b)) {
			differs = true
			break
		}
	}
	require.True(t, differs, "SRANDMEMBER is not random")
}

func TestSMove(t *testing.T) {
	db, _ := openDB(t)
	src, dst := setTwoShardKeys(t, db)
	requireInt(t, do(db, "SADD", src, "a", "b"), 2)
	requireInt(t, do(db, "SMOVE", src, dst, "a"), 1)
	require.Equal(t, []string{"b"}, setSorted(t, do(db, "SMEMBERS", src)))
	require.Equal(t, []string{"a"}, setSorted(t, do(db, "SMEMBERS", dst)))
	requireInt(t, do(db, "SMOVE", src, dst, "zz"), 0)
	requireInt(t, do(db, "SMOVE", "nokey", dst, "a"), 0)
	// Moving a member the destination already holds still removes it.
	requireInt(t, do(db, "SADD", src, "a"), 1)
	requireInt(t, do(db, "SMOVE", src, dst, "a"), 1)
	requireInt(t, do(db, "SCARD", dst), 1)
	// Moving the last member deletes the source.
	requireInt(t, do(db, "EXPIRE", dst, "1000"), 1)
	requireInt(t, do(db, "SMOVE", src, dst, "b"), 1)
	requireInt(t, do(db, "EXISTS", src), 0)
	require.Equal(t, []string{"a", "b"}, setSorted(t, do(db, "SMEMBERS", dst)))
	requireInt(t, do(db, "TTL", dst), 1000) // the destination keeps its TTL
	// Same source and destination: membership, nothing moves.
	requireInt(t, do(db, "SMOVE", dst, dst, "a"), 1)
	requireInt(t, do(db, "SMOVE", dst, dst, "zz"), 0)
	requireInt(t, do(db, "SCARD", dst), 2)
	// A missing destination is created.
	ok, err := db.SMove(dst, "fresh", []byte("a"))
	require.NoError(t, err)
	require.True(t, ok)
	ok, err = db.SIsMember("fresh", []byte("a"))
	require.NoError(t, err)
	require.True(t, ok)
	requireInt(t, do(db, "TTL", "fresh"), -1)
	// Wrong type on either side, and nothing changed.
	requireOK(t, do(db, "SET", "str", "v"))
	requireErr(t, do(db, "SMOVE", dst, "str", "b"), setWrongTypeErr)
	requireErr(t, do(db, "SMOVE", "str", dst, "b"), setWrongTypeErr)
	requireInt(t, do(db, "SISMEMBER", dst, "b"), 1)
	_, err = db.SMove(dst, "str", []byte("b"))
	require.ErrorIs(t, err, engine.ErrWrongType)
	requireErr(t, do(db, "SMOVE", dst, "str"), "ERR wrong number of arguments for 'smove' command")
}

// setRef builds a reference set.
func setRef(ss ...string) map[string]bool {
	m := map[string]bool{}
	for _, s := range ss {
		m[s] = true
	}
	return m
}

func setRefKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func TestSInterSUnionSDiff(t *testing.T) {
	db, _ := openDB(t)
	requireInt(t, do(db, "SADD", "a", "1", "2", "3", "4"), 4)
	requireInt(t, do(db, "SADD", "{x}b", "3", "4", "5"), 3)
	requireInt(t, do(db, "SADD", "c", "4", "5", "6"), 3)

	require.Equal(t, []string{"3", "4"}, setSorted(t, do(db, "SINTER", "a", "{x}b")))
	require.Equal(t, []string{"4"}, setSorted(t, do(db, "SINTER", "a", "{x}b", "c")))
	require.Equal(t, []string{"1", "2", "3", "4"}, setSorted(t, do(db, "SINTER", "a")))
	require.Equal(t, []string{"1", "2", "3", "4"}, setSorted(t, do(db, "SINTER", "a", "a")))
	require.Equal(t, "(empty array)", do(db, "SINTER", "a", "nokey").String())
	require.Equal(t, "(empty array)", do(db, "SINTER", "nokey").String())

	require.Equal(t, []string{"1", "2", "3", "4", "5", "6"}, setSorted(t, do(db, "SUNION", "a", "{x}b", "c", "nokey")))
	require.Equal(t, []string{"3", "4", "5"}, setSorted(t, do(db, "SUNION", "nokey", "{x}b")))
	require.Equal(t, "(empty array)", do(db, "SUNION", "nokey").String())

	require.Equal(t, []string{"1", "2"}, setSorted(t, do(db, "SDIFF", "a", "{x}b")))
	require.Equal(t, []string{"1", "2"}, setSorted(t, do(db, "SDIFF", "a", "{x}b", "c", "nokey")))
	require.Equal(t, []string{"1", "2", "3", "4"}, setSorted(t, do(db, "SDIFF", "a", "nokey")))
	require.Equal(t, "(empty array)", do(db, "SDIFF", "a", "a").String())
	require.Equal(t, "(empty array)", do(db, "SDIFF", "nokey", "a").String())

	// The type of every key is checked, a missing one notwithstanding.
	requireOK(t, do(db, "SET", "str", "v"))
	requireErr(t, do(db, "SINTER", "nokey", "str"), setWrongTypeErr)
	requireErr(t, do(db, "SDIFF", "nokey", "str"), setWrongTypeErr)
	requireErr(t, do(db, "SUNION", "a", "str"), setWrongTypeErr)
	requireErr(t, do(db, "SINTER"), "ERR wrong number of arguments for 'sinter' command")

	// The typed API.
	ms, err := db.SInter("a", "{x}b")
	require.NoError(t, err)
	require.Equal(t, []string{"3", "4"}, setStrs(ms))
	ms, err = db.SUnion("a", "c")
	require.NoError(t, err)
	require.Equal(t, []string{"1", "2", "3", "4", "5", "6"}, setStrs(ms))
	ms, err = db.SDiff("c", "a")
	require.NoError(t, err)
	require.Equal(t, []string{"5", "6"}, setStrs(ms))
	_, err = db.SDiff("a", "str")
	require.ErrorIs(t, err, engine.ErrWrongType)
}

// TestSetAlgebraRandom checks the algebra against a reference on random
// sets, small (packed) and large.
func TestSetAlgebraRandom(t *testing.T) {
	db, _ := openDB(t)
	r := rand.New(rand.NewPCG(1, 2))
	names := []string{"r0", "r1", "{t}r2", "{t}r3", "missing"}
	for round := range 40 {
		ref := map[string]map[string]bool{}
		db.Del(names...)
		for _, n := range names[:4] {
			ref[n] = map[string]bool{}
			size := r.IntN(300)
			if round%2 == 0 {
				size = r.IntN(20)
			}
			for range size {
				m := strconv.Itoa(r.IntN(400))
				if r.IntN(10) == 0 {
					m += "-a-longer-member-so-that-some-sets-hold-members-past-64-bytes-xxxxxxxxxxxxxxx"
				}
				ref[n][m] = true
				_, err := db.SAdd(n, []byte(m))
				require.NoError(t, err)
			}
		}
		ref["missing"] = map[string]bool{}
		keys := make([]string, 1+r.IntN(4))
		for i := range keys {
			keys[i] = names[r.IntN(len(names))]
		}
		inter, union, diff := map[string]bool{}, map[string]bool{}, map[string]bool{}
		for m := range ref[keys[0]] {
			in, out := true, true
			for _, k := range keys[1:] {
				in = in && ref[k][m]
				out = out && !ref[k][m]
			}
			if in {
				inter[m] = true
			}
			if out {
				diff[m] = true
			}
		}
		for _, k := range keys {
			for m := range ref[k] {
				union[m] = true
			}
		}
		for _, c := range []struct {
			name string
			want map[string]bool
		}{{"SINTER", inter}, {"SUNION", union}, {"SDIFF", diff}} {
			require.Equal(t, setRefKeys(c.want), setSorted(t, do(db, append([]string{c.name}, keys...)...)), "%s %v", c.name, keys)
			requireInt(t, do(db, append([]string{c.name + "STORE", "{t}dst"}, keys...)...), int64(len(c.want)))
			if len(c.want) == 0 {
				requireInt(t, do(db, "EXISTS", "{t}dst"), 0)
			} else {
				require.Equal(t, setRefKeys(c.want), setSorted(t, do(db, "SMEMBERS", "{t}dst")))
			}
		}
		args := append([]string{"SINTERCARD", strconv.Itoa(len(keys))}, keys...)
		requireInt(t, do(db, args...), int64(len(inter)))
		requireInt(t, do(db, append(args, "LIMIT", "3")...), int64(min(3, len(inter))))
	}
}

func TestSetStore(t *testing.T) {
	db, clk := openDB(t)
	requireInt(t, do(db, "SADD", "a", "1", "2", "3"), 3)
	requireInt(t, do(db, "SADD", "b", "2", "3", "4"), 3)

	// STORE onto a string key replaces it, and drops its TTL.
	requireOK(t, do(db, "SET", "d", "string", "EX", "100"))
	requireInt(t, do(db, "SINTERSTORE", "d", "a", "b"), 2)
	requireStatus(t, do(db, "TYPE", "d"), "set")
	requireInt(t, do(db, "TTL", "d"), -1)
	require.Equal(t, []string{"2", "3"}, setSorted(t, do(db, "SMEMBERS", "d")))

	requireInt(t, do(db, "SUNIONSTORE", "d", "a", "b"), 4)
	require.Equal(t, []string{"1", "2", "3", "4"}, setSorted(t, do(db, "SMEMBERS", "d")))
	requireInt(t, do(db, "SDIFFSTORE", "d", "a", "b"), 1)
	require.Equal(t, []string{"1"}, setSorted(t, do(db, "SMEMBERS", "d")))

	// An empty result deletes the destination, whatever it held.
	requireInt(t, do(db, "SINTERSTORE", "d", "a", "nokey"), 0)
	requireInt(t, do(db, "EXISTS", "d"), 0)
	requireOK(t, do(db, "SET", "d", "x"))
	requireInt(t, do(db, "SDIFFSTORE", "d", "a", "a"), 0)
	requireInt(t, do(db, "EXISTS", "d"), 0)
	requireInt(t, do(db, "SUNIONSTORE", "d", "nokey"), 0)
	requireInt(t, do(db, "EXISTS", "d"), 0)

	// The destination may be a source.
	requireInt(t, do(db, "SUNIONSTORE", "a", "a", "b"), 4)
	require.Equal(t, []string{"1", "2", "3", "4"}, setSorted(t, do(db, "SMEMBERS", "a")))
	requireInt(t, do(db, "SDIFFSTORE", "a", "a", "b"), 1)
	require.Equal(t, []string{"1"}, setSorted(t, do(db, "SMEMBERS", "a")))

	// A source of the wrong type leaves the destination alone.
	requireOK(t, do(db, "SET", "str", "v"))
	requireOK(t, do(db, "SET", "d", "keep"))
	requireErr(t, do(db, "SUNIONSTORE", "d", "a", "str"), setWrongTypeErr)
	requireBulk(t, do(db, "GET", "d"), "keep")
	requireErr(t, do(db, "SINTERSTORE", "d", "nokey", "str"), setWrongTypeErr)
	requireBulk(t, do(db, "GET", "d"), "keep")

	// The stored set is a copy: changing a source does not change it.
	requireInt(t, do(db, "SUNIONSTORE", "d", "b"), 3)
	requireInt(t, do(db, "SADD", "b", "9"), 1)
	requireInt(t, do(db, "SCARD", "d"), 3)

	// A stored set with a TTL set later expires like any key.
	requireInt(t, do(db, "PEXPIRE", "d", "10"), 1)
	clk.Advance(11 * time.Millisecond)
	requireInt(t, do(db, "EXISTS", "d"), 0)

	n, err := db.SInterStore("t", "a", "b")
	require.NoError(t, err)
	require.Zero(t, n)
	n, err = db.SUnionStore("t", "a", "b")
	require.NoError(t, err)
	require.Equal(t, 5, n)
	n, err = db.SDiffStore("t", "b", "a")
	require.NoError(t, err)
	require.Equal(t, 4, n)
	_, err = db.SDiffStore("t", "str")
	require.ErrorIs(t, err, engine.ErrWrongType)
	requireErr(t, do(db, "SINTERSTORE", "d"), "ERR wrong number of arguments for 'sinterstore' command")

	st := db.Stats().Total
	require.EqualValues(t, db.DBSize(), st.TotalKeys())
}

// TestSetCrossShardAtomicity: SMOVE and the STORE forms over keys on
// different shards are atomic, so readers of both keys never see a member
// in flight or in both places.
func TestSetCrossShardAtomicity(t *testing.T) {
	db, _ := openDB(t)
	x, y := setTwoShardKeys(t, db)
	const n = 50
	for i := range n {
		_, err := db.SAdd(x, []byte(strconv.Itoa(i)))
		require.NoError(t, err)
	}
	dst := y + "dst"
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for w := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(w), 9))
			for {
				select {
				case <-stop:
					return
				default:
				}
				m := []byte(strconv.Itoa(r.IntN(n)))
				if r.IntN(2) == 0 {
					_, _ = db.SMove(x, y, m)
				} else {
					_, _ = db.SMove(y, x, m)
				}
			}
		}()
	}
	ctx := context.Background()
	for range 2000 {
		c, err := db.SUnionStore(dst, x, y)
		require.NoError(t, err)
		require.Equal(t, n, c, "a member in flight")
		c, err = db.SInterStore(dst, x, y)
		require.NoError(t, err)
		require.Zero(t, c, "a member in both sets")
		require.Zero(t, db.Exists(dst))
		r := db.DoStrings(ctx, "SUNIONSTORE", dst, x, y)
		requireInt(t, r, n)
		requireInt(t, db.DoStrings(ctx, "SINTERCARD", "2", x, y), 0)
		u := db.DoStrings(ctx, "SUNION", y, x)
		require.Len(t, u.Array, n)
	}
	close(stop)
	wg.Wait()
	requireInt(t, do(db, "SCARD", dst), n)
}

func TestSInterCard(t *testing.T) {
	db, _ := openDB(t)
	requireInt(t, do(db, "SADD", "a", "1", "2", "3", "4"), 4)
	requireInt(t, do(db, "SADD", "b", "2", "3", "4", "5"), 4)
	requireInt(t, do(db, "SINTERCARD", "2", "a", "b"), 3)
	requireInt(t, do(db, "SINTERCARD", "1", "a"), 4)
	requireInt(t, do(db, "SINTERCARD", "2", "a", "b", "LIMIT", "2"), 2)
	requireInt(t, do(db, "SINTERCARD", "2", "a", "b", "limit", "0"), 3)
	requireInt(t, do(db, "SINTERCARD", "2", "a", "b", "LIMIT", "1", "LIMIT", "10"), 3)
	requireInt(t, do(db, "SINTERCARD", "2", "a", "nokey"), 0)
	requireInt(t, do(db, "SINTERCARD", "2", "a", "a"), 4)
	for _, bad := range []string{"0", "-1", "abc", ""} {
		requireErr(t, do(db, "SINTERCARD", bad, "a"), "ERR numkeys should be greater than 0")
	}
	requireErr(t, do(db, "SINTERCARD", "2", "a"), "ERR Number of keys can't be greater than number of args")
	requireErr(t, do(db, "SINTERCARD", "1", "a", "b"), "ERR syntax error")
	requireErr(t, do(db, "SINTERCARD", "1", "a", "LIMIT"), "ERR syntax error")
	requireErr(t, do(db, "SINTERCARD", "1", "a", "LIMIT", "-1"), "ERR LIMIT can't be negative")
	requireErr(t, do(db, "SINTERCARD", "1", "a", "LIMIT", "x"), "ERR LIMIT can't be negative")
	requireErr(t, do(db, "SINTERCARD", "1"), "ERR wrong number of arguments for 'sintercard' command")
	requireOK(t, do(db, "SET", "str", "v"))
	requireErr(t, do(db, "SINTERCARD", "2", "nokey", "str"), setWrongTypeErr)

	n, err := db.SInterCard(0, "a", "b")
	require.NoError(t, err)
	require.Equal(t, 3, n)
	n, err = db.SInterCard(1, "a", "b")
	require.NoError(t, err)
	require.Equal(t, 1, n)

	c := engine.LookupCommand([]byte("sintercard"))
	require.Zero(t, c.FirstKey, "keys depend on numkeys")
}

// setScanAll runs a full SSCAN iteration through Do.
func setScanAll(t testing.TB, db *engine.DB, key string, opts ...string) []string {
	t.Helper()
	var out []string
	cursor := "0"
	for calls := 0; ; calls++ {
		require.Less(t, calls, 100000, "SSCAN does not terminate")
		r := do(db, append([]string{"SSCAN", key, cursor}, opts...)...)
		require.Equal(t, engine.ReplyArray, r.Kind, "reply: %s", r)
		require.Len(t, r.Array, 2)
		out = append(out, bulks(t, r.Array[1])...)
		cursor = string(r.Array[0].Bulk)
		if cursor == "0" {
			return out
		}
	}
}

func TestSScan(t *testing.T) {
	db, _ := openDB(t)
	require.Equal(t, "1) \"0\"\n2) (empty array)", do(db, "SSCAN", "nokey", "0").String())
	// A missing key ends the scan before the options are read.
	require.Equal(t, "1) \"0\"\n2) (empty array)", do(db, "SSCAN", "nokey", "0", "BOGUS").String())
	requireErr(t, do(db, "SSCAN", "nokey", "abc"), "ERR invalid cursor")
	requireErr(t, do(db, "SSCAN", "nokey", "18446744073709551616"), "ERR invalid cursor")

	requireInt(t, do(db, "SADD", "small", "a1", "a2", "b1"), 3)
	require.Equal(t, []string{"a1", "a2", "b1"}, setSorted(t, do(db, "SSCAN", "small", "0").Array[1]))
	require.Equal(t, []string{"a1", "a2"}, setSorted(t, do(db, "SSCAN", "small", "0", "MATCH", "a*").Array[1]))
	for _, c := range [][]string{
		{"SSCAN", "small", "0", "TYPE", "string"}, {"SSCAN", "small", "0", "COUNT", "0"},
		{"SSCAN", "small", "0", "COUNT", "-1"}, {"SSCAN", "small", "0", "COUNT"}, {"SSCAN", "small", "0", "MATCH"},
		{"SSCAN", "small", "0", "BOGUS", "x"},
	} {
		requireErr(t, do(db, c...), "ERR syntax error")
	}
	requireErr(t, do(db, "SSCAN", "small", "0", "COUNT", "abc"), "ERR value is not an integer or out of range")
	requireErr(t, do(db, "SSCAN", "small", "x"), "ERR invalid cursor")
	requireErr(t, do(db, "SSCAN", "small"), "ERR wrong number of arguments for 'sscan' command")

	// A large set, scanned in steps; a member present throughout is
	// returned at least once.
	want := map[string]bool{}
	for i := range 1000 {
		m := "m" + strconv.Itoa(i)
		want[m] = true
		requireInt(t, do(db, "SADD", "big", m), 1)
	}
	for _, count := range []string{"1", "7", "10", "1000", "5000"} {
		got := setScanAll(t, db, "big", "COUNT", count)
		require.Equal(t, setRefKeys(want), setRefKeys(setRef(got...)), "COUNT %s", count)
	}
	got := setScanAll(t, db, "big", "MATCH", "m1?", "COUNT", "33")
	require.Equal(t, []string{"m10", "m11", "m12", "m13", "m14", "m15", "m16", "m17", "m18", "m19"},
		setRefKeys(setRef(got...)))

	// Scanning while the set changes: members present throughout are seen.
	cursor := uint64(0)
	seen := map[string]bool{}
	for i := 0; ; i++ {
		ms, next, err := db.SScan("big", cursor, "", 20)
		require.NoError(t, err)
		for _, m := range ms {
			seen[string(m)] = true
		}
		_, err = db.SRem("big", []byte("m"+strconv.Itoa(999-i)))
		require.NoError(t, err)
		_, err = db.SAdd("big", []byte("new"+strconv.Itoa(i)))
		require.NoError(t, err)
		if next == 0 {
			break
		}
		cursor = next
	}
	for i := 0; i < 500; i++ { // never removed
		require.True(t, seen["m"+strconv.Itoa(i)], "m%d not seen", i)
	}

	// Scanned members stay valid after the set changes.
	ms, next, err := db.SScan("small", 0, "", 0)
	require.NoError(t, err)
	require.Zero(t, next)
	_, err = db.SRem("small", setBytes("a1", "a2")...)
	require.NoError(t, err)
	_, err = db.SAdd("small", setBytes("zz", "yy")...)
	require.NoError(t, err)
	require.Equal(t, []string{"a1", "a2", "b1"}, setStrs(ms))
}

func TestSetStats(t *testing.T) {
	db, _ := openDB(t)
	requireInt(t, do(db, "SADD", "s", "a"), 1)
	hm := func() (int64, int64) {
		st := db.Stats().Total
		return st.Hits, st.Misses
	}
	for _, c := range []struct {
		cmd          []string
		hits, misses int64
	}{
		{[]string{"SISMEMBER", "s", "a"}, 1, 0},
		{[]string{"SISMEMBER", "nokey", "a"}, 0, 1},
		{[]string{"SMEMBERS", "s"}, 1, 0},
		{[]string{"SRANDMEMBER", "nokey"}, 0, 1},
		{[]string{"SINTER", "s", "nokey"}, 1, 1},
		{[]string{"SINTERSTORE", "d", "s", "nokey"}, 1, 1},
		{[]string{"SINTERCARD", "2", "s", "nokey"}, 1, 1},
		{[]string{"SSCAN", "nokey", "0"}, 0, 1},
		{[]string{"SADD", "s", "b"}, 0, 0},
		{[]string{"SPOP", "nokey"}, 0, 0},
		{[]string{"SMOVE", "s", "d", "x"}, 0, 0},
	} {
		h0, m0 := hm()
		do(db, c.cmd...)
		h1, m1 := hm()
		require.Equal(t, [2]int64{c.hits, c.misses}, [2]int64{h1 - h0, m1 - m0}, "%v", c.cmd)
	}
}

func TestSetCopyIsDeep(t *testing.T) {
	db, _ := openDB(t)
	requireInt(t, do(db, "SADD", "s", "a", "b"), 2)
	requireInt(t, do(db, "COPY", "s", "c"), 1)
	requireInt(t, do(db, "SADD", "s", "z"), 1)
	requireInt(t, do(db, "SREM", "c", "a"), 1)
	require.Equal(t, []string{"a", "b", "z"}, setSorted(t, do(db, "SMEMBERS", "s")))
	require.Equal(t, []string{"b"}, setSorted(t, do(db, "SMEMBERS", "c")))
	requireOK(t, do(db, "RENAME", "c", "r"))
	require.Equal(t, []string{"b"}, setSorted(t, do(db, "SMEMBERS", "r")))
}

func TestSetMemoryAccounting(t *testing.T) {
	db, _ := openDB(t)
	for i := range 500 {
		_, err := db.SAdd("s", []byte(fmt.Sprintf("member-%d", i)))
		require.NoError(t, err)
	}
	mem := db.Stats().Total.Memory[engine.TypeSet]
	require.Positive(t, mem)
	_, err := db.SPop("s", 450)
	require.NoError(t, err)
	require.Less(t, db.Stats().Total.Memory[engine.TypeSet], mem)
	db.Del("s")
	st := db.Stats().Total
	require.Zero(t, st.Memory[engine.TypeSet])
	require.Zero(t, st.Keys[engine.TypeSet])
}

func TestSetKeyTooLong(t *testing.T) {
	db, _ := openDB(t)
	long := string(make([]byte, engine.MaxKeyLen+1))
	_, err := db.SAdd(long, []byte("a"))
	require.True(t, errors.Is(err, engine.ErrKeyTooLong))
	_, err = db.SUnionStore(long, "a")
	require.ErrorIs(t, err, engine.ErrKeyTooLong)
	_, err = db.SMove("a", long, []byte("a"))
	require.ErrorIs(t, err, engine.ErrKeyTooLong)
}

func ExampleDB_SAdd() {
	db, _ := engine.Open(engine.Options{ExpireInterval: -1})
	defer db.Close()

	n, _ := db.SAdd("tags:post:1", []byte("go"), []byte("cache"), []byte("redis"))
	fmt.Println(n)
	n, _ = db.SAdd("tags:post:1", []byte("go"), []byte("embedded"))
	fmt.Println(n)
	_, _ = db.SAdd("tags:post:2", []byte("go"), []byte("redis"), []byte("replication"))

	ok, _ := db.SIsMember("tags:post:1", []byte("cache"))
	fmt.Println(ok)

	common, _ := db.SInter("tags:post:1", "tags:post:2")
	fmt.Println(setStrs(common))

	size, _ := db.SUnionStore("tags:all", "tags:post:1", "tags:post:2")
	all, _ := db.SMembers("tags:all")
	fmt.Println(size, setStrs(all))

	popped, _ := db.SPop("tags:all", 2)
	left, _ := db.SCard("tags:all")
	fmt.Println(len(popped), left)

	_ = db.Set("name", []byte("Ada"))
	_, err := db.SAdd("name", []byte("x"))
	fmt.Println(err)
	// Output:
	// 3
	// 1
	// true
	// [go redis]
	// 5 [cache embedded go redis replication]
	// 2 3
	// WRONGTYPE Operation against a key holding the wrong kind of value
}

func setUniq(ss []string) map[string]bool {
	m := map[string]bool{}
	for _, s := range ss {
		m[s] = true
	}
	return m
}
