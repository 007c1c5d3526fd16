package structures

import (
	"fmt"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

func sortedMembers(s *Set) []string {
	var out []string
	for m := range s.All() {
		out = append(out, string(m))
	}
	slices.Sort(out)
	return out
}

func TestSetCodec(t *testing.T) {
	for _, n := range []int{0, 1, 5, 128, 129, 3000} {
		s := NewSet()
		for i := range n {
			s.Add(fmt.Appendf(nil, "member-%d", i))
		}
		enc := encodeValue(t, s)
		got, err := DecodeSet(decoderOf(enc))
		require.NoError(t, err)
		require.Equal(t, sortedMembers(s), sortedMembers(got))
		require.Equal(t, n > packedMaxEntries, got.d != nil)
		if n <= 5 {
			checkTruncations(t, enc, DecodeSet)
		}
	}
	for _, b := range commonCorrupt {
		_, err := DecodeSet(decoderOf(b))
		require.Error(t, err, "% x", b)
	}
	// Duplicates, small and large.
	_, err := DecodeSet(decoderOf([]byte{0x92, 0xa1, 'a', 0xc4, 0x01, 'a'}))
	require.ErrorIs(t, err, errCorrupt)
	s := NewSet()
	for i := range 300 {
		s.Add(fmt.Appendf(nil, "%d", i))
	}
	enc := encodeValue(t, s)
	enc = append(enc[:len(enc):len(enc)], enc[3:6]...) // repeat the first member at the end
	enc[1], enc[2] = 0x01, 0x2d                        // array16 length 301
	_, err = DecodeSet(decoderOf(enc))
	require.ErrorIs(t, err, errCorrupt)
}

func FuzzDecodeSet(f *testing.F) {
	for _, b := range commonCorrupt {
		f.Add(b)
	}
	s := NewSet()
	s.Add([]byte("a"))
	s.Add([]byte{})
	f.Add(encodeValue(f, s))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := DecodeSet(decoderOf(data))
		if err != nil {
			return
		}
		s2, err := DecodeSet(decoderOf(encodeValue(t, s)))
		require.NoError(t, err)
		require.Equal(t, sortedMembers(s), sortedMembers(s2))
	})
}
