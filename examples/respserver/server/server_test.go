package server

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jackdawdb/jackdaw/engine"
)

func mustDial(t *testing.T, s *Server) *rconn {
	t.Helper()
	c, err := dial(s.Addr().String())
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	return c
}

// expect runs cmd and checks the reply's redis-cli rendering.
func expect(t *testing.T, c *rconn, want string, cmd ...string) engine.Reply {
	t.Helper()
	r, err := c.do(cmd...)
	require.NoErrorf(t, err, "%q: %v", cmd, err)
	got := r.String()
	require.Equalf(t, want, got, "%q:\n got %s\nwant %s", cmd, got, want)
	return r
}

// raw writes bytes and returns everything the server sends until it closes
// the connection (or a second passes).
func raw(t *testing.T, s *Server, in string) string {
	t.Helper()
	c, err := net.Dial("tcp", s.Addr().String())
	require.NoError(t, err)
	defer c.Close()
	_, err = io.WriteString(c, in)
	require.NoError(t, err)
	c.SetReadDeadline(time.Now().Add(time.Second))
	out, _ := io.ReadAll(c)
	return string(out)
}

// protocolCases are raw request streams and the server's exact output to
// them (MaxRequestBytes 1 MiB). FuzzReadCommand uses the inputs as seeds.
var protocolCases = []struct{ in, want string }{
	{"*1\r\nx\r\n", "-ERR Protocol error: expected '$', got 'x'\r\n"},
	{"*1\r\n$-5\r\n", "-ERR Protocol error: invalid bulk length\r\n"},
	{"*1\r\n$abc\r\n", "-ERR Protocol error: invalid bulk length\r\n"},
	{"*1\r\n$536870913\r\n", "-ERR Protocol error: invalid bulk length\r\n"},
	{"*2\r\n$3\r\nset\r\n$2000000\r\n", "-ERR Protocol error: invalid bulk length\r\n"}, // over MaxRequestBytes
	{"*x\r\n", "-ERR Protocol error: invalid multibulk length\r\n"},
	{"*99999999999\r\n", "-ERR Protocol error: invalid multibulk length\r\n"},
	{"PING\r\nSET a \"b\r\n", "+PONG\r\n-ERR Protocol error: unbalanced quotes in request\r\n"},
	{"*" + strings.Repeat("1", 70000) + "\r\n", "-ERR Protocol error: too big mbulk count string\r\n"},
	{strings.Repeat("x", 70000) + "\r\n", "-ERR Protocol error: too big inline request\r\n"},
	// inline commands, quotes and escapes; empty lines and *0 are skipped
	{"PING\r\n\r\n*0\r\nECHO \"a b\\x41\\n\" 'c\\'d'\r\nQUIT\r\n", "+PONG\r\n-ERR wrong number of arguments for 'echo' command\r\n+OK\r\n"},
	{"ECHO \"a b\\x41\\n\"\r\nQUIT\r\n", "$5\r\na bA\n\r\n+OK\r\n"},
	// pipelined multibulk
	{"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n*1\r\n$4\r\nQUIT\r\n", "+OK\r\n$1\r\nv\r\n+OK\r\n"},
}

func TestProtocolErrors(t *testing.T) {
	s := startServer(t, Options{MaxRequestBytes: 1 << 20})
	for _, tc := range protocolCases {
		got := raw(t, s, tc.in)
		assert.Equalf(t, tc.want, got, "%.60q:\n got %q\nwant %q", tc.in, got, tc.want)
	}
}

func TestAuth(t *testing.T) {
	s := startServer(t, Options{RequirePass: "pw"})
	c := mustDial(t, s)
	expect(t, c, "(error) NOAUTH Authentication required.", "GET", "k")
	expect(t, c, "(error) NOAUTH Authentication required.", "PING")
	expect(t, c, "(error) WRONGPASS invalid username-password pair or user is disabled.", "AUTH", "nope")
	expect(t, c, "(error) WRONGPASS invalid username-password pair or user is disabled.", "AUTH", "bob", "pw")
	expect(t, c, "OK", "AUTH", "pw")
	expect(t, c, "PONG", "PING")

	c2 := mustDial(t, s)
	expect(t, c, "(error) NOPROTO unsupported protocol version", "HELLO", "3")
	r, _ := c2.do("HELLO", "2")
	require.Truef(t, strings.HasPrefix(r.String(), "(error) NOAUTH HELLO must be called"), "HELLO 2 before AUTH: %s", r)
	r = expect(t, c2, r.String(), "HELLO", "2")
	r, _ = c2.do("HELLO", "2", "AUTH", "default", "pw", "SETNAME", "me")
	require.Equalf(t, engine.ReplyArray, r.Kind, "HELLO 2 AUTH: %s", r)
	require.Lenf(t, r.Array, 14, "HELLO 2 AUTH: %s", r)
	require.Equalf(t, "redis", string(r.Array[1].Bulk), "HELLO 2 AUTH: %s", r)
	require.Equalf(t, int64(2), r.Array[5].Int, "HELLO 2 AUTH: %s", r)
	expect(t, c2, `"me"`, "CLIENT", "GETNAME")
	expect(t, c2, "(error) ERR Protocol version is not an integer or out of range", "HELLO", "x")

	s2 := startServer(t, Options{})
	c3 := mustDial(t, s2)
	expect(t, c3, "(error) ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?", "AUTH", "x")
}

