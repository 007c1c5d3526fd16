package structures

import (
	"encoding/binary"
	"iter"
	"math/rand/v2"
	"slices"
)

// Hash is a map of binary-safe fields to values. Up to 128 fields with
// fields and values of at most 64 bytes it is one packed []byte of
// field, value pairs searched linearly (Redis's listpack encoding); past that
// it is a dense slice of entries plus a map from field to index (swap-remove
// on delete), each entry one allocation holding uvarint(len(field)), the
// field and the value, the map key being the field inside it. The zero Hash
// is empty and ready to use. Not safe for concurrent use.
type Hash struct {
	lp  []byte // packed field, value pairs, when d == nil
	cnt int    // pairs in lp
	d   *colDense
}

// NewHash returns an empty hash.
func NewHash() *Hash { return &Hash{} }

// hashSplit returns the field and value of a dense entry.
func hashSplit(e string) (field, value string) {
	n, k := binary.Uvarint(colBytes(e))
	return e[k : k+int(n)], e[k+int(n):]
}

func hashEntry(field, value []byte) string {
	k := colUvarintSize(uint64(len(field)))
	b := make([]byte, k+len(field)+len(value))
	binary.PutUvarint(b, uint64(len(field)))
	copy(b[k:], field)
	copy(b[k+len(field):], value)
	return colString(b)
}

// Len is the number of fields (HLEN).
func (h *Hash) Len() int {
	if h.d != nil {
		return len(h.d.ents)
	}
	return h.cnt
}

// packedFind returns the offsets of field f's pair in lp: the pair is
// lp[start:end], its value starts at voff.
func (h *Hash) packedFind(f []byte) (start, voff, end int, ok bool) {
	start, end, ok = colPackFind(h.lp, f, 2)
	return start, start + 1 + len(f), end, ok
}

// Get returns the value of field f (HGET). The slice aliases the hash.
func (h *Hash) Get(f []byte) ([]byte, bool) {
	if h.d != nil {
		i, ok := h.d.lookup(f)
		if !ok {
			return nil, false
		}
		_, v := hashSplit(h.d.ents[i])
		return colBytes(v), true
	}
	_, voff, _, ok := h.packedFind(f)
	if !ok {
		return nil, false
	}
	v, _ := colPackNext(h.lp, voff)
	return v, true
}

// GetStable is Get, and also reports whether the value stays as it is when
// the hash is later modified: a dense entry is never changed in place, a
// packed one may be, so only a stable value may be kept without a copy.
func (h *Hash) GetStable(f []byte) (v []byte, stable, ok bool) {
	v, ok = h.Get(f)
	return v, h.d != nil, ok
}

// Exists reports whether field f is present (HEXISTS).
func (h *Hash) Exists(f []byte) bool {
	if h.d != nil {
		_, ok := h.d.lookup(f)
		return ok
	}
	_, _, _, ok := h.packedFind(f)
	return ok
}

// StrLen is the length of field f's value, 0 if absent (HSTRLEN).
func (h *Hash) StrLen(f []byte) int {
	v, _ := h.Get(f)
	return len(v)
}

// Set sets field f to v (HSET) and reports whether f is a new field.
func (h *Hash) Set(f, v []byte) bool {
	if h.d != nil {
		return h.d.set(f, v)
	}
	_, voff, end, ok := h.packedFind(f)
	if ok {
		old, _ := colPackNext(h.lp, voff)
		if len(old) == len(v) {
			copy(old[:len(v)], v)
			return false
		}
		if len(v) > packedMaxValue {
			h.toDense(h.cnt)
			return h.d.set(f, v)
		}
		enc := colPackAppend(nil, v)
		h.lp = slices.Replace(h.lp, voff, end, enc...)
		return false
	}
	if h.cnt+1 > packedMaxEntries || len(f) > packedMaxValue || len(v) > packedMaxValue {
		h.toDense(h.cnt + 1)
		return h.d.set(f, v)
	}
	h.lp = colPackAppend(colPackAppend(h.lp, f), v)
	h.cnt++
	return true
}

func (h *Hash) toDense(hint int) {
	d := newColDense(hint, true)
	for off := 0; off < len(h.lp); {
		f, vo := colPackNext(h.lp, off)
		v, next := colPackNext(h.lp, vo)
		d.insert(f, hashEntry(f, v))
		off = next
	}
	h.d, h.lp, h.cnt = d, nil, 0
}

// set sets field f of a hash entry set and reports whether f is new.
func (d *colDense) set(f, v []byte) bool {
	i, _, ok := d.find(f)
	if ok {
		e := hashEntry(f, v)
		d.entMem += colAlloc(len(e)) - colAlloc(len(d.ents[i]))
		d.ents[i] = e
		return false
	}
	d.insert(f, hashEntry(f, v))
	return true
}

