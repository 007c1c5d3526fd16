package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackdawdb/jackdaw/engine"
)

// Server-level commands: connection state, logical databases, server
// introspection. Each entry uses the engine's Command shape so that COMMAND
// can list both tables together.
type serverCmd struct {
	engine.Command
	run func(s *Server, c *client, args [][]byte) (engine.Reply, bool)
}

var serverCmds map[string]*serverCmd

func scmd(name string, arity int, flags engine.CommandFlags, first, last, step int, run func(*Server, *client, [][]byte) (engine.Reply, bool)) *serverCmd {
	return &serverCmd{engine.Command{Name: name, Arity: arity, Flags: flags, FirstKey: first, LastKey: last, Step: step}, run}
}

func init() {
	const (
		fast     = engine.FlagFast
		admin    = engine.FlagAdmin
		loading  = engine.FlagLoading
		stale    = engine.FlagStale
		noscript = engine.FlagNoScript
		write    = engine.FlagWrite
		readonly = engine.FlagReadonly
		pubsub   = engine.FlagPubSub
	)
	list := []*serverCmd{
		scmd("ping", -1, fast, 0, 0, 0, cmdPing),
		scmd("echo", 2, fast, 0, 0, 0, cmdEcho),
		scmd("quit", -1, fast|noscript|loading|stale, 0, 0, 0, cmdQuit),
		scmd("auth", -2, fast|noscript|loading|stale, 0, 0, 0, cmdAuth),
		scmd("hello", -1, fast|noscript|loading|stale, 0, 0, 0, cmdHello),
		scmd("select", 2, fast|loading|stale, 0, 0, 0, cmdSelect),
		scmd("move", 3, write|fast, 1, 1, 1, cmdMove),
		scmd("swapdb", 3, write|fast, 0, 0, 0, cmdSwapDB),
		scmd("flushdb", -1, write, 0, 0, 0, cmdFlushDB),
		scmd("flushall", -1, write, 0, 0, 0, cmdFlushAll),
		scmd("dbsize", 1, readonly|fast, 0, 0, 0, cmdDBSize),
		scmd("client", -2, admin|noscript|loading|stale, 0, 0, 0, cmdClient),
		scmd("info", -1, loading|stale, 0, 0, 0, cmdInfo),
		scmd("config", -2, admin|noscript|loading|stale, 0, 0, 0, cmdConfig),
		scmd("time", 1, fast|loading|stale, 0, 0, 0, cmdTime),
		scmd("object", -2, readonly, 2, 2, 1, cmdObject),
		scmd("debug", -2, admin|noscript|loading|stale, 0, 0, 0, cmdDebug),
		scmd("command", -1, loading|stale, 0, 0, 0, cmdCommand),
		scmd("copy", -3, write|engine.FlagDenyOOM, 1, 2, 1, cmdCopy),
		scmd("multi", 1, noscript|loading|stale|fast, 0, 0, 0, cmdMulti),
		scmd("exec", 1, noscript|loading|stale, 0, 0, 0, cmdExec),
		scmd("discard", 1, noscript|loading|stale|fast, 0, 0, 0, cmdDiscard),
		scmd("watch", -2, noscript|loading|stale|fast, 1, -1, 1, cmdWatch),
		scmd("unwatch", 1, noscript|loading|stale|fast, 0, 0, 0, cmdUnwatch),
		scmd("reset", 1, noscript|loading|stale|fast, 0, 0, 0, cmdReset),
		scmd("subscribe", -2, pubsub|noscript|loading|stale, 0, 0, 0, cmdSubscribe),
		scmd("psubscribe", -2, pubsub|noscript|loading|stale, 0, 0, 0, cmdPSubscribe),
		scmd("unsubscribe", -1, pubsub|noscript|loading|stale, 0, 0, 0, cmdUnsubscribe),
		scmd("punsubscribe", -1, pubsub|noscript|loading|stale, 0, 0, 0, cmdPUnsubscribe),
	}
	serverCmds = make(map[string]*serverCmd, len(list))
	for _, c := range list {
		serverCmds[c.Name] = c
	}
}

