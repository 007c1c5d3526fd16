package engine

import (
	"math/bits"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackdawdb/jackdaw/shard"
)

// DB is an in-memory keyspace with Redis's data model. All methods are safe
// for concurrent use.
type DB struct {
	opts   Options
	shards []*shard.Shard
	parts  []part // per-shard engine state, guarded by the shard's lock
	shift  uint   // a key goes to shards[routingHash >> shift]
	*core

	// tx is set only in the view of a DB that Update and Exec hand their
	// work: the shards it may touch are locked already (see tx.go). A view
	// is a copy of the DB's fields (the hot ones stay one load away) that
	// shares its core.
	tx *txState
}

// core is the state a DB shares with its transaction views.
type core struct {
	ntf     notifier     // keyspace notifications (notify.go)
	waiters atomic.Int64 // clients blocked on any key (blocking.go)

	closeOnce sync.Once
	stop      chan struct{}
	wg        sync.WaitGroup // background goroutines
}

// part is the engine's own state for one shard. REQUIRES: the shard's lock
// is held to read or write it.
type part struct {
	blocked map[string]*waitQueue // clients blocked on a key of this shard
	ready   []*waitQueue          // queues whose key may now serve a client
}

// Open returns a new, empty DB. It starts the background expiry goroutine,
// which Close stops.
func Open(opts Options) (*DB, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	db := &DB{
		opts:   opts,
		shards: make([]*shard.Shard, opts.Shards),
		parts:  make([]part, opts.Shards),
		shift:  uint(64 - bits.TrailingZeros(uint(opts.Shards))),
		core:   &core{stop: make(chan struct{})},
	}
	f, _ := parseNotifyFlags(opts.NotifyKeyspaceEvents) // checked by withDefaults
	db.ntf.init(opts.PubSub, opts.Index, f)
	for i := range db.shards {
		db.shards[i] = shard.New(db.nowMs)
		db.shards[i].Index = i
		db.shards[i].OnStoreObject = db.parts[i].storedObject
		db.shards[i].OnDelete = db.onShardDelete // expiry notifications
	}
	if opts.ExpireInterval > 0 {
		db.wg.Add(1)
		go db.expireLoop()
	}
	return db, nil
}

// Close stops the background goroutines and waits for them. The data stays
// readable; closing twice returns ErrClosed.
func (db *DB) Close() error {
	if db.tx != nil {
		return ErrInTx
	}
	err := ErrClosed
	db.closeOnce.Do(func() {
		close(db.stop)
		db.wg.Wait()
		err = nil
	})
	return err
}

// nowMs is the current time in unix milliseconds, by Options.Clock.
//
// In a transaction's view it is the instant the transaction began.
func (db *DB) nowMs() int64 {
	if db.tx != nil {
		return db.tx.now
	}
	return db.opts.Clock().UnixMilli()
}

// Now is the DB's time (Options.Clock). In a transaction's view it is the
// instant the transaction began, which all of the transaction's expiry
// decisions and relative TTLs use, as Redis freezes time for a script.
func (db *DB) Now() time.Time {
	if db.tx != nil {
		return time.UnixMilli(db.tx.now)
	}
	return db.opts.Clock()
}

// hashTag returns the part of key that decides its shard: the content of
// the first {...} with at least one byte inside, else the whole key (Redis
// Cluster's hash-tag rule).
func hashTag(key string) string {
	i := strings.IndexByte(key, '{')
	if i < 0 {
		return key
	}
	j := strings.IndexByte(key[i+1:], '}')
	if j <= 0 {
		return key
	}
	return key[i+1 : i+1+j]
}

// shardIndex returns key's shard index and its in-shard hash.
func (db *DB) shardIndex(key string) (int, uint64) {
	h := shard.Hash(key)
	rh := h
	if tag := hashTag(key); len(tag) != len(key) {
		rh = shard.Hash(tag)
	}
	if db.shift == 64 {
		return 0, h
	}
	return int(rh >> db.shift), h
}

// dbKey is a key with its shard and hash worked out once.
type dbKey struct {
	name string
	sh   *shard.Shard
	h    uint64
}

func (db *DB) key(name string) dbKey {
	i, h := db.shardIndex(name)
	return dbKey{name, db.shards[i], h}
}

// find returns k's entry, or 0, deleting it if it has expired.
//
// REQUIRES: k.sh is locked.
func (k dbKey) find() shard.Ref { return k.sh.FindLocked(k.name, k.h) }

