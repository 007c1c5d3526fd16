//go:build linux

package server

import (
	"bytes"
	"context"
	"errors"
	"net"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"

	"github.com/jackdawdb/jackdaw/engine"
)

// Event loops (Linux). Each loop is one goroutine with its own epoll
// instance (level-triggered). A connection accepted by Serve goes to a loop
// in turn; the loop, when the socket is readable, reads once (whatever the
// client sent: with pipelining, a whole batch), parses every complete
// request (parse.go), runs them (the single-key runs through DoPipeline, as
// pipeline.go does, the rest through exec) and writes all the replies with
// one write. That is one read and one write per batch, with no goroutine
// wakeup in between, where a goroutine per connection costs a read until
// EAGAIN, a park in the netpoller and a wakeup (often on the other core)
// per batch. As Redis does before it sleeps, the loop writes the replies of
// a round (the connections one epoll_wait found ready) after serving them
// all: the clients then get their replies, and send their next requests,
// closer together, and the next round finds more of them ready (with
// redis-benchmark -P 16 this measured 5-15% more requests per second than
// writing each connection's replies at once).
//
// What must wait goes to a goroutine: exec does not run a blocking command
// (BLPOP...) or DEBUG SLEEP for a loop's client, it flags the client
// (client.handoff), and a client that SUBSCRIBE or PSUBSCRIBE put in
// pub/sub mode is flagged by being subscribed. The loop then hands the
// connection off, for good: it takes the descriptor out of its epoll set,
// makes a net.Conn of it, and starts the goroutine-per-connection handler
// (runClient) on it, with the replies not written yet and the bytes read
// but not run yet (starting with the request that waits) given to it
// first. The client's state (database, AUTH, MULTI queue, WATCHes, name,
// reply mode) is the same *client. (A DEBUG SLEEP queued in a MULTI runs
// at EXEC on the loop, and holds up its other clients meanwhile, as
// Redis's holds up the server; blocking commands in a MULTI do not wait.)
//
// The descriptor. Accept stays with net.Listener; the loop takes a
// duplicate of each connection's descriptor (F_DUPFD_CLOEXEC) and closes
// the net.Conn. This departs from keeping the net.Conn open as the owner,
// for two reasons: the runtime's netpoller (edge-triggered) would keep the
// socket in its own epoll set and be woken by every packet the loop reads,
// which is the very cost the loop removes; and a descriptor that other
// goroutines could close (CLIENT KILL, Close) could be closed, and its
// number reused by a new connection, while the loop reads it. So only the
// loop closes it: CLIENT KILL and Close ask the loop (loopConn.kill), which
// serves no more of the client's requests from then on and closes it at
// the end of its current round.
//
// Output. Replies are written at the end of the round (or at once when
// something else is pending or the connection ends); what the socket does
// not take is kept (loopConn.pend) and written when epoll says the socket
// is writable. While ClientOutputLimit bytes or more are pending the
// loop runs no more of the client's requests and stops reading it; a client
// whose pending output makes no progress for ClientOutputTimeout is
// disconnected. A single reply, or a pipelined run of at most maxRun
// commands, can take the pending output past the limit (a run's replies
// exist only once it ran).
//
// How many loops (Options.EventLoops, default GOMAXPROCS/2): on the 2-core
// machine the figures in benchmarks/ come from, with redis-benchmark on the
// other core, one loop served more requests per second than two (the two
// contend for the one core the client leaves, and for a hot key's shard
// lock: LPUSH onto one list did worst); more loops spread the
// engine's work over more cores when the clients leave some free. The loop
// goroutine is not locked to its thread (runtime.LockOSThread): that
// measured no better, and a loop blocked on a shard's lock then parks as
// any goroutine does.

const (
	loopReadSize = 64 << 10 // one read: what a pipelining client may send at once
	maxRun       = 16       // commands in one DoPipeline run (see Output above)
	maxEvents    = 256
)

