package server

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/jackdawdb/jackdaw/engine"
)

// The set family of the differential test. Its keys are the shared
// keyNames, so sets collide with strings and the other types (WRONGTYPE
// both ways); members come from a small pool (integers, which Redis keeps
// as an intset, and strings), so that the algebra finds overlaps, and now
// and then a bulk SADD grows a set past the small encodings on both sides.
//
// Random replies are checked by property: SRANDMEMBER's pipelined replies
// by shape, count and distinctness (customCompares), and in a synchronous
// step (SRANDMEMBERCHECK) also by membership in Redis's set; SPOP runs on
// jackdaw first, then its effect is checked against Redis's set and applied
// to Redis with SREM. SSCAN runs as a full iteration on both sides, compared
// as sets.

func init() {
	families["sets"] = setGenerators
	digestDumps["set"] = func(k string) [][]string { return [][]string{{"SMEMBERS", k}} }
	for _, c := range []string{"smembers", "sinter", "sunion", "sdiff"} {
		unorderedReplies[c] = sortArray
	}
	customCompares["srandmember"] = compareSRandMember
	customSteps["spop"] = stepSPop
	customSteps["sscan"] = stepSScan
	customSteps["srandmembercheck"] = stepSRandMemberCheck
	customSteps["sfresh"] = stepSFresh
}

var setPool = []string{"a", "b", "c", "d", "1", "2", "3", "-1", "0", "42", "007", "", "x y", "bin\x00\xff",
	"crlf\r\n", "9223372036854775807", "-0", "1.5", strings.Repeat("L", 70)}

// setMember is a member: mostly from the pool, sometimes any value.
func (g *gen) setMember() string {
	if g.p(85) {
		return pick(g, setPool...)
	}
	return g.value()
}

func (g *gen) setMembers(min, max int) []string {
	n := min + g.n(max-min+1)
	out := make([]string, n)
	for i := range out {
		out[i] = g.setMember()
	}
	return out
}

// setCount is SPOP's or SRANDMEMBER's count: mostly small, sometimes 0,
// huge or not an integer. Negative counts stay small: Redis would send
// -count members.
func (g *gen) setCount() string {
	switch g.n(14) {
	case 0:
		return pick(g, "abc", "", "1.5", " 1", "+1", "0x1", "99999999999999999999", "-9223372036854775808")
	case 1:
		return pick(g, "0", "9223372036854775807", "1000")
	case 2, 3, 4:
		return strconv.Itoa(-1 - g.n(12))
	}
	return strconv.Itoa(1 + g.n(6))
}

