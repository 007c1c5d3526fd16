package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackdawdb/jackdaw/benchmarks/peer"
	"github.com/redis/go-redis/v9"
)

// redisLoad loads n string keys, zset members or hash fields into an empty
// redis-server (pipelined, 1000 per round trip) and returns the growth of
// its used_memory and used_memory_rss.
func redisLoad(kind string, n, valsize int) (heap, rss int64, err error) {
	addr, err := peer.RedisAddr()
	if err != nil {
		return 0, 0, err
	}
	ctx := context.Background()
	rdb := redis.NewClient(&redis.Options{Addr: addr})
	defer rdb.Close()
	if err := rdb.FlushAll(ctx).Err(); err != nil {
		return 0, 0, err
	}
	heap0, rss0, err := redisMemory(ctx, rdb)
	if err != nil {
		return 0, 0, err
	}
	for lo := 0; lo < n; lo += 1000 {
		p := rdb.Pipeline()
		for i := lo; i < min(lo+1000, n); i++ {
			switch kind {
			case "string":
				p.Set(ctx, key(i), value(i, valsize), 0)
			case "zset":
				p.ZAdd(ctx, "z", redis.Z{Score: float64(i), Member: key(i)})
			case "hash":
				p.HSet(ctx, "h", key(i), value(i, valsize))
			}
		}
		if _, err := p.Exec(ctx); err != nil {
			return 0, 0, err
		}
	}
	heap1, rss1, err := redisMemory(ctx, rdb)
	if err != nil {
		return 0, 0, err
	}
	_ = rdb.FlushAll(ctx).Err() // leave the server empty for the next run
	return heap1 - heap0, rss1 - rss0, nil
}

// redisMemory returns INFO memory's used_memory and used_memory_rss.
func redisMemory(ctx context.Context, rdb *redis.Client) (used, rss int64, err error) {
	info, err := rdb.Info(ctx, "memory").Result()
	if err != nil {
		return 0, 0, err
	}
	get := func(field string) (int64, error) {
		for _, line := range strings.Split(info, "\n") {
			if v, ok := strings.CutPrefix(strings.TrimSpace(line), field+":"); ok {
				return strconv.ParseInt(v, 10, 64)
			}
		}
		return 0, fmt.Errorf("no %s in INFO memory", field)
	}
	if used, err = get("used_memory"); err != nil {
		return 0, 0, err
	}
	rss, err = get("used_memory_rss")
	return used, rss, err
}
