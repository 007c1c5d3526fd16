package main

import (
	"bytes"
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jackdawdb/jackdaw/engine"
)

// goroutines returns the settled goroutine count; require.Eventually runs
// its condition on a goroutine of its own, so measure the same way.
func goroutines(t *testing.T) int {
	n := 0
	require.Eventually(t, func() bool { runtime.GC(); n = runtime.NumGoroutine(); return true }, time.Second, time.Millisecond)
	return n
}

func requireNoLeak(t *testing.T, before int) {
	t.Helper()
	require.Eventually(t, func() bool { return runtime.NumGoroutine() <= before }, 5*time.Second, 5*time.Millisecond,
		"goroutines: before %d, now %d", before, runtime.NumGoroutine())
}

// TestRunDoesEveryJobOnce: whatever the sizes, every job is done exactly
// once, the crashed worker's jobs are all recovered, and the lists end empty.
func TestRunDoesEveryJobOnce(t *testing.T) {
	for _, cfg := range []Config{
		{Jobs: 1000, Producers: 4, Workers: 4, Crasher: 3, CrashAfter: 5, Work: 100 * time.Microsecond},
		{Jobs: 3000, Producers: 8, Workers: 8, Crasher: 1, CrashAfter: 200},
		{Jobs: 50, Producers: 1, Workers: 2, Crasher: 2, CrashAfter: 50}, // the crasher takes every job
		{Jobs: 10, Producers: 3, Workers: 3, Crasher: 3, CrashAfter: 0},  // nothing to recover
	} {
		t.Run(fmt.Sprintf("%+v", cfg), func(t *testing.T) {
			before := goroutines(t)
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			var out bytes.Buffer
			sum, err := run(ctx, &out, cfg)
			require.NoError(t, err)
			assert.Equal(t, Summary{
				Produced:  cfg.Jobs,
				Done:      cfg.Jobs,
				Recovered: cfg.CrashAfter,
				Crashed:   fmt.Sprintf("w%d", cfg.Crasher),
			}, sum)
			assert.Contains(t, out.String(), fmt.Sprintf("jobs: %d produced, %d done, 0 lost, 0 twice, %d recovered from crashed worker w%d\n",
				cfg.Jobs, cfg.Jobs, cfg.CrashAfter, cfg.Crasher))
			requireNoLeak(t, before) // workers, producers, reaper and the DB's own goroutine
		})
	}
}

// TestRunStopsOnCancel: cancelling the caller's context stops every
// goroutine and makes run fail, not hang.
func TestRunStopsOnCancel(t *testing.T) {
	before := goroutines(t)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	// Jobs so slow that the run cannot finish in time.
	_, err := run(ctx, &bytes.Buffer{}, Config{Jobs: 1000, Producers: 2, Workers: 3, Crasher: 1, CrashAfter: 1, Work: 10 * time.Millisecond})
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Less(t, time.Since(start), 2*time.Second)
	requireNoLeak(t, before)
}

func TestRunRejectsBadConfig(t *testing.T) {
	for _, cfg := range []Config{
		{Jobs: 10, Producers: 1, Workers: 1, Crasher: 1},
		{Jobs: 10, Producers: 1, Workers: 2, Crasher: 3},
		{Jobs: 10, Producers: 1, Workers: 2, Crasher: 1, CrashAfter: 11},
		{Jobs: 10, Producers: 0, Workers: 2, Crasher: 1},
	} {
		_, err := run(context.Background(), &bytes.Buffer{}, cfg)
		assert.Error(t, err, "%+v", cfg)
	}
}

// TestRecoverJobs: the reaper empties the dead worker's list into the
// consuming end of pending, oldest job first, and leaves pending's own
// jobs where they were.
func TestRecoverJobs(t *testing.T) {
	db, err := engine.Open(engine.Options{})
	require.NoError(t, err)
	defer db.Close()
	_, err = db.LPush(pendingKey, []byte("new-1"), []byte("new-2"))
	require.NoError(t, err)
	// A worker took job-a, then job-b (BLMOVE pushes each at the left).
	_, err = db.LPush(processingKey("w9"), []byte("job-a"), []byte("job-b"))
	require.NoError(t, err)

	n, err := recoverJobs(db, "w9")
	require.NoError(t, err)
	assert.Equal(t, 2, n)
	assert.Equal(t, 0, db.Exists(processingKey("w9")))
	got, err := db.LRange(pendingKey, 0, -1)
	require.NoError(t, err)
	// Workers take from the right: job-a comes next, then job-b, then the rest.
	assert.Equal(t, []string{"new-2", "new-1", "job-b", "job-a"}, strs(got))

	n, err = recoverJobs(db, "w9") // nothing left: a no-op
	require.NoError(t, err)
	assert.Zero(t, n)
}

func strs(bs [][]byte) []string {
	out := make([]string, len(bs))
	for i, b := range bs {
		out[i] = string(b)
	}
	return out
}
