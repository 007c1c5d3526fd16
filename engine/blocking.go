package engine

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackdawdb/jackdaw/shard"
)

// Blocking pops (BLPOP, BLMOVE, BZPOPMIN...). A call that finds nothing to
// pop registers a waiter on each of its keys, under the locks of those
// keys, and sleeps. A write that stores a list or sorted set under a key
// with waiters marks the key's queue ready (the shard's OnStoreObject
// hook); when the writer unlocks, it serves the queue before it returns:
// waiters in arrival order (FIFO), each getting what it would have popped
// itself, until the key is empty. The element passes from the key to the
// waiter under the key's lock, and a waiter is claimed (an atomic state
// change) before anything is popped for it, so a waiter that gives up
// (context cancelled, timeout, Close) either got its element or left it in
// the key: nothing is lost and nothing is popped twice.
//
// A waiter can only exist on a key that was absent when it blocked (a key
// of another type is an error, a non-empty one is popped at once), so a
// key can start to serve waiters only by an aggregate being stored under it:
// the hook sees every such write (push, LMOVE, ZADD, RENAME, COPY,
// ...STORE, a transaction), and nothing else can wake a waiter.

// ErrWouldBlock is returned by a blocking call on a transaction's view
// when there is nothing to pop: a transaction cannot wait (Redis's MULTI
// runs such a command as if it had timed out).
var ErrWouldBlock = errors.New("jackdaw: nothing to pop, and a transaction cannot block")

// errTimedOut ends a blocking command whose timeout passed.
var errTimedOut = errors.New("jackdaw: blocking timeout")

type blockKind uint8

const (
	blockPop  blockKind = iota // BLPOP, BRPOP, BLMPOP
	blockMove                  // BLMOVE, BRPOPLPUSH
	blockZPop                  // BZPOPMIN, BZPOPMAX, BZMPOP
)

// blockOp is what a blocked call will do when a key becomes ready.
type blockOp struct {
	kind  blockKind
	end   End   // list end to pop from
	to    End   // blockMove: end of dst to push to
	dst   dbKey // blockMove
	count int   // pop up to count elements
	max   bool  // blockZPop: highest scores first
}

// wants reports whether the op can be served from a key of type t.
func (op *blockOp) wants(t Type) bool {
	if op.kind == blockZPop {
		return t == TypeZSet
	}
	return t == TypeList
}

// blockResult is what a blocked call got.
type blockResult struct {
	key     string
	values  [][]byte
	members []ZMember
}

// Waiter states.
const (
	waiting int32 = iota
	served
	gaveUp
)

type waiter struct {
	state  atomic.Int32
	done   chan struct{} // closed once served
	op     blockOp
	queues []*waitQueue
	res    blockResult
	err    error
}

// waitQueue lists the waiters on one key, in arrival order. It is guarded
// by the lock of the key's shard.
type waitQueue struct {
	key     string
	idx     int // the key's shard
	waiters []*waiter
	readied bool // in its part's ready list
}

// storedObject is the shard's OnStoreObject hook: it marks key's queue
// ready when a list or sorted set is stored under it.
// REQUIRES: the shard's lock is held.
func (p *part) storedObject(key string, t shard.Type) {
	if len(p.blocked) == 0 || (t != TypeList && t != TypeZSet) {
		return
	}
	if q := p.blocked[key]; q != nil && !q.readied {
		q.readied = true
		p.ready = append(p.ready, q)
	}
}

// serveReady serves the queues in ready, and those that serving makes
// ready (a BLMOVE's push can create a list other clients wait on).
// REQUIRES: no shard is locked by the caller.
func (db *DB) serveReady(ready []*waitQueue) {
	for len(ready) > 0 {
		q := ready[0]
		ready = append(ready[1:], db.serveQueue(q)...)
	}
}

