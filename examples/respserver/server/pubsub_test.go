package server

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// readN reads n replies from c, rendered as redis-cli does, one per line
// group separated by " | ".
func readN(t *testing.T, c *rconn, n int) []string {
	t.Helper()
	c.c.SetReadDeadline(time.Now().Add(10 * time.Second))
	defer c.c.SetReadDeadline(time.Time{})
	out := make([]string, n)
	for i := range out {
		r, err := c.read()
		require.NoError(t, err)
		out[i] = oneLineReply(r)
	}
	return out
}

func send(t *testing.T, c *rconn, cmd ...string) {
	t.Helper()
	c.send(cmd)
	require.NoError(t, c.flush())
}

// pubsubScript is run on Redis and on jackdaw (TestPubSubAgainstRedis),
// and on jackdaw alone with the expected replies (TestPubSub). Each step:
// a connection sends a command (none if cmd is empty), then replies are
// read from each connection as reads says.
type pubsubStep struct {
	conn  int
	cmd   string
	reads [3]int
}

var pubsubScript = []pubsubStep{
	{0, "UNSUBSCRIBE", [3]int{1}},
	{0, "PUNSUBSCRIBE a b", [3]int{2}},
	{0, "SUBSCRIBE ch1 ch2 ch1", [3]int{3}},
	{0, "PSUBSCRIBE h?llo news.*", [3]int{2}},
	{1, "PUBLISH ch1 hi", [3]int{1, 1}},
	{1, "PUBLISH hello world", [3]int{1, 1}},
	{1, "PUBLISH news.tech a\\r\\nb", [3]int{1, 1}},
	{1, "PUBLISH nobody x", [3]int{0, 1}},
	{2, "PSUBSCRIBE *", [3]int{0, 0, 1}},
	{1, "PUBLISH ch2 both", [3]int{1, 1, 1}},
	{1, "PUBSUB NUMSUB ch1 ch2 none", [3]int{0, 1}},
	{1, "PUBSUB NUMPAT", [3]int{0, 1}},
	{1, "PUBSUB CHANNELS", [3]int{0, 1}},
	{1, "PUBSUB CHANNELS ch*", [3]int{0, 1}},
	{0, "PING", [3]int{1}},
	{0, "PING msg", [3]int{1}},
	{0, "GET k", [3]int{1}},
	{0, "SET k v", [3]int{1}},
	{0, "CLIENT ID", [3]int{1}},
	{0, "MULTI", [3]int{1}},
	{0, "NOSUCH", [3]int{1}},
	{0, "SUBSCRIBE", [3]int{1}},
	{0, "UNSUBSCRIBE ch1 nosuch", [3]int{2}},
	{0, "PUNSUBSCRIBE", [3]int{2}},
	{1, "PUBLISH ch2 last", [3]int{1, 1, 1}},
	{0, "UNSUBSCRIBE", [3]int{1}},
	{0, "GET k", [3]int{1}}, // out of pub/sub mode
	{0, "PING", [3]int{1}},
	{0, "UNSUBSCRIBE", [3]int{1}},
	{2, "PING", [3]int{0, 0, 1}},
	{2, "RESET", [3]int{0, 0, 1}},
	{2, "PING", [3]int{0, 0, 1}},
	{1, "PUBLISH ch2 none", [3]int{0, 1}},
	{0, "MULTI", [3]int{1}},
	{0, "PUBLISH ch1 inmulti", [3]int{1}},
	{0, "EXEC", [3]int{1}},
}

func runPubSubScript(t *testing.T, addr string) []string {
	t.Helper()
	var conns [3]*rconn
	for i := range conns {
		c, err := dial(addr)
		require.NoError(t, err)
		defer c.Close()
		conns[i] = c
	}
	var out []string
	for _, st := range pubsubScript {
		if st.cmd != "" {
			args, ok := splitArgs([]byte(st.cmd))
			require.True(t, ok)
			strs := make([]string, len(args))
			for i, a := range args {
				strs[i] = string(a)
			}
			if strs[0] == "PUBLISH" && len(strs) == 3 {
				strs[2] = strings.ReplaceAll(strs[2], `\r\n`, "\r\n")
			}
			send(t, conns[st.conn], strs...)
		}
		for i, n := range st.reads {
			for range n {
				conns[i].c.SetReadDeadline(time.Now().Add(10 * time.Second))
				r, err := conns[i].read()
				require.NoError(t, err)
				if strings.HasPrefix(st.cmd, "PUBSUB CHANNELS") {
					sortArray(&r) // Redis's order is its dict's
				}
				out = append(out, fmt.Sprintf("%d> %s -> %d: %s", st.conn, st.cmd, i, oneLineReply(r)))
			}
		}
	}
	return out
}

