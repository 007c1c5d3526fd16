package server

import (
	"bytes"
	"strconv"

	"github.com/jackdawdb/jackdaw/engine"
)

// An incremental request parser over a byte slice, for the event loops
// (loop_linux.go), which read whatever the socket holds and parse what is
// complete. It accepts and refuses exactly what the reader of resp.go does,
// with the same limits and protocol errors (FuzzParser checks it against
// the reader), but it never waits: a request not complete yet is reported
// as such ("need more"), nothing consumed.
//
// A request that stays incomplete over several reads (a large value, many
// arguments) is not parsed again from its start each time: the parser keeps
// how far it got, as offsets, so the caller may move the bytes (grow or
// compact its buffer) between calls as long as the request still starts the
// buffer it passes.

// parser parses requests from a buffer; see parse.
type parser struct {
	maxReq  int64 // largest request, all arguments together (0: none)
	maxBulk int64 // largest bulk argument

	// The multibulk request being parsed, when the last call found it
	// incomplete; n == 0 otherwise.
	n        int64 // arguments announced
	p        int   // bytes of the request parsed so far
	bulk     int64 // the next argument's length, its header parsed; -1 before
	reqBytes int64 // the arguments' bytes announced so far
	offs     []int // each argument parsed so far: start, end

	// The line being looked for: from lineAt, the bytes up to scanned hold
	// no '\n' (so a line trickling in is not scanned again from its start).
	lineAt, scanned int
}

func newParser(maxReq int64) *parser {
	ps := &parser{maxReq: maxReq, maxBulk: maxBulkLen, lineAt: -1}
	if maxReq > 0 && maxReq < ps.maxBulk {
		ps.maxBulk = maxReq
	}
	return ps
}

// reset forgets a partly parsed request.
func (ps *parser) reset() {
	ps.n, ps.p, ps.bulk, ps.reqBytes = 0, 0, -1, 0
	ps.offs = ps.offs[:0]
	if cap(ps.offs) > 1<<12 {
		ps.offs = nil // do not keep a huge request's offsets
	}
	ps.lineAt = -1
}

// parse parses the request at the start of buf and appends its arguments
// to args; the multibulk ones point into buf. It returns the bytes the
// request takes: 0 when buf does not hold a whole request yet (then args
// is unchanged and the next call must pass a buffer that starts with the
// same bytes, and more), else at least 1; an empty request (a blank inline
// line, "*0") appends no argument. A malformed request gives a
// protocolError, the one the reader gives (the connection then ends; the
// parser is reset).
func (ps *parser) parse(buf []byte, args [][]byte) ([][]byte, int, error) {
	if ps.n == 0 {
		if len(buf) == 0 {
			return args, 0, nil
		}
		if buf[0] != '*' {
			return ps.parseInline(buf, args)
		}
		nl, err := ps.line(buf, 0, "too big mbulk count string")
		if err != nil || nl < 0 {
			return args, 0, err
		}
		n, ok := parseLenFast(trimEOL(buf[:nl+1])[1:])
		if !ok || n > maxMultibulkLen {
			ps.reset()
			return args, 0, protocolError("invalid multibulk length")
		}
		if n <= 0 {
			return args, nl + 1, nil
		}
		ps.n, ps.p, ps.bulk, ps.reqBytes, ps.offs = n, nl+1, -1, 0, ps.offs[:0]
	}
	for int64(len(ps.offs)/2) < ps.n {
		if ps.bulk < 0 {
			nl, err := ps.line(buf, ps.p, "too big bulk count string")
			if err != nil {
				ps.reset()
				return args, 0, err
			}
			if nl < 0 {
				return args, 0, nil
			}
			line := trimEOL(buf[ps.p : nl+1])
			if len(line) == 0 || line[0] != '$' {
				c := byte(0)
				if len(line) > 0 {
					c = line[0]
				}
				ps.reset()
				return args, 0, protocolError("expected '$', got '" + string(rune(c)) + "'")
			}
			l, ok := parseLenFast(line[1:])
			if !ok || l < 0 || l > ps.maxBulk || (ps.maxReq > 0 && ps.reqBytes+l > ps.maxReq) {
				ps.reset()
				return args, 0, protocolError("invalid bulk length")
			}
			ps.reqBytes += l
			ps.bulk = l
			ps.p = nl + 1
		}
		// The argument and two more bytes, skipped unchecked as Redis does.
		if int64(len(buf)-ps.p) < ps.bulk+2 {
			return args, 0, nil
		}
		end := ps.p + int(ps.bulk)
		ps.offs = append(ps.offs, ps.p, end)
		ps.p = end + 2
		ps.bulk = -1
	}
	for i := 0; i < len(ps.offs); i += 2 {
		args = append(args, buf[ps.offs[i]:ps.offs[i+1]:ps.offs[i+1]])
	}
	n := ps.p
	ps.reset()
	return args, n, nil
}

