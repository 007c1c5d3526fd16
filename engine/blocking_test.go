package engine_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/jackdawdb/jackdaw/engine"
)

// waitBlocked waits until n clients are blocked on key.
func waitBlocked(t *testing.T, db *engine.DB, key string, n int) {
	t.Helper()
	require.Eventually(t, func() bool { return engine.BlockedForTest(db, key) == n },
		5*time.Second, time.Millisecond, "blocked on %s: %d, want %d", key, engine.BlockedForTest(db, key), n)
}

// goDo runs a command on its own goroutine and returns its reply channel.
func goDo(ctx context.Context, db *engine.DB, words ...string) <-chan engine.Reply {
	ch := make(chan engine.Reply, 1)
	go func() { ch <- db.DoStrings(ctx, words...) }()
	return ch
}

func recv(t *testing.T, ch <-chan engine.Reply) engine.Reply {
	t.Helper()
	select {
	case r := <-ch:
		return r
	case <-time.After(5 * time.Second):
		t.Fatal("no reply")
	}
	return engine.Reply{}
}

func TestBlockingServedAtOnce(t *testing.T) {
	db, _ := openDB(t)
	requireInt(t, do(db, "RPUSH", "l", "a", "b", "c", "d", "e"), 5)
	requireInt(t, do(db, "ZADD", "z", "1", "m1", "2", "m2", "3", "m3", "4", "m4"), 4)

	require.Equal(t, []string{"l", "a"}, bulks(t, do(db, "BLPOP", "none", "l", "0")))
	require.Equal(t, []string{"l", "e"}, bulks(t, do(db, "BRPOP", "l", "0")))
	requireBulk(t, do(db, "BRPOPLPUSH", "l", "dst", "0"), "d")
	requireBulk(t, do(db, "BLMOVE", "l", "dst", "LEFT", "RIGHT", "0"), "b")
	r := do(db, "BLMPOP", "0", "2", "none", "l", "LEFT", "COUNT", "5")
	require.Equal(t, "l", string(r.Array[0].Bulk))
	require.Equal(t, []string{"c"}, bulks(t, r.Array[1]))
	require.Equal(t, []string{"z", "m1", "1"}, bulks(t, do(db, "BZPOPMIN", "z", "0")))
	require.Equal(t, []string{"z", "m4", "4"}, bulks(t, do(db, "BZPOPMAX", "z", "0")))
	r = do(db, "BZMPOP", "0", "1", "z", "MIN", "COUNT", "2")
	require.Equal(t, "z", string(r.Array[0].Bulk))
	require.Len(t, r.Array[1].Array, 2)
	require.Equal(t, []string{"m2", "2"}, bulks(t, r.Array[1].Array[0]))
	requireInt(t, do(db, "EXISTS", "l", "z"), 0)
	require.Equal(t, []string{"d", "b"}, bulks(t, do(db, "LRANGE", "dst", "0", "-1")))
}

