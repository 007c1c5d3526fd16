package server

import (
	"context"
	"errors"
	"slices"

	"github.com/jackdawdb/jackdaw/engine"
)

// MULTI/EXEC/DISCARD/WATCH/UNWATCH, per connection.
//
// Queued commands are of two kinds. Commands of the engine's table (and the
// server commands the engine also runs on one database: PING, ECHO, DBSIZE,
// FLUSHDB, COPY without DB) run together in one (*engine.DB).Exec on the
// selected database, atomically. Server commands that touch no data, only
// the connection or the server's settings (TIME, CLIENT, INFO, CONFIG,
// COMMAND, DEBUG, AUTH, HELLO, UNWATCH), run after that Exec, in their
// queued order, their replies put in their places in EXEC's array: they see
// no key, so running them after the data commands is not observable except
// through timing. Server commands that span databases or would need the
// data and the connection together (SELECT, MOVE, SWAPDB, FLUSHALL, COPY
// ... DB, OBJECT, the SUBSCRIBE family) are refused while queueing, which
// makes EXEC abort, as a wrong-arity command does.

// queuedCmd is one command queued in a MULTI.
type queuedCmd struct {
	args  [][]byte   // a copy: the reader reuses its buffers
	local *serverCmd // run by the server after the engine's Exec; nil: part of the Exec
}

// multiImmediate are the commands a MULTI does not queue.
var multiImmediate = map[string]bool{"exec": true, "discard": true, "multi": true, "watch": true, "quit": true, "reset": true}

// multiEngine are server commands that, inside a MULTI, the engine's Exec
// runs on the selected database (its table has the same command).
var multiEngine = map[string]bool{"ping": true, "echo": true, "dbsize": true, "flushdb": true, "copy": true}

// multiLocal are server commands that touch no data: queued, they run after
// the engine's Exec.
var multiLocal = map[string]bool{"time": true, "client": true, "info": true, "config": true, "command": true,
	"debug": true, "auth": true, "hello": true, "unwatch": true}

// multiRefused says why a server command cannot be queued.
var multiRefused = map[string]string{
	"select":       "a transaction runs on one database",
	"move":         "a transaction runs on one database",
	"swapdb":       "a transaction runs on one database",
	"flushall":     "a transaction runs on one database",
	"copy":         "a transaction runs on one database (COPY ... DB)",
	"object":       "it is not run atomically with the transaction",
	"subscribe":    "subscriptions are not transactional here",
	"psubscribe":   "subscriptions are not transactional here",
	"unsubscribe":  "subscriptions are not transactional here",
	"punsubscribe": "subscriptions are not transactional here",
}

// notInMulti is the queue-time error of a refused server command.
func notInMulti(name string) engine.Reply {
	return errReply("ERR '" + name + "' inside MULTI is not supported by this server: " + multiRefused[name])
}

// flagTx makes the current MULTI's EXEC abort (a command was refused).
func (c *client) flagTx() {
	if c.inMulti {
		c.execAbort = true
	}
}

// queue queues a command in c's MULTI, or refuses it (then EXEC aborts).
func (s *Server) queue(c *client, name string, sc *serverCmd, args [][]byte) engine.Reply {
	q := queuedCmd{}
	if sc != nil {
		switch {
		case name == "copy" && copyHasDB(args):
			c.flagTx()
			return notInMulti(name)
		case multiEngine[name]:
		case multiLocal[name]:
			q.local = sc
		default:
			c.flagTx()
			if _, ok := multiRefused[name]; ok {
				return notInMulti(name)
			}
			return errReply("ERR '" + name + "' inside MULTI is not supported by this server")
		}
	}
	q.args = make([][]byte, len(args))
	for i, a := range args {
		q.args[i] = slices.Clone(a)
		if q.args[i] == nil {
			q.args[i] = []byte{}
		}
	}
	c.queued = append(c.queued, q)
	c.mu.Lock()
	c.multiLen = len(c.queued)
	c.mu.Unlock()
	return engine.StatusReply("QUEUED")
}

// copyHasDB reports whether COPY names a database (COPY src dst DB n).
func copyHasDB(args [][]byte) bool {
	for _, a := range args[3:] {
		if is(a, "db") {
			return true
		}
	}
	return false
}

func cmdMulti(s *Server, c *client, args [][]byte) (engine.Reply, bool) {
	if c.inMulti {
		return errReply("ERR MULTI calls can not be nested"), false
	}
	c.inMulti = true
	c.mu.Lock()
	c.multiLen = 0
	c.mu.Unlock()
	return okReply, false
}

