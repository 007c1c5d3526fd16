package engine

import (
	"errors"
	"math"
	"slices"

	"github.com/jackdawdb/jackdaw/engine/internal/glob"
	"github.com/jackdawdb/jackdaw/structures"
)

// The sorted set type: its typed API and the ...Locked cores that the
// command handlers (cmd_zset.go) share with it.

// ZMember is a member of a sorted set with its score.
type ZMember = structures.ZEntry

// Errors of the sorted set commands (Redis's texts).
var (
	ErrZAddXXAndNX   = errors.New("ERR XX and NX options at the same time are not compatible")
	ErrZAddGTLTNX    = errors.New("ERR GT, LT, and/or NX options at the same time are not compatible")
	ErrZAddIncrPairs = errors.New("ERR INCR option supports a single increment-element pair")
	// ErrScoreNaN is returned when a score, or the result of an
	// increment, is NaN; nothing is changed.
	ErrScoreNaN = structures.ErrScoreNaN
	// ErrScoreRange is returned for a score range bound that is not a float.
	ErrScoreRange = structures.ErrScoreRange
	// ErrLexRange is returned for a lex range bound that is not "-", "+",
	// "[value" or "(value".
	ErrLexRange = structures.ErrLexRange
)

// ZAddArgs are ZADD's options. NX and XX exclude each other; GT, LT and
// NX exclude each other.
type ZAddArgs struct {
	NX bool // only add new members
	XX bool // only update existing members
	GT bool // only update when the new score is greater than the current
	LT bool // only update when the new score is less than the current
	CH bool // count changed members, not only added ones
}

func (a ZAddArgs) check() error {
	switch {
	case a.NX && a.XX:
		return ErrZAddXXAndNX
	case (a.GT && a.NX) || (a.LT && a.NX) || (a.GT && a.LT):
		return ErrZAddGTLTNX
	}
	return nil
}

// zaddResult is what zaddLocked did.
type zaddResult struct {
	added, updated, processed int
	score                     float64 // the last member's new score (INCR)
}

// Redis 7.0 keeps a sorted set of up to 128 members of up to 64 bytes in
// a compact encoding (a listpack) that stores scores as text, where -0
// becomes 0; a larger set keeps -0. jackdaw has one encoding and mimics
// this by the set's current shape (Redis never converts back a set that
// has shrunk; that corner is not mimicked). Replies that compute a score,
// like ZINCRBY's, show -0 either way.
const (
	zsetCompactEntries = 128
	zsetCompactValue   = 64
)

func isNegZero(f float64) bool { return f == 0 && math.Signbit(f) }

// compactZSet reports whether Redis would hold z (with n members) in its
// compact encoding. O(n): only asked about -0 scores.
func compactZSet(z *structures.ZSet, n int) bool {
	if n > zsetCompactEntries {
		return false
	}
	for m := range z.All() {
		if len(m) > zsetCompactValue {
			return false
		}
	}
	return true
}

// storedScore is the score z keeps for member when it is given score.
func storedScore(z *structures.ZSet, member string, exists bool, score float64) float64 {
	if !isNegZero(score) {
		return score
	}
	n := z.Len()
	if !exists {
		n++
	}
	if len(member) <= zsetCompactValue && compactZSet(z, n) {
		return 0
	}
	return score
}

// storedSet is a computed set as Redis stores it: -0 scores become 0 if
// the set is compact (see above).
func storedSet(z *structures.ZSet) *structures.ZSet {
	neg := false
	for _, s := range z.All() {
		if isNegZero(s) {
			neg = true
			break
		}
	}
	if !neg || !compactZSet(z, z.Len()) {
		return z
	}
	out := structures.NewZSet()
	for m, s := range z.All() {
		out.Add(m, s+0) // -0 + 0 is 0
	}
	return out
}

// newZSet is the constructor writeObjectLocked needs.
func newZSet() *structures.ZSet { return structures.NewZSet() }

