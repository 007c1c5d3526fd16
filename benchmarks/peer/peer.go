// Package peer adapts jackdaw and the caches users would pick instead to
// one small interface, so that the benchmarks and cmd/memkey drive them
// all the same way.
//
// Adding a peer: write one file in this package with a type that
// implements Cache and an init function that calls Register. Every
// benchmark and cmd/memkey then pick it up by its name.
package peer

import (
	"fmt"
	"slices"
	"strings"
)

// Cache is what a benchmark needs from a peer: string keys, []byte values.
//
// Set may keep v (it does not copy it unless the peer's own API copies), so
// the caller must not modify v afterwards. The []byte that Get returns is
// shared with the cache and must not be modified either.
type Cache interface {
	Name() string
	Get(key string) ([]byte, bool)
	Set(key string, v []byte)
	// Close releases the peer's background goroutines, if any.
	Close()
}

// MemoryAccountant is implemented by peers that count the bytes they hold
// (jackdaw's Stats), so cmd/memkey can show the accounted figure next to
// the measured one.
type MemoryAccountant interface {
	AccountedBytes() int64
}

// Waiter is implemented by peers whose Set is applied asynchronously
// (ristretto, theine): Wait returns when every earlier Set is visible.
// Loaders call it before they read their keys back; the timed loops do not.
type Waiter interface {
	Wait()
}

// Factory makes an empty cache that will be asked to hold about n keys.
// Peers with a size bound must set it above n: the benchmarks measure
// storage, not eviction.
type Factory func(n int) Cache

var factories = map[string]Factory{}

// order is the registration order; the benchmarks run peers in it, and
// benchstat -col /peer takes the first one (jackdaw) as the baseline.
var order []string

// Register adds a peer. It is called from the init function of the peer's
// file; the file name sets the order (init functions run in file name
// order), except that jackdaw always comes first.
func Register(name string, f Factory) {
	if _, dup := factories[name]; dup {
		panic("peer: duplicate " + name)
	}
	factories[name] = f
	order = append(order, name)
	slices.SortStableFunc(order, func(a, b string) int {
		return boolInt(b == "jackdaw") - boolInt(a == "jackdaw")
	})
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Names lists the registered peers, jackdaw first.
func Names() []string { return slices.Clone(order) }

// New makes an empty cache of the named peer for about n keys.
func New(name string, n int) (Cache, error) {
	f, ok := factories[name]
	if !ok {
		return nil, fmt.Errorf("unknown peer %q (have: %s)", name, strings.Join(order, ", "))
	}
	return f(n), nil
}
