package engine

import (
	"math"
	"strconv"
)

// Command handlers for the list type. Each parses its arguments with
// Redis's rules, in Redis's order (which decides which error wins), and
// calls the ...Locked core that the typed API in list.go uses too.

// listInt parses an index or count argument (Redis's getLongFromObject),
// saturated to int's range where int is narrower than 64 bits.
func listInt(arg []byte) (int, error) {
	n, err := parseInt(arg)
	if err != nil {
		return 0, err
	}
	return listClamp(n), nil
}

func listClamp(n int64) int {
	if strconv.IntSize == 32 {
		n = min(max(n, math.MinInt32), math.MaxInt32)
	}
	return int(n)
}

// listRangeInt parses an integer that must lie in [lo, hi]; any failure is
// msg (Redis's getRangeLongFromObjectOrReply with a message).
func listRangeInt(arg []byte, lo, hi int64, msg error) (int, error) {
	n, err := parseInt(arg)
	if err != nil || n < lo || n > hi {
		return 0, msg
	}
	return listClamp(n), nil
}

// parseListEnds parses LMOVE's (and BLMOVE's) wherefrom and whereto.
func parseListEnds(from, to []byte) (End, End, error) {
	f, err := parseListEnd(from)
	if err != nil {
		return 0, 0, err
	}
	t, err := parseListEnd(to)
	return f, t, err
}

// parseListEnd parses LEFT or RIGHT.
func parseListEnd(arg []byte) (End, error) {
	switch {
	case is(arg, "left"):
		return Left, nil
	case is(arg, "right"):
		return Right, nil
	}
	return 0, ErrSyntax
}

// cmdListPush serves LPUSH, RPUSH and (onlyIfExists) LPUSHX, RPUSHX.
func cmdListPush(end End, onlyIfExists bool) func(*DB, [][]byte) Reply {
	return func(db *DB, args [][]byte) Reply {
		if err := checkKey(str(args[1])); err != nil {
			return errReply(err)
		}
		n, err := db.pushLocked(db.key(str(args[1])), end, onlyIfExists, args[2:])
		if err != nil {
			return errReply(err)
		}
		return intReply(int64(n))
	}
}

// cmdListPop serves LPOP and RPOP: without a count a single element (or nil),
// with one an array (or a nil array for a missing key).
func cmdListPop(end End, name string) func(*DB, [][]byte) Reply {
	return func(db *DB, args [][]byte) Reply {
		if len(args) > 3 {
			return ErrorReply("ERR wrong number of arguments for '" + name + "' command")
		}
		k := db.key(str(args[1]))
		if len(args) == 2 {
			vs, _, err := db.popLocked(k, end, 1)
			if err != nil {
				return errReply(err)
			}
			if len(vs) == 0 {
				return replyNil
			}
			return bulkReply(vs[0])
		}
		count, err := listRangeInt(args[2], 0, math.MaxInt64, ErrNotPositive)
		if err != nil {
			return errReply(err)
		}
		vs, exists, err := db.popLocked(k, end, count)
		switch {
		case err != nil:
			return errReply(err)
		case !exists:
			return replyNilArr
		}
		return bulksReply(vs)
	}
}

func cmdLLen(db *DB, args [][]byte) Reply {
	n, err := db.llenLocked(db.key(str(args[1])))
	if err != nil {
		return errReply(err)
	}
	return intReply(int64(n))
}

// cmdLIndex looks the key up before parsing the index, as Redis does.
func cmdLIndex(db *DB, args [][]byte) Reply {
	r, l, err := readListLocked(db.key(str(args[1])))
	if r == 0 || err != nil {
		return replyNil.orError(err)
	}
	i, err := listInt(args[2])
	if err != nil {
		return errReply(err)
	}
	v, ok := l.Index(i)
	if !ok {
		return replyNil
	}
	return bulkReply(append(make([]byte, 0, len(v)), v...)) // l may change
}

