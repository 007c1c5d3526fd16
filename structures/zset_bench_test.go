package structures

import (
	"math/rand/v2"
	"strconv"
	"testing"
)

// BenchmarkZSetUpdateScore and BenchmarkZSetRank move existing members to
// random scores and rank them, at sizes where the skiplist no longer fits
// in the CPU cache: each level walked is a miss, so the node layout shows.
func BenchmarkZSetUpdateScore(b *testing.B) {
	benchZSet(b, func(z *ZSet, m string, s float64) { z.Add(m, s) })
}

func BenchmarkZSetRank(b *testing.B) {
	benchZSet(b, func(z *ZSet, m string, _ float64) { z.Rank(m, false) })
}

func benchZSet(b *testing.B, op func(z *ZSet, member string, score float64)) {
	for _, n := range []int{100_000, 1_000_000} {
		b.Run("n="+strconv.Itoa(n), func(b *testing.B) {
			r := rand.New(rand.NewPCG(1, 2))
			z := NewZSet()
			ms := make([]string, n)
			for i := range ms {
				ms[i] = "element:" + strconv.Itoa(i)
				z.Add(ms[i], r.Float64()*1e6)
			}
			for b.Loop() {
				op(z, ms[r.IntN(n)], r.Float64()*1e6)
			}
		})
	}
}
