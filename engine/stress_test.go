package engine_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/jackdawdb/jackdaw/engine"
)

// TestStressMixed runs many goroutines doing overlapping writes and reads
// through both the typed API and Do, and checks the results that are
// determinable: counters nobody deletes sum exactly, MSET pairs are never
// seen half-written, tokens moved with RENAMENX are never lost or doubled.
func TestStressMixed(t *testing.T) {
	db, clk := openDB(t)
	const (
		workers = 16
		iters   = 1500
		tokens  = 32
		slots   = 64
	)
	counters := []string{"cnt:a", "cnt:b", "{ctr}:c", "{ctr}:d"}
	pairs := [][2]string{{"{pair}:x", "{pair}:y"}, {"pairA", "pairB"}, {"p:1", "{zz}p:2"}}
	slotKey := func(i int) string {
		if i%2 == 0 {
			return "tok:{t}" + strconv.Itoa(i) // same shard
		}
		return "tok:" + strconv.Itoa(i) // spread over shards
	}
	allSlots := make([]string, slots)
	for i := range allSlots {
		allSlots[i] = slotKey(i)
	}
	for i := 0; i < tokens; i++ {
		require.NoError(t, db.Set(slotKey(i), []byte("token"+strconv.Itoa(i))))
	}
	for _, p := range pairs {
		require.NoError(t, db.MSet(engine.KV{Key: p[0], Value: []byte("0")}, engine.KV{Key: p[1], Value: []byte("0")}))
	}

	var (
		wg       sync.WaitGroup
		failures atomic.Int64
		firstErr atomic.Value
	)
	fail := func(format string, args ...any) {
		if failures.Add(1) == 1 {
			firstErr.Store(fmt.Sprintf(format, args...))
		}
	}
	var stopReaders atomic.Bool
	// Readers: MGET pairs must agree; EXISTS over all token slots is exact.
	var readers sync.WaitGroup
	for r := 0; r < 2; r++ {
		readers.Add(1)
		go func() {
			defer readers.Done()
			for !stopReaders.Load() {
				for _, p := range pairs {
					vals := db.MGet(p[0], p[1])
					if string(vals[0]) != string(vals[1]) {
						fail("MGET %v saw %q / %q", p, vals[0], vals[1])
					}
					rep := do(db, "MGET", p[1], p[0])
					if len(rep.Array) != 2 || string(rep.Array[0].Bulk) != string(rep.Array[1].Bulk) {
						fail("Do MGET %v saw %s", p, rep)
					}
				}
				if n := db.Exists(allSlots...); n != tokens {
					fail("EXISTS over token slots = %d, want %d", n, tokens)
				}
				time.Sleep(50 * time.Microsecond)
			}
		}()
	}
	// A clock that moves, so EXPIREs on chaos keys fire.
	readers.Add(1)
	go func() {
		defer readers.Done()
		for !stopReaders.Load() {
			clk.Advance(time.Millisecond)
			time.Sleep(100 * time.Microsecond)
		}
	}()

	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 42))
			for i := 0; i < iters; i++ {
				// Exact counters: each worker adds 1 per iteration, half
				// via the typed API and half via Do.
				c := counters[i%len(counters)]
				if i%2 == 0 {
					if _, err := db.Incr(c); err != nil {
						fail("Incr: %v", err)
					}
				} else if r := do(db, "INCRBY", c, "1"); r.IsError() {
					fail("INCRBY: %s", r)
				}

				// Pairs written together.
				p := pairs[rng.IntN(len(pairs))]
				v := strconv.Itoa(w*iters + i)
				if i%2 == 0 {
					if err := db.MSet(engine.KV{Key: p[0], Value: []byte(v)}, engine.KV{Key: p[1], Value: []byte(v)}); err != nil {
						fail("MSet: %v", err)
					}
				} else if r := do(db, "MSET", p[1], v, p[0], v); r.IsError() {
					fail("MSET: %s", r)
				}

				// Token moves: RENAMENX never loses or duplicates a token.
				src, dst := allSlots[rng.IntN(slots)], allSlots[rng.IntN(slots)]
				if _, err := db.RenameNX(src, dst); err != nil && !errors.Is(err, engine.ErrNoSuchKey) {
					fail("RenameNX: %v", err)
				}

				// Chaos on overlapping keys: no checks beyond "no error
				// other than the expected ones".
				k1 := "chaos:" + strconv.Itoa(rng.IntN(20))
				k2 := "{chaos}:" + strconv.Itoa(rng.IntN(20))
				switch rng.IntN(9) {
				case 0:
					_ = db.Set(k1, []byte(v))
				case 1:
					db.Del(k1, k2)
				case 2:
					_, _ = db.Expire(k2, time.Duration(rng.IntN(20))*time.Millisecond, 0)
				case 3:
					r := do(db, "RENAME", k1, k2)
					if r.IsError() && r.Err.Error() != "ERR no such key" {
						fail("RENAME: %s", r)
					}
				case 4:
					r := do(db, "INCR", k2)
					if r.IsError() && r.Err.Error() != errNotInt {
						fail("INCR: %s", r)
					}
				case 5:
					_, _ = db.Append(k1, []byte("x"))
				case 6:
					db.MGet(k1, k2, "chaos:0")
				case 7:
					do(db, "SET", k2, v, "PX", "5", "GET")
				case 8:
					_, _ = db.Copy(k1, k2, true)
				}
			}
		}(w)
	}
	wg.Wait()
	stopReaders.Store(true)
	readers.Wait()
	if failures.Load() > 0 {
		t.Fatalf("%d failures, first: %v", failures.Load(), firstErr.Load())
	}

	var sum int64
	for _, c := range counters {
		v, ok := mustGet(t, db, c)
		require.True(t, ok)
		n, err := strconv.ParseInt(v, 10, 64)
		require.NoError(t, err)
		sum += n
	}
	require.EqualValues(t, workers*iters, sum)

	require.Equal(t, tokens, db.Exists(allSlots...))
	seen := map[string]bool{}
	for _, v := range db.MGet(allSlots...) {
		if v != nil {
			require.False(t, seen[string(v)], "token %s doubled", v)
			seen[string(v)] = true
		}
	}
	require.Len(t, seen, tokens)
	for _, p := range pairs {
		vals := db.MGet(p[0], p[1])
		require.Equal(t, string(vals[0]), string(vals[1]))
	}
	// The accounting agrees with a full listing.
	st := db.Stats()
	require.EqualValues(t, db.DBSize(), st.Total.TotalKeys())
}

