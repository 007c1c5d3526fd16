package engine

import (
	"errors"
	"math"

	"github.com/jackdawdb/jackdaw/shard"
	"github.com/jackdawdb/jackdaw/structures"
)

// The list type: Redis's lists, kept as structures.List values. Each typed
// method locks its key's shard (or the shards of its keys) and calls a
// ...Locked core that the command handlers in cmd_list.go share.
//
// Elements read from a list (LINDEX, LRANGE) are copied out of it: a list's
// storage is reused as it changes, and values returned by the engine never
// change. Popped elements are the caller's already.

// End is an end of a list.
type End uint8

// The two ends of a list.
const (
	Left  End = iota // the head: LPUSH, LPOP, index 0
	Right            // the tail: RPUSH, RPOP, index -1
)

// String returns the end's name as Redis's arguments spell it.
func (e End) String() string {
	if e == Left {
		return "LEFT"
	}
	return "RIGHT"
}

// Errors of the list commands, with Redis's texts.
var (
	// ErrIndexOutOfRange is LSET's error for an index past either end.
	ErrIndexOutOfRange = errors.New("ERR index out of range")
	// ErrRankZero is LPOS's error for RANK 0.
	ErrRankZero = errors.New("ERR RANK can't be zero: use 1 to start from the first match, " +
		"2 from the second ... or use negative to start from the end of the list")

	errListPosCountNegative = errors.New("ERR COUNT can't be negative")
	errListPosMaxLenNeg     = errors.New("ERR MAXLEN can't be negative")
	errMPopCount            = errors.New("ERR count should be greater than 0")
)

// LPosArgs are LPOS's options.
type LPosArgs struct {
	// Rank picks the first match to return: 1 (or 0, the default) is the
	// first match from the head, 2 the second, ...; -1 is the first match
	// from the tail, -2 the second, ..., and then the scan runs towards the
	// head.
	Rank int
	// Count is the number of matches to return; 0 returns them all.
	// Negative is an error.
	Count int
	// MaxLen limits the scan to this many elements; 0 means no limit.
	// Negative is an error.
	MaxLen int
}

func newListObject() *structures.List { return structures.NewList() }

// findListLocked is findObjectLocked for a list (a write's lookup: no
// hit/miss statistics). REQUIRES: k.sh is locked.
func findListLocked(k dbKey) (shard.Ref, *structures.List, error) {
	return findObjectLocked[*structures.List](k, TypeList)
}

// readListLocked is findListLocked for a read: it counts a hit or miss.
// REQUIRES: k.sh is locked.
func readListLocked(k dbKey) (shard.Ref, *structures.List, error) {
	return readObjectLocked[*structures.List](k, TypeList)
}

// LPush inserts values at the head of the list at key, one after the other
// (so the last value ends up first), creating the list if needed, and
// returns its new length.
func (db *DB) LPush(key string, values ...[]byte) (int, error) {
	return db.push(key, Left, false, values)
}

// RPush appends values at the tail of the list at key, creating the list if
// needed, and returns its new length.
func (db *DB) RPush(key string, values ...[]byte) (int, error) {
	return db.push(key, Right, false, values)
}

// LPushX is LPush only if the list exists; otherwise it returns 0.
func (db *DB) LPushX(key string, values ...[]byte) (int, error) {
	return db.push(key, Left, true, values)
}

// RPushX is RPush only if the list exists; otherwise it returns 0.
func (db *DB) RPushX(key string, values ...[]byte) (int, error) {
	return db.push(key, Right, true, values)
}

func (db *DB) push(key string, end End, onlyIfExists bool, values [][]byte) (int, error) {
	if err := checkKey(key); err != nil {
		return 0, err
	}
	k := db.key(key)
	db.lockKey(k)
	defer db.unlockKey(k)
	return db.pushLocked(k, end, onlyIfExists, values)
}

// pushLocked is LPUSH/RPUSH, or LPUSHX/RPUSHX if onlyIfExists. The values
// are copied. With no values it only reports the length.
//
// REQUIRES: k.sh is locked, len(k.name) <= shard.MaxKeyLen.
func (db *DB) pushLocked(k dbKey, end End, onlyIfExists bool, values [][]byte) (int, error) {
	r, l, err := findListLocked(k)
	if err != nil {
		return 0, err
	}
	if r == 0 && (onlyIfExists || len(values) == 0) {
		return 0, nil
	}
	if len(values) == 0 {
		return l.Len(), nil
	}
	if r == 0 {
		if r, l, err = writeNotifyLocked(db, k, TypeList, newListObject); err != nil {
			return 0, err
		}
	}
	var n int
	if end == Left {
		n = l.PushLeft(values...)
	} else {
		n = l.PushRight(values...)
	}
	db.commitNotifyLocked(k, r, l, notifyList, pushEvent(end))
	return n, nil
}

