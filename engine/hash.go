package engine

import (
	"errors"
	"math"
	"strconv"
	"strings"

	"github.com/jackdawdb/jackdaw/engine/internal/glob"
	"github.com/jackdawdb/jackdaw/engine/internal/numconv"
	"github.com/jackdawdb/jackdaw/structures"
)

// The hash type: Redis's hashes, kept as structures.Hash values. Each typed
// method locks its key's shard and calls a ...Locked core that the command
// handlers in cmd_hash.go share.
//
// Values read from a hash are copied out of it (a hash's storage is
// rewritten in place as it changes, and values returned by the engine never
// change), so they may be kept. Fields are strings in the typed API; any
// bytes are allowed.

// Errors of the hash commands, with Redis's texts.
var (
	// ErrHashNotInteger is HINCRBY's error for a field whose value is not
	// an integer.
	ErrHashNotInteger = errors.New("ERR hash value is not an integer")
	// ErrHashNotFloat is HINCRBYFLOAT's error for a field whose value is
	// not a number.
	ErrHashNotFloat = errors.New("ERR hash value is not a float")
	// ErrHashIncrNotFinite is HINCRBYFLOAT's error for an infinite
	// increment. (A finite increment whose result is not finite gives
	// ErrFloatNaNOrInf instead.)
	ErrHashIncrNotFinite = errors.New("ERR value is NaN or Infinity")

	// errHashRandCountRange is HRANDFIELD's reply to a count of -2^63.
	errHashRandCountRange = errors.New("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807")
	// errHashRandWithValuesRange is HRANDFIELD's reply to a count beyond
	// ±2^62 with WITHVALUES.
	errHashRandWithValuesRange = errors.New("ERR value is out of range")
)

// FieldValue is a hash field and its value.
type FieldValue struct {
	Field string
	Value []byte
}

// HScanArgs are HSCAN's options.
type HScanArgs struct {
	Match string // glob pattern on the field; "" matches every field
	Count int    // work hint: about how many fields per call; default 10
}

func newHash() *structures.Hash { return structures.NewHash() }

// hashDetach replaces every slice in lists, which alias a hash's storage,
// with a copy; all the copies share one new allocation, and none is nil.
func hashDetach(lists ...[][]byte) {
	n := 0
	for _, l := range lists {
		for _, b := range l {
			n += len(b)
		}
	}
	buf := make([]byte, 0, n)
	for _, l := range lists {
		for i, b := range l {
			buf = append(buf, b...)
			l[i] = buf[len(buf)-len(b) : len(buf) : len(buf)]
		}
	}
}

// hashCopy is a copy of b, never nil.
func hashCopy(b []byte) []byte { return append(make([]byte, 0, len(b)), b...) }

// hashStrings converts fields to strings sharing one allocation.
func hashStrings(bs [][]byte) []string {
	var sb strings.Builder
	for _, b := range bs {
		sb.Grow(len(b))
	}
	for _, b := range bs {
		sb.Write(b)
	}
	all := sb.String()
	out := make([]string, len(bs))
	off := 0
	for i, b := range bs {
		out[i] = all[off : off+len(b)]
		off += len(b)
	}
	return out
}

// hashFieldValues pairs copied fields and values for the typed API.
func hashFieldValues(fields, values [][]byte) []FieldValue {
	fs := hashStrings(fields)
	out := make([]FieldValue, len(fs))
	for i, f := range fs {
		out[i] = FieldValue{f, values[i]}
	}
	return out
}

// readHashLocked finds k's hash for a read, counting a hit or miss; the
// hash is nil if k does not exist. REQUIRES: k.sh is locked.
func readHashLocked(k dbKey) (*structures.Hash, error) {
	_, h, err := readObjectLocked[*structures.Hash](k, TypeHash)
	return h, err
}

// HSet sets the fields of the hash at key, creating it, and returns how
// many of the fields are new (HSET). Later pairs win over earlier ones with
// the same field. A key holding another type gives ErrWrongType.
func (db *DB) HSet(key string, pairs ...FieldValue) (int, error) {
	if err := checkKey(key); err != nil {
		return 0, err
	}
	if len(pairs) == 0 {
		return 0, errors.New("ERR wrong number of arguments for 'hset' command")
	}
	var buf [8][]byte // a few pairs need no allocation
	fv := buf[:0]
	if 2*len(pairs) > len(buf) {
		fv = make([][]byte, 0, 2*len(pairs))
	}
	for _, p := range pairs {
		fv = append(fv, bytesOf(p.Field), p.Value)
	}
	k := db.key(key)
	db.lockKey(k)
	defer db.unlockKey(k)
	return db.hsetLocked(k, fv)
}

