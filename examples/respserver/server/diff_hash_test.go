package server

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/jackdawdb/jackdaw/engine"
)

// The hash family of the differential test. Its keys are the shared
// keyNames, so hashes collide with strings and the other types (WRONGTYPE
// both ways); fields come from a small pool (so that writes, reads and
// deletes meet), values from the shared value generator (integers, floats
// and odd strings, for HINCRBY and HINCRBYFLOAT), and now and then a bulk
// HSET grows a hash past the small encodings on both sides (jackdaw packs
// up to 128 fields, Redis up to 512; a value or field over 64 bytes
// unpacks both).
//
// HKEYS, HVALS and HGETALL are compared in any order. Random and
// implementation-ordered replies are checked by property: pipelined
// HRANDFIELD and HSCAN against Redis's reply (customCompares), and in
// synchronous steps HRANDFIELD against Redis's whole hash (HRANDFIELDCHECK)
// and HSCAN as a full iteration (HSCANALL).

func init() {
	families["hashes"] = hashGenerators
	digestDumps["hash"] = func(k string) [][]string { return [][]string{{"HLEN", k}, {"HGETALL", k}} }
	unorderedReplies["hkeys"] = sortArray
	unorderedReplies["hvals"] = sortArray
	unorderedReplies["hgetall"] = sortHashPairs
	customCompares["hrandfield"] = compareHRandField
	customCompares["hscan"] = compareHScan
	customSteps["hfresh"] = stepHFresh
	customSteps["hrandfieldcheck"] = stepHRandFieldCheck
	customSteps["hscanall"] = stepHScanAll
}

var hashFieldPool = []string{"a", "b", "c", "f1", "f2", "n", "m", "1", "-1", "007", "", "x y", "bin\x00\xff",
	"crlf\r\n", "é", strings.Repeat("F", 70)}

// hashField is a field: mostly from the pool, sometimes any value.
func (g *gen) hashField() string {
	if g.p(90) {
		return pick(g, hashFieldPool...)
	}
	return g.value()
}

func (g *gen) hashFields(min, max int) []string {
	n := min + g.n(max-min+1)
	out := make([]string, n)
	for i := range out {
		out[i] = g.hashField()
	}
	return out
}

// hashPairs is 1 to max field, value pairs.
func (g *gen) hashPairs(max int) []string {
	var out []string
	for range 1 + g.n(max) {
		out = append(out, g.hashField(), g.value())
	}
	return out
}

// hashRandCount is HRANDFIELD's count and options. Negative counts stay
// small (Redis would send -count fields, and crashes on a huge one), except
// with WITHVALUES where Redis refuses beyond ±2^62 first.
func (g *gen) hashRandCount() []string {
	withValues := g.p(40)
	var count string
	switch g.n(14) {
	case 0:
		count = pick(g, "abc", "", "1.5", " 1", "+1", "0x1", "99999999999999999999", "-9223372036854775808")
	case 1:
		count = pick(g, "0", "9223372036854775807", "1000", "4611686018427387903")
		if withValues && g.p(50) {
			count = pick(g, "4611686018427387904", "-4611686018427387904")
		}
	case 2, 3, 4, 5:
		count = strconv.Itoa(-1 - g.n(12))
	default:
		count = strconv.Itoa(1 + g.n(8))
	}
	out := []string{count}
	if withValues {
		out = append(out, pick(g, "WITHVALUES", "withvalues", "WithValues"))
	}
	if g.p(4) {
		out = append(out, pick(g, "BOGUS", "WITHVALUES", "1"))
	}
	return out
}

// hashScanOptions are HSCAN's options, sometimes bad ones.
func (g *gen) hashScanOptions() []string {
	var out []string
	for range g.n(3) {
		switch g.n(7) {
		case 0:
			out = append(out, "COUNT", pick(g, "0", "-1", "abc", "1", "3", "1000", "9223372036854775807"))
		case 1, 2:
			out = append(out, pick(g, "MATCH", "match"), pick(g, "*", "f*", "*[0-9]", "[", "\\", "?", "a*", "*\x00*", "", "**", "m1*"))
		case 3:
			out = append(out, pick(g, "TYPE", "BOGUS", "NOVALUES"), pick(g, "hash", "x"))
		case 4:
			out = append(out, pick(g, "COUNT", "MATCH", "NOVALUES"))
		default:
			out = append(out, pick(g, "COUNT", "count"), strconv.Itoa(1+g.n(20)))
		}
	}
	return out
}