var setGenerators = []generator{
	{"SADD", 10, func(g *gen) []string {
		return append([]string{"SADD", g.key()}, g.setMembers(1, 5)...)
	}},
	{"SADDBULK", 1, func(g *gen) []string {
		// Large sets: past jackdaw's packed form (128 members, 64 bytes)
		// and Redis's intset (512 integers).
		cmd := []string{"SADD", g.key()}
		n, base, ints := 100+g.n(500), g.n(1000), g.p(50)
		for i := range n {
			if ints {
				cmd = append(cmd, strconv.Itoa(base+i))
			} else {
				cmd = append(cmd, "m"+strconv.Itoa(base+i))
			}
		}
		return cmd
	}},
	{"SCLEAR", 3, func(g *gen) []string {
		// An empty result deletes the destination, whatever its type:
		// the key is free for the next SADD. (No generator writes
		// "{nosuch}set".)
		return []string{pick(g, "SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE"), g.key(), "{nosuch}set"}
	}},
	{"SFRESH", 8, func(g *gen) []string {
		// Strings take most keys back all the time (SET replaces any
		// type); this step makes a key a set again: DEL, then SADD.
		return append([]string{"SFRESH", g.key()}, g.setMembers(1, 8)...)
	}},
	{"SREM", 5, func(g *gen) []string {
		return append([]string{"SREM", g.key()}, g.setMembers(1, 4)...)
	}},
	{"SCARD", 3, func(g *gen) []string { return []string{"SCARD", g.key()} }},
	{"SISMEMBER", 3, func(g *gen) []string { return []string{"SISMEMBER", g.key(), g.setMember()} }},
	{"SMISMEMBER", 3, func(g *gen) []string {
		return append([]string{"SMISMEMBER", g.key()}, g.setMembers(1, 4)...)
	}},
	{"SMEMBERS", 3, func(g *gen) []string { return []string{"SMEMBERS", g.key()} }},
	{"SPOP", 4, func(g *gen) []string {
		cmd := []string{"SPOP", g.key()}
		if g.p(60) {
			cmd = append(cmd, g.setCount())
		}
		if g.p(3) {
			cmd = append(cmd, "1")
		}
		return cmd
	}},
	{"SRANDMEMBER", 4, func(g *gen) []string {
		cmd := []string{"SRANDMEMBER", g.key()}
		if g.p(70) {
			cmd = append(cmd, g.setCount())
		}
		if g.p(3) {
			cmd = append(cmd, "1")
		}
		return cmd
	}},
	{"SRANDMEMBERCHECK", 1, func(g *gen) []string {
		cmd := []string{"SRANDMEMBERCHECK", g.key()}
		if g.p(70) {
			cmd = append(cmd, g.setCount())
		}
		return cmd
	}},
	{"SMOVE", 4, func(g *gen) []string { return []string{"SMOVE", g.key(), g.key(), g.setMember()} }},
	{"SALGEBRA", 6, func(g *gen) []string {
		return append([]string{pick(g, "SINTER", "SUNION", "SDIFF")}, g.keys(1, 4)...)
	}},
	{"SSTORE", 5, func(g *gen) []string {
		return append([]string{pick(g, "SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE"), g.key()}, g.keys(1, 4)...)
	}},
	{"SINTERCARD", 3, func(g *gen) []string {
		keys := g.keys(1, 4)
		nk := strconv.Itoa(len(keys))
		if g.p(10) {
			nk = pick(g, "0", "-1", "abc", "", "5", "99999999999999999999")
		}
		cmd := append([]string{"SINTERCARD", nk}, keys...)
		for range g.n(3) {
			switch g.n(6) {
			case 0:
				cmd = append(cmd, "LIMIT", pick(g, "-1", "abc", "", "9223372036854775807"))
			case 1:
				cmd = append(cmd, pick(g, "LIMIT", "BOGUS"))
			default:
				cmd = append(cmd, pick(g, "LIMIT", "limit"), strconv.Itoa(g.n(5)))
			}
		}
		return cmd
	}},
	{"SSCAN", 3, func(g *gen) []string {
		cmd := []string{"SSCAN", g.key(), "0"}
		if g.p(10) {
			cmd[2] = pick(g, "abc", "-1", "18446744073709551616", "1.5", "", "7")
		}
		for range g.n(3) {
			switch g.n(6) {
			case 0:
				cmd = append(cmd, "COUNT", pick(g, "0", "-1", "abc", "1", "3", "1000"))
			case 1:
				cmd = append(cmd, "MATCH", pick(g, "*", "m1*", "*[0-9]", "[", "\\", "?", "a*", "*\x00*"))
			case 2:
				cmd = append(cmd, pick(g, "TYPE", "BOGUS", "COUNT", "MATCH"), pick(g, "set", "x"))
			case 3:
				cmd = append(cmd, pick(g, "COUNT", "MATCH"))
			default:
				cmd = append(cmd, pick(g, "COUNT", "count"), strconv.Itoa(1+g.n(20)))
			}
		}
		return cmd
	}},
	{"SETARITY", 2, func(g *gen) []string {
		c := pick(g, "SADD", "SREM", "SCARD", "SISMEMBER", "SMISMEMBER", "SMEMBERS", "SPOP", "SRANDMEMBER",
			"SMOVE", "SINTER", "SUNION", "SDIFF", "SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE", "SINTERCARD", "SSCAN")
		cmd := []string{c}
		for range g.n(4) {
			cmd = append(cmd, g.key())
		}
		return cmd
	}},
}

