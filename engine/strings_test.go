package engine_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/jackdawdb/jackdaw/engine"
)

const (
	errSyntax    = "ERR syntax error"
	errNotInt    = "ERR value is not an integer or out of range"
	errWrongType = "WRONGTYPE Operation against a key holding the wrong kind of value"
	errOverflow  = "ERR increment or decrement would overflow"
)

func TestGetSetBasic(t *testing.T) {
	db, _ := openDB(t)
	_, ok := mustGet(t, db, "missing")
	require.False(t, ok)
	requireNil(t, do(db, "GET", "missing"))

	require.NoError(t, db.Set("k", []byte("v1")))
	v, ok := mustGet(t, db, "k")
	require.True(t, ok)
	require.Equal(t, "v1", v)
	requireBulk(t, do(db, "get", "k"), "v1")

	requireOK(t, do(db, "SET", "k", "v2"))
	requireBulk(t, do(db, "GET", "k"), "v2")

	// Empty values exist.
	requireOK(t, do(db, "SET", "empty", ""))
	requireBulk(t, do(db, "GET", "empty"), "")
	v, ok = mustGet(t, db, "empty")
	require.True(t, ok)
	require.Equal(t, "", v)
	require.Equal(t, 1, db.Exists("empty"))

	// Integer-looking values come back exactly as written.
	for _, s := range []string{"0", "-1", "123", "9223372036854775807", "-9223372036854775808", "01", "+1", " 1", "1.5", "-0", "99999999999999999999"} {
		requireOK(t, do(db, "SET", "n", s))
		requireBulk(t, do(db, "GET", "n"), s)
		n, err := db.Strlen("n")
		require.NoError(t, err)
		require.Equal(t, len(s), n)
	}
}

func TestBinarySafeValues(t *testing.T) {
	db, _ := openDB(t)
	val := "a\x00b\r\nc\x00\xff"
	key := "k\x00\r\n"
	requireOK(t, do(db, "SET", key, val))
	requireBulk(t, do(db, "GET", key), val)
	requireInt(t, do(db, "STRLEN", key), int64(len(val)))
	requireInt(t, do(db, "APPEND", key, "\x00\r\n"), int64(len(val)+3))
	requireBulk(t, do(db, "GET", key), val+"\x00\r\n")
	requireBulk(t, do(db, "GETRANGE", key, "1", "4"), "\x00b\r\n")
	require.Equal(t, []string{key}, db.Keys("k*"))
	require.Equal(t, 0, db.Exists("k"))
}

func TestSetOptions(t *testing.T) {
	db, clk := openDB(t)

	// NX / XX
	requireNil(t, do(db, "SET", "k", "v", "XX"))
	require.Equal(t, 0, db.Exists("k"))
	requireOK(t, do(db, "SET", "k", "v", "NX"))
	requireNil(t, do(db, "SET", "k", "w", "nx"))
	requireBulk(t, do(db, "GET", "k"), "v")
	requireOK(t, do(db, "SET", "k", "w", "xx"))
	requireBulk(t, do(db, "GET", "k"), "w")

	// GET
	requireBulk(t, do(db, "SET", "k", "x", "GET"), "w")
	requireNil(t, do(db, "SET", "new", "x", "GET"))
	requireBulk(t, do(db, "GET", "new"), "x")
	// NX GET on an existing key returns the old value and writes nothing (7.0).
	requireBulk(t, do(db, "SET", "k", "y", "NX", "GET"), "x")
	requireBulk(t, do(db, "GET", "k"), "x")
	// XX GET on a missing key: nil, nothing written.
	requireNil(t, do(db, "SET", "nokey", "y", "XX", "GET"))
	require.Equal(t, 0, db.Exists("nokey"))

	// EX / PX / EXAT / PXAT
	requireOK(t, do(db, "SET", "e", "v", "EX", "100"))
	requireInt(t, do(db, "TTL", "e"), 100)
	requireInt(t, do(db, "PTTL", "e"), 100_000)
	requireOK(t, do(db, "SET", "e", "v", "PX", "1500"))
	requireInt(t, do(db, "PTTL", "e"), 1500)
	requireInt(t, do(db, "TTL", "e"), 2) // rounded
	at := clk.Now().Unix() + 50
	requireOK(t, do(db, "SET", "e", "v", "EXAT", itoa(at)))
	requireInt(t, do(db, "EXPIRETIME", "e"), at)
	requireInt(t, do(db, "PEXPIRETIME", "e"), at*1000)
	pat := clk.Ms() + 1234
	requireOK(t, do(db, "SET", "e", "v", "PXAT", itoa(pat)))
	requireInt(t, do(db, "PEXPIRETIME", "e"), pat)
	requireInt(t, do(db, "PTTL", "e"), 1234)

	// KEEPTTL keeps it, a plain SET drops it.
	requireOK(t, do(db, "SET", "e", "v2", "KEEPTTL"))
	requireInt(t, do(db, "PEXPIRETIME", "e"), pat)
	requireBulk(t, do(db, "GET", "e"), "v2")
	requireOK(t, do(db, "SET", "e", "v3"))
	requireInt(t, do(db, "TTL", "e"), -1)

	// PXAT in the past: the key is written and immediately gone.
	requireOK(t, do(db, "SET", "past", "v", "PXAT", itoa(clk.Ms()-1)))
	require.Equal(t, 0, db.Exists("past"))

	// The key expires when the fake clock passes it.
	requireOK(t, do(db, "SET", "short", "v", "PX", "10"))
	clk.Advance(10 * time.Millisecond)
	requireBulk(t, do(db, "GET", "short"), "v") // not past yet (now == expiry)
	clk.Advance(time.Millisecond)
	requireNil(t, do(db, "GET", "short"))

	// Repeating the same option is allowed.
	requireOK(t, do(db, "SET", "r", "v", "EX", "10", "EX", "20"))
	requireInt(t, do(db, "TTL", "r"), 20)
	requireOK(t, do(db, "SET", "r2", "v", "NX", "nx"))
}

