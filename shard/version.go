package shard

// Versions let the engine tell whether a key may have changed between two
// moments (Redis's WATCH) without a per-key counter: every write to a key
// bumps the counter its hash selects, and a watcher compares the counter it
// saw with the one it sees later. A change to the key always bumps its
// counter (no false negatives); a write to another key of the same shard
// that selects the same counter looks like a change too (a false positive,
// with odds of 1/versionSlots per such write).

// versionSlots is the number of write counters per shard.
const versionSlots = 256

// touchLocked records a write to the key of hash h.
func (s *Shard) touchLocked(h uint64) { s.mu.vers[h&(versionSlots-1)]++ }

// touchEntryLocked records a write to entry e.
func (s *Shard) touchEntryLocked(e *slot) { s.touchLocked(Hash(e.key())) }

// VersionLocked returns the write counter of the key of hash h: it changes
// whenever that key is written, deleted or expires.
func (s *Shard) VersionLocked(h uint64) uint64 { return s.mu.vers[h&(versionSlots-1)] }