func TestBlockingErrors(t *testing.T) {
	db, _ := openDB(t)
	requireOK(t, do(db, "SET", "s", "x"))
	requireInt(t, do(db, "RPUSH", "l", "a"), 1)
	for _, c := range []struct {
		cmd  []string
		want string
	}{
		{[]string{"BLPOP", "s", "0"}, engine.ErrWrongType.Error()},
		{[]string{"BLPOP", "none", "s", "l", "0"}, engine.ErrWrongType.Error()}, // keys in order: s first
		{[]string{"BZPOPMIN", "l", "0"}, engine.ErrWrongType.Error()},
		{[]string{"BLMOVE", "l", "s", "LEFT", "LEFT", "0"}, engine.ErrWrongType.Error()},
		{[]string{"BLPOP", "l", "x"}, "ERR timeout is not a float or out of range"},
		{[]string{"BLPOP", "l", "nan"}, "ERR timeout is not a float or out of range"},
		{[]string{"BLPOP", "l", "-1"}, "ERR timeout is negative"},
		{[]string{"BLPOP", "l", "1e300"}, "ERR timeout is out of range"},
		{[]string{"BLPOP", "l", "-inf"}, "ERR timeout is negative"},
		{[]string{"BLMOVE", "l", "d", "UP", "LEFT", "0"}, "ERR syntax error"},
		{[]string{"BLMPOP", "0", "0", "l", "LEFT"}, "ERR numkeys should be greater than 0"},
		{[]string{"BLMPOP", "0", "1", "l", "LEFT", "COUNT", "0"}, "ERR count should be greater than 0"},
		{[]string{"BLMPOP", "x", "1", "l", "LEFT"}, "ERR timeout is not a float or out of range"},
		{[]string{"BZMPOP", "0", "2", "l", "MIN"}, "ERR syntax error"},
		{[]string{"BLPOP", "l"}, "ERR wrong number of arguments for 'blpop' command"},
		// BLMPOP and BZMPOP check their timeout after the other arguments.
		{[]string{"BLMPOP", "-1", "2", "a", "b", "RIGHT", "BOGUS"}, "ERR syntax error"},
		{[]string{"BZMPOP", "-1", "1", "a", "MIN"}, "ERR timeout is negative"},
	} {
		requireErr(t, do(db, c.cmd...), c.want)
	}
	// Nothing was popped by the failures.
	requireInt(t, do(db, "LLEN", "l"), 1)
	// -0.0001 rounds up to 0 ms: wait forever, as Redis does; so use data.
	require.Equal(t, []string{"l", "a"}, bulks(t, do(db, "BLPOP", "l", "-0.0001")))
	// A timeout of centuries is accepted (and waits forever).
	requireInt(t, do(db, "RPUSH", "l", "b"), 1)
	require.Equal(t, []string{"l", "b"}, bulks(t, do(db, "BLPOP", "l", "1e10")))
}

func TestBlockingTimeout(t *testing.T) {
	db, _ := openDB(t)
	start := time.Now()
	r := do(db, "BLPOP", "k", "0.05")
	require.Equal(t, engine.ReplyNilArray, r.Kind)
	require.GreaterOrEqual(t, time.Since(start), 50*time.Millisecond)
	// A timed-out client gets a null array, whatever the command (Redis's
	// reply to a timeout), also BLMOVE, whose own empty reply is a null bulk.
	require.Equal(t, engine.ReplyNilArray, do(db, "BLMOVE", "k", "d", "LEFT", "LEFT", "0.01").Kind)
	// Under a millisecond rounds up to one, as Redis does: not forever.
	require.Equal(t, engine.ReplyNilArray, do(db, "BRPOP", "k", "0.0005").Kind)
	require.Equal(t, engine.ReplyNilArray, do(db, "BZMPOP", "0.01", "1", "k", "MIN").Kind)
	require.Equal(t, 0, engine.BlockedForTest(db, "k"), "a timed-out waiter unregisters")
}

