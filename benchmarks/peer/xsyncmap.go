package peer

import "github.com/puzpuzpuz/xsync/v3"

func init() {
	Register("xsyncmap", func(int) Cache {
		return xsyncMap{xsync.NewMapOf[string, []byte]()}
	})
}

// xsyncMap is a bare concurrent hash map: no TTL, no types, no eviction,
// no statistics. It is the limit of what a Go in-process store of
// string -> []byte can cost. It keeps the caller's key and value as they
// are (no copy). Not presized, like the other peers.
type xsyncMap struct{ m *xsync.MapOf[string, []byte] }

func (xsyncMap) Name() string { return "xsyncmap" }

func (c xsyncMap) Get(key string) ([]byte, bool) { return c.m.Load(key) }

func (c xsyncMap) Set(key string, v []byte) { c.m.Store(key, v) }

func (xsyncMap) Close() {}
