// Package shard owns one partition of a jackdaw keyspace: its lock, its
// key -> entry table, expiry bookkeeping, and memory accounting.
//
// # What it owns
//
// A Shard holds keys whose hashes the engine routed to it. It knows nothing
// of commands, of how keys are routed, of files or sockets. Callers lock the
// shard (Lock/Unlock) and then call the methods ending in Locked; an entry is
// addressed by a Ref, which stays valid while the lock is held and the entry
// is not deleted.
//
// # Entry layout
//
// The table is built for memory and for the garbage collector, since a cache
// lives inside the Go heap:
//
//   - entries live in fixed pages of 32-byte slots, addressed by a uint32 Ref;
//     buckets are a []uint32 of chain heads (chained hashing, load factor <= 1);
//     each slot's header holds the key's length and 4 bits of its hash, so a
//     lookup reads the key bytes of 1 in 16 of the other same-length keys it
//     meets in the chain, not all of them;
//   - each slot holds exactly one pointer: to a single pointer-free allocation
//     holding the key bytes followed by the value bytes (for raw strings);
//   - integers are kept in the slot itself (no value allocation), aggregates
//     (lists, sets, ...) live in a per-shard side table indexed from the slot,
//     so string keys pay nothing for them;
//   - the expiry time is in the slot; keys with a TTL are also listed in a
//     compact []uint32 that the active expiry cycle walks.
//
// For a 16-byte key with a 16-byte value this is about 70 bytes per key with
// the table included, and one pointer per key (to a no-scan object).
//
// Value bytes of a raw string are never modified once published (APPEND
// writes only past the old end), so readers may keep a returned slice after
// unlocking without copying it.
//
// # Iteration
//
// Scan walks bucket indices in reverse-binary order (Redis's dictScan
// cursor), so a key present for the whole of an iteration is returned at
// least once even when the table grows or shrinks between calls.
//
// # Left for later (planned places)
//
//   - Snapshot capture: a per-entry "captured in the running snapshot" bit
//     will live in the slot header (hdr spare bits); a write to an entry not
//     yet captured copies it to the snapshot first (see ARCHITECTURE.md).
//   - Journal of write effects: produced by the engine, which knows commands;
//     the shard only reports deletions it makes by itself (expiry, eviction)
//     through a callback set by the engine.
//   - Eviction: per-entry access data (an LRU clock or LFU counter) will need
//     a few bytes per slot; the slot grows to 40 bytes or vcap moves into the
//     allocation. Eviction candidates are sampled from the slot pages.
package shard
