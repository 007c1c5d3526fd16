package structures

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

// withListLimits runs fn with small node limits.
func withListLimits(t *testing.T, maxBytes, maxElems int, fn func()) {
	t.Helper()
	ob, oe := listNodeMaxBytes, listNodeMaxElems
	listNodeMaxBytes, listNodeMaxElems = maxBytes, maxElems
	defer func() { listNodeMaxBytes, listNodeMaxElems = ob, oe }()
	fn()
}

func randValue(r *rand.Rand, big bool) []byte {
	var n int
	switch x := r.IntN(20); {
	case x == 0:
		n = 0
	case x < 15:
		n = r.IntN(8)
	case big && x == 19:
		n = r.IntN(20000)
	default:
		n = r.IntN(100)
	}
	v := make([]byte, n)
	for i := range v {
		v[i] = "abc"[r.IntN(3)]
	}
	return v
}

// modelRange is LRANGE on a slice.
func modelRange(m [][]byte, start, stop int) (int, int, bool) {
	n := len(m)
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

func modelPos(m [][]byte, v []byte, rank, count, maxlen int) []int {
	var out []int
	idx := make([]int, len(m))
	for i := range idx {
		idx[i] = i
	}
	skip := rank - 1
	if rank < 0 {
		slices.Reverse(idx)
		skip = -rank - 1
	}
	for c, i := range idx {
		if maxlen > 0 && c >= maxlen {
			break
		}
		if bytes.Equal(m[i], v) {
			if skip > 0 {
				skip--
				continue
			}
			out = append(out, i)
			if count > 0 && len(out) == count {
				break
			}
		}
	}
	return out
}

func checkList(t *testing.T, l *List, m [][]byte) {
	t.Helper()
	require.Equal(t, len(m), l.Len())
	got := make([][]byte, 0, l.Len())
	for v := range l.All() {
		got = append(got, v)
	}
	require.Equal(t, len(m), len(got))
	for i := range m {
		require.True(t, bytes.Equal(m[i], got[i]), "element %d", i)
	}
	n := 0
	for k := l.h; k < l.t; k++ {
		node := l.ring[k]
		if l.n > 0 {
			require.Positive(t, node.count(), "empty node")
		} else {
			require.Equal(t, 1, l.t-l.h, "empty list with more than one node")
		}
		require.Equal(t, len(node.buf), int(node.offs[len(node.offs)-1]))
		n += node.count()
	}
	require.Equal(t, l.n, n)
}

func runListOps(t *testing.T, seed uint64, steps int, big bool) {
	r := rand.New(rand.NewPCG(seed, 99))
	l := NewList()
	var m [][]byte
	idx := func() int {
		n := len(m) + 2
		switch r.IntN(6) {
		case 0:
			return r.IntN(1<<40) - 1<<39
		case 1:
			return -r.IntN(n)
		default:
			return r.IntN(n)
		}
	}
	for step := range steps {
		switch op := r.IntN(16); op {
		case 0, 1, 2:
			vs := make([][]byte, 1+r.IntN(5))
			for i := range vs {
				vs[i] = randValue(r, big)
			}
			require.Equal(t, len(m)+len(vs), l.PushRight(vs...))
			for _, v := range vs {
				m = append(m, bytes.Clone(v))
			}
			vs[0] = append(vs[0][:0], "clobber"...) // the list copied
		case 3, 4, 5:
			vs := make([][]byte, 1+r.IntN(5))
			for i := range vs {
				vs[i] = randValue(r, big)
			}
			require.Equal(t, len(m)+len(vs), l.PushLeft(vs...))
			for _, v := range vs {
				m = append([][]byte{bytes.Clone(v)}, m...)
			}
		case 6:
			c := r.IntN(8) - 1
			got := l.PopLeft(c)
			k := max(min(c, len(m)), 0)
			require.Len(t, got, k)
			for i := range k {
				require.Equal(t, string(m[i]), string(got[i]))
				require.NotNil(t, got[i])
			}
			m = m[k:]
		case 7:
			c := r.IntN(8) - 1
			got := l.PopRight(c)
			k := max(min(c, len(m)), 0)
			require.Len(t, got, k)
			for i := range k {
				require.Equal(t, string(m[len(m)-1-i]), string(got[i]))
				require.NotNil(t, got[i])
			}
			m = m[:len(m)-k]
		case 8:
			i := idx()
			v, ok := l.Index(i)
			j := i
			if j < 0 {
				j += len(m)
			}
			if j >= 0 && j < len(m) {
				require.True(t, ok)
				require.Equal(t, string(m[j]), string(v))
				require.NotNil(t, v)
			} else {
				require.False(t, ok)
			}
		case 9:
			i, v := idx(), randValue(r, big)
			ok := l.Set(i, v)
			j := i
			if j < 0 {
				j += len(m)
			}
			if j >= 0 && j < len(m) {
				require.True(t, ok)
				m[j] = bytes.Clone(v)
			} else {
				require.False(t, ok)
			}
		case 10:
			a, b := idx(), idx()
			got := l.Range(a, b)
			require.NotNil(t, got)
			for i := range got {
				require.NotNil(t, got[i])
				require.Equal(t, len(got[i]), cap(got[i]), "an append to one copy must not reach the next")
			}
			s, e, ok := modelRange(m, a, b)
			if !ok {
				require.Empty(t, got)
				require.NotNil(t, got)
			} else {
				require.Len(t, got, e-s+1)
				for i := range got {
					require.Equal(t, string(m[s+i]), string(got[i]))
				}
			}
		case 11:
			var pivot []byte
			if len(m) > 0 && r.IntN(4) > 0 {
				pivot = m[r.IntN(len(m))]
			} else {
				pivot = randValue(r, false)
			}
			pivot = bytes.Clone(pivot)
			before := r.IntN(2) == 0
			v := randValue(r, big)
			got := l.Insert(before, pivot, v)
			at := slices.IndexFunc(m, func(e []byte) bool { return bytes.Equal(e, pivot) })
			if at < 0 {
				require.Equal(t, -1, got)
			} else {
				if !before {
					at++
				}
				m = slices.Insert(m, at, bytes.Clone(v))
				require.Equal(t, len(m), got)
			}
		case 12:
			var v []byte
			if len(m) > 0 && r.IntN(4) > 0 {
				v = bytes.Clone(m[r.IntN(len(m))])
			} else {
				v = randValue(r, false)
			}
			c := r.IntN(7) - 3
			got := l.Remove(c, v)
			limit := c
			if limit < 0 {
				limit = -limit
			}
			removed := 0
			var keep [][]byte
			if c >= 0 {
				for _, e := range m {
					if bytes.Equal(e, v) && (limit == 0 || removed < limit) {
						removed++
						continue
					}
					keep = append(keep, e)
				}
			} else {
				for i := len(m) - 1; i >= 0; i-- {
					if bytes.Equal(m[i], v) && removed < limit {
						removed++
						continue
					}
					keep = append(keep, m[i])
				}
				slices.Reverse(keep)
			}
			require.Equal(t, removed, got)
			m = keep
		case 13:
			if r.IntN(4) != 0 {
				continue
			}
			a, b := idx(), idx()
			if r.IntN(2) == 0 {
				a, b = r.IntN(3), -1-r.IntN(3)
			}
			l.Trim(a, b)
			s, e, ok := modelRange(m, a, b)
			if !ok {
				m = nil
			} else {
				m = m[s : e+1]
			}
		case 14:
			var v []byte
			if len(m) > 0 && r.IntN(4) > 0 {
				v = bytes.Clone(m[r.IntN(len(m))])
			} else {
				v = randValue(r, false)
			}
			rank := r.IntN(7) - 3
			if rank == 0 {
				rank = 1
			}
			count, maxlen := r.IntN(4), 0
			if r.IntN(3) == 0 {
				maxlen = r.IntN(len(m) + 2)
			}
			require.Equal(t, modelPos(m, v, rank, count, maxlen), l.Pos(v, rank, count, maxlen), "step %d", step)
		case 15:
			if r.IntN(10) == 0 {
				c := l.Clone()
				l.PushRight([]byte("x"))
				checkList(t, c, m)
				l.PopRight(1)
			}
		}
		if step%97 == 0 || len(m) < 5 {
			checkList(t, l, m)
		}
	}
	checkList(t, l, m)
}

func TestListProperty(t *testing.T) {
	limits := []struct{ bytes, elems int }{
		{1, 1}, {8, 2}, {16, 3}, {64, 7}, {256, 16}, {8192, 1024},
	}
	for _, lim := range limits {
		for seed := range uint64(4) {
			t.Run(fmt.Sprintf("b%d_e%d_s%d", lim.bytes, lim.elems, seed), func(t *testing.T) {
				withListLimits(t, lim.bytes, lim.elems, func() {
					runListOps(t, seed, 3000, seed == 3)
				})
			})
		}
	}
}

func TestListQueueAcrossNodes(t *testing.T) {
	for _, lim := range []int{1, 2, 3, 5, 1024} {
		withListLimits(t, 8192, lim, func() {
			l := NewList()
			next, head := 0, 0
			r := rand.New(rand.NewPCG(uint64(lim), 1))
			for range 5000 {
				if r.IntN(3) > 0 {
					l.PushRight(fmt.Appendf(nil, "%d", next))
					next++
				} else if got := l.PopLeft(1); head < next {
					require.Equal(t, fmt.Sprint(head), string(got[0]))
					head++
				} else {
					require.Nil(t, got)
				}
				require.Equal(t, next-head, l.Len())
			}
			// A stack at the head.
			for i := range 3000 {
				l.PushLeft(fmt.Appendf(nil, "s%d", i))
			}
			for i := 2999; i >= 0; i-- {
				require.Equal(t, fmt.Sprint("s", i), string(l.PopLeft(1)[0]))
			}
		})
	}
}

func TestListEdges(t *testing.T) {
	var l List
	require.Zero(t, l.Len())
	require.Nil(t, l.PopLeft(3))
	require.Nil(t, l.PopRight(1))
	_, ok := l.Index(0)
	require.False(t, ok)
	require.False(t, l.Set(0, nil))
	require.Empty(t, l.Range(0, -1))
	require.Equal(t, -1, l.Insert(true, nil, nil))
	require.Zero(t, l.Remove(0, nil))
	l.Trim(0, -1)
	require.Nil(t, l.Pos(nil, 1, 0, 0))

	l.PushRight(nil, []byte{}, []byte("a"))
	require.Equal(t, 3, l.Len())
	require.Equal(t, []int{0, 1}, l.Pos([]byte{}, 1, 0, 0))
	require.Equal(t, []int{1}, l.Pos(nil, -1, 1, 0))
	require.Equal(t, []int{0}, l.Pos(nil, -2, 1, 0))
	require.Len(t, l.Pos(nil, 1, 1, 0), 1) // single match
	require.Nil(t, l.Pos(nil, 0, 1, 0))    // rank 0: caller's error
	require.Equal(t, 2, l.Remove(0, nil))
	require.Equal(t, [][]byte{[]byte("a")}, l.Range(-100, 100))
	v, ok := l.Index(-1)
	require.True(t, ok)
	require.Equal(t, "a", string(v))
	_, ok = l.Index(-2)
	require.False(t, ok)
	l.Trim(1, 0)
	require.Zero(t, l.Len())
	require.Positive(t, l.MemoryUsage())
}

func TestListMemoryShrinks(t *testing.T) {
	l := NewList()
	for i := range 100000 {
		l.PushRight(fmt.Appendf(nil, "value-%d", i))
	}
	big := l.MemoryUsage()
	l.PopLeft(99990)
	require.Less(t, l.MemoryUsage(), big/40) // a partly drained node and a spare
	l.Trim(0, 3)
	require.Equal(t, 4, l.Len())
}

// TestListQueueBounded checks that a steady queue does not grow a node's
// buffer without bound.
func TestListQueueBounded(t *testing.T) {
	l := NewList()
	v := []byte("0123456789abcdef")
	for range 10 {
		l.PushRight(v)
	}
	for range 200000 {
		l.PushRight(v)
		l.PopLeft(1)
		l.PushLeft(v)
		l.PopRight(1)
	}
	require.Equal(t, 10, l.Len())
	require.Less(t, l.MemoryUsage(), 3*(listNodeMaxBytes+4*listNodeMaxElems))
}

// TestListRangeOwnsItsBytes checks that Range's elements keep their
// values when the list's nodes are rewritten under them.
func TestListRangeOwnsItsBytes(t *testing.T) {
	withListLimits(t, 16, 4, func() {
		l := NewList()
		for i := range 10 {
			l.PushRight([]byte(fmt.Sprintf("v%d", i)))
		}
		cp := l.Range(2, 7)
		for i := range 10 {
			require.True(t, l.Set(i, []byte("xx")))
		}
		l.PopLeft(10)
		want := []string{"v2", "v3", "v4", "v5", "v6", "v7"}
		require.Len(t, cp, len(want))
		for i, w := range want {
			require.Equal(t, w, string(cp[i]))
		}
	})
}
