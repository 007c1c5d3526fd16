package server

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"time"

	"github.com/jackdawdb/jackdaw/engine"
)

// rconn is a minimal RESP2 client for the tests: it writes requests and
// parses replies into engine.Reply values, so that replies from Redis and
// from jackdaw compare directly.
type rconn struct {
	c  net.Conn
	br *bufio.Reader
	bw *bufio.Writer
}

func dial(addr string) (*rconn, error) {
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return nil, err
	}
	return &rconn{c: c, br: bufio.NewReaderSize(c, 64<<10), bw: bufio.NewWriterSize(c, 64<<10)}, nil
}

func (r *rconn) Close() error { return r.c.Close() }

func (r *rconn) send(args []string) {
	r.bw.WriteString("*" + strconv.Itoa(len(args)) + "\r\n")
	for _, a := range args {
		r.bw.WriteString("$" + strconv.Itoa(len(a)) + "\r\n")
		r.bw.WriteString(a)
		r.bw.WriteString("\r\n")
	}
}

func (r *rconn) flush() error { return r.bw.Flush() }

func (r *rconn) do(args ...string) (engine.Reply, error) {
	r.send(args)
	if err := r.flush(); err != nil {
		return engine.Reply{}, err
	}
	return r.read()
}

// pipeline sends every command, then reads every reply.
func (r *rconn) pipeline(cmds [][]string) ([]engine.Reply, error) {
	errc := make(chan error, 1)
	go func() {
		for _, c := range cmds {
			r.send(c)
		}
		errc <- r.flush()
	}()
	out := make([]engine.Reply, len(cmds))
	for i := range cmds {
		rep, err := r.read()
		if err != nil {
			<-errc
			return nil, fmt.Errorf("reply %d of %d: %w", i, len(cmds), err)
		}
		out[i] = rep
	}
	return out, <-errc
}

func (r *rconn) read() (engine.Reply, error) {
	line, err := r.br.ReadString('\n')
	if err != nil {
		return engine.Reply{}, err
	}
	if len(line) < 3 || line[len(line)-2] != '\r' {
		return engine.Reply{}, fmt.Errorf("bad reply line %q", line)
	}
	body := line[1 : len(line)-2]
	switch line[0] {
	case '+':
		return engine.StatusReply(body), nil
	case '-':
		return engine.ErrorReply(body), nil
	case ':':
		n, err := strconv.ParseInt(body, 10, 64)
		return engine.Reply{Kind: engine.ReplyInt, Int: n}, err
	case '$':
		n, err := strconv.Atoi(body)
		if err != nil {
			return engine.Reply{}, err
		}
		if n < 0 {
			return engine.Reply{}, nil
		}
		b := make([]byte, n+2)
		if _, err := io.ReadFull(r.br, b); err != nil {
			return engine.Reply{}, err
		}
		return engine.Reply{Kind: engine.ReplyBulk, Bulk: b[:n]}, nil
	case '*':
		n, err := strconv.Atoi(body)
		if err != nil {
			return engine.Reply{}, err
		}
		if n < 0 {
			return engine.Reply{Kind: engine.ReplyNilArray}, nil
		}
		a := make([]engine.Reply, n)
		for i := range a {
			if a[i], err = r.read(); err != nil {
				return engine.Reply{}, err
			}
		}
		return engine.Reply{Kind: engine.ReplyArray, Array: a}, nil
	}
	return engine.Reply{}, errors.New("bad reply type " + strconv.Quote(line))
}

// equalReply compares two replies exactly (error texts included).
func equalReply(a, b engine.Reply) bool {
	if a.Kind != b.Kind {
		return false
	}
	switch a.Kind {
	case engine.ReplyStatus:
		return a.Str == b.Str
	case engine.ReplyError:
		return a.Err.Error() == b.Err.Error()
	case engine.ReplyInt:
		return a.Int == b.Int
	case engine.ReplyBulk:
		return string(a.Bulk) == string(b.Bulk)
	case engine.ReplyArray:
		if len(a.Array) != len(b.Array) {
			return false
		}
		for i := range a.Array {
			if !equalReply(a.Array[i], b.Array[i]) {
				return false
			}
		}
	}
	return true
}
