package engine_test

import (
	"context"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/jackdawdb/jackdaw/engine"
)

// fakeClock is a mutex-protected time that tests advance by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.UnixMilli(1_700_000_000_000)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func (c *fakeClock) Ms() int64 { return c.Now().UnixMilli() }

// openDB opens a DB on a fake clock with the background expiry cycle off,
// closed when the test ends.
func openDB(t testing.TB) (*engine.DB, *fakeClock) {
	t.Helper()
	clk := newFakeClock()
	db, err := engine.Open(engine.Options{Clock: clk.Now, ExpireInterval: -1})
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	return db, clk
}

func do(db *engine.DB, args ...string) engine.Reply {
	return db.DoStrings(context.Background(), args...)
}

func requireOK(t testing.TB, r engine.Reply) {
	t.Helper()
	require.Equal(t, engine.ReplyStatus, r.Kind, "reply: %s", r)
	require.Equal(t, "OK", r.Str)
}

func requireStatus(t testing.TB, r engine.Reply, s string) {
	t.Helper()
	require.Equal(t, engine.ReplyStatus, r.Kind, "reply: %s", r)
	require.Equal(t, s, r.Str)
}

func requireErr(t testing.TB, r engine.Reply, text string) {
	t.Helper()
	require.Equal(t, engine.ReplyError, r.Kind, "reply: %s", r)
	require.EqualError(t, r.Err, text)
}

func requireInt(t testing.TB, r engine.Reply, n int64) {
	t.Helper()
	require.Equal(t, engine.ReplyInt, r.Kind, "reply: %s", r)
	require.Equal(t, n, r.Int)
}

func requireBulk(t testing.TB, r engine.Reply, s string) {
	t.Helper()
	require.Equal(t, engine.ReplyBulk, r.Kind, "reply: %s", r)
	require.Equal(t, s, string(r.Bulk))
}

func requireNil(t testing.TB, r engine.Reply) {
	t.Helper()
	require.Equal(t, engine.ReplyNil, r.Kind, "reply: %s", r)
}

// bulks returns an array reply's elements as strings, "<nil>" for nil.
func bulks(t testing.TB, r engine.Reply) []string {
	t.Helper()
	require.Equal(t, engine.ReplyArray, r.Kind, "reply: %s", r)
	out := make([]string, len(r.Array))
	for i, e := range r.Array {
		switch e.Kind {
		case engine.ReplyNil:
			out[i] = "<nil>"
		case engine.ReplyBulk:
			out[i] = string(e.Bulk)
		default:
			t.Fatalf("element %d: unexpected reply %s", i, e)
		}
	}
	return out
}

func mustGet(t testing.TB, db *engine.DB, key string) (string, bool) {
	t.Helper()
	v, ok, err := db.Get(key)
	require.NoError(t, err)
	return string(v), ok
}

func strconvItoa(n int64) string { return strconv.FormatInt(n, 10) }

// scanAll runs a full SCAN iteration with the typed API.
func scanAll(t testing.TB, db *engine.DB, a engine.ScanArgs) []string {
	t.Helper()
	var out []string
	cursor := uint64(0)
	for calls := 0; ; calls++ {
		require.Less(t, calls, 1_000_000, "SCAN does not terminate")
		keys, next, err := db.Scan(cursor, a)
		require.NoError(t, err)
		out = append(out, keys...)
		if next == 0 {
			return out
		}
		cursor = next
	}
}
