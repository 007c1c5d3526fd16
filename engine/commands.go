package engine

import "slices"

// The command table: one entry per command. Adding a command is one entry
// here plus its handler. It is built in init because COMMAND reads it.
var (
	commandList  []*Command
	commandTable map[string]*Command
)

func init() {
	commandList = []*Command{
	// strings
	{Name: "get", Arity: 2, Flags: FlagReadonly | FlagFast, FirstKey: 1, LastKey: 1, Step: 1, run: cmdGet},
	{Name: "set", Arity: -3, Flags: FlagWrite | FlagDenyOOM, FirstKey: 1, LastKey: 1, Step: 1, run: cmdSet},
	{Name: "setnx", Arity: 3, Flags: FlagWrite | FlagDenyOOM | FlagFast, FirstKey: 1, LastKey: 1, Step: 1, run: cmdSetNX},
	{Name: "setex", Arity: 4, Flags: FlagWrite | FlagDenyOOM, FirstKey: 1, LastKey: 1, Step: 1, run: cmdSetEX(1000, "setex")},
	{Name: "psetex", Arity: 4, Flags: FlagWrite | FlagDenyOOM, FirstKey: 1, LastKey: 1, Step: 1, run: cmdSetEX(1, "psetex")},
	{Name: "getset", Arity: 3, Flags: FlagWrite | FlagDenyOOM | FlagFast, FirstKey: 1, LastKey: 1, Step: 1, run: cmdGetSet},
	{Name: "getdel", Arity: 2, Flags: FlagWrite | FlagFast, FirstKey: 1, LastKey: 1, Step: 1, run: cmdGetDel},
	{Name: "getex", Arity: -2, Flags: FlagWrite | FlagFast, FirstKey: 1, LastKey: 1, Step: 1, run: cmdGetEx},
	{Name: "mget", Arity: -2, Flags: FlagReadonly | FlagFast, FirstKey: 1, LastKey: -1, Step: 1, run: cmdMGet},
	{Name: "mset", Arity: -3, Flags: FlagWrite | FlagDenyOOM, FirstKey: 1, LastKey: -1, Step: 2, run: cmdMSet(false, "mset")},
	{Name: "msetnx", Arity: -3, Flags: FlagWrite | FlagDenyOOM, FirstKey: 1, LastKey: -1, Step: 2, run: cmdMSet(true, "msetnx")},
	{Name: "incr", Arity: 2, Flags: FlagWrite | FlagDenyOOM | FlagFast, FirstKey: 1, LastKey: 1, Step: 1, run: cmdIncrBy(1, false)},
	{Name: "decr", Arity: 2, Flags: FlagWrite | FlagDenyOOM | FlagFast, FirstKey: 1, LastKey: 1, Step: 1, run: cmdIncrBy(-1, false)},
	{Name: "incrby", Arity: 3, Flags: FlagWrite | FlagDenyOOM | FlagFast, FirstKey: 1, LastKey: 1, Step: 1, run: cmdIncrBy(1, true)},
	{Name: "decrby", Arity: 3, Flags: FlagWrite | FlagDenyOOM | FlagFast, FirstKey: 1, LastKey: 1, Step: 1, run: cmdIncrBy(-1, true)},
	{Name: "incrbyfloat", Arity: 3, Flags: FlagWrite | FlagDenyOOM | FlagFast, FirstKey: 1, LastKey: 1, Step: 1, run: cmdIncrByFloat},
	{Name: "append", Arity: 3, Flags: FlagWrite | FlagDenyOOM, FirstKey: 1, LastKey: 1, Step: 1, run: cmdAppend},
	{Name: "strlen", Arity: 2, Flags: FlagReadonly | FlagFast, FirstKey: 1, LastKey: 1, Step: 1, run: cmdStrlen},
	{Name: "getrange", Arity: 4, Flags: FlagReadonly, FirstKey: 1, LastKey: 1, Step: 1, run: cmdGetRange},
	{Name: "substr", Arity: 4, Flags: FlagReadonly, FirstKey: 1, LastKey: 1, Step: 1, run: cmdGetRange},
	{Name: "setrange", Arity: 4, Flags: FlagWrite | FlagDenyOOM, FirstKey: 1, LastKey: 1, Step: 1, run: cmdSetRange},

	// keys and expiry
	{Name: "del", Arity: -2, Flags: FlagWrite, FirstKey: 1, LastKey: -1, Step: 1, run: cmdDel},
	{Name: "unlink", Arity: -2, Flags: FlagWrite | FlagFast, FirstKey: 1, LastKey: -1, Step: 1, run: cmdDel},
	{Name: "exists", Arity: -2, Flags: FlagReadonly | FlagFast, FirstKey: 1, LastKey: -1, Step: 1, run: cmdExists},
	{Name: "type", Arity: 2, Flags: FlagReadonly | FlagFast, FirstKey: 1, LastKey: 1, Step: 1, run: cmdType},
	{Name: "rename", Arity: 3, Flags: FlagWrite, FirstKey: 1, LastKey: 2, Step: 1, run: cmdRename(false)},
	{Name: "renamenx", Arity: 3, Flags: FlagWrite | FlagFast, FirstKey: 1, LastKey: 2, Step: 1, run: cmdRename(true)},
	{Name: "copy", Arity: -3, Flags: FlagWrite | FlagDenyOOM, FirstKey: 1, LastKey: 2, Step: 1, run: cmdCopy},
	{Name: "expire", Arity: -3, Flags: FlagWrite | FlagFast, FirstKey: 1, LastKey: 1, Step: 1, run: cmdExpire(1000, false, "expire")},
	{Name: "pexpire", Arity: -3, Flags: FlagWrite | FlagFast, FirstKey: 1, LastKey: 1, Step: 1, run: cmdExpire(1, false, "pexpire")},
	{Name: "expireat", Arity: -3, Flags: FlagWrite | FlagFast, FirstKey: 1, LastKey: 1, Step: 1, run: cmdExpire(1000, true, "expireat")},
	{Name: "pexpireat", Arity: -3, Flags: FlagWrite | FlagFast, FirstKey: 1, LastKey: 1, Step: 1, run: cmdExpire(1, true, "pexpireat")},
	{Name: "persist", Arity: 2, Flags: FlagWrite | FlagFast, FirstKey: 1, LastKey: 1, Step: 1, run: cmdPersist},
	{Name: "ttl", Arity: 2, Flags: FlagReadonly | FlagFast, FirstKey: 1, LastKey: 1, Step: 1, run: cmdTTL(ttlSeconds)},
	{Name: "pttl", Arity: 2, Flags: FlagReadonly | FlagFast, FirstKey: 1, LastKey: 1, Step: 1, run: cmdTTL(ttlMillis)},
	{Name: "expiretime", Arity: 2, Flags: FlagReadonly | FlagFast, FirstKey: 1, LastKey: 1, Step: 1, run: cmdTTL(expireTimeSeconds)},
	{Name: "pexpiretime", Arity: 2, Flags: FlagReadonly | FlagFast, FirstKey: 1, LastKey: 1, Step: 1, run: cmdTTL(expireTimeMillis)},
	{Name: "keys", Arity: 2, Flags: FlagReadonly, run: cmdKeys},
	{Name: "scan", Arity: -2, Flags: FlagReadonly, run: cmdScan},
	{Name: "randomkey", Arity: 1, Flags: FlagReadonly, run: cmdRandomKey},
	{Name: "dbsize", Arity: 1, Flags: FlagReadonly | FlagFast, run: cmdDBSize},
	{Name: "flushall", Arity: -1, Flags: FlagWrite, run: cmdFlush},
	{Name: "flushdb", Arity: -1, Flags: FlagWrite, run: cmdFlush},

	// connection-independent utilities
	{Name: "ping", Arity: -1, Flags: FlagFast, run: cmdPing},
	{Name: "echo", Arity: 2, Flags: FlagFast, run: cmdEcho},
	{Name: "command", Arity: -1, Flags: FlagLoading | FlagStale, run: cmdCommand},
	}
	slices.SortFunc(commandList, func(a, b *Command) int {
		if a.Name < b.Name {
			return -1
		}
		if a.Name > b.Name {
			return 1
		}
		return 0
	})
	commandTable = make(map[string]*Command, len(commandList))
	for _, c := range commandList {
		commandTable[c.Name] = c
	}
}
