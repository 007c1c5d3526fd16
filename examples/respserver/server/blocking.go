package server

import (
	"context"
	"errors"
	"os"
	"strconv"
	"time"

	"github.com/jackdawdb/jackdaw/engine"
)

// Blocking commands (BLPOP, BLMOVE, BZPOPMIN...) run through the engine's
// Do on the connection's own goroutine, which waits there; nothing of the
// server is locked meanwhile, so other connections go on. The command's
// context ends when:
//   - CLIENT UNBLOCK id ERROR cancels it with engine.ErrUnblocked as the
//     cause (the command replies "-UNBLOCKED ..."), or CLIENT UNBLOCK id
//     [TIMEOUT] with another cause (it replies its timeout's null);
//   - the peer goes away: a goroutine reads ahead from the connection while
//     the command waits (buffering, consuming nothing) and cancels the
//     context when the read fails (EOF, reset, the connection closed by
//     CLIENT KILL or Server.Close). The engine guarantees that a cancelled
//     pop either got its element (lost with the client, as in Redis) or
//     left it in the key.

var (
	errPeerGone        = errors.New("the client closed the connection")
	errUnblockedByUser = errors.New("unblocked via CLIENT UNBLOCK TIMEOUT")
	aLongTimeAgo       = time.Unix(1, 0) // a read deadline that has passed
)

// doBlocking runs a blocking command for c; quit reports that the peer
// went away meanwhile.
func (s *Server) doBlocking(c *client, args [][]byte) (engine.Reply, bool) {
	// The replies to the requests before this one go out before it waits,
	// as Redis sends them.
	if c.w.Flush() != nil {
		return engine.Reply{}, true
	}
	db := s.DB(c.db)
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	c.mu.Lock()
	c.blocked, c.unblock = true, cancel
	c.mu.Unlock()
	s.blockedClients.Add(1)

	peer := make(chan error, 1)
	go func() {
		err := c.rd.readAhead()
		if err != nil && !errors.Is(err, os.ErrDeadlineExceeded) {
			cancel(errPeerGone)
		}
		peer <- err
	}()
	r := db.Do(ctx, args...)
	c.conn.SetReadDeadline(aLongTimeAgo) // stop the read-ahead...
	err := <-peer
	c.conn.SetReadDeadline(time.Time{}) // ...and read normally again

	c.mu.Lock()
	c.blocked, c.unblock = false, nil
	c.mu.Unlock()
	s.blockedClients.Add(-1)
	gone := err != nil && !errors.Is(err, os.ErrDeadlineExceeded)
	return r, gone
}

// readAhead reads from the connection into the reader's buffer, consuming
// nothing, until the read fails (the peer closed, a deadline) or the buffer
// is full (then it returns nil: a client that pipelines that much after a
// blocking command is not watched further, and is seen to be gone only
// when the command ends).
func (rd *reader) readAhead() error {
	for {
		n := rd.br.Buffered()
		if n >= rd.br.Size() {
			return nil
		}
		if _, err := rd.br.Peek(n + 1); err != nil {
			return err
		}
	}
}

// clientUnblock serves CLIENT UNBLOCK id [TIMEOUT|ERROR]: 1 if the client
// was blocked and is now unblocked, 0 otherwise.
func (s *Server) clientUnblock(args [][]byte) engine.Reply {
	cause := errUnblockedByUser
	if len(args) == 4 {
		switch {
		case is(args[3], "timeout"):
		case is(args[3], "error"):
			cause = engine.ErrUnblocked
		default:
			return errReply("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR")
		}
	}
	id, err := strconv.ParseInt(string(args[2]), 10, 64)
	if err != nil || !isRedisInt(args[2]) {
		return notIntErr
	}
	s.mu.Lock()
	o := s.clients[id]
	s.mu.Unlock()
	if o == nil {
		return intReply(0)
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if !o.blocked || o.unblock == nil {
		return intReply(0)
	}
	o.unblock(cause)
	o.unblock = nil // unblocked once
	return intReply(1)
}
