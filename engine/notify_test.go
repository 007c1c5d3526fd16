package engine_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/jackdawdb/jackdaw/engine"
)

// openNotify opens a DB (fake clock, no background expiry) with the given
// notify-keyspace-events, subscribed to every key event of DB 0.
func openNotify(t *testing.T, flags string) (*engine.DB, *fakeClock, *engine.Subscription) {
	t.Helper()
	clk := newFakeClock()
	db, err := engine.Open(engine.Options{Clock: clk.Now, ExpireInterval: -1, NotifyKeyspaceEvents: flags})
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	s := db.PubSub().NewSubscription(0)
	t.Cleanup(s.Close)
	s.PSubscribe("__keyevent@0__:*")
	return db, clk, s
}

// events drains what s has received (publishing is synchronous), as
// "event key" from __keyevent@N__ channels and "key: event" from
// __keyspace@N__ channels.
func events(t *testing.T, s *engine.Subscription) []string {
	t.Helper()
	out := []string{}
	for {
		select {
		case m, ok := <-s.C():
			require.True(t, ok, "subscription closed: %v", s.Err())
			if ev, ok := strings.CutPrefix(m.Channel, "__keyevent@0__:"); ok {
				out = append(out, ev+" "+string(m.Payload))
			} else {
				out = append(out, m.Channel+" "+string(m.Payload))
			}
		default:
			return out
		}
	}
}

// notifySteps runs commands through Do and checks the events each fired.
type notifyStep struct {
	cmd    string // space-separated
	events []string
}

func runNotifySteps(t *testing.T, db *engine.DB, s *engine.Subscription, steps []notifyStep) {
	t.Helper()
	for _, st := range steps {
		r := do(db, strings.Fields(st.cmd)...)
		require.False(t, r.IsError() && !strings.HasPrefix(st.cmd, "!"), "%s: %s", st.cmd, r)
		want := st.events
		if want == nil {
			want = []string{}
		}
		require.Equal(t, want, events(t, s), st.cmd)
	}
}

func TestNotifyStrings(t *testing.T) {
	db, clk, s := openNotify(t, "KEA")
	runNotifySteps(t, db, s, []notifyStep{
		{"SET k v", []string{"set k"}},
		{"SET k v NX", nil},
		{"SET missing v XX", nil},
		{"SET k v2 XX GET", []string{"set k"}},
		{"SET k v EX 100", []string{"set k", "expire k"}},
		{"SET k v KEEPTTL", []string{"set k"}},
		{"SETEX k2 10 v", []string{"set k2", "expire k2"}},
		{"PSETEX k2 10000 v", []string{"set k2", "expire k2"}},
		{"SETNX k v", nil},
		{"SETNX k3 v", []string{"set k3"}},
		{"GETSET k3 w", []string{"set k3"}},
		{"MSET a 1 b 2", []string{"set a", "set b"}},
		{"MSETNX a 1 c 3", nil},
		{"MSETNX c 3 d 4", []string{"set c", "set d"}},
		{"INCR n", []string{"incrby n"}},
		{"DECR n", []string{"incrby n"}},
		{"INCRBY n 5", []string{"incrby n"}},
		{"DECRBY n 5", []string{"incrby n"}},
		{"INCRBYFLOAT f 1.5", []string{"incrbyfloat f"}},
		{"APPEND ap x", []string{"append ap"}},
		{"APPEND ap y", []string{"append ap"}},
		{"SETRANGE sr 2 x", []string{"setrange sr"}},
		{"GET k", nil},
		{"GETDEL k3", []string{"del k3"}},
		{"GETDEL k3", nil},
		{"GETEX a", nil},
		{"GETEX a EX 100", []string{"expire a"}},
		{"GETEX a PERSIST", []string{"persist a"}},
		{"GETEX a PERSIST", nil},
		{"GETEX a PXAT 1", []string{"del a"}},
		{"STRLEN b", nil},
	})
	_, err := db.SetRange("sr", 0, nil) // nothing written: no event
	require.NoError(t, err)
	// Errors fire nothing.
	requireErr(t, do(db, "INCR", "ap"), "ERR value is not an integer or out of range")
	require.Empty(t, events(t, s))

	// SET with a time already past: Redis sets, sets the expiry, and fires
	// "expired" when the key is next touched; jackdaw deletes at once.
	requireOK(t, do(db, "SET", "old", "v", "PXAT", fmt.Sprint(clk.Ms()-1)))
	require.Equal(t, []string{"set old", "expire old", "expired old"}, events(t, s))

	// The typed API fires the same events.
	require.NoError(t, db.Set("t", []byte("1")))
	_, err = db.IncrBy("t", 2)
	require.NoError(t, err)
	_, err = db.Append("t", []byte("0"))
	require.NoError(t, err)
	require.Equal(t, []string{"set t", "incrby t", "append t"}, events(t, s))
}

