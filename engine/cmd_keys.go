package engine

import (
	"math"
	"strconv"
)

// Command handlers for generic key commands, expiry and the keyspace.

func keyArgs(args [][]byte) []string {
	keys := make([]string, len(args))
	for i, a := range args {
		keys[i] = str(a)
	}
	return keys
}

func cmdDel(db *DB, args [][]byte) Reply {
	return intReply(int64(db.delLocked(keyArgs(args[1:]))))
}

func cmdExists(db *DB, args [][]byte) Reply {
	return intReply(int64(db.existsLocked(keyArgs(args[1:]))))
}

func cmdType(db *DB, args [][]byte) Reply {
	return StatusReply(typeLocked(db.key(str(args[1]))).String())
}

// cmdRename serves RENAME and RENAMENX.
func cmdRename(nx bool) func(*DB, [][]byte) Reply {
	return func(db *DB, args [][]byte) Reply {
		if err := checkKey(str(args[2])); err != nil {
			return errReply(err)
		}
		ok, err := db.renameLocked(str(args[1]), str(args[2]), nx)
		switch {
		case err != nil:
			return errReply(err)
		case nx:
			return boolReply(ok)
		}
		return replyOK
	}
}

func cmdCopy(db *DB, args [][]byte) Reply {
	replace := false
	for _, o := range args[3:] {
		if !is(o, "replace") {
			return replySyntax // COPY ... DB n needs logical databases: the server's
		}
		replace = true
	}
	if err := checkKey(str(args[2])); err != nil {
		return errReply(err)
	}
	ok, err := db.copyLocked(str(args[1]), str(args[2]), replace)
	if err != nil {
		return errReply(err)
	}
	return boolReply(ok)
}

// cmdExpire serves EXPIRE, PEXPIRE (relative) and EXPIREAT, PEXPIREAT
// (absolute), with Redis's order of checks: options, then the number, then
// overflow.
func cmdExpire(unitMs int64, absolute bool, name string) func(*DB, [][]byte) Reply {
	return func(db *DB, args [][]byte) Reply {
		var cond ExpireCond
		for _, o := range args[3:] {
			switch {
			case is(o, "nx"):
				cond |= ExpireNX
			case is(o, "xx"):
				cond |= ExpireXX
			case is(o, "gt"):
				cond |= ExpireGT
			case is(o, "lt"):
				cond |= ExpireLT
			default:
				return ErrorReply("ERR Unsupported option " + sanitize(o, len(o))) // "%s": no length cap
			}
		}
		if err := cond.validate(); err != nil {
			return errReply(err)
		}
		when, err := parseInt(args[2])
		if err != nil {
			return errReply(err)
		}
		if unitMs == 1000 {
			if when > math.MaxInt64/1000 || when < math.MinInt64/1000 {
				return errReply(errInvalidExpire(name))
			}
			when *= 1000
		}
		if !absolute {
			now := db.nowMs()
			if when > math.MaxInt64-now {
				return errReply(errInvalidExpire(name))
			}
			when += now
		}
		return boolReply(db.expireAtLocked(db.key(str(args[1])), when, cond))
	}
}

func cmdPersist(db *DB, args [][]byte) Reply {
	return boolReply(db.persistLocked(db.key(str(args[1]))))
}

// ttlKind selects one of TTL, PTTL, EXPIRETIME and PEXPIRETIME.
type ttlKind uint8

const (
	ttlSeconds ttlKind = iota
	ttlMillis
	expireTimeSeconds
	expireTimeMillis
)

// cmdTTL serves TTL, PTTL, EXPIRETIME and PEXPIRETIME.
func cmdTTL(kind ttlKind) func(*DB, [][]byte) Reply {
	return func(db *DB, args [][]byte) Reply {
		at := pexpireTimeLocked(db.key(str(args[1])))
		switch kind {
		case ttlSeconds:
			return intReply(roundToSec(db.ttlFrom(at)))
		case ttlMillis:
			return intReply(db.ttlFrom(at))
		case expireTimeSeconds:
			return intReply(msToSec(at))
		}
		return intReply(at)
	}
}

