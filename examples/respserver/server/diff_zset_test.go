package server

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/jackdawdb/jackdaw/engine"
)

// The sorted set family of the differential test. Keys are the shared
// keyNames, so sorted sets collide with strings (WRONGTYPE both ways).

var zMembers = []string{"a", "b", "c", "d", "e", "f", "m1", "m2", "m10", "", "bin\x00\xff", "é", "sp ace"}

func (g *gen) zmember() string { return pick(g, zMembers...) }

// zscore is a ZADD score: mostly valid, sometimes not.
func (g *gen) zscore() string {
	switch g.n(14) {
	case 0:
		return pick(g, "abc", "", " 1", "1 ", "nan", "1e400", "1..2", "--1", "(1", "1e", "0x")
	case 1:
		return pick(g, "inf", "-inf", "+inf", "-0", "0x10", "1e3", "1.5e-7", "3.0", "-2.25", "1e17", "0.1", "+5")
	case 2, 3, 4:
		return strconv.Itoa(g.n(5)) // many ties
	}
	return strconv.FormatFloat(float64(g.n(2000)-1000)/float64(1+g.n(8)), 'f', -1, 64)
}

func (g *gen) zscoreBound() string {
	switch g.n(12) {
	case 0:
		return pick(g, "abc", "", "(", "((1", "nan", "1 ", "[1")
	case 1, 2:
		return pick(g, "-inf", "+inf", "inf", "(-inf", "(+inf", "-0", "(0")
	}
	b := strconv.Itoa(g.n(12) - 3)
	if g.p(30) {
		b = "(" + b
	}
	return b
}

func (g *gen) zlexBound() string {
	switch g.n(10) {
	case 0:
		return pick(g, "a", "", "x", "-x", "+a")
	case 1, 2:
		return pick(g, "-", "+")
	}
	return pick(g, "[", "(") + pick(g, "a", "b", "c", "d", "m", "m1", "", "z", "é")
}

func (g *gen) zindex() string {
	if g.p(5) {
		return pick(g, "abc", "1.5", "", "9223372036854775807", "-9223372036854775808")
	}
	return strconv.Itoa(g.n(14) - 7)
}

func (g *gen) zlimit() []string {
	if g.p(5) {
		return []string{"LIMIT", pick(g, "abc", "0", "1.5"), pick(g, "1", "x")}
	}
	return []string{pick(g, "LIMIT", "limit"), strconv.Itoa(g.n(6) - 1), strconv.Itoa(g.n(7) - 2)}
}

// zrangeArgs builds ZRANGE's or ZRANGESTORE's arguments after the keys.
func (g *gen) zrangeArgs(store bool) []string {
	var cmd []string
	by := g.n(3)
	switch by {
	case 0:
		cmd = []string{g.zindex(), g.zindex()}
	case 1:
		cmd = []string{g.zscoreBound(), g.zscoreBound(), "BYSCORE"}
	default:
		cmd = []string{g.zlexBound(), g.zlexBound(), "BYLEX"}
	}
	if g.p(40) {
		cmd = append(cmd, pick(g, "REV", "rev"))
	}
	if g.p(30) && (by != 0 || g.p(20)) {
		cmd = append(cmd, g.zlimit()...)
	}
	if g.p(40) && (!store || g.p(10)) && (by != 2 || g.p(10)) {
		cmd = append(cmd, "WITHSCORES")
	}
	if g.p(4) {
		cmd = append(cmd, pick(g, "BOGUS", "BYSCORE", "REV", "LIMIT"))
	}
	return cmd
}

// zsetOpTail is ZUNION/ZINTER/ZDIFF's numkeys, keys and options.
func (g *gen) zsetOpTail(agg, withscores bool) []string {
	keys := g.keys(1, 4)
	n := strconv.Itoa(len(keys))
	if g.p(5) {
		n = pick(g, "0", "-1", "abc", "9")
	}
	cmd := append([]string{n}, keys...)
	if agg && g.p(40) {
		cmd = append(cmd, "WEIGHTS")
		for range len(keys) {
			cmd = append(cmd, pick(g, "1", "2", "-1", "0", "0.5", "inf", "-inf", "3", "1e308"))
		}
		if g.p(5) {
			cmd[len(cmd)-1] = pick(g, "abc", "nan")
		}
		if g.p(5) {
			cmd = cmd[:len(cmd)-1]
		}
	}
	if agg && g.p(40) {
		cmd = append(cmd, "AGGREGATE", pick(g, "SUM", "MIN", "MAX", "max", "AVG"))
	}
	if withscores && g.p(50) {
		cmd = append(cmd, "WITHSCORES")
	}
	if g.p(4) {
		cmd = append(cmd, pick(g, "BOGUS", "WEIGHTS", "AGGREGATE", "LIMIT"))
	}
	return cmd
}