var hashGenerators = []generator{
	{"HSET", 10, func(g *gen) []string {
		cmd := append([]string{pick(g, "HSET", "HSET", "HSET", "HMSET")}, g.key())
		cmd = append(cmd, g.hashPairs(4)...)
		if g.p(5) {
			cmd = cmd[:len(cmd)-1] // odd: wrong arity
		}
		return cmd
	}},
	{"HSETBULK", 1, func(g *gen) []string {
		// Large hashes: past jackdaw's packed form (128 fields) and,
		// sometimes, Redis's listpack (512).
		cmd := []string{"HSET", g.key()}
		n, base := 100+g.n(500), g.n(1000)
		for i := range n {
			cmd = append(cmd, "m"+strconv.Itoa(base+i), strconv.Itoa(i))
		}
		return cmd
	}},
	{"HFRESH", 14, func(g *gen) []string {
		// Strings take most keys back all the time (SET replaces any
		// type); this step makes a key a hash again: DEL, then HSET.
		return append([]string{"HFRESH", g.key()}, g.hashPairs(6)...)
	}},
	{"HSETNX", 3, func(g *gen) []string { return []string{"HSETNX", g.key(), g.hashField(), g.value()} }},
	{"HGET", 6, func(g *gen) []string { return []string{"HGET", g.key(), g.hashField()} }},
	{"HMGET", 3, func(g *gen) []string {
		return append([]string{"HMGET", g.key()}, g.hashFields(1, 5)...)
	}},
	{"HDEL", 5, func(g *gen) []string {
		return append([]string{"HDEL", g.key()}, g.hashFields(1, 4)...)
	}},
	{"HLEN", 3, func(g *gen) []string { return []string{"HLEN", g.key()} }},
	{"HEXISTS", 3, func(g *gen) []string { return []string{"HEXISTS", g.key(), g.hashField()} }},
	{"HSTRLEN", 3, func(g *gen) []string { return []string{"HSTRLEN", g.key(), g.hashField()} }},
	{"HGETALL", 4, func(g *gen) []string { return []string{pick(g, "HKEYS", "HVALS", "HGETALL"), g.key()} }},
	{"HINCRBY", 5, func(g *gen) []string {
		return []string{"HINCRBY", g.key(), pick(g, "n", "m", "1", g.hashField()), g.delta()}
	}},
	{"HINCRBYFLOAT", 4, func(g *gen) []string {
		if !g.float {
			return []string{"HINCRBY", g.key(), pick(g, "n", "m", g.hashField()), g.delta()}
		}
		return []string{"HINCRBYFLOAT", g.key(), pick(g, "n", "m", "1", g.hashField()), g.floatDelta()}
	}},
	{"HRANDFIELD", 4, func(g *gen) []string {
		cmd := []string{"HRANDFIELD", g.key()}
		if g.p(75) {
			cmd = append(cmd, g.hashRandCount()...)
		}
		return cmd
	}},
	{"HRANDFIELDCHECK", 2, func(g *gen) []string {
		cmd := []string{"HRANDFIELDCHECK", g.key()}
		if g.p(75) {
			cmd = append(cmd, g.hashRandCount()...)
		}
		return cmd
	}},
	{"HSCAN", 3, func(g *gen) []string {
		cmd := []string{"HSCAN", g.key(), "0"}
		if g.p(10) {
			cmd[2] = pick(g, "abc", "-1", "18446744073709551616", "1.5", "", "7")
		}
		return append(cmd, g.hashScanOptions()...)
	}},
	{"HSCANALL", 2, func(g *gen) []string {
		cmd := []string{"HSCANALL", g.key()}
		if g.p(50) {
			cmd = append(cmd, "MATCH", pick(g, "*", "f*", "m1*", "*[0-9]", "", "?"))
		}
		if g.p(50) {
			cmd = append(cmd, "COUNT", pick(g, "1", "3", "100"))
		}
		if g.p(5) {
			cmd = append(cmd, pick(g, "BOGUS", "COUNT"))
		}
		return cmd
	}},
	{"HASHARITY", 2, func(g *gen) []string {
		c := pick(g, "HSET", "HMSET", "HSETNX", "HGET", "HMGET", "HDEL", "HLEN", "HEXISTS", "HSTRLEN", "HKEYS",
			"HVALS", "HGETALL", "HINCRBY", "HINCRBYFLOAT", "HRANDFIELD", "HSCAN")
		cmd := []string{c}
		for range g.n(4) {
			cmd = append(cmd, g.key())
		}
		return cmd
	}},
}

// sortHashPairs puts a flat field, value array in field order, keeping
// each pair together.
func sortHashPairs(r *engine.Reply) {
	if r.Kind == engine.ReplyArray {
		*r = pairsSorted(*r)
	}
}

