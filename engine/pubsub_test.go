package engine_test

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/jackdawdb/jackdaw/engine"
)

// recvMsg reads one message from s, failing after a second.
func recvMsg(t *testing.T, s *engine.Subscription) engine.Message {
	t.Helper()
	select {
	case m, ok := <-s.C():
		require.True(t, ok, "subscription closed")
		return m
	case <-time.After(time.Second):
		t.Fatal("no message")
	}
	return engine.Message{}
}

// requireNoMessage checks that nothing is buffered for s (publishing is
// synchronous: a message is in the buffer when Publish returns).
func requireNoMessage(t *testing.T, s *engine.Subscription) {
	t.Helper()
	select {
	case m, ok := <-s.C():
		t.Fatalf("unexpected message %+v (open %v)", m, ok)
	default:
	}
}

func msg(pattern, channel, payload string) engine.Message {
	return engine.Message{Pattern: pattern, Channel: channel, Payload: []byte(payload)}
}

func TestPubSubSubscribeAndPublish(t *testing.T) {
	ps := engine.NewPubSub()
	require.Equal(t, 0, ps.Publish("news", []byte("nobody")))

	a := ps.NewSubscription(0)
	defer a.Close()
	b := ps.NewSubscription(16)
	defer b.Close()

	require.Equal(t, []int{1, 2, 2}, a.Subscribe("news", "sport", "news"))
	require.Equal(t, []int{3}, a.PSubscribe("n*"))
	require.Equal(t, []int{1}, b.PSubscribe("n*"))
	require.Equal(t, []int{2}, b.PSubscribe("*s"))
	require.Equal(t, 3, a.Count())
	require.Equal(t, 2, b.Count())

	// a: channel news + pattern n*; b: n* and *s.
	require.Equal(t, 4, ps.Publish("news", []byte("hello")))
	require.Equal(t, msg("", "news", "hello"), recvMsg(t, a))
	require.Equal(t, msg("n*", "news", "hello"), recvMsg(t, a))
	got := []engine.Message{recvMsg(t, b), recvMsg(t, b)}
	require.ElementsMatch(t, []engine.Message{msg("n*", "news", "hello"), msg("*s", "news", "hello")}, got)

	require.Equal(t, 1, ps.Publish("sport", nil))
	require.Equal(t, msg("", "sport", ""), recvMsg(t, a))
	require.Equal(t, 0, ps.Publish("weather", []byte("x")))
	requireNoMessage(t, a)
	requireNoMessage(t, b)

	// The payload is copied: changing the caller's slice changes nothing.
	p := []byte("orig")
	require.Equal(t, 1, ps.Publish("sport", p))
	p[0] = 'X'
	require.Equal(t, "orig", string(recvMsg(t, a).Payload))

	require.Equal(t, []string{"news", "sport"}, ps.Channels(""))
	require.Equal(t, []string{"sport"}, ps.Channels("s*"))
	require.Equal(t, []string{}, ps.Channels("x*"))
	require.Equal(t, []int{1, 1, 0}, ps.NumSub("news", "sport", "n*"))
	require.Equal(t, 2, ps.NumPat(), "distinct patterns, as Redis 7 counts")

	st := ps.Stats()
	require.Equal(t, engine.PubSubStats{Subscriptions: 2, Channels: 2, Patterns: 2,
		Published: 5, Delivered: 6, DroppedSlow: 0}, st)

	// Unsubscribe: per channel, the count left; unknown channels too.
	names, counts := a.Unsubscribe("news", "nope")
	require.Equal(t, []string{"news", "nope"}, names)
	require.Equal(t, []int{2, 2}, counts)
	names, counts = a.Unsubscribe()
	require.Equal(t, []string{"sport"}, names)
	require.Equal(t, []int{1}, counts)
	names, counts = a.Unsubscribe()
	require.Nil(t, names, "Redis replies once with a nil channel")
	require.Equal(t, []int{0}, counts)
	names, counts = a.PUnsubscribe()
	require.Equal(t, []string{"n*"}, names)
	require.Equal(t, []int{0}, counts)
	names, counts = a.PUnsubscribe()
	require.Nil(t, names)
	require.Equal(t, []int{0}, counts)
	names, counts = b.PUnsubscribe("*s", "zz")
	require.Equal(t, []string{"*s", "zz"}, names)
	require.Equal(t, []int{1, 1}, counts)
	require.Equal(t, []int{0}, ps.NumSub("news"))
	require.Equal(t, 1, ps.NumPat())
	require.Equal(t, []string{}, ps.Channels(""))

	// Close unsubscribes from everything and closes C; twice is harmless.
	b.Close()
	b.Close()
	_, ok := <-b.C()
	require.False(t, ok)
	require.NoError(t, b.Err())
	require.Equal(t, 0, ps.NumPat())
	require.Equal(t, []int{0, 0}, b.Subscribe("x", "y"), "a closed subscription subscribes nothing")
	require.Equal(t, 0, ps.Publish("x", nil))
	require.Equal(t, 1, ps.Stats().Subscriptions)
}