// loop is one event loop. The fields above mu belong to its goroutine.
type loop struct {
	s      *Server
	epfd   int
	wakeR  int
	wakeW  int
	conns  []*loopConn // by descriptor
	events []syscall.EpollEvent
	now    time.Time // when the current round began

	rbuf    []byte         // the read buffer of connections with nothing pending
	out     []byte         // replies of this round: the deferred ones, then those of the connection being served
	mark    int            // where in out the connection being served starts
	defers  []deferred     // replies in out to write at the end of the round
	args    [][]byte       // the arguments of the requests parsed and not run
	run     []runCmd       // a pipelined run: requests in args
	cmds    [][][]byte     // the run, for DoPipeline
	replies []engine.Reply // its replies
	seen    []byte         // the last command name pipelinable looked up...
	seenE   cmdEntry       // ...and what it found

	stalled   []*loopConn // connections with pending output (some may have none by now)
	lastCheck time.Time

	mu       sync.Mutex
	added    []*loopConn // new connections to register
	killed   []*loopConn // connections to close (CLIENT KILL)
	stopping bool        // the loop closes its connections and ends
	exited   bool        // the loop ended: its descriptors are closed
	woken    atomic.Bool // a wakeup is pending in the pipe
}

// deferred is a connection's replies, out[from:to], written at the end of
// the round.
type deferred struct {
	lc       *loopConn
	from, to int
}

// runCmd is a request of a pipelined run: args[at : at+n].
type runCmd struct {
	at, n int
	e     cmdEntry
}

// loopConn is a connection served by a loop. All but killed belong to the
// loop's goroutine.
type loopConn struct {
	l  *loop
	c  *client
	fd int
	ps parser

	in         []byte // read and not run yet; starts with a request
	pend       []byte // replies the socket has not taken yet
	progressAt time.Time
	events     uint32 // what epoll watches for
	closeAfter bool   // close once pend is written (QUIT, protocol error, EOF)
	closed     bool
	isStalled  bool // in l.stalled
	deferred   bool // has replies in l.defers

	killed atomic.Bool // set (under c.mu) by CLIENT KILL and Close
}

// startLoops starts the event loops, the first time Serve runs; if epoll
// cannot be had, connections get goroutines.
func (s *Server) startLoops() {
	if s.opts.NoEventLoop {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed || s.loops != nil {
		return
	}
	var loops []*loop
	for range s.opts.EventLoops {
		l, err := newLoop(s)
		if err != nil {
			s.logf("event loop: %v; serving connections with goroutines", err)
			for _, l := range loops {
				l.closeFDs()
			}
			return
		}
		loops = append(loops, l)
	}
	s.loops = loops
	for _, l := range loops {
		s.wg.Add(1)
		go l.loop()
	}
}

func newLoop(s *Server) (*loop, error) {
	epfd, err := syscall.EpollCreate1(syscall.EPOLL_CLOEXEC)
	if err != nil {
		return nil, os.NewSyscallError("epoll_create1", err)
	}
	var p [2]int
	if err := syscall.Pipe2(p[:], syscall.O_NONBLOCK|syscall.O_CLOEXEC); err != nil {
		syscall.Close(epfd)
		return nil, os.NewSyscallError("pipe2", err)
	}
	l := &loop{s: s, epfd: epfd, wakeR: p[0], wakeW: p[1], events: make([]syscall.EpollEvent, maxEvents),
		rbuf: make([]byte, loopReadSize)}
	ev := syscall.EpollEvent{Events: syscall.EPOLLIN, Fd: int32(p[0])}
	if err := syscall.EpollCtl(epfd, syscall.EPOLL_CTL_ADD, p[0], &ev); err != nil {
		l.closeFDs()
		return nil, os.NewSyscallError("epoll_ctl", err)
	}
	return l, nil
}

func (l *loop) closeFDs() {
	syscall.Close(l.epfd)
	syscall.Close(l.wakeR)
	syscall.Close(l.wakeW)
}

// serveLoop gives conn to an event loop, if the server runs them: it
// reports false when a goroutine must serve c instead.
func (s *Server) serveLoop(c *client, conn net.Conn) bool {
	if len(s.loops) == 0 {
		return false
	}
	tc, ok := conn.(*net.TCPConn)
	if !ok {
		return false
	}
	rc, err := tc.SyscallConn()
	if err != nil {
		return false
	}
	fd, derr := -1, error(nil)
	if err := rc.Control(func(p uintptr) { fd, derr = dupCloexec(int(p)) }); err != nil || derr != nil {
		return false
	}
	conn.Close() // the duplicate keeps the socket open
	l := s.loops[int(s.nextLoop.Add(1))%len(s.loops)]
	lc := &loopConn{l: l, c: c, fd: fd, ps: *newParser(s.opts.MaxRequestBytes)}
	c.lc = lc
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		syscall.Close(fd)
		return true
	}
	l.mu.Lock()
	if l.stopping { // only if epoll failed: Close stops the loops after s.closed
		l.mu.Unlock()
		s.mu.Unlock()
		syscall.Close(fd)
		return true
	}
	s.clients[c.id] = c
	l.added = append(l.added, lc)
	l.mu.Unlock()
	s.mu.Unlock()
	s.connections.Add(1)
	l.wake()
	return true
}