// hashReplyPairs reads a flat field, value array; it reports false if the
// array is odd or a field repeats with different values.
func hashReplyPairs(a []engine.Reply) (map[string]string, bool) {
	if len(a)%2 != 0 {
		return nil, false
	}
	m := map[string]string{}
	for i := 0; i < len(a); i += 2 {
		f, v := string(a[i].Bulk), string(a[i+1].Bulk)
		if old, ok := m[f]; ok && old != v {
			return nil, false
		}
		m[f] = v
	}
	return m, true
}

// compareHRandField checks HRANDFIELD's random replies by property: the
// same kind; with a count, the same length (min(count, size) for a positive
// count, -count for a negative one, doubled WITHVALUES), distinct fields
// for a positive count, the whole hash (as Redis's reply shows it) when
// count >= size, and with WITHVALUES the same value wherever a field turns
// up in either reply.
func compareHRandField(cmd []string, redis, jd engine.Reply) (bool, string) {
	if redis.Kind != jd.Kind {
		return false, "reply kinds differ"
	}
	if len(cmd) < 3 || jd.Kind != engine.ReplyArray {
		return true, ""
	}
	if len(redis.Array) != len(jd.Array) {
		return false, "HRANDFIELD reply lengths differ"
	}
	count, err := strconv.ParseInt(cmd[2], 10, 64)
	if err != nil {
		return false, "HRANDFIELD accepted the count " + strconv.Quote(cmd[2])
	}
	withValues := len(cmd) == 4
	step := 1
	if withValues {
		step = 2
		rm, ok1 := hashReplyPairs(redis.Array)
		jm, ok2 := hashReplyPairs(jd.Array)
		if !ok1 || !ok2 {
			return false, "HRANDFIELD WITHVALUES: odd reply, or a field with two values"
		}
		for f, v := range jm {
			if rv, ok := rm[f]; ok && rv != v {
				return false, fmt.Sprintf("HRANDFIELD WITHVALUES: field %q has value %q, redis says %q", f, v, rv)
			}
		}
	}
	if count <= 0 {
		return true, "" // negative: -count fields that may repeat
	}
	seen := map[string]bool{}
	for i := 0; i < len(jd.Array); i += step {
		if seen[string(jd.Array[i].Bulk)] {
			return false, fmt.Sprintf("HRANDFIELD with a positive count repeated %q", jd.Array[i].Bulk)
		}
		seen[string(jd.Array[i].Bulk)] = true
	}
	if int64(len(redis.Array)/step) < count { // the whole hash
		norm := sortArray
		if withValues {
			norm = sortHashPairs
		}
		r, j := redis, jd
		r.Array, j.Array = slices.Clone(r.Array), slices.Clone(j.Array)
		norm(&r)
		norm(&j)
		if !equalReply(r, j) {
			return false, "HRANDFIELD with count >= size: the hashes differ"
		}
	}
	return true, ""
}

// compareHScan compares one HSCAN call: where the scan resumes and how much
// one call returns depend on the implementation, so both replies must be a
// cursor and field, value pairs agreeing on any field both return, and a
// scan from 0 that both finish in one call must return the same pairs.
func compareHScan(cmd []string, redis, jd engine.Reply) (bool, string) {
	shape := func(r engine.Reply) bool {
		return r.Kind == engine.ReplyArray && len(r.Array) == 2 && r.Array[0].Kind == engine.ReplyBulk &&
			r.Array[1].Kind == engine.ReplyArray
	}
	if !shape(redis) || !shape(jd) {
		return false, "HSCAN reply shapes differ"
	}
	rm, ok1 := hashReplyPairs(redis.Array[1].Array)
	jm, ok2 := hashReplyPairs(jd.Array[1].Array)
	if !ok1 || !ok2 {
		return false, "HSCAN: odd reply, or a field with two values"
	}
	for f, v := range jm {
		if rv, ok := rm[f]; ok && rv != v {
			return false, fmt.Sprintf("HSCAN: field %q has value %q, redis says %q", f, v, rv)
		}
	}
	if cmd[2] == "0" && string(redis.Array[0].Bulk) == "0" && string(jd.Array[0].Bulk) == "0" && !maps.Equal(rm, jm) {
		return false, "HSCAN: complete scans differ"
	}
	return true, ""
}

// hashDo runs cmd on both sides, jackdaw first, and returns the replies.
func hashDo(rc, jc *rconn, cmd []string) (redis, jd engine.Reply, err error) {
	if jd, err = jc.do(cmd...); err != nil {
		return redis, jd, err
	}
	redis, err = rc.do(cmd...)
	return redis, jd, err
}

