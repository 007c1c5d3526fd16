package shard

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"sync"
	"unsafe"
)

// DeleteReason says why the shard deleted a key on its own.
type DeleteReason uint8

// Reasons for deletions the shard makes without being asked.
const (
	DeletedExpired DeleteReason = iota + 1
)

// Shard is one partition of the keyspace. The zero Shard is not usable; call
// New.
type Shard struct {
	mu struct {
		// Mutex protects everything below. A plain Mutex measured best for
		// both read-heavy and write-heavy mixes (see lock_bench_test.go),
		// and lets reads delete expired keys they meet.
		sync.Mutex
		t         table
		objs      []Object // aggregate values, indexed by slot.vlen
		objMem    []int64  // the memory accounted for each object
		objLen    []int    // each object's length when it was last measured
		objFree   []uint32 // free indices in objs
		ttl       []Ref    // slots that have (or had) a TTL; see hdrTTLListed
		ttlCursor int      // where the active expiry cycle resumes
		stats     Stats
		vers      [versionSlots]uint64 // write counters, see version.go
		frozenNow int64                // if not 0, the time expiry uses: see FreezeClockLocked
	}
	// OnDelete, if set, is called with the lock held for every key the
	// shard deletes by itself (expiry), before the key is gone. The engine
	// uses it for the journal and keyspace notifications.
	OnDelete func(key string, why DeleteReason)
	// OnStoreObject, if set, is called with the lock held whenever an
	// aggregate of type t is stored under key (created, or put in place of
	// another value). The engine uses it to wake clients blocked on key.
	OnStoreObject func(key string, t Type)
	// Index is the shard's position among its engine's shards, for the
	// engine's own per-shard state; the shard does not use it.
	Index int

	now func() int64 // unix ms; read only when an entry has a TTL

	_ [64]byte // keep neighbouring shards' locks on separate cache lines
}

// New returns an empty shard whose expiry decisions use now (unix ms).
func New(now func() int64) *Shard {
	s := &Shard{now: now}
	s.mu.t.init()
	return s
}

// clock is the time (unix ms) expiry decisions use.
func (s *Shard) clock() int64 {
	if s.mu.frozenNow != 0 {
		return s.mu.frozenNow
	}
	return s.now()
}

// FreezeClockLocked makes the shard's expiry decisions use ms (unix ms)
// until it is called with 0, so that a transaction sees one instant, as
// Redis freezes time for a command or a script: a key cannot expire
// between two reads of one transaction.
func (s *Shard) FreezeClockLocked(ms int64) { s.mu.frozenNow = ms }

// Lock locks the shard.
func (s *Shard) Lock() { s.mu.Lock() }

// Unlock unlocks the shard.
func (s *Shard) Unlock() { s.mu.Unlock() }

// LenLocked is the number of keys, expired-but-not-yet-deleted ones included.
func (s *Shard) LenLocked() int { return s.mu.t.count }

// FindLocked returns the entry for key (whose Hash is h), or 0. A key whose
// expiry has passed is deleted and reported absent.
func (s *Shard) FindLocked(key string, h uint64) Ref {
	r := s.mu.t.find(key, h)
	if r == 0 {
		return 0
	}
	if e := s.mu.t.slot(r); e.exp != 0 && s.clock() > e.exp {
		s.expireLocked(r, h)
		return 0
	}
	return r
}

// GetLocked is GET's whole lookup in one call, since it is the hottest
// path: FindLocked, the hit/miss count, and for a string its value (see
// BytesLocked). typ is TypeNone if the key does not exist; val is nil
// unless typ is TypeString.
func (s *Shard) GetLocked(key string, h uint64) (val []byte, typ Type) {
	t := &s.mu.t
	r := t.find(key, h)
	if r == 0 {
		s.mu.stats.Misses++
		return nil, TypeNone
	}
	e := t.slot(r)
	if e.exp != 0 && s.clock() > e.exp {
		s.expireLocked(r, h)
		s.mu.stats.Misses++
		return nil, TypeNone
	}
	s.mu.stats.Hits++
	switch typ = e.typ(); {
	case typ != TypeString:
		return nil, typ
	case e.isInt():
		return strconv.AppendInt(nil, e.intVal(), 10), typ
	}
	return e.raw(), typ
}