func TestBlockingWokenByWrites(t *testing.T) {
	db, _ := openDB(t)
	ctx := context.Background()
	cases := []struct {
		name  string
		block []string
		write func()
		want  []string
	}{
		{"push", []string{"BLPOP", "k", "0"}, func() { do(db, "RPUSH", "k", "v") }, []string{"k", "v"}},
		{"second key", []string{"BRPOP", "a", "k", "0"}, func() { do(db, "LPUSH", "k", "v") }, []string{"k", "v"}},
		{"lmove into", []string{"BLPOP", "k", "0"}, func() { do(db, "RPUSH", "src", "v"); do(db, "LMOVE", "src", "k", "LEFT", "LEFT") }, []string{"k", "v"}},
		{"rename onto", []string{"BLPOP", "k", "0"}, func() { do(db, "RPUSH", "src", "v"); do(db, "RENAME", "src", "k") }, []string{"k", "v"}},
		{"copy onto", []string{"BLPOP", "k", "0"}, func() { do(db, "RPUSH", "src", "v"); do(db, "COPY", "src", "k"); do(db, "DEL", "src") }, []string{"k", "v"}},
		{"zadd", []string{"BZPOPMIN", "k", "0"}, func() { do(db, "ZADD", "k", "5", "m") }, []string{"k", "m", "5"}},
		{"zunionstore", []string{"BZPOPMAX", "k", "0"}, func() { do(db, "ZADD", "src", "1", "m"); do(db, "ZUNIONSTORE", "k", "1", "src"); do(db, "DEL", "src") }, []string{"k", "m", "1"}},
		{"exec", []string{"BLPOP", "k", "0"}, func() {
			_, err := db.Exec(ctx, nil, [][][]byte{args("RPUSH", "k", "v"), args("SET", "other", "x")})
			require.NoError(t, err)
		}, []string{"k", "v"}},
		{"update", []string{"BLPOP", "k", "0"}, func() {
			require.NoError(t, db.Update(ctx, []string{"k"}, func(tx *engine.DB) error {
				_, err := tx.RPush("k", []byte("v"))
				return err
			}))
		}, []string{"k", "v"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			requireOK(t, do(db, "FLUSHALL"))
			ch := goDo(ctx, db, c.block...)
			waitBlocked(t, db, "k", 1)
			c.write()
			require.Equal(t, c.want, bulks(t, recv(t, ch)))
			requireInt(t, do(db, "EXISTS", "k"), 0)
		})
	}
}

// TestBlockingUpdateRollbackServesNobody: a transaction that pushed and then
// failed leaves the waiter blocked and the list absent.
func TestBlockingUpdateRollbackServesNobody(t *testing.T) {
	db, _ := openDB(t)
	ctx, cancel := context.WithCancel(context.Background())
	ch := goDo(ctx, db, "BLPOP", "k", "0")
	waitBlocked(t, db, "k", 1)
	err := db.Update(context.Background(), []string{"k"}, func(tx *engine.DB) error {
		_, err := tx.RPush("k", []byte("v"))
		require.NoError(t, err)
		return errors.New("no")
	})
	require.EqualError(t, err, "no")
	requireInt(t, do(db, "EXISTS", "k"), 0)
	require.Equal(t, 1, engine.BlockedForTest(db, "k"))
	cancel()
	require.Equal(t, engine.ReplyNilArray, recv(t, ch).Kind)
}

func TestBlockingWrongTypeNeverWakes(t *testing.T) {
	db, _ := openDB(t)
	ctx := context.Background()
	lists := goDo(ctx, db, "BLPOP", "k", "0")
	waitBlocked(t, db, "k", 1)
	zsets := goDo(ctx, db, "BZPOPMIN", "k", "0")
	waitBlocked(t, db, "k", 2)
	requireOK(t, do(db, "SET", "k", "string"))
	requireInt(t, do(db, "DEL", "k"), 1)
	requireInt(t, do(db, "ZADD", "k", "1", "m"), 1) // wakes only the sorted-set client
	require.Equal(t, []string{"k", "m", "1"}, bulks(t, recv(t, zsets)))
	select {
	case r := <-lists:
		t.Fatalf("list client woken by a sorted set: %v", r)
	case <-time.After(20 * time.Millisecond):
	}
	requireInt(t, do(db, "RPUSH", "k", "v"), 1)
	require.Equal(t, []string{"k", "v"}, bulks(t, recv(t, lists)))
}

