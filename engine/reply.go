package engine

import (
	"errors"
	"strconv"
	"strings"
)

// ReplyKind is the RESP2 type of a Reply.
type ReplyKind uint8

// The kinds of replies, as RESP2 has them.
const (
	ReplyNil      ReplyKind = iota // null bulk string
	ReplyStatus                    // simple string, such as OK
	ReplyError                     // error
	ReplyInt                       // integer
	ReplyBulk                      // bulk string
	ReplyArray                     // array
	ReplyNilArray                  // null array (EXEC aborted by WATCH, a timed-out blocking pop)
)

// Reply is what a command returns through Do: the same values a RESP server
// writes. The zero Reply is a nil bulk string.
type Reply struct {
	Kind  ReplyKind
	Str   string  // ReplyStatus: the text
	Err   error   // ReplyError: the error; its text is the wire text
	Int   int64   // ReplyInt
	Bulk  []byte  // ReplyBulk (read-only: may be shared with the store)
	Array []Reply // ReplyArray
}

// Replies used often.
var (
	replyOK     = Reply{Kind: ReplyStatus, Str: "OK"}
	replyNil    = Reply{}
	replyZero   = Reply{Kind: ReplyInt}
	replyOne    = Reply{Kind: ReplyInt, Int: 1}
	emptyArray  = Reply{Kind: ReplyArray, Array: []Reply{}}
	replyNilArr = Reply{Kind: ReplyNilArray}
	replySyntax = errReply(ErrSyntax)
	replyNotInt = errReply(ErrNotInteger)
)

func errReply(err error) Reply { return Reply{Kind: ReplyError, Err: err} }

// ErrorReply makes an error reply with the given wire text, for commands a
// server implements itself.
func ErrorReply(text string) Reply { return errReply(errors.New(text)) }

// StatusReply makes a status (simple string) reply.
func StatusReply(s string) Reply { return Reply{Kind: ReplyStatus, Str: s} }

func intReply(n int64) Reply { return Reply{Kind: ReplyInt, Int: n} }

func boolReply(b bool) Reply {
	if b {
		return replyOne
	}
	return replyZero
}

func bulkReply(b []byte) Reply {
	if b == nil {
		b = []byte{}
	}
	return Reply{Kind: ReplyBulk, Bulk: b}
}

func bulkOrNil(b []byte, ok bool) Reply {
	if !ok {
		return replyNil
	}
	return bulkReply(b)
}

// bulksReply is an array of bulk strings, nil elements as nil replies. The
// slices must never change afterwards (copies, or stored string bytes).
func bulksReply(bs [][]byte) Reply {
	out := make([]Reply, len(bs))
	for i, b := range bs {
		out[i] = bulkOrNil(b, b != nil)
	}
	return Reply{Kind: ReplyArray, Array: out}
}

func stringsReply(ss []string) Reply {
	a := make([]Reply, len(ss))
	for i, s := range ss {
		a[i] = Reply{Kind: ReplyBulk, Bulk: []byte(s)}
	}
	return Reply{Kind: ReplyArray, Array: a}
}

// orError is errReply(err) if err is not nil, else r.
func (r Reply) orError(err error) Reply {
	if err != nil {
		return errReply(err)
	}
	return r
}

// IsError reports whether r is an error reply.
func (r Reply) IsError() bool { return r.Kind == ReplyError }

// String renders r the way redis-cli does, for tests and debugging.
func (r Reply) String() string {
	var b strings.Builder
	r.format(&b, "")
	return b.String()
}

func (r Reply) format(b *strings.Builder, indent string) {
	switch r.Kind {
	case ReplyNil:
		b.WriteString("(nil)")
	case ReplyNilArray:
		b.WriteString("(nil array)")
	case ReplyStatus:
		b.WriteString(r.Str)
	case ReplyError:
		b.WriteString("(error) " + r.Err.Error())
	case ReplyInt:
		b.WriteString("(integer) " + strconv.FormatInt(r.Int, 10))
	case ReplyBulk:
		b.WriteString(strconv.Quote(string(r.Bulk)))
	case ReplyArray:
		if len(r.Array) == 0 {
			b.WriteString("(empty array)")
		}
		for i, e := range r.Array {
			if i > 0 {
				b.WriteString("\n" + indent)
			}
			b.WriteString(strconv.Itoa(i+1) + ") ")
			e.format(b, indent+"   ")
		}
	}
}
