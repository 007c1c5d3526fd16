// Package benchmarks compares jackdaw with what its users would pick
// instead, in the same run: a bare concurrent map (xsync.MapOf, the limit:
// no TTL, no types), the in-process Go caches (otter v2, ristretto v2,
// theine, go-cache, bigcache v3, freecache), the in-process Redis-type
// stores (miniredis, NutsDB) and a real redis-server through go-redis,
// pipelined and not. It is its own Go module, so `go test ./...` at the
// repository root never runs it.
//
// The peers live in package peer, one file each, behind two small
// interfaces: peer.Cache (string keys, []byte values) and peer.TypedStore
// (hashes, lists, sets, sorted sets). BenchmarkStrings
// (strings_bench_test.go) measures throughput and allocations of the
// string peers; BenchmarkTypes and BenchmarkZSet (types_bench_test.go) the
// data-type commands; cmd/memkey bytes per key; cmd/gclat GET latency
// while the GC marks many resident keys; cmd/report turns the outputs of
// run.sh into results/results.txt and PNG charts. See README.md.
package benchmarks
