package server

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/jackdawdb/jackdaw/engine"
)

// The transaction and blocking families of the differential test.
//
// "transactions" generates a TXN step: MULTI, a few commands drawn from
// every other family (so all data types, their run-time errors such as
// WRONGTYPE, and queue-time errors: unknown commands and wrong arity, which
// make EXEC reply EXECABORT), then EXEC or DISCARD; sometimes after WATCH,
// with the watched key then written by a second connection (EXEC: a null
// array on both), by the client itself, or not at all (EXEC runs; the
// second connection writes the same key in another database, which must
// not count). Every reply is compared: MULTI's, each QUEUED or queue-time
// error, and EXEC's array element by element with the rules of each
// command.
//
// "blocking" generates the blocking pops with short timeouts (on an empty
// key they wait a few milliseconds and reply their null, on a key with
// data they are served at once, on a key of another type WRONGTYPE) and bad
// timeouts; and a BSERVED step: a push (RPUSH or ZADD) then a blocking pop
// with timeout 0 in the same pipeline, served at once.
//
// The step's commands travel in one generated command: TXN <mode> then the
// commands, each introduced by txSep.

const txSep = "\x1e"

// txStats count what the transaction and blocking steps compared.
var txStats diffCounters

type diffCounters struct {
	txns, execRan, execNull, execAbort, discards, queued int
	bpops, bpopServed, bpopNull, bpopErr                 int
}

func (st *diffCounters) String() string {
	return fmt.Sprintf("%d transactions (EXEC ran %d, null %d, EXECABORT %d; DISCARD %d; %d commands queued); "+
		"%d blocking pops outside MULTI (served %d, null after the timeout %d, errors %d)",
		st.txns, st.execRan, st.execNull, st.execAbort, st.discards, st.queued, st.bpops, st.bpopServed, st.bpopNull, st.bpopErr)
}

var blockingNames = map[string]bool{"blpop": true, "brpop": true, "brpoplpush": true, "blmove": true, "blmpop": true,
	"bzpopmin": true, "bzpopmax": true, "bzmpop": true}

// countReply counts a reply to a command run outside MULTI.
func countReply(cmd []string, r engine.Reply) {
	if !blockingNames[strings.ToLower(cmd[0])] {
		return
	}
	txStats.bpops++
	switch r.Kind {
	case engine.ReplyError:
		txStats.bpopErr++
	case engine.ReplyNil, engine.ReplyNilArray:
		txStats.bpopNull++
	default:
		txStats.bpopServed++
	}
}

func init() {
	families["transactions"] = []generator{
		{"TXN", 5, genTxn},
	}
	families["blocking"] = []generator{
		{"BLPOP", 2, func(g *gen) []string { return g.blockingCmd() }},
		{"BZPOP", 2, func(g *gen) []string { return g.blockingCmd() }},
		{"BMPOP", 1, func(g *gen) []string { return g.blockingCmd() }},
		{"BARITY", 1, func(g *gen) []string {
			c := pick(g, "BLPOP", "BRPOP", "BRPOPLPUSH", "BLMOVE", "BLMPOP", "BZPOPMIN", "BZPOPMAX", "BZMPOP")
			cmd := []string{c}
			for range g.n(3) {
				cmd = append(cmd, g.key())
			}
			return cmd
		}},
		{"BSERVED", 4, genBServed},
	}
	customSteps["txn"] = stepTxn
	customSteps["bserved"] = stepBServed
}

// btimeout is a blocking command's timeout: short (never 0 outside a
// transaction: on an empty key it would wait forever), or not valid.
func (g *gen) btimeout() string {
	switch g.n(16) {
	case 0:
		return pick(g, "abc", "", " 1", "1 ", "nan", "1.5.2", "0x", "1e", "--1")
	case 1:
		return pick(g, "-1", "-0.5", "-100", "-0.002", "-inf")
	case 2, 3:
		if g.inTx {
			return pick(g, "0", "0.0", "10")
		}
	}
	return pick(g, "0.01", "0.001", ".01", "1e-2", "0.002")
}

func (g *gen) numkeys(keys []string) string {
	if g.p(8) {
		return pick(g, "0", "-1", "abc", "", strconv.Itoa(len(keys)+1), "9223372036854775807", strconv.Itoa(len(keys)-1))
	}
	return strconv.Itoa(len(keys))
}

