package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"log"
	"math"
	"os"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackdawdb/jackdaw/engine"
	"github.com/jackdawdb/jackdaw/structures"
)

// Limiter allows each user at most Limit requests in any Window: in any
// span (t-Window, t], at most Limit allowed requests.
type Limiter struct {
	DB     *engine.DB
	Limit  int
	Window time.Duration
	seq    atomic.Uint64
}

// Allow reports whether user may make a request now, and if so records it.
// at is the time (unix ms) the decision was made at.
func (l *Limiter) Allow(ctx context.Context, user string) (ok bool, at int64, err error) {
	key := "ratelimit:{" + user + "}"
	// A member must be unique among the user's requests in the window;
	// one process can count. (Across processes: a random or host-prefixed id.)
	member := strconv.FormatUint(l.seq.Add(1), 36)
	err = l.DB.Update(ctx, []string{key}, func(tx *engine.DB) error {
		// The transaction's instant: every expiry decision inside it uses
		// this time too, and the user's requests get scores in the order
		// they are decided.
		at = tx.Now().UnixMilli()
		ok = false
		old := structures.ScoreRange{Min: math.Inf(-1), Max: float64(at - l.Window.Milliseconds())}
		if _, err := tx.ZRemRangeByScore(key, old); err != nil {
			return err
		}
		n, err := tx.ZCard(key)
		if err != nil || n >= l.Limit {
			return err // deny: a denied request is not recorded
		}
		if _, err := tx.ZAdd(key, engine.ZAddArgs{}, engine.ZMember{Member: member, Score: float64(at)}); err != nil {
			return err
		}
		// An idle user's key goes away by itself once its newest member
		// leaves the window.
		if _, err := tx.Expire(key, l.Window, 0); err != nil {
			return err
		}
		ok = true
		return nil
	})
	return ok, at, err
}

// Load is one user's requests in the simulation: Burst requests (1 if 0)
// every Every, from time 0 until For.
type Load struct {
	User  string
	Every time.Duration
	Burst int
	For   time.Duration
}

// Crowd is many goroutines hitting one user at once: at each Tick until
// For, each of Goroutines sends PerTick requests, all at the same time.
type Crowd struct {
	User       string
	Goroutines int
	PerTick    int
	Tick       time.Duration
	For        time.Duration
}

// Config is a run: the limit, the simulated users, and the crowd.
type Config struct {
	Limit  int
	Window time.Duration
	Users  []Load
	Crowd  Crowd
}

// Result is what one user got.
type Result struct {
	User                      string
	Requests, Allowed, Denied int
	MaxInWindow               int // most allowed requests in any window
	allowedAt                 []int64
}

// Summary is a run's results: one per Load, then the crowd's.
type Summary struct {
	Users []Result
	Crowd Result
}

// clock is a fake clock that the run moves forward.
type clock struct{ ms atomic.Int64 }

func (c *clock) Now() time.Time { return time.UnixMilli(c.ms.Load()) }

func main() {
	cfg := Config{
		Limit:  10,
		Window: time.Second,
		Users: []Load{
			{User: "alice", Every: 40 * time.Millisecond, For: 10 * time.Second},      // 25/s: 2.5 times the limit
			{User: "bob", Every: 200 * time.Millisecond, For: 10 * time.Second},       // 5/s: under it
			{User: "carol", Every: 2 * time.Second, Burst: 30, For: 10 * time.Second}, // bursts of 30
			{User: "dan", Every: 100 * time.Millisecond, For: 10 * time.Second},       // 10/s: exactly at it
		},
		Crowd: Crowd{User: "eve", Goroutines: 8, PerTick: 5, Tick: 100 * time.Millisecond, For: 3 * time.Second},
	}
	if _, err := run(context.Background(), os.Stdout, cfg); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context, out io.Writer, cfg Config) (Summary, error) {
	var sum Summary
	var clk clock
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	clk.ms.Store(start.UnixMilli())
	db, err := engine.Open(engine.Options{Clock: clk.Now})
	if err != nil {
		return sum, err
	}
	defer db.Close()
	l := &Limiter{DB: db, Limit: cfg.Limit, Window: cfg.Window}
	fmt.Fprintf(out, "limit: %d requests per %v per user\n", cfg.Limit, cfg.Window)

	// The simulation: every user's requests in time order, one at a time.
	type request struct {
		at   time.Duration
		user int
	}
	var reqs []request
	var end time.Duration
	for i, u := range cfg.Users {
		for t := time.Duration(0); t < u.For; t += u.Every {
			for range max(u.Burst, 1) {
				reqs = append(reqs, request{t, i})
			}
		}
		end = max(end, u.For)
	}
	slices.SortStableFunc(reqs, func(a, b request) int { return cmp.Compare(a.at, b.at) })
	sum.Users = make([]Result, len(cfg.Users))
	for _, r := range reqs {
		clk.ms.Store(start.Add(r.at).UnixMilli())
		ok, at, err := l.Allow(ctx, cfg.Users[r.user].User)
		if err != nil {
			return sum, err
		}
		sum.Users[r.user].record(ok, at)
	}
	for i, u := range cfg.Users {
		res := &sum.Users[i]
		res.User = u.User
		res.finish(cfg.Window)
		fmt.Fprintf(out, "%s: %d requests over %v, %d allowed, %d denied, max %d in any %v window\n",
			u.User, res.Requests, u.For, res.Allowed, res.Denied, res.MaxInWindow, cfg.Window)
	}

	// The crowd, after the simulation (the clock only moves forward): all
	// goroutines send at the same instant, then the clock ticks.
	c := cfg.Crowd
	if c.Goroutines == 0 {
		return sum, db.Close()
	}
	var mu sync.Mutex
	res := &sum.Crowd
	res.User = c.User
	for t := time.Duration(0); t < c.For; t += c.Tick {
		clk.ms.Store(start.Add(end + t).UnixMilli())
		var wg sync.WaitGroup
		errs := make(chan error, c.Goroutines)
		for range c.Goroutines {
			wg.Go(func() {
				for range c.PerTick {
					ok, at, err := l.Allow(ctx, c.User)
					if err != nil {
						errs <- err
						return
					}
					mu.Lock()
					res.record(ok, at)
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		close(errs)
		if err := <-errs; err != nil {
			return sum, err
		}
	}
	res.finish(cfg.Window)
	fmt.Fprintf(out, "%s (%d goroutines at once): %d requests over %v, %d allowed, %d denied, max %d in any %v window\n",
		c.User, c.Goroutines, res.Requests, c.For, res.Allowed, res.Denied, res.MaxInWindow, cfg.Window)
	return sum, db.Close()
}

func (r *Result) record(ok bool, at int64) {
	r.Requests++
	if !ok {
		r.Denied++
		return
	}
	r.Allowed++
	r.allowedAt = append(r.allowedAt, at)
}

// finish computes MaxInWindow: the most allowed requests in any span
// (t-window, t]. It suffices to look at spans ending at an allowed request.
func (r *Result) finish(window time.Duration) {
	ts := r.allowedAt
	slices.Sort(ts)
	w := window.Milliseconds()
	lo := 0
	for hi, t := range ts {
		for ts[lo] <= t-w {
			lo++
		}
		r.MaxInWindow = max(r.MaxInWindow, hi-lo+1)
	}
}
