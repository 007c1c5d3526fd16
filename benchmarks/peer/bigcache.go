package peer

import (
	"context"
	"time"

	"github.com/allegro/bigcache/v3"
)

func init() {
	Register("bigcache", func(n int) Cache {
		cfg := bigcache.DefaultConfig(24 * time.Hour) // nothing expires during a run
		cfg.CleanWindow = 0                           // no cleaner goroutine
		cfg.MaxEntriesInWindow = max(n, 1000)         // presizes the shards for n keys
		cfg.Verbose = false
		c, err := bigcache.New(context.Background(), cfg)
		if err != nil {
			panic(err)
		}
		return bigCache{c}
	})
}

// bigCache is allegro/bigcache v3: entries are serialized into large
// []byte ring buffers indexed by map[uint64]uint32, so the GC sees a few
// pointer-free objects however many keys there are. That is what it is
// here for (GC behaviour with many keys). Set copies key and value in; Get
// returns a fresh copy of the value (one allocation per hit).
type bigCache struct{ c *bigcache.BigCache }

func (bigCache) Name() string { return "bigcache" }

func (c bigCache) Get(key string) ([]byte, bool) {
	v, err := c.c.Get(key)
	return v, err == nil
}

func (c bigCache) Set(key string, v []byte) {
	if err := c.c.Set(key, v); err != nil {
		panic(err)
	}
}

func (c bigCache) Close() { _ = c.c.Close() }
