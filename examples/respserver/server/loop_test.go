package server

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jackdawdb/jackdaw/engine"
)

// -goroutines runs every test's server with Options.NoEventLoop: the
// goroutine-per-connection path, which other systems use.
var testGoroutines = flag.Bool("goroutines", false, "serve the tests' connections with goroutines, not event loops")

// modes are the two ways of serving connections; the tests below run in
// both. (On systems without event loops both are goroutines.)
var modes = []struct {
	name string
	opts Options
}{{"loop", Options{}}, {"goroutines", Options{NoEventLoop: true}}}

// rawConn dials s without the test client's buffering.
func rawConn(t *testing.T, s *Server) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", s.Addr().String())
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	return c
}

// readReplies reads n replies from br (with a deadline) as redis-cli
// renders them.
func readReplies(t *testing.T, c net.Conn, br *bufio.Reader, n int) []string {
	t.Helper()
	rc := &rconn{c: c, br: br}
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	defer c.SetReadDeadline(time.Time{})
	out := make([]string, n)
	for i := range out {
		r, err := rc.read()
		require.NoErrorf(t, err, "reply %d of %d", i+1, n)
		out[i] = r.String()
	}
	return out
}

// TestSplitAtEveryByte: a pipeline of multibulk and inline requests whose
// bytes arrive in two writes, cut at every byte boundary, gets the same
// replies as sent whole.
func TestSplitAtEveryByte(t *testing.T) {
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			s := startServer(t, m.opts)
			c := rawConn(t, s)
			br := bufio.NewReader(c)
			var pipe []byte
			pipe = append(pipe, encodeMultibulk([][]byte{[]byte("SET"), []byte("k"), []byte("a\r\nb")})...)
			pipe = append(pipe, encodeMultibulk([][]byte{[]byte("GET"), []byte("k")})...)
			pipe = append(pipe, "INCR n\r\n\r\n*0\r\n"...)
			pipe = append(pipe, encodeMultibulk([][]byte{[]byte("RPUSH"), []byte("l"), []byte(""), []byte("x")})...)
			pipe = append(pipe, "ECHO \"q\\x41\"\n"...)
			pipe = append(pipe, encodeMultibulk([][]byte{[]byte("MULTI")})...)
			pipe = append(pipe, encodeMultibulk([][]byte{[]byte("INCR"), []byte("m")})...)
			pipe = append(pipe, encodeMultibulk([][]byte{[]byte("EXEC")})...)
			for cut := 0; cut <= len(pipe); cut++ {
				_, err := c.Write(pipe[:cut])
				require.NoError(t, err)
				time.Sleep(time.Millisecond) // most likely read apart
				_, err = c.Write(pipe[cut:])
				require.NoError(t, err)
				got := readReplies(t, c, br, 8)
				n := cut + 1
				want := []string{"OK", "\"a\\r\\nb\"", fmt.Sprintf("(integer) %d", n), fmt.Sprintf("(integer) %d", 2*n),
					"\"qA\"", "OK", "QUEUED", fmt.Sprintf("1) (integer) %d", n)}
				require.Equalf(t, want, got, "cut at byte %d of %d", cut, len(pipe))
			}
		})
	}
}

// TestBackpressure: a client that pipelines requests for large replies
// and does not read them holds the loop up for no one else; once it reads,
// it gets every reply, whole and in order.
func TestBackpressure(t *testing.T) {
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			opts := m.opts
			opts.ClientOutputLimit = 64 << 10
			s := startServer(t, opts)
			other := mustDial(t, s)
			big := strings.Repeat("v", 256<<10)
			expect(t, other, "OK", "SET", "big", big)

			// (Its receive buffer is not shrunk: TCP then crawls, whoever serves it.)
			slow := rawConn(t, s)
			const n = 200 // 50 MB of replies
			go func() {
				var b []byte
				for i := range n {
					b = append(b, fmt.Sprintf("*2\r\n$3\r\nGET\r\n$3\r\nbig\r\n*2\r\n$4\r\nINCR\r\n$1\r\ni\r\n*2\r\n$4\r\nECHO\r\n$%d\r\n%d\r\n", len(fmt.Sprint(i)), i)...)
				}
				slow.Write(b) // blocks until the server reads it all
			}()
			// The server stops at the slow client's output limit, and goes
			// on serving others meanwhile.
			time.Sleep(200 * time.Millisecond)
			for range 20 {
				start := time.Now()
				expect(t, other, "PONG", "PING")
				require.Less(t, time.Since(start), time.Second)
			}
			r, err := other.do("GET", "i")
			require.NoError(t, err)
			stopped := r.Kind == engine.ReplyNil || string(r.Bulk) != fmt.Sprint(n)
			assert.True(t, stopped, "all %d requests ran though no reply was read: %s", n, r)

			// Now read: every reply, whole, in order.
			br := bufio.NewReaderSize(slow, 1<<20)
			rc := &rconn{c: slow, br: br}
			for i := range n {
				slow.SetReadDeadline(time.Now().Add(10 * time.Second))
				r, err := rc.read()
				require.NoError(t, err)
				require.Equal(t, len(big), len(r.Bulk), "GET #%d", i)
				r, err = rc.read()
				require.NoError(t, err)
				require.Equal(t, int64(i+1), r.Int, "INCR #%d", i)
				r, err = rc.read()
				require.NoError(t, err)
				require.Equal(t, fmt.Sprint(i), string(r.Bulk), "ECHO #%d", i)
			}
			expect(t, other, fmt.Sprintf("%q", fmt.Sprint(n)), "GET", "i")
		})
	}
}

