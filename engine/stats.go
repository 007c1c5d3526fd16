package engine

import "github.com/jackdawdb/jackdaw/shard"

// ShardStats are one shard's counters; see shard.Stats.
type ShardStats = shard.Stats

// Stats describe a DB: keys, approximate memory and counters, per shard and
// in total.
type Stats struct {
	Shards []ShardStats
	Total  ShardStats
}

// Stats reads every shard's counters. Each shard is read at one instant.
func (db *DB) Stats() Stats {
	st := Stats{Shards: make([]ShardStats, len(db.shards))}
	for i, s := range db.shards {
		db.lockShard(i)
		st.Shards[i] = s.StatsLocked()
		db.unlockShard(i)
		st.Total.Add(&st.Shards[i])
	}
	return st
}
