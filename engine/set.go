package engine

import (
	"errors"
	"slices"

	"github.com/jackdawdb/jackdaw/engine/internal/glob"
	"github.com/jackdawdb/jackdaw/structures"
)

// Sets: the typed API and the ...Locked cores that the command handlers in
// cmd_set.go share. Members are binary-safe byte strings. Members passed in
// are copied; members returned are the caller's own copies (or, for the
// computed results of SInter/SUnion/SDiff, slices of a private result that
// nothing changes), so they may be kept.

// Errors of the set commands, with Redis's texts.
var (
	// errSetRandCountRange is SRANDMEMBER's reply to a count of -2^63.
	errSetRandCountRange = errors.New("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807")
	errSetNumKeysArgs    = errors.New("ERR Number of keys can't be greater than number of args")
	errSetLimitNegative  = errors.New("ERR LIMIT can't be negative")
)

// setArityError is Redis's wrong-arity error, for a typed call given no
// keys where the command needs at least one.
func setArityError(name string) error {
	return errors.New("ERR wrong number of arguments for '" + name + "' command")
}

func newSet() *structures.Set { return structures.NewSet() }

// SAdd adds members to the set at key, creating it, and returns how many
// were not members before (SADD). A key holding another type gives
// ErrWrongType.
func (db *DB) SAdd(key string, members ...[]byte) (int, error) {
	if err := checkKey(key); err != nil {
		return 0, err
	}
	k := db.key(key)
	db.lockKey(k)
	defer db.unlockKey(k)
	return db.saddLocked(k, members)
}

// saddLocked is SADD. REQUIRES: k.sh is locked, the key is valid.
func (db *DB) saddLocked(k dbKey, members [][]byte) (int, error) {
	r, s, err := writeNotifyLocked(db, k, TypeSet, newSet)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, m := range members {
		if s.Add(m) {
			n++
		}
	}
	commitObjectLocked(k, r, s)
	if n > 0 {
		db.notify(notifySet, "sadd", k.name)
	}
	return n, nil
}

// SRem removes members from the set at key and returns how many were
// members (SREM). Removing the last member deletes the key.
func (db *DB) SRem(key string, members ...[]byte) (int, error) {
	k := db.key(key)
	db.lockKey(k)
	defer db.unlockKey(k)
	return db.sremLocked(k, members)
}

// sremLocked is SREM. REQUIRES: k.sh is locked.
func (db *DB) sremLocked(k dbKey, members [][]byte) (int, error) {
	r, s, err := findObjectLocked[*structures.Set](k, TypeSet)
	if r == 0 || err != nil {
		return 0, err
	}
	n := 0
	for _, m := range members {
		if s.Remove(m) {
			n++
		}
	}
	if n > 0 {
		db.commitNotifyLocked(k, r, s, notifySet, "srem")
	}
	return n, nil
}

// SCard returns the number of members of the set at key (0 if it does not
// exist).
func (db *DB) SCard(key string) (int, error) {
	k := db.key(key)
	db.lockKey(k)
	defer db.unlockKey(k)
	return db.scardLocked(k)
}

// scardLocked is SCARD. REQUIRES: k.sh is locked.
func (db *DB) scardLocked(k dbKey) (int, error) {
	_, s, err := readObjectLocked[*structures.Set](k, TypeSet)
	if s == nil || err != nil {
		return 0, err
	}
	return s.Len(), nil
}

// SIsMember reports whether member belongs to the set at key.
func (db *DB) SIsMember(key string, member []byte) (bool, error) {
	k := db.key(key)
	db.lockKey(k)
	defer db.unlockKey(k)
	_, s, err := readObjectLocked[*structures.Set](k, TypeSet)
	return s != nil && s.Contains(member), err
}

// SMIsMember reports, for each of members, whether it belongs to the set at
// key (SMISMEMBER).
func (db *DB) SMIsMember(key string, members ...[]byte) ([]bool, error) {
	k := db.key(key)
	db.lockKey(k)
	defer db.unlockKey(k)
	return db.smismemberLocked(k, members)
}

// smismemberLocked is SISMEMBER and SMISMEMBER. REQUIRES: k.sh is locked.
func (db *DB) smismemberLocked(k dbKey, members [][]byte) ([]bool, error) {
	_, s, err := readObjectLocked[*structures.Set](k, TypeSet)
	if err != nil {
		return nil, err
	}
	out := make([]bool, len(members))
	if s != nil {
		for i, m := range members {
			out[i] = s.Contains(m)
		}
	}
	return out, nil
}