// hsetLocked is HSET; fv holds fields and values alternately, at least one
// pair. REQUIRES: k.sh is locked, the key is valid.
func (db *DB) hsetLocked(k dbKey, fv [][]byte) (int, error) {
	r, h, err := writeNotifyLocked(db, k, TypeHash, newHash)
	if err != nil {
		return 0, err
	}
	n := 0
	for i := 0; i+1 < len(fv); i += 2 {
		if h.Set(fv[i], fv[i+1]) {
			n++
		}
	}
	db.commitNotifyLocked(k, r, h, notifyHash, "hset")
	return n, nil
}

// HSetNX sets field of the hash at key only if it is not there yet, and
// reports whether it did (HSETNX).
func (db *DB) HSetNX(key, field string, value []byte) (bool, error) {
	if err := checkKey(key); err != nil {
		return false, err
	}
	k := db.key(key)
	db.lockKey(k)
	defer db.unlockKey(k)
	return db.hsetnxLocked(k, bytesOf(field), value)
}

// hsetnxLocked is HSETNX. REQUIRES: k.sh is locked, the key is valid.
func (db *DB) hsetnxLocked(k dbKey, field, value []byte) (bool, error) {
	r, h, err := writeNotifyLocked(db, k, TypeHash, newHash)
	if err != nil {
		return false, err
	}
	set := !h.Exists(field)
	if set {
		h.Set(field, value)
		db.notify(notifyHash, "hset", k.name)
	}
	commitObjectLocked(k, r, h)
	return set, nil
}

// HGet returns the value of field in the hash at key (HGET); ok is false
// if the key or the field does not exist. The returned slice must not be
// modified.
func (db *DB) HGet(key, field string) (value []byte, ok bool, err error) {
	k := db.key(key)
	db.lockKey(k)
	defer db.unlockKey(k)
	return hgetLocked(k, bytesOf(field))
}

// hgetLocked is HGET; the value is a copy unless the hash's storage never
// changes it (see structures.Hash.GetStable). REQUIRES: k.sh is locked.
func hgetLocked(k dbKey, field []byte) ([]byte, bool, error) {
	h, err := readHashLocked(k)
	if h == nil || err != nil {
		return nil, false, err
	}
	v, stable, ok := h.GetStable(field)
	switch {
	case !ok:
		return nil, false, nil
	case stable:
		return v[:len(v):len(v)], true, nil
	}
	return hashCopy(v), true, nil
}

// HMGet returns the values of fields in the hash at key (HMGET), in order;
// an absent field's value is nil, a present empty value is empty but not
// nil.
func (db *DB) HMGet(key string, fields ...string) ([][]byte, error) {
	fs := make([][]byte, len(fields))
	for i, f := range fields {
		fs[i] = bytesOf(f)
	}
	k := db.key(key)
	db.lockKey(k)
	defer db.unlockKey(k)
	return hmgetLocked(k, fs)
}

// hmgetLocked is HMGET; the values are copies. REQUIRES: k.sh is locked.
func hmgetLocked(k dbKey, fields [][]byte) ([][]byte, error) {
	h, err := readHashLocked(k)
	if err != nil {
		return nil, err
	}
	out := make([][]byte, len(fields))
	if h != nil {
		for i, f := range fields {
			if v, ok := h.Get(f); ok {
				out[i] = hashCopy(v)
			}
		}
	}
	return out, nil
}

// HDel removes fields from the hash at key and returns how many were there
// (HDEL). Removing the last field deletes the key.
func (db *DB) HDel(key string, fields ...string) (int, error) {
	fs := make([][]byte, len(fields))
	for i, f := range fields {
		fs[i] = bytesOf(f)
	}
	k := db.key(key)
	db.lockKey(k)
	defer db.unlockKey(k)
	return db.hdelLocked(k, fs)
}

