package structures

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

func randHashValue(r *rand.Rand) []byte {
	switch r.IntN(12) {
	case 0:
		return []byte{}
	case 1:
		return bytes.Repeat([]byte{'v'}, 60+r.IntN(10)) // around the 64-byte limit
	}
	return fmt.Appendf(nil, "v%d", r.IntN(1000))
}

func checkHash(t *testing.T, h *Hash, m map[string]string) {
	t.Helper()
	require.Equal(t, len(m), h.Len())
	seen := map[string]bool{}
	for f, v := range h.All() {
		require.NotNil(t, f)
		require.NotNil(t, v)
		want, ok := m[string(f)]
		require.True(t, ok, "unexpected %q", f)
		require.Equal(t, want, string(v))
		require.False(t, seen[string(f)])
		seen[string(f)] = true
	}
	require.Len(t, seen, len(m))
	if h.d != nil {
		checkDense(t, h.d)
	}
}

func runHashOps(t *testing.T, seed uint64, steps, universe int) {
	r := rand.New(rand.NewPCG(seed, 11))
	h := NewHash()
	m := map[string]string{}
	var cursor uint64
	var scanning map[string]bool
	var scanned map[string]bool
	for step := range steps {
		switch op := r.IntN(12); op {
		case 0, 1, 2, 3:
			f, v := randMember(r, universe), randHashValue(r)
			_, had := m[string(f)]
			require.Equal(t, !had, h.Set(f, v))
			m[string(f)] = string(v)
			f = append(f[:0], "clobber"...)
			v = append(v[:0], "clobber"...)
		case 4, 5:
			f := randMember(r, universe)
			_, had := m[string(f)]
			require.Equal(t, had, h.Delete(f))
			delete(m, string(f))
			delete(scanning, string(f))
		case 6:
			f := randMember(r, universe)
			want, had := m[string(f)]
			got, ok := h.Get(f)
			require.Equal(t, had, ok)
			require.Equal(t, want, string(got))
			require.Equal(t, had, h.Exists(f))
			require.Equal(t, len(want), h.StrLen(f))
			if had {
				require.NotNil(t, got)
			}
		case 7:
			c := r.IntN(20) - 10
			fs, vs := h.RandomFields(c)
			want := c
			if c > 0 {
				want = min(c, len(m))
			} else if len(m) == 0 {
				want = 0
			}
			require.Len(t, fs, max(want, -want))
			require.Len(t, vs, len(fs))
			seen := map[string]bool{}
			for i, f := range fs {
				require.Equal(t, m[string(f)], string(vs[i]))
				if c > 0 {
					require.False(t, seen[string(f)], "positive count repeats")
				}
				seen[string(f)] = true
			}
			f, v, ok := h.RandomField()
			require.Equal(t, len(m) > 0, ok)
			if ok {
				require.Equal(t, m[string(f)], string(v))
			}
		case 8, 9:
			if scanning == nil {
				scanning, scanned, cursor = map[string]bool{}, map[string]bool{}, 0
				for k := range m {
					scanning[k] = true
				}
			}
			cursor = h.Scan(cursor, 1+r.IntN(10), func(f, v []byte) {
				require.Equal(t, m[string(f)], string(v))
				scanned[string(f)] = true
			})
			if cursor == 0 {
				for k := range scanning {
					require.True(t, scanned[k], "scan missed %q", k)
				}
				scanning = nil
			}
		case 10:
			if r.IntN(20) == 0 {
				c := h.Clone()
				c.Set([]byte("only-in-clone"), []byte("x"))
				checkHash(t, h, m)
				c.Delete([]byte("only-in-clone"))
				checkHash(t, c, m)
			}
		case 11:
			// Overwrite an existing field with a value of another length.
			for f := range m {
				v := randHashValue(r)
				require.False(t, h.Set([]byte(f), v))
				m[f] = string(v)
				break
			}
		}
		if step%101 == 0 {
			checkHash(t, h, m)
		}
	}
	checkHash(t, h, m)
}

func TestHashProperty(t *testing.T) {
	for _, u := range []int{5, 100, 300, 3000} {
		for seed := range uint64(3) {
			t.Run(fmt.Sprintf("u%d_s%d", u, seed), func(t *testing.T) {
				runHashOps(t, seed, 6000, u)
			})
		}
	}
}

func TestHashEdges(t *testing.T) {
	var h Hash
	require.Zero(t, h.Len())
	_, ok := h.Get(nil)
	require.False(t, ok)
	require.False(t, h.Delete(nil))
	fs, vs := h.RandomFields(-3)
	require.Empty(t, fs)
	require.Empty(t, vs)
	_, _, ok = h.RandomField()
	require.False(t, ok)
	require.Zero(t, h.Scan(0, 1, func(_, _ []byte) { t.Fatal("empty") }))

	require.True(t, h.Set(nil, nil))
	v, ok := h.Get([]byte{})
	require.True(t, ok)
	require.NotNil(t, v)
	require.Empty(t, v)
	require.False(t, h.Set([]byte{}, []byte("x")))
	require.Equal(t, 1, h.StrLen(nil))
	fs, vs = h.RandomFields(-4)
	require.Len(t, fs, 4)
	require.Equal(t, "x", string(vs[3]))

	// A long value converts; so does the 129th field.
	require.False(t, h.Set(nil, bytes.Repeat([]byte{'y'}, 65)))
	require.NotNil(t, h.d)
	var h2 Hash
	for i := range packedMaxEntries + 1 {
		h2.Set(fmt.Appendf(nil, "f%d", i), []byte("v"))
		require.Equal(t, i >= packedMaxEntries, h2.d != nil)
	}
	var h3 Hash
	h3.Set(bytes.Repeat([]byte{'f'}, 65), nil)
	require.NotNil(t, h3.d)
	require.Equal(t, 0, h3.StrLen(bytes.Repeat([]byte{'f'}, 65)))
}
