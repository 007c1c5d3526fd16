package peer

import theine "github.com/Yiling-J/theine-go"

func init() {
	Register("theine", func(n int) Cache {
		// Room for 4x the keys at cost 1 each: no eviction.
		c, err := theine.NewBuilder[string, []byte](int64(4 * max(n, 1000))).Build()
		if err != nil {
			panic(err)
		}
		return theineCache{c}
	})
}

// theineCache is theine (W-TinyLFU, like otter). It keeps the caller's
// value (no copy). Its policy is updated asynchronously, so loaders call
// Wait before reading keys back.
type theineCache struct{ c *theine.Cache[string, []byte] }

func (theineCache) Name() string { return "theine" }

func (c theineCache) Get(key string) ([]byte, bool) { return c.c.Get(key) }

func (c theineCache) Set(key string, v []byte) { c.c.Set(key, v, 1) }

func (c theineCache) Wait() { c.c.Wait() }

func (c theineCache) Close() { c.c.Close() }