func TestBlockingFIFO(t *testing.T) {
	db, _ := openDB(t)
	ctx := context.Background()
	var chans []<-chan engine.Reply
	for i := 0; i < 5; i++ {
		chans = append(chans, goDo(ctx, db, "BLPOP", "q", "0"))
		waitBlocked(t, db, "q", i+1)
	}
	// One push of five elements serves all five, in the order they blocked.
	requireInt(t, do(db, "RPUSH", "q", "e0", "e1", "e2", "e3", "e4"), 5)
	for i, ch := range chans {
		require.Equal(t, []string{"q", fmt.Sprintf("e%d", i)}, bulks(t, recv(t, ch)))
	}
	requireInt(t, do(db, "EXISTS", "q"), 0)

	// A BLMPOP with COUNT takes what it can; the next client gets the rest.
	first := goDo(ctx, db, "BLMPOP", "0", "1", "q", "LEFT", "COUNT", "2")
	waitBlocked(t, db, "q", 1)
	second := goDo(ctx, db, "BLPOP", "q", "0")
	waitBlocked(t, db, "q", 2)
	requireInt(t, do(db, "RPUSH", "q", "a", "b", "c"), 3)
	r := recv(t, first)
	require.Equal(t, []string{"a", "b"}, bulks(t, r.Array[1]))
	require.Equal(t, []string{"q", "c"}, bulks(t, recv(t, second)))
}

// TestBlockingMoveChain: a BLMOVE served by a push moves the element into a
// list that another client waits on, which is then served too; the
// destination lives on another shard.
func TestBlockingMoveChain(t *testing.T) {
	db, _ := openDB(t)
	ctx := context.Background()
	mover := goDo(ctx, db, "BLMOVE", "src", "dst", "RIGHT", "LEFT", "0")
	waitBlocked(t, db, "src", 1)
	popper := goDo(ctx, db, "BLPOP", "dst", "0")
	waitBlocked(t, db, "dst", 1)
	requireInt(t, do(db, "LPUSH", "src", "job"), 1)
	requireBulk(t, recv(t, mover), "job")
	require.Equal(t, []string{"dst", "job"}, bulks(t, recv(t, popper)))
	requireInt(t, do(db, "EXISTS", "src", "dst"), 0)

	// A destination of the wrong type leaves the mover blocked, the
	// element where it was.
	requireOK(t, do(db, "SET", "dst", "string"))
	mctx, cancel := context.WithCancel(ctx)
	mover = goDo(mctx, db, "BLMOVE", "src", "dst", "RIGHT", "LEFT", "0")
	waitBlocked(t, db, "src", 1)
	requireInt(t, do(db, "LPUSH", "src", "job"), 1)
	require.Equal(t, 1, engine.BlockedForTest(db, "src"))
	cancel()
	require.Equal(t, engine.ReplyNilArray, recv(t, mover).Kind)
	requireInt(t, do(db, "LLEN", "src"), 1)
}

func TestBlockingCancelLosesNothing(t *testing.T) {
	db, _ := openDB(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, _, err := db.BLPop(ctx, "k")
		done <- err
	}()
	waitBlocked(t, db, "k", 1)
	cancel()
	select {
	case err := <-done:
		require.ErrorIs(t, err, context.Canceled)
	case <-time.After(5 * time.Second):
		t.Fatal("cancel did not return")
	}
	require.Equal(t, 0, engine.BlockedForTest(db, "k"))
	requireInt(t, do(db, "RPUSH", "k", "v"), 1)
	requireInt(t, do(db, "LLEN", "k"), 1) // nobody took it

	// CLIENT UNBLOCK ... ERROR: the cause ErrUnblocked gives Redis's error.
	uctx, ucancel := context.WithCancelCause(context.Background())
	ch := goDo(uctx, db, "BZPOPMIN", "z", "0")
	waitBlocked(t, db, "z", 1)
	ucancel(engine.ErrUnblocked)
	requireErr(t, recv(t, ch), "UNBLOCKED client unblocked via CLIENT UNBLOCK")
}

