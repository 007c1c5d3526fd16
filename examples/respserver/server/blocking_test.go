package server

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/jackdawdb/jackdaw/engine"
)

func itoa(n int) string { return strconv.Itoa(n) }

func engineOptionsWithClock(clock func() time.Time) engine.Options {
	return engine.Options{Clock: clock}
}

// async sends cmd on c and returns a channel that gets its reply.
func async(t *testing.T, c *rconn, cmd ...string) <-chan engine.Reply {
	t.Helper()
	c.send(cmd)
	require.NoError(t, c.flush())
	ch := make(chan engine.Reply, 1)
	go func() {
		r, err := c.read()
		if err != nil {
			r = engine.ErrorReply("read: " + err.Error())
		}
		ch <- r
	}()
	return ch
}

func recv(t *testing.T, ch <-chan engine.Reply) string {
	t.Helper()
	select {
	case r := <-ch:
		return r.String()
	case <-time.After(10 * time.Second):
		require.FailNow(t, "no reply within 10s")
	}
	return ""
}

func notYet(t *testing.T, ch <-chan engine.Reply) {
	t.Helper()
	select {
	case r := <-ch:
		require.FailNowf(t, "replied while it should block", "%s", r)
	case <-time.After(30 * time.Millisecond):
	}
}

// waitBlocked waits until n clients are blocked (INFO blocked_clients),
// then a little more so that the last one's waiter is registered.
func waitBlocked(t *testing.T, s *Server, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for s.blockedClients.Load() != int64(n) {
		require.Truef(t, time.Now().Before(deadline), "blocked clients: %d, want %d", s.blockedClients.Load(), n)
		time.Sleep(time.Millisecond)
	}
	time.Sleep(20 * time.Millisecond)
}

func clientID(t *testing.T, c *rconn) string {
	t.Helper()
	r, err := c.do("CLIENT", "ID")
	require.NoError(t, err)
	return strconv.FormatInt(r.Int, 10)
}

func TestBlockingDoesNotBlockOthers(t *testing.T) {
	s := startServer(t, Options{})
	b := mustDial(t, s)
	c := mustDial(t, s)
	bid := clientID(t, b)
	ch := async(t, b, "BLPOP", "q", "0")
	waitBlocked(t, s, 1)
	// Others go on, on the same key and on others, in the same DB and others.
	expect(t, c, "OK", "SET", "x", "1")
	expect(t, c, "(integer) 0", "LLEN", "q")
	expect(t, c, "OK", "SELECT", "1")
	expect(t, c, "(integer) 1", "RPUSH", "q", "elsewhere")
	expect(t, c, "OK", "SELECT", "0")
	expect(t, c, "OK", "MULTI")
	expect(t, c, "QUEUED", "BLPOP", "q", "0")
	expect(t, c, "1) (nil array)", "EXEC")
	// INFO and CLIENT LIST show it.
	r, _ := c.do("INFO", "clients")
	require.Contains(t, string(r.Bulk), "blocked_clients:1\r\n")
	r, _ = c.do("CLIENT", "LIST")
	require.Contains(t, lineOf(string(r.Bulk), "id="+bid+" "), " flags=b ")
	require.Contains(t, lineOf(string(r.Bulk), "id="+bid+" "), " cmd=blpop ")
	notYet(t, ch)
	expect(t, c, "(integer) 1", "RPUSH", "q", "v")
	require.Equal(t, "1) \"q\"\n2) \"v\"", recv(t, ch))
	expect(t, c, "(integer) 0", "LLEN", "q")
	waitBlocked(t, s, 0)
	r, _ = c.do("INFO", "clients")
	require.Contains(t, string(r.Bulk), "blocked_clients:0\r\n")
	// The connection goes on after it.
	expect(t, b, "PONG", "PING")
}