func TestNotifyKeys(t *testing.T) {
	db, clk, s := openNotify(t, "KEA")
	requireOK(t, do(db, "MSET", "a", "1", "b", "2", "c", "3"))
	events(t, s)
	runNotifySteps(t, db, s, []notifyStep{
		{"DEL a nope b", []string{"del a", "del b"}},
		{"DEL a", nil},
		{"UNLINK c", []string{"del c"}},
		{"SET x 1", []string{"set x"}},
		{"RENAME x y", []string{"rename_from x", "rename_to y"}},
		{"RENAME y y", nil},
		{"SET z 1", []string{"set z"}},
		{"RENAMENX y z", nil},
		{"RENAMENX y w", []string{"rename_from y", "rename_to w"}},
		{"COPY w v", []string{"copy_to v"}},
		{"COPY w v", nil},
		{"COPY w v REPLACE", []string{"copy_to v"}},
		{"EXPIRE v 100", []string{"expire v"}},
		{"EXPIRE v 100 NX", nil},
		{"PEXPIRE v 100000 GT", nil},
		{"PEXPIRE v 200000 GT", []string{"expire v"}},
		{"EXPIREAT v 99999999999", []string{"expire v"}},
		{"PERSIST v", []string{"persist v"}},
		{"PERSIST v", nil},
		{"EXPIRE nope 10", nil},
		{"EXPIRE v 0", []string{"del v"}},
		{"PEXPIREAT w 1", []string{"del w"}},
		{"EXISTS z", nil},
		{"TYPE z", nil},
		{"FLUSHALL", nil}, // Redis fires no key events for a flush
	})

	// MOVE and COPY ... DB between DBs sharing a hub: the events go to each
	// DB's own channels.
	db1, err := engine.Open(engine.Options{PubSub: db.PubSub(), Index: 1, Clock: clk.Now,
		ExpireInterval: -1, NotifyKeyspaceEvents: "KEA"})
	require.NoError(t, err)
	defer db1.Close()
	s.PSubscribe("__keyevent@1__:*")
	require.NoError(t, db.Set("m", []byte("v")))
	events(t, s)
	ok, err := engine.Move(db, db1, "m")
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, []string{"move_from m", "__keyevent@1__:move_to m"}, events(t, s))
	ok, err = engine.Move(db, db1, "m")
	require.NoError(t, err)
	require.False(t, ok)
	ok, err = engine.CopyTo(db1, db, "m", "m2", false)
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, []string{"copy_to m2"}, events(t, s))
}

func TestNotifyLists(t *testing.T) {
	db, _, s := openNotify(t, "KEA")
	runNotifySteps(t, db, s, []notifyStep{
		{"LPUSH l a b", []string{"lpush l"}},
		{"RPUSH l c", []string{"rpush l"}},
		{"LPUSHX nope a", nil},
		{"RPUSHX l d", []string{"rpush l"}},
		{"LINSERT l BEFORE c x", []string{"linsert l"}},
		{"LINSERT l BEFORE nope x", nil},
		{"LSET l 0 y", []string{"lset l"}},
		{"LREM l 0 nope", nil},
		{"LREM l 1 x", []string{"lrem l"}},
		{"LTRIM l 0 -1", []string{"ltrim l"}}, // Redis fires it even when nothing goes
		{"LPOP l", []string{"lpop l"}},
		{"RPOP l 1", []string{"rpop l"}},
		{"LPOP l 0", nil},
		{"LPOP nope", nil},
		{"LMOVE l l2 LEFT RIGHT", []string{"rpush l2", "lpop l"}},
		{"LMOVE l2 l2 LEFT LEFT", []string{"lpush l2", "lpop l2"}},
		{"RPOPLPUSH l l2", []string{"lpush l2", "rpop l", "del l"}},
		{"LMPOP 2 nope l2 RIGHT COUNT 5", []string{"rpop l2", "del l2"}},
		{"RPUSH t a b c", []string{"rpush t"}},
		{"LTRIM t 5 6", []string{"ltrim t", "del t"}},
		{"RPUSH t a", []string{"rpush t"}},
		{"LREM t 0 a", []string{"lrem t", "del t"}},
		{"LRANGE t 0 -1", nil},
		{"LLEN t", nil},
	})
}