// LPop removes and returns up to count elements from the head of the list
// at key, in the order popped. It returns nil if the key does not exist
// and an empty slice if count is 0; a negative count is an error. A list
// left empty is deleted.
func (db *DB) LPop(key string, count int) ([][]byte, error) {
	return db.pop(key, Left, count)
}

// RPop is LPop at the tail: the last element comes first.
func (db *DB) RPop(key string, count int) ([][]byte, error) {
	return db.pop(key, Right, count)
}

func (db *DB) pop(key string, end End, count int) ([][]byte, error) {
	if count < 0 {
		return nil, ErrNotPositive
	}
	k := db.key(key)
	db.lockKey(k)
	defer db.unlockKey(k)
	vs, _, err := db.popLocked(k, end, count)
	return vs, err
}

// popLocked is LPOP/RPOP with a count >= 0. exists reports whether k held a
// list. The returned elements are the caller's.
//
// REQUIRES: k.sh is locked.
func (db *DB) popLocked(k dbKey, end End, count int) (vs [][]byte, exists bool, err error) {
	r, l, err := findListLocked(k)
	if r == 0 || err != nil {
		return nil, false, err
	}
	if count == 0 {
		return [][]byte{}, true, nil
	}
	return db.popListLocked(k, r, l, end, count), true, nil
}

// popListLocked pops up to count (> 0) elements from l, k's list at r, and
// deletes k if that empties it.
//
// REQUIRES: k.sh is locked.
func (db *DB) popListLocked(k dbKey, r shard.Ref, l *structures.List, end End, count int) [][]byte {
	var vs [][]byte
	if end == Left {
		vs = l.PopLeft(count)
	} else {
		vs = l.PopRight(count)
	}
	db.commitNotifyLocked(k, r, l, notifyList, popEvent(end))
	return vs
}

// pushEvent and popEvent are the notification events of a push and a pop
// at end.
func pushEvent(end End) string {
	if end == Left {
		return "lpush"
	}
	return "rpush"
}

func popEvent(end End) string {
	if end == Left {
		return "lpop"
	}
	return "rpop"
}

// LLen is the length of the list at key (0 if it does not exist).
func (db *DB) LLen(key string) (int, error) {
	k := db.key(key)
	db.lockKey(k)
	defer db.unlockKey(k)
	return db.llenLocked(k)
}

// llenLocked is LLEN. REQUIRES: k.sh is locked.
func (db *DB) llenLocked(k dbKey) (int, error) {
	r, l, err := readListLocked(k)
	if r == 0 || err != nil {
		return 0, err
	}
	return l.Len(), nil
}

// LIndex returns the element at index of the list at key; negative indexes
// count from the tail (-1 is the last element). ok is false if the key does
// not exist or the index is out of range.
func (db *DB) LIndex(key string, index int) (value []byte, ok bool, err error) {
	k := db.key(key)
	db.lockKey(k)
	defer db.unlockKey(k)
	return db.lindexLocked(k, index)
}

// lindexLocked is LINDEX; the value is a copy. REQUIRES: k.sh is locked.
func (db *DB) lindexLocked(k dbKey, index int) ([]byte, bool, error) {
	r, l, err := readListLocked(k)
	if r == 0 || err != nil {
		return nil, false, err
	}
	v, ok := l.Index(index)
	if !ok {
		return nil, false, nil
	}
	return append(make([]byte, 0, len(v)), v...), true, nil
}

// LSet replaces the element at index (negative counts from the tail) of the
// list at key. It fails with ErrNoSuchKey if the key does not exist and
// ErrIndexOutOfRange if the index is past either end.
func (db *DB) LSet(key string, index int, value []byte) error {
	k := db.key(key)
	db.lockKey(k)
	defer db.unlockKey(k)
	return db.lsetLocked(k, index, value)
}

