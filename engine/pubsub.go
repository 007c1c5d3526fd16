package engine

import (
	"errors"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/jackdawdb/jackdaw/engine/internal/glob"
)

// Pub/sub, with Redis's semantics: PUBLISH delivers a message to every
// subscription to its channel and to every subscription to a glob pattern
// that matches the channel (one delivery per matching pattern), and
// returns the number of deliveries.
//
// A PubSub is a hub that DBs may share: pub/sub in Redis is server-wide,
// not per logical database, so a server's DBs share one hub (Options.PubSub).
//
// Slow subscribers. A Subscription delivers on a channel with a bounded
// buffer. Publish never blocks and never queues more than that: a
// subscription whose buffer is full when a message arrives is closed, as
// Redis disconnects a subscriber past its client-output-buffer-limit for
// pubsub. Its channel C is then closed, Err returns ErrSlowSubscriber, and
// PubSubStats.DroppedSlow counts it. Memory held for a subscription is
// therefore bounded by its buffer.
//
// Locking. The hub has one RWMutex: Publish takes it for reading, so
// publishers run in parallel; subscribing and unsubscribing take it for
// writing. A subscription's own mutex (taken under the hub's) orders sends
// on its channel with closing it. Publish takes no other lock, so it may be
// called with a shard lock held (keyspace notifications do): the order is
// shard -> hub -> subscription.

// ErrSlowSubscriber is a Subscription's Err once it was closed because its
// buffer was full when a message arrived.
var ErrSlowSubscriber = errors.New("jackdaw: subscription closed: buffer full (slow subscriber)")

// DefaultSubscriptionBuffer is the buffer NewSubscription gives when asked
// for none.
const DefaultSubscriptionBuffer = 1024

// Message is one delivery to a subscription.
type Message struct {
	// Pattern is the subscribed pattern that matched, for a pattern
	// subscription (Redis's "pmessage"); "" for a channel subscription
	// ("message").
	Pattern string
	Channel string
	// Payload is shared by every receiver of the message: do not modify it.
	Payload []byte
}

// PubSub is a publish/subscribe hub. Its methods are safe for concurrent
// use. The zero value is not usable; call NewPubSub.
type PubSub struct {
	mu       sync.RWMutex
	channels map[string]map[*Subscription]struct{}
	patterns map[string]map[*Subscription]struct{}

	// active is len(channels)+len(patterns): Publish reads it without the
	// lock to return at once when nobody subscribes to anything.
	active atomic.Int64

	subscriptions atomic.Int64 // open Subscriptions
	published     atomic.Uint64
	delivered     atomic.Uint64
	droppedSlow   atomic.Uint64
}

// PubSubStats are a hub's counters.
type PubSubStats struct {
	Subscriptions int    // open Subscriptions (with or without channels)
	Channels      int    // channels with at least one subscriber
	Patterns      int    // patterns with at least one subscriber
	Published     uint64 // Publish calls
	Delivered     uint64 // messages handed to subscriptions
	DroppedSlow   uint64 // subscriptions closed because their buffer was full
}

// NewPubSub returns an empty hub.
func NewPubSub() *PubSub {
	return &PubSub{
		channels: make(map[string]map[*Subscription]struct{}),
		patterns: make(map[string]map[*Subscription]struct{}),
	}
}

// Subscription is one subscriber: a set of channels and patterns, and the
// channel its messages arrive on. Its methods are safe for concurrent use,
// in particular from the goroutine that reads C while publishes go on.
type Subscription struct {
	ps *PubSub

	// guarded by ps.mu
	channels map[string]struct{}
	patterns map[string]struct{}
	closed   bool // by Close or overflow: no more subscribing

	mu     sync.Mutex // orders sends on ch with close(ch)
	ch     chan Message
	chDone bool  // ch is closed; guarded by mu
	err    error // guarded by mu
}

// NewSubscription returns a subscription, subscribed to nothing yet,
// whose channel buffers up to buffer messages (buffer <= 0:
// DefaultSubscriptionBuffer). Close it when done.
func (ps *PubSub) NewSubscription(buffer int) *Subscription {
	if buffer <= 0 {
		buffer = DefaultSubscriptionBuffer
	}
	ps.subscriptions.Add(1)
	return &Subscription{
		ps:       ps,
		channels: make(map[string]struct{}),
		patterns: make(map[string]struct{}),
		ch:       make(chan Message, buffer),
	}
}

