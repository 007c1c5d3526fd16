package structures

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
)

func hashMap(h *Hash) map[string]string {
	m := map[string]string{}
	for f, v := range h.All() {
		m[string(f)] = string(v)
	}
	return m
}

func TestHashCodec(t *testing.T) {
	for _, n := range []int{0, 1, 5, 128, 129, 3000} {
		h := NewHash()
		for i := range n {
			h.Set(fmt.Appendf(nil, "field-%d", i), fmt.Appendf(nil, "value-%d", i*7))
		}
		enc := encodeValue(t, h)
		got, err := DecodeHash(decoderOf(enc))
		require.NoError(t, err)
		require.Equal(t, hashMap(h), hashMap(got))
		require.Equal(t, n > packedMaxEntries, got.d != nil)
		if n <= 5 {
			checkTruncations(t, enc, DecodeHash)
		}
	}
	for _, b := range commonCorrupt {
		_, err := DecodeHash(decoderOf(b))
		require.Error(t, err, "% x", b)
	}
	_, err := DecodeHash(decoderOf([]byte{0x82, 0xa1, 'a', 0xa0, 0xa1, 'a', 0xa1, 'b'}))
	require.ErrorIs(t, err, errCorrupt)
	_, err = DecodeHash(decoderOf([]byte{0x91, 0xa1, 'a'})) // an array
	require.ErrorIs(t, err, errCorrupt)
}

func FuzzDecodeHash(f *testing.F) {
	for _, b := range commonCorrupt {
		f.Add(b)
	}
	h := NewHash()
	h.Set([]byte("a"), []byte("1"))
	h.Set([]byte{}, []byte{})
	f.Add(encodeValue(f, h))
	f.Fuzz(func(t *testing.T, data []byte) {
		h, err := DecodeHash(decoderOf(data))
		if err != nil {
			return
		}
		h2, err := DecodeHash(decoderOf(encodeValue(t, h)))
		require.NoError(t, err)
		require.Equal(t, hashMap(h), hashMap(h2))
	})
}