func init() {
	families["zsets"] = []generator{
		{"ZADD", 16, func(g *gen) []string {
			cmd := []string{"ZADD", g.key()}
			for range g.n(3) {
				if g.p(70) {
					cmd = append(cmd, pick(g, "NX", "XX", "GT", "LT", "CH", "INCR", "ch", "gt"))
				}
			}
			pairs := 1 + g.n(4)
			if slices.ContainsFunc(cmd, func(s string) bool { return strings.EqualFold(s, "incr") }) && g.p(85) {
				pairs = 1
			}
			for range pairs {
				cmd = append(cmd, g.zscore(), g.zmember())
			}
			if g.p(4) {
				cmd = cmd[:len(cmd)-1]
			}
			return cmd
		}},
		// Sets of equal scores, for the lex ranges: weight 0 flattens a set.
		{"ZFLATTEN", 3, func(g *gen) []string {
			if g.p(50) {
				return []string{"ZUNIONSTORE", g.key(), "1", g.key(), "WEIGHTS", "0"}
			}
			cmd := []string{"ZADD", g.key()}
			for range 1 + g.n(5) {
				cmd = append(cmd, "0", g.zmember())
			}
			return cmd
		}},
		{"ZINCRBY", 4, func(g *gen) []string { return []string{"ZINCRBY", g.key(), g.zscore(), g.zmember()} }},
		{"ZREM", 4, func(g *gen) []string {
			cmd := []string{"ZREM", g.key()}
			for range 1 + g.n(3) {
				cmd = append(cmd, g.zmember())
			}
			return cmd
		}},
		{"ZCARD", 3, func(g *gen) []string { return []string{"ZCARD", g.key()} }},
		{"ZSCORE", 3, func(g *gen) []string { return []string{"ZSCORE", g.key(), g.zmember()} }},
		{"ZMSCORE", 2, func(g *gen) []string {
			cmd := []string{"ZMSCORE", g.key()}
			for range 1 + g.n(3) {
				cmd = append(cmd, g.zmember())
			}
			return cmd
		}},
		{"ZCOUNT", 3, func(g *gen) []string { return []string{"ZCOUNT", g.key(), g.zscoreBound(), g.zscoreBound()} }},
		{"ZLEXCOUNT", 2, func(g *gen) []string { return []string{"ZLEXCOUNT", g.key(), g.zlexBound(), g.zlexBound()} }},
		{"ZRANK", 3, func(g *gen) []string { return []string{pick(g, "ZRANK", "ZREVRANK"), g.key(), g.zmember()} }},
		{"ZRANGE", 8, func(g *gen) []string { return append([]string{"ZRANGE", g.key()}, g.zrangeArgs(false)...) }},
		{"ZREVRANGE", 2, func(g *gen) []string {
			cmd := []string{"ZREVRANGE", g.key(), g.zindex(), g.zindex()}
			if g.p(40) {
				cmd = append(cmd, "WITHSCORES")
			}
			return cmd
		}},
		{"ZRANGEBYSCORE", 4, func(g *gen) []string {
			cmd := []string{pick(g, "ZRANGEBYSCORE", "ZREVRANGEBYSCORE"), g.key(), g.zscoreBound(), g.zscoreBound()}
			if g.p(40) {
				cmd = append(cmd, "WITHSCORES")
			}
			if g.p(30) {
				cmd = append(cmd, g.zlimit()...)
			}
			if g.p(4) {
				cmd = append(cmd, pick(g, "REV", "BYSCORE", "LIMIT"))
			}
			return cmd
		}},
		{"ZRANGEBYLEX", 3, func(g *gen) []string {
			cmd := []string{pick(g, "ZRANGEBYLEX", "ZREVRANGEBYLEX"), g.key(), g.zlexBound(), g.zlexBound()}
			if g.p(30) {
				cmd = append(cmd, g.zlimit()...)
			}
			if g.p(4) {
				cmd = append(cmd, pick(g, "WITHSCORES", "BYLEX"))
			}
			return cmd
		}},
		{"ZRANGESTORE", 3, func(g *gen) []string {
			return append([]string{"ZRANGESTORE", g.key(), g.key()}, g.zrangeArgs(true)...)
		}},
		{"ZREMRANGE", 3, func(g *gen) []string {
			switch g.n(3) {
			case 0:
				return []string{"ZREMRANGEBYRANK", g.key(), g.zindex(), g.zindex()}
			case 1:
				return []string{"ZREMRANGEBYSCORE", g.key(), g.zscoreBound(), g.zscoreBound()}
			}
			return []string{"ZREMRANGEBYLEX", g.key(), g.zlexBound(), g.zlexBound()}
		}},
		{"ZPOP", 3, func(g *gen) []string {
			cmd := []string{pick(g, "ZPOPMIN", "ZPOPMAX"), g.key()}
			if g.p(60) {
				cmd = append(cmd, pick(g, "0", "1", "2", "3", "10", "-1", "abc"))
			}
			if g.p(3) {
				cmd = append(cmd, "1")
			}
			return cmd
		}},
		{"ZMPOP", 2, func(g *gen) []string {
			keys := g.keys(1, 3)
			n := strconv.Itoa(len(keys))
			if g.p(6) {
				n = pick(g, "0", "-1", "abc", "5")
			}
			cmd := append([]string{"ZMPOP", n}, keys...)
			cmd = append(cmd, pick(g, "MIN", "MAX", "max", "BOGUS"))
			if g.p(50) {
				cmd = append(cmd, "COUNT", pick(g, "1", "2", "5", "0", "-1", "abc"))
			}
			if g.p(4) {
				cmd = append(cmd, pick(g, "COUNT", "X"))
			}
			return cmd
		}},
		{"ZSETOP", 6, func(g *gen) []string {
			switch g.n(3) {
			case 0:
				return append([]string{"ZUNION"}, g.zsetOpTail(true, true)...)
			case 1:
				return append([]string{"ZINTER"}, g.zsetOpTail(true, true)...)
			}
			return append([]string{"ZDIFF"}, g.zsetOpTail(g.p(5), true)...)
		}},
		{"ZSETOPSTORE", 5, func(g *gen) []string {
			switch g.n(3) {
			case 0:
				return append([]string{"ZUNIONSTORE", g.key()}, g.zsetOpTail(true, g.p(5))...)
			case 1:
				return append([]string{"ZINTERSTORE", g.key()}, g.zsetOpTail(true, g.p(5))...)
			}
			return append([]string{"ZDIFFSTORE", g.key()}, g.zsetOpTail(g.p(5), g.p(5))...)
		}},
		{"ZINTERCARD", 2, func(g *gen) []string {
			keys := g.keys(1, 3)
			n := strconv.Itoa(len(keys))
			if g.p(5) {
				n = pick(g, "0", "-1", "abc", "9")
			}
			cmd := append([]string{"ZINTERCARD", n}, keys...)
			if g.p(40) {
				cmd = append(cmd, "LIMIT", pick(g, "0", "1", "2", "-1", "abc"))
			}
			if g.p(4) {
				cmd = append(cmd, pick(g, "WITHSCORES", "LIMIT"))
			}
			return cmd
		}},
		{"ZRANDMEMBER", 3, func(g *gen) []string {
			cmd := []string{"ZRANDMEMBER", g.key()}
			if g.p(70) {
				cmd = append(cmd, pick(g, "0", "1", "2", "5", "20", "-1", "-3", "-10", "abc", "-9223372036854775808"))
				if g.p(50) {
					cmd = append(cmd, pick(g, "WITHSCORES", "withscores", "BOGUS"))
				}
			}
			return cmd
		}},
		{"ZSCAN", 2, func(g *gen) []string {
			cmd := []string{"ZSCAN", g.key(), pick(g, "0", "0", "0", "abc", "-1", "7")}
			for range g.n(3) {
				switch g.n(5) {
				case 0:
					cmd = append(cmd, "COUNT", pick(g, "0", "-1", "abc", "5", "1000"))
				case 1, 2:
					cmd = append(cmd, "MATCH", pick(g, "*", "m*", "?", "[a-c]", "*\x00*", "é"))
				case 3:
					cmd = append(cmd, pick(g, "TYPE", "BOGUS"))
				default:
					cmd = append(cmd, "COUNT")
				}
			}
			return cmd
		}},
		{"ZARITY", 2, func(g *gen) []string {
			c := pick(g, "ZADD", "ZINCRBY", "ZREM", "ZCARD", "ZSCORE", "ZMSCORE", "ZCOUNT", "ZLEXCOUNT", "ZRANK", "ZREVRANK",
				"ZRANGE", "ZREVRANGE", "ZRANGEBYSCORE", "ZREVRANGEBYSCORE", "ZRANGEBYLEX", "ZREVRANGEBYLEX", "ZRANGESTORE",
				"ZREMRANGEBYRANK", "ZREMRANGEBYSCORE", "ZREMRANGEBYLEX", "ZPOPMIN", "ZPOPMAX", "ZMPOP", "ZUNION", "ZINTER",
				"ZDIFF", "ZUNIONSTORE", "ZINTERSTORE", "ZDIFFSTORE", "ZINTERCARD", "ZRANDMEMBER", "ZSCAN")
			cmd := []string{c}
			for range g.n(4) {
				cmd = append(cmd, g.key())
			}
			return cmd
		}},
	}

	// Lex ranges over members of different scores are unspecified in Redis
	// (its answer depends on the encoding and, for a skiplist, on node
	// heights), so these steps skip a command whose source key holds a
	// sorted set with more than one distinct score; otherwise they compare
	// exactly.
	customSteps["zrangebylex"] = lexStep(1)
	customSteps["zrevrangebylex"] = lexStep(1)
	customSteps["zlexcount"] = lexStep(1)
	customSteps["zremrangebylex"] = lexStep(1)
	customSteps["zrange"] = lexStep(1)
	customSteps["zrangestore"] = lexStep(2)
	customSteps["zrandmember"] = zrandmemberStep
	customSteps["zscan"] = zscanStep

	digestDumps["zset"] = func(k string) [][]string { return [][]string{{"ZRANGE", k, "0", "-1", "WITHSCORES"}} }

}