// TestStressCountersExact: N goroutines x M INCRs on their own and on shared
// counters, through every increment command.
func TestStressCountersExact(t *testing.T) {
	db, _ := openDB(t)
	const workers, iters = 16, 1000
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			own := fmt.Sprintf("own:%d", w)
			for i := 0; i < iters; i++ {
				_, _ = db.Incr("shared")
				_, _ = db.IncrBy("{s}shared2", 3)
				do(db, "DECRBY", "{s}shared3", "2")
				do(db, "INCR", own)
				_, _ = db.Decr("down")
			}
		}(w)
	}
	wg.Wait()
	check := func(key string, want int64) {
		t.Helper()
		requireBulk(t, do(db, "GET", key), strconv.FormatInt(want, 10))
	}
	check("shared", workers*iters)
	check("{s}shared2", 3*workers*iters)
	check("{s}shared3", -2*workers*iters)
	check("down", -workers*iters)
	for w := 0; w < workers; w++ {
		check(fmt.Sprintf("own:%d", w), iters)
	}
}

// TestConcurrentReadersKeepSnapshots: readers hold values returned by Get
// while writers APPEND to and SETRANGE the same key; under -race this finds
// any write into bytes already handed out, and the content check finds any
// change to them.
func TestConcurrentReadersKeepSnapshots(t *testing.T) {
	db, _ := openDB(t)
	require.NoError(t, db.Set("k", []byte("a")))
	var stop atomic.Bool
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		for i := 0; i < 3000; i++ {
			if i%100 == 99 {
				_, _ = db.SetRange("k", 0, []byte("a"))
			} else {
				_, _ = db.Append("k", []byte("a"))
			}
			if i%500 == 499 {
				_ = db.Set("k", []byte("a"))
			}
		}
		stop.Store(true)
	}()
	var bad atomic.Int64
	go func() {
		defer wg.Done()
		var held [][]byte
		var copies []string
		for !stop.Load() {
			v, _, _ := db.Get("k")
			held = append(held, v)
			copies = append(copies, string(v))
			if len(held) == 64 {
				for i, h := range held {
					if string(h) != copies[i] {
						bad.Add(1)
					}
				}
				held, copies = held[:0], copies[:0]
			}
		}
		for i, h := range held {
			if string(h) != copies[i] {
				bad.Add(1)
			}
		}
	}()
	wg.Wait()
	require.Zero(t, bad.Load())
}
