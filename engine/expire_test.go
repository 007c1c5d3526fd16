package engine_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/jackdawdb/jackdaw/engine"
)

func TestExpireFamily(t *testing.T) {
	db, clk := openDB(t)
	requireInt(t, do(db, "EXPIRE", "missing", "10"), 0)
	requireInt(t, do(db, "TTL", "missing"), -2)
	requireInt(t, do(db, "PTTL", "missing"), -2)
	requireInt(t, do(db, "EXPIRETIME", "missing"), -2)
	requireInt(t, do(db, "PEXPIRETIME", "missing"), -2)
	require.EqualValues(t, engine.TTLNoKey, db.TTL("missing"))

	requireOK(t, do(db, "SET", "k", "v"))
	requireInt(t, do(db, "TTL", "k"), -1)
	requireInt(t, do(db, "PTTL", "k"), -1)
	requireInt(t, do(db, "EXPIRETIME", "k"), -1)
	requireInt(t, do(db, "PEXPIRETIME", "k"), -1)
	require.EqualValues(t, engine.TTLNoExpiry, db.PTTL("k"))

	now := clk.Ms()
	requireInt(t, do(db, "EXPIRE", "k", "100"), 1)
	requireInt(t, do(db, "PEXPIRETIME", "k"), now+100_000)
	requireInt(t, do(db, "EXPIRETIME", "k"), (now+100_000)/1000)
	requireInt(t, do(db, "PEXPIRE", "k", "1234"), 1)
	requireInt(t, do(db, "PTTL", "k"), 1234)
	requireInt(t, do(db, "TTL", "k"), 1)
	requireInt(t, do(db, "EXPIREAT", "k", itoa(now/1000+500)), 1)
	requireInt(t, do(db, "EXPIRETIME", "k"), now/1000+500)
	requireInt(t, do(db, "PEXPIREAT", "k", itoa(now+777)), 1)
	requireInt(t, do(db, "PEXPIRETIME", "k"), now+777)

	// TTL rounds to the nearest second.
	for _, c := range []struct{ pttl, ttl int64 }{{1499, 1}, {1500, 2}, {499, 0}, {500, 1}, {2501, 3}} {
		requireInt(t, do(db, "PEXPIRE", "k", itoa(c.pttl)), 1)
		requireInt(t, do(db, "TTL", "k"), c.ttl)
		require.Equal(t, c.ttl, db.TTL("k"))
	}

	// Time passes.
	requireInt(t, do(db, "PEXPIRE", "k", "1000"), 1)
	clk.Advance(400 * time.Millisecond)
	requireInt(t, do(db, "PTTL", "k"), 600)
	clk.Advance(600 * time.Millisecond)
	requireInt(t, do(db, "PTTL", "k"), 0)
	requireBulk(t, do(db, "GET", "k"), "v")
	clk.Advance(time.Millisecond)
	requireInt(t, do(db, "PTTL", "k"), -2)
	requireNil(t, do(db, "GET", "k"))

	// PERSIST.
	requireInt(t, do(db, "PERSIST", "k"), 0)
	requireOK(t, do(db, "SET", "k", "v"))
	requireInt(t, do(db, "PERSIST", "k"), 0)
	requireInt(t, do(db, "EXPIRE", "k", "10"), 1)
	requireInt(t, do(db, "PERSIST", "k"), 1)
	requireInt(t, do(db, "TTL", "k"), -1)
	require.False(t, db.Persist("k"))
	require.False(t, db.Persist("nope"))

	// Zero and negative TTLs and past times delete the key and return 1.
	for _, args := range [][]string{
		{"EXPIRE", "k", "0"}, {"EXPIRE", "k", "-10"}, {"PEXPIRE", "k", "0"}, {"PEXPIRE", "k", "-1"},
		{"EXPIREAT", "k", "1"}, {"PEXPIREAT", "k", itoa(clk.Ms())}, {"EXPIREAT", "k", "-5"},
	} {
		requireOK(t, do(db, "SET", "k", "v"))
		requireInt(t, do(db, args...), 1)
		require.Equal(t, 0, db.Exists("k"), "%v", args)
		require.Equal(t, 0, db.DBSize(), "%v", args)
	}
	requireInt(t, do(db, "EXPIRE", "k", "-1"), 0) // no key: 0

	// Errors.
	requireOK(t, do(db, "SET", "k", "v"))
	requireErr(t, do(db, "EXPIRE", "k", "abc"), errNotInt)
	requireErr(t, do(db, "EXPIRE", "k", "1.5"), errNotInt)
	requireErr(t, do(db, "EXPIRE", "k", "9223372036854775807"), "ERR invalid expire time in 'expire' command")
	requireErr(t, do(db, "EXPIRE", "k", "-9223372036854775808"), "ERR invalid expire time in 'expire' command")
	requireErr(t, do(db, "EXPIRE", "k", "9223372036854775"), "ERR invalid expire time in 'expire' command")
	requireErr(t, do(db, "PEXPIRE", "k", "9223372036854775807"), "ERR invalid expire time in 'pexpire' command")
	requireErr(t, do(db, "EXPIREAT", "k", "9223372036854775807"), "ERR invalid expire time in 'expireat' command")
	requireErr(t, do(db, "EXPIRE", "k"), "ERR wrong number of arguments for 'expire' command")
	requireErr(t, do(db, "TTL"), "ERR wrong number of arguments for 'ttl' command")
	requireErr(t, do(db, "EXPIRE", "k", "10", "foo"), "ERR Unsupported option foo")
	requireErr(t, do(db, "PEXPIREAT", "k", "10", "NX", "bar"), "ERR Unsupported option bar")
	// Options are checked before the number (Redis's order).
	requireErr(t, do(db, "EXPIRE", "k", "abc", "foo"), "ERR Unsupported option foo")
	requireErr(t, do(db, "EXPIRE", "k", "abc", "NX", "XX"), "ERR NX and XX, GT or LT options at the same time are not compatible")
	requireInt(t, do(db, "TTL", "k"), -1)

	// Typed API.
	ok, err := db.Expire("k", 5*time.Second, 0)
	require.NoError(t, err)
	require.True(t, ok)
	require.EqualValues(t, 5000, db.PTTL("k"))
	ok, err = db.ExpireAt("k", clk.Now().Add(time.Minute), 0)
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, clk.Now().Add(time.Minute).Unix(), db.ExpireTime("k"))
	ok, err = db.Expire("nope", time.Second, 0)
	require.NoError(t, err)
	require.False(t, ok)
	ok, err = db.Expire("k", 0, 0)
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, 0, db.Exists("k"))
	require.NoError(t, db.Set("k", nil))
	ok, err = db.ExpireAt("k", clk.Now().Add(-time.Hour), 0)
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, 0, db.Exists("k"))
	_, err = db.Expire("k", time.Second, engine.ExpireNX|engine.ExpireGT)
	require.ErrorIs(t, err, engine.ErrExpireNXAndOther)
	_, err = db.ExpireAt("k", clk.Now(), engine.ExpireGT|engine.ExpireLT)
	require.ErrorIs(t, err, engine.ErrExpireGTAndLT)
}

