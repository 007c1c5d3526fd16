package peer

import (
	"bufio"
	"errors"
	"io"
	"strconv"

	"github.com/alicebob/miniredis/v2"
	"github.com/alicebob/miniredis/v2/server"
)

func init() {
	RegisterTyped("miniredis", func() (TypedStore, error) {
		m := miniredis.NewMiniRedis()
		// Dial on a fresh Miniredis starts it without a listener (its
		// commands are served over an in-memory pipe); we close that
		// pipe and call the command table directly for the commands
		// that have no Go method. No network either way.
		conn, err := m.Dial()
		if err != nil {
			return nil, err
		}
		_ = conn.Close()
		return &miniRedis{m: m, peer: server.NewPeer(bufio.NewWriter(io.Discard))}, nil
	})
}

// miniRedis is alicebob/miniredis v2, the in-process Redis that Go
// programs use in tests, through its direct Go methods (m.HSet, m.Lpush,
// m.ZAdd, ...). LRANGE, SINTER, ZRANK and ZRANGEBYSCORE have no Go
// method, so those run its command handlers in process (Dispatch, replies
// written to io.Discard): the same code its network clients reach, without
// the socket. Its values are Go strings, so every []byte is converted.
type miniRedis struct {
	m    *miniredis.Miniredis
	peer *server.Peer
}

func (*miniRedis) Name() string { return "miniredis" }

func (c *miniRedis) do(args ...string) { c.m.Server().Dispatch(c.peer, args) }

func (c *miniRedis) HSet(key, field string, v []byte) { c.m.HSet(key, field, string(v)) }

func (c *miniRedis) HGet(key, field string) ([]byte, bool) {
	v := c.m.HGet(key, field)
	return []byte(v), v != ""
}

// LPush of one value is m.Lpush. Loads of many values use m.Push (RPUSH):
// miniredis's LPUSH copies the whole list per element, which would make a
// load quadratic (the benchmarks' loads only need the length).
func (c *miniRedis) LPush(key string, vs ...[]byte) {
	if len(vs) == 1 {
		must(c.m.Lpush(key, string(vs[0])))
		return
	}
	ss := make([]string, len(vs))
	for i, v := range vs {
		ss[i] = string(v)
	}
	must(c.m.Push(key, ss...))
}

func (c *miniRedis) LPop(key string) ([]byte, bool) {
	v, err := c.m.Lpop(key)
	if errors.Is(err, miniredis.ErrKeyNotFound) {
		return nil, false
	}
	must(0, err)
	return []byte(v), true
}

func (c *miniRedis) LRange(key string, start, stop int) int {
	c.do("LRANGE", key, strconv.Itoa(start), strconv.Itoa(stop))
	return -1 // the reply went to io.Discard
}

func (c *miniRedis) SAdd(key string, members ...[]byte) {
	ms := make([]string, len(members))
	for i, m := range members {
		ms[i] = string(m)
	}
	must(c.m.SetAdd(key, ms...))
}

func (c *miniRedis) SIsMember(key string, member []byte) bool {
	return must(c.m.IsMember(key, string(member)))
}

func (c *miniRedis) SInter(keys ...string) int {
	c.do(append([]string{"SINTER"}, keys...)...)
	return -1
}

func (c *miniRedis) ZAdd(key string, members ...ZMember) {
	for _, m := range members {
		must(c.m.ZAdd(key, m.Score, m.Member))
	}
}

func (c *miniRedis) ZScore(key, member string) (float64, bool) {
	s, err := c.m.ZScore(key, member)
	return s, err == nil
}

func (c *miniRedis) ZRank(key, member string) (int, bool) {
	c.do("ZRANK", key, member)
	return -1, true
}

func (c *miniRedis) ZRangeByScore(key string, min, max float64, count int) int {
	c.do("ZRANGEBYSCORE", key, strconv.FormatFloat(min, 'g', -1, 64), strconv.FormatFloat(max, 'g', -1, 64),
		"LIMIT", "0", strconv.Itoa(count))
	return -1
}

func (*miniRedis) Flush() {}

func (c *miniRedis) Close() { c.m.Close() }
