package structures

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/vmihailenco/msgpack/v5"
)

// encodeValue encodes anything with an Encode method.
func encodeValue(t testing.TB, v interface{ Encode(*msgpack.Encoder) error }) []byte {
	var buf bytes.Buffer
	require.NoError(t, v.Encode(msgpack.NewEncoder(&buf)))
	return buf.Bytes()
}

func decoderOf(b []byte) *msgpack.Decoder { return msgpack.NewDecoder(bytes.NewReader(b)) }

// checkTruncations checks that every proper prefix of a valid encoding is
// refused.
func checkTruncations[T any](t *testing.T, enc []byte, decode func(*msgpack.Decoder) (T, error)) {
	t.Helper()
	for i := range len(enc) {
		_, err := decode(decoderOf(enc[:i]))
		require.Error(t, err, "prefix %d of %d", i, len(enc))
	}
}

// Malformed inputs every decoder refuses.
var commonCorrupt = [][]byte{
	{},
	{0xc0},                         // nil
	{0x01},                         // an integer
	{0xdd, 0xff, 0xff, 0xff, 0xff}, // array of 4G elements, no body
	{0xdf, 0xff, 0xff, 0xff, 0xff}, // map of 4G entries, no body
	{0x91, 0xc0},                   // [nil]
	{0x91, 0x01},                   // [1]
	{0x81, 0xc0, 0xc0},             // {nil: nil}
	{0x81, 0xa1, 'a', 0x01},        // {"a": 1}
	{0x92, 0xc6, 0xff, 0xff, 0xff, 0xff, 'a'}, // bin claiming 4 GiB
}

func TestListCodec(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 5, 1000, 5000} {
		l := NewList()
		for i := range n {
			if i%2 == 0 {
				l.PushRight(randValue(r, true))
			} else {
				l.PushLeft(randValue(r, true))
			}
		}
		enc := encodeValue(t, l)
		got, err := DecodeList(decoderOf(enc))
		require.NoError(t, err)
		require.Equal(t, l.Range(0, -1), got.Range(0, -1))
		if n <= 5 {
			checkTruncations(t, enc, DecodeList)
		}
	}
	for _, b := range commonCorrupt {
		if bytes.Equal(b, []byte{0x81, 0xa1, 'a', 0x01}) || bytes.Equal(b, []byte{0x81, 0xc0, 0xc0}) || bytes.Equal(b, []byte{0xdf, 0xff, 0xff, 0xff, 0xff}) {
			continue // maps: refused as well, checked below
		}
		_, err := DecodeList(decoderOf(b))
		require.Error(t, err, "% x", b)
		require.ErrorIs(t, err, errCorrupt)
	}
	_, err := DecodeList(decoderOf([]byte{0x81, 0xa1, 'a', 0xa1, 'b'}))
	require.Error(t, err)
	// Strings are accepted as well as bins.
	l, err := DecodeList(decoderOf([]byte{0x92, 0xa1, 'a', 0xa0}))
	require.NoError(t, err)
	require.Equal(t, [][]byte{[]byte("a"), {}}, l.Range(0, -1))
}

func FuzzDecodeList(f *testing.F) {
	for _, b := range commonCorrupt {
		f.Add(b)
	}
	l := NewList()
	l.PushRight([]byte("a"), []byte{}, []byte("hello"))
	f.Add(encodeValue(f, l))
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := DecodeList(decoderOf(data))
		if err != nil {
			return
		}
		enc := encodeValue(t, l)
		l2, err := DecodeList(decoderOf(enc))
		require.NoError(t, err)
		require.Equal(t, l.Range(0, -1), l2.Range(0, -1))
		require.Equal(t, fmt.Sprint(l.Len()), fmt.Sprint(l2.Len()))
	})
}
