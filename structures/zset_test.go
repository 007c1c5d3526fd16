package structures

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/vmihailenco/msgpack/v5"
)

// zsetModel is the reference: entries sorted by (score, member).
type zsetModel []ZEntry

func zcmp(a, b ZEntry) int {
	switch {
	case a.Score < b.Score:
		return -1
	case a.Score > b.Score:
		return 1
	}
	return strings.Compare(a.Member, b.Member)
}

func (m *zsetModel) find(member string) int {
	for i, e := range *m {
		if e.Member == member {
			return i
		}
	}
	return -1
}

func (m *zsetModel) set(member string, score float64) {
	if i := m.find(member); i >= 0 {
		if (*m)[i].Score == score {
			return
		}
		(*m)[i].Score = score
	} else {
		*m = append(*m, ZEntry{member, score})
	}
	slices.SortFunc(*m, zcmp)
}

func (m *zsetModel) del(member string) bool {
	i := m.find(member)
	if i < 0 {
		return false
	}
	*m = slices.Delete(*m, i, i+1)
	return true
}

func (m zsetModel) byScore(r ScoreRange) []ZEntry {
	var out []ZEntry
	for _, e := range m {
		if r.gteMin(e.Score) && r.lteMax(e.Score) {
			out = append(out, e)
		}
	}
	return out
}

func (m zsetModel) byLex(r LexRange) []ZEntry {
	var out []ZEntry
	for _, e := range m {
		if r.gteMin(e.Member) && r.lteMax(e.Member) {
			out = append(out, e)
		}
	}
	return out
}

// zWindow applies reverse, offset and limit to a forward-ordered result.
func zWindow(in []ZEntry, reverse bool, offset, limit int) []ZEntry {
	in = slices.Clone(in)
	if reverse {
		slices.Reverse(in)
	}
	if offset < 0 || offset >= len(in) {
		return []ZEntry{}
	}
	in = in[offset:]
	if limit >= 0 && limit < len(in) {
		in = in[:limit]
	}
	return in
}

func zCollect(seq func(func(string, float64) bool)) []ZEntry {
	out := []ZEntry{}
	for m, s := range seq {
		out = append(out, ZEntry{m, s})
	}
	return out
}

func zOrEmpty(e []ZEntry) []ZEntry {
	if e == nil {
		return []ZEntry{}
	}
	return e
}

// checkZSet verifies the skiplist's invariants and that z holds model.
func checkZSet(t *testing.T, z *ZSet, model zsetModel) {
	t.Helper()
	require.Equal(t, len(model), z.Len())
	require.Equal(t, len(model), z.ix.n)
	require.Equal(t, z.level-1, len(z.head.up), "head height")
	require.Nil(t, z.head.backward)
	// Level 0: order, backward pointers, tail, index.
	rank := map[*zsetNode]int{z.head: 0}
	var prev *zsetNode
	i, maxH, upper, nbytes := 0, 1, 0, 0
	for n := z.head.next; n != nil; n = n.next {
		require.Less(t, i, len(model), "too many nodes")
		require.Equal(t, model[i], ZEntry{n.member, n.score}, "entry %d", i)
		require.Same(t, prev, n.backward, "backward of %d", i)
		if prev != nil {
			require.True(t, zless(prev.score, prev.member, n.score, n.member), "order at %d", i)
		}
		require.Same(t, n, z.ix.find(n.member), "index of %q", n.member)
		i++
		rank[n] = i
		maxH = max(maxH, 1+len(n.up))
		upper += len(n.up)
		nbytes += len(n.member)
		prev = n
	}
	require.Equal(t, len(model), i)
	require.Same(t, prev, z.tail, "tail")
	require.Equal(t, maxH, z.level, "level")
	require.Equal(t, upper, z.upper)
	require.Equal(t, nbytes, z.bytes)
	// Upper levels: each is the sublist of nodes at least that tall, in
	// order, with spans equal to rank differences.
	for lv := 1; lv < z.level; lv++ {
		x := z.head
		for {
			f := x.up[lv-1].forward
			if f == nil {
				require.Equal(t, z.length-rank[x], x.up[lv-1].span, "tail span at level %d", lv)
				break
			}
			r, ok := rank[f]
			require.True(t, ok, "level %d links a node not on level 0", lv)
			require.Greater(t, r, rank[x])
			require.Equal(t, r-rank[x], x.up[lv-1].span, "span at level %d", lv)
			// No node of height > lv is skipped.
			for n := x.next; n != f; n = n.next {
				require.LessOrEqual(t, len(n.up), lv-1, "skipped tall node at level %d", lv)
			}
			x = f
		}
		for n := x.next; n != nil; n = n.next {
			require.LessOrEqual(t, len(n.up), lv-1, "tall node after last at level %d", lv)
		}
	}
	require.True(t, len(z.ix.slots) == 0 || (z.ix.n*4 <= len(z.ix.slots)*3 && zPow2(len(z.ix.slots))))
}