func TestPubSubPatterns(t *testing.T) {
	ps := engine.NewPubSub()
	s := ps.NewSubscription(0)
	defer s.Close()
	s.PSubscribe("h?llo", "h[ae]llo", "h[^e]llo", `h\*llo`, "news.*")
	for _, c := range []struct {
		channel string
		n       int
	}{
		{"hello", 2}, // h?llo, h[ae]llo
		{"hallo", 3}, // h?llo, h[ae]llo, h[^e]llo
		{"hxllo", 2}, // h?llo, h[^e]llo
		{"h*llo", 3}, // h?llo, h[^e]llo, h\*llo
		{"Hello", 0}, // case-sensitive
		{"news.", 1},
		{"news.art", 1},
		{"news", 0},
		{"", 0},
	} {
		require.Equal(t, c.n, ps.Publish(c.channel, nil), c.channel)
		for range c.n {
			m := recvMsg(t, s)
			require.Equal(t, c.channel, m.Channel)
			require.NotEmpty(t, m.Pattern)
		}
		requireNoMessage(t, s)
	}
}

func TestPubSubSlowSubscriberIsClosed(t *testing.T) {
	ps := engine.NewPubSub()
	slow := ps.NewSubscription(2)
	fast := ps.NewSubscription(100)
	defer fast.Close()
	slow.Subscribe("c")
	slow.PSubscribe("*")
	fast.Subscribe("c")

	done := make(chan struct{})
	go func() { // a publisher that must never block on the slow reader
		defer close(done)
		require.Equal(t, 3, ps.Publish("c", []byte("1"))) // slow gets 2: full
		require.Equal(t, 3, ps.Publish("c", []byte("2"))) // slow overflows: closed, still counted
		for i := 3; i <= 50; i++ {
			require.Equal(t, 1, ps.Publish("c", []byte(strconv.Itoa(i))))
		}
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Publish blocked on a slow subscriber")
	}

	// The slow one keeps what it had, then sees C closed.
	require.Equal(t, msg("", "c", "1"), recvMsg(t, slow))
	require.Equal(t, msg("*", "c", "1"), recvMsg(t, slow))
	_, ok := <-slow.C()
	require.False(t, ok)
	require.ErrorIs(t, slow.Err(), engine.ErrSlowSubscriber)
	require.Equal(t, 0, slow.Count())
	require.Equal(t, []int{1}, ps.NumSub("c"))
	require.Equal(t, 0, ps.NumPat())
	require.Equal(t, []int{0}, slow.Subscribe("c"))
	slow.Close() // harmless after an overflow
	require.ErrorIs(t, slow.Err(), engine.ErrSlowSubscriber)

	for i := 1; i <= 50; i++ {
		require.Equal(t, strconv.Itoa(i), string(recvMsg(t, fast).Payload))
	}
	st := ps.Stats()
	require.Equal(t, uint64(1), st.DroppedSlow)
	require.Equal(t, 1, st.Subscriptions)
	require.Equal(t, uint64(50), st.Published)
	require.Equal(t, uint64(52), st.Delivered, "50 to fast, 2 to slow")
}

