package engine

import (
	"math"

	"github.com/jackdawdb/jackdaw/engine/internal/numconv"
	"github.com/jackdawdb/jackdaw/structures"
)

// Command handlers for the zset type. Each parses its arguments with
// Redis's rules, in Redis's order (so that the first error is Redis's),
// and calls the ...Locked core that the typed API uses too.

// scoreReply is a score as Redis 7.0 replies it.
func scoreReply(f float64) Reply {
	return Reply{Kind: ReplyBulk, Bulk: numconv.AppendDouble(nil, f)}
}

// membersReply is a flat array of members, each followed by its score if
// withScores.
func membersReply(ms []ZMember, withScores bool) Reply {
	n := len(ms)
	if withScores {
		n *= 2
	}
	a := make([]Reply, 0, n)
	for _, m := range ms {
		a = append(a, Reply{Kind: ReplyBulk, Bulk: bytesOf(m.Member)})
		if withScores {
			a = append(a, scoreReply(m.Score))
		}
	}
	return Reply{Kind: ReplyArray, Array: a}
}

// parseScore parses a score or increment as Redis's getDoubleFromObject.
func parseScore(b []byte) (float64, error) {
	f, ok := numconv.ParseFloat(b)
	if !ok {
		return 0, ErrNotFloat
	}
	return f, nil
}

func strs(args [][]byte) []string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = str(a)
	}
	return out
}

// cmdZAdd serves ZADD and, with incrOnly, ZINCRBY.
func cmdZAdd(incrOnly bool) func(*DB, [][]byte) Reply {
	return func(db *DB, args [][]byte) Reply {
		var a ZAddArgs
		incr := incrOnly
		j := 2
	options:
		for ; !incrOnly && j < len(args); j++ {
			switch o := args[j]; {
			case is(o, "nx"):
				a.NX = true
			case is(o, "xx"):
				a.XX = true
			case is(o, "gt"):
				a.GT = true
			case is(o, "lt"):
				a.LT = true
			case is(o, "ch"):
				a.CH = true
			case is(o, "incr"):
				incr = true
			default:
				break options
			}
		}
		elems := len(args) - j
		if elems == 0 || elems%2 != 0 {
			return replySyntax
		}
		if err := a.check(); err != nil {
			return errReply(err)
		}
		if incr && elems > 2 {
			return errReply(ErrZAddIncrPairs)
		}
		ms := make([]ZMember, elems/2)
		for i := range ms {
			s, err := parseScore(args[j+2*i])
			if err != nil {
				return errReply(err)
			}
			ms[i].Score = s
		}
		if err := checkKey(str(args[1])); err != nil {
			return errReply(err)
		}
		k := db.key(str(args[1]))
		if r, _, err := findObjectLocked[*structures.ZSet](k, TypeZSet); err != nil || (r == 0 && a.XX) {
			if err != nil {
				return errReply(err)
			}
			if incr {
				return replyNil
			}
			return replyZero
		}
		for i := range ms {
			ms[i].Member = string(args[j+2*i+1]) // copied: args are not retained
		}
		res, err := db.zaddLocked(k, a, incr, ms)
		switch {
		case err != nil:
			return errReply(err)
		case incr && res.processed == 0:
			return replyNil
		case incr:
			return scoreReply(res.score)
		case a.CH:
			return intReply(int64(res.added + res.updated))
		}
		return intReply(int64(res.added))
	}
}

func cmdZRem(db *DB, args [][]byte) Reply {
	n, err := db.zremLocked(db.key(str(args[1])), strs(args[2:]))
	return intReply(int64(n)).orError(err)
}

func cmdZCard(db *DB, args [][]byte) Reply {
	n, err := db.zcardLocked(db.key(str(args[1])))
	return intReply(int64(n)).orError(err)
}

func cmdZScore(db *DB, args [][]byte) Reply {
	s, ok, err := db.zmscoreLocked(db.key(str(args[1])), strs(args[2:3]))
	if err != nil {
		return errReply(err)
	}
	if !ok[0] {
		return replyNil
	}
	return scoreReply(s[0])
}