// containers are the commands with subcommands (CLIENT LIST shows
// cmd=client|list).
var containers = map[string]bool{"client": true, "config": true, "object": true, "command": true}

// noAuthCmds may run before AUTH.
var noAuthCmds = map[string]bool{"auth": true, "hello": true, "quit": true}

func lower(b []byte) string { return strings.ToLower(string(b)) }

func is(b []byte, w string) bool { return strings.EqualFold(string(b), w) }

func errReply(text string) engine.Reply { return engine.ErrorReply(text) }

var (
	okReply     = engine.StatusReply("OK")
	syntaxErr   = errReply("ERR syntax error")
	notIntErr   = errReply("ERR value is not an integer or out of range")
	dbRangeErr  = errReply("ERR DB index is out of range")
	noAuthErr   = errReply("NOAUTH Authentication required.")
	wrongPass   = errReply("WRONGPASS invalid username-password pair or user is disabled.")
	nilReply    = engine.Reply{}
	emptyArrRep = engine.Reply{Kind: engine.ReplyArray, Array: []engine.Reply{}}
)

func intReply(n int64) engine.Reply { return engine.Reply{Kind: engine.ReplyInt, Int: n} }

func bulk(s string) engine.Reply { return engine.Reply{Kind: engine.ReplyBulk, Bulk: []byte(s)} }

func arrayReply(a []engine.Reply) engine.Reply {
	return engine.Reply{Kind: engine.ReplyArray, Array: a}
}

func wrongArity(name string) engine.Reply {
	return errReply("ERR wrong number of arguments for '" + name + "' command")
}

// exec runs one command for c; quit reports that the connection must close
// after the reply.
func (s *Server) exec(c *client, args [][]byte) (r engine.Reply, quit bool) {
	s.commands.Add(1)
	e := lookupEntry(args[0])
	sc, ec, name := e.sc, e.ec, e.name
	full := name
	if len(args) > 1 && e.container {
		full = name + "|" + lower(args[1])
	}
	c.mu.Lock()
	if name != "" {
		c.lastCmd = full
	} else {
		c.lastCmd = "NULL"
	}
	c.mu.Unlock()
	// Redis's order: unknown command, then arity, then authentication, then
	// the subscribed context; each refusal makes a MULTI's EXEC abort.
	switch {
	case name == "":
		r, _ = engine.ValidateCommand(args) // the engine's unknown-command error
		c.flagTx()
		return r, false
	case sc != nil && !arityOK(sc.Arity, len(args)):
		c.flagTx()
		return wrongArity(sc.Name), false
	case ec != nil && !arityOK(ec.Arity, len(args)):
		c.flagTx()
		return wrongArity(ec.Name), false
	case !c.authed && !noAuthCmds[name]:
		c.flagTx()
		return noAuthErr, false
	case c.subscribed() && !subscribedCmds[name]:
		c.flagTx()
		return errReply("ERR Can't execute '" + full + "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context"), false
	case c.inMulti && !multiImmediate[name]:
		return s.queue(c, name, sc, args), false
	case c.lc != nil && (sc != nil && isDebugSleep(name, args) || sc == nil && ec.Flags&engine.FlagBlocking != 0):
		// An event loop serves c, and this would wait: not run here; the
		// loop hands c off to a goroutine of its own, which runs it.
		c.handoff = true
		s.commands.Add(-1)
		return engine.Reply{}, false
	case sc != nil:
		return sc.run(s, c, args)
	case ec.Flags&engine.FlagBlocking != 0:
		return s.doBlocking(c, args)
	}
	return s.DB(c.db).DoCommand(context.Background(), ec, args...), false
}

// cmdEntry is what exec needs to know of a command name: the server's
// command or the engine's, in one lookup.
type cmdEntry struct {
	name      string
	sc        *serverCmd
	ec        *engine.Command
	container bool // has subcommands: CLIENT LIST shows cmd=client|list
}