func zPow2(n int) bool { return n > 0 && n&(n-1) == 0 }

var zsetScores = []float64{math.Inf(-1), -2, -1, math.Copysign(0, -1), 0, 0.5, 1, 2, 3, math.Inf(1)}

func zRandScore(r *rand.Rand) float64 {
	if r.IntN(4) == 0 {
		return float64(r.IntN(200)-100) / 4
	}
	return zsetScores[r.IntN(len(zsetScores))]
}

func zRandMember(r *rand.Rand, n int) string {
	const alpha = "ab\x00c"
	l := r.IntN(4)
	b := make([]byte, l)
	for i := range b {
		b[i] = alpha[r.IntN(len(alpha))]
	}
	return string(b) + fmt.Sprint(r.IntN(n))
}

func zRandScoreRange(r *rand.Rand) ScoreRange {
	a, b := zRandScore(r), zRandScore(r)
	if r.IntN(5) > 0 && a > b {
		a, b = b, a
	}
	return ScoreRange{Min: a, Max: b, MinEx: r.IntN(3) == 0, MaxEx: r.IntN(3) == 0}
}

func zRandLexBound(r *rand.Rand, universe int) LexBound {
	switch r.IntN(8) {
	case 0:
		return LexBound{Inf: -1, Exclusive: true}
	case 1:
		return LexBound{Inf: 1, Exclusive: true}
	}
	return LexBound{Value: zRandMember(r, universe), Exclusive: r.IntN(2) == 0}
}

func zRandLexRange(r *rand.Rand, universe int) LexRange {
	lr := LexRange{Min: zRandLexBound(r, universe), Max: zRandLexBound(r, universe)}
	if r.IntN(5) > 0 && boundCmp(&lr.Min, &lr.Max) > 0 {
		lr.Min, lr.Max = lr.Max, lr.Min
	}
	return lr
}