// lexCompared and lexSkipped count the lex-range commands compared and
// skipped (see TestZSetLexCoverage).
var lexCompared, lexSkipped int

// lexStep runs a command that may take a lex range of the key at srcIdx.
func lexStep(srcIdx int) func(rc, jc *rconn, cmd []string) error {
	return func(rc, jc *rconn, cmd []string) error {
		lex := !strings.EqualFold(cmd[0], "zrange") && !strings.EqualFold(cmd[0], "zrangestore") ||
			slices.ContainsFunc(cmd, func(a string) bool { return strings.EqualFold(a, "bylex") })
		if lex && srcIdx < len(cmd) {
			r, err := rc.do("ZRANGE", cmd[srcIdx], "0", "-1", "WITHSCORES")
			if err != nil {
				return err
			}
			if r.Kind == engine.ReplyArray {
				scores := map[string]bool{}
				for i := 1; i < len(r.Array); i += 2 {
					scores[string(r.Array[i].Bulk)] = true
				}
				if len(scores) > 1 {
					lexSkipped++
					return nil // unspecified: skipped on both sides
				}
			}
		}
		if lex {
			lexCompared++
		}
		rr, err := rc.do(cmd...)
		if err != nil {
			return err
		}
		jr, err := jc.do(cmd...)
		if err != nil {
			return err
		}
		if ok, what := compareReply(cmd, rr, jr); !ok && !allowed(cmd, rr, jr) {
			return fmt.Errorf("%s: redis %s, jackdaw %s", what, oneLineReply(rr), oneLineReply(jr))
		}
		return nil
	}
}

