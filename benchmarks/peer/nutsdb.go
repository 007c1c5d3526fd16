package peer

import (
	"os"

	"github.com/nutsdb/nutsdb"
)

func init() {
	RegisterTyped("nutsdb", func() (TypedStore, error) {
		dir, err := os.MkdirTemp("", "nutsdb-bench-")
		if err != nil {
			return nil, err
		}
		db, err := nutsdb.Open(nutsdb.DefaultOptions,
			nutsdb.WithDir(dir),
			nutsdb.WithSyncEnable(false), // no fsync per commit: compare memory with memory
			nutsdb.WithSegmentSize(64<<20),
		)
		if err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
		err = db.Update(func(tx *nutsdb.Tx) error {
			for _, b := range []struct {
				ds   uint16
				name string
			}{{nutsdb.DataStructureBTree, "h"}, {nutsdb.DataStructureList, "l"},
				{nutsdb.DataStructureSet, "s"}, {nutsdb.DataStructureSortedSet, "z"}} {
				if err := tx.NewBucket(b.ds, b.name); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			db.Close()
			os.RemoveAll(dir)
			return nil, err
		}
		return &nutsDB{db: db, dir: dir}, nil
	})
}

// nutsDB is NutsDB v1.0, the embedded Go store with lists, sets and sorted
// sets (its data files are append-only logs; fsync is off here). Each call
// is one transaction (db.Update or db.View), as its documentation shows.
// It has no hash type: a hash field is a key "key\x00field" in a B-tree
// bucket. It has no SINTER (see Lacks).
type nutsDB struct {
	db  *nutsdb.DB
	dir string
}

func (*nutsDB) Name() string { return "nutsdb" }

func (*nutsDB) Lacks(cmd string) bool { return cmd == "SINTER" }

func (c *nutsDB) update(f func(tx *nutsdb.Tx) error) {
	if err := c.db.Update(f); err != nil {
		panic(err)
	}
}

func hashKey(key, field string) []byte {
	b := make([]byte, 0, len(key)+1+len(field))
	return append(append(append(b, key...), 0), field...)
}

func (c *nutsDB) HSet(key, field string, v []byte) {
	c.update(func(tx *nutsdb.Tx) error { return tx.Put("h", hashKey(key, field), v, nutsdb.Persistent) })
}

func (c *nutsDB) HGet(key, field string) (v []byte, ok bool) {
	err := c.db.View(func(tx *nutsdb.Tx) (err error) {
		v, err = tx.Get("h", hashKey(key, field))
		return err
	})
	return v, err == nil
}

func (c *nutsDB) LPush(key string, vs ...[]byte) {
	c.update(func(tx *nutsdb.Tx) error { return tx.LPush("l", []byte(key), vs...) })
}

func (c *nutsDB) LPop(key string) (v []byte, ok bool) {
	err := c.db.Update(func(tx *nutsdb.Tx) (err error) {
		v, err = tx.LPop("l", []byte(key))
		return err
	})
	return v, err == nil
}

func (c *nutsDB) LRange(key string, start, stop int) (n int) {
	_ = c.db.View(func(tx *nutsdb.Tx) error {
		vs, err := tx.LRange("l", []byte(key), start, stop)
		n = len(vs)
		return err
	})
	return n
}

func (c *nutsDB) SAdd(key string, members ...[]byte) {
	c.update(func(tx *nutsdb.Tx) error { return tx.SAdd("s", []byte(key), members...) })
}

func (c *nutsDB) SIsMember(key string, member []byte) (ok bool) {
	_ = c.db.View(func(tx *nutsdb.Tx) (err error) {
		ok, err = tx.SIsMember("s", []byte(key), member)
		return err
	})
	return ok
}

func (*nutsDB) SInter(...string) int { panic("nutsdb: no SINTER") }

func (c *nutsDB) ZAdd(key string, members ...ZMember) {
	// Large loads in several transactions: NutsDB caps the entries per
	// transaction.
	for len(members) > 0 {
		chunk := members[:min(len(members), 10000)]
		members = members[len(chunk):]
		c.update(func(tx *nutsdb.Tx) error {
			for _, m := range chunk {
				if err := tx.ZAdd("z", []byte(key), m.Score, []byte(m.Member)); err != nil {
					return err
				}
			}
			return nil
		})
	}
}

func (c *nutsDB) ZScore(key, member string) (s float64, ok bool) {
	err := c.db.View(func(tx *nutsdb.Tx) (err error) {
		s, err = tx.ZScore("z", []byte(key), []byte(member))
		return err
	})
	return s, err == nil
}

func (c *nutsDB) ZRank(key, member string) (r int, ok bool) {
	err := c.db.View(func(tx *nutsdb.Tx) (err error) {
		r, err = tx.ZRank("z", []byte(key), []byte(member))
		return err
	})
	return r - 1, err == nil // NutsDB's ranks start at 1
}

func (c *nutsDB) ZRangeByScore(key string, min, max float64, count int) (n int) {
	_ = c.db.View(func(tx *nutsdb.Tx) error {
		ms, err := tx.ZRangeByScore("z", []byte(key), min, max, &nutsdb.GetByScoreRangeOptions{Limit: count})
		n = len(ms)
		return err
	})
	return n
}

func (*nutsDB) Flush() {}

func (c *nutsDB) Close() {
	_ = c.db.Close()
	_ = os.RemoveAll(c.dir)
}
