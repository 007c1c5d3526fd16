package structures

import (
	"errors"
	"hash/maphash"
	"iter"
	"math"
	"math/bits"
	"math/rand/v2"
	"strconv"
	"strings"
)

// Errors of the sorted set. Their texts are Redis's.
var (
	// ErrScoreNaN is returned when a score (given, or the result of an
	// increment such as +inf + -inf) is NaN; the set is left unchanged.
	ErrScoreNaN = errors.New("ERR resulting score is not a number (NaN)")
	// ErrScoreRange is returned by ParseScoreRange for a bound that is not
	// a float.
	ErrScoreRange = errors.New("ERR min or max is not a float")
	// ErrLexRange is returned by ParseLexRange for a bound that is not
	// "-", "+", "[value" or "(value".
	ErrLexRange = errors.New("ERR min or max not valid string range item")
)

const (
	zsetMaxLevel = 32 // Redis's ZSKIPLIST_MAXLEVEL
)

// ZAddResult says what Add did.
type ZAddResult uint8

// The outcomes of Add.
const (
	ZAddUnchanged ZAddResult = iota // the member existed with an equal score
	ZAddAdded                       // the member was new
	ZAddUpdated                     // the member existed; its score changed
)

// ZEntry is one member and its score.
type ZEntry struct {
	Member string
	Score  float64
}

// ScoreRange is a score interval (ZRANGEBYSCORE, ZCOUNT, ...): Min and Max
// may be ±Inf; MinEx/MaxEx make a bound exclusive. Min and Max must not be
// NaN (ParseScoreRange never produces NaN).
type ScoreRange struct {
	Min, Max     float64
	MinEx, MaxEx bool
}

func (r *ScoreRange) gteMin(v float64) bool {
	if r.MinEx {
		return v > r.Min
	}
	return v >= r.Min
}

func (r *ScoreRange) lteMax(v float64) bool {
	if r.MaxEx {
		return v < r.Max
	}
	return v <= r.Max
}

// empty reports a range that holds nothing whatever the set.
func (r *ScoreRange) empty() bool {
	return r.Min > r.Max || (r.Min == r.Max && (r.MinEx || r.MaxEx)) ||
		math.IsNaN(r.Min) || math.IsNaN(r.Max)
}

// LexBound is one end of a LexRange. Inf is -1 for "-" (below every
// string), +1 for "+" (above every string) and 0 for a finite bound, which
// is Value, exclusive if Exclusive ("(value") and inclusive otherwise
// ("[value").
type LexBound struct {
	Value     string
	Exclusive bool
	Inf       int
}

// LexRange is a member interval (ZRANGEBYLEX, ZLEXCOUNT, ...). Members are
// compared bytewise (memcmp, then length), as Redis does.
type LexRange struct {
	Min, Max LexBound
}

// lexCmp compares a member with a bound.
func lexCmp(v string, b *LexBound) int {
	switch {
	case b.Inf < 0:
		return 1
	case b.Inf > 0:
		return -1
	}
	return strings.Compare(v, b.Value)
}

func (r *LexRange) gteMin(v string) bool {
	c := lexCmp(v, &r.Min)
	if r.Min.Exclusive || r.Min.Inf != 0 {
		return c > 0
	}
	return c >= 0
}

func (r *LexRange) lteMax(v string) bool {
	c := lexCmp(v, &r.Max)
	if r.Max.Exclusive || r.Max.Inf != 0 {
		return c < 0
	}
	return c <= 0
}

// boundCmp is Redis's sdscmplex over two bounds.
func boundCmp(a, b *LexBound) int {
	if a.Inf != 0 && a.Inf == b.Inf {
		return 0
	}
	if a.Inf < 0 || b.Inf > 0 {
		return -1
	}
	if a.Inf > 0 || b.Inf < 0 {
		return 1
	}
	return strings.Compare(a.Value, b.Value)
}

func (r *LexRange) empty() bool {
	c := boundCmp(&r.Min, &r.Max)
	minEx := r.Min.Exclusive || r.Min.Inf != 0
	maxEx := r.Max.Exclusive || r.Max.Inf != 0
	return c > 0 || (c == 0 && (minEx || maxEx))
}

// ParseLexRange parses ZRANGEBYLEX-style bounds: "-", "+", "[value" or
// "(value". Anything else (including an empty argument) is ErrLexRange.
// As in Redis, which checks with C strings, "-" and "+" may be followed by
// a zero byte and anything after it.
func ParseLexRange(min, max []byte) (LexRange, error) {
	var r LexRange
	var ok bool
	if r.Min, ok = parseLexBound(min); !ok {
		return LexRange{}, ErrLexRange
	}
	if r.Max, ok = parseLexBound(max); !ok {
		return LexRange{}, ErrLexRange
	}
	return r, nil
}