// cmdLSet looks the key up before parsing the index, as Redis does.
func cmdLSet(db *DB, args [][]byte) Reply {
	k := db.key(str(args[1]))
	r, _, err := findListLocked(k)
	switch {
	case err != nil:
		return errReply(err)
	case r == 0:
		return errReply(ErrNoSuchKey)
	}
	i, err := listInt(args[2])
	if err != nil {
		return errReply(err)
	}
	return replyOK.orError(db.lsetLocked(k, i, args[3]))
}

func cmdLRange(db *DB, args [][]byte) Reply {
	start, err := listInt(args[2])
	if err != nil {
		return errReply(err)
	}
	stop, err := listInt(args[3])
	if err != nil {
		return errReply(err)
	}
	vs, err := db.lrangeLocked(db.key(str(args[1])), start, stop)
	if err != nil {
		return errReply(err)
	}
	return bulksReply(vs)
}

func cmdLInsert(db *DB, args [][]byte) Reply {
	var before bool
	switch {
	case is(args[2], "after"):
	case is(args[2], "before"):
		before = true
	default:
		return replySyntax
	}
	n, err := db.linsertLocked(db.key(str(args[1])), before, args[3], args[4])
	if err != nil {
		return errReply(err)
	}
	return intReply(int64(n))
}

func cmdLRem(db *DB, args [][]byte) Reply {
	count, err := listInt(args[2])
	if err != nil {
		return errReply(err)
	}
	n, err := db.lremLocked(db.key(str(args[1])), count, args[3])
	if err != nil {
		return errReply(err)
	}
	return intReply(int64(n))
}

func cmdLTrim(db *DB, args [][]byte) Reply {
	start, err := listInt(args[2])
	if err != nil {
		return errReply(err)
	}
	stop, err := listInt(args[3])
	if err != nil {
		return errReply(err)
	}
	return replyOK.orError(db.ltrimLocked(db.key(str(args[1])), start, stop))
}

// cmdLPos parses every option before looking the key up; a later repeat of
// an option wins. Without COUNT the reply is the first match (or nil), with
// it an array.
func cmdLPos(db *DB, args [][]byte) Reply {
	var a LPosArgs
	rank, hasCount := int64(1), false
	for j := 3; j < len(args); j++ {
		more := j+1 < len(args)
		var err error
		switch {
		case is(args[j], "rank") && more:
			j++
			if rank, err = parseInt(args[j]); err == nil && rank == 0 {
				err = ErrRankZero
			}
		case is(args[j], "count") && more:
			j++
			a.Count, err = listRangeInt(args[j], 0, math.MaxInt64, errListPosCountNegative)
			hasCount = true
		case is(args[j], "maxlen") && more:
			j++
			a.MaxLen, err = listRangeInt(args[j], 0, math.MaxInt64, errListPosMaxLenNeg)
		default:
			err = ErrSyntax
		}
		if err != nil {
			return errReply(err)
		}
	}
	a.Rank = listClamp(rank)
	if rank == math.MinInt64 {
		// Redis 7.0 negates RANK in a long: -LONG_MIN stays negative, so
		// the scan starts at the first match from the tail, and its COUNT
		// check overflows, so every match within MAXLEN is returned.
		a.Rank, a.Count = -1, 0
	}
	if !hasCount {
		a.Count = 1 // the first match only
	}
	pos, exists, err := db.lposLocked(db.key(str(args[1])), args[2], a)
	switch {
	case err != nil:
		return errReply(err)
	case hasCount:
		out := make([]Reply, len(pos))
		for i, p := range pos {
			out[i] = intReply(int64(p))
		}
		return Reply{Kind: ReplyArray, Array: out}
	case !exists || len(pos) == 0:
		return replyNil
	}
	return intReply(int64(pos[0]))
}

func cmdLMove(db *DB, args [][]byte) Reply {
	from, to, err := parseListEnds(args[3], args[4])
	if err != nil {
		return errReply(err)
	}
	return lmoveReply(db, args[1], args[2], from, to)
}

func cmdRPopLPush(db *DB, args [][]byte) Reply {
	return lmoveReply(db, args[1], args[2], Right, Left)
}

