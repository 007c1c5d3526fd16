package engine

import (
	"bytes"
	"context"
	"strings"
	"unsafe"
)

// CommandFlags describe a command, as COMMAND INFO reports them.
type CommandFlags uint16

// Command flags (Redis's names).
const (
	FlagWrite    CommandFlags = 1 << iota // may change data
	FlagReadonly                          // only reads data
	FlagDenyOOM                           // may grow memory: refused when over the limit
	FlagFast                              // O(1) or O(log n)
	FlagAdmin                             // administrative
	FlagBlocking                          // may block the caller
	FlagPubSub                            // pub/sub
	FlagNoScript                          // not allowed in scripts
	FlagLoading                           // allowed while loading
	FlagStale                             // allowed on a stale replica
)

var flagNames = []string{"write", "readonly", "denyoom", "fast", "admin", "blocking", "pubsub", "noscript", "loading", "stale"}

// Names returns the flags' names in Redis's words.
func (f CommandFlags) Names() []string {
	var out []string
	for i, n := range flagNames {
		if f&(1<<i) != 0 {
			out = append(out, n)
		}
	}
	return out
}

// Command is one entry of the command table.
type Command struct {
	Name  string // lower case
	Arity int    // Redis's convention: argc including the name; -n = at least n
	Flags CommandFlags
	// FirstKey, LastKey and Step give the key positions in args (LastKey
	// -1: the last argument; FirstKey 0: no keys). Do locks the shards of
	// these keys, in ascending order, around the handler.
	FirstKey, LastKey, Step int

	// run executes the command. REQUIRES: the shards of the command's keys
	// are locked; keyless commands lock what they need themselves.
	run func(db *DB, args [][]byte) Reply
	// block, set instead of run for a blocking command, executes it
	// without locks held: it locks its keys itself, and waits unlocked.
	block func(ctx context.Context, db *DB, args [][]byte) Reply
}

// Commands returns the command table, sorted by name.
func Commands() []*Command {
	out := make([]*Command, 0, len(commandTable))
	for _, c := range commandList {
		out = append(out, c)
	}
	return out
}

// LookupCommand returns the table entry for name (any case), or nil.
func LookupCommand(name []byte) *Command {
	var buf [32]byte
	if len(name) > len(buf) {
		return nil // no command name is that long
	}
	lower := buf[:len(name)]
	for i, c := range name {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		lower[i] = c
	}
	return commandTable[unsafe.String(unsafe.SliceData(lower), len(lower))]
}

// Do runs one command, given as its arguments (the name first), and returns
// its reply, as Redis would. Errors come back as error replies, never as
// panics. The args are not retained.
func (db *DB) Do(ctx context.Context, args ...[]byte) Reply {
	if len(args) == 0 {
		return ErrorReply("ERR empty command")
	}
	cmd := LookupCommand(args[0])
	if cmd == nil {
		return unknownCommand(args)
	}
	return db.DoCommand(ctx, cmd, args...)
}

// DoCommand is Do for a command already looked up: cmd is
// LookupCommand(args[0]). A server that looks each name up once for its
// own purposes saves Do's lookup.
func (db *DB) DoCommand(ctx context.Context, cmd *Command, args ...[]byte) Reply {
	if !cmd.arityOK(len(args)) {
		return ErrorReply("ERR wrong number of arguments for '" + cmd.Name + "' command")
	}
	switch {
	case cmd.block != nil:
		return cmd.block(ctx, db, args)
	case cmd.FirstKey == 0:
		return cmd.run(db, args)
	case cmd.FirstKey == cmd.LastKey:
		k := db.key(str(args[cmd.FirstKey]))
		if db.tx == nil && cmd.Flags&FlagReadonly != 0 {
			return runRead(db, cmd, args, k)
		}
		return runOneKey(db, cmd, args, k)
	}
	return runKeys(db, cmd, args)
}

// The lock-and-run paths of Do, one function each, so that each has one
// defer (Go open-codes those: a function with several costs much more).

// runRead runs a read of one key, alone: the inlined fast path.
func runRead(db *DB, cmd *Command, args [][]byte, k dbKey) Reply {
	k.sh.Lock()
	defer k.sh.Unlock() // a read makes no key ready: no blocked client to serve
	return cmd.run(db, args)
}

