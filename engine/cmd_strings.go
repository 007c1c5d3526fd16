package engine

// Command handlers for strings. Each parses its arguments with Redis's rules
// and calls the ...Locked core that the typed API uses too.

// parseSetOptions parses SET's (getex false) or GETEX's (getex true) options
// the way Redis's parseExtendedStringArgumentsOrReply does: conflicting
// options are a syntax error; repeating one is allowed. The expiry's number
// is returned unparsed (nil if none): SET checks it at once, GETEX only
// after finding the key.
func parseSetOptions(opts [][]byte, getex bool) (op setOp, exp *expireArg, err error) {
	const (
		fNX = 1 << iota
		fXX
		fKeep
		fPersist
		fEX
		fPX
		fEXAT
		fPXAT
	)
	flags := 0
	if getex {
		op.ttl = ttlKeep
	}
	timeFlags := fEX | fPX | fEXAT | fPXAT
	for j := 0; j < len(opts); j++ {
		o := opts[j]
		hasNext := j+1 < len(opts)
		switch {
		case !getex && is(o, "nx") && flags&fXX == 0:
			flags |= fNX
		case !getex && is(o, "xx") && flags&fNX == 0:
			flags |= fXX
		case !getex && is(o, "get"):
			op.get = true
		case !getex && is(o, "keepttl") && flags&(fPersist|timeFlags) == 0:
			flags |= fKeep
		case getex && is(o, "persist") && flags&(fKeep|timeFlags) == 0:
			flags |= fPersist
		case is(o, "ex") && hasNext && flags&(fKeep|fPersist|timeFlags&^fEX) == 0:
			flags |= fEX
			exp = &expireArg{1000, false, opts[j+1]}
			j++
		case is(o, "px") && hasNext && flags&(fKeep|fPersist|timeFlags&^fPX) == 0:
			flags |= fPX
			exp = &expireArg{1, false, opts[j+1]}
			j++
		case is(o, "exat") && hasNext && flags&(fKeep|fPersist|timeFlags&^fEXAT) == 0:
			flags |= fEXAT
			exp = &expireArg{1000, true, opts[j+1]}
			j++
		case is(o, "pxat") && hasNext && flags&(fKeep|fPersist|timeFlags&^fPXAT) == 0:
			flags |= fPXAT
			exp = &expireArg{1, true, opts[j+1]}
			j++
		default:
			return op, nil, ErrSyntax
		}
	}
	switch {
	case flags&fNX != 0:
		op.cond = condNX
	case flags&fXX != 0:
		op.cond = condXX
	}
	switch {
	case flags&timeFlags != 0:
		op.ttl = ttlSet
	case flags&fKeep != 0:
		op.ttl = ttlKeep
	case flags&fPersist != 0:
		op.ttl = ttlClear
	}
	return op, exp, nil
}

func cmdGet(db *DB, args [][]byte) Reply {
	v, ok, err := db.getLocked(db.key(str(args[1])))
	if err != nil {
		return errReply(err)
	}
	return bulkOrNil(v, ok)
}

func cmdSet(db *DB, args [][]byte) Reply {
	op, exp, err := parseSetOptions(args[3:], false)
	if err == nil && exp != nil {
		op.at, err = exp.toAt(db, "set")
	}
	if err != nil {
		return errReply(err)
	}
	return setReply(db, args[1], args[2], op)
}

func setReply(db *DB, key, val []byte, op setOp) Reply {
	if err := checkKey(str(key)); err != nil {
		return errReply(err)
	}
	res, err := db.setLocked(db.key(str(key)), prepareString(str(key), val), op)
	switch {
	case err != nil:
		return errReply(err)
	case op.get:
		return bulkOrNil(res.Old, res.Existed)
	case !res.Written:
		return replyNil
	}
	return replyOK
}

func cmdSetNX(db *DB, args [][]byte) Reply {
	if err := checkKey(str(args[1])); err != nil {
		return errReply(err)
	}
	res, err := db.setLocked(db.key(str(args[1])), prepareString(str(args[1]), args[2]), setOp{cond: condNX})
	if err != nil {
		return errReply(err)
	}
	return boolReply(res.Written)
}

// cmdSetEX serves SETEX (unitMs 1000) and PSETEX (unitMs 1).
func cmdSetEX(unitMs int64, name string) func(*DB, [][]byte) Reply {
	return func(db *DB, args [][]byte) Reply {
		at, err := expireArg{unitMs: unitMs, arg: args[2]}.toAt(db, name)
		if err != nil {
			return errReply(err)
		}
		return setReply(db, args[1], args[3], setOp{ttl: ttlSet, at: at})
	}
}

func cmdGetSet(db *DB, args [][]byte) Reply {
	return setReply(db, args[1], args[2], setOp{get: true})
}

func cmdGetDel(db *DB, args [][]byte) Reply {
	v, ok, err := db.getDelLocked(db.key(str(args[1])))
	if err != nil {
		return errReply(err)
	}
	return bulkOrNil(v, ok)
}

// cmdGetEx checks in Redis's order: options, then the key and its type,
// then the expiry's number.
func cmdGetEx(db *DB, args [][]byte) Reply {
	op, exp, err := parseSetOptions(args[2:], true)
	if err != nil {
		return errReply(err)
	}
	k := db.key(str(args[1]))
	v, ok, err := db.getLocked(k)
	if err != nil || !ok {
		return bulkOrNil(v, ok).orError(err)
	}
	if exp != nil {
		if op.at, err = exp.toAt(db, "getex"); err != nil {
			return errReply(err)
		}
	}
	db.getExTTLLocked(k, op.ttl, op.at)
	return bulkReply(v)
}