func parseLexBound(b []byte) (LexBound, bool) {
	if len(b) == 0 {
		return LexBound{}, false
	}
	switch b[0] {
	case '+', '-':
		if len(b) > 1 && b[1] != 0 {
			return LexBound{}, false
		}
		if b[0] == '+' {
			return LexBound{Inf: 1, Exclusive: true}, true
		}
		return LexBound{Inf: -1, Exclusive: true}, true
	case '(':
		return LexBound{Value: string(b[1:]), Exclusive: true}, true
	case '[':
		return LexBound{Value: string(b[1:])}, true
	}
	return LexBound{}, false
}

// ParseScoreRange parses ZRANGEBYSCORE-style bounds: a float as C's strtod
// reads it ("1.5", "-inf", "+inf", "inf", "1e3", "0x1p4", leading white
// space allowed, nothing after the number but a zero byte), optionally
// preceded by "(" for an exclusive bound. NaN and anything else is
// ErrScoreRange. An empty bound, like Redis's strtod, reads as 0.
func ParseScoreRange(min, max []byte) (ScoreRange, error) {
	var r ScoreRange
	var ok bool
	if r.Min, r.MinEx, ok = parseScoreBound(min); !ok {
		return ScoreRange{}, ErrScoreRange
	}
	if r.Max, r.MaxEx, ok = parseScoreBound(max); !ok {
		return ScoreRange{}, ErrScoreRange
	}
	return r, nil
}

func parseScoreBound(b []byte) (v float64, ex, ok bool) {
	if len(b) > 0 && b[0] == '(' {
		ex = true
		b = b[1:]
	}
	v, ok = zsetStrtod(b)
	return v, ex, ok
}

// zsetStrtod reads b the way Redis's `strtod(s,&eptr); eptr[0]=='\0' &&
// !isnan` check does.
func zsetStrtod(b []byte) (float64, bool) {
	if i := indexZero(b); i >= 0 {
		b = b[:i]
	}
	for len(b) > 0 && (b[0] == ' ' || (b[0] >= '\t' && b[0] <= '\r')) {
		b = b[1:]
	}
	if len(b) == 0 {
		return 0, true // strtod consumes nothing; eptr points at the NUL
	}
	s := string(b)
	if strings.ContainsAny(s, "_ \t\n\v\f\r") {
		return 0, false
	}
	body := s
	if body[0] == '+' || body[0] == '-' {
		body = body[1:]
	}
	if len(body) > 2 && body[0] == '0' && (body[1] == 'x' || body[1] == 'X') {
		// C accepts a hex mantissa without a binary exponent; Go does not.
		if !strings.ContainsAny(body, "pP") {
			s += "p0"
		}
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		var ne *strconv.NumError
		if !errors.As(err, &ne) || ne.Err != strconv.ErrRange {
			return 0, false
		}
	}
	if math.IsNaN(v) {
		return 0, false
	}
	return v, true
}

func indexZero(b []byte) int {
	for i, c := range b {
		if c == 0 {
			return i
		}
	}
	return -1
}

// zsetLevel is one forward link above level 0, with its span: the number
// of level-0 steps it covers (for the last node of a level, the number of
// nodes after it).
type zsetLevel struct {
	forward *zsetNode
	span    int
}

// zsetNode is one member. Level 0 is the next pointer (its span is always
// 1) and the backward pointer; up holds levels 1..height-1 and is nil for
// the three nodes in four that have height 1, so such a node is a single
// 64-byte allocation.
type zsetNode struct {
	member   string
	score    float64
	backward *zsetNode
	next     *zsetNode
	up       []zsetLevel
}

func (n *zsetNode) fwd(i int) *zsetNode {
	if i == 0 {
		return n.next
	}
	return n.up[i-1].forward
}

func (n *zsetNode) span(i int) int {
	if i == 0 {
		return 1
	}
	return n.up[i-1].span
}

// zless orders (score, member) pairs: by score, then by member bytes.
func zless(s1 float64, m1 string, s2 float64, m2 string) bool {
	return s1 < s2 || (s1 == s2 && m1 < m2)
}