func lmoveReply(db *DB, src, dst []byte, from, to End) Reply {
	if err := checkKey(str(dst)); err != nil {
		return errReply(err)
	}
	v, ok, err := db.lmoveLocked(db.key(str(src)), db.key(str(dst)), from, to)
	if err != nil {
		return errReply(err)
	}
	return bulkOrNil(v, ok)
}

// cmdLMPop parses LMPOP numkeys key... LEFT|RIGHT [COUNT count]. Its keys
// depend on numkeys, so the table names none and it locks them itself.
func cmdLMPop(db *DB, args [][]byte) Reply {
	keys, from, count, err := parseLMPop(args)
	if err != nil {
		return errReply(err)
	}
	ls := db.lockKeys(keys...)
	defer ls.unlock()
	key, vs, err := db.lmpopLocked(keys, from, count)
	switch {
	case err != nil:
		return errReply(err)
	case vs == nil:
		return replyNilArr
	}
	return keyValuesReply(key, vs)
}

func keyValuesReply(key string, vs [][]byte) Reply {
	return Reply{Kind: ReplyArray, Array: []Reply{bulkReply([]byte(key)), bulksReply(vs)}}
}

// parseLMPop parses LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count]
// (args[0] is the name, or BLMPOP's timeout).
func parseLMPop(args [][]byte) (keys []string, from End, count int, err error) {
	numkeys, err := listRangeInt(args[1], 1, math.MaxInt64, ErrNumKeys)
	if err != nil {
		return nil, 0, 0, err
	}
	if int64(numkeys) >= int64(len(args))-2 { // no room for LEFT|RIGHT
		return nil, 0, 0, ErrSyntax
	}
	whereIdx := 2 + numkeys
	if from, err = parseListEnd(args[whereIdx]); err != nil {
		return nil, 0, 0, err
	}
	count = -1
	for j := whereIdx + 1; j < len(args); j++ {
		if count != -1 || !is(args[j], "count") || j+1 >= len(args) {
			return nil, 0, 0, ErrSyntax
		}
		j++
		if count, err = listRangeInt(args[j], 1, math.MaxInt64, errMPopCount); err != nil {
			return nil, 0, 0, err
		}
	}
	if count == -1 {
		count = 1
	}
	keys = make([]string, numkeys)
	for i := range keys {
		keys[i] = str(args[2+i])
	}
	return keys, from, count, nil
}

// listCommands are the table entries of the list commands.
var listCommands = []*Command{
	cmd("lpush", -3, FlagWrite|FlagDenyOOM|FlagFast, oneKey, cmdListPush(Left, false)),
	cmd("rpush", -3, FlagWrite|FlagDenyOOM|FlagFast, oneKey, cmdListPush(Right, false)),
	cmd("lpushx", -3, FlagWrite|FlagDenyOOM|FlagFast, oneKey, cmdListPush(Left, true)),
	cmd("rpushx", -3, FlagWrite|FlagDenyOOM|FlagFast, oneKey, cmdListPush(Right, true)),
	cmd("lpop", -2, FlagWrite|FlagFast, oneKey, cmdListPop(Left, "lpop")),
	cmd("rpop", -2, FlagWrite|FlagFast, oneKey, cmdListPop(Right, "rpop")),
	cmd("llen", 2, FlagReadonly|FlagFast, oneKey, cmdLLen),
	cmd("lindex", 3, FlagReadonly, oneKey, cmdLIndex),
	cmd("lset", 4, FlagWrite|FlagDenyOOM, oneKey, cmdLSet),
	cmd("lrange", 4, FlagReadonly, oneKey, cmdLRange),
	cmd("linsert", 5, FlagWrite|FlagDenyOOM, oneKey, cmdLInsert),
	cmd("lrem", 4, FlagWrite, oneKey, cmdLRem),
	cmd("ltrim", 4, FlagWrite, oneKey, cmdLTrim),
	cmd("lpos", -3, FlagReadonly, oneKey, cmdLPos),
	cmd("lmove", 5, FlagWrite|FlagDenyOOM, twoKeys, cmdLMove),
	cmd("rpoplpush", 3, FlagWrite|FlagDenyOOM, twoKeys, cmdRPopLPush),
	cmd("lmpop", -4, FlagWrite, noKeys, cmdLMPop),
}