// ZAdd adds members or updates their scores, with ZADD's options, and
// returns the number of members added (with CH: added or changed).
// Members are not changed at all if a score is NaN (ErrScoreNaN).
func (db *DB) ZAdd(key string, args ZAddArgs, members ...ZMember) (int, error) {
	if err := args.check(); err != nil {
		return 0, err
	}
	for _, m := range members {
		if math.IsNaN(m.Score) {
			return 0, ErrScoreNaN
		}
	}
	if err := checkKey(key); err != nil {
		return 0, err
	}
	k := db.key(key)
	db.lockKey(k)
	defer db.unlockKey(k)
	res, err := db.zaddLocked(k, args, false, members)
	if args.CH {
		return res.added + res.updated, err
	}
	return res.added, err
}

// ZAddIncr is ZADD with INCR: it adds delta to member's score (adding the
// member if new, unless XX) and returns the new score. ok is false when
// an option kept it from changing anything (Redis's nil reply).
func (db *DB) ZAddIncr(key string, args ZAddArgs, member string, delta float64) (score float64, ok bool, err error) {
	if err := args.check(); err != nil {
		return 0, false, err
	}
	if math.IsNaN(delta) {
		return 0, false, ErrScoreNaN
	}
	if err := checkKey(key); err != nil {
		return 0, false, err
	}
	k := db.key(key)
	db.lockKey(k)
	defer db.unlockKey(k)
	res, err := db.zaddLocked(k, args, true, []ZMember{{Member: member, Score: delta}})
	return res.score, res.processed > 0, err
}

// ZIncrBy adds delta to member's score, adding the member with score delta
// if it is new, and returns the new score (ZINCRBY).
func (db *DB) ZIncrBy(key string, delta float64, member string) (float64, error) {
	s, _, err := db.ZAddIncr(key, ZAddArgs{}, member, delta)
	return s, err
}

// zaddLocked is ZADD (and ZINCRBY with incr). Members' strings are kept:
// callers converting from arguments must pass fresh strings.
//
// REQUIRES: k.sh is locked, len(k.name) <= MaxKeyLen, args checked.
func (db *DB) zaddLocked(k dbKey, args ZAddArgs, incr bool, members []ZMember) (res zaddResult, err error) {
	r, z, err := findObjectLocked[*structures.ZSet](k, TypeZSet)
	if err != nil {
		return res, err
	}
	if r == 0 {
		if args.XX {
			return res, nil
		}
		r, z, _ = writeNotifyLocked(db, k, TypeZSet, newZSet)
	}
	defer func() {
		commitObjectLocked(k, r, z)
		if res.added > 0 || res.updated > 0 {
			event := "zadd"
			if incr {
				event = "zincr"
			}
			db.notify(notifyZSet, event, k.name)
		}
	}()
	for _, m := range members {
		score := m.Score
		cur, exists := z.Score(m.Member)
		switch {
		case exists && args.NX, !exists && args.XX:
			continue
		case exists:
			if incr {
				score += cur
				if math.IsNaN(score) {
					return res, ErrScoreNaN
				}
			}
			if (args.LT && score >= cur) || (args.GT && score <= cur) {
				continue
			}
			if score != cur {
				z.Add(m.Member, storedScore(z, m.Member, true, score))
				res.updated++
			}
		default:
			z.Add(m.Member, storedScore(z, m.Member, false, score))
			res.added++
		}
		res.processed++
		res.score = score
	}
	return res, nil
}

// ZRem removes members and returns how many were present. A set left
// empty is deleted.
func (db *DB) ZRem(key string, members ...string) (int, error) {
	k := db.key(key)
	db.lockKey(k)
	defer db.unlockKey(k)
	return db.zremLocked(k, members)
}

// zremLocked is ZREM. REQUIRES: k.sh is locked.
func (db *DB) zremLocked(k dbKey, members []string) (int, error) {
	r, z, err := findObjectLocked[*structures.ZSet](k, TypeZSet)
	if r == 0 || err != nil {
		return 0, err
	}
	n := 0
	for _, m := range members {
		if z.Delete(m) {
			n++
		}
	}
	if n > 0 {
		db.commitNotifyLocked(k, r, z, notifyZSet, "zrem")
	}
	return n, nil
}

// readZSetLocked finds key's sorted set for a read (nil if absent),
// counting a hit or a miss.
//
// REQUIRES: k.sh is locked.
func readZSetLocked(k dbKey) (*structures.ZSet, error) {
	_, z, err := readObjectLocked[*structures.ZSet](k, TypeZSet)
	return z, err
}