// TestHandoffMidPipeline: a blocking command in the middle of a pipeline
// moves the connection to a goroutine of its own: the replies before it
// (a large one included) come first, the command blocks until another
// client pushes, and the requests after it run after it, the client's
// state (database, name) kept.
func TestHandoffMidPipeline(t *testing.T) {
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			s := startServer(t, m.opts)
			other := mustDial(t, s)
			expect(t, other, "OK", "SELECT", "2")
			expect(t, other, "OK", "SET", "big", strings.Repeat("b", 1<<20))

			c := rawConn(t, s)
			br := bufio.NewReader(c)
			_, err := io.WriteString(c, "SELECT 2\r\nCLIENT SETNAME blocker\r\n")
			require.NoError(t, err)
			require.Equal(t, []string{"OK", "OK"}, readReplies(t, c, br, 2))
			_, err = io.WriteString(c, "*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\nGET big\r\nBLPOP l 0\r\nGET a\r\nCLIENT GETNAME\r\n")
			require.NoError(t, err)
			got := readReplies(t, c, br, 1)
			require.Equal(t, "OK", got[0])
			c.SetReadDeadline(time.Now().Add(10 * time.Second))
			r, err := (&rconn{c: c, br: br}).read()
			require.NoError(t, err)
			require.Len(t, r.Bulk, 1<<20)
			waitBlocked(t, s, 1)
			list, _ := other.do("CLIENT", "LIST")
			require.Contains(t, string(list.Bulk), "name=blocker")
			require.Regexp(t, `name=blocker .*flags=b `, string(list.Bulk))
			info, _ := other.do("INFO", "clients")
			require.Contains(t, string(info.Bulk), "connected_clients:2\r\n")
			require.Contains(t, string(info.Bulk), "blocked_clients:1\r\n")

			expect(t, other, "(integer) 1", "LPUSH", "l", "x")
			got = readReplies(t, c, br, 3)
			require.Equal(t, []string{"1) \"l\"\n2) \"x\"", "\"1\"", "\"blocker\""}, got)
			// Still served (by its goroutine now), and killable.
			_, err = io.WriteString(c, "PING\r\n")
			require.NoError(t, err)
			require.Equal(t, []string{"PONG"}, readReplies(t, c, br, 1))
			expect(t, other, "(integer) 1", "CLIENT", "KILL", "SKIPME", "yes")
			c.SetReadDeadline(time.Now().Add(5 * time.Second))
			_, err = br.ReadByte()
			require.Error(t, err, "killed client still connected")
			waitClients(t, s, 1)
		})
	}
}

// TestHandoffSubscribe: SUBSCRIBE in the middle of a pipeline: its reply,
// then the requests after it run in pub/sub mode, then messages arrive.
func TestHandoffSubscribe(t *testing.T) {
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			s := startServer(t, m.opts)
			other := mustDial(t, s)
			c := rawConn(t, s)
			br := bufio.NewReader(c)
			_, err := io.WriteString(c, "SET a 1\r\nSUBSCRIBE ch\r\nPING\r\nGET a\r\n")
			require.NoError(t, err)
			got := readReplies(t, c, br, 4)
			require.Equal(t, "OK", got[0])
			require.Equal(t, "1) \"subscribe\"\n2) \"ch\"\n3) (integer) 1", got[1])
			require.Equal(t, "1) \"pong\"\n2) \"\"", got[2])
			require.Contains(t, got[3], "only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed")
			expect(t, other, "(integer) 1", "PUBLISH", "ch", "hello")
			got = readReplies(t, c, br, 1)
			require.Equal(t, "1) \"message\"\n2) \"ch\"\n3) \"hello\"", got[0])
			_, err = io.WriteString(c, "UNSUBSCRIBE\r\nGET a\r\n")
			require.NoError(t, err)
			got = readReplies(t, c, br, 2)
			require.Equal(t, []string{"1) \"unsubscribe\"\n2) \"ch\"\n3) (integer) 0", "\"1\""}, got)
		})
	}
}

