package server

import (
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jackdawdb/jackdaw/engine"
)

// TestServerCommandsAgainstRedis runs a script of the server-level
// commands (connection, databases, CONFIG, OBJECT, CLIENT, ...) against a
// real redis-server and against this server, and compares the replies
// exactly, except where noted in serverSkip.
func TestServerCommandsAgainstRedis(t *testing.T) {
	for _, pass := range []string{"", "pw"} {
		t.Run("requirepass="+pass, func(t *testing.T) {
			var extra []string
			if pass != "" {
				extra = []string{"--requirepass", pass}
			}
			redisAddr := startRedis(t, extra...)
			srv := startServer(t, Options{RequirePass: pass})
			rc, err := dial(redisAddr)
			require.NoError(t, err)
			defer rc.Close()
			jc, err := dial(srv.Addr().String())
			require.NoError(t, err)
			defer jc.Close()
			for i, line := range serverScript {
				cmd := splitScript(line)
				rr, err1 := rc.do(cmd...)
				jr, err2 := jc.do(cmd...)
				require.NoErrorf(t, err1, "#%d %s: redis %v, jackdaw %v", i, line, err1, err2)
				require.NoErrorf(t, err2, "#%d %s: redis %v, jackdaw %v", i, line, err1, err2)
				if skip, ok := serverSkip[strings.ToLower(cmd[0])]; ok && skip(cmd, rr, jr) {
					continue
				}
				assert.Truef(t, equalReply(rr, jr), "#%d %s:\n  redis:   %s\n  jackdaw: %s", i, line, oneLineReply(rr), oneLineReply(jr))
			}
		})
	}
}

// serverSkip: replies that differ by nature (server identity, addresses,
// timing); each reports whether to skip the comparison.
var serverSkip = map[string]func(cmd []string, redis, jd engine.Reply) bool{
	// HELLO's map holds the client id; compare the shape and the fixed fields.
	"hello": func(cmd []string, redis, jd engine.Reply) bool {
		if redis.Kind != engine.ReplyArray || jd.Kind != engine.ReplyArray || len(redis.Array) != len(jd.Array) {
			return false
		}
		for i := range redis.Array {
			if i != 7 && !equalReply(redis.Array[i], jd.Array[i]) { // 7: id
				return false
			}
		}
		return true
	},
	"client": func(cmd []string, redis, jd engine.Reply) bool {
		// CLIENT SETINFO is Redis 7.2's; 7.0 does not know it. go-redis
		// sends it on connect and ignores an error, and 7.2 answers OK.
		if len(cmd) > 1 && strings.EqualFold(cmd[1], "setinfo") && redis.IsError() && jd.Kind == engine.ReplyStatus {
			return true
		}
		// ids and addresses differ; errors and the reply kind must not
		return !redis.IsError() && redis.Kind == jd.Kind
	},
	// Redis lists CONFIG GET's matches in its dict's order.
	"config": func(cmd []string, redis, jd engine.Reply) bool {
		if len(cmd) < 2 || !strings.EqualFold(cmd[1], "get") || redis.Kind != engine.ReplyArray || jd.Kind != engine.ReplyArray {
			return false
		}
		return equalReply(pairsSorted(redis), pairsSorted(jd))
	},
	"time": func(cmd []string, redis, jd engine.Reply) bool { return len(redis.Array) == len(jd.Array) },
}

func splitScript(line string) []string {
	args, ok := splitArgs([]byte(line))
	if !ok {
		panic("bad script line " + line)
	}
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = string(a)
	}
	return out
}