// hdelLocked is HDEL. REQUIRES: k.sh is locked.
func (db *DB) hdelLocked(k dbKey, fields [][]byte) (int, error) {
	r, h, err := findObjectLocked[*structures.Hash](k, TypeHash)
	if r == 0 || err != nil {
		return 0, err
	}
	n := 0
	for _, f := range fields {
		if h.Delete(f) {
			n++
		}
	}
	if n > 0 {
		db.commitNotifyLocked(k, r, h, notifyHash, "hdel")
	}
	return n, nil
}

// HLen returns the number of fields of the hash at key, 0 if it does not
// exist (HLEN).
func (db *DB) HLen(key string) (int, error) {
	k := db.key(key)
	db.lockKey(k)
	defer db.unlockKey(k)
	return hlenLocked(k)
}

// hlenLocked is HLEN. REQUIRES: k.sh is locked.
func hlenLocked(k dbKey) (int, error) {
	h, err := readHashLocked(k)
	if h == nil || err != nil {
		return 0, err
	}
	return h.Len(), nil
}

// HExists reports whether field is in the hash at key (HEXISTS).
func (db *DB) HExists(key, field string) (bool, error) {
	k := db.key(key)
	db.lockKey(k)
	defer db.unlockKey(k)
	return hexistsLocked(k, bytesOf(field))
}

// hexistsLocked is HEXISTS. REQUIRES: k.sh is locked.
func hexistsLocked(k dbKey, field []byte) (bool, error) {
	h, err := readHashLocked(k)
	if h == nil || err != nil {
		return false, err
	}
	return h.Exists(field), nil
}

// HStrLen returns the length of field's value in the hash at key, 0 if
// the key or the field does not exist (HSTRLEN).
func (db *DB) HStrLen(key, field string) (int, error) {
	k := db.key(key)
	db.lockKey(k)
	defer db.unlockKey(k)
	return hstrlenLocked(k, bytesOf(field))
}

// hstrlenLocked is HSTRLEN. REQUIRES: k.sh is locked.
func hstrlenLocked(k dbKey, field []byte) (int, error) {
	h, err := readHashLocked(k)
	if h == nil || err != nil {
		return 0, err
	}
	return h.StrLen(field), nil
}

// HKeys returns the fields of the hash at key, in no particular order
// (HKEYS).
func (db *DB) HKeys(key string) ([]string, error) {
	k := db.key(key)
	db.lockKey(k)
	fields, _, err := hgetallLocked(k, true, false)
	db.unlockKey(k)
	if err != nil {
		return nil, err
	}
	return hashStrings(fields), nil
}

// HVals returns the values of the hash at key, in no particular order
// (HVALS).
func (db *DB) HVals(key string) ([][]byte, error) {
	k := db.key(key)
	db.lockKey(k)
	defer db.unlockKey(k)
	_, values, err := hgetallLocked(k, false, true)
	return values, err
}

// HGetAll returns the fields and values of the hash at key (HGETALL); the
// map is empty, not nil, if the key does not exist.
func (db *DB) HGetAll(key string) (map[string][]byte, error) {
	k := db.key(key)
	db.lockKey(k)
	fields, values, err := hgetallLocked(k, true, true)
	db.unlockKey(k)
	if err != nil {
		return nil, err
	}
	m := make(map[string][]byte, len(fields))
	for i, f := range fields {
		m[string(f)] = values[i]
	}
	return m, nil
}

// hgetallLocked is HGETALL (HKEYS without values, HVALS without fields):
// copies of the fields and values, in the hash's order, empty (not nil)
// slices if k does not exist. REQUIRES: k.sh is locked.
func hgetallLocked(k dbKey, withFields, withValues bool) (fields, values [][]byte, err error) {
	h, err := readHashLocked(k)
	if err != nil {
		return nil, nil, err
	}
	n := 0
	if h != nil {
		n = h.Len()
	}
	if withFields {
		fields = make([][]byte, 0, n)
	}
	if withValues {
		values = make([][]byte, 0, n)
	}
	if h != nil {
		for f, v := range h.All() {
			if withFields {
				fields = append(fields, f)
			}
			if withValues {
				values = append(values, v)
			}
		}
	}
	hashDetach(fields, values)
	return fields, values, nil
}