func TestPubSubAgainstRedis(t *testing.T) {
	redisAddr := startRedis(t)
	srv := startServer(t, Options{})
	want := runPubSubScript(t, redisAddr)
	got := runPubSubScript(t, srv.Addr().String())
	require.Equal(t, len(want), len(got))
	for i := range want {
		if strings.Contains(want[i], "CLIENT ID") { // ids differ; the error does not
			continue
		}
		require.Equalf(t, want[i], got[i], "reply %d", i)
	}
}

func TestPubSub(t *testing.T) {
	s := startServer(t, Options{})
	sub := mustDial(t, s)
	pub := mustDial(t, s)
	send(t, sub, "SUBSCRIBE", "a", "b")
	require.Equal(t, []string{`1) "subscribe" | 2) "a" | 3) (integer) 1`, `1) "subscribe" | 2) "b" | 3) (integer) 2`}, readN(t, sub, 2))
	send(t, sub, "PSUBSCRIBE", "x*")
	require.Equal(t, []string{`1) "psubscribe" | 2) "x*" | 3) (integer) 3`}, readN(t, sub, 1))

	// CLIENT LIST and INFO show it.
	r, _ := pub.do("CLIENT", "LIST")
	id := clientID(t, pub)
	line := lineOf(string(r.Bulk), "cmd=psubscribe")
	require.Containsf(t, line, " flags=P ", "%s", line)
	require.Containsf(t, line, " sub=2 psub=1 ", "%s", line)
	r, _ = pub.do("CLIENT", "LIST", "TYPE", "pubsub")
	require.Equal(t, 1, strings.Count(string(r.Bulk), "\n"))
	r, _ = pub.do("CLIENT", "LIST", "TYPE", "normal")
	require.Contains(t, string(r.Bulk), "id="+id+" ")
	require.Equal(t, 1, strings.Count(string(r.Bulk), "\n"))
	r, _ = pub.do("INFO", "stats")
	require.Contains(t, string(r.Bulk), "pubsub_channels:2\r\n")
	require.Contains(t, string(r.Bulk), "pubsub_patterns:1\r\n")

	// Messages arrive while the client is idle, and between its commands.
	expect(t, pub, "(integer) 1", "PUBLISH", "xa", "1") // x* only: "xa" is not a channel
	require.Equal(t, []string{`1) "pmessage" | 2) "x*" | 3) "xa" | 4) "1"`}, readN(t, sub, 1))
	send(t, sub, "PING")
	require.Equal(t, []string{`1) "pong" | 2) ""`}, readN(t, sub, 1))
	expect(t, pub, "(integer) 1", "PUBLISH", "a", "2")
	require.Equal(t, []string{`1) "message" | 2) "a" | 3) "2"`}, readN(t, sub, 1))
	// Publishing from another database reaches it too.
	expect(t, pub, "OK", "SELECT", "7")
	expect(t, pub, "(integer) 1", "PUBLISH", "b", "3")
	require.Equal(t, []string{`1) "message" | 2) "b" | 3) "3"`}, readN(t, sub, 1))

	// RESET leaves pub/sub mode.
	send(t, sub, "RESET")
	require.Equal(t, []string{"RESET"}, readN(t, sub, 1))
	expect(t, pub, "(integer) 0", "PUBLISH", "a", "4")
	expect(t, sub, "(nil)", "GET", "k")
}

