package shard

import "github.com/zeebo/xxh3"

// Ref addresses one entry of a shard. The zero Ref means "no entry". A Ref
// stays valid while the shard's lock is held and the entry is not deleted.
type Ref uint32

// Type is the Redis type of a value.
type Type uint8

// The value types, in the order Redis's TYPE command names them.
const (
	TypeNone Type = iota
	TypeString
	TypeList
	TypeSet
	TypeZSet
	TypeHash
	NumTypes
)

var typeNames = [NumTypes]string{"none", "string", "list", "set", "zset", "hash"}

// String returns the name TYPE replies with.
func (t Type) String() string {
	if t < NumTypes {
		return typeNames[t]
	}
	return "unknown"
}

// Object is an aggregate value (list, set, sorted set, hash) kept in the
// shard's side table. The shard only needs its footprint; copying one (for
// COPY) is the engine's business, which knows the concrete types.
type Object interface {
	// MemoryUsage is the approximate footprint in bytes. It may take time
	// proportional to the size: the shard calls it only when the length
	// has drifted (see UpdateObjectMemoryLocked).
	MemoryUsage() int
	// Len is the number of elements.
	Len() int
}

// Hash is the hash of a key used for buckets inside a shard. The engine uses
// the same function to route keys to shards, so a key is hashed once.
func Hash(key string) uint64 { return xxh3.HashString(key) }

// Stats are one shard's counters. Memory figures are approximate: allocation
// sizes as Go rounds them, not including allocator fragmentation.
type Stats struct {
	Hits    int64           // reads that found their key
	Misses  int64           // reads that did not
	Memory  [NumTypes]int64 // bytes held by keys and values, by type
	Keys    [NumTypes]int64 // live keys by type (index TypeNone unused)
	Table   int64           // bytes of slot pages, buckets and side tables
	Expires int64           // keys with a TTL
	Expired int64           // keys deleted because their TTL passed
	Evicted int64           // keys deleted to stay under the memory limit
}

// Add accumulates o into s.
func (s *Stats) Add(o *Stats) {
	for i := range s.Keys {
		s.Keys[i] += o.Keys[i]
		s.Memory[i] += o.Memory[i]
	}
	s.Table += o.Table
	s.Expires += o.Expires
	s.Hits += o.Hits
	s.Misses += o.Misses
	s.Expired += o.Expired
	s.Evicted += o.Evicted
}

// TotalKeys is the number of live keys of every type.
func (s Stats) TotalKeys() int64 {
	var n int64
	for _, k := range s.Keys {
		n += k
	}
	return n
}

// TotalMemory is the approximate number of bytes held, table included.
func (s Stats) TotalMemory() int64 {
	n := s.Table
	for _, m := range s.Memory {
		n += m
	}
	return n
}