func cmdKeys(db *DB, args [][]byte) Reply {
	return stringsReply(db.Keys(string(args[1])))
}

func cmdScan(db *DB, args [][]byte) Reply {
	cursor, err := parseCursor(args[1])
	if err != nil {
		return errReply(err)
	}
	o, err := parseScanOptions(args[2:], true)
	if err != nil {
		return errReply(err)
	}
	keys, next, err := db.Scan(cursor, o.ScanArgs)
	if err != nil {
		return errReply(err)
	}
	return Reply{Kind: ReplyArray, Array: []Reply{
		bulkReply(strconv.AppendUint(nil, next, 10)),
		stringsReply(keys),
	}}
}

func cmdRandomKey(db *DB, args [][]byte) Reply {
	k, ok := db.RandomKey()
	return bulkOrNil([]byte(k), ok)
}

func cmdDBSize(db *DB, args [][]byte) Reply { return intReply(int64(db.DBSize())) }

// cmdFlush serves FLUSHALL and FLUSHDB [ASYNC|SYNC]: the Go collector frees
// memory in the background either way.
func cmdFlush(db *DB, args [][]byte) Reply {
	if len(args) > 2 || (len(args) == 2 && !is(args[1], "async") && !is(args[1], "sync")) {
		return replySyntax
	}
	db.FlushAll()
	return replyOK
}

func cmdPing(db *DB, args [][]byte) Reply {
	switch len(args) {
	case 1:
		return StatusReply("PONG")
	case 2:
		return bulkReply(args[1])
	}
	return ErrorReply("ERR wrong number of arguments for 'ping' command")
}

func cmdEcho(db *DB, args [][]byte) Reply { return bulkReply(args[1]) }

// keyCommands are the table entries of the generic key, expiry and keyspace commands.
var keyCommands = []*Command{
	cmd("del", -2, FlagWrite, allKeys, cmdDel),
	cmd("unlink", -2, FlagWrite|FlagFast, allKeys, cmdDel),
	cmd("exists", -2, FlagReadonly|FlagFast, allKeys, cmdExists),
	cmd("type", 2, FlagReadonly|FlagFast, oneKey, cmdType),
	cmd("rename", 3, FlagWrite, twoKeys, cmdRename(false)),
	cmd("renamenx", 3, FlagWrite|FlagFast, twoKeys, cmdRename(true)),
	cmd("copy", -3, FlagWrite|FlagDenyOOM, twoKeys, cmdCopy),
	cmd("expire", -3, FlagWrite|FlagFast, oneKey, cmdExpire(1000, false, "expire")),
	cmd("pexpire", -3, FlagWrite|FlagFast, oneKey, cmdExpire(1, false, "pexpire")),
	cmd("expireat", -3, FlagWrite|FlagFast, oneKey, cmdExpire(1000, true, "expireat")),
	cmd("pexpireat", -3, FlagWrite|FlagFast, oneKey, cmdExpire(1, true, "pexpireat")),
	cmd("persist", 2, FlagWrite|FlagFast, oneKey, cmdPersist),
	cmd("ttl", 2, FlagReadonly|FlagFast, oneKey, cmdTTL(ttlSeconds)),
	cmd("pttl", 2, FlagReadonly|FlagFast, oneKey, cmdTTL(ttlMillis)),
	cmd("expiretime", 2, FlagReadonly|FlagFast, oneKey, cmdTTL(expireTimeSeconds)),
	cmd("pexpiretime", 2, FlagReadonly|FlagFast, oneKey, cmdTTL(expireTimeMillis)),
	cmd("keys", 2, FlagReadonly, noKeys, cmdKeys),
	cmd("scan", -2, FlagReadonly, noKeys, cmdScan),
	cmd("randomkey", 1, FlagReadonly, noKeys, cmdRandomKey),
	cmd("dbsize", 1, FlagReadonly|FlagFast, noKeys, cmdDBSize),
	cmd("flushall", -1, FlagWrite, noKeys, cmdFlush),
	cmd("flushdb", -1, FlagWrite, noKeys, cmdFlush),
}
