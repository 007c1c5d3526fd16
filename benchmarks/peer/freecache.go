package peer

import (
	"unsafe"

	"github.com/coocood/freecache"
)

func init() {
	Register("freecache", func(n int) Cache {
		// freecache preallocates its whole ring buffer and evicts when a
		// segment is full. An entry costs a 24-byte header plus key and
		// value; 128 bytes per key (and 64 MiB minimum) leaves room for
		// uneven segments, so nothing is evicted with 16-byte values.
		return freeCache{freecache.NewCache(max(n*128, 64<<20))}
	})
}

// freeCache is coocood/freecache: like bigcache, entries live in 256
// preallocated pointer-free segments, so the GC does not see the keys. It
// copies key and value in; Get returns a fresh copy (one allocation per
// hit).
type freeCache struct{ c *freecache.Cache }

func (freeCache) Name() string { return "freecache" }

// bytesOf views key as a []byte without copying. freecache only reads the
// key (it copies it into its buffer on Set), so this is safe.
func bytesOf(key string) []byte { return unsafe.Slice(unsafe.StringData(key), len(key)) }

func (c freeCache) Get(key string) ([]byte, bool) {
	v, err := c.c.Get(bytesOf(key))
	return v, err == nil
}

func (c freeCache) Set(key string, v []byte) {
	if err := c.c.Set(bytesOf(key), v, 0); err != nil {
		panic(err)
	}
}

func (freeCache) Close() {}
