package structures

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
)

func randMember(r *rand.Rand, universe int) []byte {
	x := r.IntN(universe)
	switch x % 17 {
	case 0:
		return []byte{}
	case 1:
		return bytes.Repeat([]byte{'L'}, 60+x%10) // around the 64-byte limit
	}
	return fmt.Appendf(nil, "m%d", x)
}

func checkSet(t *testing.T, s *Set, m map[string]bool) {
	t.Helper()
	require.Equal(t, len(m), s.Len())
	seen := map[string]bool{}
	for v := range s.All() {
		require.NotNil(t, v)
		require.True(t, m[string(v)], "unexpected %q", v)
		require.False(t, seen[string(v)], "duplicate %q", v)
		seen[string(v)] = true
	}
	require.Len(t, seen, len(m))
	if s.d != nil {
		checkDense(t, s.d)
	}
}

func runSetOps(t *testing.T, seed uint64, steps, universe int) {
	r := rand.New(rand.NewPCG(seed, 7))
	s := NewSet()
	m := map[string]bool{}
	var cursor uint64
	var scanning map[string]bool // members present since the scan started
	var scanned map[string]bool
	for step := range steps {
		switch op := r.IntN(12); op {
		case 0, 1, 2, 3:
			v := randMember(r, universe)
			require.Equal(t, !m[string(v)], s.Add(v))
			m[string(v)] = true
			v = append(v[:0], "clobber"...)
		case 4, 5:
			v := randMember(r, universe)
			require.Equal(t, m[string(v)], s.Remove(v))
			delete(m, string(v))
			delete(scanning, string(v))
		case 6:
			v := randMember(r, universe)
			require.Equal(t, m[string(v)], s.Contains(v))
		case 7:
			c := r.IntN(20) - 10
			got := s.RandomMembers(c)
			want := c
			if c > 0 {
				want = min(c, len(m))
			} else if len(m) == 0 {
				want = 0
			}
			require.Len(t, got, max(want, -want))
			seen := map[string]bool{}
			for _, v := range got {
				require.True(t, m[string(v)])
				if c > 0 {
					require.False(t, seen[string(v)], "positive count repeats")
				}
				seen[string(v)] = true
			}
		case 8:
			if r.IntN(3) != 0 {
				continue
			}
			c := r.IntN(4)
			got := s.Pop(c)
			require.Len(t, got, min(c, len(m)))
			for _, v := range got {
				require.True(t, m[string(v)])
				delete(m, string(v))
				delete(scanning, string(v))
			}
		case 9, 10:
			if scanning == nil {
				scanning, scanned, cursor = map[string]bool{}, map[string]bool{}, 0
				for k := range m {
					scanning[k] = true
				}
			}
			cursor = s.Scan(cursor, 1+r.IntN(10), func(v []byte) {
				require.True(t, m[string(v)])
				scanned[string(v)] = true
			})
			if cursor == 0 {
				for k := range scanning {
					require.True(t, scanned[k], "scan missed %q", k)
				}
				scanning = nil
			}
		case 11:
			if r.IntN(20) == 0 {
				c := s.Clone()
				c.Add([]byte("only-in-clone"))
				checkSet(t, s, m)
				c.Remove([]byte("only-in-clone"))
				checkSet(t, c, m)
			}
		}
		if step%101 == 0 {
			checkSet(t, s, m)
		}
	}
	checkSet(t, s, m)
}

func TestSetProperty(t *testing.T) {
	for _, u := range []int{5, 100, 300, 3000} {
		for seed := range uint64(3) {
			t.Run(fmt.Sprintf("u%d_s%d", u, seed), func(t *testing.T) {
				runSetOps(t, seed, 6000, u)
			})
		}
	}
}

func TestSetEdges(t *testing.T) {
	var s Set
	require.Zero(t, s.Len())
	require.Empty(t, s.RandomMembers(5))
	require.Empty(t, s.RandomMembers(-5))
	require.Empty(t, s.Pop(3))
	require.Empty(t, s.Members())
	require.Zero(t, s.Scan(0, 10, func([]byte) { t.Fatal("empty") }))
	require.True(t, s.Add(nil))
	require.False(t, s.Add([]byte{}))
	require.True(t, s.Contains(nil))
	require.Len(t, s.RandomMembers(-3), 3)
	require.Len(t, s.RandomMembers(3), 1)
	require.Empty(t, s.RandomMembers(0))
	got := s.Pop(5)
	require.Equal(t, [][]byte{{}}, got)
	// Conversion by size and by count.
	require.True(t, s.Add(bytes.Repeat([]byte{'x'}, 65)))
	require.NotNil(t, s.d)
	var s2 Set
	for i := range packedMaxEntries + 1 {
		s2.Add(fmt.Appendf(nil, "%d", i))
		require.Equal(t, i >= packedMaxEntries, s2.d != nil)
	}
	// Pop the dense set empty and reuse it.
	require.Len(t, s2.Pop(1000), packedMaxEntries+1)
	require.Zero(t, s2.Len())
	require.True(t, s2.Add([]byte("again")))
}