func cmdZMScore(db *DB, args [][]byte) Reply {
	s, ok, err := db.zmscoreLocked(db.key(str(args[1])), strs(args[2:]))
	if err != nil {
		return errReply(err)
	}
	a := make([]Reply, len(s))
	for i := range s {
		if ok[i] {
			a[i] = scoreReply(s[i])
		}
	}
	return Reply{Kind: ReplyArray, Array: a}
}

func cmdZCount(db *DB, args [][]byte) Reply {
	r, err := structures.ParseScoreRange(args[2], args[3])
	if err != nil {
		return errReply(err)
	}
	z, err := readZSetLocked(db.key(str(args[1])))
	if z == nil {
		return replyZero.orError(err)
	}
	return intReply(int64(z.CountByScore(r)))
}

func cmdZLexCount(db *DB, args [][]byte) Reply {
	r, err := structures.ParseLexRange(args[2], args[3])
	if err != nil {
		return errReply(err)
	}
	z, err := readZSetLocked(db.key(str(args[1])))
	if z == nil {
		return replyZero.orError(err)
	}
	return intReply(int64(z.CountByLex(r)))
}

func cmdZRank(rev bool) func(*DB, [][]byte) Reply {
	return func(db *DB, args [][]byte) Reply {
		r, ok, err := db.zrankLocked(db.key(str(args[1])), str(args[2]), rev)
		if err != nil || !ok {
			return replyNil.orError(err)
		}
		return intReply(int64(r))
	}
}

// zrangeCmd says which command of the ZRANGE family is parsed.
type zrangeCmd struct {
	by    ZRangeBy // preset kind (ZRANGEBYSCORE...); with auto, ZRANGE's default
	auto  bool     // ZRANGE/ZRANGESTORE: BYSCORE/BYLEX/REV allowed
	rev   bool     // preset direction
	store bool
}

// parseZRange parses args[0] = src, min, max, options... the way Redis's
// zrangeGenericCommand does, errors in its order.
func parseZRange(args [][]byte, c zrangeCmd) (q zrangeQuery, withScores bool, err error) {
	by, byAuto := c.by, c.auto
	rev, revAuto := c.rev, c.auto
	offset, limit := int64(0), int64(-1)
	for j := 3; j < len(args); j++ {
		left := len(args) - j - 1
		switch o := args[j]; {
		case !c.store && is(o, "withscores"):
			withScores = true
		case is(o, "limit") && left >= 2:
			if offset, err = parseInt(args[j+1]); err != nil {
				return q, false, err
			}
			if limit, err = parseInt(args[j+2]); err != nil {
				return q, false, err
			}
			j += 2
		case revAuto && is(o, "rev"):
			rev, revAuto = true, false
		case byAuto && is(o, "bylex"):
			by, byAuto = ZByLex, false
		case byAuto && is(o, "byscore"):
			by, byAuto = ZByScore, false
		default:
			return q, false, ErrSyntax
		}
	}
	if limit != -1 && by == ZByRank {
		return q, false, errorText("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX")
	}
	if withScores && by == ZByLex {
		return q, false, errorText("ERR syntax error, WITHSCORES not supported in combination with BYLEX")
	}
	lo, hi := args[1], args[2]
	if rev && by != ZByRank {
		lo, hi = hi, lo
	}
	q.By, q.Rev = by, rev
	q.Offset, q.limit = int(offset), int(limit)
	switch by {
	case ZByRank:
		var start, stop int64
		if start, err = parseInt(lo); err != nil {
			return q, false, err
		}
		if stop, err = parseInt(hi); err != nil {
			return q, false, err
		}
		q.Start, q.Stop = int(start), int(stop)
		q.Offset, q.limit = 0, -1
	case ZByScore:
		q.Score, err = structures.ParseScoreRange(lo, hi)
	case ZByLex:
		q.Lex, err = structures.ParseLexRange(lo, hi)
	}
	return q, withScores, err
}