func TestNotifyBlockingPops(t *testing.T) {
	db, _, s := openNotify(t, "KEA")
	_, err := db.RPush("q", []byte("1"), []byte("2"))
	require.NoError(t, err)
	events(t, s)
	r := do(db, "BLPOP", "q", "0")
	require.Equal(t, []string{"q", "1"}, bulks(t, r))
	require.Equal(t, []string{"lpop q"}, events(t, s))
	requireBulk(t, do(db, "BLMOVE", "q", "q2", "LEFT", "LEFT", "0"), "2")
	require.Equal(t, []string{"lpush q2", "lpop q", "del q"}, events(t, s))

	// A client that blocked is served by a push: the push's event, then
	// the pop's.
	done := goDo(context.Background(), db, "BRPOP", "w", "0")
	waitBlocked(t, db, "w", 1)
	_, err = db.LPush("w", []byte("x"))
	require.NoError(t, err)
	select {
	case r := <-done:
		require.Equal(t, []string{"w", "x"}, bulks(t, r))
	case <-time.After(5 * time.Second):
		t.Fatal("BRPOP not served")
	}
	require.Equal(t, []string{"lpush w", "rpop w", "del w"}, events(t, s))
}

func TestNotifyHashes(t *testing.T) {
	db, _, s := openNotify(t, "KEA")
	runNotifySteps(t, db, s, []notifyStep{
		{"HSET h a 1 b 2", []string{"hset h"}},
		{"HSET h a 1", []string{"hset h"}}, // Redis fires even when nothing changed
		{"HMSET h c 3", []string{"hset h"}},
		{"HSETNX h a 9", nil},
		{"HSETNX h d 4", []string{"hset h"}},
		{"HINCRBY h n 2", []string{"hincrby h"}},
		{"HINCRBYFLOAT h f 1.5", []string{"hincrbyfloat h"}},
		{"HDEL h nope", nil},
		{"HDEL h a b", []string{"hdel h"}},
		{"HGET h c", nil},
		{"HGETALL h", nil},
		{"HDEL h c d n f", []string{"hdel h", "del h"}},
		{"HDEL h c", nil},
	})
	requireErr(t, do(db, "HINCRBY", "x", "f", "notanumber"), "ERR value is not an integer or out of range")
	require.Empty(t, events(t, s))
}

func TestNotifySets(t *testing.T) {
	db, _, s := openNotify(t, "KEA")
	runNotifySteps(t, db, s, []notifyStep{
		{"SADD s a b c", []string{"sadd s"}},
		{"SADD s a", nil},
		{"SREM s nope", nil},
		{"SREM s a", []string{"srem s"}},
		{"SMOVE s d b", []string{"srem s", "sadd d"}},
		{"SMOVE s d nope", nil},
		{"SMOVE d d b", nil},
		{"SADD d c", []string{"sadd d"}},
		{"SMOVE s d c", []string{"srem s", "del s"}}, // c already in d: no sadd
		{"SADD s x y z", []string{"sadd s"}},
		{"SPOP s", []string{"spop s"}},
		{"SPOP s 0", nil},
		{"SPOP s 5", []string{"spop s", "del s"}},
		{"SPOP s", nil},
		{"SADD a 1 2", []string{"sadd a"}},
		{"SADD b 2 3", []string{"sadd b"}},
		{"SINTERSTORE dst a b", []string{"sinterstore dst"}},
		{"SUNIONSTORE dst a b", []string{"sunionstore dst"}},
		{"SDIFFSTORE dst a b", []string{"sdiffstore dst"}},
		{"SINTERSTORE dst a nope", []string{"del dst"}},
		{"SINTERSTORE dst a nope", nil},
		{"SMEMBERS a", nil},
		{"SRANDMEMBER a", nil},
	})
}