// compareSRandMember checks SRANDMEMBER's random replies by property: the
// same kind; with a count, the same length (min(count, size) for a positive
// count, -count for a negative one), distinct members for a positive count,
// and the whole set (as Redis's reply shows it) when count >= size.
func compareSRandMember(cmd []string, redis, jd engine.Reply) (bool, string) {
	if redis.Kind != jd.Kind {
		return false, "reply kinds differ"
	}
	if len(cmd) < 3 || jd.Kind != engine.ReplyArray {
		return true, ""
	}
	if len(redis.Array) != len(jd.Array) {
		return false, "SRANDMEMBER reply lengths differ"
	}
	count, err := strconv.ParseInt(cmd[2], 10, 64)
	if err != nil || count <= 0 {
		return true, "" // negative: -count members that may repeat
	}
	seen := map[string]bool{}
	for _, e := range jd.Array {
		if seen[string(e.Bulk)] {
			return false, fmt.Sprintf("SRANDMEMBER with a positive count repeated %q", e.Bulk)
		}
		seen[string(e.Bulk)] = true
	}
	if int64(len(redis.Array)) < count { // the whole set
		r, j := redis, jd
		r.Array, j.Array = slices.Clone(r.Array), slices.Clone(j.Array)
		sortArray(&r)
		sortArray(&j)
		if !equalReply(r, j) {
			return false, "SRANDMEMBER with count >= size: the sets differ"
		}
	}
	return true, ""
}

// stepSRandMemberCheck runs SRANDMEMBER on both sides, compares the
// replies by property and checks every member jackdaw returned against
// Redis's set.
func stepSRandMemberCheck(rc, jc *rconn, cmd []string) error {
	cmd = append([]string{"SRANDMEMBER"}, cmd[1:]...)
	jr, err := jc.do(cmd...)
	if err != nil {
		return err
	}
	rr, err := rc.do(cmd...)
	if err != nil {
		return err
	}
	if ok, what := compareReply(cmd, rr, jr); !ok {
		return fmt.Errorf("%s: redis %s, jackdaw %s", what, oneLineReply(rr), oneLineReply(jr))
	}
	var members []string
	switch jr.Kind {
	case engine.ReplyBulk:
		members = []string{string(jr.Bulk)}
	case engine.ReplyArray:
		for _, e := range jr.Array {
			members = append(members, string(e.Bulk))
		}
	default:
		return nil
	}
	return checkMembersInRedis(rc, cmd[1], members)
}

// checkMembersInRedis reports an error unless every member is in Redis's
// set at key.
func checkMembersInRedis(rc *rconn, key string, members []string) error {
	if len(members) == 0 {
		return nil
	}
	r, err := rc.do(append([]string{"SMISMEMBER", key}, members...)...)
	if err != nil {
		return err
	}
	if r.Kind != engine.ReplyArray || len(r.Array) != len(members) {
		return fmt.Errorf("SMISMEMBER on redis: %s", oneLineReply(r))
	}
	for i, e := range r.Array {
		if e.Int != 1 {
			return fmt.Errorf("jackdaw returned %q, not a member of redis's set %q", members[i], key)
		}
	}
	return nil
}

// stepSPop runs SPOP on jackdaw, checks that the popped members are in
// Redis's set (and their number against its size), then removes them from
// Redis with SREM, so that both sides stay equal. Errors, nil and empty
// replies are deterministic: SPOP itself runs on Redis then.
func stepSPop(rc, jc *rconn, cmd []string) error {
	jr, err := jc.do(cmd...)
	if err != nil {
		return err
	}
	var members []string
	switch {
	case jr.Kind == engine.ReplyBulk:
		members = []string{string(jr.Bulk)}
	case jr.Kind == engine.ReplyArray && len(jr.Array) > 0:
		for _, e := range jr.Array {
			members = append(members, string(e.Bulk))
		}
	default:
		rr, err := rc.do(cmd...)
		if err != nil {
			return err
		}
		if !equalReply(rr, jr) {
			return fmt.Errorf("replies differ: redis %s, jackdaw %s", oneLineReply(rr), oneLineReply(jr))
		}
		return nil
	}
	key := cmd[1]
	card, err := rc.do("SCARD", key)
	if err != nil {
		return err
	}
	if card.Kind != engine.ReplyInt {
		return fmt.Errorf("jackdaw popped %q; redis: SCARD %s", members, oneLineReply(card))
	}
	want := int64(1)
	if len(cmd) == 3 {
		if want, err = strconv.ParseInt(cmd[2], 10, 64); err != nil {
			return fmt.Errorf("jackdaw popped %q for count %q", members, cmd[2])
		}
	}
	if int64(len(members)) != min(want, card.Int) {
		return fmt.Errorf("jackdaw popped %d members, redis's set has %d, count %d", len(members), card.Int, want)
	}
	if len(slices.Compact(slices.Sorted(slices.Values(members)))) != len(members) {
		return fmt.Errorf("jackdaw popped a member twice: %q", members)
	}
	if err := checkMembersInRedis(rc, key, members); err != nil {
		return err
	}
	r, err := rc.do(append([]string{"SREM", key}, members...)...)
	if err != nil {
		return err
	}
	if r.Kind != engine.ReplyInt || r.Int != int64(len(members)) {
		return fmt.Errorf("SREM on redis: %s", oneLineReply(r))
	}
	return nil
}