// ZSet is Redis's sorted set: a skiplist (p = 1/4, at most 32 levels, with
// spans for O(log n) ranks) ordered by score then member bytes, plus a
// member index (an open-addressing hash table of node pointers, 8 bytes a
// slot). It is not safe for concurrent use.
//
// Scores are float64; ±Inf are allowed and NaN is refused (ErrScoreNaN).
// -0.0 and 0.0 are equal scores (ordered by member between themselves), and
// a stored score keeps the sign it was given. Members are binary-safe
// strings. Ranks are 0-based, counted from the lowest score (or from the
// highest when reverse is set).
//
// Iterators (All, ByRank, ByScore, ByLex) must not be used across a
// mutation of the set.
type ZSet struct {
	head   *zsetNode
	tail   *zsetNode
	length int
	level  int
	ix     zsetIndex
	bytes  int // sum of member lengths
	upper  int // levels above 0 held by nodes (head excluded)
}

// NewZSet returns an empty sorted set.
func NewZSet() *ZSet {
	return &ZSet{head: &zsetNode{}, level: 1}
}

// Len is the number of members (ZCARD). O(1).
func (z *ZSet) Len() int { return z.length }

// Score returns a member's score (ZSCORE). O(1).
func (z *ZSet) Score(member string) (float64, bool) {
	if n := z.ix.find(member); n != nil {
		return n.score, true
	}
	return 0, false
}

// Contains reports whether member is in the set. O(1).
func (z *ZSet) Contains(member string) bool { return z.ix.find(member) != nil }

// Add sets member's score, adding the member if new (ZADD without flags).
// An existing member whose score is equal (== , so -0.0 equals 0.0) is left
// as it is and ZAddUnchanged is returned. A NaN score is refused with
// ErrScoreNaN. The member string is kept (not copied); callers converting
// from a reused []byte must pass a fresh string. O(log n).
func (z *ZSet) Add(member string, score float64) (ZAddResult, error) {
	if math.IsNaN(score) {
		return ZAddUnchanged, ErrScoreNaN
	}
	if n := z.ix.find(member); n != nil {
		if n.score == score {
			return ZAddUnchanged, nil
		}
		z.updateScore(n, score)
		return ZAddUpdated, nil
	}
	z.insert(member, score)
	return ZAddAdded, nil
}

// Incr adds delta to member's score, adding the member with score delta if
// it is new (ZINCRBY, ZADD INCR). It returns the new score and whether the
// member was added. A NaN result is refused with ErrScoreNaN and the set is
// left unchanged. O(log n).
func (z *ZSet) Incr(member string, delta float64) (score float64, added bool, err error) {
	n := z.ix.find(member)
	if n == nil {
		if math.IsNaN(delta) {
			return 0, false, ErrScoreNaN
		}
		z.insert(member, delta)
		return delta, true, nil
	}
	s := n.score + delta
	if math.IsNaN(s) {
		return n.score, false, ErrScoreNaN
	}
	if s != n.score {
		z.updateScore(n, s)
	}
	return s, false, nil
}

// Delete removes member (ZREM) and reports whether it was present. O(log n).
func (z *ZSet) Delete(member string) bool {
	n := z.ix.find(member)
	if n == nil {
		return false
	}
	var update [zsetMaxLevel]*zsetNode
	z.findUpdate(n.score, n.member, &update)
	z.deleteNode(n, &update)
	return true
}

// Rank returns member's 0-based rank (ZRANK; ZREVRANK if reverse). O(log n).
func (z *ZSet) Rank(member string, reverse bool) (int, bool) {
	n := z.ix.find(member)
	if n == nil {
		return 0, false
	}
	r := z.rankOf(n.score, n.member)
	if reverse {
		return z.length - r, true
	}
	return r - 1, true
}

// At returns the member at 0-based rank r counted from the lowest score
// (or from the highest if reverse). O(log n).
func (z *ZSet) At(r int, reverse bool) (ZEntry, bool) {
	if r < 0 || r >= z.length {
		return ZEntry{}, false
	}
	if reverse {
		r = z.length - 1 - r
	}
	n := z.nodeAt(r + 1)
	return ZEntry{n.member, n.score}, true
}

// NormalizeRankRange applies Redis's index rules (ZRANGE, ZREMRANGEBYRANK)
// to start and stop for a set of n members: negative indexes count from
// the end, the range is clamped, and ok is false for an empty range.
func NormalizeRankRange(start, stop, n int) (lo, hi int, ok bool) {
	if start < 0 {
		start += n
	}
	if stop < 0 {
		stop += n
	}
	if start < 0 {
		start = 0
	}
	if start > stop || start >= n {
		return 0, 0, false
	}
	if stop >= n {
		stop = n - 1
	}
	return start, stop, true
}

