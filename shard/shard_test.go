package shard

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

type clock struct{ ms int64 }

func (c *clock) now() int64 { return c.ms }

func newShard() (*Shard, *clock) {
	c := &clock{ms: 1_000_000}
	return New(c.now), c
}

func set(s *Shard, key, val string) Ref {
	h := Hash(key)
	return s.SetBytesLocked(key, h, s.FindLocked(key, h), []byte(val))
}

func get(s *Shard, key string) (string, bool) {
	r := s.FindLocked(key, Hash(key))
	if r == 0 {
		return "", false
	}
	return string(s.BytesLocked(r)), true
}

func TestSlotIs32Bytes(t *testing.T) {
	require.Equal(t, int64(32), slotBytes, "the per-key memory budget assumes 32-byte slots")
}

// TestHeaderFieldsKeepApart stores keys of the longest length and of equal
// lengths with every kind of value and flag, checking that the header's
// length, type, flags and hash fragment never disturb one another: each
// key is still found, with its own value, after every change.
func TestHeaderFieldsKeepApart(t *testing.T) {
	s, c := newShard()
	keys := []string{string(make([]byte, MaxKeyLen))}
	for i := range 200 {
		keys = append(keys, fmt.Sprintf("k%05d", i)) // one length: only the fragment tells them apart cheaply
	}
	for i, k := range keys {
		h := Hash(k)
		r := s.SetBytesLocked(k, h, s.FindLocked(k, h), []byte(k[:1]))
		require.Equal(t, r, s.FindLocked(k, h))
		require.Equal(t, len(k), len(s.KeyLocked(r)))
		s.SetExpireAtLocked(r, c.ms+int64(1000+i))
		r = s.SetIntLocked(k, h, r, int64(-i))
		require.Equal(t, r, s.FindLocked(k, h))
		n, ok := s.IsIntLocked(r)
		require.True(t, ok)
		require.Equal(t, int64(-i), n)
		require.Equal(t, TypeString, s.TypeLocked(r))
		require.Equal(t, c.ms+int64(1000+i), s.ExpireAtLocked(r))
	}
	for i, k := range keys {
		h := Hash(k)
		r := s.FindLocked(k, h)
		require.NotZero(t, r, "key %d lost", i)
		require.Equal(t, k, s.KeyLocked(r))
		s.DeleteLocked(r, h)
		require.Zero(t, s.FindLocked(k, h))
	}
	require.Zero(t, s.LenLocked())
}

// TestTableMatchesMap runs random inserts, overwrites and deletes through
// growth and shrinking, checking every step against a map.
func TestTableMatchesMap(t *testing.T) {
	s, _ := newShard()
	ref := map[string]string{}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 200_000; i++ {
		k := fmt.Sprintf("k%d", rng.IntN(5000))
		switch rng.IntN(3) {
		case 0, 1:
			v := fmt.Sprintf("v%d", i)
			set(s, k, v)
			ref[k] = v
		case 2:
			h := Hash(k)
			if r := s.FindLocked(k, h); r != 0 {
				s.DeleteLocked(r, h)
			}
			delete(ref, k)
		}
		if i%20_000 == 0 {
			require.Equal(t, len(ref), s.LenLocked())
		}
	}
	require.Equal(t, len(ref), s.LenLocked())
	for k, v := range ref {
		got, ok := get(s, k)
		require.True(t, ok, k)
		require.Equal(t, v, got)
	}
	st := s.StatsLocked()
	require.EqualValues(t, len(ref), st.Keys[TypeString])
	// Delete everything: the table shrinks back and accounting returns to 0.
	for k := range ref {
		h := Hash(k)
		s.DeleteLocked(s.FindLocked(k, h), h)
	}
	st = s.StatsLocked()
	require.Zero(t, st.TotalKeys())
	require.Zero(t, st.Memory[TypeString])
	require.Equal(t, minBuckets, len(s.mu.t.buckets))
}