func dupCloexec(fd int) (int, error) {
	r, _, e := syscall.Syscall(syscall.SYS_FCNTL, uintptr(fd), syscall.F_DUPFD_CLOEXEC, 0)
	if e != 0 {
		return -1, e
	}
	return int(r), nil
}

// wake makes the loop look at its queues.
func (l *loop) wake() {
	if l.woken.Swap(true) {
		return // one is pending
	}
	l.mu.Lock()
	if !l.exited {
		b := [1]byte{1}
		syscall.Write(l.wakeW, b[:])
	}
	l.mu.Unlock()
}

// stop makes the loop close its connections and end.
func (l *loop) stop() {
	l.mu.Lock()
	l.stopping = true
	l.mu.Unlock()
	l.wake()
}

// kill asks the loop to close the connection; its requests are no longer
// run. The caller holds lc.c.mu.
func (lc *loopConn) kill() {
	if lc.killed.Swap(true) {
		return
	}
	l := lc.l
	l.mu.Lock()
	l.killed = append(l.killed, lc)
	l.mu.Unlock()
	l.wake()
}

// loop is the loop's goroutine.
func (l *loop) loop() {
	defer l.s.wg.Done()
	defer func() {
		l.mu.Lock()
		l.exited = true
		l.mu.Unlock()
		l.closeFDs()
	}()
	for {
		timeout := -1
		if len(l.stalled) > 0 {
			timeout = int(l.tick() / time.Millisecond)
		}
		n, err := syscall.EpollWait(l.epfd, l.events, timeout)
		if err != nil && !errors.Is(err, syscall.EINTR) {
			l.s.logf("event loop: epoll_wait: %v", err)
			l.closeAll()
			return
		}
		l.now = time.Now()
		wakeup := false
		for _, ev := range l.events[:max(n, 0)] {
			fd := int(ev.Fd)
			if fd == l.wakeR {
				wakeup = true
				continue
			}
			if fd >= len(l.conns) || l.conns[fd] == nil {
				continue
			}
			lc := l.conns[fd]
			if lc.killed.Load() {
				l.close(lc)
				continue
			}
			if ev.Events&(syscall.EPOLLOUT|syscall.EPOLLERR|syscall.EPOLLHUP) != 0 && len(lc.pend) > 0 {
				l.writable(lc)
				if lc.closed {
					continue
				}
			}
			if ev.Events&(syscall.EPOLLIN|syscall.EPOLLERR|syscall.EPOLLHUP) != 0 && lc.events&syscall.EPOLLIN != 0 {
				l.readable(lc)
			}
		}
		l.writeDeferred()
		// New connections and kills after the round's events: a descriptor
		// closed and reused for a new connection cannot meet an event of
		// this round meant for the old one.
		if wakeup && l.wakeup() {
			return
		}
		if len(l.stalled) > 0 && l.now.Sub(l.lastCheck) >= l.tick() {
			l.checkStalled()
		}
	}
}

// tick is how often stalled output is checked against ClientOutputTimeout.
func (l *loop) tick() time.Duration {
	return min(100*time.Millisecond, max(time.Millisecond, l.s.opts.ClientOutputTimeout/4))
}

