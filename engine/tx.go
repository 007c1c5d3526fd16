package engine

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"unsafe"

	"github.com/jackdawdb/jackdaw/shard"
)

// Transactions. Both forms run their work on a view of the DB (a DB whose
// tx field is set) after locking every shard the work may touch, in
// ascending order; the view's lock helpers (db.go) then lock nothing and
// only check that a key belongs to the transaction. No other client can
// see a state between two of the transaction's writes.
//
// Update declares its keys and puts every key it wrote back as it was if
// its function fails. Exec is Redis's MULTI/EXEC: queued commands, watched
// keys, no rollback.

// txState is what a view knows about its transaction.
type txState struct {
	held []bool // held[i]: shard i is locked by the transaction
	now  int64  // unix ms: the one instant the transaction runs at

	// For Update: the declared keys, and the old value of each key the
	// function touched, to put back if it fails. nil for Exec.
	declared map[string]string // each key to itself: the caller's copy of the string
	undo     []undoEntry
	saved    map[string]struct{}
	// after holds what Update runs once it has committed and unlocked
	// (keyspace notifications of its writes); a failed Update drops it.
	after []func()
}

// undoEntry is a key as it was before a transaction first touched it.
type undoEntry struct {
	k       dbKey
	existed bool
	v       shard.Value
	exp     int64
}

// txMisuse is panicked by a view's lock helpers and recovered by the
// Update or Exec that made the view: a view cannot return an error from
// every method, and going on would break atomicity.
type txMisuse struct{ err error }

// use checks that the view may touch k and, in Update, saves k's value the
// first time. REQUIRES: k's shard is held.
func (tx *txState) use(db *DB, k dbKey) {
	if !tx.held[k.sh.Index] {
		panic(txMisuse{fmt.Errorf("%w: %q", ErrUndeclaredKey, k.name)})
	}
	if tx.declared == nil {
		return
	}
	name, ok := tx.declared[k.name]
	if !ok {
		panic(txMisuse{fmt.Errorf("%w: %q", ErrUndeclaredKey, k.name)})
	}
	if _, ok := tx.saved[name]; ok {
		return
	}
	k.name = name // k.name may alias bytes that the caller reuses
	tx.saved[name] = struct{}{}
	e := undoEntry{k: k}
	if r := k.find(); r != 0 {
		e.existed = true
		e.v = k.sh.ValueLocked(r)
		if e.v.Obj != nil {
			e.v.Obj = cloneObject(e.v.Obj)
		}
		e.exp = k.sh.ExpireAtLocked(r)
	}
	tx.undo = append(tx.undo, e)
}

func (tx *txState) useShard(i int) {
	if !tx.held[i] || tx.declared != nil {
		panic(txMisuse{fmt.Errorf("%w: the command visits every shard", ErrUndeclaredKey)})
	}
}

// rollbackLocked puts back every key the transaction touched.
func (tx *txState) rollbackLocked() {
	for i := len(tx.undo) - 1; i >= 0; i-- {
		e := tx.undo[i]
		r := e.k.find()
		if !e.existed {
			if r != 0 {
				e.k.sh.DeleteLocked(r, e.k.h)
			}
			continue
		}
		r = e.k.sh.StoreLocked(e.k.name, e.k.h, r, e.v)
		e.k.sh.SetExpireAtLocked(r, e.exp)
	}
}

// freeze makes the held shards decide expiry at tx.now, or (tx.now == 0)
// by the clock again. REQUIRES: the held shards are locked.
func (db *DB) freeze(tx *txState, on bool) {
	ms := int64(0)
	if on {
		ms = tx.now
	}
	for i, h := range tx.held {
		if h {
			db.shards[i].FreezeClockLocked(ms)
		}
	}
}

// view returns a view of db for a transaction holding the shards held.
func (db *DB) view(tx *txState) *DB {
	v := *db
	v.tx = tx
	return &v
}

