package structures

import (
	"fmt"
	"testing"
)

func BenchmarkSetMemory(b *testing.B) {
	ms, _ := benchFields(1 << 20)
	b.Run("1M_members", func(b *testing.B) {
		for range b.N {
			n, v := heapDelta(func() any {
				s := NewSet()
				for _, m := range ms {
					s.Add(m)
				}
				return s
			})
			b.ReportMetric(float64(n)/float64(len(ms)), "B/member")
			b.ReportMetric(float64(v.(*Set).MemoryUsage())/float64(len(ms)), "est-B/member")
		}
	})
	b.Run("10_members_packed", func(b *testing.B) {
		for range b.N {
			n, v := heapDelta(func() any {
				ss := make([]*Set, 100000)
				for j := range ss {
					s := NewSet()
					for i := range 10 {
						s.Add(ms[(j+i)%len(ms)])
					}
					ss[j] = s
				}
				return ss
			})
			b.ReportMetric(float64(n-8*100000)/1e6, "B/member")
			b.ReportMetric(float64(v.([]*Set)[0].MemoryUsage())/10, "est-B/member")
		}
	})
}

func BenchmarkSetAdd(b *testing.B) {
	ms, _ := benchFields(1 << 20)
	b.Run("new", func(b *testing.B) {
		s := NewSet()
		for i := range b.N {
			if i%len(ms) == 0 {
				s = NewSet()
			}
			s.Add(ms[i%len(ms)])
		}
	})
	b.Run("existing_10", func(b *testing.B) {
		s := NewSet()
		for i := range 10 {
			s.Add(ms[i])
		}
		b.ResetTimer()
		for i := range b.N {
			s.Add(ms[i%10])
		}
	})
}

func BenchmarkSetContains(b *testing.B) {
	ms, _ := benchFields(1 << 16)
	for _, size := range []int{10, 100, 1 << 16} {
		b.Run(fmt.Sprint(size), func(b *testing.B) {
			s := NewSet()
			for i := range size {
				s.Add(ms[i])
			}
			b.ResetTimer()
			for i := range b.N {
				if !s.Contains(ms[i%size]) {
					b.Fatal("missing")
				}
			}
		})
	}
}

func BenchmarkSetPopAdd(b *testing.B) {
	ms, _ := benchFields(1 << 16)
	s := NewSet()
	for _, m := range ms {
		s.Add(m)
	}
	b.ResetTimer()
	for range b.N {
		s.Add(s.Pop(1)[0])
	}
}