func TestIntEncodingAndAppend(t *testing.T) {
	s, _ := newShard()
	h := Hash("n")
	r := s.SetIntLocked("n", h, 0, -42)
	n, ok := s.IsIntLocked(r)
	require.True(t, ok)
	require.Equal(t, int64(-42), n)
	require.Equal(t, "-42", string(s.BytesLocked(r)))
	require.Equal(t, 3, s.StrlenLocked(r))

	// APPEND turns it into a raw string; earlier readers keep their view.
	require.Equal(t, 5, s.AppendLocked(r, []byte("xy")))
	first := s.BytesLocked(r)
	for i := 0; i < 1000; i++ {
		s.AppendLocked(r, []byte("z"))
	}
	require.Equal(t, "-42xy", string(first))
	require.Equal(t, 1005, s.StrlenLocked(r))
	_, ok = s.IsIntLocked(r)
	require.False(t, ok)
}

func TestSetRangeCopiesOnWrite(t *testing.T) {
	s, _ := newShard()
	r := set(s, "k", "hello")
	old := s.BytesLocked(r)
	require.Equal(t, 9, s.SetRangeLocked(r, 6, []byte("abc")))
	require.Equal(t, "hello\x00abc", string(s.BytesLocked(r)))
	require.Equal(t, "hello", string(old))
}

func TestExpiry(t *testing.T) {
	s, c := newShard()
	for i := 0; i < 100; i++ {
		r := set(s, fmt.Sprint(i), "v")
		if i%2 == 0 {
			s.SetExpireAtLocked(r, c.ms+10)
		}
	}
	require.EqualValues(t, 50, s.StatsLocked().Expires)
	c.ms += 10 // not yet: a key expires strictly after its time, as in Redis
	_, ok := get(s, "0")
	require.True(t, ok)
	c.ms++
	_, ok = get(s, "0")
	require.False(t, ok, "a read never sees an expired key")

	checked, expired := s.ExpireCycleLocked(1000)
	require.Equal(t, 49, expired) // "0" was already removed by the read
	require.GreaterOrEqual(t, checked, 49)
	require.Equal(t, 50, s.LenLocked())
	require.Zero(t, s.TTLListLenLocked(), "expired entries leave the TTL list")
	require.EqualValues(t, 50, s.StatsLocked().Expired)
	require.Zero(t, s.StatsLocked().Expires)
}

// TestTTLListNoDuplicates toggles a TTL on and off and reuses slots: the
// list the expiry cycle walks must not grow without bound.
func TestTTLListNoDuplicates(t *testing.T) {
	s, c := newShard()
	r := set(s, "k", "v")
	for i := 0; i < 1000; i++ {
		s.SetExpireAtLocked(r, c.ms+1000)
		s.SetExpireAtLocked(r, 0)
	}
	require.Equal(t, 1, s.TTLListLenLocked())
	for i := 0; i < 1000; i++ {
		h := Hash("k")
		s.DeleteLocked(s.FindLocked("k", h), h)
		r = set(s, "k", "v")
		s.SetExpireAtLocked(r, c.ms+1000)
	}
	require.Equal(t, 1, s.TTLListLenLocked())
	s.ExpireCycleLocked(10)
	require.Equal(t, 1, s.TTLListLenLocked(), "a live TTL stays listed")
}

// TestScanCoversThroughResize checks Redis's SCAN guarantee: keys present
// for the whole iteration are returned, even as the table grows and shrinks
// between steps.
func TestScanCoversThroughResize(t *testing.T) {
	s, _ := newShard()
	for i := 0; i < 1000; i++ {
		set(s, fmt.Sprintf("stable%d", i), "v")
	}
	seen := map[string]bool{}
	cursor, step := uint64(0), 0
	for {
		cursor = s.ScanLocked(cursor, func(r Ref) { seen[s.KeyLocked(r)] = true })
		step++
		switch {
		case step%7 == 0: // grow
			for j := 0; j < 300; j++ {
				set(s, fmt.Sprintf("tmp%d-%d", step, j), "v")
			}
		case step%11 == 0: // shrink: drop every temporary key
			for _, k := range keysWithPrefix(s, "tmp") {
				h := Hash(k)
				s.DeleteLocked(s.FindLocked(k, h), h)
			}
		}
		if cursor == 0 {
			break
		}
	}
	for i := 0; i < 1000; i++ {
		require.True(t, seen[fmt.Sprintf("stable%d", i)], "stable%d missed", i)
	}
}