// wakeup registers new connections and closes killed ones; it reports
// whether the loop must end (Close), having closed all its connections.
func (l *loop) wakeup() bool {
	var b [64]byte
	for {
		if n, err := syscall.Read(l.wakeR, b[:]); n <= 0 || err != nil {
			break
		}
	}
	l.woken.Store(false)
	l.mu.Lock()
	added, killed, stopping := l.added, l.killed, l.stopping
	l.added, l.killed = nil, nil
	l.mu.Unlock()
	for _, lc := range added {
		l.register(lc)
	}
	for _, lc := range killed {
		l.close(lc)
	}
	if stopping {
		l.closeAll()
		return true
	}
	return false
}

func (l *loop) register(lc *loopConn) {
	if lc.killed.Load() {
		l.close(lc)
		return
	}
	for lc.fd >= len(l.conns) {
		l.conns = append(l.conns, make([]*loopConn, max(64, len(l.conns)))...)
	}
	l.conns[lc.fd] = lc
	lc.events = syscall.EPOLLIN
	ev := syscall.EpollEvent{Events: lc.events, Fd: int32(lc.fd)}
	if err := syscall.EpollCtl(l.epfd, syscall.EPOLL_CTL_ADD, lc.fd, &ev); err != nil {
		l.s.logf("client %d %s: epoll_ctl: %v", lc.c.id, lc.c.addr, err)
		l.close(lc)
	}
}

func (l *loop) closeAll() {
	l.mu.Lock()
	added := l.added
	l.added, l.killed, l.stopping = nil, nil, true
	l.mu.Unlock()
	for _, lc := range added {
		l.close(lc)
	}
	for _, lc := range l.conns {
		if lc != nil {
			l.close(lc)
		}
	}
}

// close ends a connection the loop serves.
func (l *loop) close(lc *loopConn) {
	if lc.closed {
		return
	}
	lc.closed = true
	if lc.fd < len(l.conns) && l.conns[lc.fd] == lc {
		l.conns[lc.fd] = nil
	}
	syscall.Close(lc.fd) // the only descriptor of the socket: epoll forgets it
	lc.in, lc.pend = nil, nil
	c := lc.c
	s := l.s
	s.mu.Lock()
	if s.clients[c.id] == c {
		delete(s.clients, c.id)
	}
	s.mu.Unlock()
	s.endClient(c)
}

// readable reads once from lc and serves what it got.
func (l *loop) readable(lc *loopConn) {
	own := len(lc.in) > 0 // a request is partly read: read after it
	var buf []byte
	if own {
		if cap(lc.in)-len(lc.in) < loopReadSize/4 {
			lc.in = slices.Grow(lc.in, loopReadSize)
		}
		buf = lc.in[len(lc.in):cap(lc.in)]
	} else {
		buf = l.rbuf
	}
	n, err := readFD(lc.fd, buf)
	switch {
	case err == syscall.EAGAIN || err == syscall.EINTR:
		return
	case err != nil || n == 0: // the peer went away (or shut its side)
		l.undefer(lc)
		if lc.closed {
			return
		}
		if len(lc.pend) > 0 && err == nil {
			lc.closeAfter = true // its replies may still be read
			l.setEvents(lc)
			return
		}
		l.close(lc)
		return
	}
	c := lc.c
	c.mu.Lock()
	c.lastAt = l.now // once per batch of pipelined commands
	c.mu.Unlock()
	if own {
		lc.in = lc.in[:len(lc.in)+n]
		l.serve(lc, lc.in, true)
	} else {
		l.serve(lc, l.rbuf[:n], false)
	}
}