// findString returns k's entry if it holds a string, 0 if absent.
//
// REQUIRES: k.sh is locked.
func (k dbKey) findString() (shard.Ref, error) {
	r := k.find()
	if r != 0 && k.sh.TypeLocked(r) != shard.TypeString {
		return r, ErrWrongType
	}
	return r, nil
}

// Locking. Every method of the typed API locks through these helpers, so
// that the same code runs in a transaction view (db.tx != nil), where the
// locks are held already and the helpers only check that a key was
// declared, and so that unlocking serves the clients blocked on keys that a
// write made ready (blocking.go).

// lockKey locks k's shard. The common path is small enough to be inlined:
// it is on every command's way.
func (db *DB) lockKey(k dbKey) {
	if db.tx == nil {
		k.sh.Lock()
		return
	}
	db.useKey(k)
}

// useKey is lockKey in a transaction view.
//
//go:noinline
func (db *DB) useKey(k dbKey) { db.tx.use(db, k) }

// unlockKey unlocks k's shard, then serves clients blocked on keys the
// caller made ready.
func (db *DB) unlockKey(k dbKey) {
	if db.tx == nil && db.waiters.Load() == 0 { // nobody blocked: nothing can be ready
		k.sh.Unlock()
		return
	}
	db.unlockShard(k.sh.Index)
}

// lockShard and unlockShard lock shard i, for operations that visit every
// shard in turn (KEYS, SCAN, DBSIZE...).
func (db *DB) lockShard(i int) {
	if db.tx != nil {
		db.tx.useShard(i)
		return
	}
	db.shards[i].Lock()
}

func (db *DB) unlockShard(i int) {
	if db.tx != nil {
		return
	}
	ready := db.takeReadyLocked(nil, i)
	db.shards[i].Unlock()
	if len(ready) > 0 {
		db.serveReady(ready)
	}
}

// takeReadyLocked appends to ready the queues that writes made ready in
// shard i, and forgets them there: whoever unlocks the shard serves them.
// REQUIRES: shard i is locked.
func (db *DB) takeReadyLocked(ready []*waitQueue, i int) []*waitQueue {
	p := &db.parts[i]
	if len(p.ready) == 0 {
		return ready
	}
	ready = append(ready, p.ready...)
	p.ready = nil
	return ready
}

// lockSet is a set of shards locked together, in ascending index order so
// that two multi-key operations can never deadlock.
type lockSet struct {
	db  *DB
	idx []int
}

// lockKeys locks the shards of keys (in ascending order) and returns the
// set, which the caller must unlock.
func (db *DB) lockKeys(keys ...string) lockSet {
	ls := lockSet{db: db, idx: make([]int, len(keys))}
	for i, k := range keys {
		ls.idx[i], _ = db.shardIndex(k)
	}
	if db.tx != nil {
		for _, k := range keys {
			db.tx.use(db, db.key(k))
		}
		return ls
	}
	ls.lock()
	return ls
}

// lock locks ls's shards. REQUIRES: db.tx == nil.
func (ls *lockSet) lock() {
	slices.Sort(ls.idx)
	ls.idx = slices.Compact(ls.idx)
	for _, i := range ls.idx {
		ls.db.shards[i].Lock()
	}
}

// unlock unlocks the set, then serves the clients blocked on keys that the
// caller made ready.
func (ls lockSet) unlock() {
	db := ls.db
	if db.tx != nil {
		return
	}
	if db.waiters.Load() == 0 {
		ls.unlockRaw()
		return
	}
	var ready []*waitQueue
	for j := len(ls.idx) - 1; j >= 0; j-- {
		i := ls.idx[j]
		ready = db.takeReadyLocked(ready, i)
		db.shards[i].Unlock()
	}
	if len(ready) > 0 {
		db.serveReady(ready)
	}
}

// lockAll locks every shard in ascending order.
func (db *DB) lockAll() {
	if db.tx != nil {
		for i := range db.shards {
			db.tx.useShard(i)
		}
		return
	}
	for _, s := range db.shards {
		s.Lock()
	}
}

func (db *DB) unlockAll() {
	if db.tx != nil {
		return
	}
	ls := lockSet{db: db, idx: make([]int, len(db.shards))}
	for i := range ls.idx {
		ls.idx[i] = i
	}
	ls.unlock()
}

func checkKey(key string) error {
	if len(key) > shard.MaxKeyLen {
		return ErrKeyTooLong
	}
	return nil
}