// The script runs first unauthenticated (with requirepass set, most
// commands then answer NOAUTH on both sides), then authenticated.
var serverScript = []string{
	"PING", "GET k", "nosuch x", "GET", "HELLO 2", "HELLO x", "HELLO 4", "HELLO 2 FOO",
	"AUTH", "AUTH a b c", "AUTH wrong", "AUTH default wrong", "AUTH bob pw",
	"AUTH pw", "AUTH default pw",
	"HELLO 2", "HELLO 2 AUTH default pw SETNAME me", "HELLO 2 SETNAME", "HELLO 2 SETNAME \"a b\"",
	"PING", "PING a", "PING a b", "ECHO", "ECHO x", "ECHO x y",
	"FLUSHALL", "SET k v", "SET n 42", "SET s hello", "SET big xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
	"SELECT", "SELECT x", "SELECT -1", "SELECT 16", "SELECT 1.5", "SELECT 01", "SELECT 3", "SET k3 v3", "SELECT 0",
	"MOVE k", "MOVE k x", "MOVE k 16", "MOVE k -1", "MOVE k 0", "MOVE nosuch 3", "MOVE k 3", "MOVE k 3", "SET k3 again", "MOVE k3 3",
	"SWAPDB", "SWAPDB 0", "SWAPDB x 1", "SWAPDB 1 x", "SWAPDB 0 16", "SWAPDB -1 0", "SWAPDB 0 0", "SWAPDB 0 3", "GET k", "SWAPDB 3 0",
	"COPY n n2 DB", "COPY n n2 DB x", "COPY n n2 DB 16", "COPY n n DB 0", "COPY n n DB 1", "COPY n n DB 1", "COPY n n DB 1 REPLACE",
	"COPY n n2 DB 1 FOO", "SELECT 1", "GET n", "SELECT 0",
	"DBSIZE", "DBSIZE x", "FLUSHDB x", "FLUSHDB ASYNC x", "FLUSHALL x",
	"OBJECT", "OBJECT ENCODING", "OBJECT ENCODING n", "OBJECT ENCODING s", "OBJECT ENCODING big", "OBJECT ENCODING nosuch",
	"OBJECT REFCOUNT n", "OBJECT REFCOUNT s", "OBJECT IDLETIME nosuch", "OBJECT FREQ s", "OBJECT FOO s", "OBJECT ENCODING a b",
	"SET n2 10000", "OBJECT REFCOUNT n2", "SET n3 -1", "OBJECT REFCOUNT n3", "SET n4 9223372036854775807", "OBJECT ENCODING n4",
	"SET n5 007", "OBJECT ENCODING n5", "SET n6 123456789012345678901", "OBJECT ENCODING n6",
	"CONFIG", "CONFIG GET", "CONFIG GET maxmemory", "CONFIG GET maxmemory-policy", "CONFIG GET databases", "CONFIG GET save appendonly",
	"CONFIG GET hash-max-listpack-entries", "CONFIG GET hash-max-ziplist-entries", "CONFIG GET zset-max-listpack-*",
	"CONFIG SET maxmemory", "CONFIG SET maxmemory abc", "CONFIG SET maxmemory 100mb", "CONFIG GET maxmemory",
	"CONFIG SET maxmemory 1gb", "CONFIG GET maxmemory", "CONFIG SET maxmemory 0",
	"CONFIG SET maxmemory-policy foo", "CONFIG SET maxmemory-policy ALLKEYS-LFU", "CONFIG GET maxmemory-policy",
	"OBJECT FREQ s", "OBJECT IDLETIME s", "OBJECT REFCOUNT n", "CONFIG SET maxmemory-policy noeviction",
	"CONFIG SET databases 3", "CONFIG SET nosuch 1", "CONFIG SET appendonly maybe", "CONFIG SET hash-max-listpack-entries abc",
	"CONFIG SET hash-max-ziplist-entries 64", "CONFIG GET hash-max-listpack-entries", "CONFIG SET hash-max-listpack-entries 512",
	"CONFIG SET notify-keyspace-events zzz", "CONFIG SET notify-keyspace-events KEA", "CONFIG GET notify-keyspace-events",
	"CONFIG SET notify-keyspace-events Ex", "CONFIG GET notify-keyspace-events", "CONFIG SET notify-keyspace-events \"\"",
	"CONFIG SET save x", "CONFIG SET save \"\"", "CONFIG GET save", "CONFIG RESETSTAT", "CONFIG RESETSTAT x", "CONFIG FOO",
	"CLIENT", "CLIENT FOO", "CLIENT ID", "CLIENT ID x", "CLIENT SETNAME", "CLIENT SETNAME \"a b\"", "CLIENT SETNAME conn",
	"CLIENT GETNAME", "CLIENT SETINFO LIB-NAME x", "CLIENT KILL", "CLIENT KILL 1.2.3.4:5", "CLIENT KILL ID 999999",
	"CLIENT KILL ID 0", "CLIENT KILL ID x", "CLIENT KILL ADDR 1.2.3.4:5", "CLIENT KILL FOO bar", "CLIENT KILL ID",
	"CLIENT REPLY", "CLIENT REPLY FOO", "CLIENT LIST TYPE FOO", "CLIENT LIST ID x",
	"TIME", "TIME x", "DEBUG", "DEBUG SLEEP 0", "DEBUG SLEEP x",
	"COMMAND FOO", "COMMAND COUNT x", "COMMAND INFO nosuch",
	"QUIT x",
}

func pairsSorted(r engine.Reply) engine.Reply {
	type pair struct{ k, v engine.Reply }
	var ps []pair
	for i := 0; i+1 < len(r.Array); i += 2 {
		ps = append(ps, pair{r.Array[i], r.Array[i+1]})
	}
	slices.SortFunc(ps, func(a, b pair) int { return strings.Compare(string(a.k.Bulk), string(b.k.Bulk)) })
	out := engine.Reply{Kind: engine.ReplyArray}
	for _, p := range ps {
		out.Array = append(out.Array, p.k, p.v)
	}
	return out
}
