package engine

import (
	"fmt"
	"math/bits"
	"runtime"
	"time"
)

// Options configure a DB. The zero value is valid: every field has a
// documented default.
type Options struct {
	// Shards is the number of partitions, each with its own lock. It must be
	// a power of two between 1 and MaxShards. Default: 16 per GOMAXPROCS,
	// at least 64, so that writers on different cores rarely meet and each
	// shard's table stays small enough to resize quickly.
	Shards int

	// Clock returns the current time; expiry is decided by it. Default:
	// time.Now. Tests pass a fake clock.
	Clock func() time.Time

	// ExpireEffort is Redis's active-expire-effort, 1 to 10: how much work
	// the background expiry cycle does to reclaim expired keys that nobody
	// reads. Default 1. Higher values use more CPU and hold less garbage.
	ExpireEffort int

	// ExpireInterval is how often the background expiry cycle runs.
	// Default 100ms (Redis's hz 10). A negative value disables the cycle
	// (expired keys are then removed only when touched).
	ExpireInterval time.Duration

	// PubSub is the pub/sub hub the DB publishes keyspace notifications
	// on and that DB.PubSub returns. DBs may share one, as a Redis
	// server's logical databases share pub/sub. Default: a new hub.
	PubSub *PubSub

	// Index is the DB's number in keyspace notification channels: the N
	// in __keyspace@N__ and __keyevent@N__. It must be >= 0. Default 0.
	Index int

	// NotifyKeyspaceEvents is Redis's notify-keyspace-events: the classes
	// of keyspace notifications to publish, in its letters
	// (K E g $ l s h z x e t m d n A). Default "": off. Unknown letters
	// make Open fail. DB.SetNotifyKeyspaceEvents changes it later.
	NotifyKeyspaceEvents string
}

// MaxShards is the largest number of shards a DB may have.
const MaxShards = 1 << 16

func (o Options) withDefaults() (Options, error) {
	if o.Shards == 0 {
		n := max(64, 16*runtime.GOMAXPROCS(0))
		o.Shards = 1 << bits.Len(uint(n-1))
	}
	if o.Shards < 1 || o.Shards > MaxShards || o.Shards&(o.Shards-1) != 0 {
		return o, fmt.Errorf("jackdaw: Options.Shards = %d: must be a power of two in [1, %d]", o.Shards, MaxShards)
	}
	if o.Clock == nil {
		o.Clock = time.Now
	}
	if o.ExpireEffort == 0 {
		o.ExpireEffort = 1
	}
	if o.ExpireEffort < 1 || o.ExpireEffort > 10 {
		return o, fmt.Errorf("jackdaw: Options.ExpireEffort = %d: must be in [1, 10]", o.ExpireEffort)
	}
	if o.ExpireInterval == 0 {
		o.ExpireInterval = 100 * time.Millisecond
	}
	if o.PubSub == nil {
		o.PubSub = NewPubSub()
	}
	if o.Index < 0 {
		return o, fmt.Errorf("jackdaw: Options.Index = %d: must be >= 0", o.Index)
	}
	if _, ok := parseNotifyFlags(o.NotifyKeyspaceEvents); !ok {
		return o, fmt.Errorf("jackdaw: Options.NotifyKeyspaceEvents = %q: Invalid event class character. Use 'Ag$lshzxeKEtmdn'.", o.NotifyKeyspaceEvents)
	}
	return o, nil
}