// serve runs the requests in buf (lc.in when own), writes the replies,
// keeps what is left, and goes on while requests wait that were left for
// the output limit and the output went out.
func (l *loop) serve(lc *loopConn, buf []byte, own bool) {
	for {
		l.mark = len(l.out)
		used, act := l.process(lc, buf)
		rest := buf[used:]
		if act == actHandoff {
			l.handoff(lc, rest)
			return
		}
		switch {
		case len(rest) == 0:
			lc.in = lc.in[:0]
			if cap(lc.in) > 2*loopReadSize {
				lc.in = nil // do not keep a large request's buffer
			}
		case own:
			lc.in = lc.in[:copy(lc.in, rest)]
		default:
			lc.in = append(lc.in[:0], rest...)
		}
		if act == actClose {
			lc.closeAfter = true
		}
		if act == actNone && len(lc.pend) == 0 && !lc.closeAfter {
			// The usual case: written with the others' at the end of the
			// round, as Redis does before it sleeps. The clients get their
			// replies together and send their next requests together, so
			// the next round finds more of them ready.
			if len(l.out) > l.mark {
				l.defers = append(l.defers, deferred{lc, l.mark, len(l.out)})
				lc.deferred = true
			}
			return
		}
		l.flush(lc)
		if act != actLimit || lc.closed || len(lc.pend) >= l.s.opts.ClientOutputLimit {
			return
		}
		buf, own = lc.in, true
	}
}

type action uint8

const (
	actNone    action = iota
	actLimit          // stopped at the output limit, requests may be left
	actClose          // close once the replies are written
	actHandoff        // hand off to a goroutine; what is left starts with the request to run
)

// process parses and runs the requests in buf, the replies appended to
// l.out; it returns the bytes it used.
func (l *loop) process(lc *loopConn, buf []byte) (int, action) {
	s, c := l.s, lc.c
	limit := s.opts.ClientOutputLimit
	p := 0
	act := actNone
	l.args = l.args[:0]
	for p < len(buf) {
		if len(l.out)-l.mark+len(lc.pend) >= limit {
			act = actLimit
			break
		}
		at := len(l.args)
		var n int
		var err error
		l.args, n, err = lc.ps.parse(buf[p:], l.args)
		if err != nil {
			l.runPipeline(lc)
			var pe protocolError
			if errors.As(err, &pe) {
				l.out = appendReply(l.out, engine.ErrorReply(pe.Error()))
				s.logf("client %d %s: %v", c.id, c.addr, pe)
			}
			return p, actClose
		}
		if n == 0 {
			break // incomplete
		}
		start := p
		p += n
		args := l.args[at:]
		if len(args) == 0 {
			continue // an empty request
		}
		if e, ok := l.pipelinable(c, args); ok {
			l.run = append(l.run, runCmd{at, len(args), e})
			if len(l.run) >= maxRun {
				l.runPipeline(lc)
				l.args = l.args[:0]
			}
			continue
		}
		l.runPipeline(lc)
		quit := l.serveOne(lc, args)
		l.args = l.args[:0]
		switch {
		case c.handoff:
			return start, actHandoff
		case quit:
			return p, actClose
		case c.subscribed():
			return p, actHandoff
		}
	}
	l.runPipeline(lc)
	l.args = l.args[:0]
	return p, act
}

// pipelinable is pipeline.go's pipelinable, remembering the last command
// name it looked up (a pipeline mostly repeats one).
func (l *loop) pipelinable(c *client, args [][]byte) (cmdEntry, bool) {
	if !c.canPipeline() {
		return cmdEntry{}, false
	}
	e := l.seenE
	if !bytes.Equal(args[0], l.seen) || l.seen == nil {
		e = lookupEntry(args[0])
		l.seen, l.seenE = append(l.seen[:0], args[0]...), e
	}
	return e, e.pipelinable(len(args))
}

// runPipeline runs the pipelined run, if any: one command as exec would
// (its lookup done), several through DoPipeline.
func (l *loop) runPipeline(lc *loopConn) {
	if len(l.run) == 0 {
		return
	}
	s, c := l.s, lc.c
	db := s.DB(c.db)
	last := l.run[len(l.run)-1].e.name
	s.commands.Add(int64(len(l.run)))
	c.mu.Lock()
	c.lastCmd = last
	c.mu.Unlock()
	if len(l.run) == 1 {
		r := l.run[0]
		l.out = appendReply(l.out, db.DoCommand(context.Background(), r.e.ec, l.args[r.at:r.at+r.n]...))
	} else {
		l.cmds = l.cmds[:0]
		for _, r := range l.run {
			l.cmds = append(l.cmds, l.args[r.at:r.at+r.n:r.at+r.n])
		}
		l.replies = db.DoPipeline(context.Background(), l.cmds, l.replies[:0])
		for _, r := range l.replies {
			l.out = appendReply(l.out, r)
		}
		clear(l.replies) // drop references to reply bytes
		clear(l.cmds)
	}
	l.run = l.run[:0]
}

