package server

import (
	"bufio"
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jackdawdb/jackdaw/engine"
)

// parseAll runs the parser over data as an event loop would: the bytes
// arrive in chunks (next gives each chunk's size), every complete request
// is taken, and an incomplete one is kept for the next chunk, moved to a
// fresh buffer (as a loop compacts its buffer or copies leftover bytes
// into a connection's own). The results are readAll's, with the reader's
// EOF and unexpected EOF (the input ended) as "end".
func parseAll(t *testing.T, data []byte, maxReq int64, next func() int) []parsed {
	t.Helper()
	ps := newParser(maxReq)
	var out []parsed
	var buf []byte
	var args [][]byte
	pos := 0
	for len(out) < maxFuzzRequests {
		var n int
		var err error
		args, n, err = ps.parse(buf, args[:0])
		switch {
		case err != nil:
			var pe protocolError
			require.True(t, errors.As(err, &pe), "not a protocol error: %v", err)
			return append(out, parsed{err: pe.Error()})
		case n == 0:
			require.Empty(t, args, "an incomplete request returned arguments")
			if pos == len(data) {
				return append(out, parsed{err: "end"})
			}
			k := min(max(next(), 1), len(data)-pos)
			moved := make([]byte, len(buf), len(buf)+k)
			copy(moved, buf)
			buf = append(moved, data[pos:pos+k]...)
			pos += k
			continue
		}
		require.LessOrEqual(t, n, len(buf))
		if len(args) == 0 {
			out = append(out, parsed{empty: true})
		} else {
			out = append(out, parsed{args: strs(args)})
		}
		buf = buf[n:]
	}
	return out
}

// normalize maps the reader's end of input to parseAll's.
func normalize(ps []parsed) []parsed {
	for i, p := range ps {
		if p.err == "EOF" || p.err == "unexpected EOF" {
			ps[i].err = "end"
		}
	}
	return ps
}

// FuzzParser: the event loops' parser agrees with the reader on every
// input, whole or arriving in pieces of any size.
func FuzzParser(f *testing.F) {
	f.Add([]byte("*1\r\n$4\r\nPING\r\n"), uint8(1))
	f.Add([]byte("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nhello\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n"), uint8(3))
	f.Add([]byte("PING\r\n\r\n*0\r\nECHO \"a b\\x41\\n\" 'c\\'d'\r\nQUIT\r\n"), uint8(2))
	f.Add([]byte("*2\r\n$3\r\nGET\r\n$4094\r\n"+strings.Repeat("k", 4094)+"\r\n"), uint8(200))
	f.Add([]byte("*1\r\n$70000\r\n"+strings.Repeat("v", 70000)+"\r\n"), uint8(255))
	f.Add([]byte(strings.Repeat("x", 70000)), uint8(255))
	f.Add([]byte("*1\r\n$+1\r\nx\r\n*-1\r\n*1\r\n$-0\r\n\r\n"), uint8(1))
	for _, tc := range protocolCases {
		f.Add([]byte(tc.in), uint8(7))
	}
	f.Fuzz(func(t *testing.T, data []byte, step uint8) {
		want := normalize(readAll(t, bytes.NewReader(data), len(data), false))
		whole := parseAll(t, data, fuzzMaxReq, func() int { return len(data) })
		require.Equal(t, want, whole, "parser (whole input) differs from the reader")
		// Pieces of varying sizes, and one byte at a time.
		// (At most about 512 pieces: each copies the pending bytes.)
		i, least := 0, len(data)/512
		sizes := func() int { i++; return max(least, 1+(int(step)*i)%(2*int(step)+1)) }
		require.Equal(t, want, parseAll(t, data, fuzzMaxReq, sizes), "parser (pieces) differs from the reader")
		if len(data) < 4096 {
			require.Equal(t, want, parseAll(t, data, fuzzMaxReq, func() int { return 1 }), "parser (bytes) differs from the reader")
		}
	})
}

