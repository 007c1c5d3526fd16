package engine

import (
	"math"
	"strconv"

	"github.com/jackdawdb/jackdaw/engine/internal/numconv"
)

// Command handlers for the hash type. Each parses its arguments with
// Redis's rules, in Redis's order (which decides which error wins), and
// calls the ...Locked core that the typed API in hash.go uses too.

// hashPairs is an array reply of fields and values, interleaved; values
// nil means fields only.
func hashPairs(fields, values [][]byte) Reply {
	if values == nil {
		return bulksReply(fields)
	}
	out := make([]Reply, 0, 2*len(fields))
	for i, f := range fields {
		out = append(out, bulkReply(f), bulkReply(values[i]))
	}
	return Reply{Kind: ReplyArray, Array: out}
}

// cmdHSet serves HSET (replies the number of new fields) and HMSET
// (replies OK).
func cmdHSet(name string) func(*DB, [][]byte) Reply {
	return func(db *DB, args [][]byte) Reply {
		if len(args)%2 != 0 {
			return ErrorReply("ERR wrong number of arguments for '" + name + "' command")
		}
		if err := checkKey(str(args[1])); err != nil {
			return errReply(err)
		}
		n, err := db.hsetLocked(db.key(str(args[1])), args[2:])
		switch {
		case err != nil:
			return errReply(err)
		case name == "hmset":
			return replyOK
		}
		return intReply(int64(n))
	}
}

func cmdHSetNX(db *DB, args [][]byte) Reply {
	if err := checkKey(str(args[1])); err != nil {
		return errReply(err)
	}
	ok, err := db.hsetnxLocked(db.key(str(args[1])), args[2], args[3])
	if err != nil {
		return errReply(err)
	}
	return boolReply(ok)
}

func cmdHGet(db *DB, args [][]byte) Reply {
	v, ok, err := hgetLocked(db.key(str(args[1])), args[2])
	if err != nil {
		return errReply(err)
	}
	return bulkOrNil(v, ok)
}

func cmdHMGet(db *DB, args [][]byte) Reply {
	vs, err := hmgetLocked(db.key(str(args[1])), args[2:])
	if err != nil {
		return errReply(err)
	}
	return bulksReply(vs)
}

func cmdHDel(db *DB, args [][]byte) Reply {
	n, err := db.hdelLocked(db.key(str(args[1])), args[2:])
	if err != nil {
		return errReply(err)
	}
	return intReply(int64(n))
}

func cmdHLen(db *DB, args [][]byte) Reply {
	n, err := hlenLocked(db.key(str(args[1])))
	if err != nil {
		return errReply(err)
	}
	return intReply(int64(n))
}

func cmdHExists(db *DB, args [][]byte) Reply {
	ok, err := hexistsLocked(db.key(str(args[1])), args[2])
	if err != nil {
		return errReply(err)
	}
	return boolReply(ok)
}

func cmdHStrLen(db *DB, args [][]byte) Reply {
	n, err := hstrlenLocked(db.key(str(args[1])), args[2])
	if err != nil {
		return errReply(err)
	}
	return intReply(int64(n))
}

// cmdHGetAll serves HGETALL, HKEYS (no values) and HVALS (no fields).
func cmdHGetAll(withFields, withValues bool) func(*DB, [][]byte) Reply {
	return func(db *DB, args [][]byte) Reply {
		fields, values, err := hgetallLocked(db.key(str(args[1])), withFields, withValues)
		switch {
		case err != nil:
			return errReply(err)
		case !withFields:
			return bulksReply(values)
		}
		return hashPairs(fields, values)
	}
}

// cmdHIncrBy checks the increment before the key, as Redis does.
func cmdHIncrBy(db *DB, args [][]byte) Reply {
	delta, err := parseInt(args[3])
	if err != nil {
		return errReply(err)
	}
	if err := checkKey(str(args[1])); err != nil {
		return errReply(err)
	}
	n, err := db.hincrbyLocked(db.key(str(args[1])), args[2], delta)
	if err != nil {
		return errReply(err)
	}
	return intReply(n)
}

// cmdHIncrByFloat checks the increment before the key, as Redis does.
func cmdHIncrByFloat(db *DB, args [][]byte) Reply {
	d, ok := numconv.ParseLongDouble(args[3])
	if err := hincrbyfloatDelta(d, ok); err != nil {
		return errReply(err)
	}
	if err := checkKey(str(args[1])); err != nil {
		return errReply(err)
	}
	out, err := db.hincrbyfloatLocked(db.key(str(args[1])), args[2], d)
	if err != nil {
		return errReply(err)
	}
	return bulkReply(out)
}