func TestSetOptionErrors(t *testing.T) {
	db, _ := openDB(t)
	requireOK(t, do(db, "SET", "k", "old"))
	for _, c := range [][]string{
		{"NX", "XX"},
		{"XX", "NX"},
		{"EX", "10", "PX", "100"},
		{"PX", "10", "EX", "100"},
		{"EX", "10", "KEEPTTL"},
		{"KEEPTTL", "PXAT", "100"},
		{"EXAT", "10", "PXAT", "100"},
		{"EX"},
		{"PX"},
		{"FOO"},
		{"PERSIST"},
		{"GET", "GET", "EX"},
	} {
		args := append([]string{"SET", "k", "new"}, c...)
		requireErr(t, do(db, args...), errSyntax)
	}
	for _, opt := range []string{"EX", "PX", "EXAT", "PXAT"} {
		for _, n := range []string{"0", "-1", "-9223372036854775808"} {
			requireErr(t, do(db, "SET", "k", "new", opt, n), "ERR invalid expire time in 'set' command")
		}
		requireErr(t, do(db, "SET", "k", "new", opt, "1.5"), errNotInt)
		requireErr(t, do(db, "SET", "k", "new", opt, "abc"), errNotInt)
		requireErr(t, do(db, "SET", "k", "new", opt, "99999999999999999999"), errNotInt)
	}
	// Overflow of seconds -> ms, and of now + ttl.
	requireErr(t, do(db, "SET", "k", "new", "EX", "9223372036854775807"), "ERR invalid expire time in 'set' command")
	requireErr(t, do(db, "SET", "k", "new", "EX", "9223372036854776"), "ERR invalid expire time in 'set' command")
	requireErr(t, do(db, "SET", "k", "new", "PX", "9223372036854775807"), "ERR invalid expire time in 'set' command")
	requireErr(t, do(db, "SET", "k", "new", "EXAT", "9223372036854776"), "ERR invalid expire time in 'set' command")
	// Nothing was written by any failing SET.
	requireBulk(t, do(db, "GET", "k"), "old")
	requireInt(t, do(db, "TTL", "k"), -1)

	requireErr(t, do(db, "SET", "k"), "ERR wrong number of arguments for 'set' command")

	// Typed API validation.
	_, err := db.SetArgs("k", []byte("x"), engine.SetArgs{NX: true, XX: true})
	require.ErrorIs(t, err, engine.ErrSyntax)
	_, err = db.SetArgs("k", []byte("x"), engine.SetArgs{TTL: time.Second, KeepTTL: true})
	require.ErrorIs(t, err, engine.ErrSyntax)
	_, err = db.SetArgs("k", []byte("x"), engine.SetArgs{TTL: time.Second, ExpireAt: time.Now()})
	require.ErrorIs(t, err, engine.ErrSyntax)
	_, err = db.SetArgs("k", []byte("x"), engine.SetArgs{TTL: -time.Second})
	require.ErrorIs(t, err, engine.ErrInvalidExpireTime)
	require.EqualError(t, err, "ERR invalid expire time in 'set' command")
	_, err = db.SetArgs("k", []byte("x"), engine.SetArgs{TTL: time.Microsecond})
	require.ErrorIs(t, err, engine.ErrInvalidExpireTime)
	requireBulk(t, do(db, "GET", "k"), "old")
}

func TestSetArgsTyped(t *testing.T) {
	db, clk := openDB(t)
	res, err := db.SetArgs("k", []byte("a"), engine.SetArgs{NX: true, Get: true})
	require.NoError(t, err)
	require.Equal(t, engine.SetResult{Written: true}, res)

	res, err = db.SetArgs("k", []byte("b"), engine.SetArgs{NX: true, Get: true})
	require.NoError(t, err)
	require.False(t, res.Written)
	require.True(t, res.Existed)
	require.Equal(t, "a", string(res.Old))

	res, err = db.SetArgs("k", []byte("c"), engine.SetArgs{XX: true, TTL: 3 * time.Second})
	require.NoError(t, err)
	require.True(t, res.Written)
	require.EqualValues(t, 3000, db.PTTL("k"))

	res, err = db.SetArgs("k", []byte("d"), engine.SetArgs{KeepTTL: true})
	require.NoError(t, err)
	require.True(t, res.Written)
	require.EqualValues(t, 3000, db.PTTL("k"))

	at := clk.Now().Add(time.Minute)
	_, err = db.SetArgs("k", []byte("e"), engine.SetArgs{ExpireAt: at})
	require.NoError(t, err)
	require.Equal(t, at.UnixMilli(), db.PExpireTime("k"))

	require.NoError(t, db.Set("k", []byte("f")))
	require.EqualValues(t, engine.TTLNoExpiry, db.TTL("k"))

	ok, err := db.SetNX("k", []byte("g"))
	require.NoError(t, err)
	require.False(t, ok)
	ok, err = db.SetNX("k2", []byte("g"))
	require.NoError(t, err)
	require.True(t, ok)

	require.NoError(t, db.SetEX("k3", []byte("h"), 2*time.Second))
	require.EqualValues(t, 2, db.TTL("k3"))
	require.ErrorIs(t, db.SetEX("k3", []byte("h"), 0), engine.ErrInvalidExpireTime)
	require.ErrorIs(t, db.SetEX("k3", []byte("h"), -time.Second), engine.ErrInvalidExpireTime)
	require.ErrorIs(t, db.SetEX("k3", []byte("h"), time.Microsecond), engine.ErrInvalidExpireTime)
	require.EqualValues(t, 2, db.TTL("k3"))
}