// RecordReadLocked counts a read for the hit/miss statistics.
func (s *Shard) RecordReadLocked(hit bool) {
	if hit {
		s.mu.stats.Hits++
	} else {
		s.mu.stats.Misses++
	}
}

// TypeLocked is the type of r's value.
func (s *Shard) TypeLocked(r Ref) Type { return s.mu.t.slot(r).typ() }

// KeyLocked is r's key. The string stays valid after the lock is released.
func (s *Shard) KeyLocked(r Ref) string { return s.mu.t.slot(r).key() }

// ExpireAtLocked is r's expiry in unix ms, or 0 if it has none.
func (s *Shard) ExpireAtLocked(r Ref) int64 { return s.mu.t.slot(r).exp }

// SetExpireAtLocked sets r's expiry (unix ms; 0 removes it).
func (s *Shard) SetExpireAtLocked(r Ref, at int64) {
	e := s.mu.t.slot(r)
	if e.exp == at {
		return
	}
	s.touchEntryLocked(e)
	switch {
	case e.exp == 0 && at != 0:
		s.mu.stats.Expires++
	case e.exp != 0 && at == 0:
		s.mu.stats.Expires--
	}
	e.exp = at
	if at != 0 && e.hdr&hdrTTLListed == 0 {
		e.hdr |= hdrTTLListed
		s.mu.ttl = append(s.mu.ttl, r)
	}
}

// IsIntLocked reports whether r is a string held as an integer, and its value.
func (s *Shard) IsIntLocked(r Ref) (int64, bool) {
	e := s.mu.t.slot(r)
	if e.typ() == TypeString && e.isInt() {
		return e.intVal(), true
	}
	return 0, false
}

// BytesLocked returns the value of a string entry. For a raw string it is the
// stored bytes, which are never changed afterwards, so the caller may keep
// them after unlocking but must not modify them; an integer is formatted
// into a new slice.
//
// REQUIRES: r is a string.
func (s *Shard) BytesLocked(r Ref) []byte {
	e := s.mu.t.slot(r)
	if e.isInt() {
		return strconv.AppendInt(nil, e.intVal(), 10)
	}
	return e.raw()
}

// AppendValueLocked appends the value of a string entry to dst, formatting
// integers without allocating.
//
// REQUIRES: r is a string.
func (s *Shard) AppendValueLocked(dst []byte, r Ref) []byte {
	e := s.mu.t.slot(r)
	if e.isInt() {
		return strconv.AppendInt(dst, e.intVal(), 10)
	}
	return append(dst, e.raw()...)
}

// StrlenLocked is the length of a string entry's value.
//
// REQUIRES: r is a string.
func (s *Shard) StrlenLocked(r Ref) int {
	e := s.mu.t.slot(r)
	if e.isInt() {
		var buf [20]byte
		return len(strconv.AppendInt(buf[:0], e.intVal(), 10))
	}
	return int(e.vlen)
}

// ObjectLocked is the aggregate value of r, or nil for a string.
func (s *Shard) ObjectLocked(r Ref) Object {
	e := s.mu.t.slot(r)
	if t := e.typ(); t == TypeString || t == TypeNone {
		return nil
	}
	return s.mu.objs[e.vlen]
}

// insertLocked links a new entry for key with hash h.
//
// REQUIRES: key is absent and len(key) <= MaxKeyLen.
func (s *Shard) insertLocked(key string, h uint64) (Ref, *slot) {
	r := s.mu.t.link(h)
	return r, s.mu.t.slot(r)
}

// releaseValueLocked drops r's value (accounting and side-table entry),
// leaving a slot whose kv still holds the key.
func (s *Shard) releaseValueLocked(e *slot) {
	t := e.typ()
	if t == TypeNone {
		return
	}
	s.mu.stats.Keys[t]--
	s.mu.stats.Memory[t] -= e.kvBytes()
	if t != TypeString {
		i := e.vlen
		s.mu.stats.Memory[t] -= s.mu.objMem[i]
		s.mu.objs[i] = nil
		s.mu.objMem[i], s.mu.objLen[i] = 0, 0
		s.mu.objFree = append(s.mu.objFree, i)
	}
}

