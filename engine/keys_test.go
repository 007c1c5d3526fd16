package engine_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/jackdawdb/jackdaw/engine"
)

func TestDelUnlinkExists(t *testing.T) {
	db, _ := openDB(t)
	requireOK(t, do(db, "MSET", "a", "1", "b", "2", "c", "3", "{x}d", "4"))
	requireInt(t, do(db, "EXISTS", "a", "a", "b", "nope", "{x}d"), 4)
	require.Equal(t, 3, db.Exists("a", "a", "a"))
	require.Equal(t, 0, db.Exists("nope"))

	requireInt(t, do(db, "DEL", "a", "a", "nope"), 1)
	require.Equal(t, 0, db.Exists("a"))
	requireInt(t, do(db, "UNLINK", "b", "{x}d"), 2)
	require.Equal(t, 1, db.Del("c", "c"))
	require.Equal(t, 0, db.Unlink("c"))
	require.Equal(t, 0, db.DBSize())
	requireErr(t, do(db, "DEL"), "ERR wrong number of arguments for 'del' command")
	requireErr(t, do(db, "EXISTS"), "ERR wrong number of arguments for 'exists' command")
	require.NoError(t, db.Set("x", nil))
	require.Equal(t, 1, db.Unlink("x", "y"))
}

func TestType(t *testing.T) {
	db, clk := openDB(t)
	requireStatus(t, do(db, "TYPE", "k"), "none")
	require.Equal(t, engine.TypeNone, db.Type("k"))
	requireOK(t, do(db, "SET", "k", "v"))
	requireStatus(t, do(db, "TYPE", "k"), "string")
	require.Equal(t, engine.TypeString, db.Type("k"))
	require.Equal(t, "string", db.Type("k").String())
	requireInt(t, do(db, "INCR", "n"), 1)
	requireStatus(t, do(db, "TYPE", "n"), "string")
	requireOK(t, do(db, "SET", "e", "v", "PX", "1"))
	clk.Advance(2 * time.Millisecond)
	requireStatus(t, do(db, "TYPE", "e"), "none")
}

func TestRename(t *testing.T) {
	db, clk := openDB(t)
	requireErr(t, do(db, "RENAME", "missing", "x"), "ERR no such key")
	requireErr(t, do(db, "RENAME", "missing", "missing"), "ERR no such key")
	requireErr(t, do(db, "RENAMENX", "missing", "x"), "ERR no such key")
	require.ErrorIs(t, db.Rename("missing", "x"), engine.ErrNoSuchKey)

	requireOK(t, do(db, "SET", "a", "1", "PX", "5000"))
	requireOK(t, do(db, "RENAME", "a", "a"))
	requireInt(t, do(db, "RENAMENX", "a", "a"), 0)
	requireBulk(t, do(db, "GET", "a"), "1")
	requireInt(t, do(db, "PTTL", "a"), 5000)

	// TTL moves with the key, across many destinations (so across shards).
	src := "a"
	for i := 0; i < 50; i++ {
		dst := fmt.Sprintf("dst%d", i)
		requireOK(t, do(db, "RENAME", src, dst))
		require.Equal(t, 0, db.Exists(src))
		requireBulk(t, do(db, "GET", dst), "1")
		requireInt(t, do(db, "PTTL", dst), 5000)
		src = dst
	}
	require.Equal(t, 1, db.DBSize())

	// Onto an existing key: replaced, and its TTL replaced by the source's.
	requireOK(t, do(db, "SET", "b", "bee", "EX", "100"))
	requireOK(t, do(db, "SET", "c", "see"))
	requireOK(t, do(db, "RENAME", "c", "b"))
	requireBulk(t, do(db, "GET", "b"), "see")
	requireInt(t, do(db, "TTL", "b"), -1)
	requireOK(t, do(db, "RENAME", src, "b"))
	requireBulk(t, do(db, "GET", "b"), "1")
	requireInt(t, do(db, "PTTL", "b"), 5000)
	require.Equal(t, 1, db.DBSize())

	// RENAMENX.
	requireOK(t, do(db, "SET", "d", "dee"))
	requireInt(t, do(db, "RENAMENX", "d", "b"), 0)
	requireBulk(t, do(db, "GET", "d"), "dee")
	requireInt(t, do(db, "RENAMENX", "d", "e"), 1)
	requireBulk(t, do(db, "GET", "e"), "dee")
	require.Equal(t, 0, db.Exists("d"))
	ok, err := db.RenameNX("e", "b")
	require.NoError(t, err)
	require.False(t, ok)
	ok, err = db.RenameNX("e", "{tag}f")
	require.NoError(t, err)
	require.True(t, ok)
	require.NoError(t, db.Rename("{tag}f", "{tag}g"))
	v, _ := mustGet(t, db, "{tag}g")
	require.Equal(t, "dee", v)

	// Integers survive a move.
	requireInt(t, do(db, "INCRBY", "n", "41"), 41)
	requireOK(t, do(db, "RENAME", "n", "m"))
	requireInt(t, do(db, "INCR", "m"), 42)

	// An expired source is missing; an expired destination counts as absent.
	requireOK(t, do(db, "SET", "old", "v", "PX", "10"))
	requireOK(t, do(db, "SET", "dead", "v", "PX", "10"))
	clk.Advance(11 * time.Millisecond)
	requireErr(t, do(db, "RENAME", "old", "z"), "ERR no such key")
	requireInt(t, do(db, "RENAMENX", "m", "dead"), 1)
	requireBulk(t, do(db, "GET", "dead"), "42")
	requireInt(t, do(db, "TTL", "dead"), -1)
}