// SMembers returns the members of the set at key, in no particular order
// (an empty slice if it does not exist).
func (db *DB) SMembers(key string) ([][]byte, error) {
	k := db.key(key)
	db.lockKey(k)
	defer db.unlockKey(k)
	return db.smembersLocked(k)
}

// smembersLocked is SMEMBERS. REQUIRES: k.sh is locked.
func (db *DB) smembersLocked(k dbKey) ([][]byte, error) {
	_, s, err := readObjectLocked[*structures.Set](k, TypeSet)
	if s == nil || err != nil {
		return [][]byte{}, err
	}
	return copyElems(s.Members()), nil
}

// SPop removes and returns min(count, size) random members of the set at
// key (SPOP key count); popping the last member deletes the key. A negative
// count is refused. For SPOP without a count, use count 1.
func (db *DB) SPop(key string, count int) ([][]byte, error) {
	if count < 0 {
		return nil, ErrNotPositive
	}
	k := db.key(key)
	db.lockKey(k)
	defer db.unlockKey(k)
	return db.spopLocked(k, count)
}

// spopLocked is SPOP. REQUIRES: k.sh is locked, count >= 0.
func (db *DB) spopLocked(k dbKey, count int) ([][]byte, error) {
	r, s, err := findObjectLocked[*structures.Set](k, TypeSet)
	if r == 0 || err != nil || count == 0 {
		return [][]byte{}, err
	}
	out := s.Pop(count) // the caller owns these
	db.commitNotifyLocked(k, r, s, notifySet, "spop")
	return out, nil
}

// SRandMember returns random members of the set at key without removing
// them, with SRANDMEMBER's count rules: a positive count gives
// min(count, size) distinct members, a negative count gives exactly -count
// members that may repeat, 0 gives none. A negative count below
// -maxRandomCount is refused.
func (db *DB) SRandMember(key string, count int) ([][]byte, error) {
	if count < -maxRandomCount {
		return nil, errRandomCountTooLarge
	}
	k := db.key(key)
	db.lockKey(k)
	defer db.unlockKey(k)
	return db.srandmemberLocked(k, count)
}

// srandmemberLocked is SRANDMEMBER. REQUIRES: k.sh is locked,
// count >= -maxRandomCount.
func (db *DB) srandmemberLocked(k dbKey, count int) ([][]byte, error) {
	_, s, err := readObjectLocked[*structures.Set](k, TypeSet)
	if s == nil || err != nil {
		return [][]byte{}, err
	}
	return copyElems(s.RandomMembers(count)), nil
}

// SMove moves member from the set at src to the set at dst (creating it)
// and reports whether member was in src. It is atomic across shards. Either
// key holding another type gives ErrWrongType, unless src does not exist.
func (db *DB) SMove(src, dst string, member []byte) (bool, error) {
	if err := checkKey(dst); err != nil {
		return false, err
	}
	ls := db.lockKeys(src, dst)
	defer ls.unlock()
	return db.smoveLocked(db.key(src), db.key(dst), member)
}