func TestWrongType(t *testing.T) {
	db, clk := openDB(t)
	engine.SetObjectForTest(db, "h", engine.TypeHash, 2)
	require.Equal(t, engine.TypeHash, db.Type("h"))
	requireStatus(t, do(db, "TYPE", "h"), "hash")

	// Every string command refuses it, and writes nothing.
	for _, args := range [][]string{
		{"GET", "h"}, {"SET", "h", "v", "GET"}, {"SET", "h", "v", "NX", "GET"}, {"SET", "h", "v", "XX", "GET"},
		{"GETSET", "h", "v"}, {"GETDEL", "h"}, {"GETEX", "h"}, {"GETEX", "h", "PERSIST"}, {"GETEX", "h", "EX", "1"},
		{"INCR", "h"}, {"DECRBY", "h", "1"}, {"APPEND", "h", "x"}, {"STRLEN", "h"},
		{"GETRANGE", "h", "0", "-1"}, {"SETRANGE", "h", "0", "x"}, {"SETRANGE", "h", "0", ""},
	} {
		requireErr(t, do(db, args...), errWrongType)
		require.Equal(t, engine.TypeHash, db.Type("h"), "%v", args)
		require.Equal(t, 2, engine.ObjectItemsForTest(db, "h"), "%v", args)
	}
	_, _, err := db.Get("h")
	require.ErrorIs(t, err, engine.ErrWrongType)
	_, err = db.SetArgs("h", []byte("v"), engine.SetArgs{Get: true})
	require.ErrorIs(t, err, engine.ErrWrongType)
	_, _, err = db.GetSet("h", []byte("v"))
	require.ErrorIs(t, err, engine.ErrWrongType)
	_, _, err = db.GetDel("h")
	require.ErrorIs(t, err, engine.ErrWrongType)
	_, _, err = db.GetEx("h", engine.GetExArgs{Persist: true})
	require.ErrorIs(t, err, engine.ErrWrongType)
	_, err = db.Incr("h")
	require.ErrorIs(t, err, engine.ErrWrongType)
	_, err = db.Append("h", []byte("x"))
	require.ErrorIs(t, err, engine.ErrWrongType)
	_, err = db.Strlen("h")
	require.ErrorIs(t, err, engine.ErrWrongType)
	_, err = db.GetRange("h", 0, 1)
	require.ErrorIs(t, err, engine.ErrWrongType)
	_, err = db.SetRange("h", 0, []byte("x"))
	require.ErrorIs(t, err, engine.ErrWrongType)
	require.Equal(t, engine.TypeHash, db.Type("h"))

	// MGET gives nil for it; MSETNX sees it as existing.
	requireOK(t, do(db, "SET", "s", "v"))
	require.Equal(t, []string{"<nil>", "v"}, bulks(t, do(db, "MGET", "h", "s")))
	require.Nil(t, db.MGet("h")[0])
	requireInt(t, do(db, "MSETNX", "h", "v", "new", "v"), 0)
	require.Equal(t, 0, db.Exists("new"))

	// Generic commands work on it.
	requireInt(t, do(db, "EXISTS", "h"), 1)
	requireInt(t, do(db, "EXPIRE", "h", "100"), 1)
	requireInt(t, do(db, "TTL", "h"), 100)
	requireInt(t, do(db, "COPY", "h", "h2"), 1)
	requireInt(t, do(db, "TTL", "h2"), 100)
	engine.AddObjectItemForTest(db, "h2", "zz")
	require.Equal(t, 3, engine.ObjectItemsForTest(db, "h2"))
	require.Equal(t, 2, engine.ObjectItemsForTest(db, "h"), "COPY makes a deep copy")
	requireOK(t, do(db, "RENAME", "h2", "{x}moved"))
	require.Equal(t, 3, engine.ObjectItemsForTest(db, "{x}moved"))
	requireInt(t, do(db, "TTL", "{x}moved"), 100)
	require.Equal(t, []string{"h"}, scanAll(t, db, engine.ScanArgs{Type: "hash", Match: "h*"}))
	r := do(db, "SCAN", "0", "TYPE", "HASH", "COUNT", "10000")
	requireBulk(t, r.Array[0], "0")
	require.ElementsMatch(t, []string{"h", "{x}moved"}, bulks(t, r.Array[1]))
	require.ElementsMatch(t, []string{"s"}, scanAll(t, db, engine.ScanArgs{Type: "string"}))
	st := db.Stats()
	require.EqualValues(t, 2, st.Total.Keys[engine.TypeHash])
	require.EqualValues(t, 1, st.Total.Keys[engine.TypeString])
	require.Greater(t, st.Total.Memory[engine.TypeHash], int64(0))

	// SET (without GET) replaces any type, and drops the TTL.
	requireOK(t, do(db, "SET", "h", "now a string"))
	requireBulk(t, do(db, "GET", "h"), "now a string")
	requireInt(t, do(db, "TTL", "h"), -1)
	engine.SetObjectForTest(db, "h", engine.TypeList, 1)
	requireStatus(t, do(db, "TYPE", "h"), "list")
	require.NoError(t, db.Set("h", []byte("s")))
	engine.SetObjectForTest(db, "h", engine.TypeZSet, 1)
	require.NoError(t, db.MSet(engine.KV{Key: "h", Value: []byte("1")}))
	requireInt(t, do(db, "INCR", "h"), 2)
	engine.SetObjectForTest(db, "h", engine.TypeSet, 1)
	requireStatus(t, do(db, "TYPE", "h"), "set")
	requireInt(t, do(db, "DEL", "h", "{x}moved"), 2)
	st = db.Stats()
	require.Zero(t, st.Total.Keys[engine.TypeHash])
	require.Zero(t, st.Total.Keys[engine.TypeSet])
	require.Zero(t, st.Total.Memory[engine.TypeHash])
	require.Zero(t, st.Total.Memory[engine.TypeSet])

	// An expired aggregate is gone like any key.
	engine.SetObjectForTest(db, "e", engine.TypeHash, 1)
	requireInt(t, do(db, "PEXPIRE", "e", "5"), 1)
	clk.Advance(6 * time.Millisecond)
	requireStatus(t, do(db, "TYPE", "e"), "none")
	requireInt(t, do(db, "APPEND", "e", "x"), 1)
}

