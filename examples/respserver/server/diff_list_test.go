package server

import (
	"strconv"
)

// The list family of the differential test. Its keys are the shared
// keyNames, so lists collide with strings and the other types (WRONGTYPE
// both ways), and its elements come from a small pool so that LREM, LPOS,
// LINSERT and friends find matches.

func init() {
	families["lists"] = listGenerators
	digestDumps["list"] = func(k string) [][]string { return [][]string{{"LRANGE", k, "0", "-1"}} }
}

var listPool = []string{"a", "b", "c", "a", "1", "-1", "", "x y", "bin\x00\xff", "crlf\r\n"}

// elem is a list element: mostly from the pool, sometimes any value.
func (g *gen) elem() string {
	if g.p(80) {
		return pick(g, listPool...)
	}
	return g.value()
}

func (g *gen) elems(min, max int) []string {
	n := min + g.n(max-min+1)
	out := make([]string, n)
	for i := range out {
		out[i] = g.elem()
	}
	return out
}

// index is a list index: mostly small (either sign), sometimes huge or not
// an integer at all.
func (g *gen) index() string {
	switch g.n(20) {
	case 0:
		return pick(g, "abc", "", "1.5", " 1", "0x1", "99999999999999999999", "+1", "-0")
	case 1:
		return pick(g, "9223372036854775807", "-9223372036854775808", "9223372036854775806", "-9223372036854775807")
	case 2, 3:
		return strconv.Itoa(g.n(200) - 100)
	}
	return strconv.Itoa(g.n(17) - 8)
}

// popCount is LPOP/RPOP's count, or LPOS's COUNT/MAXLEN: mostly valid.
func (g *gen) popCount() string {
	switch g.n(12) {
	case 0:
		return pick(g, "-1", "abc", "", "-9223372036854775808", "1.5", "99999999999999999999")
	case 1:
		return pick(g, "0", "9223372036854775807", "100")
	}
	return strconv.Itoa(1 + g.n(4))
}

func (g *gen) end() string {
	if g.p(4) {
		return pick(g, "MIDDLE", "", "LEFTT", "up")
	}
	return pick(g, "LEFT", "RIGHT", "left", "Right")
}

var listGenerators = []generator{
	{"LPUSH", 12, func(g *gen) []string {
		return append([]string{pick(g, "LPUSH", "RPUSH"), g.key()}, g.elems(1, 5)...)
	}},
	{"LPUSHX", 3, func(g *gen) []string {
		return append([]string{pick(g, "LPUSHX", "RPUSHX"), g.key()}, g.elems(1, 3)...)
	}},
	{"LPOP", 8, func(g *gen) []string {
		cmd := []string{pick(g, "LPOP", "RPOP"), g.key()}
		switch g.n(10) {
		case 0, 1, 2, 3:
		case 4:
			cmd = append(cmd, g.popCount(), pick(g, "1", "extra"))
		default:
			cmd = append(cmd, g.popCount())
		}
		return cmd
	}},
	{"LLEN", 3, func(g *gen) []string { return []string{"LLEN", g.key()} }},
	{"LRANGE", 5, func(g *gen) []string {
		if g.p(30) {
			return []string{"LRANGE", g.key(), "0", "-1"}
		}
		return []string{"LRANGE", g.key(), g.index(), g.index()}
	}},
	{"LINDEX", 4, func(g *gen) []string { return []string{"LINDEX", g.key(), g.index()} }},
	{"LSET", 3, func(g *gen) []string { return []string{"LSET", g.key(), g.index(), g.elem()} }},
	{"LINSERT", 3, func(g *gen) []string {
		where := pick(g, "BEFORE", "AFTER", "before", "After")
		if g.p(5) {
			where = pick(g, "MIDDLE", "", "BEFOREX")
		}
		return []string{"LINSERT", g.key(), where, g.elem(), g.elem()}
	}},
	{"LREM", 3, func(g *gen) []string {
		count := strconv.Itoa(g.n(7) - 3)
		if g.p(10) {
			count = pick(g, "abc", "9223372036854775807", "-9223372036854775808", "1.5", "")
		}
		return []string{"LREM", g.key(), count, g.elem()}
	}},
	{"LTRIM", 2, func(g *gen) []string {
		if g.p(60) {
			return []string{"LTRIM", g.key(), strconv.Itoa(g.n(3)), strconv.Itoa(-1 - g.n(3))}
		}
		return []string{"LTRIM", g.key(), g.index(), g.index()}
	}},
	{"LPOS", 5, func(g *gen) []string {
		cmd := []string{"LPOS", g.key(), g.elem()}
		for range g.n(4) {
			switch g.n(10) {
			case 0, 1, 2:
				rank := strconv.Itoa(g.n(7) - 3)
				if g.p(15) {
					rank = pick(g, "abc", "9223372036854775807", "-9223372036854775808", "-9223372036854775807", "")
				}
				cmd = append(cmd, pick(g, "RANK", "rank"), rank)
			case 3, 4, 5:
				cmd = append(cmd, pick(g, "COUNT", "count"), g.popCount())
			case 6, 7:
				cmd = append(cmd, "MAXLEN", g.popCount())
			case 8:
				cmd = append(cmd, pick(g, "BOGUS", "COUNT", "RANK", "MAXLEN"))
			default:
				cmd = append(cmd, "COUNT", "0")
			}
		}
		return cmd
	}},
	{"LMOVE", 5, func(g *gen) []string {
		src := g.key()
		dst := g.key()
		if g.p(20) {
			dst = src
		}
		return []string{"LMOVE", src, dst, g.end(), g.end()}
	}},
	{"RPOPLPUSH", 2, func(g *gen) []string {
		src := g.key()
		dst := g.key()
		if g.p(20) {
			dst = src
		}
		return []string{"RPOPLPUSH", src, dst}
	}},
	{"LMPOP", 4, func(g *gen) []string {
		keys := g.keys(1, 4)
		numkeys := strconv.Itoa(len(keys))
		if g.p(8) {
			numkeys = pick(g, "0", "-1", "abc", "", strconv.Itoa(len(keys)+1), "9223372036854775807", strconv.Itoa(len(keys)-1))
		}
		cmd := append(append([]string{"LMPOP", numkeys}, keys...), g.end())
		for range g.n(3) {
			if g.p(80) {
				cmd = append(cmd, pick(g, "COUNT", "count"), pick(g, "1", "2", "3", "10", "0", "-1", "abc"))
			} else {
				cmd = append(cmd, pick(g, "COUNT", "BOGUS"))
			}
		}
		return cmd
	}},
	{"LARITY", 2, func(g *gen) []string {
		c := pick(g, "LPUSH", "RPUSH", "LPUSHX", "RPUSHX", "LPOP", "RPOP", "LLEN", "LRANGE", "LINDEX", "LSET",
			"LINSERT", "LREM", "LTRIM", "LPOS", "LMOVE", "RPOPLPUSH", "LMPOP")
		cmd := []string{c}
		for range g.n(6) {
			cmd = append(cmd, g.key())
		}
		return cmd
	}},
}