// cmdIndex maps every lower-case command name to its entry.
var cmdIndex map[string]cmdEntry

// lookupEntry finds name (any case) in cmdIndex, without allocating; the
// zero entry if there is no such command.
func lookupEntry(name []byte) cmdEntry {
	var buf [32]byte
	if len(name) > len(buf) {
		return cmdEntry{}
	}
	lname := buf[:0]
	for _, ch := range name {
		if 'A' <= ch && ch <= 'Z' {
			ch += 'a' - 'A'
		}
		lname = append(lname, ch)
	}
	return cmdIndex[string(lname)]
}

func init() {
	cmdIndex = make(map[string]cmdEntry)
	for _, c := range engine.Commands() {
		cmdIndex[c.Name] = cmdEntry{name: c.Name, ec: c, container: containers[c.Name]}
	}
	for name, c := range serverCmds { // the server's own take precedence
		cmdIndex[name] = cmdEntry{name: name, sc: c, container: containers[name]}
	}
}

func arityOK(arity, n int) bool {
	if arity >= 0 {
		return n == arity
	}
	return n >= -arity
}

func cmdPing(s *Server, c *client, args [][]byte) (engine.Reply, bool) {
	if c.subscribed() && len(args) <= 2 { // RESP2 pub/sub mode: a push-shaped reply
		msg := []byte{}
		if len(args) == 2 {
			msg = args[1]
		}
		return arrayReply([]engine.Reply{bulk("pong"), {Kind: engine.ReplyBulk, Bulk: msg}}), false
	}
	switch len(args) {
	case 1:
		return engine.StatusReply("PONG"), false
	case 2:
		return engine.Reply{Kind: engine.ReplyBulk, Bulk: args[1]}, false
	}
	return wrongArity("ping"), false
}

func cmdEcho(s *Server, c *client, args [][]byte) (engine.Reply, bool) {
	return engine.Reply{Kind: engine.ReplyBulk, Bulk: args[1]}, false
}

func cmdQuit(s *Server, c *client, args [][]byte) (engine.Reply, bool) {
	return okReply, true
}

func (s *Server) checkAuth(user, pass []byte) bool {
	return (user == nil || string(user) == "default") && string(pass) == s.opts.RequirePass
}

func cmdAuth(s *Server, c *client, args [][]byte) (engine.Reply, bool) {
	if len(args) > 3 {
		return syntaxErr, false
	}
	var user []byte
	pass := args[1]
	if len(args) == 3 {
		user, pass = args[1], args[2]
	}
	if s.opts.RequirePass == "" && user == nil {
		return errReply("ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?"), false
	}
	if s.opts.RequirePass == "" {
		if string(user) == "default" {
			c.authed = true
			return okReply, false
		}
		return wrongPass, false
	}
	if !s.checkAuth(user, pass) {
		return wrongPass, false
	}
	c.authed = true
	return okReply, false
}

func cmdHello(s *Server, c *client, args [][]byte) (r engine.Reply, quit bool) {
	if len(args) >= 2 {
		v, err := strconv.ParseInt(string(args[1]), 10, 64)
		if err != nil {
			return errReply("ERR Protocol version is not an integer or out of range"), false
		}
		if v < 2 || v > 3 {
			return errReply("NOPROTO unsupported protocol version"), false
		}
		defer func() {
			if v == 3 && !r.IsError() {
				r = errReply("NOPROTO unsupported protocol version") // RESP3 is not served
			}
		}()
	}
	var setName []byte
	authed := false
	for j := 2; j < len(args); j++ {
		more := len(args) - j - 1
		switch {
		case is(args[j], "auth") && more >= 2:
			if !s.checkAuth(args[j+1], args[j+2]) && !(s.opts.RequirePass == "" && string(args[j+1]) == "default") {
				return wrongPass, false
			}
			authed = true
			j += 2
		case is(args[j], "setname") && more >= 1:
			if !validName(args[j+1]) {
				return badNameErr, false
			}
			setName = args[j+1]
			j++
		default:
			return errReply("ERR Syntax error in HELLO option '" + sanitize(args[j]) + "'"), false
		}
	}
	if authed {
		c.authed = true
	}
	if !c.authed {
		return errReply("NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time"), false
	}
	if setName != nil {
		c.mu.Lock()
		c.name = string(setName)
		c.mu.Unlock()
	}
	return arrayReply([]engine.Reply{
		bulk("server"), bulk("redis"),
		bulk("version"), bulk(redisVersion),
		bulk("proto"), intReply(2),
		bulk("id"), intReply(c.id),
		bulk("mode"), bulk("standalone"),
		bulk("role"), bulk("master"),
		bulk("modules"), emptyArrRep,
	}), false
}

