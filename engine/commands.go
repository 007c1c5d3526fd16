package engine

import "slices"

// The command table: one entry per command. Adding a command is one entry
// here plus its handler. It is built in init because COMMAND reads it.
var (
	commandList  []*Command
	commandTable map[string]*Command
)

// Key positions shared by many commands.
var (
	noKeys        = keySpec{}
	oneKey        = keySpec{1, 1, 1}
	twoKeys       = keySpec{1, 2, 1}
	allKeys       = keySpec{1, -1, 1}
	keyValuePairs = keySpec{1, -1, 2}
)

type keySpec struct{ first, last, step int }

func cmd(name string, arity int, flags CommandFlags, k keySpec, run func(*DB, [][]byte) Reply) *Command {
	return &Command{Name: name, Arity: arity, Flags: flags, FirstKey: k.first, LastKey: k.last, Step: k.step, run: run}
}

func init() {
	commandList = []*Command{
		// strings
		cmd("get", 2, FlagReadonly|FlagFast, oneKey, cmdGet),
		cmd("set", -3, FlagWrite|FlagDenyOOM, oneKey, cmdSet),
		cmd("setnx", 3, FlagWrite|FlagDenyOOM|FlagFast, oneKey, cmdSetNX),
		cmd("setex", 4, FlagWrite|FlagDenyOOM, oneKey, cmdSetEX(1000, "setex")),
		cmd("psetex", 4, FlagWrite|FlagDenyOOM, oneKey, cmdSetEX(1, "psetex")),
		cmd("getset", 3, FlagWrite|FlagDenyOOM|FlagFast, oneKey, cmdGetSet),
		cmd("getdel", 2, FlagWrite|FlagFast, oneKey, cmdGetDel),
		cmd("getex", -2, FlagWrite|FlagFast, oneKey, cmdGetEx),
		cmd("mget", -2, FlagReadonly|FlagFast, allKeys, cmdMGet),
		cmd("mset", -3, FlagWrite|FlagDenyOOM, keyValuePairs, cmdMSet(false, "mset")),
		cmd("msetnx", -3, FlagWrite|FlagDenyOOM, keyValuePairs, cmdMSet(true, "msetnx")),
		cmd("incr", 2, FlagWrite|FlagDenyOOM|FlagFast, oneKey, cmdIncrBy(1, false)),
		cmd("decr", 2, FlagWrite|FlagDenyOOM|FlagFast, oneKey, cmdIncrBy(-1, false)),
		cmd("incrby", 3, FlagWrite|FlagDenyOOM|FlagFast, oneKey, cmdIncrBy(1, true)),
		cmd("decrby", 3, FlagWrite|FlagDenyOOM|FlagFast, oneKey, cmdIncrBy(-1, true)),
		cmd("incrbyfloat", 3, FlagWrite|FlagDenyOOM|FlagFast, oneKey, cmdIncrByFloat),
		cmd("append", 3, FlagWrite|FlagDenyOOM, oneKey, cmdAppend),
		cmd("strlen", 2, FlagReadonly|FlagFast, oneKey, cmdStrlen),
		cmd("getrange", 4, FlagReadonly, oneKey, cmdGetRange),
		cmd("substr", 4, FlagReadonly, oneKey, cmdGetRange),
		cmd("setrange", 4, FlagWrite|FlagDenyOOM, oneKey, cmdSetRange),

		// keys and expiry
		cmd("del", -2, FlagWrite, allKeys, cmdDel),
		cmd("unlink", -2, FlagWrite|FlagFast, allKeys, cmdDel),
		cmd("exists", -2, FlagReadonly|FlagFast, allKeys, cmdExists),
		cmd("type", 2, FlagReadonly|FlagFast, oneKey, cmdType),
		cmd("rename", 3, FlagWrite, twoKeys, cmdRename(false)),
		cmd("renamenx", 3, FlagWrite|FlagFast, twoKeys, cmdRename(true)),
		cmd("copy", -3, FlagWrite|FlagDenyOOM, twoKeys, cmdCopy),
		cmd("expire", -3, FlagWrite|FlagFast, oneKey, cmdExpire(1000, false, "expire")),
		cmd("pexpire", -3, FlagWrite|FlagFast, oneKey, cmdExpire(1, false, "pexpire")),
		cmd("expireat", -3, FlagWrite|FlagFast, oneKey, cmdExpire(1000, true, "expireat")),
		cmd("pexpireat", -3, FlagWrite|FlagFast, oneKey, cmdExpire(1, true, "pexpireat")),
		cmd("persist", 2, FlagWrite|FlagFast, oneKey, cmdPersist),
		cmd("ttl", 2, FlagReadonly|FlagFast, oneKey, cmdTTL(ttlSeconds)),
		cmd("pttl", 2, FlagReadonly|FlagFast, oneKey, cmdTTL(ttlMillis)),
		cmd("expiretime", 2, FlagReadonly|FlagFast, oneKey, cmdTTL(expireTimeSeconds)),
		cmd("pexpiretime", 2, FlagReadonly|FlagFast, oneKey, cmdTTL(expireTimeMillis)),
		cmd("keys", 2, FlagReadonly, noKeys, cmdKeys),
		cmd("scan", -2, FlagReadonly, noKeys, cmdScan),
		cmd("randomkey", 1, FlagReadonly, noKeys, cmdRandomKey),
		cmd("dbsize", 1, FlagReadonly|FlagFast, noKeys, cmdDBSize),
		cmd("flushall", -1, FlagWrite, noKeys, cmdFlush),
		cmd("flushdb", -1, FlagWrite, noKeys, cmdFlush),

		// connection-independent utilities
		cmd("ping", -1, FlagFast, noKeys, cmdPing),
		cmd("echo", 2, FlagFast, noKeys, cmdEcho),
		cmd("command", -1, FlagLoading|FlagStale, noKeys, cmdCommand),
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
