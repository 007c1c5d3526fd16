package peer

import (
	"context"
	"errors"

	"github.com/redis/go-redis/v9"
)

// pipeDepth is how many commands the pipelined peer sends per round trip.
const pipeDepth = 100

func init() {
	RegisterTyped("redis", func() (TypedStore, error) { return newRedisStore("redis", false) })
	RegisterTyped("redis-pipe", func() (TypedStore, error) { return newRedisStore("redis-pipe", true) })
}

func newRedisStore(name string, pipelined bool) (TypedStore, error) {
	addr, err := RedisAddr()
	if err != nil {
		return nil, err
	}
	rdb := redis.NewClient(&redis.Options{Addr: addr, PoolSize: 1})
	if err := rdb.FlushAll(context.Background()).Err(); err != nil {
		rdb.Close()
		return nil, err
	}
	c := &redisStore{name: name, rdb: rdb}
	if pipelined {
		c.pipe = rdb.Pipeline()
	}
	return c, nil
}

// redisStore is a real redis-server (Redis 7, on loopback) through
// go-redis v9: what a service pays today for the same command. "redis"
// makes one round trip per call; "redis-pipe" queues pipeDepth commands
// per round trip (go-redis's Pipeline), the cheapest way to talk to Redis
// from one goroutine, and returns zero values (see TypedStore).
type redisStore struct {
	name string
	rdb  *redis.Client
	pipe redis.Pipeliner // nil: not pipelined
	n    int             // commands queued in pipe
}

var bg = context.Background()

func (c *redisStore) Name() string { return c.name }

// cl is where commands go: the client, or the pipeline.
func (c *redisStore) cl() redis.Cmdable {
	if c.pipe != nil {
		return c.pipe
	}
	return c.rdb
}

// sent counts a command; a full pipeline is sent.
func (c *redisStore) sent() {
	if c.pipe != nil {
		if c.n++; c.n == pipeDepth {
			c.Flush()
		}
	}
}

func (c *redisStore) Flush() {
	if c.pipe == nil || c.n == 0 {
		return
	}
	c.n = 0
	if _, err := c.pipe.Exec(bg); err != nil && !errors.Is(err, redis.Nil) {
		panic(err)
	}
}

// check panics on an error other than a nil reply, for the unpipelined
// peer (a queued command has no reply yet).
func (c *redisStore) check(err error) {
	if c.pipe == nil && err != nil && !errors.Is(err, redis.Nil) {
		panic(err)
	}
}

func (c *redisStore) HSet(key, field string, v []byte) {
	c.check(c.cl().HSet(bg, key, field, v).Err())
	c.sent()
}

func (c *redisStore) HGet(key, field string) ([]byte, bool) {
	return c.bytes(c.cl().HGet(bg, key, field))
}

// bytes counts a command that replies a string and returns its reply (none
// when pipelined: it comes with the round trip).
func (c *redisStore) bytes(cmd *redis.StringCmd) ([]byte, bool) {
	c.sent()
	if c.pipe != nil {
		return nil, false
	}
	v, err := cmd.Bytes()
	c.check(err)
	return v, err == nil
}

// chunks calls f on at most 1000 elements at a time (bulk loads).
func chunks[T any](s []T, f func([]T)) {
	for len(s) > 0 {
		n := min(len(s), 1000)
		f(s[:n])
		s = s[n:]
	}
}

func anys[T any](s []T) []any {
	a := make([]any, len(s))
	for i := range s {
		a[i] = s[i]
	}
	return a
}

func (c *redisStore) LPush(key string, vs ...[]byte) {
	chunks(vs, func(vs [][]byte) {
		c.check(c.cl().LPush(bg, key, anys(vs)...).Err())
		c.sent()
	})
}

func (c *redisStore) LPop(key string) ([]byte, bool) {
	return c.bytes(c.cl().LPop(bg, key))
}

func (c *redisStore) LRange(key string, start, stop int) int {
	cmd := c.cl().LRange(bg, key, int64(start), int64(stop))
	c.sent()
	c.check(cmd.Err())
	return len(cmd.Val())
}

func (c *redisStore) SAdd(key string, members ...[]byte) {
	chunks(members, func(ms [][]byte) {
		c.check(c.cl().SAdd(bg, key, anys(ms)...).Err())
		c.sent()
	})
}

func (c *redisStore) SIsMember(key string, member []byte) bool {
	cmd := c.cl().SIsMember(bg, key, member)
	c.sent()
	c.check(cmd.Err())
	return cmd.Val()
}

func (c *redisStore) SInter(keys ...string) int {
	cmd := c.cl().SInter(bg, keys...)
	c.sent()
	c.check(cmd.Err())
	return len(cmd.Val())
}

func (c *redisStore) ZAdd(key string, members ...ZMember) {
	chunks(members, func(ms []ZMember) {
		zs := make([]redis.Z, len(ms))
		for i, m := range ms {
			zs[i] = redis.Z{Score: m.Score, Member: m.Member}
		}
		c.check(c.cl().ZAdd(bg, key, zs...).Err())
		c.sent()
	})
}

func (c *redisStore) ZScore(key, member string) (float64, bool) {
	cmd := c.cl().ZScore(bg, key, member)
	c.sent()
	c.check(cmd.Err())
	return cmd.Val(), cmd.Err() == nil
}

func (c *redisStore) ZRank(key, member string) (int, bool) {
	cmd := c.cl().ZRank(bg, key, member)
	c.sent()
	c.check(cmd.Err())
	return int(cmd.Val()), cmd.Err() == nil
}

func (c *redisStore) ZRangeByScore(key string, min, max float64, count int) int {
	cmd := c.cl().ZRangeByScore(bg, key, &redis.ZRangeBy{
		Min: fmtScore(min), Max: fmtScore(max), Count: int64(count),
	})
	c.sent()
	c.check(cmd.Err())
	return len(cmd.Val())
}

func (c *redisStore) Close() {
	c.Flush()
	_ = c.rdb.Close()
}