// line finds the '\n' ending the line that starts at from: its index, or
// -1 if buf holds no whole line yet. A line longer than the inline limit
// (or that many bytes without a '\n') is tooBig, where the reader refuses
// it too.
func (ps *parser) line(buf []byte, from int, tooBig protocolError) (int, error) {
	start := from
	if ps.lineAt == from && ps.scanned > from && ps.scanned <= len(buf) {
		start = ps.scanned
	}
	if i := bytes.IndexByte(buf[start:], '\n'); i >= 0 {
		ps.lineAt = -1
		end := start + i
		if end+1-from > maxInlineLen {
			return 0, tooBig
		}
		return end, nil
	}
	if len(buf)-from > maxInlineLen {
		ps.lineAt = -1
		return 0, tooBig
	}
	ps.lineAt, ps.scanned = from, len(buf)
	return -1, nil
}

func (ps *parser) parseInline(buf []byte, args [][]byte) ([][]byte, int, error) {
	nl, err := ps.line(buf, 0, "too big inline request")
	if err != nil || nl < 0 {
		return args, 0, err
	}
	a, ok := splitArgs(trimEOL(buf[:nl+1]))
	if !ok {
		return args, 0, protocolError("unbalanced quotes in request")
	}
	if len(a) == 0 {
		return args, nl + 1, nil
	}
	if ps.maxReq > 0 {
		total := int64(0)
		for _, x := range a {
			total += int64(len(x))
		}
		if total > ps.maxReq {
			return args, 0, protocolError("too big inline request")
		}
	}
	return append(args, a...), nl + 1, nil
}

// parseLenFast is parseLen without its allocation for the usual case (a
// few plain digits); anything else goes to parseLen.
func parseLenFast(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 18 {
		return parseLen(b)
	}
	var n int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return parseLen(b)
		}
		n = n*10 + int64(c-'0')
	}
	return n, true
}

// appendReply appends r in RESP2 to b: writeReply's bytes, for a buffer.
func appendReply(b []byte, r engine.Reply) []byte {
	switch r.Kind {
	case engine.ReplyNil:
		b = append(b, "$-1\r\n"...)
	case engine.ReplyNilArray:
		b = append(b, "*-1\r\n"...)
	case engine.ReplyStatus:
		b = append(b, '+')
		b = append(b, oneLine(r.Str)...)
		b = append(b, "\r\n"...)
	case engine.ReplyError:
		msg := "ERR"
		if r.Err != nil {
			msg = r.Err.Error()
		}
		b = append(b, '-')
		b = append(b, oneLine(msg)...)
		b = append(b, "\r\n"...)
	case engine.ReplyInt:
		b = append(b, ':')
		b = strconv.AppendInt(b, r.Int, 10)
		b = append(b, "\r\n"...)
	case engine.ReplyBulk:
		b = append(b, '$')
		b = strconv.AppendInt(b, int64(len(r.Bulk)), 10)
		b = append(b, "\r\n"...)
		b = append(b, r.Bulk...)
		b = append(b, "\r\n"...)
	case engine.ReplyArray:
		b = append(b, '*')
		b = strconv.AppendInt(b, int64(len(r.Array)), 10)
		b = append(b, "\r\n"...)
		for _, e := range r.Array {
			b = appendReply(b, e)
		}
	}
	return b
}
