package main

import (
	"bytes"
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jackdawdb/jackdaw/engine"
)

func runOK(t *testing.T, cfg Config) Summary {
	t.Helper()
	sum, err := run(context.Background(), &bytes.Buffer{}, cfg)
	require.NoError(t, err)
	return sum
}

// TestUnderLimitAllowsAll: a user at or under the limit is never denied.
func TestUnderLimitAllowsAll(t *testing.T) {
	sum := runOK(t, Config{Limit: 10, Window: time.Second, Users: []Load{
		{User: "slow", Every: 250 * time.Millisecond, For: 5 * time.Second},
		{User: "exact", Every: 100 * time.Millisecond, For: 5 * time.Second}, // 10 per second: exactly the limit
		{User: "burst", Every: time.Second, Burst: 10, For: 5 * time.Second}, // 10 at once, once a window
	}})
	for _, r := range sum.Users {
		assert.Equal(t, r.Requests, r.Allowed, r.User)
		assert.Zero(t, r.Denied, r.User)
		assert.LessOrEqual(t, r.MaxInWindow, 10, r.User)
	}
}

// TestOverLimitAllowsExactlyLimit: a user over the limit gets exactly
// limit per window, never more.
func TestOverLimitAllowsExactlyLimit(t *testing.T) {
	sum := runOK(t, Config{Limit: 10, Window: time.Second, Users: []Load{
		{User: "steady", Every: 40 * time.Millisecond, For: 10 * time.Second},     // 25 per second
		{User: "flood", Every: time.Millisecond, For: 3 * time.Second},            // 1000 per second
		{User: "burst", Every: 2 * time.Second, Burst: 30, For: 10 * time.Second}, // 30 at once
		{User: "single", Every: time.Hour, Burst: 100, For: time.Second},          // one burst of 100
	}})
	want := map[string][3]int{ // requests, allowed, denied
		"steady": {250, 100, 150},
		"flood":  {3000, 30, 2970},
		"burst":  {150, 50, 100},
		"single": {100, 10, 90},
	}
	for _, r := range sum.Users {
		assert.Equal(t, want[r.User], [3]int{r.Requests, r.Allowed, r.Denied}, r.User)
		assert.Equal(t, 10, r.MaxInWindow, r.User)
	}
}

// TestCrowdNeverExceedsLimit: many goroutines at the same instant get
// exactly limit per window between them.
func TestCrowdNeverExceedsLimit(t *testing.T) {
	sum := runOK(t, Config{Limit: 7, Window: 500 * time.Millisecond,
		Crowd: Crowd{User: "eve", Goroutines: 16, PerTick: 10, Tick: 50 * time.Millisecond, For: 2 * time.Second}})
	c := sum.Crowd
	assert.Equal(t, 16*10*40, c.Requests)
	assert.Equal(t, 7*4, c.Allowed) // 4 windows of 500ms in 2s
	assert.Equal(t, c.Requests-c.Allowed, c.Denied)
	assert.Equal(t, 7, c.MaxInWindow)
}

// TestRealClockUnderContention: goroutines hammer one user for several
// windows of real time; no window ever holds more than the limit.
func TestRealClockUnderContention(t *testing.T) {
	db, err := engine.Open(engine.Options{}) // the real clock
	require.NoError(t, err)
	defer db.Close()
	l := &Limiter{DB: db, Limit: 5, Window: 100 * time.Millisecond}

	var res Result
	var mu sync.Mutex
	var wg sync.WaitGroup
	stop := time.Now().Add(500 * time.Millisecond)
	for range 8 {
		wg.Go(func() {
			for time.Now().Before(stop) {
				ok, at, err := l.Allow(context.Background(), "u")
				if !assert.NoError(t, err) {
					return
				}
				mu.Lock()
				res.record(ok, at)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	res.finish(l.Window)
	t.Logf("%d requests, %d allowed, max %d per window", res.Requests, res.Allowed, res.MaxInWindow)
	assert.Positive(t, res.Denied)
	assert.GreaterOrEqual(t, res.Allowed, 4*5) // the limit in each of at least 4 windows
	assert.Equal(t, 5, res.MaxInWindow)
}

// TestWindowEdges: a request is counted for exactly Window: one window
// later it no longer counts, and the idle key expires.
func TestWindowEdges(t *testing.T) {
	var clk clock
	clk.ms.Store(1_000_000)
	db, err := engine.Open(engine.Options{Clock: clk.Now})
	require.NoError(t, err)
	defer db.Close()
	l := &Limiter{DB: db, Limit: 2, Window: time.Second}
	allow := func() bool {
		ok, _, err := l.Allow(context.Background(), "u")
		require.NoError(t, err)
		return ok
	}
	assert.True(t, allow())
	clk.ms.Add(500)
	assert.True(t, allow())
	assert.False(t, allow())
	clk.ms.Add(499) // 999ms after the first: it still counts
	assert.False(t, allow())
	clk.ms.Add(1) // 1000ms: the first has left the window
	assert.True(t, allow())
	assert.False(t, allow())
	assert.Equal(t, int64(1000), db.PTTL("ratelimit:{u}"))

	// A denied request leaves no trace: the set holds only allowed ones.
	n, err := db.ZCard("ratelimit:{u}")
	require.NoError(t, err)
	assert.Equal(t, 2, n)

	clk.ms.Add(1000)
	assert.Equal(t, 1, db.Exists("ratelimit:{u}"))
	clk.ms.Add(1)
	assert.Zero(t, db.Exists("ratelimit:{u}"), "an idle user's key expires")
}

// TestMainOutput: the program's run prints its results.
func TestMainOutput(t *testing.T) {
	var out bytes.Buffer
	_, err := run(context.Background(), &out, Config{Limit: 10, Window: time.Second,
		Users: []Load{{User: "alice", Every: 40 * time.Millisecond, For: 10 * time.Second}},
		Crowd: Crowd{User: "eve", Goroutines: 4, PerTick: 5, Tick: 100 * time.Millisecond, For: time.Second}})
	require.NoError(t, err)
	assert.Equal(t, "limit: 10 requests per 1s per user\n"+
		"alice: 250 requests over 10s, 100 allowed, 150 denied, max 10 in any 1s window\n"+
		"eve (4 goroutines at once): 200 requests over 1s, 10 allowed, 190 denied, max 10 in any 1s window\n",
		out.String())
}
