package server

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackdawdb/jackdaw/engine"
)

// Options configure a Server. The zero value is valid except for Addr when
// ListenAndServe is used.
type Options struct {
	// Addr is the TCP address to listen on, such as "127.0.0.1:6380".
	// Port 0 picks a free port; Addr() tells which.
	Addr string

	// RequirePass, when set, makes every client AUTH (or HELLO ... AUTH)
	// before any other command, as Redis's requirepass does.
	RequirePass string

	// Databases is the number of logical databases SELECT can choose among,
	// each its own *engine.DB. Default 16.
	Databases int

	// DBOptions configure each database.
	DBOptions engine.Options

	// MaxRequestBytes bounds one request (all its arguments together). A
	// larger request gets "ERR Protocol error: invalid bulk length" (an
	// inline one: "too big inline request") and the connection is closed.
	// Default 512 MiB (Redis's proto-max-bulk-len).
	MaxRequestBytes int64

	// ClientOutputLimit bounds the reply bytes the server holds for one
	// client beyond what the client's socket has accepted. Replies are
	// written as they are produced; once this much is pending the server
	// waits for the client to read (it reads and runs no more of its
	// requests meanwhile; an event loop serves its other clients), and a
	// client that takes no output for ClientOutputTimeout is disconnected.
	// One reply, or in an event loop one pipelined run of up to 16
	// commands, may go past the limit. Default 256 KiB.
	ClientOutputLimit int

	// ClientOutputTimeout: see ClientOutputLimit. Default 60s.
	ClientOutputTimeout time.Duration

	// SubscriberBuffer is the number of messages held for a subscribed
	// client that does not keep up, beyond what its connection holds
	// (ClientOutputLimit); past it the client is disconnected, as Redis
	// does past client-output-buffer-limit pubsub. Default 1024
	// (engine.DefaultSubscriptionBuffer).
	SubscriberBuffer int

	// Logf, if set, receives a line per notable event (client errors).
	Logf func(format string, args ...any)

	// NoEventLoop turns the event loops off: every connection is then
	// served by a goroutine of its own, as on systems other than Linux.
	//
	// By default, on Linux, connections are served by a few epoll event
	// loops (EventLoops): each reads what a client sent, runs every
	// complete request and writes the replies in one write, with no
	// goroutine switch per request. A connection moves to a goroutine of
	// its own, for good, when it runs what waits: a blocking command
	// (BLPOP...), SUBSCRIBE or PSUBSCRIBE, DEBUG SLEEP. Replies are the
	// same either way. On other systems this option changes nothing.
	NoEventLoop bool

	// EventLoops is the number of event loops (see NoEventLoop), each a
	// goroutine with its own epoll instance, connections spread over them
	// in turn. Default GOMAXPROCS/2, at least 1: the engine's work is done
	// on the loops, and the clients (on the same machine, as in the
	// benchmarks) and the rest of the process need cores too; on 2 cores
	// one loop served more requests per second than two (loop_linux.go).
	EventLoops int
}

func (o *Options) setDefaults() error {
	if o.Databases == 0 {
		o.Databases = 16
	}
	if o.Databases < 1 || o.Databases > 1<<16 {
		return errors.New("server: Options.Databases must be in [1, 65536]")
	}
	if o.MaxRequestBytes <= 0 {
		o.MaxRequestBytes = maxBulkLen
	}
	if o.ClientOutputLimit <= 0 {
		o.ClientOutputLimit = 256 << 10
	}
	if o.SubscriberBuffer <= 0 {
		o.SubscriberBuffer = engine.DefaultSubscriptionBuffer
	}
	if o.ClientOutputTimeout <= 0 {
		o.ClientOutputTimeout = 60 * time.Second
	}
	if o.EventLoops <= 0 {
		o.EventLoops = max(1, runtime.GOMAXPROCS(0)/2)
	}
	return nil
}

// Server is a RESP2 server over jackdaw databases.
type Server struct {
	opts  Options
	dbs   []atomic.Pointer[engine.DB] // index -> DB; SWAPDB swaps entries
	start time.Time
	runID string

	mu      sync.Mutex
	ln      net.Listener
	clients map[int64]*client
	closed  bool
	done    chan struct{}
	wg      sync.WaitGroup

	nextID         atomic.Int64
	connections    atomic.Int64 // total_connections_received
	commands       atomic.Int64 // total_commands_processed
	rejected       atomic.Int64 // rejected_connections (none yet)
	blockedClients atomic.Int64 // clients in a blocking command
	statBase       engine.ShardStats
	ps             *engine.PubSub // the databases' shared pub/sub hub
	cfg            config

	loops    []*loop // the event loops, once Serve started them (none: goroutines)
	nextLoop atomic.Uint32
}

