package peer

import gocache "github.com/patrickmn/go-cache"

func init() {
	Register("go-cache", func(int) Cache {
		// No default expiry and no janitor goroutine.
		return goCache{gocache.New(gocache.NoExpiration, 0)}
	})
}

// goCache is patrickmn/go-cache: one map[string]Item behind one RWMutex,
// the most used Go cache by imports. Values are stored as interface{}, so
// each Set boxes the slice header (one allocation).
type goCache struct{ c *gocache.Cache }

func (goCache) Name() string { return "go-cache" }

func (c goCache) Get(key string) ([]byte, bool) {
	v, ok := c.c.Get(key)
	if !ok {
		return nil, false
	}
	return v.([]byte), true
}

func (c goCache) Set(key string, v []byte) { c.c.Set(key, v, gocache.NoExpiration) }

func (goCache) Close() {}