// errorText is an error with a fixed wire text.
type errorText string

func (e errorText) Error() string { return string(e) }

func cmdZRange(c zrangeCmd) func(*DB, [][]byte) Reply {
	return func(db *DB, args [][]byte) Reply {
		q, ws, err := parseZRange(args[1:], c)
		if err != nil {
			return errReply(err)
		}
		z, err := readZSetLocked(db.key(str(args[1])))
		if z == nil {
			return emptyArray.orError(err)
		}
		return membersReply(zrangeOf(z, q), ws)
	}
}

func cmdZRangeStore(db *DB, args [][]byte) Reply {
	q, _, err := parseZRange(args[2:], zrangeCmd{auto: true, store: true})
	if err != nil {
		return errReply(err)
	}
	if err := checkKey(str(args[1])); err != nil {
		return errReply(err)
	}
	n, err := db.zrangeStoreLocked(db.key(str(args[1])), db.key(str(args[2])), q)
	return intReply(int64(n)).orError(err)
}

// cmdZRemRange serves ZREMRANGEBYRANK, ZREMRANGEBYSCORE and ZREMRANGEBYLEX.
func cmdZRemRange(by ZRangeBy) func(*DB, [][]byte) Reply {
	return func(db *DB, args [][]byte) Reply {
		s := ZRangeSpec{By: by}
		var err error
		switch by {
		case ZByRank:
			var start, stop int64
			if start, err = parseInt(args[2]); err == nil {
				stop, err = parseInt(args[3])
			}
			s.Start, s.Stop = int(start), int(stop)
		case ZByScore:
			s.Score, err = structures.ParseScoreRange(args[2], args[3])
		case ZByLex:
			s.Lex, err = structures.ParseLexRange(args[2], args[3])
		}
		if err != nil {
			return errReply(err)
		}
		n, err := db.zremRangeLocked(db.key(str(args[1])), s)
		return intReply(int64(n)).orError(err)
	}
}

// cmdZPop serves ZPOPMIN and ZPOPMAX (RESP2: a flat array).
func cmdZPop(max bool) func(*DB, [][]byte) Reply {
	return func(db *DB, args [][]byte) Reply {
		if len(args) > 3 {
			return replySyntax
		}
		count := int64(1)
		if len(args) == 3 {
			n, ok := numconv.ParseInt(args[2])
			if !ok || n < 0 {
				return errReply(ErrNotPositive)
			}
			count = n
		}
		_, out, err := db.zpopLocked([]dbKey{db.key(str(args[1]))}, int(count), max)
		if err != nil {
			return errReply(err)
		}
		return membersReply(out, true)
	}
}

func cmdZMPop(db *DB, args [][]byte) Reply {
	keys, max, count, err := parseZMPop(args)
	if err != nil {
		return errReply(err)
	}
	ls := db.lockKeys(keys...)
	defer ls.unlock()
	i, out, err := db.zpopLocked(db.dbKeys(keys), count, max)
	switch {
	case err != nil:
		return errReply(err)
	case i < 0:
		return replyNilArr
	}
	return keyMembersReply(keys[i], out)
}

// keyMembersReply is ZMPOP's reply: the key, then [member, score] pairs.
func keyMembersReply(key string, out []ZMember) Reply {
	a := make([]Reply, len(out))
	for j, m := range out {
		a[j] = Reply{Kind: ReplyArray, Array: []Reply{{Kind: ReplyBulk, Bulk: []byte(m.Member)}, scoreReply(m.Score)}}
	}
	return Reply{Kind: ReplyArray, Array: []Reply{{Kind: ReplyBulk, Bulk: []byte(key)}, {Kind: ReplyArray, Array: a}}}
}

