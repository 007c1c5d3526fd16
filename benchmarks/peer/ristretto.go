package peer

import "github.com/dgraph-io/ristretto/v2"

func init() {
	Register("ristretto", func(n int) Cache {
		c, err := ristretto.NewCache(&ristretto.Config[string, []byte]{
			// Ristretto's guidance: 10 counters per item to be held.
			NumCounters: int64(10 * max(n, 1000)),
			// Cost 1 per item and room for 4x the keys, so nothing is
			// rejected or evicted: the benchmarks measure storage.
			MaxCost:            int64(4 * max(n, 1000)),
			BufferItems:        64, // the recommended value
			IgnoreInternalCost: true,
		})
		if err != nil {
			panic(err)
		}
		return ristrettoCache{c}
	})
}

// ristrettoCache is ristretto v2 (dgraph). Its Set is asynchronous: a new
// key goes through a buffer and may be dropped under contention, so the
// loaders call Wait (see Waiter) before they read their keys back. It
// keeps the caller's value (no copy).
type ristrettoCache struct {
	c *ristretto.Cache[string, []byte]
}

func (ristrettoCache) Name() string { return "ristretto" }

func (c ristrettoCache) Get(key string) ([]byte, bool) { return c.c.Get(key) }

func (c ristrettoCache) Set(key string, v []byte) { c.c.Set(key, v, 1) }

func (c ristrettoCache) Wait() { c.c.Wait() }

func (c ristrettoCache) Close() { c.c.Close() }
