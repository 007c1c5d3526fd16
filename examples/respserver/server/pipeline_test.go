package server

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestPipelinedRuns: a pipeline that mixes commands the server runs
// together (single-key engine commands) with everything that breaks a run
// (multi-key, keyless, blocking, server commands, MULTI, CLIENT REPLY,
// SELECT, errors) gets the replies of the same commands sent one by one.
func TestPipelinedRuns(t *testing.T) {
	script := [][]string{
		{"SET", "a", "1"}, {"INCR", "a"}, {"RPUSH", "l", "x", "y"}, {"GET", "a"}, {"LPOP", "l"},
		{"MSET", "b", "2", "c", "3"}, {"GET", "b"}, {"DBSIZE"}, {"GET", "c"},
		{"NOSUCH"}, {"GET"}, {"SET", "a"}, {"GET", "a"},
		{"BLPOP", "l", "0"}, {"BLPOP", "l", "0.01"}, {"RPUSH", "l", "z"},
		{"SELECT", "3"}, {"GET", "a"}, {"SET", "a", "db3"}, {"SELECT", "0"}, {"GET", "a"},
		{"MULTI"}, {"INCR", "a"}, {"GET", "a"}, {"EXEC"}, {"GET", "a"},
		{"CLIENT", "REPLY", "SKIP"}, {"SET", "skipped", "1"}, {"GET", "skipped"},
		{"HSET", "h", "f", "v"}, {"HGET", "h", "f"}, {"ZADD", "z", "1", "m"}, {"ZSCORE", "z", "m"}, {"PING"},
	}
	for i := 0; i < 200; i++ { // a long run on one hot key and a few others
		script = append(script, []string{"RPUSH", "hot", fmt.Sprint(i)}, []string{"INCR", fmt.Sprintf("n%d", i%3)})
	}
	script = append(script, []string{"LLEN", "hot"}, []string{"GET", "n0"})

	one := mustDial(t, startServer(t, Options{}))
	var want []string
	for _, cmd := range script {
		if cmd[0] == "CLIENT" || cmd[0] == "SET" && cmd[1] == "skipped" {
			one.send(cmd) // CLIENT REPLY SKIP and the command it skips: no reply
			require.NoError(t, one.flush())
			continue
		}
		r, err := one.do(cmd...)
		require.NoError(t, err)
		want = append(want, r.String())
	}
	two := mustDial(t, startServer(t, Options{}))
	for _, cmd := range script { // all in one write: one batch for the server
		two.send(cmd)
	}
	require.NoError(t, two.flush())
	var got []string
	for range want {
		two.c.SetReadDeadline(time.Now().Add(10 * time.Second))
		r, err := two.read()
		require.NoError(t, err)
		got = append(got, r.String())
	}
	require.Equal(t, want, got)
}