// lsetLocked is LSET. REQUIRES: k.sh is locked.
func (db *DB) lsetLocked(k dbKey, index int, value []byte) error {
	r, l, err := findListLocked(k)
	switch {
	case err != nil:
		return err
	case r == 0:
		return ErrNoSuchKey
	case !l.Set(index, value):
		return ErrIndexOutOfRange
	}
	commitObjectLocked(k, r, l)
	db.notify(notifyList, "lset", k.name)
	return nil
}

// LRange returns the elements from start to stop inclusive of the list at
// key. Negative indexes count from the tail; indexes past either end are
// clamped, so an empty range or a missing key gives an empty slice.
func (db *DB) LRange(key string, start, stop int) ([][]byte, error) {
	k := db.key(key)
	db.lockKey(k)
	defer db.unlockKey(k)
	return db.lrangeLocked(k, start, stop)
}

// lrangeLocked is LRANGE; the elements are copies. REQUIRES: k.sh is
// locked.
func (db *DB) lrangeLocked(k dbKey, start, stop int) ([][]byte, error) {
	r, l, err := readListLocked(k)
	if r == 0 || err != nil {
		return [][]byte{}, err
	}
	return l.Range(start, stop), nil
}

// LInsert inserts value before (or, if before is false, after) the first
// element equal to pivot in the list at key, and returns the new length:
// -1 if pivot is not in the list, 0 if the key does not exist.
func (db *DB) LInsert(key string, before bool, pivot, value []byte) (int, error) {
	k := db.key(key)
	db.lockKey(k)
	defer db.unlockKey(k)
	return db.linsertLocked(k, before, pivot, value)
}

// linsertLocked is LINSERT. REQUIRES: k.sh is locked.
func (db *DB) linsertLocked(k dbKey, before bool, pivot, value []byte) (int, error) {
	r, l, err := findListLocked(k)
	if r == 0 || err != nil {
		return 0, err
	}
	n := l.Insert(before, pivot, value)
	if n > 0 {
		commitObjectLocked(k, r, l)
		db.notify(notifyList, "linsert", k.name)
	}
	return n, nil
}

// LRem removes elements equal to value from the list at key: the first
// count of them if count > 0, the last -count if count < 0, all of them if
// count is 0. It returns the number removed; a list left empty is deleted.
func (db *DB) LRem(key string, count int, value []byte) (int, error) {
	k := db.key(key)
	db.lockKey(k)
	defer db.unlockKey(k)
	return db.lremLocked(k, count, value)
}

// lremLocked is LREM. REQUIRES: k.sh is locked.
func (db *DB) lremLocked(k dbKey, count int, value []byte) (int, error) {
	r, l, err := findListLocked(k)
	if r == 0 || err != nil {
		return 0, err
	}
	if count == math.MinInt {
		count = -math.MaxInt // -count must not overflow
	}
	n := l.Remove(count, value)
	if n > 0 {
		db.commitNotifyLocked(k, r, l, notifyList, "lrem")
	}
	return n, nil
}

// LTrim keeps only the elements from start to stop inclusive of the list at
// key, with LRange's index rules; a list left empty is deleted.
func (db *DB) LTrim(key string, start, stop int) error {
	k := db.key(key)
	db.lockKey(k)
	defer db.unlockKey(k)
	return db.ltrimLocked(k, start, stop)
}

// ltrimLocked is LTRIM. REQUIRES: k.sh is locked.
func (db *DB) ltrimLocked(k dbKey, start, stop int) error {
	r, l, err := findListLocked(k)
	if r == 0 || err != nil {
		return err
	}
	n := l.Len()
	l.Trim(start, stop)
	// Redis fires "ltrim" even when nothing was trimmed.
	db.notify(notifyList, "ltrim", k.name)
	if l.Len() != n {
		if l.Len() == 0 {
			db.notify(notifyGeneric, "del", k.name)
		}
		commitObjectLocked(k, r, l)
	}
	return nil
}

// LPos returns the indexes (counted from the head) of the elements equal to
// value in the list at key, as LPOS ... COUNT does; see LPosArgs. A missing
// key gives no indexes. With a negative Rank the indexes come in the order
// found, from the tail towards the head.
func (db *DB) LPos(key string, value []byte, a LPosArgs) ([]int, error) {
	switch {
	case a.Count < 0:
		return nil, errListPosCountNegative
	case a.MaxLen < 0:
		return nil, errListPosMaxLenNeg
	}
	if a.Rank == 0 {
		a.Rank = 1
	}
	k := db.key(key)
	db.lockKey(k)
	defer db.unlockKey(k)
	pos, _, err := db.lposLocked(k, value, a)
	return pos, err
}

