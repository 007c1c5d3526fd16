package structures

import (
	"bytes"
	"math"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/vmihailenco/msgpack/v5"
)

func zsetEncoded(t testing.TB, z *ZSet) []byte {
	var buf bytes.Buffer
	require.NoError(t, z.EncodeMsgpack(msgpack.NewEncoder(&buf)))
	return buf.Bytes()
}

func TestZSetCodecRoundTrip(t *testing.T) {
	z := NewZSet()
	for i, m := range []string{"", "\x00", "a", "b\x00c", "inf", "ninf", "nz"} {
		z.Add(m, float64(i)/3)
	}
	z.Add("inf", math.Inf(1))
	z.Add("ninf", math.Inf(-1))
	z.Add("nz", math.Copysign(0, -1))
	data := zsetEncoded(t, z)
	d, err := DecodeZSetMsgpack(msgpack.NewDecoder(bytes.NewReader(data)))
	require.NoError(t, err)
	require.Equal(t, zCollect(z.All()), zCollect(d.All()))
	s, _ := d.Score("nz")
	require.True(t, math.Signbit(s))
	// Generic msgpack sees a map of member -> score.
	var generic map[string]float64
	require.NoError(t, msgpack.Unmarshal(data, &generic))
	require.Len(t, generic, 7)
	// Alias names.
	var buf bytes.Buffer
	require.NoError(t, d.Encode(msgpack.NewEncoder(&buf)))
	require.Equal(t, data, buf.Bytes())
	e, err := DecodeZSet(msgpack.NewDecoder(&buf))
	require.NoError(t, err)
	require.Equal(t, 7, e.Len())
	// Empty set.
	empty, err := DecodeZSetMsgpack(msgpack.NewDecoder(bytes.NewReader(zsetEncoded(t, NewZSet()))))
	require.NoError(t, err)
	require.Zero(t, empty.Len())
}

func TestZSetCodecCorrupt(t *testing.T) {
	enc := func(f func(e *msgpack.Encoder)) []byte {
		var buf bytes.Buffer
		f(msgpack.NewEncoder(&buf))
		return buf.Bytes()
	}
	good := zsetEncoded(t, func() *ZSet { z := NewZSet(); z.Add("a", 1); z.Add("b", 2); return z }())
	cases := map[string][]byte{
		"empty":     {},
		"nil":       enc(func(e *msgpack.Encoder) { e.EncodeNil() }),
		"array":     enc(func(e *msgpack.Encoder) { e.EncodeArrayLen(0) }),
		"truncated": good[:len(good)-3],
		"count too high": enc(func(e *msgpack.Encoder) {
			e.EncodeMapLen(3)
			e.EncodeBytes([]byte("a"))
			e.EncodeFloat64(1)
		}),
		"huge count": enc(func(e *msgpack.Encoder) { e.EncodeMapLen(math.MaxInt32) }),
		"nan": enc(func(e *msgpack.Encoder) {
			e.EncodeMapLen(1)
			e.EncodeBytes([]byte("a"))
			e.EncodeFloat64(math.NaN())
		}),
		"duplicate": enc(func(e *msgpack.Encoder) {
			e.EncodeMapLen(2)
			e.EncodeBytes([]byte("a"))
			e.EncodeFloat64(1)
			e.EncodeBytes([]byte("a"))
			e.EncodeFloat64(2)
		}),
		"int member": enc(func(e *msgpack.Encoder) {
			e.EncodeMapLen(1)
			e.EncodeInt(5)
			e.EncodeFloat64(1)
		}),
		"nil score": enc(func(e *msgpack.Encoder) {
			e.EncodeMapLen(1)
			e.EncodeBytes([]byte("a"))
			e.EncodeNil()
		}),
		"string score": enc(func(e *msgpack.Encoder) {
			e.EncodeMapLen(1)
			e.EncodeBytes([]byte("a"))
			e.EncodeString("1")
		}),
		"huge member": enc(func(e *msgpack.Encoder) {
			e.EncodeMapLen(1)
			e.EncodeBytesLen(math.MaxInt32)
		}),
	}
	for name, data := range cases {
		z, err := DecodeZSetMsgpack(msgpack.NewDecoder(bytes.NewReader(data)))
		require.Error(t, err, name)
		require.ErrorIs(t, err, errCorrupt, name)
		require.Nil(t, z, name)
	}
}

func FuzzZSetDecode(f *testing.F) {
	z := NewZSet()
	for i, m := range []string{"a", "b", "", "\x00", "long member name"} {
		z.Add(m, float64(i)-1.5)
	}
	f.Add(zsetEncoded(f, z))
	f.Add(zsetEncoded(f, NewZSet()))
	f.Add([]byte{0x81, 0xc4, 0x01, 'a', 0xcb, 0x7f, 0xf8, 0, 0, 0, 0, 0, 0})
	f.Add([]byte{0xdf, 0x7f, 0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, data []byte) {
		z, err := DecodeZSetMsgpack(msgpack.NewDecoder(bytes.NewReader(data)))
		if err != nil {
			require.Nil(t, z)
			return
		}
		var model zsetModel
		for m, s := range z.All() {
			require.False(t, math.IsNaN(s))
			model = append(model, ZEntry{m, s})
		}
		checkZSet(t, z, model)
		// Re-encoding and decoding is the identity.
		d, err := DecodeZSetMsgpack(msgpack.NewDecoder(bytes.NewReader(zsetEncoded(t, z))))
		require.NoError(t, err)
		require.Equal(t, zCollect(z.All()), zCollect(d.All()))
	})
}