// smoveLocked is SMOVE, in Redis's order of checks. REQUIRES: both keys'
// shards are locked, dst is a valid key.
func (db *DB) smoveLocked(s, d dbKey, member []byte) (bool, error) {
	sr, src, err := findObjectLocked[*structures.Set](s, TypeSet)
	if sr == 0 {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	dr, dstSet, err := findObjectLocked[*structures.Set](d, TypeSet)
	if err != nil {
		return false, err
	}
	if s.name == d.name {
		return src.Contains(member), nil
	}
	if !src.Remove(member) {
		return false, nil
	}
	db.commitNotifyLocked(s, sr, src, notifySet, "srem")
	if dr == 0 {
		dr, dstSet, _ = writeNotifyLocked(db, d, TypeSet, newSet)
	}
	added := dstSet.Add(member)
	commitObjectLocked(d, dr, dstSet)
	if added {
		db.notify(notifySet, "sadd", d.name)
	}
	return true, nil
}

// setAlgebraOp is one of the set algebra commands.
type setAlgebraOp uint8

const (
	setOpInter setAlgebraOp = iota
	setOpUnion
	setOpDiff
)

// SInter returns the intersection of the sets at keys (a missing key is an
// empty set), read at one instant.
func (db *DB) SInter(keys ...string) ([][]byte, error) {
	return db.setAlgebra(setOpInter, "sinter", keys)
}

// SUnion returns the union of the sets at keys, read at one instant.
func (db *DB) SUnion(keys ...string) ([][]byte, error) {
	return db.setAlgebra(setOpUnion, "sunion", keys)
}

// SDiff returns the members of the first set that are in none of the
// others, read at one instant.
func (db *DB) SDiff(keys ...string) ([][]byte, error) {
	return db.setAlgebra(setOpDiff, "sdiff", keys)
}

func (db *DB) setAlgebra(op setAlgebraOp, name string, keys []string) ([][]byte, error) {
	if len(keys) == 0 {
		return nil, setArityError(name)
	}
	ls := db.lockKeys(keys...)
	defer ls.unlock()
	return db.setAlgebraMembersLocked(op, keys)
}

// SInterStore stores the intersection of the sets at keys in dst, replacing
// whatever dst held (and its TTL), and returns its size; an empty result
// deletes dst. It is atomic across shards.
func (db *DB) SInterStore(dst string, keys ...string) (int, error) {
	return db.setAlgebraStore(setOpInter, "sinterstore", dst, keys)
}

// SUnionStore stores the union of the sets at keys in dst, as SInterStore.
func (db *DB) SUnionStore(dst string, keys ...string) (int, error) {
	return db.setAlgebraStore(setOpUnion, "sunionstore", dst, keys)
}

// SDiffStore stores the difference of the sets at keys in dst, as
// SInterStore.
func (db *DB) SDiffStore(dst string, keys ...string) (int, error) {
	return db.setAlgebraStore(setOpDiff, "sdiffstore", dst, keys)
}

func (db *DB) setAlgebraStore(op setAlgebraOp, name, dst string, keys []string) (int, error) {
	if len(keys) == 0 {
		return 0, setArityError(name)
	}
	if err := checkKey(dst); err != nil {
		return 0, err
	}
	ls := db.lockKeys(append([]string{dst}, keys...)...)
	defer ls.unlock()
	return db.setAlgebraStoreLocked(op, dst, keys)
}

// setAlgebraStoreLocked is SINTERSTORE, SUNIONSTORE and SDIFFSTORE.
// REQUIRES: the shards of dst and keys are locked, dst is a valid key.
func (db *DB) setAlgebraStoreLocked(op setAlgebraOp, dst string, keys []string) (int, error) {
	res, err := db.setAlgebraLocked(op, keys)
	if err != nil {
		return 0, err
	}
	return db.storeNotifyLocked(db.key(dst), TypeSet, res, notifySet, setStoreEvents[op]), nil
}

// setStoreEvents are the notification events of the ...STORE commands.
var setStoreEvents = [...]string{setOpInter: "sinterstore", setOpUnion: "sunionstore", setOpDiff: "sdiffstore"}

// readSetsLocked looks up the sets at keys, nil for a missing key, counting
// hits and misses; it stops at the first key of another type, as Redis
// does. REQUIRES: the keys' shards are locked.
func (db *DB) readSetsLocked(keys []string) ([]*structures.Set, error) {
	sets := make([]*structures.Set, len(keys))
	for i, name := range keys {
		_, s, err := readObjectLocked[*structures.Set](db.key(name), TypeSet)
		if err != nil {
			return nil, err
		}
		sets[i] = s
	}
	return sets, nil
}

// setAlgebraLocked computes op over the sets at keys into a new set, which
// the caller owns. Every key is type-checked, missing ones included.
// REQUIRES: the keys' shards are locked, len(keys) > 0.
func (db *DB) setAlgebraLocked(op setAlgebraOp, keys []string) (*structures.Set, error) {
	res := newSet()
	if op == setOpUnion {
		sets, err := db.readSetsLocked(keys)
		if err != nil {
			return nil, err
		}
		for _, s := range sets {
			if s == nil {
				continue
			}
			for m := range s.All() {
				res.Add(m)
			}
		}
		return res, nil
	}
	ms, err := db.setFilterLocked(op, keys)
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		res.AddNew(m) // members of one set: distinct
	}
	return res, nil
}

// setAlgebraMembersLocked is setAlgebraLocked's result as members the
// caller owns, in the same order. SINTER and SDIFF build no set: their
// members are those of one input that pass a test, copied out at once.
// REQUIRES: the keys' shards are locked, len(keys) > 0.
func (db *DB) setAlgebraMembersLocked(op setAlgebraOp, keys []string) ([][]byte, error) {
	if op == setOpUnion {
		res, err := db.setAlgebraLocked(op, keys)
		if err != nil {
			return nil, err
		}
		return res.Members(), nil // res is private: its members never change
	}
	ms, err := db.setFilterLocked(op, keys)
	if err != nil {
		return nil, err
	}
	return copyElems(ms), nil
}