// serveQueue serves q's waiters in order while its key has something for
// them, and returns the queues that became ready meanwhile.
func (db *DB) serveQueue(q *waitQueue) []*waitQueue {
	var more []*waitQueue
	// collect takes the queues that serving made ready in the locked
	// shards; it runs before every unlock, or a waiter on them could be
	// left asleep with its key full.
	collect := func(ls lockSet) {
		for _, i := range ls.idx {
			more = db.takeReadyLocked(more, i)
		}
	}
	ls := lockSet{db: db, idx: []int{q.idx}}
	ls.lock()
	q.readied = false
	k := dbKey{q.key, db.shards[q.idx], shard.Hash(q.key)}
	for {
		r := k.find()
		if r == 0 {
			break
		}
		t := k.sh.TypeLocked(r)
		q.waiters = slices.DeleteFunc(q.waiters, func(w *waiter) bool { return w.state.Load() != waiting })
		var pick *waiter
		relock := -1
		for _, w := range q.waiters {
			if !w.op.wants(t) {
				continue
			}
			if w.op.kind == blockMove {
				d := w.op.dst
				if !slices.Contains(ls.idx, d.sh.Index) {
					relock = d.sh.Index
					break
				}
				if dr := d.find(); dr != 0 && d.sh.TypeLocked(dr) != TypeList {
					continue // as in Redis: a wrong-typed destination leaves it blocked
				}
			}
			pick = w
			break
		}
		if relock >= 0 {
			collect(ls)
			ls.unlockRaw()
			ls.idx = []int{q.idx, relock}
			ls.lock()
			continue
		}
		if pick == nil || !pick.state.CompareAndSwap(waiting, served) {
			if pick == nil {
				break
			}
			continue
		}
		pick.res, pick.err = db.popForLocked(k, &pick.op)
		close(pick.done)
	}
	collect(ls)
	ls.unlockRaw()
	return more
}

// unlockRaw unlocks ls's shards without serving ready queues.
func (ls lockSet) unlockRaw() {
	for j := len(ls.idx) - 1; j >= 0; j-- {
		ls.db.shards[ls.idx[j]].Unlock()
	}
}

// popForLocked pops from k (which holds a value of the type op wants) what
// op asks for. REQUIRES: the shards of k and op.dst are locked.
func (db *DB) popForLocked(k dbKey, op *blockOp) (blockResult, error) {
	res := blockResult{key: k.name}
	switch op.kind {
	case blockMove:
		v, _, err := db.lmoveLocked(k, op.dst, op.end, op.to)
		res.values = [][]byte{v}
		return res, err
	case blockZPop:
		_, out, err := db.zpopLocked([]dbKey{k}, op.count, op.max)
		res.members = out
		return res, err
	}
	vs, _, err := db.popLocked(k, op.end, op.count)
	res.values = vs
	return res, err
}

// tryPopLocked is the non-blocking attempt: the first of keys with
// something to pop is popped; a key of the wrong type is an error.
// REQUIRES: the shards of keys (and op.dst) are locked.
func (db *DB) tryPopLocked(keys []dbKey, op *blockOp) (blockResult, bool, error) {
	for _, k := range keys {
		r := k.find()
		if r == 0 {
			continue
		}
		if !op.wants(k.sh.TypeLocked(r)) {
			return blockResult{}, false, ErrWrongType
		}
		if op.kind == blockMove && k.name != op.dst.name {
			if dr := op.dst.find(); dr != 0 && op.dst.sh.TypeLocked(dr) != TypeList {
				return blockResult{}, false, ErrWrongType
			}
		}
		res, err := db.popForLocked(k, op)
		return res, err == nil, err
	}
	return blockResult{}, false, nil
}

// block pops for op from the first of keys that has something, or waits
// for one to have something. It returns ctx's error (context.Cause),
// having popped nothing, if ctx ends first (or had ended when it was
// called), errTimedOut if it waited for timeout (> 0) in vain (the clock
// starts when it starts waiting, as Redis's does), ErrClosed if the DB is
// closed, and ErrWouldBlock on a transaction's view.
func (db *DB) block(ctx context.Context, names []string, op blockOp, timeout time.Duration) (blockResult, error) {
	for _, n := range names {
		if err := checkKey(n); err != nil {
			return blockResult{}, err
		}
	}
	if ctx.Err() != nil && db.tx == nil { // ended already: take nothing
		return blockResult{}, context.Cause(ctx)
	}
	keys := db.dbKeys(names)
	lockNames := names
	if op.kind == blockMove {
		lockNames = []string{names[0], op.dst.name}
	}
	ls := db.lockKeys(lockNames...)
	res, ok, err := db.tryPopLocked(keys, &op)
	if ok || err != nil || db.tx != nil {
		ls.unlock()
		if !ok && err == nil {
			err = ErrWouldBlock
		}
		return res, err
	}
	w := &waiter{done: make(chan struct{}), op: op}
	for _, k := range keys {
		p := &db.parts[k.sh.Index]
		q := p.blocked[k.name]
		if q == nil {
			if p.blocked == nil {
				p.blocked = make(map[string]*waitQueue)
			}
			q = &waitQueue{key: strings.Clone(k.name), idx: k.sh.Index}
			p.blocked[q.key] = q
		}
		if !slices.Contains(w.queues, q) { // BLPOP k k waits once on k
			q.waiters = append(q.waiters, w)
			w.queues = append(w.queues, q)
		}
	}
	// Counted before unlocking, uncounted after unregistering: a writer
	// that made one of these keys ready holds its lock, so it sees the
	// count and serves the queue as it unlocks.
	db.waiters.Add(1)
	ls.unlock()

	var expired <-chan time.Time
	if timeout > 0 {
		t := time.NewTimer(timeout)
		defer t.Stop()
		expired = t.C
	}
	select {
	case <-w.done:
	case <-ctx.Done():
		err = context.Cause(ctx)
	case <-expired:
		err = errTimedOut
	case <-db.stop:
		err = ErrClosed
	}
	if err != nil && !w.state.CompareAndSwap(waiting, gaveUp) {
		<-w.done // served meanwhile: the element is ours
		err = nil
	}
	db.unregister(w)
	db.waiters.Add(-1)
	if err != nil {
		return blockResult{}, err
	}
	return w.res, w.err
}