func (s *Shard) accountLocked(e *slot) {
	t := e.typ()
	s.mu.stats.Keys[t]++
	s.mu.stats.Memory[t] += e.kvBytes()
}

// allocKV makes one allocation holding key then val, with room for extra
// more value bytes; its capacity is rounded up to Go's size class, and the
// spare room is left for APPEND.
func allocKV(key string, val []byte, extra int) (unsafe.Pointer, uint32) {
	n := len(key) + len(val) + extra
	if n == 0 {
		return nil, 0
	}
	b := slices.Grow([]byte(nil), n)
	b = append(b, key...)
	b = append(b, val...)
	return unsafe.Pointer(unsafe.SliceData(b)), uint32(cap(b) - len(key))
}

// RawValue is a raw string value copied, with its key, into the one
// allocation an entry points to. Making it before locking the shard keeps
// the allocation (and any GC assist it triggers) out of the critical
// section.
type RawValue struct {
	kv   unsafe.Pointer
	vlen uint32
	vcap uint32
}

// NewRawValue copies key and val into a RawValue for SetRawLocked.
func NewRawValue(key string, val []byte) RawValue {
	kv, vcap := allocKV(key, val, 0)
	return RawValue{kv: kv, vlen: uint32(len(val)), vcap: vcap}
}

// SetBytesLocked stores val as a raw string under key, replacing r's value
// if r != 0 (its expiry is kept) or inserting a new entry. val is copied.
// It returns the entry.
//
// REQUIRES: r == FindLocked(key, h) and len(key) <= MaxKeyLen.
func (s *Shard) SetBytesLocked(key string, h uint64, r Ref, val []byte) Ref {
	return s.SetRawLocked(key, h, r, NewRawValue(key, val))
}

// SetRawLocked is SetBytesLocked with the value already copied.
//
// REQUIRES: v came from NewRawValue(key, ...), r == FindLocked(key, h) and
// len(key) <= MaxKeyLen.
func (s *Shard) SetRawLocked(key string, h uint64, r Ref, v RawValue) Ref {
	s.touchLocked(h)
	if r != 0 {
		if e := s.mu.t.slot(r); e.typ() == TypeString {
			// A string replacing a string: the key count stays.
			s.mu.stats.Memory[TypeString] -= e.kvBytes()
			e.kv, e.vlen, e.vcap = v.kv, v.vlen, v.vcap
			e.setHdr(len(key), TypeString, 0)
			s.mu.stats.Memory[TypeString] += e.kvBytes()
			return r
		}
	}
	var e *slot
	if r == 0 {
		r, e = s.insertLocked(key, h)
	} else {
		e = s.mu.t.slot(r)
		s.releaseValueLocked(e)
	}
	e.kv, e.vlen, e.vcap = v.kv, v.vlen, v.vcap
	e.setHdr(len(key), TypeString, 0)
	s.accountLocked(e)
	return r
}

// SetIntLocked stores n as an integer-encoded string under key; see
// SetBytesLocked.
func (s *Shard) SetIntLocked(key string, h uint64, r Ref, n int64) Ref {
	s.touchLocked(h)
	var e *slot
	if r == 0 {
		r, e = s.insertLocked(key, h)
		e.kv, _ = allocKV(key, nil, 0)
	} else {
		e = s.mu.t.slot(r)
		wasInt := e.typ() == TypeString && e.isInt()
		s.releaseValueLocked(e)
		if !wasInt && e.vcap > 0 {
			e.kv, _ = allocKV(key, nil, 0) // give back the old value's bytes
		}
	}
	e.vlen, e.vcap = uint32(uint64(n)), uint32(uint64(n)>>32)
	e.setHdr(len(key), TypeString, hdrInt)
	s.accountLocked(e)
	return r
}