// runZSetOps drives z and a model with random operations; with lex, every
// score is equal and lex ranges are checked too.
func runZSetOps(t *testing.T, seed uint64, steps, universe int, lex bool) {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	z := NewZSet()
	var model zsetModel
	score := func() float64 {
		if lex {
			return 7
		}
		return zRandScore(r)
	}
	for step := range steps {
		n := len(model)
		switch op := r.IntN(20); op {
		case 0, 1, 2, 3, 4: // add / update
			m, s := zRandMember(r, universe), score()
			old, existed := z.Score(m)
			res, err := z.Add(m, s)
			require.NoError(t, err)
			switch {
			case !existed:
				require.Equal(t, ZAddAdded, res)
			case old == s:
				require.Equal(t, ZAddUnchanged, res)
			default:
				require.Equal(t, ZAddUpdated, res)
			}
			model.set(m, s)
		case 5: // incr
			m := zRandMember(r, universe)
			d := float64(r.IntN(5) - 2)
			old, existed := z.Score(m)
			if lex { // keep every score at 7
				d = 0
				if !existed {
					d = 7
				}
			}
			got, added, err := z.Incr(m, d)
			if existed && math.IsNaN(old+d) {
				require.ErrorIs(t, err, ErrScoreNaN)
				break
			}
			require.NoError(t, err)
			require.Equal(t, !existed, added)
			want := d
			if existed {
				want = old + d
			}
			require.Equal(t, want, got)
			model.set(m, want)
		case 6, 7: // delete
			m := zRandMember(r, universe)
			require.Equal(t, model.del(m), z.Delete(m))
		case 8: // score and rank
			m := zRandMember(r, universe)
			i := model.find(m)
			s, ok := z.Score(m)
			require.Equal(t, i >= 0, ok)
			rk, ok := z.Rank(m, false)
			require.Equal(t, i >= 0, ok)
			rr, _ := z.Rank(m, true)
			if i >= 0 {
				require.Equal(t, model[i].Score, s)
				require.Equal(t, i, rk)
				require.Equal(t, n-1-i, rr)
			}
		case 9: // by rank
			start, stop := r.IntN(2*n+3)-n-1, r.IntN(2*n+3)-n-1
			rev := r.IntN(2) == 0
			want := []ZEntry{}
			if lo, hi, ok := NormalizeRankRange(start, stop, n); ok {
				src := slices.Clone(model)
				if rev {
					slices.Reverse(src)
				}
				want = src[lo : hi+1]
				e, ok := z.At(lo, rev)
				require.True(t, ok)
				require.Equal(t, src[lo], e)
			}
			require.Equal(t, want, zCollect(z.ByRank(start, stop, rev)))
		case 10, 11: // by score
			sr := zRandScoreRange(r)
			rev := r.IntN(2) == 0
			off, lim := 0, -1
			if r.IntN(2) == 0 {
				off, lim = r.IntN(n+2)-1, r.IntN(n+2)-1
			}
			all := model.byScore(sr)
			require.Equal(t, zWindow(all, rev, off, lim), zCollect(z.ByScore(sr, rev, off, lim)), "%+v rev=%v off=%d lim=%d", sr, rev, off, lim)
			require.Equal(t, len(all), z.CountByScore(sr))
		case 12: // by lex
			lr := zRandLexRange(r, universe)
			rev := r.IntN(2) == 0
			off, lim := 0, -1
			if r.IntN(2) == 0 {
				off, lim = r.IntN(n+2)-1, r.IntN(n+2)-1
			}
			got := zCollect(z.ByLex(lr, rev, off, lim))
			cnt := z.CountByLex(lr)
			if lex {
				all := model.byLex(lr)
				require.Equal(t, zWindow(all, rev, off, lim), got, "%+v", lr)
				require.Equal(t, len(all), cnt)
			}
		case 13: // delete by rank
			start, stop := r.IntN(2*n+3)-n-1, r.IntN(2*n+3)-n-1
			if r.IntN(3) > 0 {
				start, stop = r.IntN(n+1), r.IntN(n+1) // keep removals small-ish
				if stop > start+3 {
					stop = start + 3
				}
			}
			want := 0
			if lo, hi, ok := NormalizeRankRange(start, stop, n); ok {
				want = hi - lo + 1
				model = slices.Delete(model, lo, hi+1)
			}
			require.Equal(t, want, z.DeleteRangeByRank(start, stop))
		case 14: // delete by score
			sr := zRandScoreRange(r)
			if r.IntN(2) == 0 && !sr.empty() { // narrow ranges mostly
				sr.Max = sr.Min
				sr.MaxEx = false
				sr.MinEx = false
			}
			gone := model.byScore(sr)
			for _, e := range gone {
				model.del(e.Member)
			}
			require.Equal(t, len(gone), z.DeleteRangeByScore(sr))
		case 15: // delete by lex
			if !lex {
				break
			}
			lr := zRandLexRange(r, universe)
			if r.IntN(2) == 0 {
				lr.Max = lr.Min
				lr.Max.Exclusive = false
			}
			gone := model.byLex(lr)
			for _, e := range gone {
				model.del(e.Member)
			}
			require.Equal(t, len(gone), z.DeleteRangeByLex(lr))
		case 16: // pop
			c := r.IntN(3)
			var want []ZEntry
			var got []ZEntry
			if r.IntN(2) == 0 {
				want = slices.Clone(model[:min(c, n)])
				got = z.PopMin(c)
			} else {
				src := slices.Clone(model)
				slices.Reverse(src)
				want = src[:min(c, n)]
				got = z.PopMax(c)
			}
			require.Equal(t, zOrEmpty(want), got)
			for _, e := range want {
				model.del(e.Member)
			}
		case 17: // random members
			c := r.IntN(2*n+3) - n - 1
			got := z.RandomMembers(c)
			switch {
			case c >= n:
				require.Equal(t, zOrEmpty(model), got)
			case c >= 0:
				require.Len(t, got, c)
				seen := map[string]bool{}
				for _, e := range got {
					require.False(t, seen[e.Member])
					seen[e.Member] = true
					require.Equal(t, model[model.find(e.Member)], e)
				}
			default:
				if n == 0 {
					require.Empty(t, got)
					break
				}
				require.Len(t, got, -c)
				for _, e := range got {
					require.GreaterOrEqual(t, model.find(e.Member), 0)
				}
			}
			e, ok := z.RandomMember()
			require.Equal(t, n > 0, ok)
			if ok {
				require.GreaterOrEqual(t, model.find(e.Member), 0)
			}
		case 18: // clone, iteration
			c := z.Clone()
			checkZSet(t, c, model)
			require.Equal(t, zOrEmpty(model), zCollect(c.All()))
			back := slices.Clone(model)
			slices.Reverse(back)
			require.Equal(t, zOrEmpty(back), zCollect(z.Backward()))
			c.Add("clone-only", 1)
		case 19: // codec round trip
			var buf bytes.Buffer
			require.NoError(t, z.EncodeMsgpack(msgpack.NewEncoder(&buf)))
			d, err := DecodeZSetMsgpack(msgpack.NewDecoder(&buf))
			require.NoError(t, err)
			checkZSet(t, d, model)
		}
		if step%7 == 0 || step == steps-1 {
			checkZSet(t, z, model)
		}
	}
}