// Publish delivers payload on channel to every subscription to channel and
// to every subscription to a pattern matching it, and returns the number
// of deliveries (Redis's PUBLISH reply: a subscription to the channel and
// to two matching patterns counts three times). It never blocks: a
// subscription with a full buffer is closed instead (ErrSlowSubscriber)
// and still counted, as Redis counts a client it is about to disconnect.
// channel and payload are copied if delivered.
func (ps *PubSub) Publish(channel string, payload []byte) int {
	ps.published.Add(1)
	if ps.active.Load() == 0 {
		return 0
	}
	var (
		n         int
		delivered uint64
		owned     bool // ch and pl are the hub's copies
		ch        = channel
		pl        = payload
		dropped   []*Subscription
	)
	deliver := func(s *Subscription, pattern string) {
		if !owned {
			ch, pl, owned = strings.Clone(channel), slices.Clone(payload), true
			if pl == nil {
				pl = []byte{}
			}
		}
		n++
		switch s.send(Message{Pattern: pattern, Channel: ch, Payload: pl}) {
		case sent:
			delivered++
		case overflowed:
			dropped = append(dropped, s)
		}
	}
	ps.mu.RLock()
	for s := range ps.channels[channel] {
		deliver(s, "")
	}
	for p, subs := range ps.patterns {
		if !glob.Match(p, channel, false) {
			continue
		}
		for s := range subs {
			deliver(s, p)
		}
	}
	ps.mu.RUnlock()
	if delivered > 0 {
		ps.delivered.Add(delivered)
	}
	if len(dropped) > 0 {
		ps.mu.Lock()
		for _, s := range dropped {
			ps.removeAllLocked(s)
			if !s.closed {
				s.closed = true
				ps.subscriptions.Add(-1)
			}
		}
		ps.mu.Unlock()
	}
	return n
}

// What send did with a message.
const (
	sent       = iota
	overflowed // the buffer was full: the subscription is now closed
	gone       // the subscription was closed already (by an overflow a moment ago)
)

// send hands m to s without blocking. If s's buffer is full it closes s's
// channel and returns overflowed; the caller then removes s from the hub.
// REQUIRES: ps.mu is held (for reading at least).
func (s *Subscription) send(m Message) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.chDone {
		return gone
	}
	select {
	case s.ch <- m:
		return sent
	default:
	}
	s.chDone = true
	s.err = ErrSlowSubscriber
	close(s.ch)
	s.ps.droppedSlow.Add(1)
	return overflowed
}

// C returns the channel messages arrive on. It is closed after Close, or
// when the subscription fell behind (see Err).
func (s *Subscription) C() <-chan Message { return s.ch }

// Err returns ErrSlowSubscriber once the subscription was closed because
// its buffer was full, else nil (also after Close).
func (s *Subscription) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// Count is the number of channels and patterns s is subscribed to.
func (s *Subscription) Count() int {
	s.ps.mu.RLock()
	defer s.ps.mu.RUnlock()
	return s.countLocked()
}

func (s *Subscription) countLocked() int { return len(s.channels) + len(s.patterns) }

// Subscribe subscribes s to channels and returns, for each, the number of
// channels and patterns s is subscribed to after it (Redis's subscribe
// replies). Subscribing twice to a channel is a no-op that still reports
// the count. On a closed subscription it subscribes nothing and reports 0.
func (s *Subscription) Subscribe(channels ...string) []int {
	return s.ps.subscribe(s, channels, false)
}

// PSubscribe subscribes s to glob patterns (Redis's rules), as Subscribe.
func (s *Subscription) PSubscribe(patterns ...string) []int {
	return s.ps.subscribe(s, patterns, true)
}

func (ps *PubSub) subscribe(s *Subscription, names []string, pattern bool) []int {
	counts := make([]int, len(names))
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if s.closed {
		return counts
	}
	mine, hub := s.channels, ps.channels
	if pattern {
		mine, hub = s.patterns, ps.patterns
	}
	for i, name := range names {
		if _, ok := mine[name]; !ok {
			name = strings.Clone(name)
			mine[name] = struct{}{}
			subs := hub[name]
			if subs == nil {
				subs = make(map[*Subscription]struct{})
				hub[name] = subs
				ps.active.Add(1)
			}
			subs[s] = struct{}{}
		}
		counts[i] = s.countLocked()
	}
	return counts
}

