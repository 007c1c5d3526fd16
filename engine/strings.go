package engine

import (
	"math"
	"time"

	"github.com/jackdawdb/jackdaw/engine/internal/numconv"
	"github.com/jackdawdb/jackdaw/shard"
)

// KV is a key and a value, for MSet and MSetNX.
type KV struct {
	Key   string
	Value []byte
}

// SetArgs are SET's options. At most one of NX and XX, and at most one of
// TTL, ExpireAt and KeepTTL may be given; otherwise Set returns ErrSyntax.
type SetArgs struct {
	NX       bool          // only set if the key does not exist
	XX       bool          // only set if the key exists
	Get      bool          // return the old value (SET ... GET)
	TTL      time.Duration // expire after this long (EX/PX); must be >= 1ms
	ExpireAt time.Time     // expire at this time (EXAT/PXAT)
	KeepTTL  bool          // keep the key's current TTL (KEEPTTL)
}

// SetResult is what SetArgs reports.
type SetResult struct {
	Written bool   // the value was stored (false when NX/XX prevented it)
	Old     []byte // with Get: the previous value (nil if there was none)
	Existed bool   // with Get: the key held a string before
}

// ttlAction says what a write does to a key's TTL.
type ttlAction uint8

const (
	ttlClear ttlAction = iota // drop it (SET's default)
	ttlKeep                   // leave it (KEEPTTL, GETEX without options)
	ttlSet                    // expire at a given unix ms
)

// setCond is SET's NX/XX condition.
type setCond uint8

const (
	condNone setCond = iota
	condNX
	condXX
)

// setOp is a fully validated SET.
type setOp struct {
	cond setCond
	get  bool
	ttl  ttlAction
	at   int64 // with ttlSet
}

// toSetOp validates SetArgs the way Redis validates SET's options.
func (db *DB) toSetOp(a SetArgs) (setOp, error) {
	op := setOp{get: a.Get, ttl: ttlClear}
	switch {
	case a.NX && a.XX:
		return op, ErrSyntax
	case a.NX:
		op.cond = condNX
	case a.XX:
		op.cond = condXX
	}
	n := 0
	if a.TTL != 0 {
		n++
		ms := a.TTL.Milliseconds()
		if ms <= 0 {
			return op, errInvalidExpire("set")
		}
		at, err := db.relativeExpire(ms, "set")
		if err != nil {
			return op, err
		}
		op.ttl, op.at = ttlSet, at
	}
	if !a.ExpireAt.IsZero() {
		n++
		ms := a.ExpireAt.UnixMilli()
		if ms <= 0 {
			return op, errInvalidExpire("set")
		}
		op.ttl, op.at = ttlSet, ms
	}
	if a.KeepTTL {
		n++
		op.ttl = ttlKeep
	}
	if n > 1 {
		return op, ErrSyntax
	}
	return op, nil
}

// relativeExpire turns a TTL in ms into unix ms, refusing overflow.
func (db *DB) relativeExpire(ms int64, cmd string) (int64, error) {
	now := db.nowMs()
	if ms > math.MaxInt64-now {
		return 0, errInvalidExpire(cmd)
	}
	return now + ms, nil
}

// storeStringLocked stores val under key, integer-encoded when it is the
// canonical form of an int64 (as Redis does), and returns the entry.
func storeStringLocked(sh *shard.Shard, key string, h uint64, r shard.Ref, val []byte) shard.Ref {
	return prepareString(key, val).storeLocked(sh, key, h, r)
}

// stringValue is a string value made ready to store before the shard is
// locked: an int64 when val is one's canonical form, else a copy of the key
// and val in the allocation the entry will point to.
type stringValue struct {
	raw   shard.RawValue
	n     int64
	isInt bool
}

func prepareString(key string, val []byte) stringValue {
	if len(val) <= 20 {
		if n, ok := numconv.ParseInt(val); ok {
			return stringValue{n: n, isInt: true}
		}
	}
	return stringValue{raw: shard.NewRawValue(key, val)}
}