// ZCard returns the number of members, 0 if key does not exist.
func (db *DB) ZCard(key string) (int, error) {
	k := db.key(key)
	db.lockKey(k)
	defer db.unlockKey(k)
	return db.zcardLocked(k)
}

// zcardLocked is ZCARD. REQUIRES: k.sh is locked.
func (db *DB) zcardLocked(k dbKey) (int, error) {
	z, err := readZSetLocked(k)
	if z == nil {
		return 0, err
	}
	return z.Len(), nil
}

// ZScore returns member's score; ok is false if key or member is missing.
func (db *DB) ZScore(key, member string) (score float64, ok bool, err error) {
	k := db.key(key)
	db.lockKey(k)
	defer db.unlockKey(k)
	z, err := readZSetLocked(k)
	if z == nil {
		return 0, false, err
	}
	score, ok = z.Score(member)
	return score, ok, nil
}

// ZMScore returns the scores of members; found[i] is false for a member
// (or key) that does not exist.
func (db *DB) ZMScore(key string, members ...string) (scores []float64, found []bool, err error) {
	k := db.key(key)
	db.lockKey(k)
	defer db.unlockKey(k)
	return db.zmscoreLocked(k, members)
}

// zmscoreLocked is ZMSCORE (and ZSCORE). REQUIRES: k.sh is locked.
func (db *DB) zmscoreLocked(k dbKey, members []string) ([]float64, []bool, error) {
	z, err := readZSetLocked(k)
	if err != nil {
		return nil, nil, err
	}
	scores, found := make([]float64, len(members)), make([]bool, len(members))
	if z != nil {
		for i, m := range members {
			scores[i], found[i] = z.Score(m)
		}
	}
	return scores, found, nil
}

// ZCount returns the number of members with scores in r.
func (db *DB) ZCount(key string, r structures.ScoreRange) (int, error) {
	k := db.key(key)
	db.lockKey(k)
	defer db.unlockKey(k)
	z, err := readZSetLocked(k)
	if z == nil {
		return 0, err
	}
	return z.CountByScore(r), nil
}

// ZLexCount returns the number of members in r (for a set whose members
// all have the same score).
func (db *DB) ZLexCount(key string, r structures.LexRange) (int, error) {
	k := db.key(key)
	db.lockKey(k)
	defer db.unlockKey(k)
	z, err := readZSetLocked(k)
	if z == nil {
		return 0, err
	}
	return z.CountByLex(r), nil
}

// ZRank returns member's 0-based rank by ascending score; ok is false if
// key or member is missing.
func (db *DB) ZRank(key, member string) (rank int, ok bool, err error) {
	return db.zrank(key, member, false)
}

// ZRevRank is ZRank counted from the highest score.
func (db *DB) ZRevRank(key, member string) (rank int, ok bool, err error) {
	return db.zrank(key, member, true)
}

func (db *DB) zrank(key, member string, rev bool) (int, bool, error) {
	k := db.key(key)
	db.lockKey(k)
	defer db.unlockKey(k)
	return db.zrankLocked(k, member, rev)
}

// zrankLocked is ZRANK/ZREVRANK. REQUIRES: k.sh is locked.
func (db *DB) zrankLocked(k dbKey, member string, rev bool) (int, bool, error) {
	z, err := readZSetLocked(k)
	if z == nil {
		return 0, false, err
	}
	r, ok := z.Rank(member, rev)
	return r, ok, nil
}

// ZRangeBy says how a ZRangeSpec selects members.
type ZRangeBy uint8

// The kinds of ranges.
const (
	ZByRank  ZRangeBy = iota // by index (Start, Stop)
	ZByScore                 // by score (Score)
	ZByLex                   // by member (Lex), for sets of equal scores
)

// ZRangeSpec is a range of a sorted set, as ZRANGE's arguments give it.
type ZRangeSpec struct {
	By          ZRangeBy
	Start, Stop int                   // ZByRank: Redis's index rules (negative counts from the end)
	Score       structures.ScoreRange // ZByScore
	Lex         structures.LexRange   // ZByLex
	Rev         bool                  // highest first; ranks count from the highest
	// ZByScore and ZByLex: skip Offset members, then return at most Count
	// (all if Count <= 0). A negative Offset returns nothing, as in Redis.
	Offset, Count int
}

