package structures

import (
	"fmt"
	"testing"
)

func BenchmarkListMemory(b *testing.B) {
	vs, _ := benchFields(1 << 20)
	for _, left := range []bool{false, true} {
		name := "1M_rpush"
		if left {
			name = "1M_lpush"
		}
		b.Run(name, func(b *testing.B) {
			for range b.N {
				n, v := heapDelta(func() any {
					l := NewList()
					for _, x := range vs {
						if left {
							l.PushLeft(x)
						} else {
							l.PushRight(x)
						}
					}
					return l
				})
				b.ReportMetric(float64(n)/float64(len(vs)), "B/elem")
				b.ReportMetric(float64(v.(*List).MemoryUsage())/float64(len(vs)), "est-B/elem")
			}
		})
	}
	b.Run("10_elems", func(b *testing.B) {
		for range b.N {
			n, v := heapDelta(func() any {
				ls := make([]*List, 100000)
				for j := range ls {
					l := NewList()
					for i := range 10 {
						l.PushRight(vs[i])
					}
					ls[j] = l
				}
				return ls
			})
			b.ReportMetric(float64(n-8*100000)/1e6, "B/elem")
			b.ReportMetric(float64(v.([]*List)[0].MemoryUsage())/10, "est-B/elem")
		}
	})
}

func BenchmarkListPush(b *testing.B) {
	v := []byte("value-16-bytes!!")
	b.Run("right", func(b *testing.B) {
		l := NewList()
		for i := range b.N {
			if i&(1<<20-1) == 0 {
				l = NewList()
			}
			l.PushRight(v)
		}
	})
	b.Run("left", func(b *testing.B) {
		l := NewList()
		for i := range b.N {
			if i&(1<<20-1) == 0 {
				l = NewList()
			}
			l.PushLeft(v)
		}
	})
}

func BenchmarkListPushPop(b *testing.B) {
	v := []byte("value-16-bytes!!")
	for _, size := range []int{0, 1000, 100000} {
		b.Run(fmt.Sprint("queue_", size), func(b *testing.B) {
			l := NewList()
			for range size {
				l.PushRight(v)
			}
			b.ResetTimer()
			for range b.N {
				l.PushRight(v)
				l.PopLeft(1)
			}
		})
		b.Run(fmt.Sprint("stack_left_", size), func(b *testing.B) {
			l := NewList()
			for range size {
				l.PushRight(v)
			}
			b.ResetTimer()
			for range b.N {
				l.PushLeft(v)
				l.PopLeft(1)
			}
		})
	}
}

func BenchmarkListIndexMiddle(b *testing.B) {
	v := []byte("value-16-bytes!!")
	l := NewList()
	for range 100000 {
		l.PushRight(v)
	}
	b.ResetTimer()
	for range b.N {
		l.Index(50000)
	}
}