// New opens the databases and returns a server that is not yet listening.
func New(opts Options) (*Server, error) {
	if err := opts.setDefaults(); err != nil {
		return nil, err
	}
	s := &Server{
		opts:    opts,
		dbs:     make([]atomic.Pointer[engine.DB], opts.Databases),
		start:   time.Now(),
		runID:   newRunID(),
		clients: make(map[int64]*client),
		done:    make(chan struct{}),
	}
	s.cfg.init(opts)
	s.ps = opts.DBOptions.PubSub
	if s.ps == nil {
		s.ps = engine.NewPubSub()
	}
	for i := range s.dbs {
		o := opts.DBOptions
		o.PubSub, o.Index = s.ps, i
		db, err := engine.Open(o)
		if err != nil {
			s.closeDBs()
			return nil, err
		}
		s.dbs[i].Store(db)
	}
	return s, nil
}

// DB returns the database currently at index i (SWAPDB changes which).
func (s *Server) DB(i int) *engine.DB { return s.dbs[i].Load() }

// Listen binds Options.Addr without serving yet, so that Addr is known.
func (s *Server) Listen() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return net.ErrClosed
	}
	if s.ln != nil {
		return nil
	}
	ln, err := net.Listen("tcp", s.opts.Addr)
	if err != nil {
		return err
	}
	s.ln = ln
	return nil
}

// ListenAndServe listens on Options.Addr and serves until ctx is done or
// Close is called.
func (s *Server) ListenAndServe(ctx context.Context) error {
	if err := s.Listen(); err != nil {
		return err
	}
	return s.Serve(ctx)
}

// Serve accepts connections on the listener Listen bound (binding it first
// if needed) until ctx is done or Close is called; then it closes the
// server (see Close) and returns nil.
func (s *Server) Serve(ctx context.Context) error {
	if err := s.Listen(); err != nil {
		return err
	}
	stop := context.AfterFunc(ctx, func() { s.Close() })
	defer stop()
	s.startLoops()
	for {
		conn, err := s.ln.Accept()
		if err != nil {
			select {
			case <-s.done:
				return nil
			default:
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				time.Sleep(5 * time.Millisecond)
				continue
			}
			s.Close()
			return err
		}
		s.serveConn(conn)
	}
}

// Addr is the address the server listens on, or nil before Listen.
func (s *Server) Addr() net.Addr {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ln == nil {
		return nil
	}
	return s.ln.Addr()
}

// Close stops accepting, closes every connection, waits for their
// goroutines and closes the databases. Closing twice is a no-op.
func (s *Server) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	close(s.done)
	if s.ln != nil {
		s.ln.Close()
	}
	for _, c := range s.clients {
		c.shut()
	}
	loops := s.loops
	s.mu.Unlock()
	for _, l := range loops {
		l.stop() // it closes its connections and ends
	}
	s.wg.Wait()
	s.closeDBs()
	return nil
}

func (s *Server) closeDBs() {
	for i := range s.dbs {
		if db := s.dbs[i].Load(); db != nil {
			db.Close()
		}
	}
}

func (s *Server) logf(format string, args ...any) {
	if s.opts.Logf != nil {
		s.opts.Logf(format, args...)
	}
}

// client is one connection's state. The fields above mu belong to the
// connection's goroutine (or event loop); those below it are also read
// (CLIENT LIST, INFO, CLIENT UNBLOCK, SWAPDB) by other connections'
// goroutines.
type client struct {
	id int64
	// conn is the connection when a goroutine serves it; nil while an event
	// loop does (lc). Set once, under mu, when the loop hands it off.
	conn    net.Conn
	lc      *loopConn
	handoff bool // exec met what needs a goroutine (loop mode): not run
	addr    string
	laddr   string
	created time.Time
	rd      *reader
	w       *bufio.Writer

	db     int  // selected database
	authed bool // AUTH done, or no password required
	reply  replyMode

	// MULTI/WATCH state (multi.go).
	inMulti   bool
	queued    []queuedCmd
	execAbort bool           // a command was refused while queued
	watches   []engine.Watch // WATCHed keys, of any database
	watchKeys []watchKey     // the same keys, to watch each once

	// Pub/sub state (pubsub.go): set while subscribed to anything.
	sub *engine.Subscription

	// several, when set by a command, are its replies (SUBSCRIBE a b ...
	// answers once per channel); the command's own reply is not written.
	several []engine.Reply
	pipe    pipeline // a run of pipelined commands (pipeline.go)

	// Read by CLIENT LIST from other goroutines.
	mu       sync.Mutex
	name     string
	dbIdx    int
	lastCmd  string
	lastAt   time.Time
	closing  bool
	multiLen int                     // commands queued in MULTI, -1 outside
	watchDBs []int                   // databases with WATCHed keys (SWAPDB dirties them)
	dirty    bool                    // a WATCHed key is known to have changed (SWAPDB)
	blocked  bool                    // in a blocking command
	unblock  context.CancelCauseFunc // ends the blocking command (CLIENT UNBLOCK)
	nsub     int                     // channels subscribed to
	npsub    int                     // patterns subscribed to
}

// shut closes c's connection, from any goroutine (CLIENT KILL, Close): the
// goroutine serving it then ends; an event loop is asked to close it (it
// owns the descriptor, and serves no more of its requests meanwhile).
func (c *client) shut() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.conn != nil {
		c.conn.Close()
		return
	}
	if c.lc != nil {
		c.lc.kill()
	}
}

