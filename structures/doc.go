// Package structures holds jackdaw's aggregate value types: List, Set, Hash
// and ZSet (the skiplist sorted set). It is the lowest layer of jackdaw and
// imports neither shard nor engine.
//
// # What it owns
//
// Single-threaded value types with Redis 7.0's semantics for the commands
// built on them:
//
//   - List: a chunked deque (quicklist-style nodes, each a small packed byte
//     buffer plus an offset table), O(1) push and pop at both ends; LRANGE,
//     LINSERT, LREM, LTRIM, LPOS and LSET semantics.
//   - Set: binary-safe members with O(1) add/remove/contains and O(1) random
//     member (SPOP, SRANDMEMBER), and a SSCAN cursor.
//   - Hash: field -> value with O(1) get/set/delete, HRANDFIELD and a HSCAN
//     cursor.
//   - ZSet: the skiplist sorted set with a member index, Redis's
//     rank/score/lex semantics in O(log n).
//
// Every type knows its approximate memory footprint (MemoryUsage, in bytes
// as Go's allocator rounds them), deep-copies itself (Clone) and encodes
// itself with msgpack (Encode, and a DecodeX function per type that refuses
// corrupt input whole, with an error, never a panic).
//
// # Built for memory
//
// A real keyspace is mostly small collections, so small sets and hashes
// (up to 128 entries of at most 64 bytes, Redis's listpack limits) are one
// pointer-free packed []byte searched linearly; past those limits they become
// a dense slice of entries plus a map from member (or field) to its index in
// the slice. A hash entry is one allocation holding field and value, the map
// key being a substring of it. List nodes hold up to 8 KiB / 1024 elements in
// a packed buffer, so a list costs its bytes plus about 4 bytes per element.
//
// # Aliasing
//
// Byte slices returned by read methods (Index, Range, Get, Members, iteration,
// Scan callbacks) alias the value's storage: they are read-only and valid
// only until the next mutation of the value. Pop methods return slices that
// the caller owns. Values passed in are always copied.
//
// # What it leaves to others
//
// Locks, keys, shards, expiry and time, command parsing, replies and the
// journal belong to the shard and engine packages. Arguments that Redis
// validates before touching a value (LPOS's RANK 0, SPOP's negative count,
// integer parsing) are the caller's job; methods here clamp or ignore such
// inputs rather than fail.
package structures