// parseZMPop parses ZMPOP numkeys key [key ...] MIN|MAX [COUNT count]
// (args[0] is the name, or BZMPOP's timeout).
func parseZMPop(args [][]byte) (keys []string, max bool, count int, err error) {
	n, ok := numconv.ParseInt(args[1])
	if !ok || n < 1 {
		return nil, false, 0, ErrNumKeys
	}
	if n >= int64(len(args))-2 {
		return nil, false, 0, ErrSyntax
	}
	whereIdx := 2 + int(n)
	switch {
	case is(args[whereIdx], "min"):
	case is(args[whereIdx], "max"):
		max = true
	default:
		return nil, false, 0, ErrSyntax
	}
	c := int64(-1)
	for j := whereIdx + 1; j < len(args); j++ {
		if c == -1 && is(args[j], "count") && j+1 < len(args) {
			j++
			v, ok := numconv.ParseInt(args[j])
			if !ok || v < 1 {
				return nil, false, 0, errMPopCount
			}
			c = v
		} else {
			return nil, false, 0, ErrSyntax
		}
	}
	if c == -1 {
		c = 1
	}
	return strs(args[2:whereIdx]), max, int(min(c, math.MaxInt32)), nil
}

// zsetOpCmd says which of ZUNION, ZINTER, ZDIFF, their STORE forms and
// ZINTERCARD is parsed.
type zsetOpCmd struct {
	op    zsetOp
	store bool
	card  bool
	name  string
}

// cmdZSetOp serves the set operations, as Redis's
// zunionInterDiffGenericCommand: numkeys, then the keys' types, then the
// options. Their keys depend on numkeys, so the handler locks them itself.
func cmdZSetOp(c zsetOpCmd) func(*DB, [][]byte) Reply {
	return func(db *DB, args [][]byte) Reply {
		numIdx := 1
		if c.store {
			numIdx = 2
		}
		n, err := parseInt(args[numIdx])
		if err != nil {
			return errReply(err)
		}
		if n < 1 {
			return errReply(errNoInputKeys(c.name))
		}
		if n > int64(len(args)-numIdx-1) {
			return replySyntax
		}
		keys := strs(args[numIdx+1 : numIdx+1+int(n)])
		a, withScores, limit, optErr := parseZSetOpOptions(args[numIdx+1+int(n):], c, len(keys))
		if c.store {
			if err := checkKey(str(args[1])); err != nil {
				return errReply(err)
			}
			keys = append(keys, str(args[1]))
		}
		ls := db.lockKeys(keys...)
		defer ls.unlock()
		if c.store {
			keys = keys[:len(keys)-1]
		}
		src, err := zsetSourcesLocked(db, keys, !c.store)
		if err != nil {
			return errReply(err)
		}
		if optErr != nil {
			return errReply(optErr)
		}
		z := zsetOpOf(c.op, src, a, limit)
		switch {
		case c.card:
			return intReply(int64(z.Len()))
		case c.store:
			return intReply(int64(db.zsetStoreLocked(c.op, db.key(str(args[1])), z)))
		}
		out := make([]ZMember, 0, z.Len())
		for m, s := range z.All() {
			out = append(out, ZMember{Member: m, Score: s})
		}
		return membersReply(out, withScores)
	}
}

func parseZSetOpOptions(opts [][]byte, c zsetOpCmd, nkeys int) (a ZSetOpArgs, withScores bool, limit int, err error) {
	agg := c.op != zopDiff && !c.card
	for j := 0; j < len(opts); {
		left := len(opts) - j
		switch o := opts[j]; {
		case agg && left >= nkeys+1 && is(o, "weights"):
			j++
			a.Weights = make([]float64, nkeys)
			for i := range nkeys {
				w, ok := numconv.ParseFloat(opts[j])
				if !ok {
					return a, false, 0, errorText("ERR weight value is not a float")
				}
				a.Weights[i] = w
				j++
			}
		case agg && left >= 2 && is(o, "aggregate"):
			switch v := opts[j+1]; {
			case is(v, "sum"):
				a.Aggregate = ZAggSum
			case is(v, "min"):
				a.Aggregate = ZAggMin
			case is(v, "max"):
				a.Aggregate = ZAggMax
			default:
				return a, false, 0, ErrSyntax
			}
			j += 2
		case !c.store && !c.card && is(o, "withscores"):
			withScores = true
			j++
		case c.card && left >= 2 && is(o, "limit"):
			n, ok := numconv.ParseInt(opts[j+1])
			if !ok || n < 0 {
				return a, false, 0, errorText("ERR LIMIT can't be negative")
			}
			limit = int(n)
			j += 2
		default:
			return a, false, 0, ErrSyntax
		}
	}
	return a, withScores, limit, nil
}

