package engine

import (
	"errors"
	"github.com/jackdawdb/jackdaw/shard"
	"github.com/jackdawdb/jackdaw/structures"
	"strconv"
)

// Plumbing shared by the aggregate types (hashes, lists, sets, sorted
// sets): finding a key of the right type, creating it on first write, and
// Redis's rule that an aggregate that becomes empty no longer exists.

// maxRandomCount bounds the elements SRANDMEMBER, HRANDFIELD and
// ZRANDMEMBER return for a negative count (elements may repeat, so the
// collection's size does not bound it). Redis would try to send that many
// (and run out of memory); jackdaw builds a reply in memory first, so it
// refuses with errRandomCountTooLarge.
const maxRandomCount = 1 << 22

var errRandomCountTooLarge = errors.New("ERR value is out of range, a negative count must be at least -" +
	strconv.Itoa(maxRandomCount))

// aggregate is what every collection value offers the engine.
type aggregate interface {
	shard.Object
	Len() int
}

// findObjectLocked returns k's entry and value if k holds type t, a zero
// Ref if k does not exist, and ErrWrongType if it holds another type.
//
// REQUIRES: k.sh is locked.
func findObjectLocked[T aggregate](k dbKey, t Type) (shard.Ref, T, error) {
	var zero T
	r := k.find()
	if r == 0 {
		return 0, zero, nil
	}
	if k.sh.TypeLocked(r) != t {
		return r, zero, ErrWrongType
	}
	return r, k.sh.ObjectLocked(r).(T), nil
}

// readObjectLocked is findObjectLocked for a read: it counts a hit or miss.
//
// REQUIRES: k.sh is locked.
func readObjectLocked[T aggregate](k dbKey, t Type) (shard.Ref, T, error) {
	r, obj, err := findObjectLocked[T](k, t)
	k.sh.RecordReadLocked(r != 0)
	return r, obj, err
}

// writeObjectLocked returns k's value of type t for a write, creating it
// with create if k does not exist. The caller must call commitObjectLocked
// after changing it.
//
// REQUIRES: k.sh is locked, len(k.name) <= shard.MaxKeyLen.
func writeObjectLocked[T aggregate](k dbKey, t Type, create func() T) (shard.Ref, T, error) {
	r, obj, err := findObjectLocked[T](k, t)
	if err != nil || r != 0 {
		return r, obj, err
	}
	obj = create()
	return k.sh.SetObjectLocked(k.name, k.h, 0, t, obj), obj, nil
}

// commitObjectLocked finishes a write to r's aggregate: an empty aggregate
// is deleted, as in Redis; otherwise its memory is accounted again.
//
// REQUIRES: k.sh is locked, r is k's entry.
func commitObjectLocked(k dbKey, r shard.Ref, obj aggregate) {
	if obj.Len() == 0 {
		k.sh.DeleteLocked(r, k.h)
		return
	}
	k.sh.UpdateObjectMemoryLocked(r, k.h)
}

// storeObjectLocked replaces k's value (of any type) with obj, or deletes k
// if obj is empty, as the ...STORE commands do; the TTL is dropped. It
// returns obj's length.
//
// REQUIRES: k.sh is locked, len(k.name) <= shard.MaxKeyLen.
func storeObjectLocked(k dbKey, t Type, obj aggregate) int {
	r := k.find()
	if obj.Len() == 0 {
		if r != 0 {
			k.sh.DeleteLocked(r, k.h)
		}
		return 0
	}
	r = k.sh.SetObjectLocked(k.name, k.h, r, t, obj)
	k.sh.SetExpireAtLocked(r, 0)
	return obj.Len()
}

// cloneObject deep-copies an aggregate, for COPY.
func cloneObject(o shard.Object) shard.Object {
	switch v := o.(type) {
	case *structures.ZSet:
		return v.Clone()
	case interface{ Clone() shard.Object }:
		return v.Clone()
	case *structures.List:
		return v.Clone()
	case *structures.Set:
		return v.Clone()
	case *structures.Hash:
		return v.Clone()
	}
	panic("engine: cloneObject: an aggregate type without a clone") // a new type must be added above
}

// copyElems replaces the elements of vs, which alias a collection's
// storage, by copies in one new allocation, so that they never change (and
// can go into replies), and returns vs. vs must be the caller's own slice.
// Empty elements stay non-nil: nil means "absent" in replies.
func copyElems(vs [][]byte) [][]byte {
	total := 0
	for _, v := range vs {
		total += len(v)
	}
	buf := make([]byte, total)
	off := 0
	for i, v := range vs {
		n := copy(buf[off:], v)
		vs[i] = buf[off : off+n : off+n]
		off += n
	}
	return vs
}
