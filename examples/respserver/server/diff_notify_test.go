package server

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// notifyScript touches every family with the writes whose keyspace
// notifications Redis fires (and some that fire nothing: no change, a
// wrong type, a missing key).
var notifyScript = [][]string{
	{"SET", "s", "v"}, {"SET", "s", "v", "EX", "100"}, {"SET", "s", "w", "KEEPTTL"}, {"SETNX", "s", "x"},
	{"APPEND", "s", "x"}, {"SETRANGE", "s", "1", "yy"}, {"SETRANGE", "s", "0", ""}, {"GETSET", "s", "g"},
	{"INCR", "n"}, {"DECRBY", "n", "3"}, {"INCRBYFLOAT", "n", "1.5"}, {"GETDEL", "n"}, {"GETDEL", "n"},
	{"MSET", "m1", "1", "m2", "2"}, {"MSETNX", "m1", "1", "m3", "3"}, {"PSETEX", "p", "100000", "v"},
	{"GETEX", "p", "PERSIST"}, {"GETEX", "p", "EX", "50"},
	{"EXPIRE", "s", "100"}, {"PEXPIREAT", "s", "99999999999999"}, {"EXPIRE", "s", "100", "NX"}, {"PERSIST", "s"}, {"PERSIST", "s"},
	{"RENAME", "s", "s2"}, {"RENAMENX", "s2", "m1"}, {"COPY", "s2", "s3"}, {"COPY", "s2", "s3", "REPLACE"},
	{"DEL", "s2", "s3", "nosuch"}, {"UNLINK", "m1"}, {"EXPIRE", "m2", "-1"},
	{"RPUSH", "l", "a", "b", "c"}, {"LPUSH", "l", "z"}, {"LPUSHX", "nol", "a"}, {"RPUSHX", "l", "d"},
	{"LPOP", "l"}, {"RPOP", "l", "2"}, {"LINSERT", "l", "BEFORE", "a", "q"}, {"LINSERT", "l", "BEFORE", "nope", "q"},
	{"LSET", "l", "0", "w"}, {"LREM", "l", "0", "w"}, {"LREM", "l", "0", "nope"}, {"LTRIM", "l", "0", "-1"},
	{"RPUSH", "l", "x", "y"}, {"LMOVE", "l", "l2", "LEFT", "RIGHT"}, {"RPOPLPUSH", "l", "l2"}, {"RPOPLPUSH", "l2", "l2"},
	{"LMPOP", "2", "nol", "l2", "LEFT", "COUNT", "5"}, {"LTRIM", "l", "1", "0"}, {"BLPOP", "l", "0.01"},
	{"RPUSH", "bl", "v"}, {"BLMOVE", "bl", "bl2", "LEFT", "LEFT", "0"}, {"BRPOP", "bl2", "0"},
	{"HSET", "h", "f", "v", "g", "w"}, {"HSET", "h", "f", "v"}, {"HSETNX", "h", "f", "x"}, {"HSETNX", "h", "k", "x"},
	{"HINCRBY", "h", "n", "2"}, {"HINCRBYFLOAT", "h", "m", "1.5"}, {"HDEL", "h", "nope"}, {"HDEL", "h", "f", "g", "n", "m", "k"},
	{"SADD", "x", "a", "b", "c"}, {"SADD", "x", "a"}, {"SREM", "x", "a"}, {"SREM", "x", "nope"}, {"SMOVE", "x", "y", "b"},
	{"SMOVE", "x", "y", "nope"}, {"SPOP", "x"}, {"SPOP", "y", "5"}, {"SADD", "x", "1", "2"}, {"SADD", "y", "2", "3"},
	{"SINTERSTORE", "d", "x", "y"}, {"SUNIONSTORE", "d", "x", "y"}, {"SDIFFSTORE", "d", "x", "x"}, {"SINTERSTORE", "d2", "x", "nope"},
	{"ZADD", "z", "1", "a", "2", "b", "3", "c"}, {"ZADD", "z", "1", "a"}, {"ZADD", "z", "NX", "9", "a"}, {"ZINCRBY", "z", "1", "a"},
	{"ZADD", "z", "INCR", "1", "b"}, {"ZREM", "z", "a", "nope"}, {"ZREMRANGEBYSCORE", "z", "0", "2"}, {"ZREMRANGEBYSCORE", "z", "100", "200"},
	{"ZADD", "z", "5", "e", "6", "f", "7", "g"}, {"ZPOPMIN", "z"}, {"ZPOPMAX", "z", "2"}, {"ZADD", "z", "1", "a", "2", "b"},
	{"ZUNIONSTORE", "zu", "1", "z"}, {"ZINTERSTORE", "zi", "2", "z", "zu"}, {"ZDIFFSTORE", "zd", "2", "z", "zu"},
	{"ZRANGESTORE", "zr", "z", "0", "-1"}, {"ZRANGESTORE", "zr", "z", "5", "9"}, {"ZREMRANGEBYRANK", "z", "0", "0"},
	{"ZREMRANGEBYLEX", "zu", "-", "+"}, {"ZMPOP", "1", "z", "MIN", "COUNT", "9"}, {"BZPOPMIN", "zi", "0"},
	{"RPUSH", "ty", "a"}, {"SADD", "ty", "a"}, {"INCR", "ty"},
}