// serveOne runs one request as serve (server.go) does, the reply appended
// to l.out; it reports whether the connection must close after it.
func (l *loop) serveOne(lc *loopConn, args [][]byte) bool {
	c := lc.c
	r, quit := l.s.exec(c, args)
	if c.handoff {
		return false
	}
	if c.several != nil {
		if c.reply == replyOn {
			for _, r := range c.several {
				l.out = appendReply(l.out, r)
			}
		} else {
			l.reply(c, r) // CLIENT REPLY OFF/SKIP: no reply at all
		}
		c.several = nil
	} else {
		l.reply(c, r)
	}
	return quit
}

// reply is Server.writeReply for l.out.
func (l *loop) reply(c *client, r engine.Reply) {
	if c.wantsReply() {
		l.out = appendReply(l.out, r)
	}
}

// flush writes l.out (after lc.pend, if any), keeps what the socket does
// not take, and sets what epoll watches for.
func (l *loop) flush(lc *loopConn) {
	l.undefer(lc)
	out := l.out[l.mark:]
	l.out = l.out[:l.mark]
	l.write(lc, out)
}

// undefer writes lc's deferred replies now, before any other output of
// lc's (flush, handoff) or its end (EOF).
func (l *loop) undefer(lc *loopConn) {
	if !lc.deferred {
		return
	}
	lc.deferred = false
	for i, d := range l.defers {
		if d.lc == lc {
			l.write(lc, l.out[d.from:d.to])
			l.defers[i].lc = nil
		}
	}
}

// write writes out to lc (after lc.pend, if any), keeps what the socket
// does not take, and sets what epoll watches for.
func (l *loop) write(lc *loopConn, out []byte) {
	if lc.closed {
		return // its descriptor may be another connection's by now
	}
	if len(lc.pend) > 0 {
		lc.pend = append(lc.pend, out...)
		l.writePend(lc)
	} else if len(out) > 0 {
		n, err := writeFD(lc.fd, out)
		if err != nil && err != syscall.EAGAIN && err != syscall.EINTR {
			l.close(lc)
			return
		}
		if n < len(out) {
			if len(l.out) == 0 && cap(out) > 4*loopReadSize {
				lc.pend, l.out = out[n:], nil // a large reply: its buffer, not a copy
			} else {
				lc.pend = append(lc.pend[:0], out[n:]...)
			}
			lc.progressAt = l.now
			if !lc.isStalled {
				lc.isStalled = true
				l.stalled = append(l.stalled, lc)
			}
		}
	}
	if lc.closed {
		return
	}
	if lc.closeAfter && len(lc.pend) == 0 {
		l.close(lc)
		return
	}
	l.setEvents(lc)
}

// writeDeferred writes the replies deferred in this round.
func (l *loop) writeDeferred() {
	for i, d := range l.defers {
		if d.lc != nil {
			d.lc.deferred = false
			if !d.lc.killed.Load() {
				l.write(d.lc, l.out[d.from:d.to])
			}
		}
		l.defers[i] = deferred{}
	}
	l.defers = l.defers[:0]
	l.out = l.out[:0]
	if cap(l.out) > 4*loopReadSize {
		l.out = nil // do not keep a huge reply's buffer
	}
}

// writePend writes what is pending.
func (l *loop) writePend(lc *loopConn) {
	n, err := writeFD(lc.fd, lc.pend)
	if err != nil && err != syscall.EAGAIN && err != syscall.EINTR {
		l.close(lc)
		return
	}
	if n > 0 {
		lc.progressAt = l.now
		lc.pend = lc.pend[n:]
		if len(lc.pend) == 0 {
			lc.pend = nil
		}
	}
}

// writable writes pending output; once it is below the limit, the requests
// left for it run.
func (l *loop) writable(lc *loopConn) {
	l.writePend(lc)
	if lc.closed {
		return
	}
	if !lc.closeAfter && len(lc.pend) < l.s.opts.ClientOutputLimit && len(lc.in) > 0 {
		l.serve(lc, lc.in, true)
		return
	}
	if lc.closeAfter && len(lc.pend) == 0 {
		l.close(lc)
		return
	}
	l.setEvents(lc)
}

