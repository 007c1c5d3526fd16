package engine

import "unsafe"

// Operations across two DBs (a server's logical databases), and read-only
// accessors a RESP server needs for OBJECT.

// Move moves key, with its value and TTL, from src to dst, as Redis's MOVE
// does: it reports false (and changes nothing) when key does not exist in
// src or already exists in dst. Moving within one DB is ErrSameObject.
//
// It is atomic: the key's shard is locked in both DBs for the whole move.
// To keep two concurrent Moves in opposite directions from deadlocking, the
// two shards are always locked in the order of the DBs' addresses (a Go
// heap object never moves), whichever is the source.
func Move(src, dst *DB, key string) (bool, error) {
	if src == dst {
		return false, ErrSameObject
	}
	if err := checkKey(key); err != nil {
		return false, err
	}
	s, d := src.key(key), dst.key(key)
	unlock := lockAcrossDBs(src, dst, s, d)
	defer unlock()
	if !moveEntryLocked(s, d, false) {
		return false, nil
	}
	dst.notify(notifyNew, "new", key)
	src.notify(notifyGeneric, "move_from", key)
	dst.notify(notifyGeneric, "move_to", key)
	return true, nil
}

// lockAcrossDBs locks s's shard (in src) and d's shard (in dst) in the
// order of the DBs' addresses, and returns the unlock.
func lockAcrossDBs(src, dst *DB, s, d dbKey) func() {
	first, second := src, dst
	fk, sk := s, d
	if uintptr(unsafe.Pointer(dst.core)) < uintptr(unsafe.Pointer(src.core)) {
		first, second, fk, sk = second, first, sk, fk
	}
	first.lockKey(fk)
	second.lockKey(sk)
	return func() {
		second.unlockKey(sk)
		first.unlockKey(fk)
	}
}

// ObjectEncoding returns the encoding OBJECT ENCODING reports for key, and
// false if key does not exist. Strings held as integers are "int"; other
// strings are "embstr" up to 44 bytes and "raw" beyond, as Redis reports a
// freshly SET value (Redis also reports "raw" for a short string built by
// APPEND or SETRANGE; jackdaw keeps no such history). Lists, sets and
// hashes report their structure's encoding by Redis's thresholds.
func (db *DB) ObjectEncoding(key string) (string, bool) {
	k := db.key(key)
	db.lockKey(k)
	defer db.unlockKey(k)
	r := k.find()
	if r == 0 {
		return "", false
	}
	switch k.sh.TypeLocked(r) {
	case TypeString:
		if _, ok := k.sh.IsIntLocked(r); ok {
			return "int", true
		}
		if k.sh.StrlenLocked(r) <= 44 {
			return "embstr", true
		}
		return "raw", true
	case TypeZSet:
		return "skiplist", true // jackdaw has no listpack form for sorted sets
	}
	if o, ok := k.sh.ObjectLocked(r).(interface{ Encoding() string }); ok {
		return o.Encoding(), true
	}
	return "", false
}

// CopyTo copies src's key from (value and TTL) to dst's key to, as Redis's
// COPY ... DB does; without replace it does nothing if to exists in dst. It
// reports whether it copied. Copying a key onto itself is ErrSameObject.
// Like Move, it locks the two shards in the order of the DBs' addresses.
func CopyTo(src, dst *DB, from, to string, replace bool) (bool, error) {
	if src == dst {
		if from == to {
			return false, ErrSameObject
		}
		return src.Copy(from, to, replace)
	}
	if err := checkKey(to); err != nil {
		return false, err
	}
	s, d := src.key(from), dst.key(to)
	unlock := lockAcrossDBs(src, dst, s, d)
	defer unlock()
	if !copyEntryLocked(s, d, replace) {
		return false, nil
	}
	dst.notify(notifyNew, "new", to)
	dst.notify(notifyGeneric, "copy_to", to)
	return true, nil
}