func cmdMGet(db *DB, args [][]byte) Reply {
	keys := make([]string, len(args)-1)
	for i, a := range args[1:] {
		keys[i] = str(a)
	}
	vals := db.mgetLocked(keys)
	out := make([]Reply, len(vals))
	for i, v := range vals {
		out[i] = bulkOrNil(v, v != nil)
	}
	return Reply{Kind: ReplyArray, Array: out}
}

// cmdMSet serves MSET and MSETNX.
func cmdMSet(nx bool, name string) func(*DB, [][]byte) Reply {
	return func(db *DB, args [][]byte) Reply {
		if len(args)%2 != 1 {
			return ErrorReply("ERR wrong number of arguments for '" + name + "' command")
		}
		kvs := make([]KV, 0, len(args)/2)
		for i := 1; i < len(args); i += 2 {
			if err := checkKey(str(args[i])); err != nil {
				return errReply(err)
			}
			kvs = append(kvs, KV{str(args[i]), args[i+1]})
		}
		ok := db.msetLocked(kvs, nx)
		if nx {
			return boolReply(ok)
		}
		return replyOK
	}
}

// cmdIncrBy serves INCR, DECR (delta from sign, no argument), INCRBY and
// DECRBY (delta argument times sign).
func cmdIncrBy(sign int64, hasArg bool) func(*DB, [][]byte) Reply {
	return func(db *DB, args [][]byte) Reply {
		delta := sign
		if hasArg {
			n, err := parseInt(args[2])
			if err != nil {
				return errReply(err)
			}
			if sign < 0 {
				if n == -1<<63 {
					return errReply(ErrDecrementOverflow)
				}
				n = -n
			}
			delta = n
		}
		if err := checkKey(str(args[1])); err != nil {
			return errReply(err)
		}
		n, err := db.incrByLocked(db.key(str(args[1])), delta)
		if err != nil {
			return errReply(err)
		}
		return intReply(n)
	}
}

func cmdAppend(db *DB, args [][]byte) Reply {
	if err := checkKey(str(args[1])); err != nil {
		return errReply(err)
	}
	n, err := db.appendLocked(db.key(str(args[1])), args[2])
	if err != nil {
		return errReply(err)
	}
	return intReply(int64(n))
}

func cmdStrlen(db *DB, args [][]byte) Reply {
	n, err := db.strlenLocked(db.key(str(args[1])))
	if err != nil {
		return errReply(err)
	}
	return intReply(int64(n))
}

func cmdGetRange(db *DB, args [][]byte) Reply {
	start, err := parseInt(args[2])
	if err != nil {
		return errReply(err)
	}
	end, err := parseInt(args[3])
	if err != nil {
		return errReply(err)
	}
	v, err := db.getRangeLocked(db.key(str(args[1])), start, end)
	if err != nil {
		return errReply(err)
	}
	return bulkReply(v)
}

func cmdSetRange(db *DB, args [][]byte) Reply {
	off, err := parseInt(args[2])
	if err != nil {
		return errReply(err)
	}
	if err := checkKey(str(args[1])); err != nil {
		return errReply(err)
	}
	n, err := db.setRangeLocked(db.key(str(args[1])), off, args[3])
	if err != nil {
		return errReply(err)
	}
	return intReply(int64(n))
}

// stringCommands are the table entries of the string commands.
var stringCommands = []*Command{
	cmd("get", 2, FlagReadonly|FlagFast, oneKey, cmdGet),
	cmd("set", -3, FlagWrite|FlagDenyOOM, oneKey, cmdSet),
	cmd("setnx", 3, FlagWrite|FlagDenyOOM|FlagFast, oneKey, cmdSetNX),
	cmd("setex", 4, FlagWrite|FlagDenyOOM, oneKey, cmdSetEX(1000, "setex")),
	cmd("psetex", 4, FlagWrite|FlagDenyOOM, oneKey, cmdSetEX(1, "psetex")),
	cmd("getset", 3, FlagWrite|FlagDenyOOM|FlagFast, oneKey, cmdGetSet),
	cmd("getdel", 2, FlagWrite|FlagFast, oneKey, cmdGetDel),
	cmd("getex", -2, FlagWrite|FlagFast, oneKey, cmdGetEx),
	cmd("mget", -2, FlagReadonly|FlagFast, allKeys, cmdMGet),
	cmd("mset", -3, FlagWrite|FlagDenyOOM, keyValuePairs, cmdMSet(false, "mset")),
	cmd("msetnx", -3, FlagWrite|FlagDenyOOM, keyValuePairs, cmdMSet(true, "msetnx")),
	cmd("incr", 2, FlagWrite|FlagDenyOOM|FlagFast, oneKey, cmdIncrBy(1, false)),
	cmd("decr", 2, FlagWrite|FlagDenyOOM|FlagFast, oneKey, cmdIncrBy(-1, false)),
	cmd("incrby", 3, FlagWrite|FlagDenyOOM|FlagFast, oneKey, cmdIncrBy(1, true)),
	cmd("decrby", 3, FlagWrite|FlagDenyOOM|FlagFast, oneKey, cmdIncrBy(-1, true)),
	cmd("incrbyfloat", 3, FlagWrite|FlagDenyOOM|FlagFast, oneKey, cmdIncrByFloat),
	cmd("append", 3, FlagWrite|FlagDenyOOM, oneKey, cmdAppend),
	cmd("strlen", 2, FlagReadonly|FlagFast, oneKey, cmdStrlen),
	cmd("getrange", 4, FlagReadonly, oneKey, cmdGetRange),
	cmd("substr", 4, FlagReadonly, oneKey, cmdGetRange),
	cmd("setrange", 4, FlagWrite|FlagDenyOOM, oneKey, cmdSetRange),
}
