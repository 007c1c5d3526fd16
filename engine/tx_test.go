package engine_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/jackdawdb/jackdaw/engine"
)

func args(words ...string) [][]byte {
	out := make([][]byte, len(words))
	for i, w := range words {
		out[i] = []byte(w)
	}
	return out
}

func TestUpdateCommitsAll(t *testing.T) {
	db, _ := openDB(t)
	ctx := context.Background()
	err := db.Update(ctx, []string{"a", "b", "z"}, func(tx *engine.DB) error {
		require.NoError(t, tx.Set("a", []byte("1")))
		if _, err := tx.IncrBy("b", 5); err != nil {
			return err
		}
		_, err := tx.ZAdd("z", engine.ZAddArgs{}, engine.ZMember{Member: "m", Score: 2})
		return err
	})
	require.NoError(t, err)
	requireBulk(t, do(db, "GET", "a"), "1")
	requireBulk(t, do(db, "GET", "b"), "5")
	requireBulk(t, do(db, "ZSCORE", "z", "m"), "2")
}

func TestUpdateRollsBackOnError(t *testing.T) {
	db, clk := openDB(t)
	ctx := context.Background()
	requireOK(t, do(db, "SET", "s", "old", "PX", "100000"))
	requireInt(t, do(db, "RPUSH", "l", "x", "y"), 2)
	requireInt(t, do(db, "HSET", "h", "f", "v"), 1)
	boom := errors.New("boom")
	err := db.Update(ctx, []string{"s", "l", "h", "new", "{s}x"}, func(tx *engine.DB) error {
		require.NoError(t, tx.Set("s", []byte("changed")))
		_, err := tx.RPush("l", []byte("z"))
		require.NoError(t, err)
		_, err = tx.LPop("l", 5)
		require.NoError(t, err)
		require.Equal(t, 1, tx.Del("h"))
		require.NoError(t, tx.Set("new", []byte("v")))
		_, err = tx.SAdd("{s}x", []byte("m"))
		require.NoError(t, err)
		// A run-time error inside does not stop the closure; its own error does.
		_, err = tx.Incr("s")
		require.ErrorIs(t, err, engine.ErrNotInteger)
		return boom
	})
	require.ErrorIs(t, err, boom)
	requireBulk(t, do(db, "GET", "s"), "old")
	require.Equal(t, []string{"x", "y"}, bulks(t, do(db, "LRANGE", "l", "0", "-1")))
	requireBulk(t, do(db, "HGET", "h", "f"), "v")
	requireInt(t, do(db, "EXISTS", "new", "{s}x"), 0)
	// The TTL came back too.
	requireInt(t, do(db, "PTTL", "s"), 100000)
	clk.Advance(100001 * time.Millisecond)
	requireInt(t, do(db, "EXISTS", "s"), 0)
}

// TestTransactionsFreezeTime: inside Update and Exec every expiry decision
// uses the instant the transaction began, as Redis freezes time for a
// script: a key cannot expire between two reads of one transaction.
func TestTransactionsFreezeTime(t *testing.T) {
	db, clk := openDB(t)
	ctx := context.Background()
	requireOK(t, do(db, "SET", "k", "v", "PX", "10"))
	err := db.Update(ctx, []string{"k"}, func(tx *engine.DB) error {
		start := tx.Now()
		require.Equal(t, 1, tx.Exists("k"))
		clk.Advance(11 * time.Millisecond)
		require.Equal(t, 1, tx.Exists("k"), "expired inside the transaction")
		require.Equal(t, start, tx.Now())
		// A relative TTL counts from the transaction's instant too.
		_, err := tx.Expire("k", 100*time.Millisecond, 0)
		return err
	})
	require.NoError(t, err)
	requireInt(t, do(db, "PTTL", "k"), 89)
	require.Equal(t, clk.Now(), db.Now())

	clk.Advance(89 * time.Millisecond)
	replies, err := db.Exec(ctx, nil, [][][]byte{args("EXISTS", "k")})
	require.NoError(t, err)
	requireInt(t, replies[0], 1)
	clk.Advance(time.Millisecond)
	requireInt(t, do(db, "EXISTS", "k"), 0)
}