// zrangeQuery is a fully parsed ZRANGE: limit < 0 means no limit.
type zrangeQuery struct {
	ZRangeSpec
	limit int
}

func (s ZRangeSpec) query() zrangeQuery {
	q := zrangeQuery{ZRangeSpec: s, limit: s.Count}
	if s.By == ZByRank {
		q.Offset, q.limit = 0, -1
	} else if s.Count <= 0 {
		q.limit = -1
	}
	return q
}

// ZRangeOpts are the options of ZRangeByScore and ZRangeByLex.
type ZRangeOpts struct {
	Rev           bool // highest first
	Offset, Count int  // LIMIT: skip Offset, then at most Count (all if <= 0)
}

// ZRange returns the members with ranks start..stop (inclusive; negative
// indexes count from the end), lowest score first, with their scores.
func (db *DB) ZRange(key string, start, stop int) ([]ZMember, error) {
	return db.ZRangeWith(key, ZRangeSpec{Start: start, Stop: stop})
}

// ZRevRange is ZRange with ranks counted from the highest score.
func (db *DB) ZRevRange(key string, start, stop int) ([]ZMember, error) {
	return db.ZRangeWith(key, ZRangeSpec{Start: start, Stop: stop, Rev: true})
}

// ZRangeByScore returns the members with scores in r, with their scores.
func (db *DB) ZRangeByScore(key string, r structures.ScoreRange, o ZRangeOpts) ([]ZMember, error) {
	return db.ZRangeWith(key, ZRangeSpec{By: ZByScore, Score: r, Rev: o.Rev, Offset: o.Offset, Count: o.Count})
}

// ZRangeByLex returns the members in r (for a set of equal scores).
func (db *DB) ZRangeByLex(key string, r structures.LexRange, o ZRangeOpts) ([]string, error) {
	ms, err := db.ZRangeWith(key, ZRangeSpec{By: ZByLex, Lex: r, Rev: o.Rev, Offset: o.Offset, Count: o.Count})
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Member
	}
	return out, err
}

// ZRangeWith returns the members of any kind of range (ZRANGE).
func (db *DB) ZRangeWith(key string, s ZRangeSpec) ([]ZMember, error) {
	k := db.key(key)
	db.lockKey(k)
	defer db.unlockKey(k)
	z, err := readZSetLocked(k)
	if z == nil {
		return []ZMember{}, err
	}
	return zrangeOf(z, s.query()), nil
}

// zrangeHint bounds the capacity zrangeOf reserves before it knows how
// many members a range holds.
const zrangeHint = 64

// zrangeOf collects a range of z.
func zrangeOf(z *structures.ZSet, q zrangeQuery) []ZMember {
	// Room for the usual small range at once (a LIMIT, or a short set);
	// beyond zrangeHint the slice grows as needed, so that a narrow range
	// of a huge set does not allocate for all of it.
	hint := min(z.Len(), zrangeHint)
	if q.limit >= 0 {
		hint = min(hint, q.limit)
	}
	out := make([]ZMember, 0, hint)
	collect := func(m string, s float64) bool {
		out = append(out, ZMember{Member: m, Score: s})
		return true
	}
	switch q.By {
	case ZByRank:
		z.ByRank(q.Start, q.Stop, q.Rev)(collect)
	case ZByScore:
		if q.Offset > 0 && q.Offset >= z.Len() {
			return out
		}
		z.ByScore(q.Score, q.Rev, q.Offset, q.limit)(collect)
	case ZByLex:
		if q.Offset > 0 && q.Offset >= z.Len() {
			return out
		}
		z.ByLex(q.Lex, q.Rev, q.Offset, q.limit)(collect)
	}
	return out
}

// ZRangeStore stores the range s of src in dst, replacing dst's value of
// any type (deleting dst if the range is empty), and returns its size.
func (db *DB) ZRangeStore(dst, src string, s ZRangeSpec) (int, error) {
	if err := checkKey(dst); err != nil {
		return 0, err
	}
	ls := db.lockKeys(dst, src)
	defer ls.unlock()
	return db.zrangeStoreLocked(db.key(dst), db.key(src), s.query())
}