// stepSScan runs SSCAN from cursor 0 to the end on both sides and compares
// the members seen, as sets; errors must be equal. A scan that starts from
// another cursor is compared by shape only: where it resumes depends on
// the implementation.
func stepSScan(rc, jc *rconn, cmd []string) error {
	rs, rerr := sscanFull(rc, cmd)
	js, jerr := sscanFull(jc, cmd)
	if rerr != nil || jerr != nil {
		return fmt.Errorf("redis: %v, jackdaw: %v", rerr, jerr)
	}
	switch {
	case rs.err.Kind == engine.ReplyError || js.err.Kind == engine.ReplyError:
		if !equalReply(rs.err, js.err) {
			return fmt.Errorf("replies differ: redis %s, jackdaw %s", oneLineReply(rs.err), oneLineReply(js.err))
		}
	case len(cmd) > 2 && cmd[2] != "0":
		// shape only (both were arrays of two)
	case !slices.Equal(rs.members, js.members):
		return fmt.Errorf("full SSCAN member sets differ:\n  redis:   %q\n  jackdaw: %q", rs.members, js.members)
	}
	return nil
}

type sscanResult struct {
	err     engine.Reply // the error reply, if any (Kind ReplyError)
	members []string     // sorted, distinct
}

// sscanFull iterates SSCAN as cmd says (cmd[2] is the first cursor), to
// the end unless the first cursor is not 0.
func sscanFull(c *rconn, cmd []string) (sscanResult, error) {
	var res sscanResult
	if len(cmd) < 3 {
		r, err := c.do(cmd...)
		if err == nil && !r.IsError() {
			err = fmt.Errorf("SSCAN without a cursor: %s", oneLineReply(r))
		}
		res.err = r
		return res, err
	}
	set := map[string]bool{}
	cursor := cmd[2]
	for i := 0; ; i++ {
		if i > 100000 {
			return res, fmt.Errorf("SSCAN does not end")
		}
		args := slices.Clone(cmd)
		args[2] = cursor
		r, err := c.do(args...)
		if err != nil {
			return res, err
		}
		if r.IsError() {
			res.err = r
			return res, nil
		}
		if r.Kind != engine.ReplyArray || len(r.Array) != 2 || r.Array[1].Kind != engine.ReplyArray {
			return res, fmt.Errorf("SSCAN reply %s", oneLineReply(r))
		}
		for _, m := range r.Array[1].Array {
			set[string(m.Bulk)] = true
		}
		cursor = string(r.Array[0].Bulk)
		if cursor == "0" || cmd[2] != "0" {
			break
		}
	}
	res.members = slices.Sorted(maps.Keys(set))
	return res, nil
}

// stepSFresh runs DEL key, then SADD key members, on both sides, comparing
// the replies.
func stepSFresh(rc, jc *rconn, cmd []string) error {
	for _, c := range [][]string{{"DEL", cmd[1]}, append([]string{"SADD"}, cmd[1:]...)} {
		rr, err := rc.do(c...)
		if err != nil {
			return err
		}
		jr, err := jc.do(c...)
		if err != nil {
			return err
		}
		if !equalReply(rr, jr) {
			return fmt.Errorf("%s: replies differ: redis %s, jackdaw %s", quoteCmd(c), oneLineReply(rr), oneLineReply(jr))
		}
	}
	return nil
}