func TestBlockingFIFO(t *testing.T) {
	s := startServer(t, Options{})
	p := mustDial(t, s)
	var chs []<-chan engine.Reply
	for i := range 3 {
		c := mustDial(t, s)
		chs = append(chs, async(t, c, "BRPOP", "nothing", "q", "0"))
		waitBlocked(t, s, i+1)
	}
	expect(t, p, "(integer) 3", "LPUSH", "q", "a", "b", "c") // list: c b a; BRPOP pops a, b, c
	for i, want := range []string{"a", "b", "c"} {
		require.Equalf(t, "1) \"q\"\n2) \""+want+"\"", recv(t, chs[i]), "client %d", i)
	}
	// Sorted sets and BLMOVE, also FIFO.
	chs = chs[:0]
	for i := range 2 {
		c := mustDial(t, s)
		chs = append(chs, async(t, c, "BZPOPMIN", "z", "0"))
		waitBlocked(t, s, i+1)
	}
	c := mustDial(t, s)
	chs = append(chs, async(t, c, "BLMOVE", "src", "dst", "LEFT", "RIGHT", "0"))
	waitBlocked(t, s, 3)
	expect(t, p, "(integer) 2", "ZADD", "z", "2", "two", "1", "one")
	require.Equal(t, "1) \"z\"\n2) \"one\"\n3) \"1\"", recv(t, chs[0]))
	require.Equal(t, "1) \"z\"\n2) \"two\"\n3) \"2\"", recv(t, chs[1]))
	expect(t, p, "(integer) 1", "RPUSH", "src", "m")
	require.Equal(t, `"m"`, recv(t, chs[2]))
	expect(t, p, `1) "m"`, "LRANGE", "dst", "0", "-1")
}

func TestClientUnblock(t *testing.T) {
	s := startServer(t, Options{})
	b := mustDial(t, s)
	c := mustDial(t, s)
	bid := clientID(t, b)
	expect(t, c, "(integer) 0", "CLIENT", "UNBLOCK", bid) // not blocked
	expect(t, c, "(error) ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR", "CLIENT", "UNBLOCK", bid, "foo")
	expect(t, c, "(error) ERR value is not an integer or out of range", "CLIENT", "UNBLOCK", "x")
	expect(t, c, "(integer) 0", "CLIENT", "UNBLOCK", "999999")
	expect(t, c, "(error) ERR wrong number of arguments for 'client|unblock' command", "CLIENT", "UNBLOCK")
	expect(t, c, "(error) ERR unknown subcommand or wrong number of arguments for 'UNBLOCK'. Try CLIENT HELP.", "CLIENT", "UNBLOCK", "1", "2", "3")

	for _, tc := range []struct{ cmd, reason, want string }{
		{"BLPOP l 0", "", "(nil array)"},
		{"BLPOP l 0", "TIMEOUT", "(nil array)"},
		{"BLPOP l 0", "ERROR", "(error) UNBLOCKED client unblocked via CLIENT UNBLOCK"},
		{"BLMOVE l d LEFT LEFT 0", "TIMEOUT", "(nil array)"},
		{"BRPOPLPUSH l d 100", "ERROR", "(error) UNBLOCKED client unblocked via CLIENT UNBLOCK"},
		{"BZPOPMAX z 0", "timeout", "(nil array)"},
		{"BZMPOP 0 2 z z2 MIN", "error", "(error) UNBLOCKED client unblocked via CLIENT UNBLOCK"},
		{"BLMPOP 0 1 l LEFT COUNT 2", "TIMEOUT", "(nil array)"},
	} {
		ch := async(t, b, strings.Fields(tc.cmd)...)
		waitBlocked(t, s, 1)
		args := []string{"CLIENT", "UNBLOCK", bid}
		if tc.reason != "" {
			args = append(args, tc.reason)
		}
		expect(t, c, "(integer) 1", args...)
		require.Equalf(t, tc.want, recv(t, ch), "%s unblocked with %q", tc.cmd, tc.reason)
		expect(t, c, "(integer) 0", "CLIENT", "UNBLOCK", bid) // no longer blocked
		waitBlocked(t, s, 0)
	}
	// Nothing was popped or pushed, and the client goes on.
	expect(t, b, "(integer) 0", "EXISTS", "l", "d", "z")
}

func TestBlockingTimeout(t *testing.T) {
	s := startServer(t, Options{})
	c := mustDial(t, s)
	start := time.Now()
	expect(t, c, "(nil array)", "BLPOP", "l", "0.2")
	el := time.Since(start)
	require.GreaterOrEqual(t, el, 190*time.Millisecond)
	require.Less(t, el, 5*time.Second)
	expect(t, c, "(nil array)", "BRPOPLPUSH", "l", "d", "0.01") // Redis 7.0: a null array, as every blocked list command
	expect(t, c, "(nil array)", "BLMOVE", "l", "d", "LEFT", "RIGHT", "0.01")
	expect(t, c, "(nil array)", "BZPOPMIN", "z", "0.01")
	expect(t, c, "(nil array)", "BZMPOP", "0.01", "1", "z", "MAX")
	expect(t, c, "(nil array)", "BLMPOP", "0.01", "1", "l", "RIGHT")
	expect(t, c, "(error) ERR timeout is not a float or out of range", "BLPOP", "l", "x")
	expect(t, c, "(error) ERR timeout is negative", "BLPOP", "l", "-1")
	expect(t, c, "OK", "SET", "str", "v")
	expect(t, c, "(error) WRONGTYPE Operation against a key holding the wrong kind of value", "BLPOP", "str", "0")
	waitBlocked(t, s, 0)
}