// zrangeStoreLocked is ZRANGESTORE.
//
// REQUIRES: the shards of dst and src are locked, len(dst.name) <= MaxKeyLen.
func (db *DB) zrangeStoreLocked(dst, src dbKey, q zrangeQuery) (int, error) {
	z, err := readZSetLocked(src)
	if err != nil {
		return 0, err
	}
	out := structures.NewZSet()
	if z != nil {
		for _, m := range zrangeOf(z, q) {
			out.Add(m.Member, m.Score)
		}
	}
	return db.storeNotifyLocked(dst, TypeZSet, storedSet(out), notifyZSet, "zrangestore"), nil
}

// ZRemRangeByRank removes the members with ranks start..stop and returns
// how many it removed.
func (db *DB) ZRemRangeByRank(key string, start, stop int) (int, error) {
	return db.zremRange(key, ZRangeSpec{Start: start, Stop: stop})
}

// ZRemRangeByScore removes the members with scores in r.
func (db *DB) ZRemRangeByScore(key string, r structures.ScoreRange) (int, error) {
	return db.zremRange(key, ZRangeSpec{By: ZByScore, Score: r})
}

// ZRemRangeByLex removes the members in r.
func (db *DB) ZRemRangeByLex(key string, r structures.LexRange) (int, error) {
	return db.zremRange(key, ZRangeSpec{By: ZByLex, Lex: r})
}

func (db *DB) zremRange(key string, s ZRangeSpec) (int, error) {
	k := db.key(key)
	db.lockKey(k)
	defer db.unlockKey(k)
	return db.zremRangeLocked(k, s)
}

// zremRangeLocked is ZREMRANGEBY{RANK,SCORE,LEX}; s.Rev, Offset and
// Count are ignored. REQUIRES: k.sh is locked.
func (db *DB) zremRangeLocked(k dbKey, s ZRangeSpec) (int, error) {
	r, z, err := findObjectLocked[*structures.ZSet](k, TypeZSet)
	if r == 0 || err != nil {
		return 0, err
	}
	var n int
	event := ""
	switch s.By {
	case ZByRank:
		n, event = z.DeleteRangeByRank(s.Start, s.Stop), "zremrangebyrank"
	case ZByScore:
		n, event = z.DeleteRangeByScore(s.Score), "zremrangebyscore"
	case ZByLex:
		n, event = z.DeleteRangeByLex(s.Lex), "zremrangebylex"
	}
	if n > 0 {
		db.commitNotifyLocked(k, r, z, notifyZSet, event)
	}
	return n, nil
}

// ZPopMin removes and returns up to count members with the lowest scores,
// lowest first.
func (db *DB) ZPopMin(key string, count int) ([]ZMember, error) {
	return db.zpop(key, count, false)
}

// ZPopMax removes and returns up to count members with the highest
// scores, highest first.
func (db *DB) ZPopMax(key string, count int) ([]ZMember, error) {
	return db.zpop(key, count, true)
}

func (db *DB) zpop(key string, count int, max bool) ([]ZMember, error) {
	k := db.key(key)
	db.lockKey(k)
	defer db.unlockKey(k)
	_, out, err := db.zpopLocked([]dbKey{k}, count, max)
	if out == nil {
		out = []ZMember{}
	}
	return out, err
}

// zpopLocked pops up to count members from the first of keys that holds a
// sorted set (ZPOPMIN, ZPOPMAX, ZMPOP) and returns its index; -1 and nil
// if none does. A key of another type before it is ErrWrongType.
//
// REQUIRES: the keys' shards are locked.
func (db *DB) zpopLocked(keys []dbKey, count int, max bool) (int, []ZMember, error) {
	for i, k := range keys {
		r, z, err := findObjectLocked[*structures.ZSet](k, TypeZSet)
		if err != nil {
			return -1, nil, err
		}
		if r == 0 {
			continue
		}
		var out []ZMember
		event := "zpopmin"
		if max {
			out, event = z.PopMax(count), "zpopmax"
		} else {
			out = z.PopMin(count)
		}
		if len(out) > 0 {
			db.commitNotifyLocked(k, r, z, notifyZSet, event)
		} else {
			commitObjectLocked(k, r, z)
		}
		return i, out, nil
	}
	return -1, nil, nil
}