func TestZSetProperty(t *testing.T) {
	for seed := range uint64(6) {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			runZSetOps(t, seed, 4000, 30+int(seed)*40, false)
		})
	}
}

func TestZSetPropertyLex(t *testing.T) {
	for seed := range uint64(4) {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			runZSetOps(t, 100+seed, 4000, 20+int(seed)*50, true)
		})
	}
}

// TestZSetPropertyLarge grows a set well past a few levels.
func TestZSetPropertyLarge(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	z := NewZSet()
	var model zsetModel
	for i := range 3000 {
		m := fmt.Sprintf("m%05d", r.IntN(5000))
		s := float64(r.IntN(1000))
		_, err := z.Add(m, s)
		require.NoError(t, err)
		model.set(m, s)
		if i%3 == 0 {
			d := fmt.Sprintf("m%05d", r.IntN(5000))
			require.Equal(t, model.del(d), z.Delete(d))
		}
	}
	checkZSet(t, z, model)
	require.Greater(t, z.level, 3)
	for range 200 {
		sr := zRandScoreRange(r)
		sr.Min, sr.Max = float64(r.IntN(1100)-50), float64(r.IntN(1100)-50)
		off, lim := r.IntN(50), r.IntN(20)
		rev := r.IntN(2) == 0
		all := model.byScore(sr)
		require.Equal(t, zWindow(all, rev, off, lim), zCollect(z.ByScore(sr, rev, off, lim)))
		require.Equal(t, len(all), z.CountByScore(sr))
	}
	require.Equal(t, len(model), z.DeleteRangeByScore(ScoreRange{Min: math.Inf(-1), Max: math.Inf(1)}))
	checkZSet(t, z, nil)
	require.Equal(t, 1, z.level)
}

func TestZSetEmpty(t *testing.T) {
	z := NewZSet()
	checkZSet(t, z, nil)
	_, ok := z.Score("a")
	require.False(t, ok)
	_, ok = z.Rank("a", false)
	require.False(t, ok)
	_, ok = z.At(0, false)
	require.False(t, ok)
	_, ok = z.RandomMember()
	require.False(t, ok)
	require.False(t, z.Delete("a"))
	all := ScoreRange{Min: math.Inf(-1), Max: math.Inf(1)}
	require.Empty(t, zCollect(z.ByScore(all, false, 0, -1)))
	require.Empty(t, zCollect(z.ByScore(all, true, 0, -1)))
	require.Empty(t, zCollect(z.ByRank(0, -1, false)))
	require.Empty(t, zCollect(z.ByLex(LexRange{Min: LexBound{Inf: -1}, Max: LexBound{Inf: 1}}, false, 0, -1)))
	require.Zero(t, z.CountByScore(all))
	require.Zero(t, z.DeleteRangeByRank(0, -1))
	require.Zero(t, z.DeleteRangeByScore(all))
	require.Equal(t, []ZEntry{}, z.PopMin(3))
	require.Equal(t, []ZEntry{}, z.RandomMembers(-3))
	require.Equal(t, []ZEntry{}, z.Clone().PopMax(1))
	require.Positive(t, z.MemoryUsage())
}

