package engine_test

import (
	"strconv"
	"testing"
)

// BenchmarkGetHit, BenchmarkGetMiss and BenchmarkSetOverwrite are the
// single-threaded cost of the typed GET and SET on 100k keys, visited in a
// scattered order; the benchmarks module compares them with other caches
// under contention.

func benchKeys(b *testing.B) []string {
	keys := make([]string, 100_000)
	for i := range keys {
		keys[i] = "key:" + strconv.Itoa(i)
	}
	return keys
}

func BenchmarkGetHit(b *testing.B) {
	db, _ := openDB(b)
	keys := benchKeys(b)
	for _, k := range keys {
		db.Set(k, []byte("0123456789abcdef"))
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, ok, _ := db.Get(keys[(i*7919)%len(keys)]); !ok {
			b.Fatal("miss")
		}
	}
}

func BenchmarkSetOverwrite(b *testing.B) {
	db, _ := openDB(b)
	keys := benchKeys(b)
	for _, k := range keys {
		db.Set(k, []byte("0123456789abcdef"))
	}
	v := []byte("fedcba9876543210")
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		db.Set(keys[(i*7919)%len(keys)], v)
	}
}

func BenchmarkGetMiss(b *testing.B) {
	db, _ := openDB(b)
	keys := benchKeys(b)
	for _, k := range keys {
		db.Set(k, []byte("0123456789abcdef"))
	}
	absent := make([]string, len(keys))
	for i := range absent {
		absent[i] = "absent:" + strconv.Itoa(i)
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, ok, _ := db.Get(absent[(i*7919)%len(absent)]); ok {
			b.Fatal("hit")
		}
	}
}