func TestUpdateUndeclaredKey(t *testing.T) {
	db, _ := openDB(t)
	ctx := context.Background()
	requireOK(t, do(db, "SET", "a", "1"))
	err := db.Update(ctx, []string{"a"}, func(tx *engine.DB) error {
		require.NoError(t, tx.Set("a", []byte("2")))
		_, _, err := tx.Get("not-declared")
		return err
	})
	require.ErrorIs(t, err, engine.ErrUndeclaredKey)
	require.ErrorContains(t, err, "not-declared")
	requireBulk(t, do(db, "GET", "a"), "1") // rolled back

	// Methods that visit every shard are refused, even with all keys declared.
	err = db.Update(ctx, []string{"a"}, func(tx *engine.DB) error {
		tx.DBSize()
		return nil
	})
	require.ErrorIs(t, err, engine.ErrUndeclaredKey)

	// Do inside Update checks keys the same way.
	err = db.Update(ctx, []string{"a"}, func(tx *engine.DB) error {
		if r := tx.DoStrings(ctx, "SET", "a", "3"); r.Kind == engine.ReplyError {
			return r.Err
		}
		tx.DoStrings(ctx, "RENAME", "a", "b")
		return nil
	})
	require.ErrorIs(t, err, engine.ErrUndeclaredKey)
	requireBulk(t, do(db, "GET", "a"), "1")

	// And the DB is not left locked.
	requireOK(t, do(db, "SET", "b", "x"))
}

func TestUpdateMisuse(t *testing.T) {
	db, _ := openDB(t)
	ctx := context.Background()
	err := db.Update(ctx, []string{"a"}, func(tx *engine.DB) error {
		require.ErrorIs(t, tx.Close(), engine.ErrInTx)
		require.ErrorIs(t, tx.Update(ctx, []string{"a"}, func(*engine.DB) error { return nil }), engine.ErrInTx)
		_, err := tx.Exec(ctx, nil, nil)
		require.ErrorIs(t, err, engine.ErrInTx)
		// A blocking call cannot wait inside a transaction.
		_, _, err = tx.BLPop(ctx, "a")
		require.ErrorIs(t, err, engine.ErrWouldBlock)
		return nil
	})
	require.NoError(t, err)

	cctx, cancel := context.WithCancel(ctx)
	cancel()
	require.ErrorIs(t, db.Update(cctx, []string{"a"}, func(*engine.DB) error { return nil }), context.Canceled)
	require.ErrorIs(t, db.Update(ctx, []string{string(make([]byte, engine.MaxKeyLen+1))}, func(*engine.DB) error { return nil }), engine.ErrKeyTooLong)
}

func TestUpdatePanicRollsBackAndUnlocks(t *testing.T) {
	db, _ := openDB(t)
	requireOK(t, do(db, "SET", "a", "1"))
	require.PanicsWithValue(t, "user bug", func() {
		_ = db.Update(context.Background(), []string{"a"}, func(tx *engine.DB) error {
			require.NoError(t, tx.Set("a", []byte("2")))
			panic("user bug")
		})
	})
	requireBulk(t, do(db, "GET", "a"), "1")
}

