package structures

import (
	"fmt"

	"github.com/vmihailenco/msgpack/v5"
)

// Encode writes the hash as a msgpack map of bin strings to bin strings.
func (h *Hash) Encode(enc *msgpack.Encoder) error {
	if err := enc.EncodeMapLen(h.Len()); err != nil {
		return err
	}
	for f, v := range h.All() {
		if err := enc.EncodeBytes(f); err != nil {
			return err
		}
		if err := enc.EncodeBytes(v); err != nil {
			return err
		}
	}
	return nil
}

// DecodeHash reads a hash written by Encode. Malformed input (wrong types,
// truncation, duplicate fields) is refused whole with an error.
func DecodeHash(dec *msgpack.Decoder) (*Hash, error) {
	n, err := colDecodeLen(dec, "hash", true)
	if err != nil {
		return nil, err
	}
	h := NewHash()
	var fbuf, vbuf []byte
	for range n {
		f, err := colDecodeBin(dec, &fbuf, "hash field")
		if err != nil {
			return nil, err
		}
		v, err := colDecodeBin(dec, &vbuf, "hash value")
		if err != nil {
			return nil, err
		}
		if !h.Set(f, v) {
			return nil, fmt.Errorf("%w: hash: duplicate field %q", errCorrupt, f)
		}
	}
	h.Compact()
	return h, nil
}