// TestParserSplitEverywhere: a pipeline of multibulk and inline requests
// split in two at every byte boundary parses to the same requests.
func TestParserSplitEverywhere(t *testing.T) {
	var in []byte
	in = append(in, encodeMultibulk([][]byte{[]byte("SET"), []byte("key"), []byte("a value\r\nwith CRLF")})...)
	in = append(in, "GET key\r\n"...)
	in = append(in, encodeMultibulk([][]byte{[]byte("RPUSH"), []byte("l"), {}, []byte("x")})...)
	in = append(in, "*0\r\n\r\nECHO 'q\\'uoted'\n"...)
	want := []parsed{
		{args: []string{"SET", "key", "a value\r\nwith CRLF"}},
		{args: []string{"GET", "key"}},
		{args: []string{"RPUSH", "l", "", "x"}},
		{empty: true}, {empty: true},
		{args: []string{"ECHO", "q'uoted"}},
		{err: "end"},
	}
	for cut := 0; cut <= len(in); cut++ {
		first := true
		got := parseAll(t, in, 1<<20, func() int {
			if first {
				first = false
				return cut
			}
			return len(in)
		})
		require.Equalf(t, want, got, "split at %d", cut)
	}
}

// TestParserLimits: the limits and errors of the reader (TestReaderMax-
// RequestBytes, protocolCases) hold for the parser too, whole or trickled.
func TestParserLimits(t *testing.T) {
	cases := []struct {
		in   string
		want string // the error; "" for none
	}{
		{"*2\r\n$3\r\nGET\r\n$13\r\n" + strings.Repeat("k", 13) + "\r\n", ""},
		{"*2\r\n$3\r\nGET\r\n$14\r\n", "ERR Protocol error: invalid bulk length"},
		{"GET " + strings.Repeat("k", 14) + "\r\n", "ERR Protocol error: too big inline request"},
		{strings.Repeat("x", maxInlineLen+1), "ERR Protocol error: too big inline request"},
		{"*" + strings.Repeat("1", maxInlineLen+1), "ERR Protocol error: too big mbulk count string"},
		{"*1\r\n$" + strings.Repeat("1", maxInlineLen), "ERR Protocol error: too big bulk count string"},
		{"*1048577\r\n", "ERR Protocol error: invalid multibulk length"},
		{"*1\r\n:1\r\n", "ERR Protocol error: expected '$', got ':'"},
	}
	for _, tc := range cases {
		for _, step := range []int{len(tc.in), 1, 1000} {
			got := parseAll(t, []byte(tc.in), 16, func() int { return step })
			last := got[len(got)-1]
			if tc.want == "" {
				assert.Equalf(t, "end", last.err, "%.40q", tc.in)
				assert.Lenf(t, got, 2, "%.40q", tc.in)
			} else {
				assert.Equalf(t, tc.want, last.err, "%.40q step %d", tc.in, step)
			}
		}
	}
}

// TestParserResumes: a request arriving a byte at a time is not parsed
// again from its start for each byte (the parser keeps its place), and
// its arguments are right though the buffer moved between calls.
func TestParserResumes(t *testing.T) {
	args := make([][]byte, 2000)
	for i := range args {
		args[i] = []byte(strings.Repeat("a", i%7))
	}
	in := encodeMultibulk(args)
	ps := newParser(0)
	var buf []byte
	for i, b := range in {
		buf = append(bytes.Clone(buf), b)
		got, n, err := ps.parse(buf, nil)
		require.NoError(t, err)
		if i < len(in)-1 {
			require.Zero(t, n)
			// Resumed: the parsed arguments are recorded, never redone.
			require.LessOrEqual(t, len(ps.offs)/2, len(args))
			continue
		}
		require.Equal(t, len(in), n)
		require.Equal(t, strs(args), strs(got))
	}
}

// TestAppendReply: appendReply writes writeReply's bytes.
func TestAppendReply(t *testing.T) {
	replies := []engine.Reply{
		{}, {Kind: engine.ReplyNilArray}, engine.StatusReply("OK"), engine.StatusReply("a\r\nb"),
		engine.ErrorReply("ERR x\ny"), {Kind: engine.ReplyError}, intReply(-42), bulk(""), bulk("bin\x00\r\n"),
		arrayReply([]engine.Reply{intReply(1), arrayReply(nil), arrayReply([]engine.Reply{bulk("x"), {}})}),
	}
	for _, r := range replies {
		var w bytes.Buffer
		bw := bufio.NewWriter(&w)
		writeReply(bw, r)
		require.NoError(t, bw.Flush())
		assert.Equal(t, w.String(), string(appendReply(nil, r)), "%s", r)
	}
}