func TestZSetTiesNegZeroInfZeroBytes(t *testing.T) {
	z := NewZSet()
	negZero := math.Copysign(0, -1)
	for _, e := range []ZEntry{{"b", 0}, {"a", negZero}, {"c", 0}, {"\x00", 0}, {"", 0}, {"a\x00", negZero},
		{"inf", math.Inf(1)}, {"ninf", math.Inf(-1)}} {
		res, err := z.Add(e.Member, e.Score)
		require.NoError(t, err)
		require.Equal(t, ZAddAdded, res)
	}
	got := zCollect(z.All())
	members := []string{}
	for _, e := range got {
		members = append(members, e.Member)
	}
	// -0 and 0 are equal scores: ordered by member bytes.
	require.Equal(t, []string{"ninf", "", "\x00", "a", "a\x00", "b", "c", "inf"}, members)
	// -0 is stored as given, and re-adding 0 leaves it unchanged.
	s, _ := z.Score("a")
	require.True(t, math.Signbit(s))
	res, err := z.Add("a", 0)
	require.NoError(t, err)
	require.Equal(t, ZAddUnchanged, res)
	s, _ = z.Score("a")
	require.True(t, math.Signbit(s))
	// Zero-score range holds -0 and 0 alike.
	require.Equal(t, 6, z.CountByScore(ScoreRange{Min: 0, Max: negZero}))
	require.Equal(t, 0, z.CountByScore(ScoreRange{Min: 0, Max: 0, MinEx: true}))
	// Infinite scores and bounds.
	require.Equal(t, 8, z.CountByScore(ScoreRange{Min: math.Inf(-1), Max: math.Inf(1)}))
	require.Equal(t, 6, z.CountByScore(ScoreRange{Min: math.Inf(-1), Max: math.Inf(1), MinEx: true, MaxEx: true}))
	r, ok := z.Rank("inf", true)
	require.True(t, ok)
	require.Zero(t, r)
	// inf + -inf is NaN: refused, nothing changes.
	_, _, err = z.Incr("inf", math.Inf(-1))
	require.ErrorIs(t, err, ErrScoreNaN)
	s, _ = z.Score("inf")
	require.Equal(t, math.Inf(1), s)
	_, err = z.Add("x", math.NaN())
	require.ErrorIs(t, err, ErrScoreNaN)
	require.False(t, z.Contains("x"))
	_, _, err = z.Incr("y", math.NaN())
	require.ErrorIs(t, err, ErrScoreNaN)
	require.Equal(t, 8, z.Len())
	// ZINCRBY on a new member keeps the increment's sign.
	s, added, err := z.Incr("nz", negZero)
	require.NoError(t, err)
	require.True(t, added)
	require.True(t, math.Signbit(s))
}

