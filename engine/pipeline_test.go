package engine_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/jackdawdb/jackdaw/engine"
)

// TestDoPipelineMatchesDo: a pipeline's replies are those of the same
// commands run one by one with Do, whatever mix of commands it holds.
func TestDoPipelineMatchesDo(t *testing.T) {
	script := [][]string{
		{"SET", "{a}1", "x"}, {"APPEND", "{a}1", "y"}, {"GET", "{a}1"}, {"INCR", "{a}2"}, // one shard
		{"RPUSH", "l", "a", "b"}, {"LPOP", "l"}, {"GET", "l"}, // another; WRONGTYPE
		{"NOSUCH", "x"}, {"GET"}, {"SET", "{a}1"}, // errors, with and without a lock held
		{"MSET", "{a}3", "1", "other", "2"}, {"MGET", "{a}1", "other"}, // multi-key
		{"DBSIZE"}, {"KEYS", "{a}*"}, // keyless
		{"BLPOP", "l", "0"}, {"BLPOP", "empty", "0.001"}, // blocking
		{"ZADD", "z", "1", "m"}, {"ZSCORE", "z", "m"}, {"HSET", "h", "f", "v"}, {"HGET", "h", "f"},
		{"SET", "{a}1", "z"}, {"GET", "{a}1"}, {"PING"}, {"ECHO", "hi"},
	}
	var cmds [][][]byte
	for _, c := range script {
		cmds = append(cmds, args(c...))
	}
	one, _ := openDB(t)
	var want []string
	for _, c := range cmds {
		want = append(want, one.Do(context.Background(), c...).String())
	}
	two, _ := openDB(t)
	var got []string
	for _, r := range two.DoPipeline(context.Background(), cmds, nil) {
		got = append(got, r.String())
	}
	require.Equal(t, want, got)
	require.Len(t, got, len(script))
}

// TestDoPipelineConcurrent: pipelines from many goroutines on one hot key
// and a few others lose no write, and serve a blocked client.
func TestDoPipelineConcurrent(t *testing.T) {
	db, _ := openDB(t)
	ctx := context.Background()
	served := goDo(ctx, db, "BLPOP", "hot", "0")
	waitBlocked(t, db, "hot", 1)
	var wg sync.WaitGroup
	const clients, batches, per = 6, 50, 16
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			for b := 0; b < batches; b++ {
				var cmds [][][]byte
				for i := 0; i < per; i++ {
					switch i % 4 {
					case 3:
						cmds = append(cmds, args("INCR", fmt.Sprintf("n%d", c)))
					default:
						cmds = append(cmds, args("RPUSH", "hot", "v"))
					}
				}
				for _, r := range db.DoPipeline(ctx, cmds, nil) {
					require.NotEqual(t, engine.ReplyError, r.Kind, "%s", r)
				}
			}
		}(c)
	}
	wg.Wait()
	require.Equal(t, []string{"hot", "v"}, bulks(t, recv(t, served)))
	requireInt(t, do(db, "LLEN", "hot"), clients*batches*per*3/4-1)
	for c := 0; c < clients; c++ {
		requireBulk(t, do(db, "GET", fmt.Sprintf("n%d", c)), fmt.Sprint(batches*per/4))
	}
}

// TestDoPipelineInTransaction: on a transaction's view, a pipeline is the
// commands one by one, under the transaction's locks.
func TestDoPipelineInTransaction(t *testing.T) {
	db, _ := openDB(t)
	err := db.Update(context.Background(), []string{"a", "b"}, func(tx *engine.DB) error {
		rs := tx.DoPipeline(context.Background(), [][][]byte{args("SET", "a", "1"), args("INCR", "a"), args("GET", "a")}, nil)
		requireBulk(t, rs[2], "2")
		return nil
	})
	require.NoError(t, err)
	requireBulk(t, do(db, "GET", "a"), "2")
}
