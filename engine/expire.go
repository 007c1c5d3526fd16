package engine

import (
	"time"
)

// ExpireCond is EXPIRE's condition flags (NX, XX, GT, LT). Zero means
// "always". NX cannot be combined with another flag, nor GT with LT.
type ExpireCond uint8

// EXPIRE's conditions.
const (
	ExpireNX ExpireCond = 1 << iota // only if the key has no TTL
	ExpireXX                        // only if the key has a TTL
	ExpireGT                        // only if the new expiry is later (no TTL counts as infinite)
	ExpireLT                        // only if the new expiry is earlier
)

func (c ExpireCond) validate() error {
	switch {
	case c&ExpireNX != 0 && c&(ExpireXX|ExpireGT|ExpireLT) != 0:
		return ErrExpireNXAndOther
	case c&ExpireGT != 0 && c&ExpireLT != 0:
		return ErrExpireGTAndLT
	}
	return nil
}

// Expire sets key to expire after ttl (EXPIRE/PEXPIRE) if cond allows, and
// reports whether it did. A ttl of zero or less deletes the key.
func (db *DB) Expire(key string, ttl time.Duration, cond ExpireCond) (bool, error) {
	if err := cond.validate(); err != nil {
		return false, err
	}
	at, err := db.relativeExpire(ttl.Milliseconds(), "pexpire")
	if err != nil {
		return false, err
	}
	return db.expireAt(key, at, cond), nil
}

// ExpireAt sets key to expire at t (EXPIREAT/PEXPIREAT) if cond allows, and
// reports whether it did. A time in the past deletes the key.
func (db *DB) ExpireAt(key string, t time.Time, cond ExpireCond) (bool, error) {
	if err := cond.validate(); err != nil {
		return false, err
	}
	return db.expireAt(key, t.UnixMilli(), cond), nil
}

func (db *DB) expireAt(key string, at int64, cond ExpireCond) bool {
	k := db.key(key)
	db.lockKey(k)
	defer db.unlockKey(k)
	return db.expireAtLocked(k, at, cond)
}

// expireAtLocked is the common part of the EXPIRE family, at in unix ms.
//
// REQUIRES: k.sh is locked, cond is valid.
func (db *DB) expireAtLocked(k dbKey, at int64, cond ExpireCond) bool {
	r := k.find()
	if r == 0 {
		return false
	}
	cur := k.sh.ExpireAtLocked(r) // 0: none, which counts as infinite
	switch {
	case cond&ExpireNX != 0 && cur != 0,
		cond&ExpireXX != 0 && cur == 0,
		cond&ExpireGT != 0 && (cur == 0 || at <= cur),
		cond&ExpireLT != 0 && cur != 0 && at >= cur:
		return false
	}
	if at <= db.nowMs() {
		k.sh.DeleteLocked(r, k.h)
		db.notify(notifyGeneric, "del", k.name) // Redis's EXPIRE in the past
		return true
	}
	k.sh.SetExpireAtLocked(r, at)
	db.notify(notifyGeneric, "expire", k.name)
	return true
}

// Persist removes key's TTL and reports whether it had one.
func (db *DB) Persist(key string) bool {
	k := db.key(key)
	db.lockKey(k)
	defer db.unlockKey(k)
	return db.persistLocked(k)
}

// persistLocked is PERSIST. REQUIRES: k.sh is locked.
func (db *DB) persistLocked(k dbKey) bool {
	r := k.find()
	if r == 0 || k.sh.ExpireAtLocked(r) == 0 {
		return false
	}
	k.sh.SetExpireAtLocked(r, 0)
	db.notify(notifyGeneric, "persist", k.name)
	return true
}

// Replies of the TTL family for a missing key and for a key without TTL.
const (
	TTLNoKey    = -2
	TTLNoExpiry = -1
)

// PExpireTime is key's expiry in unix ms, or TTLNoKey / TTLNoExpiry.
func (db *DB) PExpireTime(key string) int64 {
	k := db.key(key)
	db.lockKey(k)
	defer db.unlockKey(k)
	return pexpireTimeLocked(k)
}

// pexpireTimeLocked is PEXPIRETIME. REQUIRES: k.sh is locked.
func pexpireTimeLocked(k dbKey) int64 {
	r := k.find()
	if r == 0 {
		return TTLNoKey
	}
	if at := k.sh.ExpireAtLocked(r); at != 0 {
		return at
	}
	return TTLNoExpiry
}

// ExpireTime is key's expiry in unix seconds, or TTLNoKey / TTLNoExpiry.
func (db *DB) ExpireTime(key string) int64 { return msToSec(db.PExpireTime(key)) }

// PTTL is key's remaining time to live in ms, or TTLNoKey / TTLNoExpiry.
func (db *DB) PTTL(key string) int64 { return db.ttlFrom(db.PExpireTime(key)) }

// TTL is key's remaining time to live in seconds (rounded), or TTLNoKey /
// TTLNoExpiry.
func (db *DB) TTL(key string) int64 { return roundToSec(db.PTTL(key)) }

// ttlFrom turns an expiry (or TTLNoKey / TTLNoExpiry) into a TTL in ms.
func (db *DB) ttlFrom(at int64) int64 {
	if at < 0 {
		return at
	}
	return max(at-db.nowMs(), 0)
}

func msToSec(at int64) int64 {
	if at < 0 {
		return at
	}
	return at / 1000
}

func roundToSec(ms int64) int64 {
	if ms < 0 {
		return ms
	}
	return (ms + 500) / 1000
}

// expireLoop is the background expiry cycle: every ExpireInterval it walks
// the shards' TTL lists within a time budget, as Redis's active expire cycle
// does, so that keys nobody reads again do not hold memory.
func (db *DB) expireLoop() {
	defer db.wg.Done()
	t := time.NewTicker(db.opts.ExpireInterval)
	defer t.Stop()
	next := 0
	for {
		select {
		case <-db.stop:
			return
		case <-t.C:
			next = db.expireCycle(next)
		}
	}
}

// expireCycle runs one cycle starting at shard start and returns the shard
// to start the next one at. Per shard it examines batches of keys and
// repeats while more than a tenth of a batch had expired; the whole cycle
// stops when its time budget (25% of the interval at effort 1) is spent.
func (db *DB) expireCycle(start int) int {
	effort := db.opts.ExpireEffort - 1
	batch := 20 + 5*effort
	deadline := time.Now().Add(db.opts.ExpireInterval * time.Duration(25+2*effort) / 100)
	n := len(db.shards)
	for i := 0; i < n; i++ {
		s := db.shards[(start+i)%n]
		for {
			s.Lock()
			checked, expired := s.ExpireCycleLocked(batch)
			s.Unlock()
			if time.Now().After(deadline) {
				return (start + i) % n
			}
			if checked == 0 || expired*10 <= checked {
				break
			}
		}
	}
	return start
}