// ZMPop pops up to count members (lowest scores, or highest if max) from
// the first of keys that holds a non-empty sorted set, and returns that
// key; key is "" and members nil if none does.
func (db *DB) ZMPop(keys []string, max bool, count int) (key string, members []ZMember, err error) {
	if len(keys) == 0 {
		return "", nil, ErrNumKeys
	}
	if count < 1 {
		return "", nil, errMPopCount
	}
	ls := db.lockKeys(keys...)
	defer ls.unlock()
	i, out, err := db.zpopLocked(db.dbKeys(keys), count, max)
	if i < 0 {
		return "", nil, err
	}
	return keys[i], out, nil
}

func (db *DB) dbKeys(names []string) []dbKey {
	ks := make([]dbKey, len(names))
	for i, n := range names {
		ks[i] = db.key(n)
	}
	return ks
}

// ZAggregate is how ZUNION and ZINTER combine a member's scores.
type ZAggregate uint8

// The aggregates.
const (
	ZAggSum ZAggregate = iota
	ZAggMin
	ZAggMax
)

// ZSetOpArgs are the options of ZUNION and ZINTER (and their STORE forms).
type ZSetOpArgs struct {
	Weights   []float64 // one per key (default 1); multiply each key's scores
	Aggregate ZAggregate
}

// zsetOp is a set operation.
type zsetOp uint8

const (
	zopUnion zsetOp = iota
	zopInter
	zopDiff
)

var zopNames = [...]string{"zunion", "zinter", "zdiff"}

func errNoInputKeys(cmd string) error {
	return errors.New("ERR at least 1 input key is needed for '" + cmd + "' command")
}

func (a ZSetOpArgs) check(op zsetOp, nkeys int, cmd string) error {
	if nkeys == 0 {
		return errNoInputKeys(cmd)
	}
	if a.Weights != nil && len(a.Weights) != nkeys {
		return ErrSyntax
	}
	if op == zopDiff && (a.Weights != nil || a.Aggregate != ZAggSum) {
		return ErrSyntax
	}
	return nil
}

// ZUnion returns the union of the sorted sets at keys, lowest score
// first. A missing key is an empty set; a key holding a plain set counts
// as a sorted set whose members all score 1.
func (db *DB) ZUnion(keys []string, a ZSetOpArgs) ([]ZMember, error) {
	return db.zsetOpRead(zopUnion, keys, a)
}

// ZInter returns the intersection of the sorted sets at keys.
func (db *DB) ZInter(keys []string, a ZSetOpArgs) ([]ZMember, error) {
	return db.zsetOpRead(zopInter, keys, a)
}

// ZDiff returns the members of the first key's set that are in none of
// the others, with their scores.
func (db *DB) ZDiff(keys ...string) ([]ZMember, error) {
	return db.zsetOpRead(zopDiff, keys, ZSetOpArgs{})
}

func (db *DB) zsetOpRead(op zsetOp, keys []string, a ZSetOpArgs) ([]ZMember, error) {
	if err := a.check(op, len(keys), zopNames[op]); err != nil {
		return nil, err
	}
	ls := db.lockKeys(keys...)
	defer ls.unlock()
	z, err := db.zsetOpLocked(op, keys, a, 0, true)
	if err != nil {
		return nil, err
	}
	out := make([]ZMember, 0, z.Len())
	for m, s := range z.All() {
		out = append(out, ZMember{Member: m, Score: s})
	}
	return out, nil
}

// ZUnionStore stores the union of keys' sets in dst, replacing dst's value
// of any type (deleting dst if the result is empty); it returns its size.
func (db *DB) ZUnionStore(dst string, keys []string, a ZSetOpArgs) (int, error) {
	return db.zsetOpStore(zopUnion, dst, keys, a)
}

// ZInterStore is ZUnionStore for the intersection.
func (db *DB) ZInterStore(dst string, keys []string, a ZSetOpArgs) (int, error) {
	return db.zsetOpStore(zopInter, dst, keys, a)
}

// ZDiffStore is ZUnionStore for ZDiff.
func (db *DB) ZDiffStore(dst string, keys ...string) (int, error) {
	return db.zsetOpStore(zopDiff, dst, keys, ZSetOpArgs{})
}