// endMulti leaves MULTI and drops the queue; the WATCHes stay.
func (c *client) endMulti() {
	c.inMulti, c.queued, c.execAbort = false, nil, false
	c.mu.Lock()
	c.multiLen = -1
	c.mu.Unlock()
}

func (c *client) unwatch() {
	c.watches, c.watchKeys = nil, nil
	c.mu.Lock()
	c.watchDBs, c.dirty = nil, false
	c.mu.Unlock()
}

func cmdDiscard(s *Server, c *client, args [][]byte) (engine.Reply, bool) {
	if !c.inMulti {
		return errReply("ERR DISCARD without MULTI"), false
	}
	c.endMulti()
	c.unwatch()
	return okReply, false
}

func cmdExec(s *Server, c *client, args [][]byte) (engine.Reply, bool) {
	if !c.inMulti {
		return errReply("ERR EXEC without MULTI"), false
	}
	queued, abort, watches := c.queued, c.execAbort, c.watches
	c.mu.Lock()
	dirty := c.dirty
	c.mu.Unlock()
	c.endMulti()
	c.unwatch()
	switch {
	case abort:
		return engine.Reply{Kind: engine.ReplyError, Err: engine.ErrExecAbort}, false
	case dirty:
		return engine.Reply{Kind: engine.ReplyNilArray}, false
	}
	var cmds [][][]byte
	for _, q := range queued {
		if q.local == nil {
			cmds = append(cmds, q.args)
		}
	}
	var replies []engine.Reply
	if len(cmds) > 0 || len(watches) > 0 {
		var err error
		replies, err = s.DB(c.db).Exec(context.Background(), watches, cmds)
		switch {
		case errors.Is(err, engine.ErrWatchedKeyChanged):
			return engine.Reply{Kind: engine.ReplyNilArray}, false
		case err != nil:
			return engine.Reply{Kind: engine.ReplyError, Err: err}, false
		}
	}
	out := make([]engine.Reply, len(queued))
	quit := false
	j := 0
	for i, q := range queued {
		if q.local == nil {
			out[i] = replies[j]
			j++
			continue
		}
		s.commands.Add(1)
		r, qt := q.local.run(s, c, q.args)
		out[i], quit = r, quit || qt
	}
	return arrayReply(out), quit
}

// watchKey identifies a WATCHed key: a key is watched once, from its first
// WATCH, as in Redis.
type watchKey struct {
	db  *engine.DB
	key string
}

func cmdWatch(s *Server, c *client, args [][]byte) (engine.Reply, bool) {
	if c.inMulti {
		return errReply("ERR WATCH inside MULTI is not allowed"), false
	}
	db := s.DB(c.db)
	seen := make(map[watchKey]bool, len(c.watches))
	for _, w := range c.watchKeys {
		seen[w] = true
	}
	var keys []string
	for _, a := range args[1:] {
		k := watchKey{db, string(a)}
		if !seen[k] {
			seen[k] = true
			keys = append(keys, k.key)
			c.watchKeys = append(c.watchKeys, k)
		}
	}
	c.watches = append(c.watches, db.Watch(keys...)...)
	c.mu.Lock()
	if !slices.Contains(c.watchDBs, c.db) {
		c.watchDBs = append(c.watchDBs, c.db)
	}
	c.mu.Unlock()
	return okReply, false
}

func cmdUnwatch(s *Server, c *client, args [][]byte) (engine.Reply, bool) {
	c.unwatch()
	return okReply, false
}

// dirtyWatchers marks the clients that WATCH keys of database a or b as
// failing their next EXEC (SWAPDB replaced those databases' contents).
func (s *Server) dirtyWatchers(a, b int) {
	for _, o := range s.clientList() {
		o.mu.Lock()
		if slices.Contains(o.watchDBs, a) || slices.Contains(o.watchDBs, b) {
			o.dirty = true
		}
		o.mu.Unlock()
	}
}

// cmdReset is Redis 6.2's RESET: it leaves MULTI, unwatches, unsubscribes
// from everything, selects database 0, turns CLIENT REPLY on, drops the
// client's name, and with requirepass makes the client authenticate again.
func cmdReset(s *Server, c *client, args [][]byte) (engine.Reply, bool) {
	c.endMulti()
	c.unwatch()
	s.unsubscribeAll(c)
	c.db = 0
	c.reply = replyOn
	c.authed = s.opts.RequirePass == ""
	c.mu.Lock()
	c.dbIdx, c.name = 0, ""
	c.mu.Unlock()
	return engine.StatusReply("RESET"), false
}