// ByRank iterates the members with ranks start..stop inclusive, Redis's
// ZRANGE index rules applied (NormalizeRankRange); with reverse, ranks
// count from the highest score and members come highest first (ZRANGE
// REV, ZREVRANGE). The first member is found in O(log n).
func (z *ZSet) ByRank(start, stop int, reverse bool) iter.Seq2[string, float64] {
	return func(yield func(string, float64) bool) {
		lo, hi, ok := NormalizeRankRange(start, stop, z.length)
		if !ok {
			return
		}
		var n *zsetNode
		if reverse {
			n = z.nodeAt(z.length - lo)
		} else {
			n = z.nodeAt(lo + 1)
		}
		for k := hi - lo + 1; k > 0 && n != nil; k-- {
			if !yield(n.member, n.score) {
				return
			}
			if reverse {
				n = n.backward
			} else {
				n = n.next
			}
		}
	}
}

// All iterates every member in order, lowest score first (snapshots,
// ZSCAN).
func (z *ZSet) All() iter.Seq2[string, float64] {
	return func(yield func(string, float64) bool) {
		for n := z.head.next; n != nil; n = n.next {
			if !yield(n.member, n.score) {
				return
			}
		}
	}
}

// Backward iterates every member in reverse order, highest score first.
func (z *ZSet) Backward() iter.Seq2[string, float64] {
	return func(yield func(string, float64) bool) {
		for n := z.tail; n != nil; n = n.backward {
			if !yield(n.member, n.score) {
				return
			}
		}
	}
}

// ByScore iterates the members whose scores are in r, lowest first (or
// highest first if reverse: ZREVRANGEBYSCORE, ZRANGE BYSCORE REV), skipping
// the first offset of them and yielding at most limit (all if limit < 0),
// as ZRANGE's LIMIT does. A negative offset yields nothing, as in Redis. The
// first member yielded is found in O(log n) whatever the offset.
func (z *ZSet) ByScore(r ScoreRange, reverse bool, offset, limit int) iter.Seq2[string, float64] {
	return func(yield func(string, float64) bool) {
		if offset < 0 || limit == 0 {
			return
		}
		var n *zsetNode
		if reverse {
			_, rank := z.lastInScore(&r)
			if rank-offset < 1 {
				return
			}
			n = z.nodeAt(rank - offset)
		} else {
			_, rank := z.firstInScore(&r)
			if rank == 0 || rank+offset > z.length {
				return
			}
			n = z.nodeAt(rank + offset)
		}
		for ; n != nil && limit != 0; limit-- {
			if reverse {
				if !r.gteMin(n.score) {
					return
				}
			} else if !r.lteMax(n.score) {
				return
			}
			if !yield(n.member, n.score) {
				return
			}
			if reverse {
				n = n.backward
			} else {
				n = n.next
			}
		}
	}
}

// CountByScore is the number of members with scores in r (ZCOUNT).
// O(log n).
func (z *ZSet) CountByScore(r ScoreRange) int {
	_, first := z.firstInScore(&r)
	if first == 0 {
		return 0
	}
	_, last := z.lastInScore(&r)
	return last - first + 1
}

// ByLex is ByScore for a member range (ZRANGEBYLEX, ZREVRANGEBYLEX,
// ZRANGE BYLEX). It and its helpers repeat ByScore's shape on purpose: a
// shared version over an interface or type parameter made the range escape,
// one allocation per query (measured), where these make none. As in Redis, it is meant for sets whose members all have
// the same score; otherwise which members it returns is unspecified.
func (z *ZSet) ByLex(r LexRange, reverse bool, offset, limit int) iter.Seq2[string, float64] {
	return func(yield func(string, float64) bool) {
		if offset < 0 || limit == 0 {
			return
		}
		var n *zsetNode
		if reverse {
			_, rank := z.lastInLex(&r)
			if rank-offset < 1 {
				return
			}
			n = z.nodeAt(rank - offset)
		} else {
			_, rank := z.firstInLex(&r)
			if rank == 0 || rank+offset > z.length {
				return
			}
			n = z.nodeAt(rank + offset)
		}
		for ; n != nil && limit != 0; limit-- {
			if reverse {
				if !r.gteMin(n.member) {
					return
				}
			} else if !r.lteMax(n.member) {
				return
			}
			if !yield(n.member, n.score) {
				return
			}
			if reverse {
				n = n.backward
			} else {
				n = n.next
			}
		}
	}
}

// CountByLex is the number of members in r (ZLEXCOUNT). O(log n).
func (z *ZSet) CountByLex(r LexRange) int {
	_, first := z.firstInLex(&r)
	if first == 0 {
		return 0
	}
	_, last := z.lastInLex(&r)
	return last - first + 1
}

