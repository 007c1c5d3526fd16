package structures

// Helpers shared by List, Set and Hash. Names start with "col" (collection)
// to stay clear of other files of this package.

import (
	"encoding/binary"
	"strconv"
	"unsafe"
)

// colSizeClasses are Go's small-object size classes (runtime/sizeclasses.go).
var colSizeClasses = [...]int{
	8, 16, 24, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208, 224,
	240, 256, 288, 320, 352, 384, 416, 448, 480, 512, 576, 640, 704, 768, 896,
	1024, 1152, 1280, 1408, 1536, 1792, 2048, 2304, 2688, 3072, 3200, 3456,
	4096, 4864, 5376, 6144, 6528, 6784, 6912, 8192, 9472, 9728, 10240, 10880,
	12288, 13568, 14336, 16384, 18432, 19072, 20480, 21760, 24576, 27264,
	28672, 32768,
}

// colAlloc is the size Go's allocator hands out for a request of n bytes.
// It runs on every write to a set or hash (memory accounting), so it looks
// the size up in tables, as the runtime does, instead of searching.
func colAlloc(n int) int {
	switch {
	case n <= 0:
		return 0
	case n <= colSmallMax:
		return int(colSmallSizes[(n+7)>>3])
	case n <= 32768:
		return int(colLargeSizes[(n-colSmallMax+127)>>7])
	}
	return (n + 8191) &^ 8191
}

const colSmallMax = 1024

// colSmallSizes[(n+7)/8] and colLargeSizes[(n-1024+127)/128] are the size
// class of n bytes, for n up to 1024 and up to 32768 (every class is a
// multiple of 8, and above 1024 of 128).
var colSmallSizes, colLargeSizes = colSizeTables()

func colSizeTables() (small [colSmallMax/8 + 1]uint16, large [(32768-colSmallMax)/128 + 1]uint16) {
	class := func(n int) uint16 {
		for _, c := range colSizeClasses {
			if c >= n {
				return uint16(c)
			}
		}
		panic("unreachable")
	}
	for i := 1; i < len(small); i++ {
		small[i] = class(i * 8)
	}
	for i := 1; i < len(large); i++ {
		large[i] = class(colSmallMax + i*128)
	}
	return small, large
}

// colEmpty is the empty, non-nil value returned for empty strings.
var colEmpty = []byte{}

// colBytes views an immutable string as a read-only byte slice.
func colBytes(s string) []byte {
	if len(s) == 0 {
		return colEmpty
	}
	return unsafe.Slice(unsafe.StringData(s), len(s))
}

// colString views b as a string; b must never be modified afterwards.
func colString(b []byte) string {
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// Packed encoding: a sequence of entries, each uvarint(len) then the bytes.
// Only this package writes it, so readers may assume it is well formed. Set
// and Hash pack only entries of at most packedMaxValue (< 128) bytes, whose
// uvarint length is the single byte len, which the find loops rely on.

func colUvarintSize(x uint64) int {
	n := 1
	for x >= 0x80 {
		x >>= 7
		n++
	}
	return n
}

// colPackNext returns the entry at off and the offset after it.
func colPackNext(b []byte, off int) ([]byte, int) {
	n, k := binary.Uvarint(b[off:])
	off += k
	end := off + int(n)
	return b[off:end:end], end
}

func colPackAppend(b, v []byte) []byte {
	b = binary.AppendUvarint(b, uint64(len(v)))
	return append(b, v...)
}

// colPackFind returns the offsets of entry m in a packed set, stepping over
// stride-1 entries after each candidate (stride 2: field, value pairs).
func colPackFind(b, m []byte, stride int) (start, end int, ok bool) {
	for off := 0; off < len(b); {
		n := int(b[off])
		next := off + 1 + n
		if n == len(m) && string(b[off+1:next]) == string(m) {
			ok = true
			start = off
		}
		for range stride - 1 {
			next += 1 + int(b[next])
		}
		if ok {
			return start, next, true
		}
		off = next
	}
	return 0, 0, false
}

// colIsInt64 reports whether b is an integer as Redis's string2ll accepts
// it: canonical decimal (no '+', no leading zeros, no "-0") within int64.
func colIsInt64(b []byte) bool {
	if len(b) == 0 || len(b) > 20 {
		return false
	}
	v, err := strconv.ParseInt(string(b), 10, 64)
	return err == nil && strconv.FormatInt(v, 10) == string(b)
}