// storeLocked stores v under key and returns the entry.
//
// REQUIRES: sh is locked, v was prepared for key, r == FindLocked(key, h).
func (v stringValue) storeLocked(sh *shard.Shard, key string, h uint64, r shard.Ref) shard.Ref {
	if v.isInt {
		return sh.SetIntLocked(key, h, r, v.n)
	}
	return sh.SetRawLocked(key, h, r, v.raw)
}

// applyTTLLocked applies a write's TTL action to r. It returns false if the
// key was deleted because the new expiry is already past.
func (db *DB) applyTTLLocked(sh *shard.Shard, r shard.Ref, h uint64, act ttlAction, at int64) bool {
	switch act {
	case ttlClear:
		sh.SetExpireAtLocked(r, 0)
	case ttlSet:
		if at <= db.nowMs() {
			sh.DeleteLocked(r, h)
			return false
		}
		sh.SetExpireAtLocked(r, at)
	}
	return true
}

// Get returns the value of key. ok is false if the key does not exist. The
// returned slice is shared with the store: it never changes, but it must not
// be modified.
func (db *DB) Get(key string) (value []byte, ok bool, err error) {
	k := db.key(key)
	if db.tx != nil { // a transaction's view: locked already
		db.useKey(k)
		return db.getLocked(k)
	}
	k.sh.Lock() // inlined, unlike lockKey: GET is the hottest path
	value, ok, err = db.getLocked(k)
	k.sh.Unlock() // a read makes no key ready: no blocked client to serve
	return value, ok, err
}

// getLocked is GET. REQUIRES: k.sh is locked.
func (db *DB) getLocked(k dbKey) ([]byte, bool, error) {
	v, t := k.sh.GetLocked(k.name, k.h)
	switch t {
	case shard.TypeString:
		return v, true, nil
	case shard.TypeNone:
		return nil, false, nil
	}
	return nil, false, ErrWrongType
}

// Set stores value under key, replacing any value of any type and removing
// its TTL. value is copied.
func (db *DB) Set(key string, value []byte) error {
	// SetArgs{} without its conversion: plain SET is the hottest write.
	if err := checkKey(key); err != nil {
		return err
	}
	k := db.key(key)
	v := prepareString(key, value) // before locking: less time under the lock
	db.lockKey(k)
	defer db.unlockKey(k)
	_, err := db.setLocked(k, v, setOp{ttl: ttlClear})
	return err
}

// SetArgs is SET with its options.
func (db *DB) SetArgs(key string, value []byte, a SetArgs) (SetResult, error) {
	op, err := db.toSetOp(a)
	if err != nil {
		return SetResult{}, err
	}
	if err := checkKey(key); err != nil {
		return SetResult{}, err
	}
	k := db.key(key)
	v := prepareString(key, value)
	db.lockKey(k)
	defer db.unlockKey(k)
	return db.setLocked(k, v, op)
}

// setLocked is SET. REQUIRES: k.sh is locked, len(k.name) <= MaxKeyLen.
func (db *DB) setLocked(k dbKey, v stringValue, op setOp) (res SetResult, err error) {
	r := k.find()
	if op.get && r != 0 {
		if k.sh.TypeLocked(r) != shard.TypeString {
			return res, ErrWrongType
		}
		res.Old, res.Existed = k.sh.BytesLocked(r), true
	}
	if (op.cond == condNX && r != 0) || (op.cond == condXX && r == 0) {
		return res, nil
	}
	old := r
	r = v.storeLocked(k.sh, k.name, k.h, r)
	db.notifyNewIf(old, k)
	db.notify(notifyString, "set", k.name)
	live := db.applyTTLLocked(k.sh, r, k.h, op.ttl, op.at)
	if op.ttl == ttlSet {
		db.notify(notifyGeneric, "expire", k.name)
		if !live {
			// Redis keeps the key until it is touched, then fires
			// "expired"; jackdaw deletes it at once.
			db.notify(notifyExpired, "expired", k.name)
		}
	}
	res.Written = true
	return res, nil
}