func TestSetNXSetEXPSetEX(t *testing.T) {
	db, _ := openDB(t)
	requireInt(t, do(db, "SETNX", "k", "a"), 1)
	requireInt(t, do(db, "SETNX", "k", "b"), 0)
	requireBulk(t, do(db, "GET", "k"), "a")

	requireOK(t, do(db, "SETEX", "k", "10", "b"))
	requireBulk(t, do(db, "GET", "k"), "b")
	requireInt(t, do(db, "TTL", "k"), 10)
	requireOK(t, do(db, "PSETEX", "k", "2500", "c"))
	requireInt(t, do(db, "PTTL", "k"), 2500)
	requireBulk(t, do(db, "GET", "k"), "c")

	for _, n := range []string{"0", "-5"} {
		requireErr(t, do(db, "SETEX", "k", n, "x"), "ERR invalid expire time in 'setex' command")
		requireErr(t, do(db, "PSETEX", "k", n, "x"), "ERR invalid expire time in 'psetex' command")
	}
	requireErr(t, do(db, "SETEX", "k", "9223372036854775807", "x"), "ERR invalid expire time in 'setex' command")
	requireErr(t, do(db, "PSETEX", "k", "9223372036854775807", "x"), "ERR invalid expire time in 'psetex' command")
	requireErr(t, do(db, "SETEX", "k", "ten", "x"), errNotInt)
	requireErr(t, do(db, "SETEX", "k", "10"), "ERR wrong number of arguments for 'setex' command")
	requireErr(t, do(db, "PSETEX", "k", "10"), "ERR wrong number of arguments for 'psetex' command")
	requireBulk(t, do(db, "GET", "k"), "c")
}

func TestGetSetGetDel(t *testing.T) {
	db, _ := openDB(t)
	requireNil(t, do(db, "GETSET", "k", "a"))
	requireBulk(t, do(db, "GETSET", "k", "b"), "a")
	requireBulk(t, do(db, "GET", "k"), "b")

	// GETSET drops the TTL.
	requireOK(t, do(db, "SET", "k", "c", "EX", "100"))
	requireBulk(t, do(db, "GETSET", "k", "d"), "c")
	requireInt(t, do(db, "TTL", "k"), -1)

	old, ok, err := db.GetSet("k", []byte("e"))
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, "d", string(old))
	old, ok, err = db.GetSet("fresh", []byte("e"))
	require.NoError(t, err)
	require.False(t, ok)
	require.Nil(t, old)

	requireBulk(t, do(db, "GETDEL", "k"), "e")
	requireNil(t, do(db, "GETDEL", "k"))
	require.Equal(t, 0, db.Exists("k"))

	v, ok, err := db.GetDel("fresh")
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, "e", string(v))
	_, ok, err = db.GetDel("fresh")
	require.NoError(t, err)
	require.False(t, ok)

	// Integers through GETDEL.
	requireInt(t, do(db, "INCR", "n"), 1)
	requireBulk(t, do(db, "GETDEL", "n"), "1")
}