func (db *DB) zsetOpStore(op zsetOp, dst string, keys []string, a ZSetOpArgs) (int, error) {
	if err := a.check(op, len(keys), zopNames[op]+"store"); err != nil {
		return 0, err
	}
	if err := checkKey(dst); err != nil {
		return 0, err
	}
	ls := db.lockKeys(append([]string{dst}, keys...)...)
	defer ls.unlock()
	z, err := db.zsetOpLocked(op, keys, a, 0, false)
	if err != nil {
		return 0, err
	}
	return db.zsetStoreLocked(op, db.key(dst), z), nil
}

// zsetStoreLocked stores the result of a ZUNIONSTORE, ZINTERSTORE or
// ZDIFFSTORE in dst, with the command's notification.
// REQUIRES: dst's shard is locked, dst is a valid key.
func (db *DB) zsetStoreLocked(op zsetOp, dst dbKey, z *structures.ZSet) int {
	return db.storeNotifyLocked(dst, TypeZSet, storedSet(z), notifyZSet, zopStoreEvents[op])
}

// zopStoreEvents are the notification events of the ...STORE commands.
var zopStoreEvents = [...]string{zopUnion: "zunionstore", zopInter: "zinterstore", zopDiff: "zdiffstore"}

// ZInterCard returns the size of the intersection of keys' sets, counting
// no further than limit (0: no limit).
func (db *DB) ZInterCard(keys []string, limit int) (int, error) {
	if len(keys) == 0 {
		return 0, errNoInputKeys("zintercard")
	}
	if limit < 0 {
		return 0, errors.New("ERR LIMIT can't be negative")
	}
	ls := db.lockKeys(keys...)
	defer ls.unlock()
	z, err := db.zsetOpLocked(zopInter, keys, ZSetOpArgs{}, limit, true)
	if err != nil {
		return 0, err
	}
	return z.Len(), nil
}

// zopSource is one input of a set operation: a sorted set, a plain set
// (whose members all score 1), or neither (a missing key).
type zopSource struct {
	z      *structures.ZSet
	s      *structures.Set
	weight float64
}

func (src zopSource) len() int {
	switch {
	case src.z != nil:
		return src.z.Len()
	case src.s != nil:
		return src.s.Len()
	}
	return 0
}

// all iterates the source's members and scores.
func (src zopSource) all(yield func(string, float64) bool) {
	switch {
	case src.z != nil:
		src.z.All()(yield)
	case src.s != nil:
		for m := range src.s.All() {
			if !yield(string(m), 1) {
				return
			}
		}
	}
}

// score returns member's score in the source.
func (src zopSource) score(m string) (float64, bool) {
	switch {
	case src.z != nil:
		return src.z.Score(m)
	case src.s != nil:
		return 1, src.s.Contains([]byte(m))
	}
	return 0, false
}

// zsetSourcesLocked reads keys for a set operation: each must hold a
// sorted set or a set, or not exist. read counts hits and misses (the
// STORE forms do not, as in Redis).
//
// REQUIRES: the keys' shards are locked.
func zsetSourcesLocked(db *DB, keys []string, read bool) ([]zopSource, error) {
	src := make([]zopSource, len(keys))
	for i, name := range keys {
		k := db.key(name)
		r := k.find()
		if read {
			k.sh.RecordReadLocked(r != 0)
		}
		src[i].weight = 1
		if r == 0 {
			continue
		}
		switch k.sh.TypeLocked(r) {
		case TypeZSet:
			src[i].z = k.sh.ObjectLocked(r).(*structures.ZSet)
		case TypeSet:
			src[i].s = k.sh.ObjectLocked(r).(*structures.Set)
		default:
			return nil, ErrWrongType
		}
	}
	return src, nil
}

// zaggregate is Redis's zunionInterAggregate.
func zaggregate(target *float64, v float64, agg ZAggregate) {
	switch agg {
	case ZAggSum:
		*target += v
		if math.IsNaN(*target) {
			*target = 0
		}
	case ZAggMin:
		if v < *target {
			*target = v
		}
	case ZAggMax:
		if v > *target {
			*target = v
		}
	}
}

// zsetOpLocked reads keys and computes a set operation on them.
//
// REQUIRES: the keys' shards are locked.
func (db *DB) zsetOpLocked(op zsetOp, keys []string, a ZSetOpArgs, cardLimit int, read bool) (*structures.ZSet, error) {
	src, err := zsetSourcesLocked(db, keys, read)
	if err != nil {
		return nil, err
	}
	return zsetOpOf(op, src, a, cardLimit), nil
}