// lockHeld locks the shards marked in held, in ascending order.
func (db *DB) lockHeld(held []bool) lockSet {
	ls := lockSet{db: db}
	for i, h := range held {
		if h {
			ls.idx = append(ls.idx, i)
		}
	}
	ls.lock()
	return ls
}

// Update runs fn as one atomic transaction over keys: it locks exactly the
// shards of keys (in ascending order), runs fn with tx, a view of db whose
// methods run under those locks, and returns fn's error. If fn returns an
// error (or panics), every key it wrote is put back as it was, so no write
// of a failed fn is ever visible.
//
// fn may touch only the declared keys: any other key, or a method that
// visits the whole keyspace (Keys, Scan, DBSize, FlushAll...), makes
// Update fail with ErrUndeclaredKey and roll back. Blocking calls on tx do
// not block (they behave as with a timeout that has passed, as in Redis's
// MULTI), and tx must not be used after fn returns or from another
// goroutine. Each key's old value is saved on its first use in fn; an
// aggregate is copied, so a large collection is cheaper to change with
// single commands than in an Update.
func (db *DB) Update(ctx context.Context, keys []string, fn func(tx *DB) error) (err error) {
	if db.tx != nil {
		return ErrInTx
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	tx := &txState{
		held:     make([]bool, len(db.shards)),
		declared: make(map[string]string, len(keys)),
		saved:    make(map[string]struct{}, len(keys)),
	}
	for _, k := range keys {
		if err := checkKey(k); err != nil {
			return err
		}
		i, _ := db.shardIndex(k)
		tx.held[i] = true
		tx.declared[k] = k
	}
	ls := db.lockHeld(tx.held)
	tx.now = db.opts.Clock().UnixMilli()
	db.freeze(tx, true)
	defer func() {
		db.freeze(tx, false)
		ls.unlock()
		if err == nil {
			for _, f := range tx.after {
				f()
			}
		}
	}()
	defer func() {
		p := recover()
		if m, ok := p.(txMisuse); ok { // an undeclared key: an error, not a panic
			err, p = m.err, nil
		}
		if p != nil || err != nil {
			tx.rollbackLocked()
		}
		if p != nil {
			panic(p)
		}
	}()
	return fn(db.view(tx))
}

// Watch is a key as a WATCH saw it: Exec fails if the key changed since.
type Watch struct {
	c   *core
	k   dbKey
	ver uint64
	exp int64 // the key's expiry at WATCH time, if it had one
}

// Watch returns what Exec needs to check that keys have not changed:
// written, deleted, expired or flushed, by anyone.
func (db *DB) Watch(keys ...string) []Watch {
	out := make([]Watch, 0, len(keys))
	for _, name := range keys {
		k := db.key(name)
		k.name = strings.Clone(name) // keep no alias of caller bytes
		db.lockKey(k)
		w := Watch{c: db.core, k: k}
		if r := k.find(); r != 0 { // find first: an expired key is deleted now, not later
			w.exp = k.sh.ExpireAtLocked(r)
		}
		w.ver = k.sh.VersionLocked(k.h)
		db.unlockKey(k)
		out = append(out, w)
	}
	return out
}

// changedLocked reports whether w's key may have changed since the Watch.
// REQUIRES: w's shard is locked.
func (w *Watch) changedLocked(now int64) bool {
	return w.k.sh.VersionLocked(w.k.h) != w.ver || (w.exp != 0 && now > w.exp)
}

// Exec runs cmds (each a command's arguments, name first) as one atomic
// transaction, as Redis's EXEC does, and returns one reply per command.
// A command's error (WRONGTYPE, say) is its reply; the others still run.
// It returns ErrWatchedKeyChanged, running nothing, if a key of watches
// changed since its Watch; watches of other DBs are checked under their
// shards' locks too, at the instant the transaction begins.
//
// Exec locks the shards of the commands' keys; a command whose keys it
// cannot tell from the table (KEYS, FLUSHALL, or a numkeys form such as
// ZUNIONSTORE) makes it lock every shard. Blocking commands do not block.
func (db *DB) Exec(ctx context.Context, watches []Watch, cmds [][][]byte) ([]Reply, error) {
	if db.tx != nil {
		return nil, ErrInTx
	}
	tx := &txState{held: make([]bool, len(db.shards))}
	for _, args := range cmds {
		c := LookupCommand(firstArg(args))
		if c == nil || !c.arityOK(len(args)) {
			return nil, ErrExecAbort
		}
		if c.FirstKey == 0 {
			if c.Flags&(FlagWrite|FlagReadonly) != 0 {
				for i := range tx.held {
					tx.held[i] = true
				}
			}
			continue
		}
		for _, k := range c.keys(args) {
			i, _ := db.shardIndex(k)
			tx.held[i] = true
		}
	}
	// The watched keys' shards: this DB's join the transaction's; those
	// of other DBs are locked with them just for the check, so that no
	// write can fall between the check and the commands. DBs are locked in
	// the order of their addresses, as Move does, shards ascending in each.
	type dbShards struct {
		c      *core
		shards []*shard.Shard
	}
	var others []dbShards
	for i := range watches {
		w := &watches[i]
		if w.c == db.core {
			tx.held[w.k.sh.Index] = true
			continue
		}
		j := slices.IndexFunc(others, func(g dbShards) bool { return g.c == w.c })
		if j < 0 {
			others = append(others, dbShards{c: w.c})
			j = len(others) - 1
		}
		if !slices.Contains(others[j].shards, w.k.sh) {
			others[j].shards = append(others[j].shards, w.k.sh)
		}
	}
	addr := func(c *core) uintptr { return uintptr(unsafe.Pointer(c)) }
	slices.SortFunc(others, func(a, b dbShards) int { return cmp.Compare(addr(a.c), addr(b.c)) })
	var ls lockSet
	ownLocked := false
	for _, g := range others {
		if !ownLocked && addr(db.core) < addr(g.c) {
			ls, ownLocked = db.lockHeld(tx.held), true
		}
		slices.SortFunc(g.shards, func(a, b *shard.Shard) int { return a.Index - b.Index })
		for _, sh := range g.shards {
			sh.Lock()
		}
	}
	if !ownLocked {
		ls = db.lockHeld(tx.held)
	}
	now := db.opts.Clock().UnixMilli()
	changed := false
	for i := range watches {
		changed = changed || watches[i].changedLocked(now)
	}
	for _, g := range others {
		for _, sh := range g.shards {
			sh.Unlock()
		}
	}
	tx.now = now
	db.freeze(tx, true)
	defer func() {
		db.freeze(tx, false)
		ls.unlock()
	}()
	if changed {
		return nil, ErrWatchedKeyChanged
	}
	view := db.view(tx)
	replies := make([]Reply, 0, len(cmds))
	for _, args := range cmds {
		replies = append(replies, view.execOne(ctx, args))
	}
	return replies, nil
}

// execOne runs one command of an Exec on a view.
func (db *DB) execOne(ctx context.Context, args [][]byte) (r Reply) {
	defer func() {
		if p := recover(); p != nil {
			m, ok := p.(txMisuse)
			if !ok {
				panic(p)
			}
			r = errReply(m.err) // a key the table did not declare: a bug, reported, not a deadlock
		}
	}()
	return db.Do(ctx, args...)
}

func firstArg(args [][]byte) []byte {
	if len(args) == 0 {
		return nil
	}
	return args[0]
}

// ValidateCommand reports the error Redis gives a command while it is
// queued in a MULTI (unknown command, wrong number of arguments), or ok.
func ValidateCommand(args [][]byte) (Reply, bool) {
	if len(args) == 0 {
		return ErrorReply("ERR empty command"), false
	}
	c := LookupCommand(args[0])
	if c == nil {
		return unknownCommand(args), false
	}
	if !c.arityOK(len(args)) {
		return ErrorReply("ERR wrong number of arguments for '" + c.Name + "' command"), false
	}
	return Reply{}, true
}