func TestCopy(t *testing.T) {
	db, _ := openDB(t)
	requireInt(t, do(db, "COPY", "missing", "x"), 0)
	requireErr(t, do(db, "COPY", "missing", "missing"), "ERR source and destination objects are the same")
	requireOK(t, do(db, "SET", "a", "v", "PX", "5000"))
	requireErr(t, do(db, "COPY", "a", "a"), "ERR source and destination objects are the same")
	_, err := db.Copy("a", "a", true)
	require.ErrorIs(t, err, engine.ErrSameObject)

	requireInt(t, do(db, "COPY", "a", "b"), 1)
	requireBulk(t, do(db, "GET", "b"), "v")
	requireInt(t, do(db, "PTTL", "b"), 5000)
	requireBulk(t, do(db, "GET", "a"), "v")

	requireOK(t, do(db, "SET", "c", "other"))
	requireInt(t, do(db, "COPY", "a", "c"), 0)
	requireBulk(t, do(db, "GET", "c"), "other")
	requireInt(t, do(db, "COPY", "a", "c", "REPLACE"), 1)
	requireBulk(t, do(db, "GET", "c"), "v")
	requireInt(t, do(db, "PTTL", "c"), 5000)
	requireErr(t, do(db, "COPY", "a", "c", "FOO"), errSyntax)

	// The copy is independent.
	requireInt(t, do(db, "APPEND", "c", "!"), 2)
	requireBulk(t, do(db, "GET", "a"), "v")
	requireOK(t, do(db, "SET", "p", "x"))
	requireInt(t, do(db, "COPY", "p", "{q}r", "replace"), 1)
	requireInt(t, do(db, "TTL", "{q}r"), -1)

	ok, err := db.Copy("a", "d", false)
	require.NoError(t, err)
	require.True(t, ok)
	ok, err = db.Copy("p", "d", false)
	require.NoError(t, err)
	require.False(t, ok)
	ok, err = db.Copy("p", "d", true)
	require.NoError(t, err)
	require.True(t, ok)
	requireInt(t, do(db, "TTL", "d"), -1) // replaced with p's (none)

	requireInt(t, do(db, "INCRBY", "n", "7"), 7)
	requireInt(t, do(db, "COPY", "n", "n2"), 1)
	requireInt(t, do(db, "INCR", "n2"), 8)
	requireBulk(t, do(db, "GET", "n"), "7")
}

func TestDBSizeFlushAll(t *testing.T) {
	db, _ := openDB(t)
	requireInt(t, do(db, "DBSIZE"), 0)
	for i := 0; i < 1000; i++ {
		require.NoError(t, db.Set(fmt.Sprintf("k%d", i), []byte("v")))
	}
	require.Equal(t, 1000, db.DBSize())
	requireInt(t, do(db, "DBSIZE"), 1000)
	requireOK(t, do(db, "FLUSHALL"))
	require.Equal(t, 0, db.DBSize())
	requireNil(t, do(db, "GET", "k1"))
	require.NoError(t, db.Set("x", []byte("v")))
	db.FlushAll()
	require.Equal(t, 0, db.DBSize())
	requireOK(t, do(db, "FLUSHALL", "ASYNC"))
	requireOK(t, do(db, "FLUSHDB", "sync"))
	requireErr(t, do(db, "FLUSHALL", "foo"), errSyntax)
	requireErr(t, do(db, "DBSIZE", "x"), "ERR wrong number of arguments for 'dbsize' command")
	st := db.Stats()
	require.Zero(t, st.Total.TotalKeys())
	require.Zero(t, st.Total.Expires)
	// Works after a flush.
	requireOK(t, do(db, "SET", "a", "b", "EX", "10"))
	require.EqualValues(t, 1, db.Stats().Total.Expires)
}

