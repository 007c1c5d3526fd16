package benchmarks

import (
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/jackdawdb/jackdaw/benchmarks/peer"
)

// Data types: one Redis command per op, on every typed peer (jackdaw's
// typed API, miniredis's Go methods, NutsDB, Redis through go-redis with
// and without pipelining). Names are Types/peer=<p>/op=<OP> and
// ZSet/n=<members>/peer=<p>/op=<OP>, so `benchstat -col /peer` lines the
// peers up. Every op is timed with a b.N loop followed by Flush, so the
// pipelined peer's last round trip is billed too.

var zsizes = flag.String("zsizes", "1000,10000,100000,1000000", "sorted-set sizes for BenchmarkZSet")

const (
	hashFields = 1000 // fields in the hash, members in set s1
	set2Size   = 100  // members in s2; half of them are in s1
	listLen    = 100  // elements in the LRANGE list
)

var typedVal = []byte("0123456789abcdef") // 16 bytes, not a number

// openTyped makes the named typed peer, or skips the benchmark when it
// cannot run here (no redis-server).
func openTyped(b *testing.B, name string) peer.TypedStore {
	b.Helper()
	s, err := peer.NewTyped(name)
	if errors.Is(err, peer.ErrUnavailable) {
		b.Skip(err)
	}
	if err != nil {
		b.Fatal(err)
	}
	return s
}

func lacks(s peer.TypedStore, cmd string) bool {
	p, ok := s.(peer.Partial)
	return ok && p.Lacks(cmd)
}

// pipelined reports whether s returns zero values (replies come later).
func pipelined(s peer.TypedStore) bool { return strings.HasSuffix(s.Name(), "-pipe") }

// timeOps runs op b.N times with a random index below n, then Flush.
func timeOps(b *testing.B, s peer.TypedStore, n int, op func(i int)) {
	r := rand.New(rand.NewPCG(7, uint64(n)))
	idx := make([]int32, 4096)
	for i := range idx {
		idx[i] = int32(r.IntN(n))
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		op(int(idx[i&4095]))
	}
	s.Flush()
	b.StopTimer()
}

func BenchmarkTypes(b *testing.B) {
	fields := make([]string, hashFields)
	members := make([][]byte, hashFields)
	for i := range fields {
		fields[i] = "field:" + strconv.Itoa(i)
		members[i] = []byte(fields[i])
	}
	s2 := make([][]byte, 0, set2Size)
	for i := range set2Size {
		if i%2 == 0 {
			s2 = append(s2, members[i]) // in s1
		} else {
			s2 = append(s2, []byte("other:"+strconv.Itoa(i)))
		}
	}
	list := make([][]byte, listLen)
	for i := range list {
		list[i] = typedVal
	}
	for _, name := range peer.TypedNames() {
		b.Run("peer="+name, func(b *testing.B) {
			s := openTyped(b, name)
			defer s.Close()
			for _, f := range fields {
				s.HSet("h", f, typedVal)
			}
			s.SAdd("s1", members...)
			s.SAdd("s2", s2...)
			s.LPush("l100", list...)
			s.Flush()
			if !pipelined(s) {
				if _, ok := s.HGet("h", fields[3]); !ok {
					b.Fatal("HGET missed")
				}
				if !s.SIsMember("s1", members[3]) {
					b.Fatal("SISMEMBER missed")
				}
				if n := s.LRange("l100", 0, listLen-1); n != listLen && n != -1 {
					b.Fatalf("LRANGE returned %d", n)
				}
				if !lacks(s, "SINTER") {
					if n := s.SInter("s1", "s2"); n != set2Size/2 && n != -1 {
						b.Fatalf("SINTER returned %d", n)
					}
				}
			}
			b.Run("op=HSET", func(b *testing.B) {
				timeOps(b, s, hashFields, func(i int) { s.HSet("h", fields[i], typedVal) })
			})
			b.Run("op=HGET", func(b *testing.B) {
				timeOps(b, s, hashFields, func(i int) { s.HGet("h", fields[i]) })
			})
			lists := 0
			b.Run("op=LPUSH", func(b *testing.B) {
				// Fresh lists, a new one every 1000 pushes, so that the
				// cost does not depend on b.N (miniredis's LPUSH is
				// linear in the list's length).
				keys := make([]string, b.N/1000+1)
				for i := range keys {
					lists++
					keys[i] = "lp" + strconv.Itoa(lists)
				}
				j := 0
				timeOps(b, s, 1, func(int) {
					s.LPush(keys[j/1000], typedVal)
					j++
				})
			})
			b.Run("op=LPOP", func(b *testing.B) {
				lists++
				key := "lp" + strconv.Itoa(lists)
				vals := make([][]byte, b.N)
				for i := range vals {
					vals[i] = typedVal
				}
				s.LPush(key, vals...)
				s.Flush()
				timeOps(b, s, 1, func(int) { s.LPop(key) })
			})
			b.Run("op=LRANGE_100", func(b *testing.B) {
				timeOps(b, s, 1, func(int) { s.LRange("l100", 0, listLen-1) })
			})
			b.Run("op=SADD", func(b *testing.B) {
				timeOps(b, s, hashFields, func(i int) { s.SAdd("s1", members[i]) })
			})
			b.Run("op=SISMEMBER", func(b *testing.B) {
				timeOps(b, s, hashFields, func(i int) { s.SIsMember("s1", members[i]) })
			})
			b.Run("op=SINTER", func(b *testing.B) {
				if lacks(s, "SINTER") {
					b.Skip(name, " has no SINTER")
				}
				timeOps(b, s, 1, func(int) { s.SInter("s1", "s2") })
			})
		})
	}
}