// TestUpdateIsAtomic: concurrent transfers between accounts on different
// shards keep the total constant, and no reader ever sees a state between
// the two writes of a transfer.
func TestUpdateIsAtomic(t *testing.T) {
	db, _ := openDB(t)
	ctx := context.Background()
	const accounts, each = 8, 1000
	keys := make([]string, accounts)
	for i := range keys {
		keys[i] = fmt.Sprintf("acct%d", i)
		requireOK(t, do(db, "SET", keys[i], fmt.Sprint(each)))
	}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	var bad []string
	var badMu sync.Mutex
	wg.Add(1)
	go func() { // reader: MGET is atomic across shards, so the sum must hold
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			sum := int64(0)
			for _, v := range db.MGet(keys...) {
				var n int64
				fmt.Sscan(string(v), &n)
				sum += n
			}
			if sum != accounts*each {
				badMu.Lock()
				bad = append(bad, fmt.Sprint(sum))
				badMu.Unlock()
			}
		}
	}()
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < 300; i++ {
				from, to := keys[(w+i)%accounts], keys[(w+3*i+1)%accounts]
				if from == to {
					continue
				}
				err := db.Update(ctx, []string{from, to}, func(tx *engine.DB) error {
					n, err := tx.DecrBy(from, 7)
					if err != nil {
						return err
					}
					if n < 0 {
						return errors.New("insufficient") // rolled back: the DECRBY disappears
					}
					_, err = tx.IncrBy(to, 7)
					return err
				})
				if err != nil && err.Error() != "insufficient" {
					t.Error(err)
				}
			}
		}(w)
	}
	time.Sleep(50 * time.Millisecond)
	close(stop)
	wg.Wait()
	require.Empty(t, bad, "a reader saw a half-applied transfer")
	sum := int64(0)
	for _, v := range db.MGet(keys...) {
		var n int64
		fmt.Sscan(string(v), &n)
		require.GreaterOrEqual(t, n, int64(0))
		sum += n
	}
	require.Equal(t, int64(accounts*each), sum)
}

func TestExecRunsAllAtOnce(t *testing.T) {
	db, _ := openDB(t)
	ctx := context.Background()
	requireOK(t, do(db, "SET", "str", "x"))
	replies, err := db.Exec(ctx, nil, [][][]byte{
		args("SET", "a", "1"),
		args("INCR", "a"),
		args("LPUSH", "str", "v"), // run-time error: the rest still runs
		args("RPUSH", "l", "p", "q"),
		args("KEYS", "*"), // keyless: Exec locks every shard
		args("LMPOP", "2", "nothing", "l", "LEFT"),
		args("BLPOP", "empty", "0"), // does not block inside a transaction
		args("DBSIZE"),
	})
	require.NoError(t, err)
	require.Len(t, replies, 8)
	requireOK(t, replies[0])
	requireInt(t, replies[1], 2)
	requireErr(t, replies[2], engine.ErrWrongType.Error())
	requireInt(t, replies[3], 2)
	require.ElementsMatch(t, []string{"a", "str", "l"}, bulks(t, replies[4]))
	require.Equal(t, engine.ReplyArray, replies[5].Kind)
	require.Equal(t, engine.ReplyNilArray, replies[6].Kind)
	requireInt(t, replies[7], 3)
	requireBulk(t, do(db, "GET", "a"), "2")

	// A queued error aborts everything.
	_, err = db.Exec(ctx, nil, [][][]byte{args("SET", "a", "9"), args("NOSUCH")})
	require.ErrorIs(t, err, engine.ErrExecAbort)
	_, err = db.Exec(ctx, nil, [][][]byte{args("KEYS", "*"), args("SET", "a", "9"), args("GET")})
	require.ErrorIs(t, err, engine.ErrExecAbort)
	requireBulk(t, do(db, "GET", "a"), "2")
	r, ok := engine.ValidateCommand(args("GET"))
	require.False(t, ok)
	requireErr(t, r, "ERR wrong number of arguments for 'get' command")
	r, ok = engine.ValidateCommand(args("nope", "x"))
	require.False(t, ok)
	requireErr(t, r, "ERR unknown command 'nope', with args beginning with: 'x' ")
	_, ok = engine.ValidateCommand(args("get", "x"))
	require.True(t, ok)
}