// lposLocked is LPOS with validated options (Rank != 0, Count >= 0,
// MaxLen >= 0). exists reports whether k held a list.
//
// REQUIRES: k.sh is locked.
func (db *DB) lposLocked(k dbKey, value []byte, a LPosArgs) (pos []int, exists bool, err error) {
	r, l, err := readListLocked(k)
	if r == 0 || err != nil {
		return nil, false, err
	}
	if a.Rank == math.MinInt {
		a.Rank = -math.MaxInt // -Rank must not overflow
	}
	return l.Pos(value, a.Rank, a.Count, a.MaxLen), true, nil
}

// LMove pops an element from one end (from) of the list at src and pushes
// it at one end (to) of the list at dst, creating dst if needed, atomically;
// src and dst may be the same list (a rotation). It returns the element
// moved, and ok false if src does not exist. If src or dst holds another
// type it fails with ErrWrongType and changes nothing.
func (db *DB) LMove(src, dst string, from, to End) (value []byte, ok bool, err error) {
	if err := checkKey(dst); err != nil {
		return nil, false, err
	}
	ls := db.lockKeys(src, dst)
	defer ls.unlock()
	return db.lmoveLocked(db.key(src), db.key(dst), from, to)
}

// RPopLPush is LMove(src, dst, Right, Left).
func (db *DB) RPopLPush(src, dst string) ([]byte, bool, error) {
	return db.LMove(src, dst, Right, Left)
}

// lmoveLocked is LMOVE (and RPOPLPUSH). Redis's order: src must exist and
// be a list, then dst must be missing or a list, and only then is anything
// changed. The returned value is the caller's.
//
// REQUIRES: both shards are locked, len(d.name) <= shard.MaxKeyLen.
func (db *DB) lmoveLocked(s, d dbKey, from, to End) ([]byte, bool, error) {
	sr, sl, err := findListLocked(s)
	if sr == 0 || err != nil || sl.Len() == 0 {
		return nil, false, err
	}
	same := s.name == d.name
	if !same {
		if _, _, err := findListLocked(d); err != nil {
			return nil, false, err
		}
	}
	var v []byte
	if from == Left {
		v = sl.PopLeft(1)[0]
	} else {
		v = sl.PopRight(1)[0]
	}
	dr, dl := sr, sl
	if !same {
		if dr, dl, err = writeNotifyLocked(db, d, TypeList, newListObject); err != nil {
			return nil, false, err // cannot happen: d was checked above
		}
	}
	if to == Left {
		dl.PushLeft(v)
	} else {
		dl.PushRight(v)
	}
	commitObjectLocked(d, dr, dl)
	// Redis's order: the push on dst, then the pop on src (and its "del").
	db.notify(notifyList, pushEvent(to), d.name)
	if !same {
		db.commitNotifyLocked(s, sr, sl, notifyList, popEvent(from)) // deletes s if it is now empty
	} else {
		db.notify(notifyList, popEvent(from), s.name)
	}
	return v, true, nil
}

// LMPop pops up to count elements from one end of the first non-empty list
// among keys, atomically, and returns that key and the elements in the
// order popped; values is nil (and key "") if every key is missing. count
// must be at least 1 and keys not empty. A key holding another type fails
// the call with ErrWrongType when it is reached.
func (db *DB) LMPop(from End, count int, keys ...string) (key string, values [][]byte, err error) {
	if len(keys) == 0 {
		return "", nil, ErrNumKeys
	}
	if count < 1 {
		return "", nil, errMPopCount
	}
	ls := db.lockKeys(keys...)
	defer ls.unlock()
	return db.lmpopLocked(keys, from, count)
}

// lmpopLocked is LMPOP with validated arguments. REQUIRES: the keys'
// shards are locked.
func (db *DB) lmpopLocked(keys []string, from End, count int) (string, [][]byte, error) {
	for _, name := range keys {
		k := db.key(name)
		r, l, err := findListLocked(k)
		if err != nil {
			return "", nil, err
		}
		if r == 0 || l.Len() == 0 {
			continue
		}
		return name, db.popListLocked(k, r, l, from, count), nil
	}
	return "", nil, nil
}