// SetObjectLocked stores an aggregate of type t under key; see
// SetBytesLocked.
func (s *Shard) SetObjectLocked(key string, h uint64, r Ref, t Type, obj Object) Ref {
	s.touchLocked(h)
	var e *slot
	if r == 0 {
		r, e = s.insertLocked(key, h)
		e.kv, _ = allocKV(key, nil, 0)
	} else {
		e = s.mu.t.slot(r)
		wasRaw := e.typ() == TypeString && !e.isInt()
		s.releaseValueLocked(e)
		if wasRaw && e.vcap > 0 {
			e.kv, _ = allocKV(key, nil, 0)
		}
	}
	var i uint32
	if n := len(s.mu.objFree); n > 0 {
		i = s.mu.objFree[n-1]
		s.mu.objFree = s.mu.objFree[:n-1]
		s.mu.objs[i] = obj
	} else {
		i = uint32(len(s.mu.objs))
		s.mu.objs = append(s.mu.objs, obj)
		s.mu.objMem = append(s.mu.objMem, 0)
		s.mu.objLen = append(s.mu.objLen, 0)
	}
	e.vlen, e.vcap = i, 0
	e.setHdr(len(key), t, 0)
	s.accountLocked(e)
	s.measureObjectLocked(i, e.typ())
	if s.OnStoreObject != nil {
		s.OnStoreObject(key, t)
	}
	return r
}

// smallObject is the length up to which an aggregate is measured after
// every change.
const smallObject = 256

// UpdateObjectMemoryLocked accounts for a change the caller made to r's
// aggregate. Measuring can cost O(size), so a large aggregate is measured
// again only once its length has drifted by an eighth since the last
// measurement: amortized O(1) per write, and the figure stays within about
// an eighth of the truth (writes that change sizes without changing the
// length, such as LSET, are seen at the next measurement).
//
// REQUIRES: h is Hash of r's key (the caller has it: hashing again would
// cost as much as a small write).
func (s *Shard) UpdateObjectMemoryLocked(r Ref, h uint64) {
	e := s.mu.t.slot(r)
	s.touchLocked(h)
	i := e.vlen
	n, last := s.mu.objs[i].Len(), s.mu.objLen[i]
	if n > smallObject && last > 0 && n > last-last/8 && n < last+last/8 {
		return
	}
	s.measureObjectLocked(i, e.typ())
}

func (s *Shard) measureObjectLocked(i uint32, t Type) {
	o := s.mu.objs[i]
	m := int64(o.MemoryUsage())
	s.mu.stats.Memory[t] += m - s.mu.objMem[i]
	s.mu.objMem[i], s.mu.objLen[i] = m, o.Len()
}

// AppendLocked appends data to a string entry and returns the new length.
// Bytes already published are not touched: the append goes into spare
// capacity past the old end, or into a new allocation that grows
// geometrically, so repeated APPENDs are amortized O(1).
//
// REQUIRES: r is a string.
func (s *Shard) AppendLocked(r Ref, data []byte) int {
	e := s.mu.t.slot(r)
	s.touchEntryLocked(e)
	if e.isInt() {
		old := strconv.AppendInt(nil, e.intVal(), 10)
		key := e.key()
		s.releaseValueLocked(e)
		e.kv, e.vcap = allocKV(key, old, len(data))
		e.vlen = uint32(len(old))
		e.setHdr(len(key), TypeString, 0)
		s.accountLocked(e)
	}
	if len(data) == 0 {
		return int(e.vlen)
	}
	n := int(e.vlen) + len(data)
	if n > int(e.vcap) {
		key := e.key()
		old := e.raw()
		s.mu.stats.Memory[TypeString] -= e.kvBytes()
		grow := n // double below 1 MiB, then grow by 1 MiB, as Redis's sds does
		if grow > 1<<20 {
			grow = 1 << 20
		}
		e.kv, e.vcap = allocKV(key, old, len(data)+grow)
		s.mu.stats.Memory[TypeString] += e.kvBytes()
	}
	dst := unsafe.Slice((*byte)(unsafe.Add(e.kv, e.klen())), e.vcap)
	copy(dst[e.vlen:], data)
	e.vlen = uint32(n)
	return n
}

// DeleteLocked deletes entry r of key hash h.
func (s *Shard) DeleteLocked(r Ref, h uint64) {
	e := s.mu.t.slot(r)
	s.touchLocked(h)
	s.releaseValueLocked(e)
	if e.exp != 0 {
		s.mu.stats.Expires--
	}
	s.mu.t.unlink(r, h)
}

func (s *Shard) expireLocked(r Ref, h uint64) {
	if s.OnDelete != nil {
		s.OnDelete(s.mu.t.slot(r).key(), DeletedExpired)
	}
	s.mu.stats.Expired++
	s.DeleteLocked(r, h)
}