func TestNotifySortedSets(t *testing.T) {
	db, _, s := openNotify(t, "KEA")
	runNotifySteps(t, db, s, []notifyStep{
		{"ZADD z 1 a 2 b 3 c 4 d", []string{"zadd z"}},
		{"ZADD z 1 a", nil},
		{"ZADD z NX 5 a", nil},
		{"ZADD z XX 5 nope", nil},
		{"ZADD nope XX 1 a", nil},
		{"ZADD z GT 0 a", nil},
		{"ZADD z 9 a", []string{"zadd z"}},
		{"ZINCRBY z 1 a", []string{"zincr z"}},
		{"ZADD z INCR 0 a", nil},
		{"ZADD z INCR 1 a", []string{"zincr z"}},
		{"ZREM z nope", nil},
		{"ZREM z a", []string{"zrem z"}},
		{"ZREMRANGEBYRANK z 5 6", nil},
		{"ZREMRANGEBYRANK z 0 0", []string{"zremrangebyrank z"}},
		{"ZREMRANGEBYSCORE z 3 3", []string{"zremrangebyscore z"}},
		{"ZADD l 0 a 0 b 0 c", []string{"zadd l"}},
		{"ZREMRANGEBYLEX l [a [a", []string{"zremrangebylex l"}},
		{"ZREMRANGEBYLEX l [b [c", []string{"zremrangebylex l", "del l"}},
		{"ZPOPMIN z", []string{"zpopmin z", "del z"}},
		{"ZPOPMAX z 0", nil},
		{"ZPOPMIN nope", nil},
		{"ZADD z 1 a 2 b 3 c", []string{"zadd z"}},
		{"ZPOPMAX z", []string{"zpopmax z"}},
		{"ZMPOP 1 z MIN COUNT 10", []string{"zpopmin z", "del z"}},
		{"ZADD x 1 a 2 b", []string{"zadd x"}},
		{"ZADD y 2 b 3 c", []string{"zadd y"}},
		{"ZUNIONSTORE u 2 x y", []string{"zunionstore u"}},
		{"ZINTERSTORE u 2 x y", []string{"zinterstore u"}},
		{"ZDIFFSTORE u 2 x y", []string{"zdiffstore u"}},
		{"ZRANGESTORE r x 0 -1", []string{"zrangestore r"}},
		{"ZRANGESTORE r x 5 6", []string{"del r"}},
		{"ZRANGESTORE r x 5 6", nil},
		{"ZINTERSTORE u 2 x nope", []string{"del u"}},
		{"BZPOPMIN x 0", []string{"zpopmin x"}},
		{"ZRANGE x 0 -1", nil},
		{"ZCARD x", nil},
	})
	// The typed API.
	_, err := db.ZUnionStore("u2", []string{"x", "y"}, engine.ZSetOpArgs{})
	require.NoError(t, err)
	require.Equal(t, []string{"zunionstore u2"}, events(t, s))
}