func sanitize(b []byte) string {
	if len(b) > 128 {
		b = b[:128]
	}
	return oneLine(string(b))
}

// parseDB parses a database index argument.
func (s *Server) parseDB(arg []byte) (int, engine.Reply, bool) {
	n, err := strconv.ParseInt(string(arg), 10, 64)
	if err != nil || !isRedisInt(arg) {
		return 0, notIntErr, false
	}
	if n < 0 || n >= int64(len(s.dbs)) {
		return 0, dbRangeErr, false
	}
	return int(n), engine.Reply{}, true
}

// isRedisInt checks Redis's string2ll form: no '+', no leading zeros, no
// spaces.
func isRedisInt(b []byte) bool {
	if len(b) == 0 || len(b) > 20 {
		return false
	}
	if b[0] == '-' {
		b = b[1:]
		if len(b) == 0 || b[0] == '0' {
			return false
		}
	}
	if len(b) > 1 && b[0] == '0' {
		return false
	}
	for _, ch := range b {
		if ch < '0' || ch > '9' {
			return false
		}
	}
	return true
}

func cmdSelect(s *Server, c *client, args [][]byte) (engine.Reply, bool) {
	n, errR, ok := s.parseDB(args[1])
	if !ok {
		return errR, false
	}
	c.db = n
	c.mu.Lock()
	c.dbIdx = n
	c.mu.Unlock()
	return okReply, false
}

func cmdMove(s *Server, c *client, args [][]byte) (engine.Reply, bool) {
	n, errR, ok := s.parseDB(args[2])
	if !ok {
		return errR, false
	}
	if n == c.db {
		return errReply("ERR source and destination objects are the same"), false
	}
	moved, err := engine.Move(s.DB(c.db), s.DB(n), string(args[1]))
	if err != nil {
		return engine.Reply{Kind: engine.ReplyError, Err: err}, false
	}
	if moved {
		return intReply(1), false
	}
	return intReply(0), false
}

func cmdSwapDB(s *Server, c *client, args [][]byte) (engine.Reply, bool) {
	a, err1 := strconv.ParseInt(string(args[1]), 10, 64)
	if err1 != nil || !isRedisInt(args[1]) {
		return errReply("ERR invalid first DB index"), false
	}
	b, err2 := strconv.ParseInt(string(args[2]), 10, 64)
	if err2 != nil || !isRedisInt(args[2]) {
		return errReply("ERR invalid second DB index"), false
	}
	if a < 0 || b < 0 || a >= int64(len(s.dbs)) || b >= int64(len(s.dbs)) {
		return dbRangeErr, false
	}
	if a != b {
		s.mu.Lock() // serializes SWAPDBs so that each is one exchange
		da, db := s.dbs[a].Load(), s.dbs[b].Load()
		s.dbs[a].Store(db)
		s.dbs[b].Store(da)
		// Keyspace notifications name a database by its new number.
		_ = da.SetIndex(int(b))
		_ = db.SetIndex(int(a))
		s.mu.Unlock()
		s.dirtyWatchers(int(a), int(b))
	}
	return okReply, false
}