// HIncrBy adds delta to the integer in field of the hash at key (a missing
// field counts as 0), creating the hash, and returns the result (HINCRBY).
// A value that is not an integer gives ErrHashNotInteger; a result beyond
// int64 gives ErrOverflow.
func (db *DB) HIncrBy(key, field string, delta int64) (int64, error) {
	if err := checkKey(key); err != nil {
		return 0, err
	}
	k := db.key(key)
	db.lockKey(k)
	defer db.unlockKey(k)
	return db.hincrbyLocked(k, bytesOf(field), delta)
}

// hincrbyLocked is HINCRBY. REQUIRES: k.sh is locked, the key is valid.
func (db *DB) hincrbyLocked(k dbKey, field []byte, delta int64) (int64, error) {
	r, h, err := writeNotifyLocked(db, k, TypeHash, newHash)
	if err != nil {
		return 0, err
	}
	// On an error a hash created here is empty and is deleted again.
	defer commitObjectLocked(k, r, h)
	var cur int64
	if v, ok := h.Get(field); ok {
		if cur, ok = numconv.ParseInt(v); !ok {
			return 0, ErrHashNotInteger
		}
	}
	if (delta < 0 && cur < 0 && delta < math.MinInt64-cur) || (delta > 0 && cur > 0 && delta > math.MaxInt64-cur) {
		return 0, ErrOverflow
	}
	cur += delta
	var buf [20]byte
	h.Set(field, numconv.AppendInt(buf[:0], cur))
	db.notify(notifyHash, "hincrby", k.name)
	return cur, nil
}

// HIncrByFloat adds delta to the number in field of the hash at key (a
// missing field counts as 0), creating the hash, and returns the result as
// stored, in Redis's text form (HINCRBYFLOAT). Redis computes in C long
// double; jackdaw emulates it, so results match Redis's digit for digit.
// delta is taken as its shortest decimal form. An infinite delta gives
// ErrHashIncrNotFinite, NaN ErrNotFloat; a value that is not a number
// gives ErrHashNotFloat, a result that is not finite ErrFloatNaNOrInf.
func (db *DB) HIncrByFloat(key, field string, delta float64) ([]byte, error) {
	d, ok := numconv.ParseLongDouble(strconv.AppendFloat(nil, delta, 'g', -1, 64))
	if err := hincrbyfloatDelta(d, ok); err != nil {
		return nil, err
	}
	if err := checkKey(key); err != nil {
		return nil, err
	}
	k := db.key(key)
	db.lockKey(k)
	defer db.unlockKey(k)
	return db.hincrbyfloatLocked(k, bytesOf(field), d)
}

// hincrbyfloatDelta checks a parsed HINCRBYFLOAT increment as Redis does,
// before it looks at the key.
func hincrbyfloatDelta(d numconv.LongDouble, ok bool) error {
	switch {
	case !ok:
		return ErrNotFloat
	case !d.IsFinite():
		return ErrHashIncrNotFinite
	}
	return nil
}

// hincrbyfloatLocked is HINCRBYFLOAT; delta is finite. The result is a new
// slice, not shared with the hash. REQUIRES: k.sh is locked, the key is
// valid.
func (db *DB) hincrbyfloatLocked(k dbKey, field []byte, delta numconv.LongDouble) ([]byte, error) {
	r, h, err := writeNotifyLocked(db, k, TypeHash, newHash)
	if err != nil {
		return nil, err
	}
	defer commitObjectLocked(k, r, h)
	var cur numconv.LongDouble
	if v, ok := h.Get(field); ok {
		if cur, ok = numconv.ParseLongDouble(v); !ok {
			return nil, ErrHashNotFloat
		}
	}
	sum := cur.Add(delta)
	if !sum.IsFinite() {
		return nil, ErrFloatNaNOrInf
	}
	out := numconv.AppendLongDoubleHuman(nil, sum)
	h.Set(field, out)
	db.notify(notifyHash, "hincrbyfloat", k.name)
	return out, nil
}

// HRandField returns a random field of the hash at key (HRANDFIELD without
// a count); ok is false if the key does not exist.
func (db *DB) HRandField(key string) (field string, ok bool, err error) {
	k := db.key(key)
	db.lockKey(k)
	f, _, ok, err := hrandfieldLocked(k)
	db.unlockKey(k)
	return string(f), ok, err
}