// SetNX sets key only if it does not exist, and reports whether it did.
func (db *DB) SetNX(key string, value []byte) (bool, error) {
	res, err := db.SetArgs(key, value, SetArgs{NX: true})
	return res.Written, err
}

// SetEX sets key with a TTL (SETEX/PSETEX); ttl must be at least 1ms.
func (db *DB) SetEX(key string, value []byte, ttl time.Duration) error {
	if ttl.Milliseconds() <= 0 { // SetArgs reads a zero TTL as "none"
		return errInvalidExpire("setex")
	}
	_, err := db.SetArgs(key, value, SetArgs{TTL: ttl})
	return err
}

// GetSet sets key and returns its old value (GETSET).
func (db *DB) GetSet(key string, value []byte) ([]byte, bool, error) {
	res, err := db.SetArgs(key, value, SetArgs{Get: true})
	return res.Old, res.Existed, err
}

// GetDel returns key's value and deletes the key.
func (db *DB) GetDel(key string) ([]byte, bool, error) {
	k := db.key(key)
	db.lockKey(k)
	defer db.unlockKey(k)
	return db.getDelLocked(k)
}

// getDelLocked is GETDEL. REQUIRES: k.sh is locked.
func (db *DB) getDelLocked(k dbKey) ([]byte, bool, error) {
	r, err := k.findString()
	if r == 0 || err != nil {
		return nil, false, err
	}
	v := k.sh.BytesLocked(r)
	k.sh.DeleteLocked(r, k.h)
	db.notify(notifyGeneric, "del", k.name)
	return v, true, nil
}

// GetExArgs are GETEX's options; at most one may be given.
type GetExArgs struct {
	TTL      time.Duration // expire after this long (EX/PX); >= 1ms
	ExpireAt time.Time     // expire at this time (EXAT/PXAT)
	Persist  bool          // remove the TTL
}

// GetEx returns key's value and changes its TTL as the arguments say.
func (db *DB) GetEx(key string, a GetExArgs) ([]byte, bool, error) {
	act, at, n := ttlKeep, int64(0), 0
	if a.TTL != 0 {
		n++
		ms := a.TTL.Milliseconds()
		if ms <= 0 {
			return nil, false, errInvalidExpire("getex")
		}
		var err error
		if at, err = db.relativeExpire(ms, "getex"); err != nil {
			return nil, false, err
		}
		act = ttlSet
	}
	if !a.ExpireAt.IsZero() {
		n++
		if at = a.ExpireAt.UnixMilli(); at <= 0 {
			return nil, false, errInvalidExpire("getex")
		}
		act = ttlSet
	}
	if a.Persist {
		n++
		act = ttlClear
	}
	if n > 1 {
		return nil, false, ErrSyntax
	}
	k := db.key(key)
	db.lockKey(k)
	defer db.unlockKey(k)
	return db.getExLocked(k, act, at)
}

// getExLocked is GETEX. REQUIRES: k.sh is locked.
func (db *DB) getExLocked(k dbKey, act ttlAction, at int64) ([]byte, bool, error) {
	v, ok, err := db.getLocked(k)
	if ok {
		db.getExTTLLocked(k, act, at)
	}
	return v, ok, err
}

// getExTTLLocked applies GETEX's TTL option to k, which exists, with
// Redis's notifications: "expire", "del" for a time already past (the key
// is deleted), "persist" if PERSIST removed a TTL.
// REQUIRES: k.sh is locked.
func (db *DB) getExTTLLocked(k dbKey, act ttlAction, at int64) {
	r := k.find()
	if r == 0 {
		return
	}
	switch act {
	case ttlSet:
		if at <= db.nowMs() {
			k.sh.DeleteLocked(r, k.h)
			db.notify(notifyGeneric, "del", k.name)
			return
		}
		k.sh.SetExpireAtLocked(r, at)
		db.notify(notifyGeneric, "expire", k.name)
	case ttlClear:
		if k.sh.ExpireAtLocked(r) != 0 {
			k.sh.SetExpireAtLocked(r, 0)
			db.notify(notifyGeneric, "persist", k.name)
		}
	}
}

