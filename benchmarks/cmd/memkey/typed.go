package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"

	"github.com/jackdawdb/jackdaw/benchmarks/peer"
)

// typedMain measures one sorted set of n members or one hash of n fields
// in a typed peer (jackdaw), as main does for string keys.
func typedMain(name, kind string, n, valsize int) {
	runtime.GC()
	runtime.GC()
	heap0, rss0 := heapInuse(), rss()

	s, err := peer.NewTyped(name)
	if err != nil {
		fmt.Fprintln(os.Stderr, "memkey:", err)
		os.Exit(2)
	}
	for i := range n {
		switch kind {
		case "zset":
			s.ZAdd("z", peer.ZMember{Member: key(i), Score: float64(i)})
		case "hash":
			s.HSet("h", key(i), value(i, valsize))
		}
	}
	s.Flush()

	runtime.GC()
	runtime.GC()
	heap1, rss1 := heapInuse(), rss()
	debug.FreeOSMemory()
	rss2 := rss()
	pause, wall, cpu := forcedGC()

	var ok bool // still there? (also keeps s live through the forced GC)
	if kind == "zset" {
		_, ok = s.ZScore("z", key(n-1))
	} else {
		_, ok = s.HGet("h", key(n-1))
	}
	if !ok {
		fmt.Fprintln(os.Stderr, "memkey: last member missing after load")
		os.Exit(1)
	}
	s.Close()
	printRow(name, kind, strconv.Itoa(n), strconv.Itoa(valsize),
		perKey(int64(heap1)-int64(heap0), n), perKey(rss1-rss0, n), perKey(rss2-rss0, n), "-",
		round(pause), round(wall), round(cpu))
}
