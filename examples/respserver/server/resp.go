package server

import (
	"bufio"
	"errors"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/jackdawdb/jackdaw/engine"
)

// RESP2 request reader and reply writer.

const (
	maxInlineLen    = 64 << 10  // Redis's PROTO_INLINE_MAX_SIZE
	maxMultibulkLen = 1 << 20   // more arguments than this is refused
	maxBulkLen      = 512 << 20 // Redis's proto-max-bulk-len default
	readBufSize     = 64 << 10
)

// protocolError is a malformed request: its text is sent to the client, and
// then the connection is closed, as Redis does.
type protocolError string

func (e protocolError) Error() string { return "ERR Protocol error: " + string(e) }

// reader reads requests (multibulk or inline) from a connection. The
// arguments it returns are valid until the next call.
type reader struct {
	br       *bufio.Reader
	maxBulk  int64 // largest bulk argument
	maxReq   int64 // largest request, all arguments together
	arena    []byte
	offs     []int
	args     [][]byte
	reqBytes int64
}

func newReader(r io.Reader, maxReq int64) *reader {
	rd := &reader{br: bufio.NewReaderSize(r, readBufSize), maxBulk: maxBulkLen, maxReq: maxReq}
	if maxReq > 0 && maxReq < rd.maxBulk {
		rd.maxBulk = maxReq
	}
	return rd
}

// buffered reports whether more request bytes are already read.
func (rd *reader) buffered() bool { return rd.br.Buffered() > 0 }

// readLine returns one line without its "\r\n" (or "\n" for inline
// requests). tooBig is the error for a line over the inline limit.
func (rd *reader) readLine(tooBig protocolError) ([]byte, error) {
	line, err := rd.br.ReadSlice('\n')
	if err == nil {
		return trimEOL(line), nil
	}
	if !errors.Is(err, bufio.ErrBufferFull) {
		return nil, err
	}
	// A line longer than the buffer: gather it, up to the limit.
	buf := append([]byte(nil), line...)
	for {
		line, err = rd.br.ReadSlice('\n')
		buf = append(buf, line...)
		if len(buf) > maxInlineLen {
			return nil, tooBig
		}
		if err == nil {
			return trimEOL(buf), nil
		}
		if !errors.Is(err, bufio.ErrBufferFull) {
			return nil, err
		}
	}
}

func trimEOL(b []byte) []byte {
	b = b[:len(b)-1]
	if len(b) > 0 && b[len(b)-1] == '\r' {
		b = b[:len(b)-1]
	}
	return b
}

// read returns the next request's arguments; an empty request (a blank
// inline line, "*0") returns nil args and no error.
func (rd *reader) read() ([][]byte, error) {
	b, err := rd.br.Peek(1)
	if err != nil {
		return nil, err
	}
	if b[0] != '*' {
		return rd.readInline()
	}
	line, err := rd.readLine("too big mbulk count string")
	if err != nil {
		return nil, err
	}
	n, ok := parseLen(line[1:])
	if !ok || n > maxMultibulkLen {
		return nil, protocolError("invalid multibulk length")
	}
	if n <= 0 {
		return nil, nil
	}
	rd.arena, rd.offs, rd.reqBytes = rd.arena[:0], rd.offs[:0], 0
	if cap(rd.arena) > 1<<20 {
		rd.arena = nil // do not keep a huge request's buffer
	}
	for i := int64(0); i < n; i++ {
		line, err := rd.readLine("too big bulk count string")
		if err != nil {
			return nil, err
		}
		if len(line) == 0 || line[0] != '$' {
			c := byte(0)
			if len(line) > 0 {
				c = line[0]
			}
			return nil, protocolError("expected '$', got '" + string(rune(c)) + "'")
		}
		l, ok := parseLen(line[1:])
		if !ok || l < 0 || l > rd.maxBulk || (rd.maxReq > 0 && rd.reqBytes+l > rd.maxReq) {
			return nil, protocolError("invalid bulk length")
		}
		rd.reqBytes += l
		if err := rd.readBulk(int(l)); err != nil {
			return nil, err
		}
	}
	rd.args = rd.args[:0]
	start := 0
	for _, end := range rd.offs {
		rd.args = append(rd.args, rd.arena[start:end:end])
		start = end
	}
	return rd.args, nil
}

// readBulk appends l bytes and the "\r\n" after them to the arena. The
// arena grows as the data arrives, so a declared length costs nothing until
// the bytes are actually sent.
func (rd *reader) readBulk(l int) error {
	for l > 0 {
		if len(rd.arena) == cap(rd.arena) {
			rd.arena = slices.Grow(rd.arena, min(l, 1<<20))
		}
		chunk := min(l, cap(rd.arena)-len(rd.arena))
		n, err := io.ReadFull(rd.br, rd.arena[len(rd.arena):len(rd.arena)+chunk])
		rd.arena = rd.arena[:len(rd.arena)+n]
		if err != nil {
			return noEOF(err)
		}
		l -= n
	}
	rd.offs = append(rd.offs, len(rd.arena))
	if _, err := rd.br.Discard(2); err != nil { // Redis skips the CRLF unchecked
		return noEOF(err)
	}
	return nil
}

func noEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// readInline reads a request typed as one line, split as Redis's
// sdssplitargs does (quotes and escapes).
func (rd *reader) readInline() ([][]byte, error) {
	line, err := rd.readLine("too big inline request")
	if err != nil {
		return nil, err
	}
	args, ok := splitArgs(line)
	if !ok {
		return nil, protocolError("unbalanced quotes in request")
	}
	if len(args) == 0 {
		return nil, nil
	}
	// MaxRequestBytes bounds inline requests too (below maxInlineLen).
	if rd.maxReq > 0 {
		total := int64(0)
		for _, a := range args {
			total += int64(len(a))
		}
		if total > rd.maxReq {
			return nil, protocolError("too big inline request")
		}
	}
	return args, nil
}

// parseLen parses a protocol length: an optional '-' and decimal digits.
func parseLen(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 19 {
		return 0, false
	}
	n, err := strconv.ParseInt(string(b), 10, 64)
	return n, err == nil
}

// splitArgs is Redis's sdssplitargs: words separated by blanks; "double
// quotes" with \n \r \t \b \a \\ \" and \xHH escapes; 'single quotes' with
// \'. A closing quote must be followed by a blank or the end.
func splitArgs(line []byte) ([][]byte, bool) {
	var args [][]byte
	p := 0
	isSpace := func(c byte) bool { return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\v' || c == '\f' }
	for {
		for p < len(line) && isSpace(line[p]) {
			p++
		}
		if p >= len(line) {
			return args, true
		}
		var cur []byte
		inq, insq, done := false, false, false
		for !done {
			if inq {
				if p >= len(line) {
					return nil, false
				}
				if line[p] == '\\' && p+3 < len(line) && line[p+1] == 'x' && isHex(line[p+2]) && isHex(line[p+3]) {
					cur = append(cur, hexVal(line[p+2])<<4|hexVal(line[p+3]))
					p += 3
				} else if line[p] == '\\' && p+1 < len(line) {
					p++
					c := line[p]
					switch c {
					case 'n':
						c = '\n'
					case 'r':
						c = '\r'
					case 't':
						c = '\t'
					case 'b':
						c = '\b'
					case 'a':
						c = '\a'
					}
					cur = append(cur, c)
				} else if line[p] == '"' {
					if p+1 < len(line) && !isSpace(line[p+1]) {
						return nil, false
					}
					done = true
				} else {
					cur = append(cur, line[p])
				}
			} else if insq {
				if p >= len(line) {
					return nil, false
				}
				if line[p] == '\\' && p+1 < len(line) && line[p+1] == '\'' {
					p++
					cur = append(cur, '\'')
				} else if line[p] == '\'' {
					if p+1 < len(line) && !isSpace(line[p+1]) {
						return nil, false
					}
					done = true
				} else {
					cur = append(cur, line[p])
				}
			} else {
				if p >= len(line) {
					break
				}
				switch c := line[p]; {
				case isSpace(c):
					done = true
				case c == '"':
					inq = true
				case c == '\'':
					insq = true
				default:
					cur = append(cur, c)
				}
			}
			if p < len(line) {
				p++
			}
		}
		if cur == nil {
			cur = []byte{}
		}
		args = append(args, cur)
	}
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func hexVal(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}

// writeReply writes r in RESP2 to w.
func writeReply(w *bufio.Writer, r engine.Reply) {
	var num [24]byte
	switch r.Kind {
	case engine.ReplyNil:
		w.WriteString("$-1\r\n")
	case engine.ReplyNilArray:
		w.WriteString("*-1\r\n")
	case engine.ReplyStatus:
		w.WriteByte('+')
		w.WriteString(oneLine(r.Str))
		w.WriteString("\r\n")
	case engine.ReplyError:
		w.WriteByte('-')
		msg := "ERR"
		if r.Err != nil {
			msg = r.Err.Error()
		}
		w.WriteString(oneLine(msg))
		w.WriteString("\r\n")
	case engine.ReplyInt:
		w.WriteByte(':')
		w.Write(strconv.AppendInt(num[:0], r.Int, 10))
		w.WriteString("\r\n")
	case engine.ReplyBulk:
		w.WriteByte('$')
		w.Write(strconv.AppendInt(num[:0], int64(len(r.Bulk)), 10))
		w.WriteString("\r\n")
		w.Write(r.Bulk)
		w.WriteString("\r\n")
	case engine.ReplyArray:
		w.WriteByte('*')
		w.Write(strconv.AppendInt(num[:0], int64(len(r.Array)), 10))
		w.WriteString("\r\n")
		for _, e := range r.Array {
			writeReply(w, e)
		}
	}
}

// oneLine replaces line breaks, which a status or error line cannot hold.
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	b := []byte(s)
	for i, c := range b {
		if c == '\r' || c == '\n' {
			b[i] = ' '
		}
	}
	return string(b)
}