// FlushLocked deletes every key.
func (s *Shard) FlushLocked() {
	s.mu.t.init()
	s.mu.objs, s.mu.objMem, s.mu.objLen, s.mu.objFree = nil, nil, nil, nil
	s.mu.ttl, s.mu.ttlCursor = nil, 0
	s.mu.stats.Keys = [NumTypes]int64{}
	s.mu.stats.Memory = [NumTypes]int64{}
	s.mu.stats.Expires = 0
	for i := range s.mu.vers {
		s.mu.vers[i]++
	}
}

// StatsLocked returns a copy of the shard's counters.
func (s *Shard) StatsLocked() Stats {
	st := s.mu.stats
	st.Table = s.mu.t.bytes() + int64(cap(s.mu.objs))*16 + int64(cap(s.mu.objMem))*8 + int64(cap(s.mu.objLen))*8 +
		int64(cap(s.mu.objFree))*4 + int64(cap(s.mu.ttl))*4
	return st
}

// RandomLocked returns a random live (unexpired) entry, or 0 if there is
// none. Expired entries it meets are deleted.
func (s *Shard) RandomLocked() Ref {
	t := &s.mu.t
	now := s.clock()
	for tries := 0; t.count > 0 && tries < 64; tries++ {
		r := Ref(1 + rand.Uint32N(uint32(t.used-1)))
		e := t.slot(r)
		if e.typ() == TypeNone {
			continue
		}
		if e.exp != 0 && now > e.exp {
			s.expireLocked(r, Hash(e.key()))
			continue
		}
		return r
	}
	// Sparse slot pages: walk the buckets from a random start instead.
	n := len(t.buckets)
	start := rand.IntN(n)
	for i := 0; i < n; i++ {
		for r := t.buckets[(start+i)&(n-1)]; r != 0; r = t.slot(r).next {
			if e := t.slot(r); e.exp == 0 || now <= e.exp {
				return r
			}
		}
	}
	return 0
}

// SetRangeLocked overwrites a string entry's bytes from off with data,
// padding with zero bytes past the end, and returns the new length. The
// value is copied to a new allocation: bytes already handed to readers stay
// as they were.
//
// REQUIRES: r is a string.
func (s *Shard) SetRangeLocked(r Ref, off int, data []byte) int {
	e := s.mu.t.slot(r)
	s.touchEntryLocked(e)
	var old []byte
	if e.isInt() {
		old = strconv.AppendInt(nil, e.intVal(), 10)
	} else {
		old = e.raw()
	}
	n := max(len(old), off+len(data))
	key := e.key()
	s.releaseValueLocked(e)
	e.kv, e.vcap = allocKV(key, old, n-len(old))
	dst := unsafe.Slice((*byte)(unsafe.Add(e.kv, len(key))), n)
	clear(dst[len(old):])
	copy(dst[off:], data)
	e.vlen = uint32(n)
	e.setHdr(len(key), TypeString, 0)
	s.accountLocked(e)
	return n
}

// Value is an entry's value detached from its slot, for moving a key to
// another shard (RENAME) or copying it (COPY).
type Value struct {
	Type  Type
	IsInt bool
	Int   int64  // the integer, if IsInt
	Bytes []byte // a raw string's bytes (read-only, see BytesLocked)
	Obj   Object // an aggregate
}

// ValueLocked returns r's value.
func (s *Shard) ValueLocked(r Ref) Value {
	e := s.mu.t.slot(r)
	v := Value{Type: e.typ()}
	switch {
	case v.Type != TypeString:
		v.Obj = s.mu.objs[e.vlen]
	case e.isInt():
		v.IsInt, v.Int = true, e.intVal()
	default:
		v.Bytes = e.raw()
	}
	return v
}

// StoreLocked stores v under key; see SetBytesLocked. An aggregate is
// stored as it is, not copied.
func (s *Shard) StoreLocked(key string, h uint64, r Ref, v Value) Ref {
	switch {
	case v.Type != TypeString:
		return s.SetObjectLocked(key, h, r, v.Type, v.Obj)
	case v.IsInt:
		return s.SetIntLocked(key, h, r, v.Int)
	default:
		return s.SetBytesLocked(key, h, r, v.Bytes)
	}
}