// TestPubSubSlowSubscriberMemoryBounded publishes far more than a reader
// that never reads could buffer.
func TestPubSubSlowSubscriberMemoryBounded(t *testing.T) {
	ps := engine.NewPubSub()
	s := ps.NewSubscription(8)
	s.Subscribe("c")
	payload := make([]byte, 1024)
	for range 100_000 {
		ps.Publish("c", payload)
	}
	require.ErrorIs(t, s.Err(), engine.ErrSlowSubscriber)
	n := 0
	for range s.C() {
		n++
	}
	require.Equal(t, 8, n)
}

func TestPubSubConcurrentStress(t *testing.T) {
	ps := engine.NewPubSub()
	const (
		publishers  = 4
		subscribers = 8
		perPub      = 3000
	)
	channels := []string{"a", "b", "c", "d"}
	var received atomic.Uint64
	var wg sync.WaitGroup
	stop := make(chan struct{})
	subs := make([]*engine.Subscription, subscribers)
	for i := range subs {
		subs[i] = ps.NewSubscription(1 << 16) // big enough never to overflow
		s := subs[i]
		wg.Add(2)
		go func() { // reader
			defer wg.Done()
			for m := range s.C() {
				require.Contains(t, channels, m.Channel)
				received.Add(1)
			}
		}()
		go func() { // subscribes and unsubscribes at random, while reading goes on
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(i), 1))
			for {
				select {
				case <-stop:
					return
				default:
				}
				ch := channels[r.IntN(len(channels))]
				switch r.IntN(5) {
				case 0:
					s.Subscribe(ch)
				case 1:
					s.Unsubscribe(ch)
				case 2:
					s.PSubscribe("[" + ch + "x]")
				case 3:
					s.PUnsubscribe()
				case 4:
					_ = s.Count()
					_ = ps.Channels("")
					_ = ps.NumSub(channels...)
					_ = ps.NumPat()
					_ = ps.Stats()
				}
				runtime.Gosched()
			}
		}()
	}
	var pubWG sync.WaitGroup
	var counted atomic.Uint64
	for p := range publishers {
		pubWG.Add(1)
		go func() {
			defer pubWG.Done()
			for i := range perPub {
				counted.Add(uint64(ps.Publish(channels[(p+i)%len(channels)], []byte("m"))))
			}
		}()
	}
	pubWG.Wait()
	close(stop)
	for _, s := range subs {
		s.Close()
	}
	wg.Wait()
	st := ps.Stats()
	require.Equal(t, uint64(publishers*perPub), st.Published)
	require.Zero(t, st.DroppedSlow)
	require.Equal(t, counted.Load(), st.Delivered, "Publish's counts add up to the deliveries")
	require.Equal(t, st.Delivered, received.Load(), "every delivery was read")
	require.Equal(t, engine.PubSubStats{Published: st.Published, Delivered: st.Delivered}, st)
}