func TestKeyspaceNotifications(t *testing.T) {
	s := startServer(t, Options{})
	c := mustDial(t, s)
	sub := mustDial(t, s)
	expect(t, c, "(error) ERR CONFIG SET failed (possibly related to argument 'notify-keyspace-events') - Invalid event class character. Use 'Ag$lshzxeKEtmdn'.",
		"CONFIG", "SET", "notify-keyspace-events", "Q")
	expect(t, c, "OK", "CONFIG", "SET", "notify-keyspace-events", "KEA")
	expect(t, c, "1) \"notify-keyspace-events\"\n2) \"AKE\"", "CONFIG", "GET", "notify-keyspace-events")
	send(t, sub, "PSUBSCRIBE", "__key*@3__:*")
	readN(t, sub, 1)
	expect(t, c, "OK", "SET", "k", "v") // db 0: not subscribed
	expect(t, c, "OK", "SELECT", "3")
	expect(t, c, "OK", "SET", "k", "v")
	require.Equal(t, []string{
		`1) "pmessage" | 2) "__key*@3__:*" | 3) "__keyspace@3__:k" | 4) "set"`,
		`1) "pmessage" | 2) "__key*@3__:*" | 3) "__keyevent@3__:set" | 4) "k"`,
	}, readN(t, sub, 2))
	expect(t, c, "OK", "CONFIG", "SET", "notify-keyspace-events", "")
	expect(t, c, "(integer) 1", "DEL", "k")
	expect(t, c, "(integer) 0", "PUBLISH", "x", "y") // a marker: nothing came before it
	send(t, sub, "PING")
	require.Equal(t, []string{`1) "pong" | 2) ""`}, readN(t, sub, 1))
}

// TestSlowSubscriber: a subscriber that reads nothing never blocks
// publishers, and is disconnected once its output bound and its buffer
// are full.
func TestSlowSubscriber(t *testing.T) {
	s := startServer(t, Options{SubscriberBuffer: 8, ClientOutputLimit: 4096, ClientOutputTimeout: 100 * time.Millisecond})
	sub := mustDial(t, s)
	pub := mustDial(t, s)
	send(t, sub, "SUBSCRIBE", "c")
	readN(t, sub, 1)
	payload := strings.Repeat("x", 64<<10)
	start := time.Now()
	for i := 0; i < 2000 && s.ps.Stats().DroppedSlow == 0; i++ {
		_, err := pub.do("PUBLISH", "c", payload)
		require.NoError(t, err)
	}
	require.EqualValues(t, 1, s.ps.Stats().DroppedSlow, "the subscription was not dropped")
	require.Less(t, time.Since(start), 30*time.Second)
	waitClients(t, s, 1) // the subscriber is gone
	expect(t, pub, "(integer) 0", "PUBLISH", "c", "after")
}

// TestNoGoroutineLeak: clients blocked, subscribed, in MULTI or idle,
// some closed by the peer, the rest by Server.Close: no goroutine is left.
func TestNoGoroutineLeak(t *testing.T) {
	before := runtime.NumGoroutine()
	func() {
		s, err := New(Options{Addr: "127.0.0.1:0"})
		require.NoError(t, err)
		require.NoError(t, s.Listen())
		done := make(chan struct{})
		go func() {
			defer close(done)
			s.Serve(t.Context())
		}()
		addr := s.Addr().String()
		var conns []*rconn
		dialc := func() *rconn {
			c, err := dial(addr)
			require.NoError(t, err)
			conns = append(conns, c)
			return c
		}
		for i := range 6 {
			c := dialc()
			switch i % 3 {
			case 0:
				send(t, c, "BLPOP", fmt.Sprint("q", i), "0")
			case 1:
				send(t, c, "SUBSCRIBE", "ch", fmt.Sprint("c", i))
				readN(t, c, 2)
			case 2:
				expect(t, c, "OK", "MULTI")
				expect(t, c, "QUEUED", "SET", "k", "v")
			}
		}
		waitBlocked(t, s, 2)
		p := dialc()
		expect(t, p, "(integer) 2", "PUBLISH", "ch", "m")
		for _, c := range conns[:3] { // one of each kind, closed by the peer
			c.Close()
		}
		waitBlocked(t, s, 1)
		waitClients(t, s, 4)
		require.NoError(t, s.Close())
		<-done
		for _, c := range conns[3:] {
			c.Close()
		}
	}()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		buf := make([]byte, 1<<20)
		buf = buf[:runtime.Stack(buf, true)]
		require.Failf(t, "goroutines left", "%d goroutines before, %d after:\n%s", before, n, buf)
	}
}