func flushArgOK(args [][]byte) bool {
	return len(args) == 1 || (len(args) == 2 && (is(args[1], "async") || is(args[1], "sync")))
}

func cmdFlushDB(s *Server, c *client, args [][]byte) (engine.Reply, bool) {
	if !flushArgOK(args) {
		return syntaxErr, false
	}
	s.DB(c.db).FlushAll()
	return okReply, false
}

func cmdFlushAll(s *Server, c *client, args [][]byte) (engine.Reply, bool) {
	if !flushArgOK(args) {
		return syntaxErr, false
	}
	for i := range s.dbs {
		s.DB(i).FlushAll()
	}
	return okReply, false
}

func cmdDBSize(s *Server, c *client, args [][]byte) (engine.Reply, bool) {
	return intReply(int64(s.DB(c.db).DBSize())), false
}

func cmdTime(s *Server, c *client, args [][]byte) (engine.Reply, bool) {
	now := time.Now()
	return arrayReply([]engine.Reply{
		bulk(strconv.FormatInt(now.Unix(), 10)),
		bulk(strconv.FormatInt(int64(now.Nanosecond()/1000), 10)),
	}), false
}

func cmdObject(s *Server, c *client, args [][]byte) (engine.Reply, bool) {
	sub := lower(args[1])
	if sub == "help" && len(args) == 2 {
		return arrayReply([]engine.Reply{
			engine.StatusReply("OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"),
			engine.StatusReply("ENCODING <key>"),
			engine.StatusReply("FREQ <key>"),
			engine.StatusReply("IDLETIME <key>"),
			engine.StatusReply("REFCOUNT <key>"),
			engine.StatusReply("HELP"),
		}), false
	}
	known := []string{"encoding", "refcount", "idletime", "freq", "help"}
	if !slices.Contains(known[:4], sub) || len(args) != 3 {
		return subcommandError("object", args[1], known), false
	}
	db := s.DB(c.db)
	enc, ok := db.ObjectEncoding(string(args[2]))
	if !ok {
		return nilReply, false
	}
	policy := s.cfg.get("maxmemory-policy")
	lfu := strings.Contains(policy, "lfu")
	switch sub {
	case "encoding":
		return bulk(enc), false
	case "refcount":
		if enc == "int" {
			// Redis shares the integers 0..9999 (OBJ_SHARED_REFCOUNT) unless
			// maxmemory with an LRU/LFU policy was set when the value was
			// stored; jackdaw keeps no such history and reports sharing.
			if v, _, _ := db.Get(string(args[2])); len(v) > 0 {
				if n, err := strconv.ParseInt(string(v), 10, 64); err == nil && n >= 0 && n < 10000 {
					return intReply(2147483647), false
				}
			}
		}
		return intReply(1), false
	case "idletime":
		if lfu {
			return errReply("ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust."), false
		}
		return intReply(0), false
	default: // freq
		if !lfu {
			return errReply("ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust."), false
		}
		return intReply(0), false
	}
}

// isDebugSleep reports whether args is a DEBUG SLEEP that sleeps.
func isDebugSleep(name string, args [][]byte) bool {
	if name != "debug" || len(args) != 3 || !is(args[1], "sleep") {
		return false
	}
	secs, _ := strconv.ParseFloat(string(args[2]), 64)
	return secs > 0
}

func cmdDebug(s *Server, c *client, args [][]byte) (engine.Reply, bool) {
	if is(args[1], "sleep") {
		if len(args) != 3 {
			return wrongArity("debug"), false
		}
		secs, _ := strconv.ParseFloat(string(args[2]), 64) // strtod: junk is 0
		if secs > 0 {
			t := time.NewTimer(time.Duration(secs * float64(time.Second)))
			select {
			case <-t.C:
			case <-s.done:
				t.Stop()
			}
		}
		return okReply, false
	}
	return okReply, false // DEBUG JMAP, DEBUG SET-ACTIVE-EXPIRE, ...: no-ops
}

