// Package goredis checks that go-redis v9, the common Go client for Redis,
// works against the jackdaw RESP server. It is its own module, so that the
// jackdaw module does not depend on go-redis:
//
//	cd examples/respserver/goredis && go test ./...
//
// (The server package's TestGoRedisModule runs this from the root module's
// go test ./..., unless -short.)
package goredis

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/jackdawdb/jackdaw/examples/respserver/server"
)

func start(t *testing.T, opts server.Options) string {
	t.Helper()
	opts.Addr = "127.0.0.1:0"
	s, err := server.New(opts)
	require.NoError(t, err)
	require.NoError(t, s.Listen())
	done := make(chan struct{})
	go func() { defer close(done); s.Serve(context.Background()) }()
	t.Cleanup(func() { s.Close(); <-done })
	return s.Addr().String()
}

func TestGoRedis(t *testing.T) {
	addr := start(t, server.Options{RequirePass: "secret"})
	ctx := context.Background()
	rdb := redis.NewClient(&redis.Options{Addr: addr, Password: "secret", DB: 3})
	defer rdb.Close()

	got, err := rdb.Ping(ctx).Result()
	require.NoErrorf(t, err, "PING: %q %v", got, err)
	require.Equalf(t, "PONG", got, "PING: %q %v", got, err)
	require.NoError(t, rdb.Set(ctx, "greeting", "hello", time.Hour).Err())
	got, err = rdb.Get(ctx, "greeting").Result()
	require.NoErrorf(t, err, "GET: %q %v", got, err)
	require.Equalf(t, "hello", got, "GET: %q %v", got, err)
	_, err = rdb.Get(ctx, "missing").Result()
	require.Equalf(t, redis.Nil, err, "GET missing: %v, want redis.Nil", err)
	ttl, err := rdb.TTL(ctx, "greeting").Result()
	require.NoErrorf(t, err, "TTL: %v %v", ttl, err)
	require.GreaterOrEqualf(t, ttl, 59*time.Minute, "TTL: %v %v", ttl, err)
	n, err := rdb.IncrBy(ctx, "counter", 5).Result()
	require.NoErrorf(t, err, "INCRBY: %d %v", n, err)
	require.Equalf(t, int64(5), n, "INCRBY: %d %v", n, err)
	f, err := rdb.IncrByFloat(ctx, "counter", 0.5).Result()
	require.NoErrorf(t, err, "INCRBYFLOAT: %v %v", f, err)
	require.Equalf(t, 5.5, f, "INCRBYFLOAT: %v %v", f, err) // exact: 5 + 0.5 is representable
	require.NoError(t, rdb.MSet(ctx, "a", "1", "b", "2").Err())
	vals, err := rdb.MGet(ctx, "a", "b", "nope").Result()
	require.NoErrorf(t, err, "MGET: %v %v", vals, err)
	require.Equalf(t, []any{"1", "2", nil}, vals, "MGET: %v %v", vals, err)

	// A pipeline of 1000 commands: one round trip.
	pipe := rdb.Pipeline()
	for i := range 1000 {
		pipe.Incr(ctx, "pipelined")
		_ = i
	}
	cmds, err := pipe.Exec(ctx)
	require.NoErrorf(t, err, "pipeline: %d cmds, %v", len(cmds), err)
	require.Lenf(t, cmds, 1000, "pipeline: %d cmds, %v", len(cmds), err)
	require.IsType(t, &redis.IntCmd{}, cmds[999])
	require.Equalf(t, int64(1000), cmds[999].(*redis.IntCmd).Val(), "pipeline: %d cmds, %v", len(cmds), err)

	// Errors come back as redis.Error with Redis's text.
	err = rdb.Incr(ctx, "greeting").Err()
	require.EqualErrorf(t, err, "ERR value is not an integer or out of range", "INCR of a non-number: %v", err)

	// DB 3 was selected on connect; the keys are not in DB 0.
	n, err = rdb.DBSize(ctx).Result()
	require.NoErrorf(t, err, "DBSIZE db 3: %d %v", n, err)
	require.Equalf(t, int64(5), n, "DBSIZE db 3: %d %v", n, err)
	rdb0 := redis.NewClient(&redis.Options{Addr: addr, Password: "secret"})
	defer rdb0.Close()
	n, err = rdb0.DBSize(ctx).Result()
	require.NoErrorf(t, err, "DBSIZE db 0: %d %v", n, err)
	require.Equalf(t, int64(0), n, "DBSIZE db 0: %d %v", n, err)

	// Scan iterates every key.
	var keys []string
	iter := rdb.Scan(ctx, 0, "*", 2).Iterator()
	for iter.Next(ctx) {
		keys = append(keys, iter.Val())
	}
	require.NoErrorf(t, iter.Err(), "SCAN: %v %v", keys, iter.Err())
	require.Lenf(t, keys, 5, "SCAN: %v %v", keys, iter.Err())

	info, err := rdb.Info(ctx, "keyspace").Result()
	require.NoErrorf(t, err, "INFO keyspace: %q %v", info, err)
	require.Containsf(t, info, "db3:keys=5,expires=1,avg_ttl=0", "INFO keyspace: %q %v", info, err)
	list, err := rdb.ClientList(ctx).Result()
	require.NoErrorf(t, err, "CLIENT LIST: %q %v", list, err)
	require.Containsf(t, list, "db=3", "CLIENT LIST: %q %v", list, err)

	// A wrong password is refused.
	bad := redis.NewClient(&redis.Options{Addr: addr, Password: "wrong"})
	defer bad.Close()
	err = bad.Ping(ctx).Err()
	require.Errorf(t, err, "wrong password: %v", err)
	require.Truef(t, strings.HasPrefix(err.Error(), "WRONGPASS"), "wrong password: %v", err)
}

func TestGoRedisRESP2(t *testing.T) {
	addr := start(t, server.Options{})
	ctx := context.Background()
	rdb := redis.NewClient(&redis.Options{Addr: addr, Protocol: 2})
	defer rdb.Close()
	require.NoError(t, rdb.Set(ctx, "k", "v", 0).Err())
	got, err := rdb.Get(ctx, "k").Result()
	require.NoErrorf(t, err, "GET: %q %v", got, err)
	require.Equalf(t, "v", got, "GET: %q %v", got, err)
}