// MGet returns the values of keys, nil for a key that is missing or does
// not hold a string. The values are read at one instant.
func (db *DB) MGet(keys ...string) [][]byte {
	ls := db.lockKeys(keys...)
	defer ls.unlock()
	return db.mgetLocked(keys)
}

// mgetLocked is MGET. REQUIRES: the keys' shards are locked.
func (db *DB) mgetLocked(keys []string) [][]byte {
	out := make([][]byte, len(keys))
	for i, name := range keys {
		k := db.key(name)
		r := k.find()
		k.sh.RecordReadLocked(r != 0)
		if r != 0 && k.sh.TypeLocked(r) == shard.TypeString {
			out[i] = k.sh.BytesLocked(r)
		}
	}
	return out
}

// MSet sets every pair, removing their TTLs, atomically: no reader sees some
// of them set and others not.
func (db *DB) MSet(kvs ...KV) error {
	_, err := db.mset(kvs, false)
	return err
}

// MSetNX sets every pair only if none of the keys exists, atomically, and
// reports whether it did.
func (db *DB) MSetNX(kvs ...KV) (bool, error) {
	return db.mset(kvs, true)
}

func (db *DB) mset(kvs []KV, nx bool) (bool, error) {
	keys := make([]string, len(kvs))
	for i, kv := range kvs {
		if err := checkKey(kv.Key); err != nil {
			return false, err
		}
		keys[i] = kv.Key
	}
	ls := db.lockKeys(keys...)
	defer ls.unlock()
	return db.msetLocked(kvs, nx), nil
}

// msetLocked is MSET (MSETNX if nx). REQUIRES: the keys' shards are locked,
// every key is at most MaxKeyLen long.
func (db *DB) msetLocked(kvs []KV, nx bool) bool {
	if nx {
		for _, kv := range kvs {
			if db.key(kv.Key).find() != 0 {
				return false
			}
		}
	}
	for _, kv := range kvs {
		k := db.key(kv.Key)
		old := k.find()
		r := storeStringLocked(k.sh, k.name, k.h, old, kv.Value)
		k.sh.SetExpireAtLocked(r, 0)
		db.notifyNewIf(old, k)
		db.notify(notifyString, "set", k.name)
	}
	return true
}

// Incr adds 1 to the integer at key (a missing key counts as 0).
func (db *DB) Incr(key string) (int64, error) { return db.IncrBy(key, 1) }

// Decr subtracts 1 from the integer at key.
func (db *DB) Decr(key string) (int64, error) { return db.IncrBy(key, -1) }

// DecrBy subtracts delta from the integer at key.
func (db *DB) DecrBy(key string, delta int64) (int64, error) {
	if delta == math.MinInt64 {
		return 0, ErrDecrementOverflow
	}
	return db.IncrBy(key, -delta)
}

// IncrBy adds delta to the integer at key and returns the result. The TTL
// is kept.
func (db *DB) IncrBy(key string, delta int64) (int64, error) {
	if err := checkKey(key); err != nil {
		return 0, err
	}
	k := db.key(key)
	db.lockKey(k)
	defer db.unlockKey(k)
	return db.incrByLocked(k, delta)
}

// incrByLocked is INCRBY. REQUIRES: k.sh is locked, the key is valid.
func (db *DB) incrByLocked(k dbKey, delta int64) (int64, error) {
	r, err := k.findString()
	if err != nil {
		return 0, err
	}
	var cur int64
	if r != 0 {
		var ok bool
		if cur, ok = k.sh.IsIntLocked(r); !ok {
			// A raw string built by APPEND or SETRANGE may still hold
			// an integer.
			if cur, ok = numconv.ParseInt(k.sh.BytesLocked(r)); !ok {
				return 0, ErrNotInteger
			}
		}
	}
	if (delta < 0 && cur < math.MinInt64-delta) || (delta > 0 && cur > math.MaxInt64-delta) {
		return 0, ErrOverflow
	}
	cur += delta
	k.sh.SetIntLocked(k.name, k.h, r, cur)
	db.notifyNewIf(r, k)
	db.notify(notifyString, "incrby", k.name)
	return cur, nil
}

