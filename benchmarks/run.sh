#!/usr/bin/env bash
# run.sh: every benchmark of this module in one command, then the table
# (results/results.txt) and the charts (results/*.png).
#
#   ./run.sh            # the full run (about 10 minutes on 2 cores)
#   ./run.sh --quick    # fewer keys, sizes and rounds (under 2 minutes)
#
# It needs Go, and redis-server, redis-cli and redis-benchmark for the
# Redis parts: when they are missing it installs them with apt-get if it
# can (root), else it says so and skips those parts. It starts its own
# redis-server on a free 127.0.0.1 port (persistence off) and the RESP
# example server, and stops both on exit. The raw outputs are kept in
# results/raw/; cmd/report reads them.
#
# STEPS="memory gclat" ./run.sh runs only those steps (of: strings types
# memory gclat resp) and keeps the other steps' raw outputs from an earlier
# run for the report. A step that fails is reported and the run goes on.
set -euo pipefail
cd "$(dirname "$0")"

quick=0
case "${1:-}" in
--quick) quick=1 ;;
"") ;;
*)
	echo "usage: $0 [--quick]" >&2
	exit 2
	;;
esac

if [ $quick = 1 ]; then
	mode="quick"
	str_args=(-test.benchtime 30000x)
	str_rounds=1
	types_args=(-test.benchtime 20ms -zsizes 1000,100000)
	mem_sizes="1000000"
	mem_typed_n=100000
	gclat_args=(-n 1000000 -dur 2s)
	gclat_keys="1M"
	resp_rounds=1
	resp_n1=10000
	resp_n16=100000
else
	mode="full"
	str_args=(-test.benchtime 200ms)
	str_rounds=3
	types_args=(-test.benchtime 100ms -zsizes 1000,10000,100000,1000000)
	mem_sizes="1000000 5000000"
	mem_typed_n=1000000
	gclat_args=(-n 10000000 -dur 5s)
	gclat_keys="10M"
	resp_rounds=3
	resp_n1=50000
	resp_n16=500000
fi

steps=${STEPS:-"strings types memory gclat resp"}
want() { case " $steps " in *" $1 "*) return 0 ;; esac; return 1; }

out=results
raw=$out/raw
mkdir -p "$raw"
rm -f "$out"/*.png "$out"/results.txt
for s in strings types memkey gclat; do
	want "${s/memkey/memory}" && rm -f "$raw/$s.txt"
done
want resp && rm -f "$raw/resp.csv"

tmp=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start=$(date +%s)
step() { echo "== [$(($(date +%s) - start))s] $*" >&2; }

# --- Redis: install if missing, start on a free port ----------------------
have_redis=1
if ! command -v redis-server >/dev/null || ! command -v redis-benchmark >/dev/null || ! command -v redis-cli >/dev/null; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
		step "installing redis-server and redis-tools with apt-get"
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server redis-tools) >"$tmp/apt.log" 2>&1 ||
			{ echo "apt-get failed (see below); skipping the Redis parts" >&2; tail -5 "$tmp/apt.log" >&2; }
	fi
	if ! command -v redis-server >/dev/null || ! command -v redis-benchmark >/dev/null || ! command -v redis-cli >/dev/null; then
		echo "MISSING: redis-server/redis-cli/redis-benchmark (Debian: apt-get install redis-server redis-tools)." >&2
		echo "         Skipping Redis, pipelined Redis, Redis memory and the RESP comparison." >&2
		have_redis=0
	fi
fi

free_port() {
	local p
	while :; do
		p=$((20000 + RANDOM % 20000))
		if ! (echo >/dev/tcp/127.0.0.1/$p) 2>/dev/null; then
			echo $p
			return
		fi
	done
}

wait_ping() { # port
	for _ in $(seq 100); do
		if [ "$(redis-cli -p "$1" ping 2>/dev/null)" = PONG ]; then
			return 0
		fi
		sleep 0.1
	done
	echo "server on port $1 did not answer PING" >&2
	return 1
}

if [ $have_redis = 1 ]; then
	redis_port=$(free_port)
	redis-server --bind 127.0.0.1 --port "$redis_port" --save '' --appendonly no \
		--loglevel warning --logfile "$tmp/redis.log" &
	pids+=($!)
	wait_ping "$redis_port"
	export JACKDAW_BENCH_REDIS=127.0.0.1:$redis_port
fi

# --- the machine ----------------------------------------------------------
{
	echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "mode: $mode"
	echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
	echo "cores: $(nproc)"
	echo "memory: $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
	echo "go: $(go env GOVERSION) $(go env GOOS)/$(go env GOARCH)"
	echo "kernel: $(uname -r)"
	if [ $have_redis = 1 ]; then
		echo "redis: $(redis-server --version | sed 's/Redis server //; s/ sha=.*//')"
	else
		echo "redis: not installed"
	fi
	echo "jackdaw: $(git -C .. rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C .. diff --quiet HEAD -- engine shard structures 2>/dev/null || echo ' (engine with uncommitted changes)')"
} >"$raw/machine.txt"
cat "$raw/machine.txt" >&2

# --- build ----------------------------------------------------------------
step "building"
go test -c -o "$tmp/bench.test" .
go build -o "$tmp/memkey" ./cmd/memkey
go build -o "$tmp/gclat" ./cmd/gclat
go build -o "$tmp/report" ./cmd/report
(cd .. && go build -o "$tmp/respserver" ./examples/respserver)