// TestPubSubNoGoroutineLeak: a hub and its subscriptions start no
// goroutines, and a DB's Close leaves none behind, with subscriptions
// closed or not.
func TestPubSubNoGoroutineLeak(t *testing.T) {
	count := func() int {
		runtime.GC()
		return runtime.NumGoroutine()
	}
	before := count()
	db, err := engine.Open(engine.Options{NotifyKeyspaceEvents: "KEA", ExpireInterval: time.Millisecond})
	require.NoError(t, err)
	var subs []*engine.Subscription
	for i := range 10 {
		s := db.PubSub().NewSubscription(4)
		s.Subscribe("c" + strconv.Itoa(i))
		s.PSubscribe("__key*")
		subs = append(subs, s)
	}
	var wg sync.WaitGroup
	for _, s := range subs[:5] {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range s.C() {
			}
		}()
	}
	for i := range 100 {
		require.NoError(t, db.Set("k"+strconv.Itoa(i), []byte("v")))
		db.PubSub().Publish("c1", nil)
	}
	for _, s := range subs {
		s.Close()
	}
	wg.Wait()
	require.NoError(t, db.Close())
	deadline := time.Now().Add(5 * time.Second) // not Eventually: it runs the check on a goroutine of its own
	for count() > before && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if count() > before {
		buf := make([]byte, 1<<20)
		t.Fatalf("goroutines: before %d, now %d\n%s", before, count(), buf[:runtime.Stack(buf, true)])
	}
}

func TestPubSubCommands(t *testing.T) {
	db, _ := openDB(t)
	ps := db.PubSub()
	require.NotNil(t, ps)
	requireInt(t, do(db, "PUBLISH", "news", "x"), 0)

	s := ps.NewSubscription(0)
	defer s.Close()
	s.Subscribe("news", "sport", "")
	s.PSubscribe("n*", "s*")
	requireInt(t, do(db, "publish", "news", "hello"), 2)
	require.Equal(t, msg("", "news", "hello"), recvMsg(t, s))
	require.Equal(t, msg("n*", "news", "hello"), recvMsg(t, s))

	require.Equal(t, []string{"", "news", "sport"}, bulks(t, do(db, "PUBSUB", "CHANNELS")))
	require.Equal(t, []string{"news"}, bulks(t, do(db, "pubsub", "channels", "n*")))
	require.Equal(t, []string{""}, bulks(t, do(db, "PUBSUB", "CHANNELS", "")), `"" matches only ""`)
	require.Equal(t, []string{}, bulks(t, do(db, "PUBSUB", "CHANNELS", "x*")))
	r := do(db, "PUBSUB", "NUMSUB", "news", "nope")
	require.Equal(t, "1) \"news\"\n2) (integer) 1\n3) \"nope\"\n4) (integer) 0", r.String())
	require.Equal(t, engine.ReplyArray, do(db, "PUBSUB", "NUMSUB").Kind)
	require.Empty(t, do(db, "PUBSUB", "NUMSUB").Array)
	requireInt(t, do(db, "PUBSUB", "NUMPAT"), 2)
	require.Empty(t, do(db, "PUBSUB", "SHARDCHANNELS").Array)
	require.Equal(t, "1) \"x\"\n2) (integer) 0", do(db, "PUBSUB", "SHARDNUMSUB", "x").String())
	help := bulks(t, do(db, "PUBSUB", "HELP"))
	require.Equal(t, "PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:", help[0])
	require.Equal(t, "    Prints this help.", help[len(help)-1])
	require.Len(t, help, 14)

	requireErr(t, do(db, "PUBSUB"), "ERR wrong number of arguments for 'pubsub' command")
	requireErr(t, do(db, "PUBLISH", "c"), "ERR wrong number of arguments for 'publish' command")
	requireErr(t, do(db, "PUBLISH", "c", "m", "x"), "ERR wrong number of arguments for 'publish' command")
	requireErr(t, do(db, "PUBSUB", "nope"), "ERR unknown subcommand 'nope'. Try PUBSUB HELP.")
	requireErr(t, do(db, "PUBSUB", "NUMPAT", "x"), "ERR wrong number of arguments for 'pubsub|numpat' command")
	requireErr(t, do(db, "PUBSUB", "HELP", "x"), "ERR wrong number of arguments for 'pubsub|help' command")
	requireErr(t, do(db, "PUBSUB", "CHANNELS", "a", "b"),
		"ERR unknown subcommand or wrong number of arguments for 'CHANNELS'. Try PUBSUB HELP.")

	for _, name := range []string{"subscribe", "unsubscribe", "psubscribe", "punsubscribe", "publish", "pubsub"} {
		c := engine.LookupCommand([]byte(name))
		require.NotNil(t, c, name)
		require.Contains(t, c.Flags.Names(), "pubsub", name)
	}
	for _, args := range [][]string{{"SUBSCRIBE", "c"}, {"UNSUBSCRIBE"}, {"PSUBSCRIBE", "p*"}, {"PUNSUBSCRIBE", "p"}} {
		r := do(db, args...)
		require.True(t, r.IsError(), "%v", args)
		require.Contains(t, r.Err.Error(), "DB.PubSub")
	}
	requireErr(t, do(db, "SUBSCRIBE"), "ERR wrong number of arguments for 'subscribe' command")
	require.Equal(t, 5, s.Count(), "Do's SUBSCRIBE family changed nothing")

	// PUBLISH in a transaction: published at once, counted as a reply.
	replies, err := db.Exec(t.Context(), nil, [][][]byte{{[]byte("PUBLISH"), []byte("sport"), []byte("go")}})
	require.NoError(t, err)
	requireInt(t, replies[0], 2)
}