// DeleteRangeByRank removes the members with ranks start..stop (Redis's
// index rules, as ByRank) and returns how many it removed
// (ZREMRANGEBYRANK). O(log n + removed).
func (z *ZSet) DeleteRangeByRank(start, stop int) int {
	lo, hi, ok := NormalizeRankRange(start, stop, z.length)
	if !ok {
		return 0
	}
	var update [zsetMaxLevel]*zsetNode
	x := z.head
	traversed := 0
	for i := z.level - 1; i >= 0; i-- {
		for f := x.fwd(i); f != nil && traversed+x.span(i) < lo+1; f = x.fwd(i) {
			traversed += x.span(i)
			x = f
		}
		update[i] = x
	}
	return z.deleteRun(x.next, &update, hi-lo+1, func(*zsetNode) bool { return true })
}

// DeleteRangeByScore removes the members with scores in r and returns how
// many it removed (ZREMRANGEBYSCORE). O(log n + removed).
func (z *ZSet) DeleteRangeByScore(r ScoreRange) int {
	if r.empty() {
		return 0
	}
	var update [zsetMaxLevel]*zsetNode
	x := z.head
	for i := z.level - 1; i >= 0; i-- {
		for f := x.fwd(i); f != nil && !r.gteMin(f.score); f = x.fwd(i) {
			x = f
		}
		update[i] = x
	}
	return z.deleteRun(x.next, &update, z.length, func(n *zsetNode) bool { return r.lteMax(n.score) })
}

// DeleteRangeByLex removes the members in r and returns how many it removed
// (ZREMRANGEBYLEX). O(log n + removed).
func (z *ZSet) DeleteRangeByLex(r LexRange) int {
	if r.empty() {
		return 0
	}
	var update [zsetMaxLevel]*zsetNode
	x := z.head
	for i := z.level - 1; i >= 0; i-- {
		for f := x.fwd(i); f != nil && !r.gteMin(f.member); f = x.fwd(i) {
			x = f
		}
		update[i] = x
	}
	return z.deleteRun(x.next, &update, z.length, func(n *zsetNode) bool { return r.lteMax(n.member) })
}

// deleteRun deletes up to max consecutive nodes from n while keep(n) holds;
// update holds n's predecessors at every level.
func (z *ZSet) deleteRun(n *zsetNode, update *[zsetMaxLevel]*zsetNode, max int, keep func(*zsetNode) bool) int {
	removed := 0
	for n != nil && removed < max && keep(n) {
		next := n.next
		z.deleteNode(n, update)
		removed++
		n = next
	}
	return removed
}

// PopMin removes and returns the min(count, Len) members with the lowest
// scores, lowest first (ZPOPMIN). O(log n) each.
func (z *ZSet) PopMin(count int) []ZEntry { return z.pop(count, false) }

// PopMax removes and returns the min(count, Len) members with the highest
// scores, highest first (ZPOPMAX). O(log n) each.
func (z *ZSet) PopMax(count int) []ZEntry { return z.pop(count, true) }

func (z *ZSet) pop(count int, max bool) []ZEntry {
	count = min(count, z.length)
	if count <= 0 {
		return []ZEntry{}
	}
	out := make([]ZEntry, 0, count)
	for range count {
		n := z.head.next
		if max {
			n = z.tail
		}
		out = append(out, ZEntry{n.member, n.score})
		var update [zsetMaxLevel]*zsetNode
		z.findUpdate(n.score, n.member, &update)
		z.deleteNode(n, &update)
	}
	return out
}

// RandomMember returns a uniformly random member (ZRANDMEMBER without
// count). O(log n).
func (z *ZSet) RandomMember() (ZEntry, bool) {
	if z.length == 0 {
		return ZEntry{}, false
	}
	return z.At(rand.IntN(z.length), false)
}

