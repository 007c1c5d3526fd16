package engine

import (
	"github.com/jackdawdb/jackdaw/shard"
)

// Type is the Redis type of a value; its String method gives TYPE's reply.
type Type = shard.Type

// The value types.
const (
	TypeNone   = shard.TypeNone
	TypeString = shard.TypeString
	TypeList   = shard.TypeList
	TypeSet    = shard.TypeSet
	TypeZSet   = shard.TypeZSet
	TypeHash   = shard.TypeHash
)

// Del deletes keys and returns how many existed. It is atomic across shards.
func (db *DB) Del(keys ...string) int {
	ls := db.lockKeys(keys...)
	defer ls.unlock()
	return db.delLocked(keys)
}

// delLocked is DEL. REQUIRES: the keys' shards are locked.
func (db *DB) delLocked(keys []string) int {
	n := 0
	for _, name := range keys {
		k := db.key(name)
		if r := k.find(); r != 0 {
			k.sh.DeleteLocked(r, k.h)
			db.notify(notifyGeneric, "del", k.name)
			n++
		}
	}
	return n
}

// Unlink is Del: values are freed by the Go garbage collector, off the
// caller's path, so there is nothing more to do asynchronously.
func (db *DB) Unlink(keys ...string) int { return db.Del(keys...) }

// Exists returns how many of keys exist; a key named twice counts twice.
func (db *DB) Exists(keys ...string) int {
	ls := db.lockKeys(keys...)
	defer ls.unlock()
	return db.existsLocked(keys)
}

// existsLocked is EXISTS. REQUIRES: the keys' shards are locked.
func (db *DB) existsLocked(keys []string) int {
	n := 0
	for _, name := range keys {
		if db.key(name).find() != 0 {
			n++
		}
	}
	return n
}

// Type returns the type of key's value, TypeNone if it does not exist.
func (db *DB) Type(key string) Type {
	k := db.key(key)
	db.lockKey(k)
	defer db.unlockKey(k)
	return typeLocked(k)
}

// typeLocked is TYPE. REQUIRES: k.sh is locked.
func typeLocked(k dbKey) Type {
	if r := k.find(); r != 0 {
		return k.sh.TypeLocked(r)
	}
	return TypeNone
}

// Rename moves src's value and TTL to dst, replacing dst. It fails with
// ErrNoSuchKey if src does not exist.
func (db *DB) Rename(src, dst string) error {
	_, err := db.rename(src, dst, false)
	return err
}

// RenameNX renames src to dst only if dst does not exist, and reports
// whether it did.
func (db *DB) RenameNX(src, dst string) (bool, error) {
	return db.rename(src, dst, true)
}

func (db *DB) rename(src, dst string, nx bool) (bool, error) {
	if err := checkKey(dst); err != nil {
		return false, err
	}
	ls := db.lockKeys(src, dst)
	defer ls.unlock()
	return db.renameLocked(src, dst, nx)
}

// renameLocked is RENAME (RENAMENX if nx). REQUIRES: both keys' shards are
// locked, dst is a valid key.
func (db *DB) renameLocked(src, dst string, nx bool) (bool, error) {
	s := db.key(src)
	if s.find() == 0 {
		return false, ErrNoSuchKey
	}
	if src == dst {
		return !nx, nil
	}
	d := db.key(dst)
	if !moveEntryLocked(s, d, !nx) {
		return false, nil
	}
	// Redis adds dst anew (deleting a value it had first), then fires:
	db.notify(notifyNew, "new", dst)
	db.notify(notifyGeneric, "rename_from", src)
	db.notify(notifyGeneric, "rename_to", dst)
	return true, nil
}

// moveEntryLocked moves s's value and TTL to d (an aggregate moves, it is
// not copied), replacing d only if overwrite. It reports whether it moved;
// s and d may belong to different DBs.
//
// REQUIRES: both shards are locked, s and d are different keys.
func moveEntryLocked(s, d dbKey, overwrite bool) bool {
	sr := s.find()
	if sr == 0 {
		return false
	}
	dr := d.find()
	if dr != 0 && !overwrite {
		return false
	}
	v, exp := s.sh.ValueLocked(sr), s.sh.ExpireAtLocked(sr)
	s.sh.DeleteLocked(sr, s.h)
	dr = d.sh.StoreLocked(d.name, d.h, dr, v)
	d.sh.SetExpireAtLocked(dr, exp)
	return true
}

// Copy copies src's value and TTL to dst. Without replace it does nothing if
// dst exists. It reports whether it copied.
func (db *DB) Copy(src, dst string, replace bool) (bool, error) {
	if err := checkKey(dst); err != nil {
		return false, err
	}
	ls := db.lockKeys(src, dst)
	defer ls.unlock()
	return db.copyLocked(src, dst, replace)
}

// copyLocked is COPY. REQUIRES: both keys' shards are locked, dst is valid.
func (db *DB) copyLocked(src, dst string, replace bool) (bool, error) {
	if src == dst {
		return false, ErrSameObject
	}
	if !copyEntryLocked(db.key(src), db.key(dst), replace) {
		return false, nil
	}
	db.notify(notifyNew, "new", dst) // Redis adds dst anew, as RENAME does
	db.notify(notifyGeneric, "copy_to", dst)
	return true, nil
}

// copyEntryLocked copies s's value (deeply) and TTL to d, replacing d only
// if replace, and reports whether it copied; s and d may belong to
// different DBs.
//
// REQUIRES: both shards are locked, s and d are different keys.
func copyEntryLocked(s, d dbKey, replace bool) bool {
	sr := s.find()
	if sr == 0 {
		return false
	}
	dr := d.find()
	if dr != 0 && !replace {
		return false
	}
	v := s.sh.ValueLocked(sr)
	if v.Obj != nil {
		v.Obj = cloneObject(v.Obj)
	}
	dr = d.sh.StoreLocked(d.name, d.h, dr, v)
	d.sh.SetExpireAtLocked(dr, s.sh.ExpireAtLocked(sr))
	return true
}

// DBSize is the number of keys (expired keys not yet reclaimed included, as
// in Redis).
func (db *DB) DBSize() int {
	n := 0
	for i, s := range db.shards {
		db.lockShard(i)
		n += s.LenLocked()
		db.unlockShard(i)
	}
	return n
}

// FlushAll deletes every key, atomically.
func (db *DB) FlushAll() {
	db.lockAll()
	for _, s := range db.shards {
		s.FlushLocked()
	}
	db.unlockAll()
}
