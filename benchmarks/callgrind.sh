#!/usr/bin/env bash
# callgrind.sh: instructions, L1 data-cache misses and allocations per op of
# one Go benchmark, counted by valgrind's callgrind rather than timed, so
# that a change can be judged on this shared, noisy machine. It runs the
# benchmark for N and 2N iterations and reports the difference divided by
# N, which cancels the set-up.
#
#   ./callgrind.sh <package dir> <benchmark regexp> [N]
#   ./callgrind.sh ../engine '^BenchmarkGetHit$' 300000
#   ./callgrind.sh . 'Types/peer=jackdaw/op=HGET$' 100000
#
# Needs valgrind (Debian: apt-get install valgrind).
set -euo pipefail
[ $# -ge 2 ] || { sed -n '2,10p' "$0"; exit 2; }
dir=$1 bench=$2 n=${3:-200000}
command -v valgrind >/dev/null || { echo "MISSING: valgrind (apt-get install valgrind)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$dir" && go test -c -o "$tmp/bench.test" .)
run() { # iterations -> "instructions D1-misses allocs/op"
	GODEBUG=asyncpreemptoff=1 GOMAXPROCS=1 GOGC=off valgrind --tool=callgrind --cache-sim=yes \
		--callgrind-out-file=/dev/null "$tmp/bench.test" -test.run '^$' -test.bench "$bench" \
		-test.benchtime "${1}x" -test.benchmem 2>&1 |
		awk '/I +refs/ {gsub(",", "", $4); i = $4} /D1 +misses/ {gsub(",", "", $4); d = $4}
			/allocs\/op/ {a = $(NF-1)} END {print i, d, a}'
}
read -r i1 d1 _ < <(run "$n")
read -r i2 d2 a < <(run $((2 * n)))
awk -v b="$bench" -v n="$n" -v i1="$i1" -v i2="$i2" -v d1="$d1" -v d2="$d2" -v a="$a" \
	'BEGIN {printf "%s: %d instructions/op, %.2f D1 misses/op, %s allocs/op\n", b, (i2-i1)/n, (d2-d1)/n, a}'
