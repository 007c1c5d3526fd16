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
// # Time
//
// Expiry is decided by Options.Clock, read only when a key with a TTL is
// touched. A key past its expiry is never visible to any read, SCAN or KEYS
// included; it is deleted when touched or by the background cycle.
package engine
