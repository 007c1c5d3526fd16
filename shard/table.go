package shard

import (
	"math/bits"
	"unsafe"
)

// A slot is one entry: 32 bytes, one pointer.
type slot struct {
	kv   unsafe.Pointer // key bytes, then (raw strings) value bytes; no pointers inside
	exp  int64          // absolute expiry, unix milliseconds; 0 = none
	next Ref            // next slot in the bucket chain, or in the free list
	hdr  uint32         // klen | type | flags, see hdr* below
	vlen uint32         // raw: value length; int: low 32 bits; object: side-table index
	vcap uint32         // raw: value capacity after the key; int: high 32 bits
}

const (
	pageBits = 10
	pageSize = 1 << pageBits

	slotBytes = int64(unsafe.Sizeof(slot{}))

	// MaxKeyLen is the longest key a shard can hold (the key length shares
	// the slot header with the type, flags and hash fragment).
	MaxKeyLen = 1<<22 - 1

	hdrKlenMask  = 1<<22 - 1
	hdrTypeShift = 22
	hdrTypeMask  = 7 << hdrTypeShift
	hdrInt       = 1 << 25 // string held as an int64 in vlen/vcap
	hdrTTLListed = 1 << 26 // this slot index is in the ttl list (survives reuse)
	hdrFragShift = 27      // 4 bits of the key's hash, see find
	hdrFragMask  = 15 << hdrFragShift
	// Bit 31 is free, kept for the snapshot-capture bit (doc.go).

	minBuckets = 16
)

func (e *slot) klen() int   { return int(e.hdr & hdrKlenMask) }
func (e *slot) typ() Type   { return Type((e.hdr & hdrTypeMask) >> hdrTypeShift) }
func (e *slot) isInt() bool { return e.hdr&hdrInt != 0 }

func (e *slot) key() string { return unsafe.String((*byte)(e.kv), e.klen()) }

// raw returns the value bytes of a raw string, capacity-limited so that an
// append by a reader cannot reach bytes a later APPEND writes.
func (e *slot) raw() []byte {
	if e.vlen == 0 {
		return []byte{}
	}
	b := unsafe.Slice((*byte)(unsafe.Add(e.kv, e.klen())), e.vlen)
	return b[:e.vlen:e.vlen]
}

func (e *slot) intVal() int64 { return int64(uint64(e.vcap)<<32 | uint64(e.vlen)) }

func (e *slot) setHdr(klen int, t Type, flags uint32) {
	e.hdr = uint32(klen) | uint32(t)<<hdrTypeShift | flags | e.hdr&(hdrTTLListed|hdrFragMask)
}

// kvBytes is what the slot's allocation holds, as accounted in Stats.Memory.
func (e *slot) kvBytes() int64 {
	if e.typ() == TypeString && !e.isInt() {
		return int64(e.klen()) + int64(e.vcap)
	}
	return int64(e.klen())
}

// table is a chained hash table over slot pages. Not safe for concurrent use.
type table struct {
	buckets []Ref
	pages   []*[pageSize]slot
	used    Ref // slots handed out (slot 0 is reserved as "none")
	free    Ref // free list head
	count   int
}

func (t *table) init() {
	t.buckets = make([]Ref, minBuckets)
	t.pages = nil
	t.used = 1 // slot 0 reserved
	t.free = 0
	t.count = 0
}

func (t *table) slot(r Ref) *slot { return &t.pages[r>>pageBits][r&(pageSize-1)] }

func (t *table) mask() uint64 { return uint64(len(t.buckets) - 1) }

// hashFrag is the part of hash h kept in a slot's header: 4 bits that the
// bucket index does not use (it takes the low bits; the engine routes keys
// to shards by the high ones).
func hashFrag(h uint64) uint32 { return uint32(h>>32) << hdrFragShift & hdrFragMask }

// find returns key's slot, or 0. The length and hash fragment in each
// chained slot's header rule out 15 in 16 of the other keys in the chain
// without reading their key bytes, which would be one more cache miss each.
func (t *table) find(key string, h uint64) Ref {
	want := hashFrag(h) | uint32(len(key))
	for r := t.buckets[h&t.mask()]; r != 0; {
		e := t.slot(r)
		if e.hdr&(hdrFragMask|hdrKlenMask) == want && e.key() == key {
			return r
		}
		r = e.next
	}
	return 0
}

// link allocates a slot for a new key with hash h and links it into its
// bucket. The caller fills in kv and the rest of hdr (with setHdr, which
// keeps the hash fragment).
func (t *table) link(h uint64) Ref {
	var r Ref
	if t.free != 0 {
		r = t.free
		t.free = t.slot(r).next
	} else {
		r = t.used
		if int(r>>pageBits) == len(t.pages) {
			t.pages = append(t.pages, new([pageSize]slot))
		}
		t.used++
	}
	if t.count >= len(t.buckets) {
		t.resize(len(t.buckets) * 2)
	}
	b := h & t.mask()
	e := t.slot(r)
	e.hdr = e.hdr&hdrTTLListed | hashFrag(h)
	e.next = t.buckets[b]
	t.buckets[b] = r
	t.count++
	return r
}

// unlink removes r from its bucket and puts the slot on the free list. The
// ttl-listed flag is kept: the ttl list still names this slot index.
func (t *table) unlink(r Ref, h uint64) {
	p := &t.buckets[h&t.mask()]
	for *p != r {
		p = &t.slot(*p).next
	}
	e := t.slot(r)
	*p = e.next
	*e = slot{hdr: e.hdr & hdrTTLListed, next: t.free}
	t.free = r
	t.count--
	if len(t.buckets) > minBuckets && t.count*8 < len(t.buckets) {
		t.resize(len(t.buckets) / 2)
	}
}

// resize rehashes every entry into n buckets (n a power of two). It is
// O(entries); shards are small enough that the pause stays short.
func (t *table) resize(n int) {
	old := t.buckets
	t.buckets = make([]Ref, n)
	m := t.mask()
	for _, r := range old {
		for r != 0 {
			e := t.slot(r)
			next := e.next
			b := Hash(e.key()) & m
			e.next = t.buckets[b]
			t.buckets[b] = r
			r = next
		}
	}
}

// nextCursor advances a reverse-binary bucket cursor (Redis's dictScan):
// increment the reversed bits above the mask, so that every bucket of any
// table size seen during an iteration is covered.
func nextCursor(v, mask uint64) uint64 {
	v |= ^mask
	v = bits.Reverse64(v)
	v++
	return bits.Reverse64(v)
}

func (t *table) bytes() int64 {
	return int64(len(t.buckets))*4 + int64(len(t.pages))*pageSize*slotBytes
}
