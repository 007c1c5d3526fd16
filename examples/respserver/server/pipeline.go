package server

import (
	"context"

	"github.com/jackdawdb/jackdaw/engine"
)

// Pipelined runs. When a client has sent several requests at once, the
// consecutive ones that are plain single-key engine commands (GET, SET,
// LPUSH, ZADD...; no MULTI, no subscription, no CLIENT REPLY change in the
// way) are read together and handed to the engine's DoPipeline, which runs
// the commands of one shard under one acquisition of its lock. Many clients
// pipelining onto one hot key (redis-benchmark's LPUSH, ZADD...) then take
// turns per batch rather than per command. Replies are the same as one by
// one.

// pipeline holds a run of commands copied out of the reader, whose buffer
// the next read reuses.
type pipeline struct {
	buf   []byte   // the arguments' bytes, one after another
	ends  []int    // each argument's end in buf
	nargs []int    // each command's number of arguments
	args  [][]byte // backing for cmds
	cmds  [][][]byte
	out   []engine.Reply
	last  string // the last command's name, for CLIENT LIST
}

func (p *pipeline) reset() {
	p.buf, p.ends, p.nargs = p.buf[:0], p.ends[:0], p.nargs[:0]
	if cap(p.buf) > 1<<20 {
		p.buf = nil // do not keep a huge batch's buffer
	}
}

func (p *pipeline) add(name string, args [][]byte) {
	for _, a := range args {
		p.buf = append(p.buf, a...)
		p.ends = append(p.ends, len(p.buf))
	}
	p.nargs = append(p.nargs, len(args))
	p.last = name
}

// build makes cmds point into buf, now that buf no longer grows.
func (p *pipeline) build() {
	p.args, p.cmds = p.args[:0], p.cmds[:0]
	start := 0
	for _, end := range p.ends {
		p.args = append(p.args, p.buf[start:end:end])
		start = end
	}
	at := 0
	for _, n := range p.nargs {
		p.cmds = append(p.cmds, p.args[at:at+n:at+n])
		at += n
	}
}

// pipelinable reports whether args can join a pipelined run: a single-key,
// non-blocking engine command with the right arity, from a client in the
// plain state (authenticated, no MULTI, not subscribed, replies on).
func pipelinable(c *client, args [][]byte) (string, bool) {
	if len(args) == 0 || !c.canPipeline() {
		return "", false
	}
	e := lookupEntry(args[0])
	return e.name, e.pipelinable(len(args))
}

// canPipeline reports whether c is in the plain state pipelined runs need.
func (c *client) canPipeline() bool {
	return c.authed && !c.inMulti && !c.subscribed() && c.reply == replyOn
}

// pipelinable reports whether e, called with nargs arguments, is a
// single-key, non-blocking engine command with the right arity.
func (e cmdEntry) pipelinable(nargs int) bool {
	ec := e.ec
	return e.sc == nil && ec != nil && ec.Flags&engine.FlagBlocking == 0 && ec.FirstKey != 0 &&
		ec.FirstKey == ec.LastKey && arityOK(ec.Arity, nargs)
}

// servePipeline runs first and the pipelinable requests that follow it in
// the reader's buffer as one run, then serves the first request that does
// not join (if any) the usual way. It reports whether the connection goes
// on.
func (s *Server) servePipeline(c *client, name string, first [][]byte) bool {
	p := &c.pipe
	p.reset()
	p.add(name, first)
	for c.rd.buffered() {
		args, err := c.rd.read()
		if err == nil {
			if name, ok := pipelinable(c, args); ok {
				p.add(name, args)
				continue
			}
		}
		s.runPipeline(c)
		return s.serve(c, args, err)
	}
	s.runPipeline(c)
	return c.w.Flush() == nil
}

func (s *Server) runPipeline(c *client) {
	p := &c.pipe
	p.build()
	s.commands.Add(int64(len(p.cmds)))
	c.mu.Lock()
	c.lastCmd = p.last
	c.mu.Unlock()
	p.out = s.DB(c.db).DoPipeline(context.Background(), p.cmds, p.out[:0])
	for _, r := range p.out {
		writeReply(c.w, r)
	}
	clear(p.out) // drop references to reply bytes
}