func TestZSetLexEdges(t *testing.T) {
	z := NewZSet()
	for _, m := range []string{"", "\x00", "a", "aa", "ab", "b", "\xff"} {
		z.Add(m, 0)
	}
	lex := func(min, max string) []string {
		r, err := ParseLexRange([]byte(min), []byte(max))
		require.NoError(t, err)
		out := []string{}
		for m := range z.ByLex(r, false, 0, -1) {
			out = append(out, m)
		}
		require.Equal(t, len(out), z.CountByLex(r))
		return out
	}
	require.Equal(t, []string{"", "\x00", "a", "aa", "ab", "b", "\xff"}, lex("-", "+"))
	require.Equal(t, []string{""}, lex("-", "["))
	require.Equal(t, []string{}, lex("-", "("))
	require.Equal(t, []string{"a", "aa", "ab"}, lex("[a", "(b"))
	require.Equal(t, []string{"aa", "ab"}, lex("(a", "[ab"))
	require.Equal(t, []string{}, lex("+", "-"))
	require.Equal(t, []string{}, lex("-", "-"))
	require.Equal(t, []string{}, lex("+", "+"))
	require.Equal(t, []string{}, lex("[b", "[a"))
	require.Equal(t, []string{}, lex("(a", "[a"))
	require.Equal(t, []string{"a"}, lex("[a", "[a"))
	require.Equal(t, []string{"\xff"}, lex("(b", "+"))
	require.Equal(t, []string{"\xff"}, lex("(b", "+\x00junk"), "+\\0... is + in Redis")
	for _, bad := range [][2]string{{"a", "+"}, {"-", "b"}, {"", "+"}, {"-", ""}, {"+a", "+"}, {"-", "--"}} {
		_, err := ParseLexRange([]byte(bad[0]), []byte(bad[1]))
		require.ErrorIs(t, err, ErrLexRange, "%q", bad)
		require.EqualError(t, err, "ERR min or max not valid string range item")
	}
	require.Equal(t, 3, z.DeleteRangeByLex(LexRange{Min: LexBound{Value: "a"}, Max: LexBound{Value: "b", Exclusive: true}}))
	require.Equal(t, []string{"", "\x00", "b", "\xff"}, lex("-", "+"))
}

func TestZSetParseScoreRange(t *testing.T) {
	ok := []struct {
		min, max string
		want     ScoreRange
	}{
		{"1", "2", ScoreRange{Min: 1, Max: 2}},
		{"(1.5", "(2", ScoreRange{Min: 1.5, Max: 2, MinEx: true, MaxEx: true}},
		{"-inf", "+inf", ScoreRange{Min: math.Inf(-1), Max: math.Inf(1)}},
		{"-INF", "inf", ScoreRange{Min: math.Inf(-1), Max: math.Inf(1)}},
		{"(-inf", "Infinity", ScoreRange{Min: math.Inf(-1), Max: math.Inf(1), MinEx: true}},
		{"1e3", " 0x10", ScoreRange{Min: 1000, Max: 16}},
		{"0x1p-2", "1e999", ScoreRange{Min: 0.25, Max: math.Inf(1)}},
		{"", "(", ScoreRange{Min: 0, Max: 0, MaxEx: true}},
		{"5\x00junk", ".5", ScoreRange{Min: 5, Max: 0.5}},
		{"-1e-400", "+3.", ScoreRange{Min: math.Copysign(0, -1), Max: 3}},
	}
	for _, c := range ok {
		got, err := ParseScoreRange([]byte(c.min), []byte(c.max))
		require.NoError(t, err, "%q %q", c.min, c.max)
		require.Equal(t, c.want, got, "%q %q", c.min, c.max)
	}
	for _, bad := range [][2]string{{"nan", "1"}, {"1", "(nan"}, {"a", "1"}, {"1 ", "2"}, {"1", "[2"},
		{"((1", "2"}, {"1_0", "2"}, {"0x", "1"}, {"1", "--1"}, {"1e", "2"}, {"0x_1p0", "1"}} {
		_, err := ParseScoreRange([]byte(bad[0]), []byte(bad[1]))
		require.ErrorIs(t, err, ErrScoreRange, "%q", bad)
		require.EqualError(t, err, "ERR min or max is not a float")
	}
}

func TestZSetOffsetLimit(t *testing.T) {
	z := NewZSet()
	for i := range 10 {
		z.Add(fmt.Sprint(i), float64(i))
	}
	all := ScoreRange{Min: math.Inf(-1), Max: math.Inf(1)}
	names := func(seq func(func(string, float64) bool)) string {
		var sb strings.Builder
		for m := range seq {
			sb.WriteString(m)
		}
		return sb.String()
	}
	require.Equal(t, "3456", names(z.ByScore(all, false, 3, 4)))
	require.Equal(t, "6543", names(z.ByScore(all, true, 3, 4)))
	require.Equal(t, "", names(z.ByScore(all, false, -1, 4)))
	require.Equal(t, "", names(z.ByScore(all, false, 10, 4)))
	require.Equal(t, "", names(z.ByScore(all, false, 0, 0)))
	require.Equal(t, "89", names(z.ByScore(all, false, 8, -5)))
	require.Equal(t, "45", names(z.ByScore(ScoreRange{Min: 2, Max: 5}, false, 2, 10)))
	require.Equal(t, "", names(z.ByScore(ScoreRange{Min: 2, Max: 5}, false, 4, 10)))
	require.Equal(t, "32", names(z.ByScore(ScoreRange{Min: 2, Max: 5, MaxEx: true}, true, 1, 10)))
	require.Equal(t, "789", names(z.ByRank(-3, 100, false)))
	require.Equal(t, "987", names(z.ByRank(0, 2, true)))
	require.Equal(t, "", names(z.ByRank(5, 2, false)))
	require.Equal(t, 3, z.DeleteRangeByRank(-3, -1))
	require.Equal(t, "0123456", names(z.All()))
	// Early break from iterators.
	for range z.ByScore(all, false, 0, -1) {
		break
	}
}