// zsetOpOf computes a set operation as Redis's
// zunionInterDiffGenericCommand does (the same order of floating-point
// operations, so the same results). For zopInter, cardLimit > 0 stops
// after that many members (ZINTERCARD's LIMIT); 0 means no limit.
func zsetOpOf(op zsetOp, src []zopSource, a ZSetOpArgs, cardLimit int) *structures.ZSet {
	for i := range src {
		if a.Weights != nil {
			src[i].weight = a.Weights[i]
		}
	}
	out := structures.NewZSet()
	if op == zopDiff {
		if src[0].len() == 0 {
			return out
		}
	outer:
		for m, s := range src[0].all {
			for _, o := range src[1:] {
				if _, ok := o.score(m); ok {
					continue outer
				}
			}
			out.Add(m, s)
		}
		return out
	}
	slices.SortStableFunc(src, func(x, y zopSource) int { return x.len() - y.len() })
	if op == zopInter {
		if src[0].len() == 0 {
			return out
		}
	members:
		for m, s0 := range src[0].all {
			score := src[0].weight * s0
			if math.IsNaN(score) {
				score = 0
			}
			for _, o := range src[1:] {
				v, ok := o.score(m)
				if !ok {
					continue members
				}
				zaggregate(&score, v*o.weight, a.Aggregate)
			}
			out.Add(m, score)
			if cardLimit > 0 && out.Len() >= cardLimit {
				break
			}
		}
		return out
	}
	acc := map[string]float64{}
	var order []string
	for _, s := range src {
		for m, v := range s.all {
			score := s.weight * v
			if math.IsNaN(score) {
				score = 0
			}
			if cur, ok := acc[m]; ok {
				zaggregate(&cur, score, a.Aggregate)
				acc[m] = cur
			} else {
				acc[m] = score
				order = append(order, m)
			}
		}
	}
	for _, m := range order {
		out.Add(m, acc[m])
	}
	return out
}

// ZRandMember returns a random member; ok is false if key does not exist.
func (db *DB) ZRandMember(key string) (member ZMember, ok bool, err error) {
	k := db.key(key)
	db.lockKey(k)
	defer db.unlockKey(k)
	z, err := readZSetLocked(k)
	if z == nil {
		return ZMember{}, false, err
	}
	m, ok := z.RandomMember()
	return m, ok, nil
}

// ZRandMembers is ZRANDMEMBER with a count: for count >= 0, up to count
// distinct members; for count < 0, -count members that may repeat (at most
// 4194304, else errRandomCountTooLarge's error).
func (db *DB) ZRandMembers(key string, count int) ([]ZMember, error) {
	k := db.key(key)
	db.lockKey(k)
	defer db.unlockKey(k)
	z, err := readZSetLocked(k)
	if z == nil {
		return []ZMember{}, err
	}
	if count < -maxRandomCount {
		return nil, errRandomCountTooLarge
	}
	return z.RandomMembers(count), nil
}

// ZScanArgs are ZSCAN's options.
type ZScanArgs struct {
	Match string // glob pattern on members; "" matches all
	Count int    // work hint; ignored: a set is returned in one call
}

// ZScan returns the members (with scores) of key matching a.Match, and the
// cursor to continue from. As Redis does for small sets, the whole set
// comes back in one call, in score order, with cursor 0.
func (db *DB) ZScan(key string, cursor uint64, a ZScanArgs) ([]ZMember, uint64, error) {
	if a.Count < 0 {
		return nil, 0, ErrSyntax
	}
	k := db.key(key)
	db.lockKey(k)
	defer db.unlockKey(k)
	out, err := db.zscanLocked(k, a.Match)
	return out, 0, err
}

// zscanLocked is ZSCAN. REQUIRES: k.sh is locked.
func (db *DB) zscanLocked(k dbKey, match string) ([]ZMember, error) {
	z, err := readZSetLocked(k)
	out := []ZMember{}
	if z == nil {
		return out, err
	}
	all := match == "" || match == "*"
	for m, s := range z.All() {
		if all || glob.Match(match, m, false) {
			out = append(out, ZMember{Member: m, Score: s})
		}
	}
	return out, nil
}
