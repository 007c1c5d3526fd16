package engine

import (
	"math"
	"strconv"

	"github.com/jackdawdb/jackdaw/structures"
)

// Command handlers for the set type. Each parses its arguments with Redis's
// rules, in Redis's order of checks, and calls the ...Locked core that the
// typed API in set.go uses too.

func setBoolsReply(bs []bool) Reply {
	out := make([]Reply, len(bs))
	for i, b := range bs {
		out[i] = boolReply(b)
	}
	return Reply{Kind: ReplyArray, Array: out}
}

// setKeyNames views args as key names (valid while args are unchanged).
func setKeyNames(args [][]byte) []string {
	keys := make([]string, len(args))
	for i, a := range args {
		keys[i] = str(a)
	}
	return keys
}

func cmdSAdd(db *DB, args [][]byte) Reply {
	if err := checkKey(str(args[1])); err != nil {
		return errReply(err)
	}
	n, err := db.saddLocked(db.key(str(args[1])), args[2:])
	return intReply(int64(n)).orError(err)
}

func cmdSRem(db *DB, args [][]byte) Reply {
	n, err := db.sremLocked(db.key(str(args[1])), args[2:])
	return intReply(int64(n)).orError(err)
}

func cmdSCard(db *DB, args [][]byte) Reply {
	n, err := db.scardLocked(db.key(str(args[1])))
	return intReply(int64(n)).orError(err)
}

func cmdSIsMember(db *DB, args [][]byte) Reply {
	ok, err := db.smismemberLocked(db.key(str(args[1])), args[2:3])
	if err != nil {
		return errReply(err)
	}
	return boolReply(ok[0])
}

func cmdSMIsMember(db *DB, args [][]byte) Reply {
	ok, err := db.smismemberLocked(db.key(str(args[1])), args[2:])
	if err != nil {
		return errReply(err)
	}
	return setBoolsReply(ok)
}

func cmdSMembers(db *DB, args [][]byte) Reply {
	ms, err := db.smembersLocked(db.key(str(args[1])))
	if err != nil {
		return errReply(err)
	}
	return bulksReply(ms)
}

// cmdSPop: without a count a bulk reply (nil if the key does not exist),
// with one an array. The count is checked before the key.
func cmdSPop(db *DB, args [][]byte) Reply {
	switch {
	case len(args) > 3:
		return replySyntax
	case len(args) == 3:
		n, err := parseInt(args[2])
		if err != nil || n < 0 {
			return errReply(ErrNotPositive)
		}
		ms, err := db.spopLocked(db.key(str(args[1])), int(n))
		if err != nil {
			return errReply(err)
		}
		return bulksReply(ms)
	}
	ms, err := db.spopLocked(db.key(str(args[1])), 1)
	if err != nil {
		return errReply(err)
	}
	if len(ms) == 0 {
		return replyNil
	}
	return bulkReply(ms[0])
}

// cmdSRandMember: without a count a bulk reply (nil if the key does not
// exist), with one an array. The count is checked before the key.
func cmdSRandMember(db *DB, args [][]byte) Reply {
	switch {
	case len(args) > 3:
		return replySyntax
	case len(args) == 3:
		n, err := parseInt(args[2])
		switch {
		case err != nil:
			return errReply(err)
		case n == math.MinInt64:
			return errReply(errSetRandCountRange)
		case n < -maxRandomCount:
			return errReply(errRandomCountTooLarge)
		}
		ms, err := db.srandmemberLocked(db.key(str(args[1])), int(n))
		if err != nil {
			return errReply(err)
		}
		return bulksReply(ms)
	}
	ms, err := db.srandmemberLocked(db.key(str(args[1])), 1)
	if err != nil {
		return errReply(err)
	}
	if len(ms) == 0 {
		return replyNil
	}
	return bulkReply(ms[0])
}

func cmdSMove(db *DB, args [][]byte) Reply {
	if err := checkKey(str(args[2])); err != nil {
		return errReply(err)
	}
	ok, err := db.smoveLocked(db.key(str(args[1])), db.key(str(args[2])), args[3])
	if err != nil {
		return errReply(err)
	}
	return boolReply(ok)
}

// cmdSetAlgebra serves SINTER, SUNION and SDIFF.
func cmdSetAlgebra(op setAlgebraOp) func(*DB, [][]byte) Reply {
	return func(db *DB, args [][]byte) Reply {
		ms, err := db.setAlgebraMembersLocked(op, setKeyNames(args[1:]))
		if err != nil {
			return errReply(err)
		}
		return bulksReply(ms)
	}
}

