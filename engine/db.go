package engine

import (
	"math/bits"
	"slices"
	"strings"
	"sync"

	"github.com/jackdawdb/jackdaw/shard"
)

// DB is an in-memory keyspace with Redis's data model. All methods are safe
// for concurrent use.
type DB struct {
	opts   Options
	shards []*shard.Shard
	shift  uint // a key goes to shards[routingHash >> shift]

	closeOnce sync.Once
	stop      chan struct{}
	wg        sync.WaitGroup // background goroutines
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
		shift:  uint(64 - bits.TrailingZeros(uint(opts.Shards))),
		stop:   make(chan struct{}),
	}
	for i := range db.shards {
		db.shards[i] = shard.New(db.nowMs)
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
	err := ErrClosed
	db.closeOnce.Do(func() {
		close(db.stop)
		db.wg.Wait()
		err = nil
	})
	return err
}

// nowMs is the current time in unix milliseconds, by Options.Clock.
func (db *DB) nowMs() int64 { return db.opts.Clock().UnixMilli() }

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

// route returns key's shard and hash.
func (db *DB) route(key string) (*shard.Shard, uint64) {
	i, h := db.shardIndex(key)
	return db.shards[i], h
}

// dbKey is a key with its shard and hash worked out once.
type dbKey struct {
	name string
	sh   *shard.Shard
	h    uint64
}

func (db *DB) key(name string) dbKey {
	sh, h := db.route(name)
	return dbKey{name, sh, h}
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
	ls.lock()
	return ls
}

func (ls *lockSet) lock() {
	slices.Sort(ls.idx)
	ls.idx = slices.Compact(ls.idx)
	for _, i := range ls.idx {
		ls.db.shards[i].Lock()
	}
}

func (ls lockSet) unlock() {
	for j := len(ls.idx) - 1; j >= 0; j-- {
		ls.db.shards[ls.idx[j]].Unlock()
	}
}

// lockAll locks every shard in ascending order.
func (db *DB) lockAll() {
	for _, s := range db.shards {
		s.Lock()
	}
}

func (db *DB) unlockAll() {
	for i := len(db.shards) - 1; i >= 0; i-- {
		db.shards[i].Unlock()
	}
}

func checkKey(key string) error {
	if len(key) > shard.MaxKeyLen {
		return ErrKeyTooLong
	}
	return nil
}