// unregister removes w from its queues, and a queue left empty from its
// shard.
func (db *DB) unregister(w *waiter) {
	for _, q := range w.queues {
		sh := db.shards[q.idx]
		sh.Lock()
		q.waiters = slices.DeleteFunc(q.waiters, func(x *waiter) bool { return x == w })
		if p := &db.parts[q.idx]; len(q.waiters) == 0 && p.blocked[q.key] == q {
			delete(p.blocked, q.key)
		}
		sh.Unlock()
	}
}

// BLPop pops the first element of the first non-empty list among keys,
// waiting until one has an element or ctx ends (then it returns
// context.Cause(ctx) and has popped nothing; a ctx that has ended already
// pops nothing either). Clients blocked on the same key are served in the
// order they blocked.
func (db *DB) BLPop(ctx context.Context, keys ...string) (key string, value []byte, err error) {
	return db.blpop(ctx, keys, Left)
}

// BRPop is BLPop at the tail of the lists.
func (db *DB) BRPop(ctx context.Context, keys ...string) (key string, value []byte, err error) {
	return db.blpop(ctx, keys, Right)
}

func (db *DB) blpop(ctx context.Context, keys []string, end End) (string, []byte, error) {
	res, err := db.block(ctx, keys, blockOp{kind: blockPop, end: end, count: 1}, 0)
	if err != nil {
		return "", nil, err
	}
	return res.key, res.values[0], nil
}

// BLMPop pops up to count elements from the from end of the first
// non-empty list among keys, waiting as BLPop does.
func (db *DB) BLMPop(ctx context.Context, keys []string, from End, count int) (key string, values [][]byte, err error) {
	if len(keys) == 0 {
		return "", nil, ErrNumKeys
	}
	if count < 1 {
		return "", nil, errMPopCount
	}
	res, err := db.block(ctx, keys, blockOp{kind: blockPop, end: from, count: count}, 0)
	return res.key, res.values, err
}

// BLMove moves an element from the from end of the list at src to the to
// end of the list at dst, waiting as BLPop does for src to have one.
func (db *DB) BLMove(ctx context.Context, src, dst string, from, to End) ([]byte, error) {
	if err := checkKey(dst); err != nil {
		return nil, err
	}
	res, err := db.block(ctx, []string{src}, blockOp{kind: blockMove, end: from, to: to, dst: db.key(dst), count: 1}, 0)
	if err != nil {
		return nil, err
	}
	return res.values[0], nil
}

// BRPopLPush is BLMove(ctx, src, dst, Right, Left).
func (db *DB) BRPopLPush(ctx context.Context, src, dst string) ([]byte, error) {
	return db.BLMove(ctx, src, dst, Right, Left)
}

// BZPopMin pops the lowest-scored member of the first non-empty sorted set
// among keys, waiting as BLPop does.
func (db *DB) BZPopMin(ctx context.Context, keys ...string) (key string, m ZMember, err error) {
	return db.bzpop(ctx, keys, false)
}

// BZPopMax is BZPopMin for the highest score.
func (db *DB) BZPopMax(ctx context.Context, keys ...string) (key string, m ZMember, err error) {
	return db.bzpop(ctx, keys, true)
}

func (db *DB) bzpop(ctx context.Context, keys []string, max bool) (string, ZMember, error) {
	res, err := db.block(ctx, keys, blockOp{kind: blockZPop, count: 1, max: max}, 0)
	if err != nil {
		return "", ZMember{}, err
	}
	return res.key, res.members[0], nil
}

// BZMPop pops up to count members (lowest scores, or highest if max) from
// the first non-empty sorted set among keys, waiting as BLPop does.
func (db *DB) BZMPop(ctx context.Context, keys []string, max bool, count int) (key string, members []ZMember, err error) {
	if len(keys) == 0 {
		return "", nil, ErrNumKeys
	}
	if count < 1 {
		return "", nil, errMPopCount
	}
	res, err := db.block(ctx, keys, blockOp{kind: blockZPop, count: count, max: max}, 0)
	return res.key, res.members, err
}
