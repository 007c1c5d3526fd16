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

	"github.com/jackdawdb/jackdaw/examples/respserver/server"
)

func start(t *testing.T, opts server.Options) string {
	t.Helper()
	opts.Addr = "127.0.0.1:0"
	s, err := server.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Listen(); err != nil {
		t.Fatal(err)
	}
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

	if got, err := rdb.Ping(ctx).Result(); err != nil || got != "PONG" {
		t.Fatalf("PING: %q %v", got, err)
	}
	if err := rdb.Set(ctx, "greeting", "hello", time.Hour).Err(); err != nil {
		t.Fatal(err)
	}
	if got, err := rdb.Get(ctx, "greeting").Result(); err != nil || got != "hello" {
		t.Fatalf("GET: %q %v", got, err)
	}
	if _, err := rdb.Get(ctx, "missing").Result(); err != redis.Nil {
		t.Fatalf("GET missing: %v, want redis.Nil", err)
	}
	if ttl, err := rdb.TTL(ctx, "greeting").Result(); err != nil || ttl < 59*time.Minute {
		t.Fatalf("TTL: %v %v", ttl, err)
	}
	if n, err := rdb.IncrBy(ctx, "counter", 5).Result(); err != nil || n != 5 {
		t.Fatalf("INCRBY: %d %v", n, err)
	}
	if f, err := rdb.IncrByFloat(ctx, "counter", 0.5).Result(); err != nil || f != 5.5 {
		t.Fatalf("INCRBYFLOAT: %v %v", f, err)
	}
	if err := rdb.MSet(ctx, "a", "1", "b", "2").Err(); err != nil {
		t.Fatal(err)
	}
	vals, err := rdb.MGet(ctx, "a", "b", "nope").Result()
	if err != nil || len(vals) != 3 || vals[0] != "1" || vals[1] != "2" || vals[2] != nil {
		t.Fatalf("MGET: %v %v", vals, err)
	}

	// A pipeline of 1000 commands: one round trip.
	pipe := rdb.Pipeline()
	for i := range 1000 {
		pipe.Incr(ctx, "pipelined")
		_ = i
	}
	cmds, err := pipe.Exec(ctx)
	if err != nil || len(cmds) != 1000 || cmds[999].(*redis.IntCmd).Val() != 1000 {
		t.Fatalf("pipeline: %d cmds, %v", len(cmds), err)
	}

	// Errors come back as redis.Error with Redis's text.
	if err := rdb.Incr(ctx, "greeting").Err(); err == nil || err.Error() != "ERR value is not an integer or out of range" {
		t.Fatalf("INCR of a non-number: %v", err)
	}

	// DB 3 was selected on connect; the keys are not in DB 0.
	if n, err := rdb.DBSize(ctx).Result(); err != nil || n != 5 {
		t.Fatalf("DBSIZE db 3: %d %v", n, err)
	}
	rdb0 := redis.NewClient(&redis.Options{Addr: addr, Password: "secret"})
	defer rdb0.Close()
	if n, err := rdb0.DBSize(ctx).Result(); err != nil || n != 0 {
		t.Fatalf("DBSIZE db 0: %d %v", n, err)
	}

	// Scan iterates every key.
	var keys []string
	iter := rdb.Scan(ctx, 0, "*", 2).Iterator()
	for iter.Next(ctx) {
		keys = append(keys, iter.Val())
	}
	if iter.Err() != nil || len(keys) != 5 {
		t.Fatalf("SCAN: %v %v", keys, iter.Err())
	}

	info, err := rdb.Info(ctx, "keyspace").Result()
	if err != nil || !strings.Contains(info, "db3:keys=5,expires=1,avg_ttl=0") {
		t.Fatalf("INFO keyspace: %q %v", info, err)
	}
	list, err := rdb.ClientList(ctx).Result()
	if err != nil || !strings.Contains(list, "db=3") {
		t.Fatalf("CLIENT LIST: %q %v", list, err)
	}

	// A wrong password is refused.
	bad := redis.NewClient(&redis.Options{Addr: addr, Password: "wrong"})
	defer bad.Close()
	if err := bad.Ping(ctx).Err(); err == nil || !strings.HasPrefix(err.Error(), "WRONGPASS") {
		t.Fatalf("wrong password: %v", err)
	}
}

func TestGoRedisRESP2(t *testing.T) {
	addr := start(t, server.Options{})
	ctx := context.Background()
	rdb := redis.NewClient(&redis.Options{Addr: addr, Protocol: 2})
	defer rdb.Close()
	if err := rdb.Set(ctx, "k", "v", 0).Err(); err != nil {
		t.Fatal(err)
	}
	if got, err := rdb.Get(ctx, "k").Result(); err != nil || got != "v" {
		t.Fatalf("GET: %q %v", got, err)
	}
}