func TestNotifyClassesAndChannels(t *testing.T) {
	// Off by default: nothing is published, not even counted.
	db, _, s := openNotify(t, "")
	require.NoError(t, db.Set("k", []byte("v")))
	_, err := db.LPush("l", []byte("a"))
	require.NoError(t, err)
	db.Del("k", "l")
	require.Empty(t, events(t, s))
	require.Zero(t, db.PubSub().Stats().Published)

	// K only: __keyspace@0__:<key> with the event as message.
	require.NoError(t, db.SetNotifyKeyspaceEvents("K$g"))
	s.Subscribe("__keyspace@0__:k")
	require.NoError(t, db.Set("k", []byte("v")))
	db.Del("k")
	require.Equal(t, []string{"__keyspace@0__:k set", "__keyspace@0__:k del"}, events(t, s))

	// A class that is off fires nothing: lists are off here.
	_, err = db.LPush("k", []byte("a"))
	require.NoError(t, err)
	require.Empty(t, events(t, s))
	// Classes without K or E, or K/E without classes: nothing.
	for _, f := range []string{"A", "KE", "x"} {
		require.NoError(t, db.SetNotifyKeyspaceEvents(f))
		require.NoError(t, db.Set("k", []byte("v")))
		require.Empty(t, events(t, s), f)
	}

	// E with $ only: the string events, not the generic ones.
	require.NoError(t, db.SetNotifyKeyspaceEvents("E$"))
	require.NoError(t, db.Set("k", []byte("v")))
	db.Del("k")
	require.Equal(t, []string{"set k"}, events(t, s))

	// n: "new" when a key is created, before the command's event; A does
	// not include it.
	require.NoError(t, db.SetNotifyKeyspaceEvents("EAn"))
	// Redis's CONFIG GET prints n only when A is not set: "AE" here.
	require.Equal(t, "AE", db.NotifyKeyspaceEvents())
	runNotifySteps(t, db, s, []notifyStep{
		{"SET n1 v", []string{"new n1", "set n1"}},
		{"SET n1 w", []string{"set n1"}},
		{"RPUSH n2 a", []string{"new n2", "rpush n2"}},
		{"RPUSH n2 a", []string{"rpush n2"}},
		{"HSET n3 f v", []string{"new n3", "hset n3"}},
		{"SADD n4 m", []string{"new n4", "sadd n4"}},
		{"ZADD n5 1 m", []string{"new n5", "zadd n5"}},
		{"INCR n6", []string{"new n6", "incrby n6"}},
		{"APPEND n7 x", []string{"new n7", "append n7"}},
		{"RENAME n7 n8", []string{"new n8", "rename_from n7", "rename_to n8"}},
		{"COPY n8 n1 REPLACE", []string{"new n1", "copy_to n1"}},
		{"SUNIONSTORE n9 n4", []string{"new n9", "sunionstore n9"}},
		{"SUNIONSTORE n9 n4", []string{"sunionstore n9"}},
		{"LMOVE n2 n10 LEFT LEFT", []string{"new n10", "lpush n10", "lpop n2"}},
	})

	// Only what E/K and the classes select; with notifications off the
	// hub sees no Publish call at all.
	require.NoError(t, db.SetNotifyKeyspaceEvents(""))
	before := db.PubSub().Stats().Published
	require.NoError(t, db.Set("k", []byte("v")))
	require.Equal(t, before, db.PubSub().Stats().Published)

	// The DB's Index names the channels.
	db3, err := engine.Open(engine.Options{Index: 3, NotifyKeyspaceEvents: "KE$", ExpireInterval: -1})
	require.NoError(t, err)
	defer db3.Close()
	s3 := db3.PubSub().NewSubscription(0)
	defer s3.Close()
	s3.PSubscribe("__key*")
	require.NoError(t, db3.Set("k", []byte("v")))
	require.Equal(t, msg("__key*", "__keyspace@3__:k", "set"), recvMsg(t, s3))
	require.Equal(t, msg("__key*", "__keyevent@3__:set", "k"), recvMsg(t, s3))

	// SetIndex renames them (a server's SWAPDB).
	require.NoError(t, db3.SetIndex(5))
	require.Error(t, db3.SetIndex(-1))
	require.NoError(t, db3.Set("k", []byte("w")))
	require.Equal(t, msg("__key*", "__keyspace@5__:k", "set"), recvMsg(t, s3))
	require.Equal(t, msg("__key*", "__keyevent@5__:set", "k"), recvMsg(t, s3))
}