func TestWatch(t *testing.T) {
	db, clk := openDB(t)
	ctx := context.Background()
	exec := func(ws []engine.Watch) error {
		_, err := db.Exec(ctx, ws, [][][]byte{args("SET", "out", "ran")})
		return err
	}
	requireOK(t, do(db, "SET", "k", "1"))

	// Untouched: EXEC runs.
	require.NoError(t, exec(db.Watch("k", "absent")))

	// Each way a key can change breaks the watch.
	changes := map[string]func(){
		"write":        func() { do(db, "SET", "k", "2") },
		"delete":       func() { do(db, "DEL", "k") },
		"create":       func() { do(db, "SET", "absent", "now") },
		"expire set":   func() { do(db, "EXPIRE", "k", "100") },
		"flush":        func() { do(db, "FLUSHALL") },
		"aggregate":    func() { do(db, "RPUSH", "absent", "x") },
		"rename onto":  func() { do(db, "SET", "src", "v"); do(db, "RENAME", "src", "k") },
		"in other txn": func() { _, _ = db.Exec(ctx, nil, [][][]byte{args("APPEND", "k", "z")}) },
	}
	for name, change := range changes {
		t.Run(name, func(t *testing.T) {
			do(db, "DEL", "k", "absent")
			requireOK(t, do(db, "SET", "k", "1"))
			ws := db.Watch("k", "absent")
			change()
			require.ErrorIs(t, exec(ws), engine.ErrWatchedKeyChanged)
		})
	}

	// An aggregate changed in place breaks it; a write that changes
	// nothing (a failed WRONGTYPE) does not.
	requireInt(t, do(db, "RPUSH", "list", "a"), 1)
	ws := db.Watch("list", "k")
	requireErr(t, do(db, "INCR", "list"), engine.ErrWrongType.Error())
	require.NoError(t, exec(ws))
	ws = db.Watch("list")
	requireOK(t, do(db, "LSET", "list", "0", "b"))
	require.ErrorIs(t, exec(ws), engine.ErrWatchedKeyChanged)

	// Expiry: a watched key whose TTL passes breaks the watch even if
	// nobody touches it.
	do(db, "DEL", "k")
	requireOK(t, do(db, "SET", "k", "1", "PX", "50"))
	ws = db.Watch("k")
	clk.Advance(51 * time.Millisecond)
	require.ErrorIs(t, exec(ws), engine.ErrWatchedKeyChanged)

	// A watch on another DB is honoured too.
	other, _ := openDB(t)
	requireOK(t, do(other, "SET", "k", "1"))
	ws = other.Watch("k")
	require.NoError(t, exec(ws))
	ws = other.Watch("k")
	requireOK(t, do(other, "SET", "k", "2"))
	require.ErrorIs(t, exec(ws), engine.ErrWatchedKeyChanged)
}

// TestWatchNoFalseNegatives: with writers hammering many keys, every EXEC
// whose watched key was written between WATCH and EXEC fails.
func TestWatchNoFalseNegatives(t *testing.T) {
	db, _ := openDB(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	for w := 0; w < 3; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				key := fmt.Sprintf("k%d", (i*7+w)%20)
				ws := db.Watch(key)
				v, _, _ := db.Get(key)
				var n int
				fmt.Sscan(string(v), &n)
				// Optimistic increment: it only lands if nobody wrote the key.
				for {
					_, err := db.Exec(ctx, ws, [][][]byte{args("SET", key, fmt.Sprint(n+1))})
					if err == nil {
						break
					}
					require.ErrorIs(t, err, engine.ErrWatchedKeyChanged)
					ws = db.Watch(key)
					v, _, _ = db.Get(key)
					n = 0
					fmt.Sscan(string(v), &n)
				}
			}
		}(w)
	}
	wg.Wait()
	total := 0
	for i := 0; i < 20; i++ {
		v, _, _ := db.Get(fmt.Sprintf("k%d", i))
		var n int
		fmt.Sscan(string(v), &n)
		total += n
	}
	require.Equal(t, 3*200, total, "a lost update means a watch missed a write")
}