func (g *gen) mpopCount(cmd []string) []string {
	for range g.n(3) {
		if g.p(85) {
			cmd = append(cmd, pick(g, "COUNT", "count"), pick(g, "1", "2", "3", "10", "0", "-1", "abc"))
		} else {
			cmd = append(cmd, pick(g, "COUNT", "BOGUS"))
		}
	}
	return cmd
}

// blockingCmd is one blocking pop with its arguments.
func (g *gen) blockingCmd() []string {
	switch g.n(8) {
	case 0, 1:
		return append(append([]string{pick(g, "BLPOP", "BRPOP")}, g.keys(1, 3)...), g.btimeout())
	case 2:
		return []string{"BRPOPLPUSH", g.key(), g.key(), g.btimeout()}
	case 3:
		return []string{"BLMOVE", g.key(), g.key(), g.end(), g.end(), g.btimeout()}
	case 4:
		keys := g.keys(1, 3)
		return g.mpopCount(append(append([]string{"BLMPOP", g.btimeout(), g.numkeys(keys)}, keys...), g.end()))
	case 5, 6:
		return append(append([]string{pick(g, "BZPOPMIN", "BZPOPMAX")}, g.keys(1, 3)...), g.btimeout())
	}
	keys := g.keys(1, 3)
	where := pick(g, "MIN", "MAX", "min", "Max")
	if g.p(5) {
		where = pick(g, "MIDDLE", "", "LEFT")
	}
	return g.mpopCount(append(append([]string{"BZMPOP", g.btimeout(), g.numkeys(keys)}, keys...), where))
}

// genBServed is BSERVED, a push then a blocking pop of the pushed key with
// timeout 0 (served at once; or WRONGTYPE, at once too).
func genBServed(g *gen) []string {
	k := g.key()
	var pre, push, pop []string
	if g.p(50) {
		pre = []string{"DEL", k} // so that the push does not meet another type
	}
	if g.p(60) {
		push = append([]string{pick(g, "RPUSH", "LPUSH"), k}, g.elems(1, 3)...)
		switch g.n(5) {
		case 0:
			pop = append(append([]string{pick(g, "BLPOP", "BRPOP"), k}, g.keys(0, 2)...), pick(g, "0", "0.0", "100"))
		case 1:
			pop = []string{"BRPOPLPUSH", k, g.key(), "0"}
		case 2:
			pop = []string{"BLMOVE", k, g.key(), g.end(), g.end(), "0"}
		default:
			keys := append([]string{k}, g.keys(0, 2)...)
			pop = append(append([]string{"BLMPOP", "0", strconv.Itoa(len(keys))}, keys...), pick(g, "LEFT", "RIGHT"))
			if g.p(50) {
				pop = append(pop, "COUNT", pick(g, "1", "2", "5"))
			}
		}
	} else {
		push = []string{"ZADD", k}
		for range 1 + g.n(3) {
			push = append(push, strconv.Itoa(g.n(5)), g.zmember())
		}
		switch g.n(3) {
		case 0, 1:
			pop = append(append([]string{pick(g, "BZPOPMIN", "BZPOPMAX"), k}, g.keys(0, 2)...), pick(g, "0", "100"))
		default:
			keys := append([]string{k}, g.keys(0, 2)...)
			pop = append(append([]string{"BZMPOP", "0", strconv.Itoa(len(keys))}, keys...), pick(g, "MIN", "MAX"))
			if g.p(50) {
				pop = append(pop, "COUNT", pick(g, "1", "2", "5"))
			}
		}
	}
	if pre != nil {
		return joinCmds("BSERVED", "", [][]string{pre, push, pop})
	}
	return joinCmds("BSERVED", "", [][]string{push, pop})
}

func stepBServed(rc, jc *rconn, cmd []string) error {
	_, cmds := splitCmds(cmd)
	return compareSeq(rc, jc, cmds, nil)
}

// txFamilies are the generators a transaction draws its commands from.
func txGenerators() ([]generator, int) {
	var table []generator
	total := 0
	for _, fam := range slices.Sorted(maps.Keys(families)) {
		if fam == "transactions" {
			continue
		}
		for _, gn := range families[fam] {
			if gn.name == "BSERVED" {
				continue
			}
			table = append(table, gn)
			total += gn.weight
		}
	}
	return table, total
}