# failed: say that a step failed, and go on.
failed() { echo "FAILED: $* (the report leaves it out)" >&2; }

# --- strings --------------------------------------------------------------
if want strings; then
	# Rounds over all peers, not -count: the machine's load changes over
	# minutes, and each peer should see the same mix of quiet and busy
	# periods. The report takes the median of the rounds.
	: >"$raw/strings.txt"
	for round in $(seq "$str_rounds"); do
		step "strings round $round of $str_rounds: GET, SET, 90/10, 50/50 over 1M keys, all string peers, -cpu 1,2"
		"$tmp/bench.test" -test.run '^$' -test.bench '^BenchmarkStrings$' -test.cpu 1,2 "${str_args[@]}" >>"$raw/strings.txt" ||
			failed "strings benchmark, round $round"
	done
	grep -E '^Benchmark|FAIL|panic' "$raw/strings.txt" >&2 || true
fi

# --- data types -----------------------------------------------------------
if want types; then
	step "data types and sorted sets: jackdaw, miniredis, NutsDB, Redis (go-redis, pipelined and not)"
	"$tmp/bench.test" -test.run '^$' -test.bench '^Benchmark(Types|ZSet)$' "${types_args[@]}" >"$raw/types.txt" ||
		failed "data-type benchmarks"
	grep -E '^Benchmark|FAIL|panic' "$raw/types.txt" >&2 || true
fi

# --- memory ---------------------------------------------------------------
if want memory; then
	step "memory: bytes per key, each in a fresh process"
	mem_peers="jackdaw xsyncmap otter ristretto"
	[ $have_redis = 1 ] && mem_peers="$mem_peers redis"
	"$tmp/memkey" -header >"$raw/memkey.txt"
	for n in $mem_sizes; do
		for p in $mem_peers; do
			"$tmp/memkey" -peer "$p" -n "$n" >>"$raw/memkey.txt" || failed "memkey -peer $p -n $n"
		done
	done
	for kind in zset hash; do
		for p in jackdaw $([ $have_redis = 1 ] && echo redis); do
			"$tmp/memkey" -peer "$p" -n "$mem_typed_n" -kind $kind >>"$raw/memkey.txt" ||
				failed "memkey -peer $p -kind $kind"
		done
	done
	cat "$raw/memkey.txt" >&2
fi

# --- latency under GC -----------------------------------------------------
if want gclat; then
	step "GET latency under GC: $gclat_keys keys resident, one process per peer"
	"$tmp/gclat" -header >"$raw/gclat.txt"
	for p in jackdaw otter bigcache freecache; do
		"$tmp/gclat" -peer "$p" "${gclat_args[@]}" >>"$raw/gclat.txt" || failed "gclat -peer $p"
	done
	cat "$raw/gclat.txt" >&2
fi

# --- RESP server vs redis-server ------------------------------------------
tests=set,get,incr,lpush,rpush,lpop,rpop,sadd,hset,spop,zadd
resp_run() { # server port pipeline requests round
	local server=$1 port=$2 P=$3 n=$4 round=$5
	redis-cli -p "$port" flushall >/dev/null
	{
		redis-benchmark -h 127.0.0.1 -p "$port" -c 50 -n "$n" -P "$P" -r 100000 -t "$tests" --csv
		redis-benchmark -h 127.0.0.1 -p "$port" -c 50 -n "$n" -P "$P" -r 100000 --csv \
			ZRANGEBYSCORE myzset __rand_int__ +inf LIMIT 0 10
	} 2>/dev/null | awk -F'","' -v s="$server" -v P="$P" -v r="$round" '
		NR > 0 && $1 !~ /^"test/ && NF > 1 {
			t = $1; sub(/^"/, "", t); split(t, w, " ")
			if (!(w[1] in seen)) { seen[w[1]] = 1; printf "%s,%s,%s,%s,%s\n", s, P, r, w[1], $2 }
		}'
}
if ! want resp; then
	:
elif [ $have_redis = 1 ]; then
	step "RESP: examples/respserver vs redis-server, redis-benchmark -c 50 -P 1 and -P 16, $resp_rounds round(s)"
	jd_port=$(free_port)
	"$tmp/respserver" -addr "127.0.0.1:$jd_port" &
	pids+=($!)
	wait_ping "$jd_port"
	: >"$raw/resp.csv"
	for round in $(seq "$resp_rounds"); do
		for P in 1 16; do
			n=$resp_n1
			[ "$P" = 16 ] && n=$resp_n16
			# Alternate which server goes first.
			if [ $((round % 2)) = 1 ]; then order="jackdaw redis"; else order="redis jackdaw"; fi
			for s in $order; do
				port=$redis_port
				[ $s = jackdaw ] && port=$jd_port
				{ resp_run $s "$port" "$P" "$n" "$round" || failed "redis-benchmark on $s, -P $P"; } | tee -a "$raw/resp.csv" >&2
			done
		done
	done
else
	echo "RESP comparison skipped: no redis-benchmark" >&2
fi

# --- report ---------------------------------------------------------------
step "report"
"$tmp/report" -raw "$raw" -out "$out" >/dev/null
echo >>"$out/results.txt"
echo "(run.sh --$mode, steps: $steps; took $(($(date +%s) - start)) s)" >>"$out/results.txt"
step "done: $out/results.txt and $out/*.png"
cat "$out/results.txt"