func TestRandomKey(t *testing.T) {
	db, clk := openDB(t)
	requireNil(t, do(db, "RANDOMKEY"))
	_, ok := db.RandomKey()
	require.False(t, ok)

	requireOK(t, do(db, "SET", "only", "v"))
	for i := 0; i < 20; i++ {
		requireBulk(t, do(db, "RANDOMKEY"), "only")
	}
	// Many expired keys and a few live ones: only live ones come back.
	for i := 0; i < 2000; i++ {
		requireOK(t, do(db, "SET", fmt.Sprintf("dead%d", i), "v", "PX", "10"))
	}
	live := map[string]bool{"only": true, "live1": true, "live2": true}
	requireOK(t, do(db, "MSET", "live1", "v", "live2", "v"))
	clk.Advance(11 * time.Millisecond)
	seen := map[string]bool{}
	// Enough draws that a live key whose shard follows another live key's
	// (picked only when the random start lands on it, 1/64) still shows.
	for i := 0; i < 3000; i++ {
		k, ok := db.RandomKey()
		require.True(t, ok)
		require.True(t, live[k], "RANDOMKEY returned %q", k)
		seen[k] = true
	}
	require.Len(t, seen, 3)

	// All expired: nil.
	db.FlushAll()
	for i := 0; i < 500; i++ {
		requireOK(t, do(db, "SET", fmt.Sprintf("dead%d", i), "v", "PX", "10"))
	}
	clk.Advance(11 * time.Millisecond)
	requireNil(t, do(db, "RANDOMKEY"))
}

func TestKeysGlob(t *testing.T) {
	db, clk := openDB(t)
	keys := []string{"hello", "hallo", "hxllo", "hllo", "heeeello", "h*llo", "h?llo", "{user1}:a", "{user1}:b", "user2", "a[b", "x\\y"}
	for _, k := range keys {
		require.NoError(t, db.Set(k, []byte("v")))
	}
	cases := []struct {
		pattern string
		want    []string
	}{
		{"*", keys},
		{"h?llo", []string{"hello", "hallo", "hxllo", "h*llo", "h?llo"}},
		{"h*llo", []string{"hello", "hallo", "hxllo", "hllo", "heeeello", "h*llo", "h?llo"}},
		{"h[ae]llo", []string{"hello", "hallo"}},
		{"h[^e]llo", []string{"hallo", "hxllo", "h*llo", "h?llo"}},
		{"h[a-e]llo", []string{"hello", "hallo"}},
		{"h\\*llo", []string{"h*llo"}},
		{"h\\?llo", []string{"h?llo"}},
		{"{user1}*", []string{"{user1}:a", "{user1}:b"}},
		{"*:?", []string{"{user1}:a", "{user1}:b"}},
		{"user*", []string{"user2"}},
		{"hello", []string{"hello"}},
		{"nothing", nil},
		{"a\\[b", []string{"a[b"}},
		{"x\\\\y", []string{"x\\y"}},
		{"z*", nil},
	}
	for _, c := range cases {
		require.ElementsMatch(t, c.want, db.Keys(c.pattern), "pattern %q", c.pattern)
		got := bulks(t, do(db, "KEYS", c.pattern))
		require.ElementsMatch(t, c.want, got, "KEYS %q", c.pattern)
	}
	// Expired keys are not listed.
	requireOK(t, do(db, "SET", "hello", "v", "PX", "5"))
	requireOK(t, do(db, "SET", "tmp", "v", "PX", "5"))
	clk.Advance(6 * time.Millisecond)
	require.NotContains(t, db.Keys("*"), "hello")
	require.NotContains(t, db.Keys("*"), "tmp")
	require.Empty(t, db.Keys("hello"))
	require.Empty(t, bulks(t, do(db, "KEYS", "tmp")))
}

func TestHashTagsShareShard(t *testing.T) {
	db, err := engine.Open(engine.Options{Shards: 64, ExpireInterval: -1})
	require.NoError(t, err)
	defer db.Close()

	shardOf := func(key string) int {
		db.FlushAll()
		require.NoError(t, db.Set(key, []byte("v")))
		st := db.Stats()
		for i, s := range st.Shards {
			if s.TotalKeys() == 1 {
				return i
			}
		}
		t.Fatalf("key %q in no shard", key)
		return -1
	}
	// Tags: keys with the same tag share a shard, and so do the tag itself.
	for _, tag := range []string{"user1", "x", "a b", "{"} {
		want := shardOf(tag)
		for _, k := range []string{"{" + tag + "}", "{" + tag + "}:a", "{" + tag + "}:b", "pre{" + tag + "}post", "{" + tag + "}}", "{" + tag + "}{zz}"} {
			require.Equal(t, want, shardOf(k), "key %q tag %q", k, tag)
		}
	}
	// The two keys land together: one shard holds both.
	db.FlushAll()
	requireOK(t, do(db, "MSET", "{user1}:a", "1", "{user1}:b", "2"))
	st := db.Stats()
	n := 0
	for _, s := range st.Shards {
		if s.TotalKeys() > 0 {
			n++
			require.EqualValues(t, 2, s.TotalKeys())
		}
	}
	require.Equal(t, 1, n)

	// "{}" and "{" are not tags: such keys route by the whole key, so among
	// several of them they spread over more than one shard.
	for _, prefix := range []string{"{}", "{", "}{"} {
		shards := map[int]bool{}
		for i := 0; i < 20; i++ {
			shards[shardOf(fmt.Sprintf("%s%d", prefix, i))] = true
		}
		require.Greater(t, len(shards), 1, "prefix %q", prefix)
	}
	// "{}{b}": the first '{' has an empty tag, so no tag at all (Redis).
	shards := map[int]bool{}
	for i := 0; i < 20; i++ {
		shards[shardOf(fmt.Sprintf("{}{b}%d", i))] = true
	}
	require.Greater(t, len(shards), 1)
}

