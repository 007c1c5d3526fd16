#!/bin/sh
# memkey.sh: bytes per key and GC cost for each peer, at 1M and 5M keys of
# 16-byte values, each measurement in a fresh process.
#
#   ./memkey.sh                 # all peers, 1M and 5M keys
#   PEERS="jackdaw otter" SIZES=1000000 ./memkey.sh
#
# See cmd/memkey for what each column means.
set -eu
cd "$(dirname "$0")"

PEERS=${PEERS:-"jackdaw xsyncmap otter"}
SIZES=${SIZES:-"1000000 5000000"}
VALSIZE=${VALSIZE:-16}

bin=$(mktemp -d)/memkey
trap 'rm -rf "$(dirname "$bin")"' EXIT
go build -o "$bin" ./cmd/memkey

"$bin" -header
for n in $SIZES; do
	for p in $PEERS; do
		"$bin" -peer "$p" -n "$n" -valsize "$VALSIZE"
	done
done