// TestDisconnects: clients that go away mid-request, without reading
// their replies, while their output is stalled, or after QUIT in a
// pipeline, leave the server (and the requests after QUIT do not run).
func TestDisconnects(t *testing.T) {
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			opts := m.opts
			opts.ClientOutputLimit = 16 << 10
			s := startServer(t, opts)
			other := mustDial(t, s)
			expect(t, other, "OK", "SET", "big", strings.Repeat("x", 1<<20))

			dialRaw := func() net.Conn {
				c, err := net.Dial("tcp", s.Addr().String())
				require.NoError(t, err)
				return c
			}
			// Half a request, then gone.
			c := dialRaw()
			io.WriteString(c, "*3\r\n$3\r\nSET\r\n$1\r\nh\r\n$10\r\nabc")
			time.Sleep(10 * time.Millisecond)
			c.Close()
			// Requests, then gone without reading.
			c = dialRaw()
			io.WriteString(c, strings.Repeat("GET big\r\n", 50))
			c.Close()
			// Stalled output, then gone (reset).
			c = dialRaw()
			c.(*net.TCPConn).SetReadBuffer(4096)
			io.WriteString(c, strings.Repeat("GET big\r\n", 50))
			time.Sleep(50 * time.Millisecond)
			c.(*net.TCPConn).SetLinger(0)
			c.Close()
			// QUIT mid-pipeline: the replies up to it, then the close.
			c = dialRaw()
			io.WriteString(c, "SET q 1\r\nQUIT\r\nSET q 2\r\n")
			c.SetReadDeadline(time.Now().Add(5 * time.Second))
			out, err := io.ReadAll(c)
			require.NoError(t, err)
			require.Equal(t, "+OK\r\n+OK\r\n", string(out))
			c.Close()
			// A protocol error mid-pipeline: the replies, the error, the close.
			c = dialRaw()
			io.WriteString(c, "PING\r\n*1\r\n$x\r\nPING\r\n")
			c.SetReadDeadline(time.Now().Add(5 * time.Second))
			out, err = io.ReadAll(c)
			require.NoError(t, err)
			require.Equal(t, "+PONG\r\n-ERR Protocol error: invalid bulk length\r\n", string(out))
			c.Close()

			waitClients(t, s, 1)
			expect(t, other, `"1"`, "GET", "q")
			expect(t, other, "(integer) 0", "EXISTS", "h")
			expect(t, other, "PONG", "PING")
		})
	}
}

// openFDs counts this process's open descriptors.
func openFDs(t *testing.T) int {
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skip("no /proc/self/fd")
	}
	return len(ents)
}

// TestNoLeakEventLoop: an event-loop server with clients idle, mid-request,
// with stalled output, handed off (blocked, subscribed), some closed by the
// peer and the rest by the server when Serve's context is cancelled, leaves
// no goroutine and no descriptor behind.
func TestNoLeakEventLoop(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("event loops are Linux's")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0") // the runtime's netpoller is set up
	require.NoError(t, err)
	ln.Close()
	fds := openFDs(t)
	before := runtime.NumGoroutine()
	func() {
		s, err := New(Options{Addr: "127.0.0.1:0", EventLoops: 2, ClientOutputLimit: 16 << 10})
		require.NoError(t, err)
		require.NoError(t, s.Listen())
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		done := make(chan struct{})
		go func() {
			defer close(done)
			s.Serve(ctx)
		}()
		p, err := dial(s.Addr().String())
		require.NoError(t, err)
		defer p.Close()
		expect(t, p, "OK", "SET", "big", strings.Repeat("x", 1<<20))
		s.mu.Lock()
		require.Len(t, s.loops, 2)
		s.mu.Unlock()
		var conns []net.Conn
		for i := range 10 {
			c, err := net.Dial("tcp", s.Addr().String())
			require.NoError(t, err)
			conns = append(conns, c)
			switch i % 5 {
			case 0:
				io.WriteString(c, "PING\r\n")
			case 1:
				io.WriteString(c, "*2\r\n$3\r\nGET\r\n")
			case 2: // 20 MB: more than the sockets hold
				io.WriteString(c, strings.Repeat("GET big\r\n", 20))
			case 3:
				io.WriteString(c, "BLPOP q 0\r\n")
			case 4:
				io.WriteString(c, "SUBSCRIBE ch\r\n")
			}
		}
		waitBlocked(t, s, 2)
		waitClients(t, s, 11)
		for _, c := range conns[:5] { // one of each, closed by the peer
			c.Close()
		}
		waitBlocked(t, s, 1)
		waitClients(t, s, 6)
		cancel() // Serve closes the server
		<-done
		for i, c := range conns[5:] {
			c.SetReadDeadline(time.Now().Add(5 * time.Second))
			_, err := io.Copy(io.Discard, c) // to the end, or a reset
			var ne net.Error
			require.False(t, errors.As(err, &ne) && ne.Timeout(), "the server did not close connection %d", i)
			c.Close()
		}
	}()
	deadline := time.Now().Add(5 * time.Second)
	for (runtime.NumGoroutine() > before || openFDs(t) > fds) && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	require.LessOrEqual(t, openFDs(t), fds, "descriptors left open")
	if n := runtime.NumGoroutine(); n > before {
		buf := make([]byte, 1<<20)
		buf = buf[:runtime.Stack(buf, true)]
		require.Failf(t, "goroutines left", "%d goroutines before, %d after:\n%s", before, n, buf)
	}
}

