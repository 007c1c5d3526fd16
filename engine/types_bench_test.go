package engine_test

import (
	"strconv"
	"testing"

	"github.com/jackdawdb/jackdaw/engine"
	"github.com/jackdawdb/jackdaw/structures"
)

// Benchmarks of the data-type paths the benchmarks module compares with
// Redis, here so that they can be profiled with the engine alone.

func BenchmarkZRangeByScoreLimit10(b *testing.B) {
	db, _ := openDB(b)
	for i := 0; i < 1000; i++ {
		db.ZAdd("z", engine.ZAddArgs{}, engine.ZMember{Member: "member:" + strconv.Itoa(i), Score: float64(i)})
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		f := float64(i % 1000)
		ms, _ := db.ZRangeByScore("z", structures.ScoreRange{Min: f, Max: f + 1000}, engine.ZRangeOpts{Count: 10})
		if len(ms) == 0 {
			b.Fatal("empty")
		}
	}
}

func BenchmarkLRange100(b *testing.B) {
	db, _ := openDB(b)
	for i := 0; i < 1000; i++ {
		db.RPush("l", []byte("element:"+strconv.Itoa(i)))
	}
	b.ReportAllocs()
	for b.Loop() {
		vs, _ := db.LRange("l", 0, 99)
		if len(vs) != 100 {
			b.Fatal(len(vs))
		}
	}
}

func BenchmarkSInter(b *testing.B) {
	db, _ := openDB(b)
	for i := 0; i < 1000; i++ {
		db.SAdd("{s}big", []byte("member:"+strconv.Itoa(i)))
	}
	for i := 0; i < 100; i++ {
		db.SAdd("{s}small", []byte("member:"+strconv.Itoa(i*20))) // 50 in common
	}
	b.ReportAllocs()
	for b.Loop() {
		vs, _ := db.SInter("{s}big", "{s}small")
		if len(vs) != 50 {
			b.Fatal(len(vs))
		}
	}
}

func BenchmarkZRank1000(b *testing.B) {
	db, _ := openDB(b)
	for i := 0; i < 1000; i++ {
		db.ZAdd("z", engine.ZAddArgs{}, engine.ZMember{Member: "member:" + strconv.Itoa(i), Score: float64(i)})
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		db.ZRank("z", "member:"+strconv.Itoa(i%1000))
	}
}