// TestKeyspaceNotificationsAgainstRedis runs notifyScript on Redis and on
// jackdaw with notify-keyspace-events KEA and compares the notifications,
// in order.
func TestKeyspaceNotificationsAgainstRedis(t *testing.T) {
	redisAddr := startRedis(t)
	srv := startServer(t, Options{})
	want := notifications(t, redisAddr)
	got := notifications(t, srv.Addr().String())
	require.NotEmpty(t, want)
	for i := 0; i < min(len(want), len(got)); i++ {
		require.Equalf(t, want[i], got[i], "notification %d; Redis's around it:\n%s\njackdaw's:\n%s",
			i, strings.Join(want[max(0, i-5):min(len(want), i+3)], "\n"), strings.Join(got[max(0, i-5):min(len(got), i+3)], "\n"))
	}
	require.Equal(t, len(want), len(got))
	t.Logf("%d commands, %d notifications, the same on both", len(notifyScript), len(got))
}

// notifications runs notifyScript against addr and returns the keyspace
// notifications it caused, one line each, with the command that caused
// each.
func notifications(t *testing.T, addr string) []string {
	t.Helper()
	c, err := dial(addr)
	require.NoError(t, err)
	defer c.Close()
	sub, err := dial(addr)
	require.NoError(t, err)
	defer sub.Close()
	_, err = c.do("FLUSHALL")
	require.NoError(t, err)
	_, err = c.do("CONFIG", "SET", "notify-keyspace-events", "KEA")
	require.NoError(t, err)
	defer c.do("CONFIG", "SET", "notify-keyspace-events", "")
	send(t, sub, "PSUBSCRIBE", "__key*__:*")
	send(t, sub, "SUBSCRIBE", "step")
	readN(t, sub, 2)
	var out []string
	for _, cmd := range notifyScript {
		_, err := c.do(cmd...)
		require.NoError(t, err)
		_, err = c.do("PUBLISH", "step", strings.Join(cmd, " "))
		require.NoError(t, err)
		for { // this command's notifications, up to the step marker
			sub.c.SetReadDeadline(time.Now().Add(10 * time.Second))
			r, err := sub.read()
			require.NoError(t, err)
			if len(r.Array) == 3 && string(r.Array[1].Bulk) == "step" {
				break
			}
			require.Len(t, r.Array, 4, "%s", r)
			out = append(out, strings.Join(cmd, " ")+" -> "+string(r.Array[2].Bulk)+" "+string(r.Array[3].Bulk))
		}
	}
	return out
}
