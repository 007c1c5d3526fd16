// Package engine is jackdaw's database: a DB holds Redis's data model in
// this process's memory, split into lock-sharded partitions.
//
// # What it owns
//
//   - Routing: a key goes to a shard by xxh3 of the key, or of the first
//     non-empty {...} section in it (Redis Cluster's hash-tag rule), so that
//     related keys share a shard and multi-key operations on them take one
//     lock.
//   - The typed Go API per data type (Get, Set, IncrBy, Expire, Scan, ...),
//     with Redis's semantics and error texts (see errors.go).
//   - Atomic multi-key operations: shards are locked in ascending index
//     order, so two operations never deadlock.
//   - Transactions (tx.go): Update, a Go closure over declared keys that
//     commits all or nothing, and Watch/Exec, Redis's WATCH and MULTI/EXEC.
//   - Blocking pops (blocking.go): BLPOP, BLMOVE, BZPOPMIN and the rest,
//     served in arrival order, cancelled by a context.
//   - Pub/sub (pubsub.go) and keyspace notifications (notify.go).
//   - Background expiry (expire.go) and statistics (stats.go).
//
// # What it leaves to others
//
// The per-key storage, its memory layout and expiry bookkeeping belong to
// package shard; value types (lists, sets, ...) to package structures;
// snapshot files to persist; replication to replicate. The engine knows no
// file formats and no sockets.
//
// # Values and ownership
//
// Values passed in are copied. Byte slices returned by reads are shared with
// the store and must not be modified; they never change afterwards, even if
// the key is written again, so they may be kept.
//
// # Locking
//
// Each shard has one mutex. Every method locks through a few helpers in
// db.go (lockKey, lockKeys, lockShard) and then runs a core whose name ends
// in Locked. A transaction locks all its shards first, in ascending order,
// and hands its work a view of the DB (a DB whose tx field is set) whose
// helpers lock nothing and only check that each key is one the
// transaction declared: the same code serves single commands and
// transactions, and touching an undeclared key is an error
// (ErrUndeclaredKey), never a deadlock.
//
// # Transactions
//
// Update(ctx, keys, fn) locks the shards of keys, runs fn on the view and
// keeps its writes only if fn returns nil: before fn first touches a key
// its value is saved (an aggregate is copied), and a failed fn gets every
// touched key put back. Exec runs queued commands as Redis's EXEC does:
// errors while queueing abort it (ErrExecAbort), errors while running are
// per-command replies, and nothing is rolled back. Watch records, per key,
// a write counter of its shard (shard/version.go) and its expiry; Exec
// refuses to run (ErrWatchedKeyChanged) if a counter moved or the key's
// expiry passed. Every write bumps its key's counter, so no change is
// missed; a write to another key that shares the counter (1 in 256 of a
// shard's keys) or a write command that changed nothing but still touched
// the entry fails a WATCH that Redis would let through.
//
// # Blocking pops
//
// A blocking call that finds its keys empty registers a waiter on each key
// while holding their locks, so no write can slip between the check and
// the registration. When a list or sorted set is stored under a key with
// waiters, the shard tells the engine (shard.OnStoreObject); the writer,
// as it unlocks, serves the waiters in the order they blocked, popping
// for each under the key's lock. A waiter is claimed atomically before its
// element is popped, so a cancelled context, a timeout or Close either
// returns the element or leaves it in the list.
//
// # Pub/sub and keyspace notifications
//
// DB.PubSub returns the DB's hub (Options.PubSub; DBs may share one, as a
// Redis server's databases share pub/sub). PubSub.Publish delivers to every
// subscription to the channel and to every subscription to a matching glob
// pattern, and returns the number of deliveries, as PUBLISH does. A
// Subscription delivers on a channel with a bounded buffer; a subscription
// whose buffer is full when a message arrives is closed (ErrSlowSubscriber),
// as Redis disconnects a client past its pubsub output-buffer limit, so a
// publisher never blocks and memory stays bounded.
//
// Keyspace notifications (Options.NotifyKeyspaceEvents,
// SetNotifyKeyspaceEvents: Redis's notify-keyspace-events letters, off by
// default) publish Redis 7.0's events on __keyspace@<Index>__:<key> and
// __keyevent@<Index>__:<event>. The write cores fire them while the shard
// lock is held (lock order: shard, then hub), so the typed API, Do and Exec
// all notify; Update publishes its notifications after it commits and drops
// them if it rolls back. Expiry fires "expired"; "keymiss" is not fired.
// Turned off, notifications cost one atomic load per write.
//
// # Time
//
// Expiry is decided by Options.Clock, read only when a key with a TTL is
// touched. A key past its expiry is never visible to any read, SCAN or KEYS
// included; it is deleted when touched or by the background cycle.
package engine
