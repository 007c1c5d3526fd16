package shard

// BenchmarkShardLock compares the lock a shard could use: a plain
// sync.Mutex (what Shard has), a sync.RWMutex and xsync's reader-biased
// RBMutex. Each wraps the shard's real critical sections:
//
//   - read:  FindLocked + BytesLocked (under the read lock where there is one)
//   - write: FindLocked + SetBytesLocked (under the write lock)
//
// over 64 shards holding 2^20 keys between them (about 16k each), routed
// as the engine routes (top bits of the key's hash), with keys chosen
// Zipf(s=1.01) (scrambled over the keys) at 90/10 and 50/50 read/write.
//
// The keys have no TTL: FindLocked deletes an expired key it meets, which
// a reader under a shared lock must never do, so with TTLs a read under a
// read lock would need a FindLocked that does not expire. The read side
// also leaves out RecordReadLocked (the hit/miss counters), which writes to
// the shard and so cannot run under a read lock either.
//
// Every kind wraps the same *Shard values in its own lock, one 128-byte
// padded cell per shard, so all three pay the same layout; the Shard's own
// embedded Mutex is not used. Hashes are precomputed so that the numbers
// are the lock plus the critical section, not xxh3.
//
// Run: go test ./shard -run '^$' -bench ShardLock -cpu 1,2 -count 6

import (
	"math/rand/v2"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"unsafe"

	"github.com/puzpuzpuz/xsync/v3"
)

const (
	lockBenchShardBits = 6
	lockBenchShards    = 1 << lockBenchShardBits
	lockBenchKeys      = lockBenchShards << 14 // 64 shards x ~16k keys
	lockBenchTraceLen  = 1 << 20
	lockBenchValLen    = 16
)

// lockBenchData is shared by every lock kind: the shards (which the write
// mixes keep rewriting with same-sized values), the keys with their
// hashes, and a Zipf trace of key indices.
var lockBenchData struct {
	once   sync.Once
	shards [lockBenchShards]*Shard
	keys   []string
	hashes []uint64
	trace  []uint32
}