// setEvents has epoll watch lc for reading while its output is under the
// limit, and for writing while output is pending.
func (l *loop) setEvents(lc *loopConn) {
	var want uint32
	if !lc.closeAfter && len(lc.pend) < l.s.opts.ClientOutputLimit {
		want |= syscall.EPOLLIN
	}
	if len(lc.pend) > 0 {
		want |= syscall.EPOLLOUT
	}
	if want == lc.events {
		return
	}
	lc.events = want
	ev := syscall.EpollEvent{Events: want, Fd: int32(lc.fd)}
	if err := syscall.EpollCtl(l.epfd, syscall.EPOLL_CTL_MOD, lc.fd, &ev); err != nil {
		l.close(lc)
	}
}

// checkStalled disconnects the clients whose output made no progress for
// ClientOutputTimeout.
func (l *loop) checkStalled() {
	l.lastCheck = l.now
	keep := l.stalled[:0]
	for _, lc := range l.stalled {
		switch {
		case lc.closed || len(lc.pend) == 0:
			lc.isStalled = false
		case l.now.Sub(lc.progressAt) >= l.s.opts.ClientOutputTimeout:
			lc.isStalled = false
			l.s.logf("client %d %s: disconnected: no output taken for %v", lc.c.id, lc.c.addr, l.s.opts.ClientOutputTimeout)
			l.close(lc)
		default:
			keep = append(keep, lc)
		}
	}
	clear(l.stalled[len(keep):])
	l.stalled = keep
}

// handoff gives lc to a goroutine of its own (see the top of the file):
// rest is what was read and not run, starting with the request that waits.
func (l *loop) handoff(lc *loopConn, rest []byte) {
	s, c := l.s, lc.c
	c.handoff = false
	in := bytes.Clone(rest)
	l.undefer(lc) // (a write error closes lc: then it is gone)
	if lc.closed {
		l.out = l.out[:l.mark]
		return
	}
	out := append(lc.pend, l.out[l.mark:]...)
	l.out = l.out[:l.mark]
	lc.pend, lc.in = nil, nil
	lc.ps.reset()
	syscall.EpollCtl(l.epfd, syscall.EPOLL_CTL_DEL, lc.fd, nil)
	l.conns[lc.fd] = nil
	lc.closed = true // for the loop: no longer its connection
	f := os.NewFile(uintptr(lc.fd), "")
	nc, err := net.FileConn(f) // a duplicate, for the netpoller
	f.Close()
	drop := func() {
		s.mu.Lock()
		if s.clients[c.id] == c {
			delete(s.clients, c.id)
		}
		s.mu.Unlock()
		s.endClient(c)
	}
	if err != nil {
		s.logf("client %d %s: %v", c.id, c.addr, err)
		drop()
		return
	}
	s.mu.Lock()
	c.mu.Lock()
	if s.closed || lc.killed.Load() {
		c.mu.Unlock()
		s.mu.Unlock()
		nc.Close()
		drop()
		return
	}
	c.conn, c.lc = nc, nil
	s.wg.Add(1)
	c.mu.Unlock()
	s.mu.Unlock()
	go s.runClient(c, in, out)
}

// readFD and writeFD are read(2) and write(2) without telling the
// scheduler (RawSyscall): the descriptors are non-blocking, so the call
// never waits, and entering and leaving a syscall the scheduler's way costs
// about as much as a small read.
func readFD(fd int, b []byte) (int, error) {
	r, _, e := syscall.RawSyscall(syscall.SYS_READ, uintptr(fd), uintptr(unsafe.Pointer(unsafe.SliceData(b))), uintptr(len(b)))
	if e != 0 {
		return 0, e
	}
	return int(r), nil
}

func writeFD(fd int, b []byte) (int, error) {
	r, _, e := syscall.RawSyscall(syscall.SYS_WRITE, uintptr(fd), uintptr(unsafe.Pointer(unsafe.SliceData(b))), uintptr(len(b)))
	if e != 0 {
		return 0, e
	}
	return int(r), nil
}