// TestSetScanShrinking checks the SSCAN guarantee while members are removed
// and added between calls, with the map rebuilt on shrink.
func TestSetScanShrinking(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	for round := range 20 {
		s := NewSet()
		for i := range 5000 {
			s.Add(fmt.Appendf(nil, "k%d", i))
		}
		stay := map[string]bool{}
		for i := 0; i < 5000; i += 7 {
			stay[fmt.Sprint("k", i)] = true
		}
		seen := map[string]bool{}
		cursor := uint64(0)
		for {
			cursor = s.Scan(cursor, 1+r.IntN(50), func(v []byte) { seen[string(v)] = true })
			if cursor == 0 {
				break
			}
			for range r.IntN(200) {
				k := fmt.Sprint("k", r.IntN(5000))
				if !stay[k] {
					s.Remove([]byte(k))
				}
			}
			if round%2 == 0 {
				s.Add(fmt.Appendf(nil, "new%d", r.IntN(1000)))
			}
		}
		for k := range stay {
			require.True(t, seen[k], "missed %s", k)
		}
	}
}

// checkDense checks the index of a dense encoding against its entries.
func checkDense(t *testing.T, d *colDense) {
	t.Helper()
	used := 0
	for _, sl := range d.slots {
		if sl != 0 {
			used++
		}
	}
	require.Equal(t, len(d.ents), used)
	require.LessOrEqual(t, 4*len(d.ents), 3*len(d.slots))
	for i, e := range d.ents {
		j, ok := d.lookup([]byte(d.key(e)))
		require.True(t, ok)
		require.Equal(t, i, j)
	}
}

// TestSetDenseIndexChurn drives the open-addressing index directly at high
// load on small tables (probe runs wrap around the end), and through growth
// and shrinking.
func TestSetDenseIndexChurn(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	for _, pairs := range []bool{false, true} {
		for _, maxLen := range []int{1, 3, 6, 12, 24, 48, 5000} {
			d := newColDense(1, pairs)
			m := map[string]bool{}
			for step := range 8000 {
				k := fmt.Appendf(nil, "k%d", r.IntN(2*maxLen+1))
				if m[string(k)] || (len(m) >= maxLen && r.IntN(2) == 0) {
					if i, ok := d.lookup(k); ok {
						d.removeAt(i)
					}
					delete(m, string(k))
				} else if len(m) < maxLen {
					if pairs {
						require.True(t, d.set(k, []byte("v")))
					} else {
						require.True(t, d.add(k))
					}
					m[string(k)] = true
				}
				_, ok := d.lookup(k)
				require.Equal(t, m[string(k)], ok)
				if step%500 == 0 || maxLen < 50 {
					checkDense(t, d)
					require.Len(t, d.ents, len(m))
				}
			}
			// Shrink from large to tiny.
			for k := range m {
				i, ok := d.lookup([]byte(k))
				require.True(t, ok)
				d.removeAt(i)
			}
			require.Empty(t, d.ents)
			require.LessOrEqual(t, len(d.slots), 64)
			checkDense(t, d)
		}
	}
}

func TestSetEncoding(t *testing.T) {
	s := NewSet()
	require.Equal(t, "intset", s.Encoding())
	for i := range 512 {
		s.Add(fmt.Appendf(nil, "%d", i-100))
	}
	require.Equal(t, "intset", s.Encoding())
	s.Add([]byte("512"))
	require.Equal(t, "hashtable", s.Encoding())
	for _, m := range []string{"+1", "01", "-0", " 1", "9223372036854775808", "1.5", ""} {
		s2 := NewSet()
		s2.Add([]byte(m))
		require.Equal(t, "hashtable", s2.Encoding(), m)
	}
	s3 := NewSet()
	s3.Add([]byte("-9223372036854775808"))
	require.Equal(t, "intset", s3.Encoding())
	h := NewHash()
	require.Equal(t, "listpack", h.Encoding())
	h.Set([]byte("f"), make([]byte, 65))
	require.Equal(t, "hashtable", h.Encoding())
}

func TestSetAddNew(t *testing.T) {
	for _, n := range []int{3, packedMaxEntries, packedMaxEntries + 5} {
		s, ref := NewSet(), NewSet()
		for i := 0; i < n; i++ {
			m := []byte(strconv.Itoa(i))
			s.AddNew(m)
			require.True(t, ref.Add(m))
		}
		s.AddNew(make([]byte, packedMaxValue+1)) // a long member: dense from here
		ref.Add(make([]byte, packedMaxValue+1))
		require.Equal(t, ref.Len(), s.Len())
		require.ElementsMatch(t, ref.Members(), s.Members())
		for m := range ref.All() {
			require.True(t, s.Contains(m))
		}
	}
}

// TestColAllocMatchesRuntime checks colAlloc against what the runtime
// hands out (the capacity slices.Grow gets) for every size up to 40000.
func TestColAllocMatchesRuntime(t *testing.T) {
	require.Zero(t, colAlloc(0))
	for n := 1; n <= 40000; n++ {
		require.Equal(t, cap(slices.Grow([]byte(nil), n)), colAlloc(n), "n = %d", n)
	}
}