func TestGetEx(t *testing.T) {
	db, clk := openDB(t)
	requireNil(t, do(db, "GETEX", "missing", "EX", "10"))
	require.Equal(t, 0, db.Exists("missing"))

	requireOK(t, do(db, "SET", "k", "v"))
	requireBulk(t, do(db, "GETEX", "k"), "v")
	requireInt(t, do(db, "TTL", "k"), -1)
	requireBulk(t, do(db, "GETEX", "k", "EX", "100"), "v")
	requireInt(t, do(db, "TTL", "k"), 100)
	requireBulk(t, do(db, "GETEX", "k"), "v") // no option keeps the TTL
	requireInt(t, do(db, "TTL", "k"), 100)
	requireBulk(t, do(db, "GETEX", "k", "PX", "2500"), "v")
	requireInt(t, do(db, "PTTL", "k"), 2500)
	at := clk.Now().Unix() + 77
	requireBulk(t, do(db, "GETEX", "k", "EXAT", itoa(at)), "v")
	requireInt(t, do(db, "EXPIRETIME", "k"), at)
	requireBulk(t, do(db, "GETEX", "k", "PXAT", itoa(clk.Ms()+999)), "v")
	requireInt(t, do(db, "PTTL", "k"), 999)
	requireBulk(t, do(db, "GETEX", "k", "PERSIST"), "v")
	requireInt(t, do(db, "TTL", "k"), -1)

	// An EXAT in the past returns the value and deletes the key.
	requireBulk(t, do(db, "GETEX", "k", "EXAT", itoa(clk.Now().Unix()-10)), "v")
	require.Equal(t, 0, db.Exists("k"))
	requireNil(t, do(db, "GET", "k"))

	requireOK(t, do(db, "SET", "k", "v"))
	for _, c := range [][]string{
		{"EX", "10", "PX", "10"},
		{"PERSIST", "EX", "10"},
		{"EX", "10", "PERSIST"},
		{"KEEPTTL"},
		{"NX"},
		{"GET"},
		{"EX"},
		{"FOO"},
	} {
		requireErr(t, do(db, append([]string{"GETEX", "k"}, c...)...), errSyntax)
	}
	requireErr(t, do(db, "GETEX", "k", "EX", "0"), "ERR invalid expire time in 'getex' command")
	requireErr(t, do(db, "GETEX", "k", "PX", "-1"), "ERR invalid expire time in 'getex' command")
	requireErr(t, do(db, "GETEX", "k", "EX", "x"), errNotInt)
	requireInt(t, do(db, "TTL", "k"), -1)

	// Typed API.
	v, ok, err := db.GetEx("k", engine.GetExArgs{TTL: 5 * time.Second})
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, "v", string(v))
	require.EqualValues(t, 5, db.TTL("k"))
	_, _, err = db.GetEx("k", engine.GetExArgs{TTL: time.Second, Persist: true})
	require.ErrorIs(t, err, engine.ErrSyntax)
	_, _, err = db.GetEx("k", engine.GetExArgs{TTL: -time.Second})
	require.EqualError(t, err, "ERR invalid expire time in 'getex' command")
	_, ok, err = db.GetEx("k", engine.GetExArgs{Persist: true})
	require.NoError(t, err)
	require.True(t, ok)
	require.EqualValues(t, -1, db.TTL("k"))
	_, ok, err = db.GetEx("k", engine.GetExArgs{ExpireAt: clk.Now().Add(-time.Second)})
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, 0, db.Exists("k"))
	_, ok, err = db.GetEx("k", engine.GetExArgs{})
	require.NoError(t, err)
	require.False(t, ok)
}

func TestMGetMSet(t *testing.T) {
	db, clk := openDB(t)
	requireOK(t, do(db, "MSET", "a", "1", "b", "2", "{t}c", "3", "{t}d", "4"))
	require.Equal(t, []string{"1", "2", "<nil>", "3", "4"}, bulks(t, do(db, "MGET", "a", "b", "x", "{t}c", "{t}d")))
	require.Equal(t, []string{"1", "1"}, bulks(t, do(db, "MGET", "a", "a")))
	vals := db.MGet("a", "x", "b")
	require.Equal(t, [][]byte{[]byte("1"), nil, []byte("2")}, vals)

	// Later pairs win; MSET clears TTLs.
	requireOK(t, do(db, "SET", "a", "old", "EX", "100"))
	requireOK(t, do(db, "MSET", "a", "x", "a", "y"))
	requireBulk(t, do(db, "GET", "a"), "y")
	requireInt(t, do(db, "TTL", "a"), -1)

	requireErr(t, do(db, "MSET", "a", "1", "b"), "ERR wrong number of arguments for 'mset' command")
	requireErr(t, do(db, "MSET", "a"), "ERR wrong number of arguments for 'mset' command")
	requireErr(t, do(db, "MSETNX", "a", "1", "b"), "ERR wrong number of arguments for 'msetnx' command")
	requireErr(t, do(db, "MGET"), "ERR wrong number of arguments for 'mget' command")
	requireBulk(t, do(db, "GET", "a"), "y")

	// MSETNX is all or nothing.
	requireInt(t, do(db, "MSETNX", "n1", "1", "n2", "2"), 1)
	requireInt(t, do(db, "MSETNX", "n3", "3", "n1", "x"), 0)
	require.Equal(t, 0, db.Exists("n3"))
	requireBulk(t, do(db, "GET", "n1"), "1")
	ok, err := db.MSetNX(engine.KV{Key: "n4", Value: []byte("4")}, engine.KV{Key: "n2", Value: []byte("x")})
	require.NoError(t, err)
	require.False(t, ok)
	require.Equal(t, 0, db.Exists("n4"))
	ok, err = db.MSetNX(engine.KV{Key: "n4", Value: []byte("4")}, engine.KV{Key: "n5", Value: []byte("5")})
	require.NoError(t, err)
	require.True(t, ok)
	require.NoError(t, db.MSet(engine.KV{Key: "n4", Value: []byte("x")}, engine.KV{Key: "n6", Value: []byte("6")}))
	require.Equal(t, []string{"x", "5", "6"}, bulks(t, do(db, "MGET", "n4", "n5", "n6")))

	// An expired key counts as missing for MSETNX and MGET.
	requireOK(t, do(db, "SET", "ex", "v", "PX", "5"))
	clk.Advance(6 * time.Millisecond)
	require.Equal(t, []string{"<nil>"}, bulks(t, do(db, "MGET", "ex")))
	requireInt(t, do(db, "MSETNX", "ex", "new"), 1)
	requireBulk(t, do(db, "GET", "ex"), "new")
}