func TestNotifyExpired(t *testing.T) {
	db, clk, s := openNotify(t, "Ex")
	require.NoError(t, db.SetEX("a", []byte("v"), time.Second))
	require.NoError(t, db.SetEX("b", []byte("v"), time.Second))
	require.Empty(t, events(t, s), "x only: set and expire are not selected")
	clk.Advance(2 * time.Second)
	_, ok, err := db.Get("a") // lazy expiry
	require.NoError(t, err)
	require.False(t, ok)
	require.Equal(t, []string{"expired a"}, events(t, s))
	requireInt(t, do(db, "EXISTS", "b"), 0)
	require.Equal(t, []string{"expired b"}, events(t, s))

	// The active expire cycle fires them for keys nobody touches.
	clk2 := newFakeClock()
	db2, err := engine.Open(engine.Options{Clock: clk2.Now, ExpireInterval: 2 * time.Millisecond,
		NotifyKeyspaceEvents: "KEx"})
	require.NoError(t, err)
	defer db2.Close()
	s2 := db2.PubSub().NewSubscription(0)
	defer s2.Close()
	s2.PSubscribe("__keyevent@0__:expired")
	for i := range 20 {
		require.NoError(t, db2.SetEX(fmt.Sprint("k", i), []byte("v"), time.Second))
	}
	clk2.Advance(2 * time.Second)
	got := map[string]bool{}
	deadline := time.After(5 * time.Second)
	for len(got) < 20 {
		select {
		case m := <-s2.C():
			require.Equal(t, "__keyevent@0__:expired", m.Channel)
			got[string(m.Payload)] = true
		case <-deadline:
			t.Fatalf("expired events: %d of 20", len(got))
		}
	}
}

func TestNotifyTransactions(t *testing.T) {
	db, _, s := openNotify(t, "KEA")
	ctx := context.Background()

	// Update: published only once it has committed.
	err := db.Update(ctx, []string{"a", "l"}, func(tx *engine.DB) error {
		require.NoError(t, tx.Set("a", []byte("1")))
		_, err := tx.RPush("l", []byte("x"))
		require.NoError(t, err)
		r := tx.Do(ctx, []byte("INCR"), []byte("a"))
		require.False(t, r.IsError())
		require.Empty(t, events(t, s), "nothing before the commit")
		return nil
	})
	require.NoError(t, err)
	require.Equal(t, []string{"set a", "rpush l", "incrby a"}, events(t, s))

	// A failed Update publishes nothing.
	boom := errors.New("boom")
	err = db.Update(ctx, []string{"a", "l"}, func(tx *engine.DB) error {
		require.NoError(t, tx.Set("a", []byte("2")))
		_, err := tx.LPop("l", 1)
		require.NoError(t, err)
		return boom
	})
	require.ErrorIs(t, err, boom)
	require.Empty(t, events(t, s))
	// Nor does one that touched an undeclared key.
	err = db.Update(ctx, []string{"a"}, func(tx *engine.DB) error {
		require.NoError(t, tx.Set("a", []byte("3")))
		return tx.Set("undeclared", []byte("x"))
	})
	require.ErrorIs(t, err, engine.ErrUndeclaredKey)
	require.Empty(t, events(t, s))

	// Exec publishes as its commands run, as Redis's EXEC does.
	replies, err := db.Exec(ctx, nil, [][][]byte{
		{[]byte("SET"), []byte("b"), []byte("1")},
		{[]byte("LPUSH"), []byte("b"), []byte("x")}, // WRONGTYPE: no event
		{[]byte("DEL"), []byte("b")},
	})
	require.NoError(t, err)
	require.True(t, replies[1].IsError())
	require.Equal(t, []string{"set b", "del b"}, events(t, s))
}

func ExampleDB_SetNotifyKeyspaceEvents() {
	db, _ := engine.Open(engine.Options{ExpireInterval: -1})
	defer db.Close()
	_ = db.SetNotifyKeyspaceEvents("KEA") // as CONFIG SET notify-keyspace-events KEA
	fmt.Println(db.NotifyKeyspaceEvents())

	sub := db.PubSub().NewSubscription(0)
	defer sub.Close()
	sub.PSubscribe("__keyevent@0__:*")

	_ = db.Set("user:1", []byte("ann"))
	_, _ = db.LPush("queue", []byte("job"))
	db.Del("user:1")
	for range 3 {
		m := <-sub.C()
		fmt.Printf("%s %s\n", m.Channel, m.Payload)
	}
	// Output:
	// AKE
	// __keyevent@0__:set user:1
	// __keyevent@0__:lpush queue
	// __keyevent@0__:del user:1
}