func TestBlockingTypedAPI(t *testing.T) {
	db, _ := openDB(t)
	ctx := context.Background()
	_, err := db.LPush("l", []byte("a"), []byte("b"))
	require.NoError(t, err)
	key, v, err := db.BRPop(ctx, "l")
	require.NoError(t, err)
	require.Equal(t, "l", key)
	require.Equal(t, "a", string(v))
	v, err = db.BRPopLPush(ctx, "l", "l2")
	require.NoError(t, err)
	require.Equal(t, "b", string(v))
	key, vs, err := db.BLMPop(ctx, []string{"l", "l2"}, engine.Left, 3)
	require.NoError(t, err)
	require.Equal(t, "l2", key)
	require.Equal(t, [][]byte{[]byte("b")}, vs)
	_, _, err = db.BLMPop(ctx, nil, engine.Left, 1)
	require.ErrorIs(t, err, engine.ErrNumKeys)
	_, _, err = db.BZMPop(ctx, []string{"z"}, false, 0)
	require.Error(t, err)

	_, err = db.ZAdd("z", engine.ZAddArgs{}, engine.ZMember{Member: "a", Score: 1}, engine.ZMember{Member: "b", Score: 2})
	require.NoError(t, err)
	key, m, err := db.BZPopMax(ctx, "z")
	require.NoError(t, err)
	require.Equal(t, "z", key)
	require.Equal(t, engine.ZMember{Member: "b", Score: 2}, m)
	key, ms, err := db.BZMPop(ctx, []string{"z"}, false, 5)
	require.NoError(t, err)
	require.Equal(t, []engine.ZMember{{Member: "a", Score: 1}}, ms)

	tctx, cancel := context.WithTimeout(ctx, 10*time.Millisecond)
	defer cancel()
	_, _, err = db.BZPopMin(tctx, "z")
	require.ErrorIs(t, err, context.DeadlineExceeded)
	_, err = db.BLMove(ctx, "l", string(make([]byte, 1<<25)), engine.Left, engine.Left)
	require.ErrorIs(t, err, engine.ErrKeyTooLong)
}

func TestBlockingReleasedByClose(t *testing.T) {
	db, err := engine.Open(engine.Options{})
	require.NoError(t, err)
	done := make(chan error, 2)
	go func() { _, _, err := db.BLPop(context.Background(), "k"); done <- err }()
	go func() { _, err := db.BLMove(context.Background(), "a", "b", engine.Left, engine.Left); done <- err }()
	waitBlocked(t, db, "k", 1)
	waitBlocked(t, db, "a", 1)
	require.NoError(t, db.Close())
	for i := 0; i < 2; i++ {
		select {
		case err := <-done:
			require.ErrorIs(t, err, engine.ErrClosed)
		case <-time.After(5 * time.Second):
			t.Fatal("Close did not release a blocked call")
		}
	}
}