func TestIncrDecr(t *testing.T) {
	db, _ := openDB(t)
	requireInt(t, do(db, "INCR", "n"), 1)
	requireInt(t, do(db, "INCR", "n"), 2)
	requireInt(t, do(db, "DECR", "n"), 1)
	requireInt(t, do(db, "INCRBY", "n", "10"), 11)
	requireInt(t, do(db, "INCRBY", "n", "-20"), -9)
	requireInt(t, do(db, "DECRBY", "n", "-9"), 0)
	requireInt(t, do(db, "DECRBY", "n", "5"), -5)
	requireBulk(t, do(db, "GET", "n"), "-5")
	requireInt(t, do(db, "DECR", "m"), -1)

	n, err := db.Incr("t")
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	n, err = db.IncrBy("t", 41)
	require.NoError(t, err)
	require.EqualValues(t, 42, n)
	n, err = db.Decr("t")
	require.NoError(t, err)
	require.EqualValues(t, 41, n)
	n, err = db.DecrBy("t", 40)
	require.NoError(t, err)
	require.EqualValues(t, 1, n)

	// A value set as a string but holding a canonical integer works.
	requireOK(t, do(db, "SET", "s", "100"))
	requireInt(t, do(db, "INCR", "s"), 101)
	requireOK(t, do(db, "SET", "s", "-9223372036854775808"))
	requireInt(t, do(db, "INCR", "s"), -9223372036854775807)

	// Overflow.
	requireOK(t, do(db, "SET", "max", "9223372036854775807"))
	requireErr(t, do(db, "INCR", "max"), errOverflow)
	requireErr(t, do(db, "INCRBY", "max", "1"), errOverflow)
	requireErr(t, do(db, "DECRBY", "max", "-1"), errOverflow)
	requireInt(t, do(db, "INCRBY", "max", "0"), 9223372036854775807)
	requireInt(t, do(db, "DECRBY", "max", "9223372036854775807"), 0)
	requireOK(t, do(db, "SET", "min", "-9223372036854775808"))
	requireErr(t, do(db, "DECR", "min"), errOverflow)
	requireErr(t, do(db, "INCRBY", "min", "-1"), errOverflow)
	requireInt(t, do(db, "INCRBY", "min", "9223372036854775807"), -1)
	requireBulk(t, do(db, "GET", "max"), "0")
	_, err = db.IncrBy("min2", -1)
	require.NoError(t, err)
	_, err = db.IncrBy("min2", -9223372036854775808)
	require.ErrorIs(t, err, engine.ErrOverflow)

	requireErr(t, do(db, "DECRBY", "z", "-9223372036854775808"), "ERR decrement would overflow")
	_, err = db.DecrBy("z", -9223372036854775808)
	require.ErrorIs(t, err, engine.ErrDecrementOverflow)
	require.EqualError(t, err, "ERR decrement would overflow")
	require.Equal(t, 0, db.Exists("z"))
	requireInt(t, do(db, "INCRBY", "z", "-9223372036854775808"), -9223372036854775808)

	// Values that are not canonical integers.
	for _, v := range []string{"1.5", " 1", "1 ", "01", "+1", "-0", "", "abc", "123456789012345678901", "9223372036854775808", "-9223372036854775809", "1e3", "0x10"} {
		requireOK(t, do(db, "SET", "bad", v))
		requireErr(t, do(db, "INCR", "bad"), errNotInt)
		requireErr(t, do(db, "DECRBY", "bad", "1"), errNotInt)
		_, err := db.Incr("bad")
		require.ErrorIs(t, err, engine.ErrNotInteger, "value %q", v)
		requireBulk(t, do(db, "GET", "bad"), v)
		// As an argument too.
		requireErr(t, do(db, "INCRBY", "n", v), errNotInt)
		requireErr(t, do(db, "DECRBY", "n", v), errNotInt)
	}
	requireBulk(t, do(db, "GET", "n"), "-5")
	requireErr(t, do(db, "INCR"), "ERR wrong number of arguments for 'incr' command")
	requireErr(t, do(db, "INCRBY", "n"), "ERR wrong number of arguments for 'incrby' command")
	requireErr(t, do(db, "DECR", "n", "1"), "ERR wrong number of arguments for 'decr' command")
}

func TestIncrKeepsTTL(t *testing.T) {
	db, clk := openDB(t)
	requireOK(t, do(db, "SET", "n", "5", "PX", "10000"))
	clk.Advance(time.Second)
	requireInt(t, do(db, "INCR", "n"), 6)
	requireInt(t, do(db, "PTTL", "n"), 9000)
	requireInt(t, do(db, "DECRBY", "n", "2"), 4)
	requireInt(t, do(db, "PTTL", "n"), 9000)
	clk.Advance(9001 * time.Millisecond)
	// Expired: INCR starts from 0 without a TTL.
	requireInt(t, do(db, "INCR", "n"), 1)
	requireInt(t, do(db, "TTL", "n"), -1)
}