func keysWithPrefix(s *Shard, p string) []string {
	var out []string
	for c := uint64(0); ; {
		c = s.ScanLocked(c, func(r Ref) {
			if k := s.KeyLocked(r); len(k) >= len(p) && k[:len(p)] == p {
				out = append(out, k)
			}
		})
		if c == 0 {
			return out
		}
	}
}

func TestRandomSkipsExpired(t *testing.T) {
	s, c := newShard()
	require.Zero(t, s.RandomLocked())
	for i := 0; i < 50; i++ {
		s.SetExpireAtLocked(set(s, fmt.Sprint(i), "v"), c.ms+1)
	}
	set(s, "live", "v")
	c.ms += 2
	for i := 0; i < 20; i++ {
		r := s.RandomLocked()
		require.NotZero(t, r)
		require.Equal(t, "live", s.KeyLocked(r))
	}
}

type fakeObj struct{ n int }

func (o *fakeObj) MemoryUsage() int { return o.n }
func (o *fakeObj) Len() int         { return o.n }

func TestObjectsAndTypeChanges(t *testing.T) {
	s, _ := newShard()
	h := Hash("k")
	r := s.SetObjectLocked("k", h, 0, TypeList, &fakeObj{100})
	require.Equal(t, TypeList, s.TypeLocked(r))
	require.EqualValues(t, 101, s.StatsLocked().Memory[TypeList])
	o := s.ObjectLocked(r).(*fakeObj)
	o.n = 200
	s.UpdateObjectMemoryLocked(r, h)
	require.EqualValues(t, 201, s.StatsLocked().Memory[TypeList])

	// Overwrite with a string: the object's accounting goes away.
	r = s.SetBytesLocked("k", h, r, []byte("v"))
	st := s.StatsLocked()
	require.Zero(t, st.Memory[TypeList])
	require.Zero(t, st.Keys[TypeList])
	require.EqualValues(t, 1, st.Keys[TypeString])

	// Move it into another shard as RENAME does.
	s2, _ := newShard()
	v := s.ValueLocked(r)
	s.DeleteLocked(r, h)
	r2 := s2.StoreLocked("k2", Hash("k2"), 0, v)
	require.Equal(t, "v", string(s2.BytesLocked(r2)))
}

func TestFlush(t *testing.T) {
	s, c := newShard()
	for i := 0; i < 100; i++ {
		s.SetExpireAtLocked(set(s, fmt.Sprint(i), "v"), c.ms+100)
	}
	s.FlushLocked()
	require.Zero(t, s.LenLocked())
	require.Zero(t, s.StatsLocked().TotalKeys())
	require.Zero(t, s.TTLListLenLocked())
	_, ok := get(s, "1")
	require.False(t, ok)
}

// TestLargeObjectMeasuredOnDrift checks the amortized accounting: a large
// aggregate is measured again only when its length drifts by an eighth.
func TestLargeObjectMeasuredOnDrift(t *testing.T) {
	s, _ := newShard()
	h := Hash("k")
	o := &fakeObj{1000}
	r := s.SetObjectLocked("k", h, 0, TypeList, o)
	require.EqualValues(t, 1001, s.StatsLocked().Memory[TypeList])
	o.n = 1100 // within an eighth: not measured again
	s.UpdateObjectMemoryLocked(r, h)
	require.EqualValues(t, 1001, s.StatsLocked().Memory[TypeList])
	o.n = 1130 // past an eighth: measured
	s.UpdateObjectMemoryLocked(r, h)
	require.EqualValues(t, 1131, s.StatsLocked().Memory[TypeList])
	o.n = 100 // small objects are measured every time
	s.UpdateObjectMemoryLocked(r, h)
	require.EqualValues(t, 101, s.StatsLocked().Memory[TypeList])
	o.n = 101
	s.UpdateObjectMemoryLocked(r, h)
	require.EqualValues(t, 102, s.StatsLocked().Memory[TypeList])
}
