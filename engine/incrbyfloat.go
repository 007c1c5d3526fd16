package engine

import (
	"strconv"

	"github.com/jackdawdb/jackdaw/engine/internal/numconv"
)

// IncrByFloat adds delta to the number at key and returns the result as
// stored (Redis's text form). Redis computes in C long double; jackdaw
// emulates its 64-bit mantissa, so results match Redis's digit for digit.
// delta is taken as its shortest decimal form, as a client would send it.
func (db *DB) IncrByFloat(key string, delta float64) ([]byte, error) {
	if err := checkKey(key); err != nil {
		return nil, err
	}
	d, ok := numconv.ParseLongDouble(strconv.AppendFloat(nil, delta, 'g', -1, 64))
	k := db.key(key)
	db.lockKey(k)
	defer db.unlockKey(k)
	return db.incrByFloatLocked(k, d, ok)
}

// incrByFloatLocked is INCRBYFLOAT. The result is stored as a raw string and
// the TTL is kept. deltaOK false means the increment did not parse: Redis
// reports that only after the type and the current value are checked.
// REQUIRES: k.sh is locked, the key is valid.
func (db *DB) incrByFloatLocked(k dbKey, delta numconv.LongDouble, deltaOK bool) ([]byte, error) {
	r, err := k.findString()
	if err != nil {
		return nil, err
	}
	var cur numconv.LongDouble
	if r != 0 {
		ok := true
		if n, isInt := k.sh.IsIntLocked(r); isInt {
			cur = numconv.LongDoubleFromInt(n)
		} else {
			cur, ok = numconv.ParseLongDouble(k.sh.BytesLocked(r))
		}
		if !ok {
			return nil, ErrNotFloat
		}
	}
	if !deltaOK {
		return nil, ErrNotFloat
	}
	sum := cur.Add(delta)
	if !sum.IsFinite() {
		return nil, ErrFloatNaNOrInf
	}
	out := numconv.AppendLongDoubleHuman(nil, sum)
	k.sh.SetBytesLocked(k.name, k.h, r, out)
	db.notifyNewIf(r, k)
	db.notify(notifyString, "incrbyfloat", k.name)
	return out, nil
}

func cmdIncrByFloat(db *DB, args [][]byte) Reply {
	d, ok := numconv.ParseLongDouble(args[2])
	if err := checkKey(str(args[1])); err != nil {
		return errReply(err)
	}
	out, err := db.incrByFloatLocked(db.key(str(args[1])), d, ok)
	if err != nil {
		return errReply(err)
	}
	return bulkReply(out)
}