func TestStats(t *testing.T) {
	db, _ := openDB(t)
	st := db.Stats()
	require.Len(t, st.Shards, len(st.Shards))
	require.Zero(t, st.Total.TotalKeys())
	mem0 := st.Total.Memory[engine.TypeString]

	for i := 0; i < 500; i++ {
		require.NoError(t, db.Set(fmt.Sprintf("key:%d", i), []byte("some value of a fair length")))
	}
	requireOK(t, do(db, "SET", "ttl", "v", "EX", "100"))
	st = db.Stats()
	require.EqualValues(t, 501, st.Total.Keys[engine.TypeString])
	require.EqualValues(t, 501, st.Total.TotalKeys())
	require.EqualValues(t, 1, st.Total.Expires)
	mem1 := st.Total.Memory[engine.TypeString]
	require.Greater(t, mem1, mem0+500*20)
	require.Greater(t, st.Total.TotalMemory(), mem1)
	var sum int64
	for _, s := range st.Shards {
		sum += s.TotalKeys()
	}
	require.EqualValues(t, 501, sum)

	// Hits and misses are counted by GET.
	h0, m0 := st.Total.Hits, st.Total.Misses
	_, _, _ = db.Get("key:1")
	requireBulk(t, do(db, "GET", "key:2"), "some value of a fair length")
	_, _, _ = db.Get("nope")
	requireNil(t, do(db, "GET", "nope2"))
	st = db.Stats()
	require.Equal(t, h0+2, st.Total.Hits)
	require.Equal(t, m0+2, st.Total.Misses)

	for i := 0; i < 500; i++ {
		require.Equal(t, 1, db.Del(fmt.Sprintf("key:%d", i)))
	}
	st = db.Stats()
	require.EqualValues(t, 1, st.Total.Keys[engine.TypeString])
	require.Less(t, st.Total.Memory[engine.TypeString], mem1/10)
	require.Equal(t, 1, db.Del("ttl"))
	st = db.Stats()
	require.Zero(t, st.Total.Expires)
	require.Zero(t, st.Total.Memory[engine.TypeString])
}

func TestOpenOptions(t *testing.T) {
	for _, n := range []int{3, -1, 1 << 17, 6, engine.MaxShards + 1} {
		db, err := engine.Open(engine.Options{Shards: n})
		require.Error(t, err, "Shards %d", n)
		require.Nil(t, db)
	}
	for _, e := range []int{11, -1, 100} {
		db, err := engine.Open(engine.Options{ExpireEffort: e})
		require.Error(t, err, "ExpireEffort %d", e)
		require.Nil(t, db)
	}
	for _, n := range []int{1, 2, 64, 1024} {
		db, err := engine.Open(engine.Options{Shards: n, ExpireEffort: 10, ExpireInterval: -1})
		require.NoError(t, err)
		require.Len(t, db.Stats().Shards, n)
		// Every command works with any shard count.
		requireOK(t, do(db, "MSET", "a", "1", "b", "2", "{a}c", "3"))
		require.Equal(t, []string{"1", "2", "3"}, bulks(t, do(db, "MGET", "a", "b", "{a}c")))
		requireOK(t, do(db, "RENAME", "a", "z"))
		require.ElementsMatch(t, []string{"z", "b", "{a}c"}, scanAll(t, db, engine.ScanArgs{Count: 100}))
		require.NoError(t, db.Close())
	}
	db, err := engine.Open(engine.Options{})
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(db.Stats().Shards), 64)
	require.NoError(t, db.Close())
	require.ErrorIs(t, db.Close(), engine.ErrClosed)
	require.ErrorIs(t, db.Close(), engine.ErrClosed)
	// Data stays readable after Close.
	require.NoError(t, db.Set("k", []byte("v")))
	v, _ := mustGet(t, db, "k")
	require.Equal(t, "v", v)
}
