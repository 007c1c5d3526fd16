package structures

import (
	"fmt"
	"io"
	"math"

	"github.com/vmihailenco/msgpack/v5"
	"github.com/vmihailenco/msgpack/v5/msgpcode"
)

// EncodeMsgpack writes the sorted set as a msgpack map of Len entries,
// member (bin) -> score (float64), lowest score first.
func (z *ZSet) EncodeMsgpack(enc *msgpack.Encoder) error {
	if err := enc.EncodeMapLen(z.length); err != nil {
		return err
	}
	for n := z.head.next; n != nil; n = n.next {
		if err := enc.EncodeBytesLen(len(n.member)); err != nil {
			return err
		}
		if _, err := io.WriteString(enc.Writer(), n.member); err != nil {
			return err
		}
		if err := enc.EncodeFloat64(n.score); err != nil {
			return err
		}
	}
	return nil
}

// Encode is EncodeMsgpack, under the name the other structures use.
func (z *ZSet) Encode(enc *msgpack.Encoder) error { return z.EncodeMsgpack(enc) }

// DecodeZSetMsgpack reads a sorted set written by EncodeMsgpack. Malformed
// input (wrong types, truncation, a count the entries do not match, NaN
// scores, duplicate members) is refused whole with an error that wraps the
// package's corrupt-encoding error; it never panics, and memory grows with
// the bytes actually read, not with a claimed count.
func DecodeZSetMsgpack(dec *msgpack.Decoder) (*ZSet, error) {
	n, err := colDecodeLen(dec, "zset", true)
	if err != nil {
		return nil, err
	}
	z := NewZSet()
	var scratch []byte
	for range n {
		m, err := colDecodeBin(dec, &scratch, "zset member")
		if err != nil {
			return nil, err
		}
		c, err := dec.PeekCode()
		if err != nil {
			return nil, fmt.Errorf("%w: zset score: %v", errCorrupt, err)
		}
		if c != msgpcode.Double && c != msgpcode.Float {
			return nil, fmt.Errorf("%w: zset score: not a float (code %#x)", errCorrupt, c)
		}
		s, err := dec.DecodeFloat64()
		if err != nil {
			return nil, fmt.Errorf("%w: zset score: %v", errCorrupt, err)
		}
		if math.IsNaN(s) {
			return nil, fmt.Errorf("%w: zset: NaN score for member %q", errCorrupt, m)
		}
		member := string(m)
		if z.ix.find(member) != nil {
			return nil, fmt.Errorf("%w: zset: duplicate member %q", errCorrupt, m)
		}
		z.insert(member, s)
	}
	return z, nil
}

// DecodeZSet is DecodeZSetMsgpack, under the name pattern the other
// structures use.
func DecodeZSet(dec *msgpack.Decoder) (*ZSet, error) { return DecodeZSetMsgpack(dec) }
