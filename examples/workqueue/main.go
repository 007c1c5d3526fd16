package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackdawdb/jackdaw/engine"
)

// Config sizes a run.
type Config struct {
	Jobs       int           // jobs to produce
	Producers  int           // goroutines pushing jobs
	Workers    int           // workers w1..wN
	Crasher    int           // the worker (1..Workers) that crashes
	CrashAfter int           // jobs the crasher takes before it dies
	Work       time.Duration // time one job takes
}

// Summary is what a run did.
type Summary struct {
	Produced  int
	Done      int // jobs done, counting repeats
	Lost      int // jobs never done
	Twice     int // jobs done more than once
	Recovered int // jobs moved back to pending from the crashed worker
	Crashed   string
	Left      int // jobs still in a list at the end
}

// The queue's keys share the hash tag {q}: one shard, one lock per LMOVE.
const pendingKey = "{q}:pending"

func processingKey(worker string) string { return "{q}:processing:" + worker }

func main() {
	cfg := Config{Jobs: 1000, Producers: 4, Workers: 4, Crasher: 3, CrashAfter: 5, Work: 100 * time.Microsecond}
	if _, err := run(context.Background(), os.Stdout, cfg); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context, out io.Writer, cfg Config) (Summary, error) {
	sum := Summary{Crashed: fmt.Sprintf("w%d", cfg.Crasher)}
	if cfg.Workers < 2 || cfg.Crasher < 1 || cfg.Crasher > cfg.Workers || cfg.CrashAfter > cfg.Jobs || cfg.Producers < 1 {
		return sum, fmt.Errorf("workqueue: bad config %+v", cfg)
	}
	db, err := engine.Open(engine.Options{})
	if err != nil {
		return sum, err
	}
	defer db.Close()

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg      sync.WaitGroup
		errMu   sync.Mutex
		runErr  error
		doneMu  sync.Mutex
		done    = make(map[string]int) // job -> times done
		unacked atomic.Int64           // the last ack ends the run
	)
	unacked.Store(int64(cfg.Jobs))
	fail := func(err error) {
		errMu.Lock()
		runErr = errors.Join(runErr, err)
		errMu.Unlock()
		cancel()
	}

	for p := range cfg.Producers {
		wg.Go(func() {
			for i := p; i < cfg.Jobs && ctx.Err() == nil; i += cfg.Producers {
				if _, err := db.LPush(pendingKey, fmt.Appendf(nil, "job-%04d", i)); err != nil {
					fail(err)
					return
				}
			}
		})
	}

	// The crasher goes first, so that it surely holds its jobs when it
	// dies; the other workers start once it has them. Its death is what
	// a supervisor would see (a process exit, a missed heartbeat): the
	// name of the worker whose jobs must be recovered.
	crasher := sum.Crashed
	holding := make(chan struct{})
	died := make(chan string, 1)
	wg.Go(func() {
		defer func() { died <- crasher }()
		for range cfg.CrashAfter {
			if _, err := db.BLMove(ctx, pendingKey, processingKey(crasher), engine.Right, engine.Left); err != nil {
				fail(err)
				return
			}
		}
		close(holding) // crash: return with the jobs unacked
	})

	worker := func(name string) {
		proc := processingKey(name)
		// BLMOVE checks ctx only when it would wait: with jobs in
		// pending, a cancelled worker must stop by itself.
		for ctx.Err() == nil {
			// Right to left: pending is FIFO (LPUSH in, take from the
			// right), and the job is in proc before we see it.
			job, err := db.BLMove(ctx, pendingKey, proc, engine.Right, engine.Left)
			if err != nil {
				if ctx.Err() == nil {
					fail(err)
				}
				return // cancelled: the job, if any, stayed in pending
			}
			time.Sleep(cfg.Work)
			doneMu.Lock()
			done[string(job)]++
			doneMu.Unlock()
			// Ack only after the work: a crash before this line leaves
			// the job in proc for the reaper.
			if _, err := db.LRem(proc, 1, job); err != nil {
				fail(err)
				return
			}
			if unacked.Add(-1) == 0 {
				cancel() // every job acked: stop the workers
			}
		}
	}
	select {
	case <-holding:
	case <-ctx.Done():
	}
	for i := 1; i <= cfg.Workers; i++ {
		if i != cfg.Crasher {
			wg.Go(func() { worker(fmt.Sprintf("w%d", i)) })
		}
	}

	// The reaper, while the others work on.
	wg.Go(func() {
		select {
		case dead := <-died:
			n, err := recoverJobs(db, dead)
			sum.Recovered = n
			if err != nil {
				fail(err)
			}
		case <-ctx.Done():
		}
	})

	wg.Wait()
	if runErr != nil {
		return sum, runErr
	}
	if err := context.Cause(ctx); !errors.Is(err, context.Canceled) || unacked.Load() != 0 {
		return sum, fmt.Errorf("workqueue: stopped with %d jobs unacked: %w", unacked.Load(), err)
	}

	sum.Produced = cfg.Jobs
	for i := range cfg.Jobs {
		n := done[fmt.Sprintf("job-%04d", i)]
		sum.Done += n
		switch {
		case n == 0:
			sum.Lost++
		case n > 1:
			sum.Twice++
		}
	}
	for _, key := range queueKeys(cfg) {
		n, err := db.LLen(key)
		if err != nil {
			return sum, err
		}
		sum.Left += n
	}
	fmt.Fprintf(out, "jobs: %d produced, %d done, %d lost, %d twice, %d recovered from crashed worker %s\n",
		sum.Produced, sum.Done, sum.Lost, sum.Twice, sum.Recovered, sum.Crashed)
	fmt.Fprintf(out, "lists: %d jobs left in pending and processing lists\n", sum.Left)
	return sum, db.Close()
}

// recoverJobs moves every job left in worker's processing list back to
// pending, at the end workers take from, so they are retried first. Each
// LMOVE is atomic: a job is at every moment in exactly one of the two
// lists, so even a reaper that dies midway loses nothing.
func recoverJobs(db *engine.DB, worker string) (int, error) {
	for n := 0; ; n++ {
		_, ok, err := db.LMove(processingKey(worker), pendingKey, engine.Left, engine.Right)
		if err != nil || !ok {
			return n, err
		}
	}
}

// queueKeys is every list of the queue.
func queueKeys(cfg Config) []string {
	keys := []string{pendingKey}
	for i := 1; i <= cfg.Workers; i++ {
		keys = append(keys, processingKey(fmt.Sprintf("w%d", i)))
	}
	return keys
}
