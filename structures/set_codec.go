package structures

import (
	"fmt"

	"github.com/vmihailenco/msgpack/v5"
)

// Encode writes the set as a msgpack array of bin strings.
func (s *Set) Encode(enc *msgpack.Encoder) error {
	if err := enc.EncodeArrayLen(s.Len()); err != nil {
		return err
	}
	for m := range s.All() {
		if err := enc.EncodeBytes(m); err != nil {
			return err
		}
	}
	return nil
}

// DecodeSet reads a set written by Encode. Malformed input (wrong types,
// truncation, duplicate members) is refused whole with an error.
func DecodeSet(dec *msgpack.Decoder) (*Set, error) {
	n, err := colDecodeLen(dec, "set", false)
	if err != nil {
		return nil, err
	}
	s := NewSet()
	var scratch []byte
	for range n {
		m, err := colDecodeBin(dec, &scratch, "set member")
		if err != nil {
			return nil, err
		}
		if !s.Add(m) {
			return nil, fmt.Errorf("%w: set: duplicate member %q", errCorrupt, m)
		}
	}
	s.Compact()
	return s, nil
}