type replyMode uint8

const (
	replyOn replyMode = iota
	replyOff
	replySkipNext
	replySkip // skipping the current command's reply
)

// deadlineWriter gives every write to the connection a deadline, so that a
// client which stops reading its replies is disconnected.
type deadlineWriter struct {
	conn    net.Conn
	timeout time.Duration
}

func (w deadlineWriter) Write(p []byte) (int, error) {
	w.conn.SetWriteDeadline(time.Now().Add(w.timeout))
	return w.conn.Write(p)
}

func (s *Server) serveConn(conn net.Conn) {
	c := &client{
		id:       s.nextID.Add(1),
		addr:     conn.RemoteAddr().String(),
		laddr:    conn.LocalAddr().String(),
		created:  time.Now(),
		authed:   s.opts.RequirePass == "",
		multiLen: -1,
	}
	c.lastAt = c.created
	if s.serveLoop(c, conn) {
		return
	}
	c.conn = conn
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		conn.Close()
		return
	}
	s.clients[c.id] = c
	s.wg.Add(1)
	s.mu.Unlock()
	s.connections.Add(1)
	go s.runClient(c, nil, nil)
}

// runClient serves c on its own goroutine until the connection ends; in
// and out are what an event loop handing c off had read and not parsed,
// and had not written yet. The caller did s.wg.Add(1).
func (s *Server) runClient(c *client, in, out []byte) {
	defer s.wg.Done()
	defer func() {
		s.mu.Lock()
		delete(s.clients, c.id)
		s.mu.Unlock()
		c.conn.Close()
	}()
	s.handle(c, in, out)
}

// handle reads requests and writes replies until the connection ends.
// Pipelined requests are all executed before the replies are flushed. A
// subscribed client is served by serveSubscribed, which also writes the
// messages as they arrive. in and out: see runClient.
func (s *Server) handle(c *client, in, out []byte) {
	var r io.Reader = c.conn
	if len(in) > 0 {
		r = io.MultiReader(bytes.NewReader(in), c.conn)
	}
	c.rd = newReader(r, s.opts.MaxRequestBytes)
	c.w = bufio.NewWriterSize(deadlineWriter{c.conn, s.opts.ClientOutputTimeout}, s.opts.ClientOutputLimit)
	defer s.endClient(c)
	if len(out) > 0 {
		c.w.Write(out)
		if c.w.Flush() != nil {
			return
		}
	}
	for {
		if c.subscribed() {
			if !s.serveSubscribed(c) {
				return
			}
			continue
		}
		fresh := !c.rd.buffered() // the read waits for the client: a new batch
		args, err := c.rd.read()
		if fresh {
			c.mu.Lock()
			c.lastAt = time.Now() // once per batch of pipelined commands, not per command
			c.mu.Unlock()
		}
		if err == nil && c.rd.buffered() {
			if name, ok := pipelinable(c, args); ok {
				if !s.servePipeline(c, name, args) {
					return
				}
				continue
			}
		}
		if !s.serve(c, args, err) {
			return
		}
	}
}

// serve executes one request read from c (or handles the read's error) and
// writes its reply, flushing when no other request is already buffered. It
// reports whether the connection goes on.
func (s *Server) serve(c *client, args [][]byte, err error) bool {
	if err != nil {
		var pe protocolError
		if errors.As(err, &pe) {
			writeReply(c.w, engine.ErrorReply(pe.Error()))
			c.w.Flush()
			s.logf("client %d %s: %v", c.id, c.addr, pe)
		} else if !errors.Is(err, io.EOF) && !errors.Is(err, net.ErrClosed) {
			c.w.Flush()
		}
		return false
	}
	if args != nil {
		r, quit := s.exec(c, args)
		if c.several != nil {
			if c.reply == replyOn {
				for _, r := range c.several {
					writeReply(c.w, r)
				}
			} else {
				s.writeReply(c, r) // CLIENT REPLY OFF/SKIP: no reply at all
			}
			c.several = nil
		} else {
			s.writeReply(c, r)
		}
		if quit {
			c.w.Flush()
			return false
		}
	}
	if !c.rd.buffered() {
		if err := c.w.Flush(); err != nil {
			return false
		}
	}
	return true
}

// writeReply writes r to c unless CLIENT REPLY says otherwise.
func (s *Server) writeReply(c *client, r engine.Reply) {
	if c.wantsReply() {
		writeReply(c.w, r)
	}
}

// wantsReply reports whether a command's reply is sent, as CLIENT REPLY
// says, and moves CLIENT REPLY SKIP on by one command.
func (c *client) wantsReply() bool {
	switch c.reply {
	case replyOn:
		return true
	case replySkipNext:
		c.reply = replySkip
	case replySkip:
		c.reply = replyOn
	}
	return false
}

// endClient releases what the connection holds when it ends.
func (s *Server) endClient(c *client) {
	s.closeSub(c)
	c.watches, c.queued = nil, nil
}