func TestDatabases(t *testing.T) {
	s := startServer(t, Options{})
	c := mustDial(t, s)
	expect(t, c, "OK", "SET", "k", "v")
	expect(t, c, "(error) ERR DB index is out of range", "SELECT", "16")
	expect(t, c, "(error) ERR value is not an integer or out of range", "SELECT", "x")
	expect(t, c, "(error) ERR source and destination objects are the same", "MOVE", "k", "0")
	expect(t, c, "(error) ERR DB index is out of range", "MOVE", "k", "99")
	expect(t, c, "OK", "SET", "t", "1", "PX", "100000000")
	expect(t, c, "(integer) 1", "MOVE", "k", "3")
	expect(t, c, "(integer) 1", "MOVE", "t", "3")
	expect(t, c, "(integer) 0", "MOVE", "k", "3")
	expect(t, c, "(integer) 0", "DBSIZE")
	expect(t, c, "OK", "SELECT", "3")
	expect(t, c, `"v"`, "GET", "k")
	r, _ := c.do("PTTL", "t")
	require.GreaterOrEqualf(t, r.Int, int64(99000000), "MOVE lost the TTL: %s", r)
	expect(t, c, "OK", "SET", "k0", "x")
	expect(t, c, "(integer) 1", "MOVE", "k0", "0")
	expect(t, c, "(integer) 0", "EXISTS", "k0")
}

func TestMoveSwapCopy(t *testing.T) {
	s := startServer(t, Options{})
	c := mustDial(t, s)
	expect(t, c, "OK", "SELECT", "3")
	expect(t, c, "OK", "SET", "a", "1")
	expect(t, c, "OK", "SELECT", "0")
	expect(t, c, "OK", "SET", "a", "0")
	expect(t, c, "(integer) 0", "MOVE", "a", "3") // exists in 3
	expect(t, c, "OK", "SWAPDB", "0", "3")
	expect(t, c, `"1"`, "GET", "a")
	expect(t, c, "(error) ERR invalid first DB index", "SWAPDB", "x", "1")
	expect(t, c, "(error) ERR invalid second DB index", "SWAPDB", "1", "x")
	expect(t, c, "(error) ERR DB index is out of range", "SWAPDB", "1", "16")
	expect(t, c, "(integer) 1", "COPY", "a", "b", "DB", "5")
	expect(t, c, "(integer) 0", "COPY", "a", "b", "DB", "5")
	expect(t, c, "(integer) 1", "COPY", "a", "b", "DB", "5", "REPLACE")
	expect(t, c, "(error) ERR source and destination objects are the same", "COPY", "a", "a", "DB", "0")
	expect(t, c, "OK", "SELECT", "5")
	expect(t, c, `"1"`, "GET", "b")
	expect(t, c, "OK", "FLUSHDB")
	expect(t, c, "(integer) 0", "DBSIZE")
	expect(t, c, "OK", "SELECT", "0")
	expect(t, c, "(integer) 1", "DBSIZE")
	expect(t, c, "OK", "FLUSHALL", "ASYNC")
	expect(t, c, "(integer) 0", "DBSIZE")
	expect(t, c, "(error) ERR syntax error", "FLUSHALL", "x")
}

// TestMoveConcurrent moves keys both ways between two DBs at once: the
// shard locks are taken in a global order, so this cannot deadlock, and no
// key is lost or duplicated.
func TestMoveConcurrent(t *testing.T) {
	a, _ := engine.Open(engine.Options{Shards: 1})
	b, _ := engine.Open(engine.Options{Shards: 1})
	defer a.Close()
	defer b.Close()
	const n = 200
	for i := range n {
		a.Set(fmt.Sprint("k", i), []byte("v"))
	}
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 2000 {
				k := fmt.Sprint("k", (i*7+w)%n)
				if w%2 == 0 {
					engine.Move(a, b, k)
				} else {
					engine.Move(b, a, k)
				}
			}
		}()
	}
	wg.Wait()
	got := a.DBSize() + b.DBSize()
	require.Equalf(t, n, got, "keys after moves: %d, want %d", got, n)
}