func ExamplePubSub() {
	ps := engine.NewPubSub()
	sub := ps.NewSubscription(16)
	defer sub.Close()
	fmt.Println(sub.Subscribe("orders"), sub.PSubscribe("orders.*"))

	fmt.Println(ps.Publish("orders", []byte("new order")))
	fmt.Println(ps.Publish("orders.eu", []byte("shipped")))
	fmt.Println(ps.Publish("invoices", []byte("nobody listens")))
	for range 2 {
		m := <-sub.C()
		fmt.Printf("%q %q %q\n", m.Pattern, m.Channel, m.Payload)
	}
	fmt.Println(ps.NumSub("orders"), ps.NumPat())
	// Output:
	// [1] [2]
	// 1
	// 1
	// 0
	// "" "orders" "new order"
	// "orders.*" "orders.eu" "shipped"
	// [1] 1
}

// BenchmarkNotifySet is SET with notifications off, on with nobody
// subscribed, and on with a subscriber to an unrelated channel (messages
// are then built and matched).
func BenchmarkNotifySet(b *testing.B) {
	for _, c := range []struct {
		name, flags string
		sub         bool
	}{{"off", "", false}, {"KEA-nobody", "KEA", false}, {"KEA-other-channel", "KEA", true}} {
		b.Run(c.name, func(b *testing.B) {
			db, err := engine.Open(engine.Options{ExpireInterval: -1, NotifyKeyspaceEvents: c.flags})
			require.NoError(b, err)
			defer db.Close()
			if c.sub {
				s := db.PubSub().NewSubscription(0)
				defer s.Close()
				s.Subscribe("unrelated")
			}
			v := []byte("value")
			b.ReportAllocs()
			for b.Loop() {
				_ = db.Set("key", v)
			}
		})
	}
}

// TestNotifyConcurrent writes from several goroutines (typed API, Do,
// Update) with notifications on while subscriptions come and go: no race,
// no deadlock (shard lock -> hub lock only), and a subscriber that keeps
// up sees every event of its key.
func TestNotifyConcurrent(t *testing.T) {
	db, _, s := openNotify(t, "KEA")
	s.Close()
	watch := db.PubSub().NewSubscription(1 << 16)
	defer watch.Close()
	watch.Subscribe("__keyspace@0__:counted")
	ctx := context.Background()
	const writers, rounds = 4, 300
	done := make(chan struct{})
	go func() { // subscriptions come and go meanwhile
		defer close(done)
		for i := range rounds {
			sub := db.PubSub().NewSubscription(4) // small: overflows are part of the test
			sub.PSubscribe("__key*", fmt.Sprint("__keyevent@0__:", i%3))
			sub.Close()
		}
	}()
	errs := make(chan error, writers)
	for w := range writers {
		go func() {
			for i := range rounds {
				key := fmt.Sprint("k", (w+i)%7)
				if err := db.Set(key, []byte("v")); err != nil {
					errs <- err
					return
				}
				do(db, "RPUSH", fmt.Sprint("l", w), "x")
				_, _ = db.IncrBy("counted", 1)
				_ = db.Update(ctx, []string{key}, func(tx *engine.DB) error {
					return tx.Set(key, []byte("w"))
				})
			}
			errs <- nil
		}()
	}
	for range writers {
		require.NoError(t, <-errs)
	}
	<-done
	n := 0
	for len(watch.C()) > 0 {
		m := <-watch.C()
		require.Equal(t, "incrby", string(m.Payload))
		n++
	}
	require.Equal(t, writers*rounds, n)
	require.NoError(t, watch.Err())
}

func TestCanonicalNotifyKeyspaceEvents(t *testing.T) {
	got, err := engine.CanonicalNotifyKeyspaceEvents("EAn")
	require.NoError(t, err)
	require.Equal(t, "AE", got) // as CONFIG GET prints it
	got, err = engine.CanonicalNotifyKeyspaceEvents("Kl$")
	require.NoError(t, err)
	require.Equal(t, "$lK", got)
	_, err = engine.CanonicalNotifyKeyspaceEvents("Kq")
	require.ErrorIs(t, err, engine.ErrNotifyKeyspaceEvents)
}