// txCmd is one command for a transaction: any family's, but not those run
// as steps of their own (random effects, full scans) nor COPY ... DB
// (refused inside MULTI here, see README).
func (g *gen) txCmd() []string {
	table, total := txGenerators()
	g.inTx = true
	defer func() { g.inTx = false }()
	for {
		w := g.n(total)
		for _, gn := range table {
			if w >= gn.weight {
				w -= gn.weight
				continue
			}
			cmd := gn.fn(g)
			name := strings.ToLower(cmd[0])
			if name == "scanall" || name == "randomkey" || customSteps[name] != nil || (name == "copy" && len(cmd) > 3 && slices.ContainsFunc(cmd[3:], func(a string) bool { return strings.EqualFold(a, "db") })) {
				break
			}
			cmd[0] = g.cmdName(cmd[0])
			return cmd
		}
	}
}

// Transaction modes.
const (
	txPlain      = "plain"       // MULTI ... EXEC
	txDiscard    = "discard"     // MULTI ... DISCARD
	txWatchOK    = "watch-ok"    // WATCH, the key written in another DB only, MULTI ... EXEC: runs
	txWatchOther = "watch-other" // WATCH, a second connection writes a watched key: EXEC is null
	txWatchSelf  = "watch-self"  // WATCH, the client writes a watched key itself: EXEC is null
)

func genTxn(g *gen) []string {
	mode := txPlain
	switch g.n(10) {
	case 0:
		mode = txDiscard
	case 1, 2:
		mode = txWatchOK
	case 3, 4:
		mode = txWatchOther
	case 5:
		mode = txWatchSelf
	}
	var cmds [][]string
	if mode != txPlain && mode != txDiscard {
		cmds = append(cmds, append([]string{"WATCH"}, g.keys(1, 3)...))
		cmds = append(cmds, []string{"SET", cmds[0][1+g.n(len(cmds[0])-1)], g.value()}) // the write that breaks it (or not)
	}
	cmds = append(cmds, []string{pick(g, "MULTI", "multi")})
	for range 1 + g.n(6) {
		cmds = append(cmds, g.txCmd())
	}
	if g.p(5) { // a nested MULTI or a WATCH inside: errors, but not queue-time ones
		cmds = slices.Insert(cmds, len(cmds)-g.n(2), pick(g, []string{"MULTI"}, []string{"WATCH", g.key()}))
	}
	if mode == txDiscard {
		cmds = append(cmds, []string{"DISCARD"})
	} else {
		cmds = append(cmds, []string{pick(g, "EXEC", "exec")})
	}
	return joinCmds("TXN", mode, cmds)
}

func joinCmds(name, mode string, cmds [][]string) []string {
	out := []string{name, mode}
	for _, c := range cmds {
		out = append(out, txSep)
		out = append(out, c...)
	}
	return out
}

func splitCmds(cmd []string) (mode string, cmds [][]string) {
	mode = cmd[1]
	for _, a := range cmd[2:] {
		if a == txSep {
			cmds = append(cmds, nil)
			continue
		}
		cmds[len(cmds)-1] = append(cmds[len(cmds)-1], a)
	}
	return mode, cmds
}

func stepTxn(rc, jc *rconn, cmd []string) error {
	txStats.txns++
	mode, cmds := splitCmds(cmd)
	var setup [][]string
	if mode != txPlain && mode != txDiscard {
		setup, cmds = cmds[:2], cmds[2:]
	}
	return compareSeq(rc, jc, cmds, func(c *rconn) ([]engine.Reply, error) {
		if setup == nil {
			return nil, nil
		}
		watch, write := setup[0], setup[1]
		r, err := c.do(watch...)
		if err != nil {
			return nil, err
		}
		out := []engine.Reply{r}
		switch mode {
		case txWatchSelf:
			r, err = c.do(write...)
		case txWatchOther, txWatchOK:
			o, err := secondConn(c)
			if err != nil {
				return nil, err
			}
			if mode == txWatchOK {
				// The same key in another database: not the watched key.
				if r, err = o.do("SELECT", "9"); err != nil || r.IsError() {
					return nil, fmt.Errorf("SELECT 9: %v %s", err, r)
				}
				if r, err = o.do("SET", setup[1][1], "elsewhere"); err != nil || r.IsError() {
					return nil, fmt.Errorf("SET in db 9: %v %s", err, r)
				}
				if r, err = o.do("SELECT", "0"); err != nil || r.IsError() {
					return nil, fmt.Errorf("SELECT 0: %v %s", err, r)
				}
				return out, nil
			}
			r, err = o.do(write...)
		}
		if err != nil {
			return nil, err
		}
		return append(out, r), nil
	})
}