func TestClientCommands(t *testing.T) {
	s := startServer(t, Options{})
	c := mustDial(t, s)
	other := mustDial(t, s)
	id, _ := c.do("CLIENT", "ID")
	oid, _ := other.do("CLIENT", "ID")
	expect(t, c, "OK", "CLIENT", "SETNAME", "conn1")
	expect(t, c, "(error) ERR Client names cannot contain spaces, newlines or special characters.", "CLIENT", "SETNAME", "a b")
	expect(t, c, "OK", "CLIENT", "SETINFO", "LIB-NAME", "x")
	r, _ := c.do("CLIENT", "LIST")
	list := string(r.Bulk)
	for _, want := range []string{fmt.Sprintf("id=%d ", id.Int), "name=conn1", fmt.Sprintf("id=%d ", oid.Int), "cmd=client|list"} {
		require.Containsf(t, list, want, "CLIENT LIST:\n%s", list)
	}
	expect(t, c, "(error) ERR unknown subcommand 'FOO'. Try CLIENT HELP.", "CLIENT", "FOO")
	expect(t, c, "(error) ERR wrong number of arguments for 'client|kill' command", "CLIENT", "KILL")
	expect(t, c, "(error) ERR No such client", "CLIENT", "KILL", "1.2.3.4:5")
	expect(t, c, "(integer) 1", "CLIENT", "KILL", "ID", fmt.Sprint(oid.Int))
	_, err := other.do("PING")
	require.Error(t, err, "killed client still served")
	expect(t, c, "(integer) 0", "CLIENT", "KILL", "ID", fmt.Sprint(oid.Int))

	// CLIENT REPLY OFF / SKIP / ON
	c.send([]string{"CLIENT", "REPLY", "OFF"})
	c.send([]string{"SET", "x", "1"})
	c.send([]string{"CLIENT", "REPLY", "ON"})
	c.send([]string{"CLIENT", "REPLY", "SKIP"})
	c.send([]string{"GET", "x"})
	c.send([]string{"ECHO", "after"})
	c.flush()
	for _, want := range []string{"OK", `"after"`} {
		r, err := c.read()
		require.NoErrorf(t, err, "reply modes: got %s %v, want %s", r, err, want)
		require.Equalf(t, want, r.String(), "reply modes: got %s %v, want %s", r, err, want)
	}

	// CLIENT KILL of oneself closes after the reply
	self := mustDial(t, s)
	sid, _ := self.do("CLIENT", "ID")
	expect(t, self, "(integer) 1", "CLIENT", "KILL", "ID", fmt.Sprint(sid.Int), "SKIPME", "no")
	_, err = self.do("PING")
	require.Error(t, err, "self-killed client still served")
}

