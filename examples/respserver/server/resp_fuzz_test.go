package server

import (
	"bytes"
	"errors"
	"io"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/require"
)

// fuzzMaxReq is the fuzz reader's MaxRequestBytes: small, so that claimed
// lengths beyond it are easy for the fuzzer to reach.
const fuzzMaxReq = 4096

// maxFuzzRequests bounds the requests read from one input (a pipeline).
const maxFuzzRequests = 256

// encodeMultibulk encodes args as a RESP multibulk request.
func encodeMultibulk(args [][]byte) []byte {
	var b []byte
	b = append(b, '*')
	b = strconv.AppendInt(b, int64(len(args)), 10)
	b = append(b, "\r\n"...)
	for _, a := range args {
		b = append(b, '$')
		b = strconv.AppendInt(b, int64(len(a)), 10)
		b = append(b, "\r\n"...)
		b = append(b, a...)
		b = append(b, "\r\n"...)
	}
	return b
}

func strs(args [][]byte) []string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = string(a)
	}
	return out
}

// parsed is one reader result: a request's arguments (copied), or the
// error that ended the stream.
type parsed struct {
	args  []string
	empty bool // an empty request: nil args, no error
	err   string
}

// readAll reads requests from r until an error (at most maxFuzzRequests).
// With checkAllocs, it checks for each request that the reader allocated
// no more than the bytes it was sent justify, whatever lengths the input
// claimed.
func readAll(t *testing.T, r io.Reader, inputLen int, checkAllocs bool) []parsed {
	t.Helper()
	rd := newReader(r, fuzzMaxReq)
	var ms runtime.MemStats
	var out []parsed
	for range maxFuzzRequests {
		var before uint64
		if checkAllocs {
			runtime.ReadMemStats(&ms)
			before = ms.TotalAlloc
		}
		args, err := rd.read()
		if checkAllocs {
			runtime.ReadMemStats(&ms)
			allocated := ms.TotalAlloc - before
			// The bytes actually sent bound the rest: an inline line is at
			// most maxInlineLen, gathered in at most twice that. The
			// constant covers the runtime's and the fuzzer's own
			// allocations in the meantime.
			limit := uint64(4*fuzzMaxReq + 2*maxInlineLen + 48*inputLen + 64<<10)
			require.LessOrEqual(t, allocated, limit,
				"one read allocated %d bytes from a %d-byte input (MaxRequestBytes %d)", allocated, inputLen, fuzzMaxReq)
		}

		// What the reader keeps is bounded by the limits, not by the
		// lengths the input claims: the arena by MaxRequestBytes
		// (amortized growth at most doubles it).
		require.LessOrEqual(t, int64(cap(rd.arena)), int64(3*fuzzMaxReq+64),
			"arena capacity %d for MaxRequestBytes %d", cap(rd.arena), fuzzMaxReq)

		if err != nil {
			out = append(out, parsed{err: errKind(err)})
			return out
		}
		if args == nil {
			out = append(out, parsed{empty: true})
			continue
		}
		require.NotEmpty(t, args, "a request with no arguments must be returned as nil")
		total := 0
		for _, a := range args {
			total += len(a)
		}
		require.LessOrEqual(t, total, fuzzMaxReq, "request of %d bytes accepted with MaxRequestBytes %d", total, fuzzMaxReq)
		out = append(out, parsed{args: strs(args)})
	}
	return out
}

// errKind is an error as the server acts on it: a protocol error's text
// (sent to the client), or the I/O error.
func errKind(err error) string {
	var pe protocolError
	if errors.As(err, &pe) {
		return pe.Error()
	}
	switch {
	case errors.Is(err, io.EOF):
		return "EOF"
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "unexpected EOF"
	}
	return "other: " + err.Error()
}

func FuzzReadCommand(f *testing.F) {
	seeds := []string{
		// valid multibulk
		"*1\r\n$4\r\nPING\r\n",
		"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nhello\r\n",
		"*2\r\n$3\r\nGET\r\n$0\r\n\r\n",
		"*2\r\n$4\r\nECHO\r\n$6\r\nbin\x00\r\n\r\n",
		"*0\r\n*-1\r\n*1\r\n$4\r\nPING\r\n",
		"*1\n$4\nPING\n",                                                    // bare LF
		"*2\r\n$3\r\nGET\r\n$4093\r\n" + strings.Repeat("k", 4093) + "\r\n", // at MaxRequestBytes
		"*2\r\n$3\r\nGET\r\n$4094\r\n" + strings.Repeat("k", 4094) + "\r\n", // one byte over it
		"GET " + strings.Repeat("k", 4093) + "\r\n",                         // inline, at it
		"GET " + strings.Repeat("k", 4094) + "\r\n",                         // inline, over it
		"*1\r\n$70000\r\n" + strings.Repeat("v", 70000) + "\r\n",            // over it, sent in full
		"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2000\r\n" + strings.Repeat("v", 10), // claimed, never sent
		"*1048576\r\n$1\r\nx\r\n",
		// inline
		"PING\r\n",
		"SET k v\nGET k\n",
		"  \t\r\n\r\n",
		"ECHO \"a b\\x41\\n\\r\\t\\b\\a\\\\\\\"\" 'c\\'d' \"\"\r\n",
		"ECHO \"\\x4\" '\\x41'\r\n",
		"SET a \"b\"c\r\n",
		"SET a 'b'c\r\n",
		"\"unterminated\r\n",
		"'unterminated\r\n",
		"no newline at the end",
		// malformed
		"*\r\n", "*-0\r\n", "*+1\r\n$1\r\nx\r\n", "*1\r\n$+1\r\nx\r\n", "*1\r\n$-0\r\n\r\n", "*1\r\n$1\r\nxyz",
		"*1\r\n\r\n", "*2\r\n$1\r\na\r\n",
	}
	for _, tc := range protocolCases {
		seeds = append(seeds, tc.in)
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got := readAll(t, bytes.NewReader(data), len(data), true)

		// The same bytes arriving one at a time parse the same.
		require.Equal(t, got, readAll(t, iotest.OneByteReader(bytes.NewReader(data)), len(data), false),
			"parse differs when the input arrives a byte at a time")

		// Round trip: each request parsed, encoded as a multibulk, parses
		// back to the same arguments, and the encoding is consumed exactly.
		for _, p := range got {
			if p.args == nil {
				continue
			}
			args := make([][]byte, len(p.args))
			for i, a := range p.args {
				args[i] = []byte(a)
			}
			enc := encodeMultibulk(args)
			rd := newReader(bytes.NewReader(enc), fuzzMaxReq)
			again, err := rd.read()
			require.NoError(t, err, "re-parsing %q", enc)
			require.Equal(t, p.args, strs(again), "round trip of %q", enc)
			_, err = rd.read()
			require.ErrorIs(t, err, io.EOF, "bytes left after re-parsing %q", enc)
		}
	})
}