func TestAppendStrlen(t *testing.T) {
	db, clk := openDB(t)
	requireInt(t, do(db, "STRLEN", "k"), 0)
	requireInt(t, do(db, "APPEND", "k", "ab"), 2)
	requireInt(t, do(db, "APPEND", "k", "cd"), 4)
	requireInt(t, do(db, "APPEND", "k", ""), 4)
	requireBulk(t, do(db, "GET", "k"), "abcd")
	requireInt(t, do(db, "STRLEN", "k"), 4)

	// APPEND of "" on a missing key creates an empty string (as Redis does).
	requireInt(t, do(db, "APPEND", "e", ""), 0)
	require.Equal(t, 1, db.Exists("e"))
	requireBulk(t, do(db, "GET", "e"), "")

	// On an integer.
	requireInt(t, do(db, "INCRBY", "i", "12"), 12)
	requireInt(t, do(db, "APPEND", "i", "3"), 3)
	requireBulk(t, do(db, "GET", "i"), "123")
	requireInt(t, do(db, "INCR", "i"), 124)
	requireInt(t, do(db, "APPEND", "i", "x"), 4)
	requireErr(t, do(db, "INCR", "i"), errNotInt)
	requireInt(t, do(db, "STRLEN", "i"), 4)
	requireInt(t, do(db, "INCRBY", "neg", "-123456"), -123456)
	requireInt(t, do(db, "STRLEN", "neg"), 7)

	// Growth: many appends, checked against a builder.
	var sb strings.Builder
	for i := 0; i < 3000; i++ {
		piece := strings.Repeat(string(rune('a'+i%26)), 1+i%37)
		sb.WriteString(piece)
		n, err := db.Append("grow", []byte(piece))
		require.NoError(t, err)
		require.Equal(t, sb.Len(), n)
	}
	v, _ := mustGet(t, db, "grow")
	require.Equal(t, sb.String(), v)
	n, err := db.Strlen("grow")
	require.NoError(t, err)
	require.Equal(t, sb.Len(), n)

	// TTL is kept.
	requireOK(t, do(db, "SET", "t", "x", "PX", "5000"))
	clk.Advance(time.Second)
	requireInt(t, do(db, "APPEND", "t", "y"), 2)
	requireInt(t, do(db, "PTTL", "t"), 4000)
}

func TestGetRange(t *testing.T) {
	db, _ := openDB(t)
	requireOK(t, do(db, "SET", "k", "Hello World"))
	cases := []struct {
		start, end string
		want       string
	}{
		{"0", "3", "Hell"},
		{"0", "-1", "Hello World"},
		{"-3", "-1", "rld"},
		{"5", "3", ""},
		{"-1", "-5", ""},
		{"0", "100", "Hello World"},
		{"-100", "2", "Hel"},
		{"-100", "-100", "H"},
		{"100", "200", ""},
		{"10", "10", "d"},
		{"11", "11", ""},
		{"-9223372036854775808", "9223372036854775807", "Hello World"},
		{"9223372036854775807", "-9223372036854775808", ""},
		{"-9223372036854775808", "-9223372036854775808", "H"},
		{"3", "-100", ""},
	}
	for _, c := range cases {
		requireBulk(t, do(db, "GETRANGE", "k", c.start, c.end), c.want)
		requireBulk(t, do(db, "SUBSTR", "k", c.start, c.end), c.want)
	}
	v, err := db.GetRange("k", -5, -1)
	require.NoError(t, err)
	require.Equal(t, "World", string(v))

	requireBulk(t, do(db, "GETRANGE", "missing", "0", "-1"), "")
	v, err = db.GetRange("missing", 0, 10)
	require.NoError(t, err)
	require.Empty(t, v)
	requireOK(t, do(db, "SET", "empty", ""))
	requireBulk(t, do(db, "GETRANGE", "empty", "0", "-1"), "")
	requireBulk(t, do(db, "GETRANGE", "empty", "-1", "0"), "")

	// Integers.
	requireInt(t, do(db, "INCRBY", "i", "-12345"), -12345)
	requireBulk(t, do(db, "GETRANGE", "i", "1", "3"), "123")

	requireErr(t, do(db, "GETRANGE", "k", "a", "1"), errNotInt)
	requireErr(t, do(db, "GETRANGE", "k", "0", "1.0"), errNotInt)
	requireErr(t, do(db, "GETRANGE", "k", "0"), "ERR wrong number of arguments for 'getrange' command")
}