func TestZSetCloneIndependent(t *testing.T) {
	z := NewZSet()
	for i := range 500 {
		z.Add(fmt.Sprint(i), float64(i%17))
	}
	c := z.Clone()
	c.Delete("1")
	c.Add("2", 100)
	c.Add("new", 3)
	s, _ := z.Score("2")
	require.Equal(t, 2.0, s)
	require.True(t, z.Contains("1"))
	require.False(t, z.Contains("new"))
	require.Equal(t, 500, z.Len())
	require.Equal(t, 500, c.Len())
}

func TestZSetMemoryPerMember(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 1M-member set")
	}
	const n = 1_000_000
	members := make([]string, n)
	for i := range members {
		members[i] = fmt.Sprintf("member:%d", i) // 12-14 bytes
	}
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	z := NewZSet()
	for i, m := range members {
		z.Add(m, float64(i%1000))
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	perMember := float64(after.HeapAlloc-before.HeapAlloc) / n
	// Member strings were allocated before: add what they cost.
	strBytes := 16.0
	t.Logf("heap bytes/member at 1M (member strings of 12-14 bytes included): %.1f; MemoryUsage/member: %.1f",
		perMember+strBytes, float64(z.MemoryUsage())/n)
	require.Less(t, perMember+strBytes, 110.0)
	runtime.KeepAlive(z)
	runtime.KeepAlive(members)
}

func BenchmarkZSet(b *testing.B) {
	for _, n := range []int{1e3, 1e4, 1e5, 1e6} {
		r := rand.New(rand.NewPCG(1, 2))
		z := NewZSet()
		members := make([]string, n)
		for i := range members {
			members[i] = fmt.Sprintf("member:%d", i)
			z.Add(members[i], float64(r.IntN(n)))
		}
		b.Run(fmt.Sprintf("Add/n=%d", n), func(b *testing.B) {
			// Re-score existing members to random places: delete +
			// reinsert at a new position, keeping n constant.
			for i := 0; b.Loop(); i++ {
				z.Add(members[i%n], float64(r.IntN(n))+0.5)
			}
		})
		b.Run(fmt.Sprintf("Rank/n=%d", n), func(b *testing.B) {
			steps := 0
			for i := 0; b.Loop(); i++ {
				m := members[(i*7919)%n]
				z.Rank(m, false)
				if i < 1000 {
					steps += zsetDescentSteps(z, m)
				}
			}
			b.ReportMetric(float64(steps)/float64(min(b.N, 1000)), "nodes/op")
		})
		b.Run(fmt.Sprintf("RangeByScoreLimit10/n=%d", n), func(b *testing.B) {
			for b.Loop() {
				lo := float64(r.IntN(n))
				sr := ScoreRange{Min: lo, Max: math.Inf(1)}
				for range z.ByScore(sr, false, 5, 10) {
				}
			}
		})
	}
}

// zsetDescentSteps counts the nodes a rank descent for member looks at:
// the algorithmic cost, which grows like log n, whereas ns/op also grows
// with cache misses once the set outgrows the CPU caches.
func zsetDescentSteps(z *ZSet, member string) int {
	n := z.ix.find(member)
	steps := 0
	x := z.head
	for i := z.level - 1; i >= 0; i-- {
		for f := x.fwd(i); f != nil; f = x.fwd(i) {
			steps++
			if !(f.score < n.score || (f.score == n.score && f.member <= n.member)) {
				break
			}
			x = f
		}
	}
	return steps
}