// Delete removes field f (HDEL) and reports whether it was present.
func (h *Hash) Delete(f []byte) bool {
	if h.d != nil {
		i, ok := h.d.lookup(f)
		if ok {
			h.d.removeAt(i)
		}
		return ok
	}
	start, _, end, ok := h.packedFind(f)
	if ok {
		h.lp = append(h.lp[:start], h.lp[end:]...)
		h.cnt--
	}
	return ok
}

// All iterates over the fields and values in no particular order (HGETALL,
// HKEYS, HVALS). The hash must not be changed during the iteration; the
// slices alias the hash.
func (h *Hash) All() iter.Seq2[[]byte, []byte] {
	return func(yield func(f, v []byte) bool) {
		if h.d != nil {
			for _, e := range h.d.ents {
				f, v := hashSplit(e)
				if !yield(colBytes(f), colBytes(v)) {
					return
				}
			}
			return
		}
		for off := 0; off < len(h.lp); {
			f, vo := colPackNext(h.lp, off)
			v, next := colPackNext(h.lp, vo)
			if !yield(f, v) {
				return
			}
			off = next
		}
	}
}

// RandomFields returns random fields and their values with HRANDFIELD's
// rules (those of SRANDMEMBER): count > 0 gives min(count, Len) distinct
// fields, count < 0 exactly -count fields that may repeat, 0 none. The
// slices alias the hash.
func (h *Hash) RandomFields(count int) (fields, values [][]byte) {
	n := h.Len()
	if count == 0 || n == 0 {
		return [][]byte{}, [][]byte{}
	}
	type pair struct{ f, v []byte }
	var pairs []pair
	var at func(int) pair
	if h.d != nil {
		at = func(i int) pair {
			f, v := hashSplit(h.d.ents[i])
			return pair{colBytes(f), colBytes(v)}
		}
	} else {
		pairs = make([]pair, 0, n)
		for f, v := range h.All() {
			pairs = append(pairs, pair{f, v})
		}
		at = func(i int) pair { return pairs[i] }
	}
	picked := colSample(n, count, at)
	fields = make([][]byte, len(picked))
	values = make([][]byte, len(picked))
	for i, p := range picked {
		fields[i], values[i] = p.f, p.v
	}
	return fields, values
}

// RandomField returns one random field and its value (HRANDFIELD without a
// count); ok is false if the hash is empty.
func (h *Hash) RandomField() (field, value []byte, ok bool) {
	n := h.Len()
	if n == 0 {
		return nil, nil, false
	}
	i := rand.IntN(n)
	if h.d != nil {
		f, v := hashSplit(h.d.ents[i])
		return colBytes(f), colBytes(v), true
	}
	for f, v := range h.All() {
		if i == 0 {
			return f, v, true
		}
		i--
	}
	return nil, nil, false
}

// Scan calls fn for fields and values and returns the cursor to continue
// from; 0 means the scan is complete (HSCAN). It has Set.Scan's guarantee: a
// field present for the whole scan is returned at least once. fn must not
// change the hash; the slices alias the hash.
func (h *Hash) Scan(cursor uint64, count int, fn func(field, value []byte)) uint64 {
	if h.d == nil {
		for f, v := range h.All() {
			fn(f, v)
		}
		return 0
	}
	return colScan(len(h.d.ents), cursor, count, func(i int) {
		f, v := hashSplit(h.d.ents[i])
		fn(colBytes(f), colBytes(v))
	})
}

// MemoryUsage is the approximate footprint in bytes.
func (h *Hash) MemoryUsage() int {
	m := 48 + colAlloc(cap(h.lp))
	if h.d != nil {
		m += h.d.memory()
	}
	return m
}

// Clone returns a deep copy.
func (h *Hash) Clone() *Hash {
	c := &Hash{cnt: h.cnt}
	if h.lp != nil {
		c.lp = append([]byte(nil), h.lp...)
	}
	if h.d != nil {
		c.d = h.d.clone()
	}
	return c
}

// Compact drops spare capacity, for values that are done growing (after
// decoding, for instance).
func (h *Hash) Compact() {
	if h.d == nil && cap(h.lp) > len(h.lp)+len(h.lp)/8 {
		h.lp = append([]byte(nil), h.lp...)
	}
}

// Encoding is what Redis 7.0's OBJECT ENCODING reports for this hash:
// "listpack" while it is packed (the same limits as Redis's defaults), else
// "hashtable".
func (h *Hash) Encoding() string {
	if h.d == nil {
		return "listpack"
	}
	return "hashtable"
}