// hrandfieldLocked is HRANDFIELD without a count: copies of a random field
// and its value. REQUIRES: k.sh is locked.
func hrandfieldLocked(k dbKey) (field, value []byte, ok bool, err error) {
	h, err := readHashLocked(k)
	if h == nil || err != nil {
		return nil, nil, false, err
	}
	f, v, ok := h.RandomField()
	if !ok {
		return nil, nil, false, nil
	}
	fv := [][]byte{f, v}
	hashDetach(fv)
	return fv[0], fv[1], true, nil
}

// HRandFields returns random fields of the hash at key with HRANDFIELD's
// count rules: a positive count gives min(count, size) distinct fields, a
// negative count exactly -count fields that may repeat, 0 none; a missing
// key gives none. On an existing hash a negative count below -maxRandomCount is
// refused.
func (db *DB) HRandFields(key string, count int) ([]string, error) {
	k := db.key(key)
	db.lockKey(k)
	fields, _, err := hrandfieldsLocked(k, count, false)
	db.unlockKey(k)
	if err != nil {
		return nil, err
	}
	return hashStrings(fields), nil
}

// HRandFieldsWithValues is HRandFields with the fields' values
// (HRANDFIELD ... WITHVALUES).
func (db *DB) HRandFieldsWithValues(key string, count int) ([]FieldValue, error) {
	k := db.key(key)
	db.lockKey(k)
	fields, values, err := hrandfieldsLocked(k, count, true)
	db.unlockKey(k)
	if err != nil {
		return nil, err
	}
	return hashFieldValues(fields, values), nil
}

// hrandfieldsLocked is HRANDFIELD with a count: copies of the fields, and
// of the values if withValues (else values is nil). REQUIRES: k.sh is
// locked.
func hrandfieldsLocked(k dbKey, count int, withValues bool) (fields, values [][]byte, err error) {
	h, err := readHashLocked(k)
	if err != nil {
		return nil, nil, err
	}
	if h == nil || count == 0 {
		return [][]byte{}, nil, nil
	}
	if count < -maxRandomCount {
		return nil, nil, errRandomCountTooLarge
	}
	fields, values = h.RandomFields(count)
	if !withValues {
		values = nil
	}
	hashDetach(fields, values)
	return fields, values, nil
}

// HScan returns some fields of the hash at key with their values, and the
// cursor to continue from; a returned cursor of 0 ends the iteration, which
// starts with cursor 0 (HSCAN). Every field present from the first call to
// the last is returned at least once; a field may be returned more than
// once. A negative Count gives ErrSyntax.
func (db *DB) HScan(key string, cursor uint64, a HScanArgs) ([]FieldValue, uint64, error) {
	if a.Count < 0 {
		return nil, 0, ErrSyntax
	}
	if a.Count == 0 {
		a.Count = 10
	}
	k := db.key(key)
	db.lockKey(k)
	h, err := readHashLocked(k)
	var fields, values [][]byte
	var next uint64
	if h != nil && err == nil {
		fields, values, next = hscanHash(h, cursor, a.Count, a.Match, a.Match != "")
	}
	db.unlockKey(k)
	if err != nil {
		return nil, 0, err
	}
	return hashFieldValues(fields, values), next, nil
}

// hscanHash is one HSCAN call on h: copies of the fields (and their values)
// that match pattern (if usePattern), and the next cursor. A small hash is
// returned whole, whatever the cursor and count, as in Redis.
//
// REQUIRES: h's shard is locked.
func hscanHash(h *structures.Hash, cursor uint64, count int, pattern string, usePattern bool) (fields, values [][]byte, next uint64) {
	usePattern = usePattern && pattern != "*" // Redis skips matching for exactly "*"
	fields, values = [][]byte{}, [][]byte{}
	next = h.Scan(cursor, count, func(f, v []byte) {
		if usePattern && !glob.Match(pattern, str(f), false) {
			return
		}
		fields = append(fields, f)
		values = append(values, v)
	})
	hashDetach(fields, values)
	return fields, values, next
}

// A Hash must stay a valid aggregate.
var _ aggregate = (*structures.Hash)(nil)
