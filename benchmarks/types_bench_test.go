package benchmarks

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/jackdawdb/jackdaw/engine"
	"github.com/jackdawdb/jackdaw/structures"
)

// Data-type operations through jackdaw's typed API. The sorted-set
// benchmarks run at 1e3..1e6 members so that the O(log n) growth shows.

func openTypesDB(b *testing.B) *engine.DB {
	db, err := engine.Open(engine.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

func BenchmarkZSet(b *testing.B) {
	for _, n := range []int{1e3, 1e4, 1e5, 1e6} {
		db := openTypesDB(b)
		members := make([]engine.ZMember, n)
		for i := range members {
			members[i] = engine.ZMember{Member: "member:" + strconv.Itoa(i), Score: float64(i)}
		}
		if _, err := db.ZAdd("z", engine.ZAddArgs{}, members...); err != nil {
			b.Fatal(err)
		}
		r := rand.New(rand.NewPCG(1, uint64(n)))
		b.Run(fmt.Sprintf("ZADD/n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				m := members[r.IntN(n)]
				db.ZAdd("z", engine.ZAddArgs{}, engine.ZMember{Member: m.Member, Score: float64(r.IntN(n))})
			}
		})
		b.Run(fmt.Sprintf("ZRANK/n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				db.ZRank("z", members[r.IntN(n)].Member)
			}
		})
		b.Run(fmt.Sprintf("ZRANGEBYSCORE_LIMIT10/n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				lo := float64(r.IntN(n))
				db.ZRangeByScore("z", structures.ScoreRange{Min: lo, Max: lo + 1000}, engine.ZRangeOpts{Count: 10})
			}
		})
	}
}

func BenchmarkTypes(b *testing.B) {
	db := openTypesDB(b)
	val := []byte("0123456789abcdef")
	fields := make([]string, 1000)
	for i := range fields {
		fields[i] = "field:" + strconv.Itoa(i)
		db.HSet("h", engine.FieldValue{Field: fields[i], Value: val})
		db.SAdd("s", []byte(fields[i]))
	}
	r := rand.New(rand.NewPCG(2, 3))
	b.Run("HSET", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			db.HSet("h", engine.FieldValue{Field: fields[r.IntN(len(fields))], Value: val})
		}
	})
	b.Run("HGET", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			db.HGet("h", fields[r.IntN(len(fields))])
		}
	})
	b.Run("LPUSH+RPOP", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			db.LPush("l", val)
			db.RPop("l", 1)
		}
	})
	for range 100 {
		db.RPush("l100", val)
	}
	b.Run("LRANGE_100", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			db.LRange("l100", 0, 99)
		}
	})
	b.Run("SADD", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			db.SAdd("s", []byte(fields[r.IntN(len(fields))]))
		}
	})
	b.Run("SISMEMBER", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			db.SIsMember("s", []byte(fields[r.IntN(len(fields))]))
		}
	})
}