// Append appends value to the string at key (creating it) and returns the
// new length.
func (db *DB) Append(key string, value []byte) (int, error) {
	if err := checkKey(key); err != nil {
		return 0, err
	}
	k := db.key(key)
	db.lockKey(k)
	defer db.unlockKey(k)
	return db.appendLocked(k, value)
}

// appendLocked is APPEND. REQUIRES: k.sh is locked, the key is valid.
func (db *DB) appendLocked(k dbKey, value []byte) (int, error) {
	r, err := k.findString()
	if err != nil {
		return 0, err
	}
	if r == 0 {
		storeStringLocked(k.sh, k.name, k.h, 0, value)
		db.notify(notifyNew, "new", k.name)
		db.notify(notifyString, "append", k.name)
		return len(value), nil
	}
	if k.sh.StrlenLocked(r)+len(value) > maxStringLen {
		return 0, ErrStringTooLong
	}
	n := k.sh.AppendLocked(r, value)
	db.notify(notifyString, "append", k.name)
	return n, nil
}

// Strlen is the length of the string at key (0 if it does not exist).
func (db *DB) Strlen(key string) (int, error) {
	k := db.key(key)
	db.lockKey(k)
	defer db.unlockKey(k)
	return db.strlenLocked(k)
}

// strlenLocked is STRLEN. REQUIRES: k.sh is locked.
func (db *DB) strlenLocked(k dbKey) (int, error) {
	r, err := k.findString()
	if r == 0 || err != nil {
		return 0, err
	}
	return k.sh.StrlenLocked(r), nil
}

// GetRange returns the bytes of the string at key from start to end
// inclusive; negative offsets count from the end, as in Redis.
func (db *DB) GetRange(key string, start, end int64) ([]byte, error) {
	k := db.key(key)
	db.lockKey(k)
	defer db.unlockKey(k)
	return db.getRangeLocked(k, start, end)
}

// getRangeLocked is GETRANGE. REQUIRES: k.sh is locked.
func (db *DB) getRangeLocked(k dbKey, start, end int64) ([]byte, error) {
	r, err := k.findString()
	if r == 0 || err != nil {
		return []byte{}, err
	}
	if start < 0 && end < 0 && start > end {
		return []byte{}, nil
	}
	v := k.sh.BytesLocked(r)
	n := int64(len(v))
	if start < 0 {
		start += n
	}
	if end < 0 {
		end += n
	}
	start, end = max(start, 0), max(end, 0)
	if end >= n {
		end = n - 1
	}
	if start > end || n == 0 {
		return []byte{}, nil
	}
	return v[start : end+1 : end+1], nil
}

// SetRange overwrites the string at key from offset with value, padding with
// zero bytes, and returns the new length.
func (db *DB) SetRange(key string, offset int64, value []byte) (int, error) {
	if err := checkKey(key); err != nil {
		return 0, err
	}
	k := db.key(key)
	db.lockKey(k)
	defer db.unlockKey(k)
	return db.setRangeLocked(k, offset, value)
}

// setRangeLocked is SETRANGE. REQUIRES: k.sh is locked, the key is valid.
func (db *DB) setRangeLocked(k dbKey, offset int64, value []byte) (int, error) {
	if offset < 0 {
		return 0, ErrOffsetOutOfRange
	}
	r, err := k.findString()
	if err != nil {
		return 0, err
	}
	if len(value) == 0 {
		if r == 0 {
			return 0, nil
		}
		return k.sh.StrlenLocked(r), nil
	}
	if offset > maxStringLen-int64(len(value)) { // offset+len could wrap
		return 0, ErrStringTooLong
	}
	if r == 0 {
		r = k.sh.SetBytesLocked(k.name, k.h, 0, nil)
		db.notify(notifyNew, "new", k.name)
	}
	n := k.sh.SetRangeLocked(r, int(offset), value)
	db.notify(notifyString, "setrange", k.name)
	return n, nil
}