func TestSetRange(t *testing.T) {
	db, clk := openDB(t)
	requireOK(t, do(db, "SET", "k", "Hello World"))
	requireInt(t, do(db, "SETRANGE", "k", "6", "Redis"), 11)
	requireBulk(t, do(db, "GET", "k"), "Hello Redis")
	requireInt(t, do(db, "SETRANGE", "k", "9", "xxxx"), 13)
	requireBulk(t, do(db, "GET", "k"), "Hello Redxxxx")

	// Padding with zero bytes, on a new key.
	requireInt(t, do(db, "SETRANGE", "p", "5", "ab"), 7)
	requireBulk(t, do(db, "GET", "p"), "\x00\x00\x00\x00\x00ab")
	requireInt(t, do(db, "SETRANGE", "p", "10", "c"), 11)
	requireBulk(t, do(db, "GET", "p"), "\x00\x00\x00\x00\x00ab\x00\x00\x00c")

	// Empty value: nothing created, length reported.
	requireInt(t, do(db, "SETRANGE", "none", "0", ""), 0)
	requireInt(t, do(db, "SETRANGE", "none", "100", ""), 0)
	require.Equal(t, 0, db.Exists("none"))
	requireInt(t, do(db, "SETRANGE", "k", "100", ""), 13)
	requireBulk(t, do(db, "GET", "k"), "Hello Redxxxx")
	n, err := db.SetRange("none", 3, nil)
	require.NoError(t, err)
	require.Zero(t, n)
	require.Equal(t, 0, db.Exists("none"))

	// Integers.
	requireInt(t, do(db, "INCRBY", "i", "1234"), 1234)
	requireInt(t, do(db, "SETRANGE", "i", "1", "9"), 4)
	requireBulk(t, do(db, "GET", "i"), "1934")
	requireInt(t, do(db, "INCR", "i"), 1935)

	// TTL kept.
	requireOK(t, do(db, "SET", "t", "abc", "PX", "3000"))
	clk.Advance(time.Second)
	requireInt(t, do(db, "SETRANGE", "t", "1", "X"), 3)
	requireInt(t, do(db, "PTTL", "t"), 2000)
	requireBulk(t, do(db, "GET", "t"), "aXc")

	// Errors.
	requireErr(t, do(db, "SETRANGE", "k", "-1", "x"), "ERR offset is out of range")
	_, err = db.SetRange("k", -1, []byte("x"))
	require.ErrorIs(t, err, engine.ErrOffsetOutOfRange)
	requireErr(t, do(db, "SETRANGE", "k", "x", "x"), errNotInt)
	const tooLong = "ERR string exceeds maximum allowed size (proto-max-bulk-len)"
	requireErr(t, do(db, "SETRANGE", "k", "536870912", "x"), tooLong)
	requireErr(t, do(db, "SETRANGE", "new", "536870911", "xy"), tooLong)
	requireErr(t, do(db, "SETRANGE", "new", "9223372036854775807", "x"), tooLong)
	requireErr(t, do(db, "SETRANGE", "k", "9223372036854775807", "xyz"), tooLong)
	_, err = db.SetRange("new", 1<<62, []byte("abc"))
	require.ErrorIs(t, err, engine.ErrStringTooLong)
	require.Equal(t, 0, db.Exists("new"))
	requireBulk(t, do(db, "GET", "k"), "Hello Redxxxx")
	// Empty value with a huge offset is fine (nothing to write).
	requireInt(t, do(db, "SETRANGE", "k", "9223372036854775807", ""), 13)
}

func TestReturnedValuesAreSnapshots(t *testing.T) {
	db, _ := openDB(t)
	require.NoError(t, db.Set("k", []byte("hello")))
	v1, _, err := db.Get("k")
	require.NoError(t, err)
	r1 := do(db, "GET", "k")

	_, err = db.SetRange("k", 0, []byte("J"))
	require.NoError(t, err)
	v2, _, _ := db.Get("k")
	_, err = db.Append("k", []byte(" world"))
	require.NoError(t, err)
	v3, _, _ := db.Get("k")
	// Appending to the caller's copy must not reach the store.
	_ = append(v3, "!!!"...)
	_, err = db.Append("k", []byte("?"))
	require.NoError(t, err)
	v4, _, _ := db.Get("k")
	require.NoError(t, db.Set("k", []byte("other")))
	old, _, err := db.GetSet("k", []byte("again"))
	require.NoError(t, err)
	_, err = db.SetRange("k", 2, []byte("XYZW"))
	require.NoError(t, err)

	require.Equal(t, "hello", string(v1))
	require.Equal(t, "hello", string(r1.Bulk))
	require.Equal(t, "Jello", string(v2))
	require.Equal(t, "Jello world", string(v3))
	require.Equal(t, "Jello world?", string(v4))
	require.Equal(t, "other", string(old))
	v, _ := mustGet(t, db, "k")
	require.Equal(t, "agXYZW", v)

	// The value passed to Set is copied.
	buf := []byte("abc")
	require.NoError(t, db.Set("c", buf))
	buf[0] = 'X'
	v, _ = mustGet(t, db, "c")
	require.Equal(t, "abc", v)
	// And Do's arguments are not retained.
	args := [][]byte{[]byte("SET"), []byte("d"), []byte("xyz")}
	requireOK(t, db.Do(context.Background(), args...))
	args[1][0], args[2][0] = 'q', 'q'
	v, ok := mustGet(t, db, "d")
	require.True(t, ok)
	require.Equal(t, "xyz", v)

	// GETRANGE results do not change either.
	require.NoError(t, db.Set("g", []byte("0123456789")))
	part, err := db.GetRange("g", 2, 4)
	require.NoError(t, err)
	_, err = db.Append("g", []byte("abc"))
	require.NoError(t, err)
	_, err = db.SetRange("g", 2, []byte("zzz"))
	require.NoError(t, err)
	require.Equal(t, "234", string(part))
	// And MGET.
	vals := db.MGet("g")
	_, _ = db.SetRange("g", 0, []byte("!!"))
	require.Equal(t, "01zzz56789abc", string(vals[0]))
}

func itoa(n int64) string { return strconvItoa(n) }

func TestKeyTooLong(t *testing.T) {
	db, _ := openDB(t)
	long := strings.Repeat("k", engine.MaxKeyLen+1)
	require.ErrorIs(t, db.Set(long, []byte("v")), engine.ErrKeyTooLong)
	requireErr(t, do(db, "SET", long, "v"), "ERR key is too long")
	requireErr(t, do(db, "MSET", "a", "1", long, "v"), "ERR key is too long")
	require.Equal(t, 0, db.Exists("a"), "MSET is all or nothing")
	require.NoError(t, db.Set("src", []byte("v")))
	require.ErrorIs(t, db.Rename("src", long), engine.ErrKeyTooLong)
	requireBulk(t, do(db, "GET", "src"), "v")
	_, err := db.Incr(long)
	require.ErrorIs(t, err, engine.ErrKeyTooLong)
	require.Equal(t, 1, db.DBSize())
}