func runOneKey(db *DB, cmd *Command, args [][]byte, k dbKey) Reply {
	db.lockKey(k)
	defer db.unlockKey(k)
	return cmd.run(db, args)
}

func runKeys(db *DB, cmd *Command, args [][]byte) Reply {
	ls := db.lockKeys(cmd.keys(args)...)
	defer ls.unlock()
	return cmd.run(db, args)
}

// DoPipeline runs cmds in order and appends their replies to out, as Do
// would one after another, but consecutive single-key commands whose keys
// share a shard run under one acquisition of its lock: a pipelined client
// pays one lock per such run, not one per command, and a hot key shared by
// many pipelining clients changes hands far less often. Other commands
// (blocking, multi-key, keyless) run as Do runs them. Each command is as
// atomic as alone; the run as a whole is not a transaction.
func (db *DB) DoPipeline(ctx context.Context, cmds [][][]byte, out []Reply) []Reply {
	if db.tx != nil {
		for _, args := range cmds {
			out = append(out, db.Do(ctx, args...))
		}
		return out
	}
	held := -1 // the shard whose lock this run holds
	defer func() {
		if held >= 0 {
			db.unlockShard(held)
		}
	}()
	for _, args := range cmds {
		var cmd *Command
		if len(args) > 0 {
			cmd = LookupCommand(args[0])
		}
		switch {
		case cmd == nil || !cmd.arityOK(len(args)):
			out = append(out, db.Do(ctx, args...)) // an error reply: it locks nothing
			continue
		case cmd.block != nil || cmd.FirstKey == 0 || cmd.FirstKey != cmd.LastKey:
			if held >= 0 {
				db.unlockShard(held) // it may lock any shard: let go first
				held = -1
			}
			out = append(out, db.Do(ctx, args...))
			continue
		}
		k := db.key(str(args[cmd.FirstKey]))
		if held != k.sh.Index {
			if held >= 0 {
				db.unlockShard(held)
			}
			k.sh.Lock()
			held = k.sh.Index
		}
		out = append(out, cmd.run(db, args))
	}
	return out
}

// DoStrings is Do with string arguments.
func (db *DB) DoStrings(ctx context.Context, args ...string) Reply {
	b := make([][]byte, len(args))
	for i, a := range args {
		b[i] = []byte(a)
	}
	return db.Do(ctx, b...)
}

// keys returns the keys at the command's key positions in args.
func (c *Command) keys(args [][]byte) []string {
	last := c.LastKey
	if last < 0 {
		last += len(args)
	}
	var out []string
	for i := c.FirstKey; i > 0 && i <= last; i += c.Step {
		out = append(out, str(args[i]))
	}
	return out
}

func (c *Command) arityOK(n int) bool {
	if c.Arity >= 0 {
		return n == c.Arity
	}
	return n >= -c.Arity
}

// unknownCommand is Redis's reply to a command it does not know: the
// arguments are quoted while the list is shorter than 128 bytes.
func unknownCommand(argv [][]byte) Reply {
	var args []byte
	for _, a := range argv[1:] {
		if len(args) >= 128 {
			break
		}
		a = cString(a)
		a = a[:min(len(a), 128-len(args))]
		args = append(append(append(args, '\''), a...), "' "...)
	}
	return ErrorReply(oneLine("ERR unknown command '" + sanitize(argv[0], 128) +
		"', with args beginning with: " + string(args)))
}

// str views b as a string without copying. Valid while b is unchanged; the
// shard copies key bytes when it stores a key.
func str(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

// bytesOf views s as bytes without copying, for uses that never modify
// them: the structures' lookups, and replies, which are only written out
// (a sorted set's members are immutable strings).
func bytesOf(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }

// sanitize prepares an argument for an error text as Redis's "%.Ns" does:
// cut at the first NUL byte, then to n bytes, on one line.
func sanitize(s []byte, n int) string {
	s = cString(s)
	return oneLine(string(s[:min(len(s), n)]))
}

// cString is s up to its first NUL byte, as C string functions see it.
func cString(s []byte) []byte {
	if i := bytes.IndexByte(s, 0); i >= 0 {
		return s[:i]
	}
	return s
}

// oneLine replaces line breaks, which an error reply cannot hold.
func oneLine(s string) string { return strings.NewReplacer("\r", " ", "\n", " ").Replace(s) }