// setFilterLocked is SINTER and SDIFF: the members of the smallest set (for
// SINTER) or of the first (for SDIFF) that pass op's test, in that set's
// order. They alias the set's storage: the caller copies them before the
// lock is released. REQUIRES: the keys' shards are locked, len(keys) > 0.
func (db *DB) setFilterLocked(op setAlgebraOp, keys []string) ([][]byte, error) {
	sets, err := db.readSetsLocked(keys)
	if err != nil {
		return nil, err
	}
	out := [][]byte{}
	switch op {
	case setOpInter:
		if slices.Contains(sets, nil) {
			return out, nil
		}
		sortSetsBySize(sets)
		out = make([][]byte, 0, min(sets[0].Len(), 1024)) // at most sets[0].Len() members
		for m := range sets[0].All() {
			if inAllSets(m, sets) {
				out = append(out, m)
			}
		}
	case setOpDiff:
		if sets[0] == nil {
			return out, nil
		}
		out = make([][]byte, 0, min(sets[0].Len(), 1024))
	members:
		for m := range sets[0].All() {
			for _, s := range sets[1:] {
				if s != nil && (s == sets[0] || s.Contains(m)) {
					continue members
				}
			}
			out = append(out, m)
		}
	}
	return out, nil
}

// sortSetsBySize orders sets smallest first, so that an intersection
// walks the smallest one.
func sortSetsBySize(sets []*structures.Set) {
	slices.SortFunc(sets, func(a, b *structures.Set) int { return a.Len() - b.Len() })
}

// inAllSets reports whether m, a member of sets[0], is in every other set.
func inAllSets(m []byte, sets []*structures.Set) bool {
	for _, s := range sets[1:] {
		if s != sets[0] && !s.Contains(m) {
			return false
		}
	}
	return true
}

// SInterCard returns the size of the intersection of the sets at keys
// (SINTERCARD), counting no further than limit when limit > 0. A negative
// limit is refused.
func (db *DB) SInterCard(limit int, keys ...string) (int, error) {
	if len(keys) == 0 {
		return 0, ErrNumKeys
	}
	if limit < 0 {
		return 0, errSetLimitNegative
	}
	ls := db.lockKeys(keys...)
	defer ls.unlock()
	return db.sinterCardLocked(keys, limit)
}

// sinterCardLocked is SINTERCARD. REQUIRES: the keys' shards are locked,
// len(keys) > 0, limit >= 0 (0: no limit).
func (db *DB) sinterCardLocked(keys []string, limit int) (int, error) {
	sets, err := db.readSetsLocked(keys)
	if err != nil || slices.Contains(sets, nil) {
		return 0, err
	}
	sortSetsBySize(sets)
	n := 0
	for m := range sets[0].All() {
		if inAllSets(m, sets) {
			n++
			if n == limit {
				break
			}
		}
	}
	return n, nil
}

// SScan returns some members of the set at key matching match (Redis glob
// rules; "" matches all) and the cursor to continue from; a returned cursor
// of 0 ends the iteration. count is a work hint (0: 10; negative:
// ErrSyntax). A member present for the whole iteration is returned at least
// once; members may repeat. A small set is returned whole in one call.
func (db *DB) SScan(key string, cursor uint64, match string, count int) ([][]byte, uint64, error) {
	if count == 0 {
		count = 10
	}
	if count < 0 {
		return nil, 0, ErrSyntax
	}
	k := db.key(key)
	db.lockKey(k)
	defer db.unlockKey(k)
	_, s, err := readObjectLocked[*structures.Set](k, TypeSet)
	if s == nil || err != nil {
		return [][]byte{}, 0, err
	}
	ms, next := sscanLocked(s, cursor, match, count)
	return ms, next, nil
}

// sscanLocked is one SSCAN call over s; the members are copies.
// REQUIRES: s's shard is locked, count > 0.
func sscanLocked(s *structures.Set, cursor uint64, match string, count int) ([][]byte, uint64) {
	all := match == "" || match == "*"
	var ms [][]byte
	next := s.Scan(cursor, count, func(m []byte) {
		if all || glob.Match(match, str(m), false) {
			ms = append(ms, m)
		}
	})
	return copyElems(ms), next
}
