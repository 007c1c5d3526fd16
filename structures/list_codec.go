package structures

import (
	"errors"
	"fmt"
	"slices"

	"github.com/vmihailenco/msgpack/v5"
	"github.com/vmihailenco/msgpack/v5/msgpcode"
)

// errCorrupt is wrapped by every decoding error about malformed input.
var errCorrupt = errors.New("structures: corrupt encoding")

// colDecodeLen reads an array (or, if isMap, map) header and refuses nil
// and negative counts.
func colDecodeLen(dec *msgpack.Decoder, what string, isMap bool) (int, error) {
	c, err := dec.PeekCode()
	if err != nil {
		return 0, fmt.Errorf("%w: %s: %v", errCorrupt, what, err)
	}
	if c == msgpcode.Nil {
		return 0, fmt.Errorf("%w: %s: nil", errCorrupt, what)
	}
	var n int
	if isMap {
		n, err = dec.DecodeMapLen()
	} else {
		n, err = dec.DecodeArrayLen()
	}
	if err != nil {
		return 0, fmt.Errorf("%w: %s: %v", errCorrupt, what, err)
	}
	if n < 0 {
		return 0, fmt.Errorf("%w: %s: bad length %d", errCorrupt, what, n)
	}
	return n, nil
}

// colMaxString is the longest string a decoder accepts (Redis's
// proto-max-bulk-len default).
const colMaxString = 512 << 20

// colDecodeBin reads one string (bin or str) into scratch, reusing its
// memory, refusing nil and other types. A claimed length is never trusted
// for allocation: the buffer grows geometrically as bytes actually arrive.
// The result is valid until the next call with the same scratch.
func colDecodeBin(dec *msgpack.Decoder, scratch *[]byte, what string) ([]byte, error) {
	c, err := dec.PeekCode()
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", errCorrupt, what, err)
	}
	if !msgpcode.IsBin(c) && !msgpcode.IsString(c) {
		return nil, fmt.Errorf("%w: %s: not a string (code %#x)", errCorrupt, what, c)
	}
	n, err := dec.DecodeBytesLen()
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", errCorrupt, what, err)
	}
	if n < 0 || n > colMaxString {
		return nil, fmt.Errorf("%w: %s: bad length %d", errCorrupt, what, n)
	}
	buf := (*scratch)[:0]
	for len(buf) < n {
		chunk := min(n-len(buf), max(len(buf), 64<<10))
		buf = slices.Grow(buf, chunk)
		buf = buf[:len(buf)+chunk]
		if err := dec.ReadFull(buf[len(buf)-chunk:]); err != nil {
			return nil, fmt.Errorf("%w: %s: %v", errCorrupt, what, err)
		}
	}
	*scratch = buf
	return buf, nil
}

// Encode writes the list as a msgpack array of bin strings, head first.
func (l *List) Encode(enc *msgpack.Encoder) error {
	if err := enc.EncodeArrayLen(l.n); err != nil {
		return err
	}
	for v := range l.All() {
		if err := enc.EncodeBytes(v); err != nil {
			return err
		}
	}
	return nil
}

// DecodeList reads a list written by Encode. Malformed input (wrong types,
// truncation) is refused whole with an error wrapping errCorrupt.
func DecodeList(dec *msgpack.Decoder) (*List, error) {
	n, err := colDecodeLen(dec, "list", false)
	if err != nil {
		return nil, err
	}
	l := NewList()
	var scratch []byte
	for range n {
		v, err := colDecodeBin(dec, &scratch, "list element")
		if err != nil {
			return nil, err
		}
		l.PushRight(v)
	}
	for _, node := range l.nodes() {
		node.compact()
	}
	return l, nil
}
