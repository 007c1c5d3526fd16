// Command memkey measures what one key costs a peer: it loads n keys
// ("key:%08d", each a separate string) with values of -valsize bytes (each
// a separate allocation, as a caller's values would be) into one peer,
// collects the garbage twice, and prints one row:
//
//   - heap/key: runtime.MemStats.HeapInuse after loading, minus before, / n
//   - rss/key: resident set size (/proc/self/statm) after, minus before, / n
//   - rss/key after debug.FreeOSMemory, which returns the pages the GC
//     freed (the loader's garbage, old tables) to the OS
//   - acct/key: the peer's own accounting, where it has one (jackdaw's
//     Stats.Total.TotalMemory), else "-"
//   - one forced runtime.GC() with every key resident: its stop-the-world
//     pauses (MemStats.PauseNs), its wall time (runtime.GC returns when the
//     cycle is complete, so this is mostly marking) and the CPU time the
//     GC spent in it (runtime/metrics /cpu/classes/gc/total).
//
// Run each measurement in a fresh process (memkey.sh does): the heap and
// RSS a previous load leaves behind would blur the deltas.
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"time"

	"github.com/jackdawdb/jackdaw/benchmarks/peer"
)

func main() {
	name := flag.String("peer", "jackdaw", "peer to load: "+strings.Join(peer.Names(), ", "))
	n := flag.Int("n", 1_000_000, "number of keys")
	valsize := flag.Int("valsize", 16, "value size in bytes")
	header := flag.Bool("header", false, "print the column header and exit")
	flag.Parse()
	if *header {
		printRow("peer", "keys", "val", "heap/key", "rss/key", "rss/key freed", "acct/key", "gc pause", "gc wall", "gc cpu")
		return
	}
	if *n <= 0 || *n > 99_999_999 || *valsize < 0 {
		fmt.Fprintln(os.Stderr, "memkey: need 0 < -n <= 99999999 and -valsize >= 0")
		os.Exit(2)
	}

	runtime.GC()
	runtime.GC()
	heap0, rss0 := heapInuse(), rss()

	c, err := peer.New(*name, *n)
	if err != nil {
		fmt.Fprintln(os.Stderr, "memkey:", err)
		os.Exit(2)
	}
	load(c, *n, *valsize)

	runtime.GC()
	runtime.GC()
	heap1, rss1 := heapInuse(), rss()
	debug.FreeOSMemory()
	rss2 := rss()

	acct := "-"
	if a, ok := c.(peer.MemoryAccountant); ok {
		acct = perKey(a.AccountedBytes(), *n)
	}

	pause, wall, cpu := forcedGC()

	// Still there? (Also keeps c live through the forced GC.)
	if _, ok := c.Get(key(*n - 1)); !ok {
		fmt.Fprintln(os.Stderr, "memkey: last key missing after load")
		os.Exit(1)
	}
	c.Close()

	printRow(*name, strconv.Itoa(*n), strconv.Itoa(*valsize),
		perKey(int64(heap1)-int64(heap0), *n),
		perKey(rss1-rss0, *n),
		perKey(rss2-rss0, *n),
		acct,
		round(pause), round(wall), round(cpu))
}

func printRow(cols ...string) {
	fmt.Printf("%-9s %9s %4s %9s %8s %14s %9s %9s %9s %9s\n", toAny(cols)...)
}

func toAny(s []string) []any {
	a := make([]any, len(s))
	for i := range s {
		a[i] = s[i]
	}
	return a
}

func perKey(bytes int64, n int) string {
	return strconv.FormatFloat(float64(bytes)/float64(n), 'f', 1, 64)
}

func round(d time.Duration) string {
	switch {
	case d >= time.Millisecond:
		return d.Round(10 * time.Microsecond).String()
	default:
		return d.Round(time.Microsecond).String()
	}
}

// load sets n keys. Each key and each value is a fresh allocation, so a peer
// that keeps them (the map, otter) is charged for them, and one that copies
// them (jackdaw) leaves them as garbage for the GC.
func load(c peer.Cache, n, valsize int) {
	for i := range n {
		v := make([]byte, valsize)
		copy(v, "val:")
		for j := 4; j < valsize; j++ {
			v[j] = byte('a' + (i+j)%26) // not a number: jackdaw keeps it raw
		}
		c.Set(key(i), v)
	}
}

func key(i int) string {
	var b [12]byte
	copy(b[:], "key:00000000")
	for j := 11; j >= 4 && i > 0; j-- {
		b[j] = byte('0' + i%10)
		i /= 10
	}
	return string(b[:])
}

func heapInuse() uint64 {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapInuse
}

// rss is the resident set size in bytes, from /proc/self/statm.
func rss() int64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		fmt.Fprintln(os.Stderr, "memkey:", err)
		os.Exit(1)
	}
	f := strings.Fields(string(b))
	if len(f) < 2 {
		fmt.Fprintln(os.Stderr, "memkey: bad /proc/self/statm:", string(b))
		os.Exit(1)
	}
	pages, err := strconv.ParseInt(f[1], 10, 64)
	if err != nil {
		fmt.Fprintln(os.Stderr, "memkey:", err)
		os.Exit(1)
	}
	return pages * int64(os.Getpagesize())
}

// forcedGC runs one full collection and returns its stop-the-world pause
// total, its wall time and the CPU time the GC spent.
func forcedGC() (pause, wall, cpu time.Duration) {
	s := []metrics.Sample{{Name: "/cpu/classes/gc/total:cpu-seconds"}}
	metrics.Read(s)
	cpu0 := s[0].Value.Float64()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	gc0 := ms.NumGC

	t := time.Now()
	runtime.GC()
	wall = time.Since(t)

	metrics.Read(s)
	cpu = time.Duration((s[0].Value.Float64() - cpu0) * 1e9)
	runtime.ReadMemStats(&ms)
	for g := gc0 + 1; g <= ms.NumGC; g++ {
		pause += time.Duration(ms.PauseNs[(g+255)%256])
	}
	return pause, wall, cpu
}