func TestPubSubOptions(t *testing.T) {
	_, err := engine.Open(engine.Options{Index: -1})
	require.ErrorContains(t, err, "Options.Index")
	_, err = engine.Open(engine.Options{NotifyKeyspaceEvents: "KEZ"})
	require.ErrorContains(t, err, "Invalid event class character")

	ps := engine.NewPubSub()
	db0, err := engine.Open(engine.Options{PubSub: ps, ExpireInterval: -1})
	require.NoError(t, err)
	defer db0.Close()
	db1, err := engine.Open(engine.Options{PubSub: ps, Index: 1, ExpireInterval: -1})
	require.NoError(t, err)
	defer db1.Close()
	require.Same(t, ps, db0.PubSub())
	require.Same(t, ps, db1.PubSub())

	s := ps.NewSubscription(0)
	defer s.Close()
	s.Subscribe("c")
	requireInt(t, do(db1, "PUBLISH", "c", "from 1"), 1)
	require.Equal(t, "from 1", string(recvMsg(t, s).Payload))

	require.Equal(t, "", db0.NotifyKeyspaceEvents())
	for in, out := range map[string]string{
		"": "", "KEA": "AKE", "KEg$": "g$KE", "AKEm": "AKEm", "Kx": "xK", "nE": "nE",
		"g$lshzxetdKE": "AKE", "EKnmd": "dnKEm", "An": "A", "lll": "l",
	} {
		require.NoError(t, db0.SetNotifyKeyspaceEvents(in), in)
		require.Equal(t, out, db0.NotifyKeyspaceEvents(), in)
	}
	require.NoError(t, db0.SetNotifyKeyspaceEvents("KEA"))
	err = db0.SetNotifyKeyspaceEvents("KEAq")
	require.ErrorIs(t, err, engine.ErrNotifyKeyspaceEvents)
	require.EqualError(t, err, "ERR CONFIG SET failed (possibly related to argument 'notify-keyspace-events') - "+
		"Invalid event class character. Use 'Ag$lshzxeKEtmdn'.")
	require.Equal(t, "AKE", db0.NotifyKeyspaceEvents(), "a refused value changes nothing")
	require.Equal(t, "", db1.NotifyKeyspaceEvents(), "flags are per DB")
}

func BenchmarkPublish(b *testing.B) {
	for _, n := range []int{0, 1} {
		b.Run(fmt.Sprintf("subscribers=%d", n), func(b *testing.B) {
			ps := engine.NewPubSub()
			if n > 0 {
				s := ps.NewSubscription(1 << 20)
				defer s.Close()
				s.Subscribe("c")
				go func() {
					for range s.C() {
					}
				}()
			}
			payload := []byte("payload")
			b.ReportAllocs()
			for b.Loop() {
				ps.Publish("c", payload)
			}
		})
	}
}
