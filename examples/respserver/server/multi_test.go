package server

import (
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestMultiExec(t *testing.T) {
	s := startServer(t, Options{})
	c := mustDial(t, s)
	expect(t, c, "(error) ERR EXEC without MULTI", "EXEC")
	expect(t, c, "(error) ERR DISCARD without MULTI", "DISCARD")
	expect(t, c, "OK", "UNWATCH")
	expect(t, c, "OK", "SET", "s", "str")

	expect(t, c, "OK", "MULTI")
	expect(t, c, "(error) ERR MULTI calls can not be nested", "MULTI") // not queued, does not abort
	expect(t, c, "(error) ERR WATCH inside MULTI is not allowed", "WATCH", "k")
	expect(t, c, "QUEUED", "SET", "k", "1")
	expect(t, c, "QUEUED", "INCR", "k")
	expect(t, c, "QUEUED", "LPUSH", "s", "x") // WRONGTYPE at run time: its own reply
	expect(t, c, "QUEUED", "RPUSH", "l", "a", "b")
	expect(t, c, "QUEUED", "BLPOP", "none", "0") // does not block in a transaction
	expect(t, c, "QUEUED", "PING")
	expect(t, c, "QUEUED", "ECHO", "e")
	expect(t, c, "QUEUED", "DBSIZE")
	expect(t, c, "QUEUED", "CLIENT", "SETNAME", "tx")
	expect(t, c, "QUEUED", "TIME")
	expect(t, c, "QUEUED", "GET", "k")
	r, err := c.do("EXEC")
	require.NoError(t, err)
	require.Lenf(t, r.Array, 11, "EXEC: %s", r)
	got := make([]string, len(r.Array))
	for i, e := range r.Array {
		got[i] = e.String()
	}
	require.Equal(t, []string{"OK", "(integer) 2", "(error) WRONGTYPE Operation against a key holding the wrong kind of value",
		"(integer) 2", "(nil array)", "PONG", `"e"`, "(integer) 3", "OK"}, got[:9])
	require.Len(t, r.Array[9].Array, 2, "TIME")
	require.Equal(t, `"2"`, got[10])
	expect(t, c, `"tx"`, "CLIENT", "GETNAME")

	// An empty transaction.
	expect(t, c, "OK", "MULTI")
	expect(t, c, "(empty array)", "EXEC")

	// DISCARD drops the queue.
	expect(t, c, "OK", "MULTI")
	expect(t, c, "QUEUED", "SET", "k", "discarded")
	expect(t, c, "OK", "DISCARD")
	expect(t, c, `"2"`, "GET", "k")
	expect(t, c, "(error) ERR EXEC without MULTI", "EXEC")

	// Queue-time errors abort the whole EXEC.
	for _, bad := range [][]string{{"NOSUCH", "x"}, {"SET", "k"}, {"GET"}, {"SELECT", "1"}, {"MOVE", "k", "1"},
		{"SWAPDB", "0", "1"}, {"FLUSHALL"}, {"COPY", "k", "k2", "DB", "1"}, {"OBJECT", "ENCODING", "k"}, {"ECHO"}} {
		expect(t, c, "OK", "MULTI")
		expect(t, c, "QUEUED", "SET", "k", "aborted")
		r, err := c.do(bad...)
		require.NoError(t, err)
		require.Truef(t, r.IsError(), "%q while queued: %s", bad, r)
		expect(t, c, "QUEUED", "INCR", "k")
		expect(t, c, "(error) EXECABORT Transaction discarded because of previous errors.", "EXEC")
		expect(t, c, `"2"`, "GET", "k")
	}
	expect(t, c, "OK", "MULTI")
	expect(t, c, "(error) ERR 'select' inside MULTI is not supported by this server: a transaction runs on one database", "SELECT", "1")
	expect(t, c, "OK", "DISCARD")

	// CLIENT LIST shows the MULTI (flags=x, multi=<queued>).
	expect(t, c, "OK", "MULTI")
	expect(t, c, "QUEUED", "GET", "k")
	other := mustDial(t, s)
	r, _ = other.do("CLIENT", "LIST")
	require.Contains(t, string(r.Bulk), "name=tx age=")
	line := lineOf(string(r.Bulk), "name=tx ")
	require.Containsf(t, line, " flags=x ", "CLIENT LIST: %s", line)
	require.Containsf(t, line, " multi=1 ", "CLIENT LIST: %s", line)
	expect(t, c, "OK", "DISCARD")

	// COPY without DB and FLUSHDB run in the transaction.
	expect(t, c, "OK", "MULTI")
	expect(t, c, "QUEUED", "COPY", "k", "k2")
	expect(t, c, "QUEUED", "FLUSHDB")
	expect(t, c, "QUEUED", "EXISTS", "k", "k2")
	expect(t, c, "1) (integer) 1\n2) OK\n3) (integer) 0", "EXEC")

	// RESET leaves MULTI.
	expect(t, c, "OK", "MULTI")
	expect(t, c, "QUEUED", "SET", "k", "x")
	expect(t, c, "RESET", "RESET")
	expect(t, c, "(error) ERR EXEC without MULTI", "EXEC")
	expect(t, c, "(integer) 0", "EXISTS", "k")
	expect(t, c, "(nil)", "CLIENT", "GETNAME")

	// QUIT inside MULTI closes the connection.
	expect(t, c, "OK", "MULTI")
	expect(t, c, "OK", "QUIT")
}

func lineOf(list, substr string) string {
	for _, l := range strings.Split(list, "\n") {
		if strings.Contains(l, substr) {
			return l
		}
	}
	return ""
}

func TestWatch(t *testing.T) {
	now := atomic.Int64{}
	now.Store(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano())
	s := startServer(t, Options{DBOptions: engineOptionsWithClock(func() time.Time { return time.Unix(0, now.Load()) })})
	c := mustDial(t, s)
	o := mustDial(t, s)

	// Not broken: EXEC runs.
	expect(t, c, "OK", "WATCH", "k", "other")
	expect(t, c, "OK", "MULTI")
	expect(t, c, "QUEUED", "SET", "k", "1")
	expect(t, c, "1) OK", "EXEC")

	// Broken by a second connection: EXEC replies a null array and runs nothing.
	expect(t, c, "OK", "WATCH", "k")
	expect(t, o, "OK", "SET", "k", "2")
	expect(t, c, "OK", "MULTI")
	expect(t, c, "QUEUED", "SET", "k", "3")
	expect(t, c, "(nil array)", "EXEC")
	expect(t, c, `"2"`, "GET", "k")

	// EXEC unwatched: the next transaction runs.
	expect(t, o, "OK", "SET", "k", "4")
	expect(t, c, "OK", "MULTI")
	expect(t, c, "QUEUED", "SET", "k", "5")
	expect(t, c, "1) OK", "EXEC")

	// A write after MULTI (before EXEC) breaks it too; so does DEL of a
	// watched key that another connection wrote in between.
	expect(t, c, "OK", "WATCH", "k")
	expect(t, c, "OK", "MULTI")
	expect(t, o, "(integer) 1", "DEL", "k")
	expect(t, c, "QUEUED", "SET", "k", "6")
	expect(t, c, "(nil array)", "EXEC")
	expect(t, c, "(integer) 0", "EXISTS", "k")

	// UNWATCH and DISCARD forget the watches.
	expect(t, c, "OK", "WATCH", "k")
	expect(t, o, "OK", "SET", "k", "7")
	expect(t, c, "OK", "UNWATCH")
	expect(t, c, "OK", "MULTI")
	expect(t, c, "QUEUED", "GET", "k")
	expect(t, c, `1) "7"`, "EXEC")
	expect(t, c, "OK", "WATCH", "k")
	expect(t, o, "OK", "SET", "k", "8")
	expect(t, c, "OK", "MULTI")
	expect(t, c, "OK", "DISCARD")
	expect(t, c, "OK", "MULTI")
	expect(t, c, "QUEUED", "GET", "k")
	expect(t, c, `1) "8"`, "EXEC")

	// A watched key that expires breaks the transaction.
	expect(t, c, "OK", "SET", "e", "v", "PX", "1000")
	expect(t, c, "OK", "WATCH", "e")
	now.Add(int64(2 * time.Second))
	expect(t, c, "OK", "MULTI")
	expect(t, c, "QUEUED", "SET", "x", "1")
	expect(t, c, "(nil array)", "EXEC")
	expect(t, c, "(integer) 0", "EXISTS", "x")

	// WATCH in another database, then SELECT: still watched.
	expect(t, c, "OK", "WATCH", "k")
	expect(t, c, "OK", "SELECT", "2")
	expect(t, o, "OK", "SET", "k", "9")
	expect(t, c, "OK", "MULTI")
	expect(t, c, "QUEUED", "SET", "x", "1")
	expect(t, c, "(nil array)", "EXEC")
	expect(t, c, "(integer) 0", "EXISTS", "x")
	expect(t, c, "OK", "SELECT", "0")

	// SWAPDB of a database with watched keys breaks the transaction.
	expect(t, c, "OK", "WATCH", "k")
	expect(t, o, "OK", "SWAPDB", "0", "5")
	expect(t, c, "OK", "MULTI")
	expect(t, c, "QUEUED", "PING")
	expect(t, c, "(nil array)", "EXEC")
	expect(t, o, "OK", "SWAPDB", "0", "5")

	// A queue-time error wins over a broken watch.
	expect(t, c, "OK", "WATCH", "k")
	expect(t, o, "OK", "SET", "k", "10")
	expect(t, c, "OK", "MULTI")
	expect(t, c, "(error) ERR wrong number of arguments for 'get' command", "GET")
	expect(t, c, "(error) EXECABORT Transaction discarded because of previous errors.", "EXEC")

	// RESET unwatches.
	expect(t, c, "OK", "WATCH", "k")
	expect(t, o, "OK", "SET", "k", "11")
	expect(t, c, "RESET", "RESET")
	expect(t, c, "OK", "MULTI")
	expect(t, c, "QUEUED", "GET", "k")
	expect(t, c, `1) "11"`, "EXEC")
}

// TestMultiAtomic: a transaction's writes are seen all or none by readers
// on other connections.
func TestMultiAtomic(t *testing.T) {
	s := startServer(t, Options{})
	c := mustDial(t, s)
	expect(t, c, "OK", "MSET", "a", "0", "b", "0")
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var bad atomic.Int64
	for range 2 {
		r := mustDial(t, s)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				rep, err := r.do("MGET", "a", "b")
				if err != nil {
					return
				}
				if string(rep.Array[0].Bulk) != string(rep.Array[1].Bulk) {
					bad.Add(1)
				}
			}
		}()
	}
	for range 300 {
		_, err := c.pipeline([][]string{{"MULTI"}, {"INCR", "a"}, {"INCR", "b"}, {"EXEC"}})
		require.NoError(t, err)
	}
	close(stop)
	wg.Wait()
	require.Zero(t, bad.Load(), "a reader saw a state between two writes of a transaction")
	expect(t, c, `"300"`, "GET", "b")
}

// TestWatchCAS: the optimistic-locking loop of Redis's documentation,
// from several connections at once, loses no increment.
func TestWatchCAS(t *testing.T) {
	s := startServer(t, Options{})
	const clients, each = 4, 50
	var wg sync.WaitGroup
	var retries atomic.Int64
	for range clients {
		c := mustDial(t, s)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				for {
					c.do("WATCH", "n")
					v, _ := c.do("GET", "n")
					n := 0
					for _, d := range v.Bulk {
						n = n*10 + int(d-'0')
					}
					rs, err := c.pipeline([][]string{{"MULTI"}, {"SET", "n", itoa(n + 1)}, {"EXEC"}})
					if err != nil {
						t.Error(err)
						return
					}
					if len(rs[2].Array) == 1 {
						break
					}
					retries.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	c := mustDial(t, s)
	expect(t, c, `"`+itoa(clients*each)+`"`, "GET", "n")
	t.Logf("retries: %d", retries.Load())
}