// cmdHRandField checks, in Redis's order: the count, the syntax, the
// WITHVALUES range, then the key.
func cmdHRandField(db *DB, args [][]byte) Reply {
	k := db.key(str(args[1]))
	if len(args) == 2 {
		f, _, ok, err := hrandfieldLocked(k)
		if err != nil {
			return errReply(err)
		}
		return bulkOrNil(f, ok)
	}
	n, err := parseInt(args[2])
	switch {
	case err != nil:
		return errReply(err)
	case n == math.MinInt64:
		return errReply(errHashRandCountRange)
	case len(args) > 4 || (len(args) == 4 && !is(args[3], "withvalues")):
		return replySyntax
	}
	withValues := len(args) == 4
	if withValues && (n < -math.MaxInt64/2 || n > math.MaxInt64/2) {
		return errReply(errHashRandWithValuesRange)
	}
	// On 32-bit platforms: a positive count past the int range asks for
	// the whole hash anyway; a negative one is refused as too large.
	n = min(max(n, math.MinInt+1), math.MaxInt)
	fields, values, err := hrandfieldsLocked(k, int(n), withValues)
	if err != nil {
		return errReply(err)
	}
	return hashPairs(fields, values)
}

// emptyScan is HSCAN's reply for a missing key.
func emptyScan() Reply {
	return Reply{Kind: ReplyArray, Array: []Reply{bulkReply([]byte("0")), emptyArray}}
}

// cmdHScan checks, in Redis's order: the cursor, the key and its type, and
// only then the options (so a missing key answers an empty scan whatever
// the options).
func cmdHScan(db *DB, args [][]byte) Reply {
	cursor, err := parseCursor(args[2])
	if err != nil {
		return errReply(err)
	}
	h, err := readHashLocked(db.key(str(args[1])))
	switch {
	case err != nil:
		return errReply(err)
	case h == nil:
		return emptyScan()
	}
	o, err := parseScanOptions(args[3:], false)
	if err != nil {
		return errReply(err)
	}
	fields, values, next := hscanHash(h, cursor, o.Count, o.Match, o.matchGiven)
	return Reply{Kind: ReplyArray, Array: []Reply{
		bulkReply(strconv.AppendUint(nil, next, 10)),
		hashPairs(fields, values),
	}}
}

// hashCommands are the table entries of the hash commands.
var hashCommands = []*Command{
	cmd("hset", -4, FlagWrite|FlagDenyOOM|FlagFast, oneKey, cmdHSet("hset")),
	cmd("hmset", -4, FlagWrite|FlagDenyOOM|FlagFast, oneKey, cmdHSet("hmset")),
	cmd("hsetnx", 4, FlagWrite|FlagDenyOOM|FlagFast, oneKey, cmdHSetNX),
	cmd("hget", 3, FlagReadonly|FlagFast, oneKey, cmdHGet),
	cmd("hmget", -3, FlagReadonly|FlagFast, oneKey, cmdHMGet),
	cmd("hdel", -3, FlagWrite|FlagFast, oneKey, cmdHDel),
	cmd("hlen", 2, FlagReadonly|FlagFast, oneKey, cmdHLen),
	cmd("hexists", 3, FlagReadonly|FlagFast, oneKey, cmdHExists),
	cmd("hstrlen", 3, FlagReadonly|FlagFast, oneKey, cmdHStrLen),
	cmd("hkeys", 2, FlagReadonly, oneKey, cmdHGetAll(true, false)),
	cmd("hvals", 2, FlagReadonly, oneKey, cmdHGetAll(false, true)),
	cmd("hgetall", 2, FlagReadonly, oneKey, cmdHGetAll(true, true)),
	cmd("hincrby", 4, FlagWrite|FlagDenyOOM|FlagFast, oneKey, cmdHIncrBy),
	cmd("hincrbyfloat", 4, FlagWrite|FlagDenyOOM|FlagFast, oneKey, cmdHIncrByFloat),
	cmd("hrandfield", -2, FlagReadonly, oneKey, cmdHRandField),
	cmd("hscan", -3, FlagReadonly, oneKey, cmdHScan),
}
