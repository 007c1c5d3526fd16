package engine

// BlockedForTest is the number of clients waiting on key.
func BlockedForTest(db *DB, key string) int {
	k := db.key(key)
	k.sh.Lock()
	defer k.sh.Unlock()
	if q := db.parts[k.sh.Index].blocked[key]; q != nil {
		n := 0
		for _, w := range q.waiters {
			if w.state.Load() == waiting {
				n++
			}
		}
		return n
	}
	return 0
}

// ShardOfForTest is the index of key's shard.
func ShardOfForTest(db *DB, key string) int { return db.key(key).sh.Index }
