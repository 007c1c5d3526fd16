package structures

import (
	"fmt"
	"runtime"
	"testing"
)

// heapDelta returns the live heap bytes that build's result holds.
func heapDelta(build func() any) (int, any) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&before)
	v := build()
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&after)
	return int(after.HeapAlloc) - int(before.HeapAlloc), v
}

func benchFields(n int) (fs, vs [][]byte) {
	fs, vs = make([][]byte, n), make([][]byte, n)
	for i := range n {
		fs[i] = fmt.Appendf(nil, "f%07d", i) // 8 bytes
		vs[i] = fmt.Appendf(nil, "v%07d", i) // 8 bytes
	}
	return fs, vs
}

// BenchmarkHashMemory reports bytes per field (measured with MemStats, and
// as MemoryUsage estimates) for 1M fields in one hash, for 10-field hashes
// in both encodings, and for a plain map[string]string for comparison.
func BenchmarkHashMemory(b *testing.B) {
	fs, vs := benchFields(1 << 20)
	b.Run("1M_fields", func(b *testing.B) {
		for range b.N {
			n, v := heapDelta(func() any {
				h := NewHash()
				for i := range fs {
					h.Set(fs[i], vs[i])
				}
				return h
			})
			b.ReportMetric(float64(n)/float64(len(fs)), "B/field")
			b.ReportMetric(float64(v.(*Hash).MemoryUsage())/float64(len(fs)), "est-B/field")
		}
	})
	b.Run("1M_fields_map[string]string", func(b *testing.B) {
		for range b.N {
			n, _ := heapDelta(func() any {
				m := map[string]string{}
				for i := range fs {
					m[string(fs[i])] = string(vs[i])
				}
				return m
			})
			b.ReportMetric(float64(n)/float64(len(fs)), "B/field")
		}
	})
	const hashes = 100000
	for _, dense := range []bool{false, true} {
		name := "10_fields_packed"
		if dense {
			name = "10_fields_dense"
		}
		b.Run(name, func(b *testing.B) {
			for range b.N {
				n, v := heapDelta(func() any {
					hs := make([]*Hash, hashes)
					for j := range hs {
						h := NewHash()
						for i := range 10 {
							h.Set(fs[i], vs[j%len(vs)])
						}
						if dense {
							h.toDense(10)
						}
						hs[j] = h
					}
					return hs
				})
				b.ReportMetric(float64(n-8*hashes)/float64(10*hashes), "B/field")
				b.ReportMetric(float64(v.([]*Hash)[0].MemoryUsage())/10, "est-B/field")
			}
		})
	}
}

func BenchmarkHashSet(b *testing.B) {
	fs, vs := benchFields(1 << 16)
	for _, size := range []int{10, 100, 1 << 16} {
		b.Run(fmt.Sprint(size), func(b *testing.B) {
			h := NewHash()
			for i := range size {
				h.Set(fs[i], vs[i])
			}
			b.ResetTimer()
			for i := range b.N {
				h.Set(fs[i%size], vs[(i+1)%size])
			}
		})
	}
}

func BenchmarkHashGet(b *testing.B) {
	fs, vs := benchFields(1 << 16)
	for _, size := range []int{10, 100, 1 << 16} {
		b.Run(fmt.Sprint(size), func(b *testing.B) {
			h := NewHash()
			for i := range size {
				h.Set(fs[i], vs[i])
			}
			b.ResetTimer()
			for i := range b.N {
				if _, ok := h.Get(fs[i%size]); !ok {
					b.Fatal("missing")
				}
			}
		})
	}
}

func BenchmarkHashSetDelete(b *testing.B) {
	fs, vs := benchFields(1 << 16)
	h := NewHash()
	for i := range 1 << 15 {
		h.Set(fs[i], vs[i])
	}
	b.ResetTimer()
	for i := range b.N {
		j := i % (1 << 15)
		h.Delete(fs[j])
		h.Set(fs[j+1<<15], vs[j])
		h.Delete(fs[j+1<<15])
		h.Set(fs[j], vs[j])
	}
}
