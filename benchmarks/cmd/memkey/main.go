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
// -kind zset loads one sorted set of n members (the keys above, scores
// 0..n-1) and -kind hash one hash of n fields (values as above); only
// jackdaw (typed API) and redis have those.
//
// -peer redis measures a redis-server instead ($JACKDAW_BENCH_REDIS, or
// one started for the run): FLUSHALL, then heap/key is the growth of
// INFO memory's used_memory (what Redis's allocator holds for the data)
// and rss/key that of used_memory_rss; the GC columns are "-".
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
	kind := flag.String("kind", "string", "what to load: string (n keys), zset (n members of one sorted set) or hash (n fields of one hash)")
	header := flag.Bool("header", false, "print the column header and exit")
	flag.Parse()
	if *header {
		printRow("peer", "kind", "keys", "val", "heap/key", "rss/key", "rss/key freed", "acct/key", "gc pause", "gc wall", "gc cpu")
		return
	}
	if *n <= 0 || *n > 99_999_999 || *valsize < 0 {
		fmt.Fprintln(os.Stderr, "memkey: need 0 < -n <= 99999999 and -valsize >= 0")
		os.Exit(2)
	}
	if *kind != "string" && *kind != "zset" && *kind != "hash" {
		fmt.Fprintln(os.Stderr, "memkey: -kind must be string, zset or hash")
		os.Exit(2)
	}
	if *name == "redis" {
		defer peer.StopRedis()
		heap, rss, err := redisLoad(*kind, *n, *valsize)
		if err != nil {
			fmt.Fprintln(os.Stderr, "memkey: redis:", err)
			os.Exit(1)
		}
		printRow(*name, *kind, strconv.Itoa(*n), strconv.Itoa(*valsize),
			perKey(heap, *n), perKey(rss, *n), "-", "-", "-", "-", "-")
		return
	}
	if *kind != "string" {
		typedMain(*name, *kind, *n, *valsize)
		return
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
	if w, ok := c.(peer.Waiter); ok {
		// ristretto, theine: apply the buffered sets; ristretto drops
		// sets when its buffer is full, so set those keys again.
		for round := 0; ; round++ {
			w.Wait()
			missing := 0
			for i := range *n {
				if _, ok := c.Get(key(i)); !ok {
					missing++
					c.Set(key(i), value(i, *valsize))
				}
			}
			if missing == 0 {
				break
			}
			if round == 10 {
				fmt.Fprintf(os.Stderr, "memkey: %s: %d keys still missing after load\n", *name, missing)
				os.Exit(1)
			}
		}
	}

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

	printRow(*name, *kind, strconv.Itoa(*n), strconv.Itoa(*valsize),
		perKey(int64(heap1)-int64(heap0), *n),
		perKey(rss1-rss0, *n),
		perKey(rss2-rss0, *n),
		acct,
		round(pause), round(wall), round(cpu))
}

func printRow(cols ...string) {
	fmt.Printf("%-9s %6s %9s %4s %9s %8s %14s %9s %9s %9s %9s\n", toAny(cols)...)
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
		c.Set(key(i), value(i, valsize))
	}
}

// value returns key i's value: valsize bytes, a fresh allocation, not a
// number (so jackdaw keeps it raw).
func value(i, valsize int) []byte {
	v := make([]byte, valsize)
	copy(v, "val:")
	for j := 4; j < valsize; j++ {
		v[j] = byte('a' + (i+j)%26)
	}
	return v
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