// RandomMembers implements ZRANDMEMBER's count: for count >= 0, min(count,
// Len) distinct members (the whole set, in order, if count >= Len; random
// order otherwise); for count < 0, -count members chosen independently
// (repeats possible). Each costs O(log n). The caller bounds -count.
func (z *ZSet) RandomMembers(count int) []ZEntry {
	n := z.length
	if n == 0 || count == 0 {
		return []ZEntry{}
	}
	if count < 0 {
		k := -count
		if k < 0 { // count == math.MinInt
			k = math.MaxInt
		}
		out := make([]ZEntry, 0, min(k, 1<<16))
		for range k {
			e, _ := z.At(rand.IntN(n), false)
			out = append(out, e)
		}
		return out
	}
	if count >= n {
		out := make([]ZEntry, 0, n)
		for m, s := range z.All() {
			out = append(out, ZEntry{m, s})
		}
		return out
	}
	out := make([]ZEntry, 0, count)
	// Floyd's sampling of count distinct ranks.
	seen := make(map[int]struct{}, count)
	for j := n - count; j < n; j++ {
		t := rand.IntN(j + 1)
		if _, dup := seen[t]; dup {
			t = j
		}
		seen[t] = struct{}{}
		e, _ := z.At(t, false)
		out = append(out, e)
	}
	rand.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// MemoryUsage is the approximate footprint in bytes: nodes and their
// upper levels, member bytes and the index, as Go's allocator rounds them.
func (z *ZSet) MemoryUsage() int {
	const nodeSize = 64 // unsafe.Sizeof(zsetNode{})
	// Upper levels come in allocations of (height-1)*16 bytes; average
	// rounding is small and ignored. Member strings are rounded to 8.
	m := 80 + nodeSize + cap(z.head.up)*16 // ZSet, head node, head levels
	m += z.length*nodeSize + z.upper*16
	m += z.bytes + z.length*4 // half a word of rounding per member on average
	m += len(z.ix.slots) * 8
	return m
}

// Clone returns a deep copy (member strings, being immutable, are shared).
// The copy has the same skiplist shape. The engine wraps it to satisfy
// shard.Object's Clone. O(n).
func (z *ZSet) Clone() *ZSet {
	c := &ZSet{
		head:   &zsetNode{up: make([]zsetLevel, len(z.head.up))},
		length: z.length,
		level:  z.level,
		bytes:  z.bytes,
		upper:  z.upper,
	}
	c.ix.slots = make([]*zsetNode, len(z.ix.slots))
	c.ix.n = z.ix.n
	// last[i] is the most recent node copied at level i.
	var last [zsetMaxLevel]*zsetNode
	for i := range z.level {
		last[i] = c.head
		if i > 0 {
			c.head.up[i-1].span = z.head.up[i-1].span
		}
	}
	var prev *zsetNode
	for n := z.head.next; n != nil; n = n.next {
		d := newZSetNode(n.member, n.score, len(n.up))
		d.backward = prev
		if len(n.up) > 0 {
			for i := range n.up {
				d.up[i].span = n.up[i].span
				last[i+1].up[i].forward = d
				last[i+1] = d
			}
		}
		last[0].next = d
		last[0] = d
		prev = d
		c.ix.insertFresh(d)
	}
	c.tail = prev
	return c
}

// rankOf is the 1-based rank of (score, member), which must be present.
func (z *ZSet) rankOf(score float64, member string) int {
	rank := 0
	x := z.head
	for i := z.level - 1; i >= 0; i-- {
		for f := x.fwd(i); f != nil && (f.score < score || (f.score == score && f.member <= member)); f = x.fwd(i) {
			rank += x.span(i)
			x = f
		}
		if x.member == member && x != z.head {
			return rank
		}
	}
	return 0
}

// nodeAt is the node at 1-based rank r (1 <= r <= length).
func (z *ZSet) nodeAt(r int) *zsetNode {
	traversed := 0
	x := z.head
	for i := z.level - 1; i >= 0; i-- {
		for f := x.fwd(i); f != nil && traversed+x.span(i) <= r; f = x.fwd(i) {
			traversed += x.span(i)
			x = f
		}
		if traversed == r {
			return x
		}
	}
	return nil
}

// firstInScore is the first node in r and its 1-based rank (0 if none).
func (z *ZSet) firstInScore(r *ScoreRange) (*zsetNode, int) {
	if r.empty() || z.length == 0 || !r.gteMin(z.tail.score) || !r.lteMax(z.head.next.score) {
		return nil, 0
	}
	rank := 0
	x := z.head
	for i := z.level - 1; i >= 0; i-- {
		for f := x.fwd(i); f != nil && !r.gteMin(f.score); f = x.fwd(i) {
			rank += x.span(i)
			x = f
		}
	}
	x = x.next
	if x == nil || !r.lteMax(x.score) {
		return nil, 0
	}
	return x, rank + 1
}

// lastInScore is the last node in r and its 1-based rank (0 if none).
func (z *ZSet) lastInScore(r *ScoreRange) (*zsetNode, int) {
	if r.empty() || z.length == 0 || !r.gteMin(z.tail.score) || !r.lteMax(z.head.next.score) {
		return nil, 0
	}
	rank := 0
	x := z.head
	for i := z.level - 1; i >= 0; i-- {
		for f := x.fwd(i); f != nil && r.lteMax(f.score); f = x.fwd(i) {
			rank += x.span(i)
			x = f
		}
	}
	if x == z.head || !r.gteMin(x.score) {
		return nil, 0
	}
	return x, rank
}

func (z *ZSet) firstInLex(r *LexRange) (*zsetNode, int) {
	if r.empty() || z.length == 0 || !r.gteMin(z.tail.member) || !r.lteMax(z.head.next.member) {
		return nil, 0
	}
	rank := 0
	x := z.head
	for i := z.level - 1; i >= 0; i-- {
		for f := x.fwd(i); f != nil && !r.gteMin(f.member); f = x.fwd(i) {
			rank += x.span(i)
			x = f
		}
	}
	x = x.next
	if x == nil || !r.lteMax(x.member) {
		return nil, 0
	}
	return x, rank + 1
}

func (z *ZSet) lastInLex(r *LexRange) (*zsetNode, int) {
	if r.empty() || z.length == 0 || !r.gteMin(z.tail.member) || !r.lteMax(z.head.next.member) {
		return nil, 0
	}
	rank := 0
	x := z.head
	for i := z.level - 1; i >= 0; i-- {
		for f := x.fwd(i); f != nil && r.lteMax(f.member); f = x.fwd(i) {
			rank += x.span(i)
			x = f
		}
	}
	if x == z.head || !r.gteMin(x.member) {
		return nil, 0
	}
	return x, rank
}

// findUpdate fills update with, at every level, the last node before
// (score, member).
func (z *ZSet) findUpdate(score float64, member string, update *[zsetMaxLevel]*zsetNode) {
	x := z.head
	for i := z.level - 1; i >= 0; i-- {
		for f := x.fwd(i); f != nil && zless(f.score, f.member, score, member); f = x.fwd(i) {
			x = f
		}
		update[i] = x
	}
}

// zsetRandomLevel draws a height: P(height > k) = 4^-k, at most 32.
func zsetRandomLevel() int {
	h := 1 + bits.TrailingZeros64(rand.Uint64())/2
	return min(h, zsetMaxLevel)
}

// newZSetNode returns a node with up levels above the first. Up to four
// come in the node's own allocation, as Redis's node holds its level array:
// a step along an upper level then reads one cache line, not two. The
// same bytes either way (Go's size classes: 64+16k = 80, 96, 112, 128).
func newZSetNode(member string, score float64, up int) *zsetNode {
	var n *zsetNode
	switch up {
	case 0:
		return &zsetNode{member: member, score: score}
	case 1:
		a := &struct {
			n zsetNode
			l [1]zsetLevel
		}{}
		n = &a.n
		n.up = a.l[:]
	case 2:
		a := &struct {
			n zsetNode
			l [2]zsetLevel
		}{}
		n = &a.n
		n.up = a.l[:]
	case 3:
		a := &struct {
			n zsetNode
			l [3]zsetLevel
		}{}
		n = &a.n
		n.up = a.l[:]
	case 4:
		a := &struct {
			n zsetNode
			l [4]zsetLevel
		}{}
		n = &a.n
		n.up = a.l[:]
	default:
		n = &zsetNode{up: make([]zsetLevel, up)}
	}
	n.member, n.score = member, score
	return n
}

// insert adds a member known to be absent.
func (z *ZSet) insert(member string, score float64) {
	h := zsetRandomLevel()
	n := newZSetNode(member, score, h-1)
	z.upper += h - 1
	z.link(n)
	z.ix.insert(n)
	z.bytes += len(member)
}

// link puts node n (member, score and height set, links ignored) in the
// skiplist.
func (z *ZSet) link(n *zsetNode) {
	member, score, h := n.member, n.score, 1+len(n.up)
	var update [zsetMaxLevel]*zsetNode
	var rank [zsetMaxLevel]int
	x := z.head
	for i := z.level - 1; i >= 0; i-- {
		if i < z.level-1 {
			rank[i] = rank[i+1]
		}
		for f := x.fwd(i); f != nil && zless(f.score, f.member, score, member); f = x.fwd(i) {
			rank[i] += x.span(i)
			x = f
		}
		update[i] = x
	}
	if h > z.level {
		for i := z.level; i < h; i++ {
			rank[i] = 0
			update[i] = z.head
			z.head.up = append(z.head.up, zsetLevel{span: z.length})
		}
		z.level = h
	}
	n.backward = nil
	n.next = update[0].next
	update[0].next = n
	for i := 1; i < h; i++ {
		ul := &update[i].up[i-1]
		n.up[i-1].forward = ul.forward
		n.up[i-1].span = ul.span - (rank[0] - rank[i])
		ul.forward = n
		ul.span = rank[0] - rank[i] + 1
	}
	for i := h; i < z.level; i++ {
		update[i].up[i-1].span++
	}
	if update[0] != z.head {
		n.backward = update[0]
	}
	if n.next != nil {
		n.next.backward = n
	} else {
		z.tail = n
	}
	z.length++
}

// unlink removes node n from the skiplist; update holds its predecessors.
func (z *ZSet) unlink(n *zsetNode, update *[zsetMaxLevel]*zsetNode) {
	update[0].next = n.next
	for i := 1; i < z.level; i++ {
		ul := &update[i].up[i-1]
		if ul.forward == n {
			ul.span += n.up[i-1].span - 1
			ul.forward = n.up[i-1].forward
		} else {
			ul.span--
		}
	}
	if n.next != nil {
		n.next.backward = n.backward
	} else {
		z.tail = n.backward
	}
	for z.level > 1 && z.head.up[z.level-2].forward == nil {
		z.level--
		z.head.up = z.head.up[:z.level-1]
	}
	z.length--
}

// deleteNode removes n from the skiplist and the index.
func (z *ZSet) deleteNode(n *zsetNode, update *[zsetMaxLevel]*zsetNode) {
	z.unlink(n, update)
	z.ix.remove(n.member)
	z.bytes -= len(n.member)
	z.upper -= len(n.up)
	if z.length == 0 {
		z.head.up = nil
	}
}

// updateScore moves n to score (not NaN, different from n.score).
func (z *ZSet) updateScore(n *zsetNode, score float64) {
	if (n.backward == nil || zless(n.backward.score, n.backward.member, score, n.member)) &&
		(n.next == nil || zless(score, n.member, n.next.score, n.next.member)) {
		n.score = score // still in order: update in place, as Redis does
		return
	}
	var update [zsetMaxLevel]*zsetNode
	z.findUpdate(n.score, n.member, &update)
	z.unlink(n, &update)
	n.score = score
	z.link(n) // same node, same height: the index entry stays valid
}

// zsetIndex maps members to nodes: linear probing over a power-of-two
// table of node pointers, at most 3/4 full.
type zsetIndex struct {
	slots []*zsetNode
	n     int
}

var zsetSeed = maphash.MakeSeed()

func (ix *zsetIndex) home(m string) int {
	return int(maphash.String(zsetSeed, m) & uint64(len(ix.slots)-1))
}

func (ix *zsetIndex) find(m string) *zsetNode {
	if ix.n == 0 {
		return nil
	}
	mask := len(ix.slots) - 1
	for i := ix.home(m); ; i = (i + 1) & mask {
		s := ix.slots[i]
		if s == nil {
			return nil
		}
		if s.member == m {
			return s
		}
	}
}

// insert adds n, whose member is absent.
func (ix *zsetIndex) insert(n *zsetNode) {
	if (ix.n+1)*4 > len(ix.slots)*3 {
		ix.resize(max(8, len(ix.slots)*2))
	}
	ix.insertFresh(n)
	ix.n++
}

// insertFresh places n without counting it or growing the table.
func (ix *zsetIndex) insertFresh(n *zsetNode) {
	mask := len(ix.slots) - 1
	i := ix.home(n.member)
	for ix.slots[i] != nil {
		i = (i + 1) & mask
	}
	ix.slots[i] = n
}

func (ix *zsetIndex) resize(size int) {
	old := ix.slots
	ix.slots = make([]*zsetNode, size)
	for _, n := range old {
		if n != nil {
			ix.insertFresh(n)
		}
	}
}

// remove deletes member m, which must be present (backward-shift deletion).
func (ix *zsetIndex) remove(m string) {
	mask := len(ix.slots) - 1
	i := ix.home(m)
	for ix.slots[i].member != m {
		i = (i + 1) & mask
	}
	ix.slots[i] = nil
	ix.n--
	for j := (i + 1) & mask; ix.slots[j] != nil; j = (j + 1) & mask {
		k := ix.home(ix.slots[j].member)
		// Move slots[j] into the hole at i unless its home lies in (i, j].
		if (j > i && (k <= i || k > j)) || (j < i && k <= i && k > j) {
			ix.slots[i] = ix.slots[j]
			ix.slots[j] = nil
			i = j
		}
	}
	if ix.n == 0 {
		ix.slots = nil
	} else if len(ix.slots) > 8 && ix.n*8 < len(ix.slots) {
		ix.resize(len(ix.slots) / 2)
	}
}