// zrandmemberStep checks ZRANDMEMBER by property: errors equal; the
// count rules; every member returned exists, with its score.
func zrandmemberStep(rc, jc *rconn, cmd []string) error {
	rr, err := rc.do(cmd...)
	if err != nil {
		return err
	}
	jr, err := jc.do(cmd...)
	if err != nil {
		return err
	}
	if rr.IsError() || jr.IsError() {
		if !equalReply(rr, jr) {
			return fmt.Errorf("replies differ: redis %s, jackdaw %s", oneLineReply(rr), oneLineReply(jr))
		}
		return nil
	}
	if rr.Kind != jr.Kind {
		return fmt.Errorf("reply kinds differ: redis %s, jackdaw %s", oneLineReply(rr), oneLineReply(jr))
	}
	all, err := jc.do("ZRANGE", cmd[1], "0", "-1", "WITHSCORES")
	if err != nil {
		return err
	}
	scores := map[string]string{}
	for i := 0; i+1 < len(all.Array); i += 2 {
		scores[string(all.Array[i].Bulk)] = string(all.Array[i+1].Bulk)
	}
	switch jr.Kind {
	case engine.ReplyNil:
		return nil
	case engine.ReplyBulk:
		if _, ok := scores[string(jr.Bulk)]; !ok {
			return fmt.Errorf("ZRANDMEMBER returned %q, not a member", jr.Bulk)
		}
		return nil
	case engine.ReplyArray:
	default:
		return fmt.Errorf("unexpected reply %s", oneLineReply(jr))
	}
	if len(rr.Array) != len(jr.Array) {
		return fmt.Errorf("reply lengths differ: redis %s, jackdaw %s", oneLineReply(rr), oneLineReply(jr))
	}
	withScores := len(cmd) == 4
	step := 1
	if withScores {
		step = 2
	}
	count, _ := strconv.Atoi(cmd[2])
	seen := map[string]bool{}
	for i := 0; i < len(jr.Array); i += step {
		m := string(jr.Array[i].Bulk)
		s, ok := scores[m]
		if !ok {
			return fmt.Errorf("ZRANDMEMBER returned %q, not a member", m)
		}
		if withScores && string(jr.Array[i+1].Bulk) != s {
			return fmt.Errorf("ZRANDMEMBER returned %q with score %q, not %q", m, jr.Array[i+1].Bulk, s)
		}
		if count > 0 && seen[m] {
			return fmt.Errorf("ZRANDMEMBER with a positive count repeated %q", m)
		}
		seen[m] = true
	}
	return nil
}