func lockBenchSetup() {
	d := &lockBenchData
	d.once.Do(func() {
		now := func() int64 { return 0 } // never called: no key has a TTL
		for i := range d.shards {
			d.shards[i] = New(now)
		}
		// One backing string for all keys: the GC sees one object.
		const klen = 12 // "key:%08d"
		buf := make([]byte, 0, lockBenchKeys*klen)
		for i := range lockBenchKeys {
			buf = append(buf, "key:"...)
			buf = appendPadded(buf, i, 8)
		}
		all := string(buf)
		d.keys = make([]string, lockBenchKeys)
		d.hashes = make([]uint64, lockBenchKeys)
		val := make([]byte, lockBenchValLen)
		for i := range d.keys {
			k := all[i*klen : (i+1)*klen]
			h := Hash(k)
			d.keys[i], d.hashes[i] = k, h
			copy(val, "val:")
			appendPadded(val[:4], i, lockBenchValLen-4)
			s := d.shards[h>>(64-lockBenchShardBits)]
			s.SetBytesLocked(k, h, s.FindLocked(k, h), val)
		}
		// Scrambled Zipf: rank k is key perm[k], so the hot keys are spread
		// over the shards' slot pages instead of being the first inserted.
		r := rand.New(rand.NewPCG(1, 2))
		perm := r.Perm(lockBenchKeys)
		z := rand.NewZipf(r, 1.01, 1, lockBenchKeys-1)
		d.trace = make([]uint32, lockBenchTraceLen)
		for i := range d.trace {
			d.trace[i] = uint32(perm[z.Uint64()])
		}
	})
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

// lockedShards is one lock kind wrapped around the shared shards.
type lockedShards interface {
	read(i int, key string, h uint64) int
	write(i int, key string, h uint64, val []byte)
}

type mutexCell struct {
	mu sync.Mutex
	s  *Shard
	_  [128 - unsafe.Sizeof(sync.Mutex{}) - 8]byte
}

type mutexShards []mutexCell

func (m mutexShards) read(i int, key string, h uint64) int {
	c := &m[i]
	c.mu.Lock()
	n := 0
	if r := c.s.FindLocked(key, h); r != 0 {
		n = len(c.s.BytesLocked(r))
	}
	c.mu.Unlock()
	return n
}

func (m mutexShards) write(i int, key string, h uint64, val []byte) {
	c := &m[i]
	c.mu.Lock()
	c.s.SetBytesLocked(key, h, c.s.FindLocked(key, h), val)
	c.mu.Unlock()
}

type rwCell struct {
	mu sync.RWMutex
	s  *Shard
	_  [128 - unsafe.Sizeof(sync.RWMutex{}) - 8]byte
}

type rwShards []rwCell

func (m rwShards) read(i int, key string, h uint64) int {
	c := &m[i]
	c.mu.RLock()
	n := 0
	if r := c.s.FindLocked(key, h); r != 0 {
		n = len(c.s.BytesLocked(r))
	}
	c.mu.RUnlock()
	return n
}

func (m rwShards) write(i int, key string, h uint64, val []byte) {
	c := &m[i]
	c.mu.Lock()
	c.s.SetBytesLocked(key, h, c.s.FindLocked(key, h), val)
	c.mu.Unlock()
}

type rbCell struct {
	mu *xsync.RBMutex
	s  *Shard
	_  [128 - 8 - 8]byte
}

type rbShards []rbCell

func (m rbShards) read(i int, key string, h uint64) int {
	c := &m[i]
	t := c.mu.RLock()
	n := 0
	if r := c.s.FindLocked(key, h); r != 0 {
		n = len(c.s.BytesLocked(r))
	}
	c.mu.RUnlock(t)
	return n
}

func (m rbShards) write(i int, key string, h uint64, val []byte) {
	c := &m[i]
	c.mu.Lock()
	c.s.SetBytesLocked(key, h, c.s.FindLocked(key, h), val)
	c.mu.Unlock()
}

// newLockedShards wraps the shared shards in fresh locks of one kind. It is
// called inside each sub-benchmark, after -cpu has set GOMAXPROCS, because
// RBMutex sizes its reader slots by GOMAXPROCS when it is made.
func newLockedShards(kind string) lockedShards {
	d := &lockBenchData
	switch kind {
	case "Mutex":
		m := make(mutexShards, lockBenchShards)
		for i := range m {
			m[i].s = d.shards[i]
		}
		return m
	case "RWMutex":
		m := make(rwShards, lockBenchShards)
		for i := range m {
			m[i].s = d.shards[i]
		}
		return m
	case "RBMutex":
		m := make(rbShards, lockBenchShards)
		for i := range m {
			m[i].mu, m[i].s = xsync.NewRBMutex(), d.shards[i]
		}
		return m
	}
	panic("unknown lock kind " + kind)
}

func BenchmarkShardLock(b *testing.B) {
	mixes := []struct {
		name       string
		writeEvery int // one op in writeEvery is a write
	}{
		{"r90w10", 10},
		{"r50w50", 2},
	}
	for _, mix := range mixes {
		b.Run(mix.name, func(b *testing.B) {
			for _, kind := range []string{"Mutex", "RWMutex", "RBMutex"} {
				b.Run("lock="+kind, func(b *testing.B) {
					lockBenchSetup()
					benchShardLock(b, newLockedShards(kind), mix.writeEvery)
				})
			}
		})
	}
}

func benchShardLock(b *testing.B, ls lockedShards, writeEvery int) {
	d := &lockBenchData
	var seed, found atomic.Uint64
	runtime.GC()
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		r := rand.New(rand.NewPCG(seed.Add(1), 0x5eed))
		val := make([]byte, lockBenchValLen)
		copy(val, "val:written.....")
		i := r.IntN(lockBenchTraceLen)
		op, n := 0, 0
		for pb.Next() {
			k := d.trace[i&(lockBenchTraceLen-1)]
			key, h := d.keys[k], d.hashes[k]
			s := int(h >> (64 - lockBenchShardBits))
			if op++; op == writeEvery {
				op = 0
				ls.write(s, key, h, val)
			} else {
				n += ls.read(s, key, h)
			}
			i++
		}
		found.Add(uint64(n))
	})
	b.StopTimer()
	if found.Load() == 0 && b.N > writeEvery {
		b.Fatal("reads found no keys")
	}
}