// TestBlockingStress: producers push to a few overlapping keys while
// consumers block on random subsets of them, some with contexts that are
// cancelled at random. Every element pushed is received exactly once or is
// still in a list at the end: none lost, none twice, no consumer left
// waiting while an element sits in a key it waits on.
func TestBlockingStress(t *testing.T) {
	db, err := engine.Open(engine.Options{Shards: 4, ExpireInterval: -1})
	require.NoError(t, err)
	defer db.Close()
	// require.Eventually runs its condition on a goroutine of its own, so
	// the baseline is measured the same way.
	before := 0
	require.Eventually(t, func() bool { before = runtime.NumGoroutine(); return true }, time.Second, time.Millisecond)
	keys := []string{"q0", "q1", "q2", "{q0}x", "q3"}
	const producers, perProducer, consumers = 4, 500, 6
	var received sync.Map // element -> count
	var got atomic.Int64
	ctx, stop := context.WithCancel(context.Background())
	var cwg sync.WaitGroup
	for c := 0; c < consumers; c++ {
		cwg.Add(1)
		go func(c int) {
			defer cwg.Done()
			rng := rand.New(rand.NewPCG(uint64(c), 7))
			for ctx.Err() == nil {
				ks := []string{keys[rng.IntN(len(keys))], keys[rng.IntN(len(keys))]}
				cctx, cancel := context.WithTimeout(ctx, time.Duration(rng.IntN(3000))*time.Microsecond)
				var vals [][]byte
				switch rng.IntN(3) {
				case 0:
					_, v, err := db.BLPop(cctx, ks...)
					if err == nil {
						vals = [][]byte{v}
					}
				case 1:
					_, vs, err := db.BLMPop(cctx, ks, engine.Right, 3)
					if err == nil {
						vals = vs
					}
				default: // move to a hand-off list, then pop it ourselves
					dst := fmt.Sprintf("{q%d}hand%d", c%4, c)
					v, err := db.BLMove(cctx, ks[0], dst, engine.Left, engine.Right)
					if err == nil {
						vs, err := db.RPop(dst, 1)
						if err != nil || len(vs) != 1 || string(vs[0]) != string(v) {
							t.Errorf("hand-off list: %q %v, moved %q", vs, err, v)
						}
						vals = [][]byte{v}
					}
				}
				cancel()
				for _, v := range vals {
					n, _ := received.LoadOrStore(string(v), new(atomic.Int32))
					n.(*atomic.Int32).Add(1)
					got.Add(1)
				}
			}
		}(c)
	}
	var pwg sync.WaitGroup
	for p := 0; p < producers; p++ {
		pwg.Add(1)
		go func(p int) {
			defer pwg.Done()
			rng := rand.New(rand.NewPCG(uint64(p), 11))
			for i := 0; i < perProducer; i++ {
				v := []byte(fmt.Sprintf("p%d-%d", p, i))
				var err error
				if rng.IntN(2) == 0 {
					_, err = db.RPush(keys[rng.IntN(len(keys))], v)
				} else {
					_, err = db.Exec(context.Background(), nil, [][][]byte{{[]byte("LPUSH"), []byte(keys[rng.IntN(len(keys))]), v}})
				}
				require.NoError(t, err)
			}
		}(p)
	}
	pwg.Wait()
	// Let consumers drain what is left, then stop them.
	require.Eventually(t, func() bool {
		n := 0
		for _, k := range keys {
			l, _ := db.LLen(k)
			n += l
		}
		return n == 0
	}, 10*time.Second, time.Millisecond, "elements left that no blocked consumer took")
	stop()
	cwg.Wait()
	require.Equal(t, int64(producers*perProducer), got.Load())
	received.Range(func(k, v any) bool {
		require.Equal(t, int32(1), v.(*atomic.Int32).Load(), "element %s received twice", k)
		return true
	})
	for _, k := range keys {
		require.Equal(t, 0, engine.BlockedForTest(db, k), "waiter left on %s", k)
	}
	require.Eventually(t, func() bool { return runtime.NumGoroutine() <= before }, 5*time.Second, time.Millisecond,
		"goroutines: before %d, now %d", before, runtime.NumGoroutine())
}

// TestBlockingMoveChainAcrossShards: serving BLMOVEs into destinations on
// two other shards (the server relocks between them) still wakes a client
// waiting on the first destination.
func TestBlockingMoveChainAcrossShards(t *testing.T) {
	db, _ := openDB(t)
	ctx := context.Background()
	// src, dstJ and dstK on three different shards.
	names := []string{"src"}
	for i := 0; len(names) < 3; i++ {
		n := fmt.Sprintf("dst%d", i)
		ok := true
		for _, m := range names {
			ok = ok && engine.ShardOfForTest(db, n) != engine.ShardOfForTest(db, m)
		}
		if ok {
			names = append(names, n)
		}
	}
	src, dstJ, dstK := names[0], names[1], names[2]
	a := goDo(ctx, db, "BLMOVE", src, dstJ, "LEFT", "LEFT", "0")
	waitBlocked(t, db, src, 1)
	b := goDo(ctx, db, "BLMOVE", src, dstK, "LEFT", "LEFT", "0")
	waitBlocked(t, db, src, 2)
	c := goDo(ctx, db, "BLPOP", dstJ, "0")
	waitBlocked(t, db, dstJ, 1)
	requireInt(t, do(db, "RPUSH", src, "one", "two"), 2)
	requireBulk(t, recv(t, a), "one")
	requireBulk(t, recv(t, b), "two")
	require.Equal(t, []string{dstJ, "one"}, bulks(t, recv(t, c)))
	requireInt(t, do(db, "LLEN", dstK), 1)
}