// TestBlockedDisconnect: a client that goes away while blocked is released
// at once, and an element pushed after that stays in the list.
func TestBlockedDisconnect(t *testing.T) {
	s := startServer(t, Options{})
	c := mustDial(t, s)
	for _, cmd := range [][]string{{"BLPOP", "q", "0"}, {"BLMOVE", "q", "d", "LEFT", "LEFT", "0"}, {"BZPOPMIN", "q", "0"}} {
		b, err := dial(s.Addr().String())
		require.NoError(t, err)
		async(t, b, cmd...)
		waitBlocked(t, s, 1)
		b.Close()
		waitBlocked(t, s, 0)
		waitClients(t, s, 1)
	}
	expect(t, c, "(integer) 1", "RPUSH", "q", "kept")
	expect(t, c, `1) "kept"`, "LRANGE", "q", "0", "-1")
	expect(t, c, "(integer) 0", "EXISTS", "d")

	// A client that pipelines more requests after its blocking command is
	// still seen to go away; the requests buffered meanwhile run after it
	// when it is served.
	b := mustDial(t, s)
	b.send([]string{"BLPOP", "w", "0"})
	b.send([]string{"PING"})
	require.NoError(t, b.flush())
	waitBlocked(t, s, 1)
	expect(t, c, "(integer) 1", "RPUSH", "w", "x")
	r, _ := b.read()
	require.Equal(t, "1) \"w\"\n2) \"x\"", r.String())
	r, _ = b.read()
	require.Equal(t, "PONG", r.String())

	b2, err := dial(s.Addr().String())
	require.NoError(t, err)
	b2.send([]string{"BLPOP", "w", "0"})
	b2.send([]string{"PING"})
	require.NoError(t, b2.flush())
	waitBlocked(t, s, 1)
	b2.Close()
	waitBlocked(t, s, 0)

	// CLIENT KILL of a blocked client releases it too.
	b3 := mustDial(t, s)
	id := clientID(t, b3)
	async(t, b3, "BLPOP", "w", "0")
	waitBlocked(t, s, 1)
	expect(t, c, "(integer) 1", "CLIENT", "KILL", "ID", id)
	waitBlocked(t, s, 0)
	expect(t, c, "(integer) 1", "RPUSH", "w", "y")
	expect(t, c, `1) "y"`, "LRANGE", "w", "0", "-1")
}

// waitClients waits until n clients are connected.
func waitClients(t *testing.T, s *Server, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		s.mu.Lock()
		got := len(s.clients)
		s.mu.Unlock()
		if got == n {
			return
		}
		require.Truef(t, time.Now().Before(deadline), "clients: %d, want %d", got, n)
		time.Sleep(time.Millisecond)
	}
}

// TestBlockingMany: many blocked clients and producers on a few keys; each
// pushed element is received exactly once.
func TestBlockingMany(t *testing.T) {
	s := startServer(t, Options{})
	const consumers, per = 8, 25
	keys := []string{"q0", "q1", "q2"}
	got := make(chan string, consumers*per)
	errc := make(chan error, consumers)
	for i := range consumers {
		c := mustDial(t, s)
		go func() {
			for range per {
				r, err := c.do("BLPOP", keys[i%3], keys[(i+1)%3], keys[(i+2)%3], "10")
				if err != nil || r.Kind != engine.ReplyArray {
					errc <- fmt.Errorf("consumer %d: %v %s", i, err, r)
					return
				}
				got <- string(r.Array[1].Bulk)
			}
			errc <- nil
		}()
	}
	p := mustDial(t, s)
	for j := range consumers * per {
		_, err := p.do("RPUSH", keys[j%3], itoa(j))
		require.NoError(t, err)
	}
	for range consumers {
		require.NoError(t, <-errc)
	}
	close(got)
	seen := map[string]bool{}
	for v := range got {
		require.Falsef(t, seen[v], "%s received twice", v)
		seen[v] = true
	}
	require.Len(t, seen, consumers*per)
}
