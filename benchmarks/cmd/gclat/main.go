// Command gclat measures GET latency while many keys are resident and a
// writer runs, so that the garbage collector is marking a large heap
// during the measurement. It loads -n keys ("key:%08d", 16-byte values)
// into one peer, starts a writer that overwrites random keys at -wrate
// sets per second (fresh values: garbage for the GC) and a goroutine that
// starts a full GC cycle every -gcevery (at GOGC=100 a heap this size
// would otherwise not be collected during a short run, and the point is
// to measure GETs while the GC marks every resident key), and then times
// every GET of one reader goroutine for -dur, recording each latency in
// an HdrHistogram. It prints one row:
//
//	peer keys gets p50 p99 p99.9 max (µs) gcs (cycles during the run)
//
// Peers whose entries live in pointer-free buffers (bigcache, freecache)
// give the GC almost nothing to mark; jackdaw and otter hold their keys in
// Go objects, so this is where a GC's marking shows up in the tail.
//
// Run one peer per process (run.sh does): a previous peer's heap would
// stay and be marked too.
package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"strings"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/HdrHistogram/hdrhistogram-go"
	"github.com/jackdawdb/jackdaw/benchmarks/peer"
)

const valSize = 16

func main() {
	name := flag.String("peer", "jackdaw", "peer: "+strings.Join(peer.Names(), ", "))
	n := flag.Int("n", 10_000_000, "resident keys")
	dur := flag.Duration("dur", 5*time.Second, "how long to time GETs")
	wrate := flag.Int("wrate", 100_000, "writer's sets per second")
	gcevery := flag.Duration("gcevery", time.Second, "start a GC cycle this often during the run (0: never)")
	header := flag.Bool("header", false, "print the column header and exit")
	flag.Parse()
	if *header {
		printRow("peer", "keys", "gets", "p50", "p99", "p99.9", "max", "gcs")
		return
	}
	if *n <= 0 || *n > 99_999_999 {
		fmt.Fprintln(os.Stderr, "gclat: need 0 < -n <= 99999999")
		os.Exit(2)
	}
	c, err := peer.New(*name, *n)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gclat:", err)
		os.Exit(2)
	}
	var kb keyBuf
	for i := range *n {
		c.Set(strings.Clone(kb.key(i)), value(i))
	}
	if w, ok := c.(peer.Waiter); ok {
		w.Wait()
	}
	runtime.GC()

	var stop atomic.Bool
	done := make(chan struct{})
	go writer(c, *n, *wrate, &stop, done)
	gcDone := make(chan struct{})
	go func() {
		defer close(gcDone)
		for *gcevery > 0 && !stop.Load() {
			time.Sleep(*gcevery)
			runtime.GC() // concurrent marking; returns when the cycle ends
		}
	}()

	h := hdrhistogram.New(1, int64(10*time.Second), 3) // 1 ns .. 10 s, 3 digits
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	gc0 := ms.NumGC
	r := rand.New(rand.NewPCG(3, 4))
	misses := 0
	end := time.Now().Add(*dur)
	for gets := 0; ; gets++ {
		if gets&1023 == 0 && time.Now().After(end) {
			break
		}
		k := kb.key(r.IntN(*n))
		t := time.Now()
		v, ok := c.Get(k)
		d := time.Since(t)
		if !ok || len(v) != valSize {
			misses++
		}
		_ = h.RecordValue(int64(d))
	}
	stop.Store(true)
	<-done
	<-gcDone
	runtime.ReadMemStats(&ms)
	if misses > 0 {
		fmt.Fprintf(os.Stderr, "gclat: %s: %d GETs missed\n", *name, misses)
		os.Exit(1)
	}
	us := func(q float64) string { return fmt.Sprintf("%.2f", float64(h.ValueAtQuantile(q))/1e3) }
	printRow(*name, fmt.Sprint(*n), fmt.Sprint(h.TotalCount()), us(50), us(99), us(99.9),
		fmt.Sprintf("%.2f", float64(h.Max())/1e3), fmt.Sprint(ms.NumGC-gc0))
	c.Close()
}

// writer overwrites random keys with fresh values at about rate sets per
// second, in batches of 100, until stop is set.
func writer(c peer.Cache, n, rate int, stop *atomic.Bool, done chan<- struct{}) {
	defer close(done)
	var kb keyBuf
	r := rand.New(rand.NewPCG(5, 6))
	start := time.Now()
	for sets := 0; !stop.Load(); {
		for range 100 {
			i := r.IntN(n)
			c.Set(strings.Clone(kb.key(i)), value(i))
		}
		sets += 100
		if ahead := time.Duration(float64(sets)/float64(rate)*1e9) - time.Since(start); ahead > 0 {
			time.Sleep(ahead)
		}
	}
}

// keyBuf formats "key:%08d" into a reused buffer. key's result is only
// valid until the next call: Get does not keep its key, and Set is given a
// clone.
type keyBuf [12]byte

func (b *keyBuf) key(i int) string {
	copy(b[:], "key:00000000")
	for j := 11; j >= 4 && i > 0; j-- {
		b[j] = byte('0' + i%10)
		i /= 10
	}
	return unsafe.String(&b[0], len(b))
}

// value returns a fresh 16-byte value that is not a number.
func value(i int) []byte {
	v := make([]byte, valSize)
	copy(v, "val:")
	for j := 4; j < valSize; j++ {
		v[j] = byte('a' + (i+j)%26)
	}
	return v
}

func printRow(cols ...string) {
	a := make([]any, len(cols))
	for i := range cols {
		a[i] = cols[i]
	}
	fmt.Printf("%-9s %9s %9s %8s %8s %8s %9s %4s\n", a...)
}
