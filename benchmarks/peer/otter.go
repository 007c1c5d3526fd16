package peer

import "github.com/maypok86/otter/v2"

func init() {
	Register("otter", func(int) Cache {
		// No MaximumSize: unbounded, so otter keeps every key and runs no
		// eviction policy (its cheapest configuration). No TTL either.
		return otterCache{otter.Must(&otter.Options[string, []byte]{})}
	})
}

// otterCache is otter v2. It keeps the caller's key and value (no copy).
type otterCache struct{ c *otter.Cache[string, []byte] }

func (otterCache) Name() string { return "otter" }

func (c otterCache) Get(key string) ([]byte, bool) { return c.c.GetIfPresent(key) }

func (c otterCache) Set(key string, v []byte) { c.c.Set(key, v) }

func (c otterCache) Close() { c.c.StopAllGoroutines() }
