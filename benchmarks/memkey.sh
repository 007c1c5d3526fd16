#!/bin/sh
# memkey.sh: bytes per key and GC cost for each peer, at 1M and 5M keys of
# 16-byte values, each measurement in a fresh process. run.sh runs the same
# measurements (and per sorted-set member and hash field) as part of the
# whole set.
#
#   ./memkey.sh                 # jackdaw, xsyncmap, otter, ristretto, 1M and 5M keys
#   PEERS="jackdaw otter" SIZES=1000000 ./memkey.sh
#   PEERS="jackdaw redis" KIND=zset ./memkey.sh   # per member of one sorted set
#
# The redis peer needs redis-server on the PATH (or $JACKDAW_BENCH_REDIS).
# See cmd/memkey for what each column means.
set -eu
cd "$(dirname "$0")"

PEERS=${PEERS:-"jackdaw xsyncmap otter ristretto"}
SIZES=${SIZES:-"1000000 5000000"}
VALSIZE=${VALSIZE:-16}
KIND=${KIND:-string}

bin=$(mktemp -d)/memkey
trap 'rm -rf "$(dirname "$bin")"' EXIT
go build -o "$bin" ./cmd/memkey

"$bin" -header
for n in $SIZES; do
	for p in $PEERS; do
		"$bin" -peer "$p" -n "$n" -valsize "$VALSIZE" -kind "$KIND"
	done
done