// cmdSetAlgebraStore serves SINTERSTORE, SUNIONSTORE and SDIFFSTORE.
func cmdSetAlgebraStore(op setAlgebraOp) func(*DB, [][]byte) Reply {
	return func(db *DB, args [][]byte) Reply {
		if err := checkKey(str(args[1])); err != nil {
			return errReply(err)
		}
		n, err := db.setAlgebraStoreLocked(op, str(args[1]), setKeyNames(args[2:]))
		return intReply(int64(n)).orError(err)
	}
}

// cmdSInterCard: SINTERCARD numkeys key [key ...] [LIMIT limit]. Its keys
// depend on numkeys, so the table gives none and the handler locks them.
func cmdSInterCard(db *DB, args [][]byte) Reply {
	nk, err := parseInt(args[1])
	if err != nil || nk < 1 {
		return errReply(ErrNumKeys)
	}
	if nk > int64(len(args)-2) {
		return errReply(errSetNumKeysArgs)
	}
	keys := setKeyNames(args[2 : 2+nk])
	limit := int64(0)
	for j := 2 + int(nk); j < len(args); j++ {
		if !is(args[j], "limit") || j+1 >= len(args) {
			return replySyntax
		}
		j++
		if limit, err = parseInt(args[j]); err != nil || limit < 0 {
			return errReply(errSetLimitNegative)
		}
	}
	ls := db.lockKeys(keys...)
	defer ls.unlock()
	n, err := db.sinterCardLocked(keys, int(limit))
	return intReply(int64(n)).orError(err)
}

// cmdSScan checks in Redis's order: the cursor, then the key (a missing key
// ends the scan before the options are read) and its type, then the
// options.
func cmdSScan(db *DB, args [][]byte) Reply {
	cursor, err := parseCursor(args[2])
	if err != nil {
		return errReply(err)
	}
	k := db.key(str(args[1]))
	_, s, err := readObjectLocked[*structures.Set](k, TypeSet)
	if err != nil {
		return errReply(err)
	}
	if s == nil {
		return setScanReply(0, nil)
	}
	o, err := parseScanOptions(args[3:], false)
	if err != nil {
		return errReply(err)
	}
	ms, next := sscanLocked(s, cursor, o.Match, o.Count)
	return setScanReply(next, ms)
}

// setScanReply is a ...SCAN reply: the next cursor and the elements.
func setScanReply(next uint64, elems [][]byte) Reply {
	return Reply{Kind: ReplyArray, Array: []Reply{
		bulkReply(strconv.AppendUint(nil, next, 10)),
		bulksReply(elems),
	}}
}

// setCommands are the table entries of the set commands.
var setCommands = []*Command{
	cmd("sadd", -3, FlagWrite|FlagDenyOOM|FlagFast, oneKey, cmdSAdd),
	cmd("srem", -3, FlagWrite|FlagFast, oneKey, cmdSRem),
	cmd("smove", 4, FlagWrite|FlagFast, twoKeys, cmdSMove),
	cmd("sismember", 3, FlagReadonly|FlagFast, oneKey, cmdSIsMember),
	cmd("smismember", -3, FlagReadonly|FlagFast, oneKey, cmdSMIsMember),
	cmd("scard", 2, FlagReadonly|FlagFast, oneKey, cmdSCard),
	cmd("spop", -2, FlagWrite|FlagFast, oneKey, cmdSPop),
	cmd("srandmember", -2, FlagReadonly, oneKey, cmdSRandMember),
	cmd("smembers", 2, FlagReadonly, oneKey, cmdSMembers),
	cmd("sinter", -2, FlagReadonly, allKeys, cmdSetAlgebra(setOpInter)),
	cmd("sunion", -2, FlagReadonly, allKeys, cmdSetAlgebra(setOpUnion)),
	cmd("sdiff", -2, FlagReadonly, allKeys, cmdSetAlgebra(setOpDiff)),
	cmd("sinterstore", -3, FlagWrite|FlagDenyOOM, allKeys, cmdSetAlgebraStore(setOpInter)),
	cmd("sunionstore", -3, FlagWrite|FlagDenyOOM, allKeys, cmdSetAlgebraStore(setOpUnion)),
	cmd("sdiffstore", -3, FlagWrite|FlagDenyOOM, allKeys, cmdSetAlgebraStore(setOpDiff)),
	cmd("sintercard", -3, FlagReadonly, noKeys, cmdSInterCard),
	cmd("sscan", -3, FlagReadonly, oneKey, cmdSScan),
}