// zscanStep compares ZSCAN. Redis returns a small set (its compact
// encoding) whole, in order, with cursor 0, as jackdaw always does: that
// is compared exactly. A larger set Redis scans by cursor in hash order:
// then a full iteration from cursor 0 must give the same member/score
// pairs; from another cursor only the shape is checked.
func zscanStep(rc, jc *rconn, cmd []string) error {
	rr, err := rc.do(cmd...)
	if err != nil {
		return err
	}
	jr, err := jc.do(cmd...)
	if err != nil {
		return err
	}
	if equalReply(rr, jr) {
		return nil
	}
	if rr.IsError() || jr.IsError() || rr.Kind != engine.ReplyArray || len(rr.Array) != 2 ||
		jr.Kind != engine.ReplyArray || len(jr.Array) != 2 || string(jr.Array[0].Bulk) != "0" {
		return fmt.Errorf("replies differ: redis %s, jackdaw %s", oneLineReply(rr), oneLineReply(jr))
	}
	pairs := func(r engine.Reply, into map[string]string) {
		for i := 0; i+1 < len(r.Array); i += 2 {
			into[string(r.Array[i].Bulk)] = string(r.Array[i+1].Bulk)
		}
	}
	jp := map[string]string{}
	pairs(jr.Array[1], jp)
	if cmd[2] != "0" {
		return nil // Redis scanned part of a large set from an arbitrary cursor
	}
	rp := map[string]string{}
	pairs(rr.Array[1], rp)
	for i := 0; string(rr.Array[0].Bulk) != "0"; i++ {
		if i > 100000 {
			return fmt.Errorf("ZSCAN does not end")
		}
		next := slices.Clone(cmd)
		next[2] = string(rr.Array[0].Bulk)
		if rr, err = rc.do(next...); err != nil {
			return err
		}
		if rr.Kind != engine.ReplyArray || len(rr.Array) != 2 {
			return fmt.Errorf("ZSCAN reply %s", oneLineReply(rr))
		}
		pairs(rr.Array[1], rp)
	}
	if !maps.Equal(rp, jp) {
		return fmt.Errorf("full ZSCAN differs: redis %q, jackdaw %q", rp, jp)
	}
	return nil
}

// TestZSetLexCoverage runs the differential stream of the sorted set
// family alone and reports how many lex-range commands were compared
// (rather than skipped as unspecified): they must not all be skipped.
func TestZSetLexCoverage(t *testing.T) {
	redisAddr := startRedis(t)
	srv := startServer(t, Options{})
	saved := families
	families = map[string][]generator{"zsets": saved["zsets"], "strings": saved["strings"][:2]}
	defer func() { families = saved }()
	lexCompared, lexSkipped = 0, 0
	n, err := runDifferential(t, redisAddr, srv.Addr().String(), 99, 5000)
	require.NoError(t, err)
	t.Logf("%d commands; lex-range commands compared: %d, skipped as unspecified: %d", n, lexCompared, lexSkipped)
	require.Greater(t, lexCompared, 50)
}