func TestExpireConditions(t *testing.T) {
	db, clk := openDB(t)
	requireOK(t, do(db, "SET", "k", "v"))

	// No TTL: NX sets, XX and GT fail, LT succeeds.
	requireInt(t, do(db, "EXPIRE", "k", "100", "XX"), 0)
	requireInt(t, do(db, "EXPIRE", "k", "100", "GT"), 0)
	requireInt(t, do(db, "TTL", "k"), -1)
	requireInt(t, do(db, "EXPIRE", "k", "100", "LT"), 1)
	requireInt(t, do(db, "TTL", "k"), 100)
	requireInt(t, do(db, "PERSIST", "k"), 1)
	requireInt(t, do(db, "EXPIRE", "k", "100", "NX"), 1)
	requireInt(t, do(db, "TTL", "k"), 100)

	// With a TTL of 100s.
	requireInt(t, do(db, "EXPIRE", "k", "200", "NX"), 0)
	requireInt(t, do(db, "EXPIRE", "k", "200", "xx"), 1)
	requireInt(t, do(db, "TTL", "k"), 200)
	requireInt(t, do(db, "EXPIRE", "k", "100", "GT"), 0)
	requireInt(t, do(db, "EXPIRE", "k", "200", "GT"), 0) // equal is not greater
	requireInt(t, do(db, "EXPIRE", "k", "300", "GT"), 1)
	requireInt(t, do(db, "TTL", "k"), 300)
	requireInt(t, do(db, "EXPIRE", "k", "400", "LT"), 0)
	requireInt(t, do(db, "EXPIRE", "k", "300", "LT"), 0)
	requireInt(t, do(db, "EXPIRE", "k", "50", "lt"), 1)
	requireInt(t, do(db, "TTL", "k"), 50)
	requireInt(t, do(db, "EXPIRE", "k", "60", "XX", "GT"), 1)
	requireInt(t, do(db, "EXPIRE", "k", "70", "XX", "LT"), 0)
	requireInt(t, do(db, "PEXPIREAT", "k", itoa(clk.Ms()+10_000), "LT"), 1)
	requireInt(t, do(db, "PTTL", "k"), 10_000)
	requireInt(t, do(db, "EXPIREAT", "k", itoa(clk.Now().Unix()+1000), "GT"), 1)
	requireInt(t, do(db, "TTL", "k"), 1000)
	// LT with a negative TTL deletes.
	requireInt(t, do(db, "EXPIRE", "k", "-1", "LT"), 1)
	require.Equal(t, 0, db.Exists("k"))
	// Conditions on a missing key: 0.
	requireInt(t, do(db, "EXPIRE", "k", "10", "NX"), 0)

	for _, c := range [][]string{{"NX", "XX"}, {"NX", "GT"}, {"LT", "NX"}, {"nx", "xx", "gt"}} {
		requireErr(t, do(db, append([]string{"EXPIRE", "k", "10"}, c...)...), "ERR NX and XX, GT or LT options at the same time are not compatible")
	}
	requireErr(t, do(db, "EXPIRE", "k", "10", "GT", "LT"), "ERR GT and LT options at the same time are not compatible")
	requireErr(t, do(db, "PEXPIRE", "k", "10", "XX", "LT", "GT"), "ERR GT and LT options at the same time are not compatible")
	// Repeating a flag is fine.
	requireOK(t, do(db, "SET", "k", "v"))
	requireInt(t, do(db, "EXPIRE", "k", "10", "NX", "NX"), 1)

	// Typed API with conditions.
	ok, err := db.Expire("k", time.Hour, engine.ExpireNX)
	require.NoError(t, err)
	require.False(t, ok)
	ok, err = db.Expire("k", time.Hour, engine.ExpireGT)
	require.NoError(t, err)
	require.True(t, ok)
	ok, err = db.Expire("k", 2*time.Hour, engine.ExpireLT)
	require.NoError(t, err)
	require.False(t, ok)
	ok, err = db.Expire("k", time.Minute, engine.ExpireXX|engine.ExpireLT)
	require.NoError(t, err)
	require.True(t, ok)
	require.EqualValues(t, 60, db.TTL("k"))
}