// second connections, per server address, for the WATCH steps: kept open
// (each server closes them when it stops).
var seconds = map[string]*rconn{}

func secondConn(c *rconn) (*rconn, error) {
	addr := c.c.RemoteAddr().String()
	if o := seconds[addr]; o != nil {
		return o, nil
	}
	o, err := dial(addr)
	if err != nil {
		return nil, err
	}
	seconds[addr] = o
	return o, nil
}

// compareSeq runs setup (if any) then cmds pipelined, on Redis then on
// jackdaw, and compares every reply; EXEC's array element by element with
// the rules of the command queued at that place.
func compareSeq(rc, jc *rconn, cmds [][]string, setup func(c *rconn) ([]engine.Reply, error)) error {
	run := func(c *rconn) ([]engine.Reply, error) {
		var pre []engine.Reply
		if setup != nil {
			var err error
			if pre, err = setup(c); err != nil {
				return nil, err
			}
		}
		rs, err := c.pipeline(cmds)
		return append(pre, rs...), err
	}
	rr, err := run(rc)
	if err != nil {
		return fmt.Errorf("redis: %v", err)
	}
	jr, err := run(jc)
	if err != nil {
		return fmt.Errorf("jackdaw: %v", err)
	}
	if len(rr) != len(jr) {
		return fmt.Errorf("reply counts differ: redis %d, jackdaw %d", len(rr), len(jr))
	}
	off := len(rr) - len(cmds)
	for i := 0; i < off; i++ {
		if !equalReply(rr[i], jr[i]) {
			return fmt.Errorf("setup reply %d differs: redis %s, jackdaw %s", i, oneLineReply(rr[i]), oneLineReply(jr[i]))
		}
	}
	var queued [][]string
	inMulti := false
	for i, cmd := range cmds {
		r, j := rr[off+i], jr[off+i]
		name := strings.ToLower(cmd[0])
		switch {
		case name == "multi" && !inMulti:
			inMulti = true
			queued = nil
		case name == "exec" && inMulti:
			inMulti = false
			switch {
			case r.Kind == engine.ReplyArray:
				txStats.execRan++
			case r.Kind == engine.ReplyNilArray:
				txStats.execNull++
			case r.IsError():
				txStats.execAbort++
			}
			if r.Kind == engine.ReplyArray && j.Kind == engine.ReplyArray && len(r.Array) == len(j.Array) && len(r.Array) == len(queued) {
				for k, q := range queued {
					if ok, what := compareReply(q, r.Array[k], j.Array[k]); !ok && !allowed(q, r.Array[k], j.Array[k]) {
						return fmt.Errorf("EXEC reply %d, to %s: %s\n  redis:   %s\n  jackdaw: %s\n  the transaction: %s",
							k, quoteCmd(q), what, oneLineReply(r.Array[k]), oneLineReply(j.Array[k]), quoteCmds(cmds))
					}
				}
				continue
			}
		case name == "discard" && inMulti:
			inMulti = false
			txStats.discards++
		case inMulti && name != "multi" && name != "watch":
			if r.Kind == engine.ReplyStatus && r.Str == "QUEUED" {
				queued = append(queued, cmd)
				txStats.queued++
			}
			if !equalReply(r, j) { // QUEUED, or a queue-time error
				return fmt.Errorf("reply to %s while queued differs\n  redis:   %s\n  jackdaw: %s\n  the sequence: %s",
					quoteCmd(cmd), oneLineReply(r), oneLineReply(j), quoteCmds(cmds))
			}
			continue
		}
		if !inMulti {
			countReply(cmd, r)
		}
		if ok, what := compareReply(cmd, r, j); !ok && !allowed(cmd, r, j) {
			return fmt.Errorf("reply to %s: %s\n  redis:   %s\n  jackdaw: %s\n  the sequence: %s",
				quoteCmd(cmd), what, oneLineReply(r), oneLineReply(j), quoteCmds(cmds))
		}
	}
	return nil
}

func quoteCmds(cmds [][]string) string {
	q := make([]string, len(cmds))
	for i, c := range cmds {
		q[i] = quoteCmd(c)
	}
	return strings.Join(q, "; ")
}
