package peer

import "github.com/jackdawdb/jackdaw/engine"

func init() {
	Register("jackdaw", func(int) Cache {
		db, err := engine.Open(engine.Options{})
		if err != nil {
			panic(err)
		}
		return jackdaw{db}
	})
}

// jackdaw is the engine with its default options (64 shards on up to 4
// cores, background expiry on). Set copies the value into the shard.
type jackdaw struct{ db *engine.DB }

func (jackdaw) Name() string { return "jackdaw" }

func (c jackdaw) Get(key string) ([]byte, bool) {
	v, ok, err := c.db.Get(key)
	if err != nil {
		panic(err)
	}
	return v, ok
}

func (c jackdaw) Set(key string, v []byte) {
	if err := c.db.Set(key, v); err != nil {
		panic(err)
	}
}

func (c jackdaw) Close() { _ = c.db.Close() }

func (c jackdaw) AccountedBytes() int64 {
	st := c.db.Stats()
	return st.Total.TotalMemory()
}