func TestServerCommands(t *testing.T) {
	s := startServer(t, Options{})
	c := mustDial(t, s)
	expect(t, c, "OK", "SET", "n", "42")
	expect(t, c, "OK", "SET", "s", "hello")
	expect(t, c, "OK", "SET", "big", strings.Repeat("x", 45))
	expect(t, c, "OK", "SET", "e", "1", "EX", "1000")
	expect(t, c, `"int"`, "OBJECT", "ENCODING", "n")
	expect(t, c, `"embstr"`, "OBJECT", "ENCODING", "s")
	expect(t, c, `"raw"`, "OBJECT", "ENCODING", "big")
	expect(t, c, "(nil)", "OBJECT", "ENCODING", "nosuch")
	expect(t, c, "(integer) 2147483647", "OBJECT", "REFCOUNT", "n")
	expect(t, c, "(integer) 1", "OBJECT", "REFCOUNT", "s")
	expect(t, c, "(integer) 0", "OBJECT", "IDLETIME", "s")
	r, _ := c.do("OBJECT", "FREQ", "s")
	require.Truef(t, strings.HasPrefix(r.String(), "(error) ERR An LFU maxmemory policy is not selected"), "OBJECT FREQ: %s", r)
	expect(t, c, "(error) ERR wrong number of arguments for 'object|encoding' command", "OBJECT", "ENCODING")
	expect(t, c, "(error) ERR unknown subcommand 'FOO'. Try OBJECT HELP.", "OBJECT", "FOO", "k")

	r, _ = c.do("INFO")
	info := string(r.Bulk)
	for _, want := range []string{"# Server\r\nredis_version:7.0.15\r\n", "\r\n# Keyspace\r\ndb0:keys=4,expires=1,avg_ttl=0\r\n",
		"role:master\r\n", "used_memory:", "keyspace_hits:", "total_commands_processed:"} {
		require.Containsf(t, info, want, "INFO lacks %q:\n%s", want, info)
	}
	r, _ = c.do("INFO", "keyspace")
	require.Equalf(t, "# Keyspace\r\ndb0:keys=4,expires=1,avg_ttl=0\r\n", string(r.Bulk), "INFO keyspace: %q", r.Bulk)

	expect(t, c, "1) \"maxmemory\"\n2) \"0\"", "CONFIG", "GET", "maxmemory")
	expect(t, c, "OK", "CONFIG", "SET", "maxmemory", "100mb", "maxmemory-policy", "allkeys-lfu")
	expect(t, c, "1) \"maxmemory\"\n2) \"104857600\"\n3) \"maxmemory-policy\"\n4) \"allkeys-lfu\"", "CONFIG", "GET", "maxmemory", "maxmemory-pol*")
	expect(t, c, "(integer) 0", "OBJECT", "FREQ", "s")
	expect(t, c, "(error) ERR CONFIG SET failed (possibly related to argument 'databases') - can't set immutable config", "CONFIG", "SET", "databases", "3")
	expect(t, c, "(error) ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'", "CONFIG", "SET", "nosuch", "1")
	expect(t, c, "OK", "CONFIG", "SET", "hash-max-ziplist-entries", "64")
	expect(t, c, "1) \"hash-max-listpack-entries\"\n2) \"64\"", "CONFIG", "GET", "hash-max-listpack-entries")
	expect(t, c, "OK", "CONFIG", "RESETSTAT")

	r, _ = c.do("TIME")
	require.Equalf(t, engine.ReplyArray, r.Kind, "TIME: %s", r)
	require.Lenf(t, r.Array, 2, "TIME: %s", r)
	expect(t, c, "OK", "DEBUG", "SLEEP", "0.01")
	expect(t, c, "OK", "DEBUG", "JMAP")

	cnt, _ := c.do("COMMAND", "COUNT")
	lst, _ := c.do("COMMAND", "LIST")
	require.Equalf(t, len(lst.Array), int(cnt.Int), "COMMAND COUNT %d, LIST %d", cnt.Int, len(lst.Array))
	require.GreaterOrEqualf(t, cnt.Int, int64(len(engine.Commands())), "COMMAND COUNT %d, LIST %d", cnt.Int, len(lst.Array))
	r, _ = c.do("COMMAND", "INFO", "get", "select", "nosuch")
	require.Lenf(t, r.Array, 3, "COMMAND INFO: %s", r)
	require.NotEmptyf(t, r.Array[0].Array, "COMMAND INFO: %s", r)
	require.Equalf(t, "get", string(r.Array[0].Array[0].Bulk), "COMMAND INFO: %s", r)
	require.NotEmptyf(t, r.Array[1].Array, "COMMAND INFO: %s", r)
	require.Equalf(t, "select", string(r.Array[1].Array[0].Bulk), "COMMAND INFO: %s", r)
	require.Equalf(t, engine.ReplyNil, r.Array[2].Kind, "COMMAND INFO: %s", r)
	expect(t, c, "(error) ERR unknown command 'NOSUCH', with args beginning with: 'a' ", "NOSUCH", "a")
	expect(t, c, "(error) ERR wrong number of arguments for 'select' command", "SELECT")
}

// TestSlowReader: a client that pipelines requests for large replies and
// never reads them is disconnected once its pending output stalls, and the
// server's memory does not follow the replies it would owe.
func TestSlowReader(t *testing.T) {
	s := startServer(t, Options{ClientOutputLimit: 64 << 10, ClientOutputTimeout: 300 * time.Millisecond})
	c := mustDial(t, s)
	expect(t, c, "OK", "SET", "big", strings.Repeat("x", 1<<20))
	conn, err := net.Dial("tcp", s.Addr().String())
	require.NoError(t, err)
	defer conn.Close()
	if tc, ok := conn.(*net.TCPConn); ok {
		tc.SetReadBuffer(4096)
	}
	w := bufio.NewWriter(conn)
	go func() {
		for range 2000 { // 2 GB of replies owed
			w.WriteString("*2\r\n$3\r\nGET\r\n$3\r\nbig\r\n")
		}
		w.Flush()
	}()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		r, _ := c.do("CLIENT", "LIST")
		if strings.Count(string(r.Bulk), "\n") == 1 {
			return // the slow client is gone
		}
		time.Sleep(50 * time.Millisecond)
	}
	require.Fail(t, "slow reader was not disconnected")
}

func TestGracefulClose(t *testing.T) {
	s, err := New(Options{Addr: "127.0.0.1:0"})
	require.NoError(t, err)
	require.NoError(t, s.Listen())
	done := make(chan error, 1)
	go func() { done <- s.Serve(t.Context()) }()
	c, err := dial(s.Addr().String())
	require.NoError(t, err)
	defer c.Close()
	expect(t, c, "PONG", "PING")
	s.Close()
	require.NoError(t, <-done)
	_, err = c.do("PING")
	require.Error(t, err, "connection still served after Close")
	require.Error(t, s.DB(0).Close(), "DBs were not closed")
}