// stepHFresh runs DEL key, then HSET key pairs, on both sides, comparing
// the replies.
func stepHFresh(rc, jc *rconn, cmd []string) error {
	for _, c := range [][]string{{"DEL", cmd[1]}, append([]string{"HSET"}, cmd[1:]...)} {
		rr, jr, err := hashDo(rc, jc, c)
		if err != nil {
			return err
		}
		if !equalReply(rr, jr) {
			return fmt.Errorf("%s: replies differ: redis %s, jackdaw %s", quoteCmd(c), oneLineReply(rr), oneLineReply(jr))
		}
	}
	return nil
}

// stepHRandFieldCheck runs HRANDFIELD on both sides, compares the replies
// by property, and checks every field jackdaw returned (and its value,
// WITHVALUES) against Redis's whole hash.
func stepHRandFieldCheck(rc, jc *rconn, cmd []string) error {
	cmd = append([]string{"HRANDFIELD"}, cmd[1:]...)
	rr, jr, err := hashDo(rc, jc, cmd)
	if err != nil {
		return err
	}
	if ok, what := compareReply(cmd, rr, jr); !ok {
		return fmt.Errorf("%s: redis %s, jackdaw %s", what, oneLineReply(rr), oneLineReply(jr))
	}
	var fields, values []string
	withValues := len(cmd) == 4
	switch jr.Kind {
	case engine.ReplyBulk:
		fields = []string{string(jr.Bulk)}
	case engine.ReplyArray:
		for i, e := range jr.Array {
			if withValues && i%2 == 1 {
				values = append(values, string(e.Bulk))
			} else {
				fields = append(fields, string(e.Bulk))
			}
		}
	default:
		return nil
	}
	if len(fields) == 0 {
		return nil
	}
	all, err := rc.do("HGETALL", cmd[1])
	if err != nil {
		return err
	}
	m, ok := hashReplyPairs(all.Array)
	if all.Kind != engine.ReplyArray || !ok {
		return fmt.Errorf("HGETALL on redis: %s", oneLineReply(all))
	}
	for i, f := range fields {
		v, ok := m[f]
		if !ok {
			return fmt.Errorf("jackdaw returned %q, not a field of redis's hash %q", f, cmd[1])
		}
		if withValues && values[i] != v {
			return fmt.Errorf("jackdaw returned %q for field %q, redis's hash holds %q", values[i], f, v)
		}
	}
	return nil
}

// stepHScanAll runs HSCAN from cursor 0 to the end on both sides with the
// options in cmd[2:], and compares the pairs seen; errors must be equal.
func stepHScanAll(rc, jc *rconn, cmd []string) error {
	rs, rerr := hscanFull(rc, cmd[1], cmd[2:])
	js, jerr := hscanFull(jc, cmd[1], cmd[2:])
	if rerr != nil || jerr != nil {
		return fmt.Errorf("redis: %v, jackdaw: %v", rerr, jerr)
	}
	switch {
	case rs.err.Kind == engine.ReplyError || js.err.Kind == engine.ReplyError:
		if !equalReply(rs.err, js.err) {
			return fmt.Errorf("replies differ: redis %s, jackdaw %s", oneLineReply(rs.err), oneLineReply(js.err))
		}
	case !maps.Equal(rs.pairs, js.pairs):
		return fmt.Errorf("full HSCAN pairs differ:\n  redis:   %q\n  jackdaw: %q", rs.pairs, js.pairs)
	}
	return nil
}

type hscanResult struct {
	err   engine.Reply // the error reply, if any (Kind ReplyError)
	pairs map[string]string
}

// hscanFull iterates HSCAN key cursor opts... from cursor 0 to the end.
func hscanFull(c *rconn, key string, opts []string) (hscanResult, error) {
	res := hscanResult{pairs: map[string]string{}}
	cursor := "0"
	for i := 0; ; i++ {
		if i > 100000 {
			return res, fmt.Errorf("HSCAN does not end")
		}
		r, err := c.do(append([]string{"HSCAN", key, cursor}, opts...)...)
		if err != nil {
			return res, err
		}
		if r.IsError() {
			res.err = r
			return res, nil
		}
		if r.Kind != engine.ReplyArray || len(r.Array) != 2 || r.Array[1].Kind != engine.ReplyArray {
			return res, fmt.Errorf("HSCAN reply %s", oneLineReply(r))
		}
		m, ok := hashReplyPairs(r.Array[1].Array)
		if !ok {
			return res, fmt.Errorf("HSCAN reply %s", oneLineReply(r))
		}
		for f, v := range m {
			if old, ok := res.pairs[f]; ok && old != v {
				return res, fmt.Errorf("HSCAN returned field %q with %q, then with %q", f, old, v)
			}
			res.pairs[f] = v
		}
		if cursor = string(r.Array[0].Bulk); cursor == "0" {
			return res, nil
		}
	}
}