// BenchmarkZSet measures the sorted-set commands at -zsizes members
// (scores 0..n-1), one fresh store per size and peer.
func BenchmarkZSet(b *testing.B) {
	for _, f := range strings.Split(*zsizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			b.Fatalf("bad -zsizes entry %q", f)
		}
		members := make([]peer.ZMember, n)
		for i := range members {
			members[i] = peer.ZMember{Member: "member:" + strconv.Itoa(i), Score: float64(i)}
		}
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			for _, name := range peer.TypedNames() {
				b.Run("peer="+name, func(b *testing.B) {
					s := openTyped(b, name)
					defer s.Close()
					s.ZAdd("z", members...)
					s.Flush()
					if !pipelined(s) {
						if _, ok := s.ZScore("z", members[n/2].Member); !ok {
							b.Fatal("ZSCORE missed")
						}
						if r, ok := s.ZRank("z", members[n/2].Member); !ok || (r != n/2 && r != -1) {
							b.Fatalf("ZRANK = %d, %v; want %d", r, ok, n/2)
						}
						if c := s.ZRangeByScore("z", 0, float64(n), 10); c != min(10, n) && c != -1 {
							b.Fatalf("ZRANGEBYSCORE returned %d", c)
						}
					}
					b.Run("op=ZADD", func(b *testing.B) {
						// Moves an existing member to a random score.
						timeOps(b, s, n, func(i int) {
							s.ZAdd("z", peer.ZMember{Member: members[i].Member, Score: float64((i * 7919) % n)})
						})
					})
					b.Run("op=ZSCORE", func(b *testing.B) {
						timeOps(b, s, n, func(i int) { s.ZScore("z", members[i].Member) })
					})
					b.Run("op=ZRANK", func(b *testing.B) {
						timeOps(b, s, n, func(i int) { s.ZRank("z", members[i].Member) })
					})
					b.Run("op=ZRANGEBYSCORE_LIMIT10", func(b *testing.B) {
						timeOps(b, s, n, func(i int) { s.ZRangeByScore("z", float64(i), float64(i+1000), 10) })
					})
				})
			}
		})
	}
}