func cmdZRandMember(db *DB, args [][]byte) Reply {
	k := db.key(str(args[1]))
	if len(args) == 2 {
		z, err := readZSetLocked(k)
		if z == nil {
			return replyNil.orError(err)
		}
		m, _ := z.RandomMember()
		return Reply{Kind: ReplyBulk, Bulk: []byte(m.Member)}
	}
	l, ok := numconv.ParseInt(args[2])
	if !ok {
		return replyNotInt
	}
	if l == math.MinInt64 {
		return ErrorReply("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807")
	}
	withScores := false
	if len(args) > 4 || (len(args) == 4 && !is(args[3], "withscores")) {
		return replySyntax
	} else if len(args) == 4 {
		withScores = true
		if l < -math.MaxInt64/2 || l > math.MaxInt64/2 {
			return ErrorReply("ERR value is out of range")
		}
	}
	z, err := readZSetLocked(k)
	if z == nil || l == 0 {
		return emptyArray.orError(err)
	}
	if l < -maxRandomCount {
		return errReply(errRandomCountTooLarge)
	}
	return membersReply(z.RandomMembers(int(l)), withScores)
}

func cmdZScan(db *DB, args [][]byte) Reply {
	if _, err := parseCursor(args[2]); err != nil {
		return errReply(err)
	}
	k := db.key(str(args[1]))
	z, err := readZSetLocked(k)
	if err != nil {
		return errReply(err)
	}
	zero := Reply{Kind: ReplyBulk, Bulk: []byte("0")}
	if z == nil {
		return Reply{Kind: ReplyArray, Array: []Reply{zero, emptyArray}}
	}
	o, err := parseScanOptions(args[3:], false)
	if err != nil {
		return errReply(err)
	}
	ms, _ := db.zscanLocked(k, o.Match)
	// Redis replies a small set's scores as its compact encoding (a
	// listpack, for up to 128 members of up to 64 bytes) stores them,
	// and a larger set's as %.17Lg.
	compact := z.Len() <= 128
	for m := range z.All() {
		compact = compact && len(m) <= 64
	}
	a := make([]Reply, 0, 2*len(ms))
	for _, m := range ms {
		sc := scoreReply(m.Score)
		if compact {
			sc.Bulk = appendListpackScore(nil, m.Score)
		}
		a = append(a, Reply{Kind: ReplyBulk, Bulk: []byte(m.Member)}, sc)
	}
	return Reply{Kind: ReplyArray, Array: []Reply{zero, {Kind: ReplyArray, Array: a}}}
}

// appendListpackScore formats a score as Redis 7.0's d2string does when it
// stores it in a listpack: an integral value within ±2^62 as an integer
// (so -0 is "0" and 1e17 is "100000000000000000"), anything else as
// "%.17g" (or inf/-inf).
func appendListpackScore(dst []byte, f float64) []byte {
	if f >= -(1<<62) && f <= 1<<62 && f == math.Trunc(f) {
		return numconv.AppendInt(dst, int64(f))
	}
	return numconv.AppendDouble(dst, f)
}