// cmdCommand answers COMMAND from the engine's table merged with the
// server's (a server command replaces an engine one of the same name).
func cmdCommand(s *Server, c *client, args [][]byte) (engine.Reply, bool) {
	all := allCommands()
	if len(args) == 1 {
		out := make([]engine.Reply, len(all))
		for i, cmd := range all {
			out[i] = commandInfo(cmd)
		}
		return arrayReply(out), false
	}
	sub := lower(args[1])
	switch {
	case sub == "count" && len(args) == 2:
		return intReply(int64(len(all))), false
	case sub == "list" && len(args) == 2:
		out := make([]engine.Reply, len(all))
		for i, cmd := range all {
			out[i] = bulk(cmd.Name)
		}
		return arrayReply(out), false
	case sub == "info":
		out := make([]engine.Reply, 0, len(args)-2)
		for _, n := range args[2:] {
			if cmd := findCommand(n); cmd != nil {
				out = append(out, commandInfo(cmd))
			} else {
				out = append(out, nilReply) // Redis 7.0: a null bulk
			}
		}
		return arrayReply(out), false
	case sub == "docs":
		return emptyArrRep, false
	}
	return subcommandError("command", args[1], []string{"count", "list", "info", "docs", "help"}), false
}

func findCommand(name []byte) *engine.Command {
	if sc := serverCmds[lower(name)]; sc != nil {
		return &sc.Command
	}
	return engine.LookupCommand(name)
}

func allCommands() []*engine.Command {
	var out []*engine.Command
	for _, ec := range engine.Commands() {
		if serverCmds[ec.Name] == nil {
			out = append(out, ec)
		}
	}
	for _, sc := range serverCmds {
		out = append(out, &sc.Command)
	}
	sortCommands(out)
	return out
}

func sortCommands(cs []*engine.Command) {
	for i := 1; i < len(cs); i++ {
		for j := i; j > 0 && cs[j].Name < cs[j-1].Name; j-- {
			cs[j], cs[j-1] = cs[j-1], cs[j]
		}
	}
}

// commandInfo is a COMMAND INFO entry in Redis 7's ten-field shape (the
// engine's own rendering, for commands of either table).
func commandInfo(c *engine.Command) engine.Reply {
	names := c.Flags.Names()
	fl := make([]engine.Reply, len(names))
	for i, f := range names {
		fl[i] = engine.StatusReply(f)
	}
	return arrayReply([]engine.Reply{
		bulk(c.Name),
		intReply(int64(c.Arity)),
		arrayReply(fl),
		intReply(int64(c.FirstKey)),
		intReply(int64(c.LastKey)),
		intReply(int64(c.Step)),
		emptyArrRep, emptyArrRep, emptyArrRep, emptyArrRep,
	})
}

func newRunID() string {
	var b [20]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// cmdCopy serves COPY src dst [DB n] [REPLACE]; without DB it is the
// engine's COPY on the selected database.
func cmdCopy(s *Server, c *client, args [][]byte) (engine.Reply, bool) {
	replace, dbid := false, c.db
	hasDB := false
	for j := 3; j < len(args); j++ {
		switch {
		case is(args[j], "replace"):
			replace = true
		case is(args[j], "db") && j+1 < len(args):
			n, errR, ok := s.parseDB(args[j+1])
			if !ok {
				return errR, false
			}
			dbid, hasDB = n, true
			j++
		default:
			return syntaxErr, false
		}
	}
	if !hasDB {
		return s.DB(c.db).Do(context.Background(), args...), false
	}
	ok, err := engine.CopyTo(s.DB(c.db), s.DB(dbid), string(args[1]), string(args[2]), replace)
	if err != nil {
		return engine.Reply{Kind: engine.ReplyError, Err: err}, false
	}
	if ok {
		return intReply(1), false
	}
	return intReply(0), false
}
