package engine_test

import (
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/jackdawdb/jackdaw/engine"
)

// TestCloseStopsGoroutines: every goroutine Open starts is gone after Close.
func TestCloseStopsGoroutines(t *testing.T) {
	settle := func() int {
		runtime.GC()
		return runtime.NumGoroutine()
	}
	// require.Eventually runs its condition on a goroutine of its own, so
	// the baseline is measured the same way.
	before := 0
	require.Eventually(t, func() bool { before = settle(); return true }, time.Second, time.Millisecond)

	var dbs []*engine.DB
	for _, o := range []engine.Options{
		{},
		{ExpireInterval: time.Millisecond},
		{ExpireInterval: 5 * time.Millisecond, ExpireEffort: 10, Shards: 4},
		{ExpireInterval: -1},
		{Shards: 1, ExpireInterval: 2 * time.Millisecond},
	} {
		db, err := engine.Open(o)
		require.NoError(t, err)
		// Use it so that the background work has something to do.
		for i := 0; i < 100; i++ {
			requireOK(t, do(db, "SET", "k"+itoa(int64(i)), "v", "PX", "1"))
		}
		dbs = append(dbs, db)
	}
	require.GreaterOrEqual(t, runtime.NumGoroutine(), before+2, "Open starts the expiry goroutine")
	time.Sleep(10 * time.Millisecond)
	for _, db := range dbs {
		require.NoError(t, db.Close())
	}
	require.Eventually(t, func() bool { return settle() <= before }, 5*time.Second, 5*time.Millisecond,
		"goroutines: before %d, after %d", before, runtime.NumGoroutine())
	for _, db := range dbs {
		require.ErrorIs(t, db.Close(), engine.ErrClosed)
	}

	// Open and close many times: no growth.
	for i := 0; i < 50; i++ {
		db, err := engine.Open(engine.Options{Shards: 2, ExpireInterval: time.Millisecond})
		require.NoError(t, err)
		require.NoError(t, db.Close())
	}
	require.Eventually(t, func() bool { return settle() <= before }, 5*time.Second, 5*time.Millisecond)
}

// TestCloseConcurrent: Close from several goroutines at once returns nil
// exactly once.
func TestCloseConcurrent(t *testing.T) {
	db, err := engine.Open(engine.Options{ExpireInterval: time.Millisecond})
	require.NoError(t, err)
	errs := make(chan error, 8)
	for i := 0; i < 8; i++ {
		go func() { errs <- db.Close() }()
	}
	nils := 0
	for i := 0; i < 8; i++ {
		if err := <-errs; err == nil {
			nils++
		} else {
			require.ErrorIs(t, err, engine.ErrClosed)
		}
	}
	require.Equal(t, 1, nils)
}