// BenchmarkPipelined: batches of 16 pipelined commands (as redis-benchmark
// -P 16 sends them) on one connection, per command. The allocs/op are the
// server's (the client allocates nothing). The time is one client's round
// trips in the same process, which favours goroutines (the client's and the
// server's goroutines can share a thread; a loop's thread is woken by the
// kernel); redis-benchmark is the measure of throughput (benchmarks/run.sh).
func BenchmarkPipelined(b *testing.B) {
	for _, m := range modes {
		for _, cmd := range []string{"GET", "SET", "SADD"} { // replies of one size
			b.Run(m.name+"/"+cmd, func(b *testing.B) {
				s := startServer(b, m.opts)
				c, err := net.Dial("tcp", s.Addr().String())
				require.NoError(b, err)
				defer c.Close()
				var batch []byte
				for i := range 16 {
					args := [][]byte{[]byte(cmd), fmt.Appendf(nil, "key:%06d", i)}
					if cmd != "GET" {
						args = append(args, []byte("xxx"))
					}
					batch = append(batch, encodeMultibulk(args)...)
				}
				// The replies' size, from one batch.
				_, err = c.Write(batch)
				require.NoError(b, err)
				br := bufio.NewReader(c)
				rc := &rconn{c: c, br: br}
				for range 16 {
					_, err := rc.read()
					require.NoError(b, err)
				}
				size := 0
				_, err = c.Write(batch)
				require.NoError(b, err)
				buf := make([]byte, 64<<10)
				for range 16 {
					r, err := rc.read()
					require.NoError(b, err)
					size += len(appendReply(nil, r))
				}
				require.Zero(b, br.Buffered())
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i += 16 {
					if _, err := c.Write(batch); err != nil {
						b.Fatal(err)
					}
					if _, err := io.ReadFull(c, buf[:size]); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// TestConcurrentClients: many clients pipelining onto shared keys, spread
// over two loops: every command runs once, every reply reaches its client.
func TestConcurrentClients(t *testing.T) {
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			opts := m.opts
			opts.EventLoops = 2
			s := startServer(t, opts)
			const clients, batches = 20, 30
			errc := make(chan error, clients)
			for i := range clients {
				go func() {
					c, err := net.Dial("tcp", s.Addr().String())
					if err != nil {
						errc <- err
						return
					}
					defer c.Close()
					c.SetDeadline(time.Now().Add(30 * time.Second))
					rc := &rconn{c: c, br: bufio.NewReader(c), bw: bufio.NewWriter(c)}
					for b := range batches {
						for range 8 {
							rc.send([]string{"INCR", "n"})
							rc.send([]string{"RPUSH", "l", fmt.Sprint(i)})
						}
						rc.send([]string{"ECHO", fmt.Sprint(i, "/", b)})
						if err := rc.flush(); err != nil {
							errc <- err
							return
						}
						for k := range 17 {
							r, err := rc.read()
							if err != nil {
								errc <- err
								return
							}
							if k == 16 && string(r.Bulk) != fmt.Sprint(i, "/", b) {
								errc <- fmt.Errorf("client %d batch %d: got %s", i, b, r)
								return
							}
						}
					}
					errc <- nil
				}()
			}
			for range clients {
				require.NoError(t, <-errc)
			}
			c := mustDial(t, s)
			expect(t, c, fmt.Sprintf(`"%d"`, clients*batches*8), "GET", "n")
			expect(t, c, fmt.Sprintf("(integer) %d", clients*batches*8), "LLEN", "l")
		})
	}
}