func TestWritesAndTTL(t *testing.T) {
	db, clk := openDB(t)
	set := func() {
		requireOK(t, do(db, "SET", "k", "10", "PX", "10000"))
	}
	// Kept by INCR/DECR/INCRBY, APPEND, SETRANGE, SET KEEPTTL, GETEX without options.
	for _, args := range [][]string{
		{"INCR", "k"}, {"DECR", "k"}, {"INCRBY", "k", "5"}, {"DECRBY", "k", "5"},
		{"APPEND", "k", "x"}, {"SETRANGE", "k", "0", "9"}, {"SET", "k", "x", "KEEPTTL"}, {"GETEX", "k"},
		{"SET", "k", "x", "XX", "KEEPTTL"},
	} {
		set()
		r := do(db, args...)
		require.False(t, r.IsError(), "%v: %s", args, r)
		requireInt(t, do(db, "PTTL", "k"), 10000)
	}
	// Cleared by SET, GETSET, MSET, SET NX on missing, GETEX PERSIST, SETEX replaces.
	for _, args := range [][]string{
		{"SET", "k", "x"}, {"GETSET", "k", "x"}, {"MSET", "k", "x"}, {"GETEX", "k", "PERSIST"}, {"SET", "k", "x", "XX"}, {"SET", "k", "x", "GET"},
	} {
		set()
		r := do(db, args...)
		require.False(t, r.IsError(), "%v: %s", args, r)
		requireInt(t, do(db, "TTL", "k"), -1)
	}
	// A failed SET NX leaves the TTL alone.
	set()
	requireNil(t, do(db, "SET", "k", "x", "NX"))
	requireInt(t, do(db, "PTTL", "k"), 10000)

	// Typed API: Set clears, Incr/Append/SetRange keep.
	set()
	_, err := db.Incr("k")
	require.NoError(t, err)
	_, err = db.Append("k", []byte("1"))
	require.NoError(t, err)
	_, err = db.SetRange("k", 0, []byte("2"))
	require.NoError(t, err)
	clk.Advance(time.Second)
	require.EqualValues(t, 9000, db.PTTL("k"))
	require.NoError(t, db.Set("k", []byte("v")))
	require.EqualValues(t, -1, db.PTTL("k"))
}

