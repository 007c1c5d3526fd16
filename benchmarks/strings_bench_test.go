package benchmarks

import (
	"math/rand/v2"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/jackdawdb/jackdaw/benchmarks/peer"
)

const (
	numKeys  = 1_000_000 // preloaded, so every GET hits
	keyLen   = 12        // "key:%08d"
	valLen   = 16
	traceLen = 1 << 20 // Zipf-distributed key indices, walked by every goroutine
	zipfS    = 1.01
)

// workload is one op mix: one op in writeEvery is a SET (0: none), the
// rest are GETs.
type workload struct {
	name       string
	writeEvery int
}

var workloads = []workload{
	{"get", 0},
	{"set", 1}, // the 0/100 mix: every op overwrites an existing key
	{"r90w10", 10},
	{"r50w50", 2},
}

// BenchmarkStrings runs every workload against every peer over numKeys
// preloaded keys, choosing keys Zipf(s=1.01). Names are
// Strings/peer=<peer>/op=<workload>, so that `benchstat -col /peer` puts
// the peers side by side with jackdaw as the baseline. The peer is the
// outer loop so that each peer is loaded once.
func BenchmarkStrings(b *testing.B) {
	for _, name := range peer.Names() {
		b.Run("peer="+name, func(b *testing.B) {
			for _, w := range workloads {
				b.Run("op="+w.name, func(b *testing.B) {
					benchStrings(b, preloaded(b, name), w.writeEvery)
				})
			}
		})
	}
}

// data is built once: the keys and the trace.
//
// A GET's key is a different string from the one the cache stored, as in
// a real program, where the key to look up is built per request. Go's
// string comparison returns early when both point at the same bytes, so a
// map that keeps the caller's key would otherwise never read its stored key
// bytes (one cache miss per GET that jackdaw, which copies keys, always
// pays). So the preload stores copies, GETs use keys, and SETs (which make
// the map and otter keep the key they are given) use wkeys, a second copy.
var data struct {
	once  sync.Once
	keys  []string // for GETs; all in one backing string (one object for the GC)
	wkeys []string // the same keys in another backing string, for SETs
	trace []uint32 // indices into keys, Zipf(s=1.01) over a fixed shuffle
}

func setupData() {
	data.once.Do(func() {
		data.keys, data.wkeys = makeKeys(), makeKeys()
		// Scrambled Zipf: rank k is key perm[k], so the hot keys are
		// spread over the insertion order (and so over memory), not the
		// first keys inserted.
		r := rand.New(rand.NewPCG(1, 2)) // fixed: the same trace every run
		perm := r.Perm(numKeys)
		z := rand.NewZipf(r, zipfS, 1, numKeys-1)
		data.trace = make([]uint32, traceLen)
		for i := range data.trace {
			data.trace[i] = uint32(perm[z.Uint64()])
		}
	})
}

// makeKeys returns "key:%08d" for 0 <= i < numKeys, sharing one backing
// string.
func makeKeys() []string {
	buf := make([]byte, 0, numKeys*keyLen)
	for i := range numKeys {
		buf = append(buf, "key:"...)
		buf = appendPadded(buf, i, keyLen-4)
	}
	all := string(buf)
	keys := make([]string, numKeys)
	for i := range keys {
		keys[i] = all[i*keyLen : (i+1)*keyLen]
	}
	return keys
}

// appendPadded appends n in decimal, zero-padded to width digits.
func appendPadded(b []byte, n, width int) []byte {
	var tmp [20]byte
	d := strconv.AppendInt(tmp[:0], int64(n), 10)
	for range width - len(d) {
		b = append(b, '0')
	}
	return append(b, d...)
}

// value returns a new valLen-byte value for key i. It is not a canonical
// integer, so jackdaw stores it as a raw string, not integer-encoded.
func value(i int) []byte {
	v := make([]byte, 0, valLen)
	v = append(v, "val:"...)
	return appendPadded(v, i, valLen-4)
}

// current is the one preloaded peer. Only one peer is resident at a time:
// the GC marks every live object in the process, so a second peer's heap
// would slow the first one's SETs. The workloads of a peer run back to
// back, so each peer is loaded once.
var current struct {
	name string
	c    peer.Cache
}

func preloaded(b *testing.B, name string) peer.Cache {
	b.Helper()
	setupData()
	if current.name == name {
		return current.c
	}
	if current.c != nil {
		current.c.Close()
		current.name, current.c = "", nil
		runtime.GC()
	}
	c, err := peer.New(name, numKeys)
	if err != nil {
		b.Fatal(err)
	}
	for i, k := range data.keys {
		c.Set(strings.Clone(k), value(i)) // each stored key its own allocation
	}
	// Peers with asynchronous sets (ristretto) may drop a set under load:
	// wait, then set again what is missing, so that every GET hits.
	for round := 0; ; round++ {
		if w, ok := c.(peer.Waiter); ok {
			w.Wait()
		}
		missing := 0
		for i, k := range data.keys {
			if v, ok := c.Get(k); !ok || string(v) != string(value(i)) {
				missing++
				c.Set(strings.Clone(k), value(i))
			}
		}
		if missing == 0 {
			break
		}
		if round == 5 {
			b.Fatalf("%s: %d keys still missing after preload", name, missing)
		}
	}
	current.name, current.c = name, c
	return c
}

func benchStrings(b *testing.B, c peer.Cache, writeEvery int) {
	var seed atomic.Uint64
	var hits, misses atomic.Int64
	runtime.GC() // do not bill this run for the previous one's garbage
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		r := rand.New(rand.NewPCG(seed.Add(1), 0x5eed))
		i := r.IntN(traceLen) // each goroutine walks the trace from its own place
		// The SET value is shared and read-only: the map and otter keep it
		// as it is, jackdaw copies it (its API promises that).
		val := []byte("val:overwritten!")
		op := 0
		var h, m int64
		for pb.Next() {
			k := data.trace[i&(traceLen-1)]
			i++
			if writeEvery != 0 {
				if op++; op == writeEvery {
					op = 0
					c.Set(data.wkeys[k], val)
					continue
				}
			}
			if v, ok := c.Get(data.keys[k]); ok && len(v) == valLen {
				h++
			} else {
				m++
			}
		}
		hits.Add(h)
		misses.Add(m)
	})
	b.StopTimer()
	if n := misses.Load(); n != 0 {
		b.Fatalf("%d of %d GETs missed or returned a wrong-sized value", n, n+hits.Load())
	}
}
