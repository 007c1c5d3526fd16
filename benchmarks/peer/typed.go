package peer

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// TypedStore is what the data-type benchmarks need from a peer: Redis's
// hashes, lists, sets and sorted sets, one call per Redis command.
//
// Errors from the peer (other than "no such key") panic: a benchmark that
// hits one is broken. A pipelined peer queues each call and returns zero
// values (its replies arrive later); the benchmarks check results on the
// other peers and call Flush before they stop the timer.
type TypedStore interface {
	Name() string

	HSet(key, field string, v []byte)
	HGet(key, field string) ([]byte, bool)

	LPush(key string, vs ...[]byte)
	LPop(key string) ([]byte, bool)
	// LRange returns how many elements LRANGE key start stop returned.
	LRange(key string, start, stop int) int

	SAdd(key string, members ...[]byte)
	SIsMember(key string, member []byte) bool
	// SInter returns the size of the intersection.
	SInter(keys ...string) int

	ZAdd(key string, members ...ZMember)
	ZScore(key, member string) (float64, bool)
	ZRank(key, member string) (int, bool)
	// ZRangeByScore is ZRANGEBYSCORE key min max LIMIT 0 count; it
	// returns how many members it returned.
	ZRangeByScore(key string, min, max float64, count int) int

	// Flush sends what a pipelined peer has queued and waits for the
	// replies; it does nothing on the others.
	Flush()
	// Close releases the peer (its goroutines, files, connections).
	Close()
}

// ZMember is a sorted-set member with its score.
type ZMember struct {
	Member string
	Score  float64
}

// Partial is implemented by typed peers that lack some commands: Lacks
// reports whether the named command (e.g. "SINTER") has no equivalent, so
// the benchmark skips it rather than emulating it.
type Partial interface {
	Lacks(cmd string) bool
}

// ErrUnavailable means the peer cannot run here (e.g. no redis-server
// installed); the benchmarks skip it.
var ErrUnavailable = errors.New("peer unavailable")

// TypedFactory makes an empty typed store.
type TypedFactory func() (TypedStore, error)

var (
	typedFactories = map[string]TypedFactory{}
	typedOrder     []string
)

// RegisterTyped adds a typed peer, like Register (jackdaw first, then file
// name order).
func RegisterTyped(name string, f TypedFactory) {
	if _, dup := typedFactories[name]; dup {
		panic("peer: duplicate typed " + name)
	}
	typedFactories[name] = f
	typedOrder = append(typedOrder, name)
	slices.SortStableFunc(typedOrder, func(a, b string) int {
		return boolInt(b == "jackdaw") - boolInt(a == "jackdaw")
	})
}

// TypedNames lists the registered typed peers, jackdaw first.
func TypedNames() []string { return slices.Clone(typedOrder) }

// NewTyped makes an empty typed store of the named peer. The error wraps
// ErrUnavailable when the peer cannot run on this machine.
func NewTyped(name string) (TypedStore, error) {
	f, ok := typedFactories[name]
	if !ok {
		return nil, fmt.Errorf("unknown typed peer %q (have: %s)", name, strings.Join(typedOrder, ", "))
	}
	return f()
}
