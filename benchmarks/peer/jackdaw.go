package peer

import (
	"github.com/jackdawdb/jackdaw/engine"
	"github.com/jackdawdb/jackdaw/structures"
)

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

func init() {
	RegisterTyped("jackdaw", func() (TypedStore, error) {
		db, err := engine.Open(engine.Options{})
		if err != nil {
			return nil, err
		}
		return jackdawTyped{db}, nil
	})
}

// jackdawTyped is the engine's typed API (db.HSet, db.ZAdd, ...), called
// directly: what an embedding program pays per operation.
type jackdawTyped struct{ db *engine.DB }

func (jackdawTyped) Name() string { return "jackdaw" }

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func (c jackdawTyped) HSet(key, field string, v []byte) {
	must(c.db.HSet(key, engine.FieldValue{Field: field, Value: v}))
}

func (c jackdawTyped) HGet(key, field string) ([]byte, bool) {
	v, ok, err := c.db.HGet(key, field)
	must(0, err)
	return v, ok
}

func (c jackdawTyped) LPush(key string, vs ...[]byte) { must(c.db.LPush(key, vs...)) }

func (c jackdawTyped) LPop(key string) ([]byte, bool) {
	vs := must(c.db.LPop(key, 1))
	if len(vs) == 0 {
		return nil, false
	}
	return vs[0], true
}

func (c jackdawTyped) LRange(key string, start, stop int) int {
	return len(must(c.db.LRange(key, start, stop)))
}

func (c jackdawTyped) SAdd(key string, members ...[]byte) { must(c.db.SAdd(key, members...)) }

func (c jackdawTyped) SIsMember(key string, member []byte) bool {
	return must(c.db.SIsMember(key, member))
}

func (c jackdawTyped) SInter(keys ...string) int { return len(must(c.db.SInter(keys...))) }

func (c jackdawTyped) ZAdd(key string, members ...ZMember) {
	if len(members) == 1 { // the common case, without a slice
		m := engine.ZMember{Member: members[0].Member, Score: members[0].Score}
		must(c.db.ZAdd(key, engine.ZAddArgs{}, m))
		return
	}
	ms := make([]engine.ZMember, len(members))
	for i, m := range members {
		ms[i] = engine.ZMember{Member: m.Member, Score: m.Score}
	}
	must(c.db.ZAdd(key, engine.ZAddArgs{}, ms...))
}

func (c jackdawTyped) ZScore(key, member string) (float64, bool) {
	s, ok, err := c.db.ZScore(key, member)
	must(0, err)
	return s, ok
}

func (c jackdawTyped) ZRank(key, member string) (int, bool) {
	r, ok, err := c.db.ZRank(key, member)
	must(0, err)
	return r, ok
}

func (c jackdawTyped) ZRangeByScore(key string, min, max float64, count int) int {
	ms := must(c.db.ZRangeByScore(key, structures.ScoreRange{Min: min, Max: max}, engine.ZRangeOpts{Count: count}))
	return len(ms)
}

func (jackdawTyped) Flush() {}

func (c jackdawTyped) Close() { _ = c.db.Close() }
