package structures

import (
	"encoding/binary"
	"hash/maphash"
	"math/bits"
)

// colDense is the large encoding of Set and Hash: a dense slice of entries
// plus an open-addressing index over it. Picking a random entry is O(1)
// (index the slice); removal swaps the last entry into the freed place.
//
// The index is a power-of-two []uint64 with linear probing and backward-
// shift deletion (no tombstones). A slot holds tag<<32 | (i+1), tag being 32
// bits of the key's hash and i the entry's place in ents; 0 is empty. A
// key's home slot is tag&mask, so resizing never rehashes a key. At the
// 3/4 maximum load the index costs 8-16 bytes per entry, against ~40 for a
// map[string]int32, and holds no pointers for the garbage collector.
type colDense struct {
	ents   []string
	slots  []uint64
	pairs  bool // entries are uvarint(len(field)) field value, keyed by field
	entMem int  // sum of colAlloc(len(e)) over ents, kept so memory() is O(1)
}

// colSeed randomises hashes per process, against collision flooding.
var colSeed = maphash.MakeSeed()

func colTag(k []byte) uint32 { return uint32(maphash.Bytes(colSeed, k) >> 32) }

func colTagString(k string) uint32 { return uint32(maphash.String(colSeed, k) >> 32) }

func newColDense(hint int, pairs bool) *colDense {
	d := &colDense{ents: make([]string, 0, hint), pairs: pairs}
	d.slots = make([]uint64, colSlotsFor(hint))
	return d
}

// colSlotsFor is the index size for n entries: a power of two, at least 8,
// with n at most half of it.
func colSlotsFor(n int) int {
	if n < 4 {
		return 8
	}
	return 1 << bits.Len(uint(2*n-1))
}

// key is the part of an entry the index is keyed by.
func (d *colDense) key(e string) string {
	if !d.pairs {
		return e
	}
	n, k := binary.Uvarint(colBytes(e))
	return e[k : k+int(n)]
}

func (d *colDense) mask() uint32 { return uint32(len(d.slots) - 1) }

// find returns the entry index of key k and the slot that holds it, or
// ok false and the empty slot where k would go.
func (d *colDense) find(k []byte) (i int, slot uint32, ok bool) {
	tag := colTag(k)
	m := d.mask()
	for p := tag & m; ; p = (p + 1) & m {
		s := d.slots[p]
		if s == 0 {
			return 0, p, false
		}
		if uint32(s>>32) == tag {
			j := int(uint32(s)) - 1
			if d.key(d.ents[j]) == string(k) {
				return j, p, true
			}
		}
	}
}

// slotOf returns the slot that points to entry i.
func (d *colDense) slotOf(i int) uint32 {
	tag := colTagString(d.key(d.ents[i]))
	m := d.mask()
	want := uint64(tag)<<32 | uint64(i+1)
	for p := tag & m; ; p = (p + 1) & m {
		if d.slots[p] == want {
			return p
		}
	}
}

// lookup returns the entry index of key k.
func (d *colDense) lookup(k []byte) (int, bool) {
	i, _, ok := d.find(k)
	return i, ok
}

// insert adds entry e, whose key must be k and absent.
func (d *colDense) insert(k []byte, e string) {
	if (len(d.ents)+1)*4 > len(d.slots)*3 {
		d.resize(2 * len(d.slots))
	}
	tag := colTag(k)
	m := d.mask()
	p := tag & m
	for d.slots[p] != 0 {
		p = (p + 1) & m
	}
	d.slots[p] = uint64(tag)<<32 | uint64(len(d.ents)+1)
	d.ents = append(d.ents, e)
	d.entMem += colAlloc(len(e))
}

// resize rebuilds the index with n slots (a power of two).
func (d *colDense) resize(n int) {
	old := d.slots
	d.slots = make([]uint64, n)
	m := d.mask()
	for _, s := range old {
		if s == 0 {
			continue
		}
		p := uint32(s>>32) & m
		for d.slots[p] != 0 {
			p = (p + 1) & m
		}
		d.slots[p] = s
	}
}

// clearSlot empties slot p, shifting later entries of its probe run back.
func (d *colDense) clearSlot(p uint32) {
	m := d.mask()
	d.slots[p] = 0
	for q := (p + 1) & m; ; q = (q + 1) & m {
		s := d.slots[q]
		if s == 0 {
			return
		}
		home := uint32(s>>32) & m
		if (q-home)&m >= (q-p)&m {
			d.slots[p] = s
			d.slots[q] = 0
			p = q
		}
	}
}

// removeAt removes entry i: the last entry moves to i.
func (d *colDense) removeAt(i int) {
	d.entMem -= colAlloc(len(d.ents[i]))
	last := len(d.ents) - 1
	d.clearSlot(d.slotOf(i))
	if i != last {
		p := d.slotOf(last)
		d.slots[p] = d.slots[p]&^0xffffffff | uint64(i+1)
		d.ents[i] = d.ents[last]
	}
	d.ents[last] = ""
	d.ents = d.ents[:last]
	if len(d.slots) > 64 && len(d.ents)*8 < len(d.slots) {
		d.resize(colSlotsFor(len(d.ents)))
	}
	if cap(d.ents) > 64 && len(d.ents) < cap(d.ents)/4 {
		d.ents = append(make([]string, 0, 2*len(d.ents)), d.ents...)
	}
}

func (d *colDense) memory() int {
	return 64 + colAlloc(16*cap(d.ents)) + colAlloc(8*len(d.slots)) + d.entMem
}

func (d *colDense) clone() *colDense {
	c := &colDense{ents: make([]string, len(d.ents)), slots: append([]uint64(nil), d.slots...), pairs: d.pairs, entMem: d.entMem}
	for i, e := range d.ents {
		c.ents[i] = string(colBytes(e)) // a copy, not shared with d
	}
	return c
}