// Unsubscribe unsubscribes s from channels, or from every channel if none
// is given, and returns Redis's replies: for each channel, its name and
// the number of channels and patterns s is left subscribed to. Without
// arguments the channels come in sorted order; if s was subscribed to no
// channel then, Redis replies once with a nil channel and 0: names is nil
// and counts is []int{0}.
func (s *Subscription) Unsubscribe(channels ...string) (names []string, counts []int) {
	return s.ps.unsubscribe(s, channels, false)
}

// PUnsubscribe is Unsubscribe for patterns.
func (s *Subscription) PUnsubscribe(patterns ...string) (names []string, counts []int) {
	return s.ps.unsubscribe(s, patterns, true)
}

func (ps *PubSub) unsubscribe(s *Subscription, names []string, pattern bool) ([]string, []int) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	mine := s.channels
	if pattern {
		mine = s.patterns
	}
	if len(names) == 0 {
		if len(mine) == 0 {
			return nil, []int{0}
		}
		names = make([]string, 0, len(mine))
		for name := range mine {
			names = append(names, name)
		}
		slices.Sort(names)
	} else {
		names = slices.Clone(names)
	}
	counts := make([]int, len(names))
	for i, name := range names {
		ps.removeLocked(s, name, pattern)
		counts[i] = s.countLocked()
	}
	return names, counts
}

// removeLocked unsubscribes s from one channel or pattern.
// REQUIRES: ps.mu is held for writing.
func (ps *PubSub) removeLocked(s *Subscription, name string, pattern bool) {
	mine, hub := s.channels, ps.channels
	if pattern {
		mine, hub = s.patterns, ps.patterns
	}
	if _, ok := mine[name]; !ok {
		return
	}
	delete(mine, name)
	subs := hub[name]
	delete(subs, s)
	if len(subs) == 0 {
		delete(hub, name)
		ps.active.Add(-1)
	}
}

// removeAllLocked unsubscribes s from everything.
// REQUIRES: ps.mu is held for writing.
func (ps *PubSub) removeAllLocked(s *Subscription) {
	for name := range s.channels {
		ps.removeLocked(s, name, false)
	}
	for name := range s.patterns {
		ps.removeLocked(s, name, true)
	}
}

// Close unsubscribes s from everything and closes C. Messages already
// buffered can still be read. Closing twice is harmless.
func (s *Subscription) Close() {
	ps := s.ps
	ps.mu.Lock()
	ps.removeAllLocked(s)
	first := !s.closed
	s.closed = true
	ps.mu.Unlock()
	s.mu.Lock()
	if !s.chDone {
		s.chDone = true
		close(s.ch)
	}
	s.mu.Unlock()
	if first {
		ps.subscriptions.Add(-1)
	}
}

// Channels returns the channels with at least one subscriber (PUBSUB
// CHANNELS), sorted; with a pattern other than "", only those matching it
// (Redis's glob rules, case-sensitive).
func (ps *PubSub) Channels(pattern string) []string {
	ps.mu.RLock()
	out := make([]string, 0, len(ps.channels))
	for ch := range ps.channels {
		if pattern == "" || glob.Match(pattern, ch, false) {
			out = append(out, ch)
		}
	}
	ps.mu.RUnlock()
	slices.Sort(out)
	return out
}

// NumSub returns the number of subscriptions to each channel, pattern
// subscriptions not included (PUBSUB NUMSUB).
func (ps *PubSub) NumSub(channels ...string) []int {
	out := make([]int, len(channels))
	ps.mu.RLock()
	defer ps.mu.RUnlock()
	for i, ch := range channels {
		out[i] = len(ps.channels[ch])
	}
	return out
}

// NumPat returns the number of distinct patterns subscribed to (PUBSUB
// NUMPAT, as Redis 7 counts it).
func (ps *PubSub) NumPat() int {
	ps.mu.RLock()
	defer ps.mu.RUnlock()
	return len(ps.patterns)
}

// Stats returns the hub's counters.
func (ps *PubSub) Stats() PubSubStats {
	ps.mu.RLock()
	ch, pat := len(ps.channels), len(ps.patterns)
	ps.mu.RUnlock()
	return PubSubStats{
		Subscriptions: int(ps.subscriptions.Load()),
		Channels:      ch,
		Patterns:      pat,
		Published:     ps.published.Load(),
		Delivered:     ps.delivered.Load(),
		DroppedSlow:   ps.droppedSlow.Load(),
	}
}