// TestExpiredKeysInvisible checks that keys past their expiry are never
// returned by any read, even though nothing has reclaimed them yet.
func TestExpiredKeysInvisible(t *testing.T) {
	db, clk := openDB(t)
	const n = 300
	for i := 0; i < n; i++ {
		requireOK(t, do(db, "SET", fmt.Sprintf("dead:%d", i), "v", "PX", "100"))
		requireOK(t, do(db, "SET", fmt.Sprintf("live:%d", i), "v"))
	}
	clk.Advance(101 * time.Millisecond)
	// DBSIZE still counts the unreclaimed keys, as Redis does.
	require.Equal(t, 2*n, db.DBSize())

	require.Len(t, db.Keys("*"), n)
	require.Empty(t, db.Keys("dead:*"))
	require.Empty(t, bulks(t, do(db, "KEYS", "dead:*")))
	scanned := scanAll(t, db, engine.ScanArgs{})
	require.Len(t, uniq(scanned), n)
	for _, k := range scanned {
		require.Regexp(t, "^live:", k)
	}
	require.Empty(t, scanAll(t, db, engine.ScanArgs{Match: "dead:*", Count: 1000}))
	for i := 0; i < 50; i++ {
		k, ok := db.RandomKey()
		require.True(t, ok)
		require.Regexp(t, "^live:", k)
	}
	for i := 0; i < n; i += 7 {
		k := fmt.Sprintf("dead:%d", i)
		require.Equal(t, engine.TypeNone, db.Type(k))
		requireStatus(t, do(db, "TYPE", fmt.Sprintf("dead:%d", i+1)), "none")
		require.EqualValues(t, -2, db.TTL(fmt.Sprintf("dead:%d", i+2)))
		requireInt(t, do(db, "PTTL", fmt.Sprintf("dead:%d", i+3)), -2)
		require.Equal(t, []string{"<nil>", "v"}, bulks(t, do(db, "MGET", fmt.Sprintf("dead:%d", i+4), "live:0")))
		require.Equal(t, 0, db.Exists(fmt.Sprintf("dead:%d", i+5)))
		_, ok, err := db.Get(fmt.Sprintf("dead:%d", i+6))
		require.NoError(t, err)
		require.False(t, ok)
		requireInt(t, do(db, "STRLEN", k), 0)
	}
	// Touching keys reclaims them and counts them.
	require.Greater(t, db.Stats().Total.Expired, int64(0))
}

func TestBackgroundExpiryCycle(t *testing.T) {
	clk := newFakeClock()
	db, err := engine.Open(engine.Options{Clock: clk.Now, ExpireInterval: 2 * time.Millisecond, Shards: 8})
	require.NoError(t, err)
	defer db.Close()

	const n = 3000
	for i := 0; i < n; i++ {
		require.NoError(t, db.SetEX(fmt.Sprintf("k%d", i), []byte("v"), time.Second))
	}
	for i := 0; i < 100; i++ {
		require.NoError(t, db.Set(fmt.Sprintf("keep%d", i), []byte("v")))
	}
	require.NoError(t, db.SetEX("later", []byte("v"), time.Hour))
	require.Equal(t, n+101, db.DBSize())
	require.EqualValues(t, n+1, db.Stats().Total.Expires)
	time.Sleep(20 * time.Millisecond)
	require.Equal(t, n+101, db.DBSize(), "nothing expired yet")

	clk.Advance(2 * time.Second)
	require.Eventually(t, func() bool { return db.DBSize() == 101 }, 10*time.Second, 5*time.Millisecond)
	st := db.Stats()
	require.EqualValues(t, n, st.Total.Expired)
	require.EqualValues(t, 1, st.Total.Expires)
	require.EqualValues(t, 101, st.Total.TotalKeys())
	require.EqualValues(t, 1, db.Exists("later"))
}

func uniq(ss []string) map[string]bool {
	m := make(map[string]bool, len(ss))
	for _, s := range ss {
		m[s] = true
	}
	return m
}