// zsetCommands are the table entries of the zset commands. Those whose keys
// depend on numkeys are keyless here and lock their keys themselves.
var zsetCommands = []*Command{
	cmd("zadd", -4, FlagWrite|FlagDenyOOM|FlagFast, oneKey, cmdZAdd(false)),
	cmd("zincrby", 4, FlagWrite|FlagDenyOOM|FlagFast, oneKey, cmdZAdd(true)),
	cmd("zrem", -3, FlagWrite|FlagFast, oneKey, cmdZRem),
	cmd("zcard", 2, FlagReadonly|FlagFast, oneKey, cmdZCard),
	cmd("zscore", 3, FlagReadonly|FlagFast, oneKey, cmdZScore),
	cmd("zmscore", -3, FlagReadonly|FlagFast, oneKey, cmdZMScore),
	cmd("zcount", 4, FlagReadonly|FlagFast, oneKey, cmdZCount),
	cmd("zlexcount", 4, FlagReadonly|FlagFast, oneKey, cmdZLexCount),
	cmd("zrank", 3, FlagReadonly|FlagFast, oneKey, cmdZRank(false)),
	cmd("zrevrank", 3, FlagReadonly|FlagFast, oneKey, cmdZRank(true)),
	cmd("zrange", -4, FlagReadonly, oneKey, cmdZRange(zrangeCmd{auto: true})),
	cmd("zrevrange", -4, FlagReadonly, oneKey, cmdZRange(zrangeCmd{rev: true})),
	cmd("zrangebyscore", -4, FlagReadonly, oneKey, cmdZRange(zrangeCmd{by: ZByScore})),
	cmd("zrevrangebyscore", -4, FlagReadonly, oneKey, cmdZRange(zrangeCmd{by: ZByScore, rev: true})),
	cmd("zrangebylex", -4, FlagReadonly, oneKey, cmdZRange(zrangeCmd{by: ZByLex})),
	cmd("zrevrangebylex", -4, FlagReadonly, oneKey, cmdZRange(zrangeCmd{by: ZByLex, rev: true})),
	cmd("zrangestore", -5, FlagWrite|FlagDenyOOM, twoKeys, cmdZRangeStore),
	cmd("zremrangebyrank", 4, FlagWrite, oneKey, cmdZRemRange(ZByRank)),
	cmd("zremrangebyscore", 4, FlagWrite, oneKey, cmdZRemRange(ZByScore)),
	cmd("zremrangebylex", 4, FlagWrite, oneKey, cmdZRemRange(ZByLex)),
	cmd("zpopmin", -2, FlagWrite|FlagFast, oneKey, cmdZPop(false)),
	cmd("zpopmax", -2, FlagWrite|FlagFast, oneKey, cmdZPop(true)),
	cmd("zmpop", -4, FlagWrite, noKeys, cmdZMPop),
	cmd("zunion", -3, FlagReadonly, noKeys, cmdZSetOp(zsetOpCmd{op: zopUnion, name: "zunion"})),
	cmd("zinter", -3, FlagReadonly, noKeys, cmdZSetOp(zsetOpCmd{op: zopInter, name: "zinter"})),
	cmd("zdiff", -3, FlagReadonly, noKeys, cmdZSetOp(zsetOpCmd{op: zopDiff, name: "zdiff"})),
	cmd("zunionstore", -4, FlagWrite|FlagDenyOOM, noKeys, cmdZSetOp(zsetOpCmd{op: zopUnion, store: true, name: "zunionstore"})),
	cmd("zinterstore", -4, FlagWrite|FlagDenyOOM, noKeys, cmdZSetOp(zsetOpCmd{op: zopInter, store: true, name: "zinterstore"})),
	cmd("zdiffstore", -4, FlagWrite|FlagDenyOOM, noKeys, cmdZSetOp(zsetOpCmd{op: zopDiff, store: true, name: "zdiffstore"})),
	cmd("zintercard", -3, FlagReadonly, noKeys, cmdZSetOp(zsetOpCmd{op: zopInter, card: true, name: "zintercard"})),
	cmd("zrandmember", -2, FlagReadonly, oneKey, cmdZRandMember),
	cmd("zscan", -3, FlagReadonly, oneKey, cmdZScan),
}
