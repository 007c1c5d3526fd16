// Package benchmarks compares jackdaw with what its users would pick
// instead: a bare concurrent map (xsync.MapOf, the limit: no TTL, no
// types) and otter v2. It is its own Go module, so `go test ./...` at the
// repository root never runs it.
//
// The peers live in package peer, one file each. BenchmarkStrings (in
// strings_bench_test.go) measures throughput and allocations;
// cmd/memkey measures bytes per key and GC cost. See README.md.
package benchmarks
