// Command report turns the raw output of one benchmarks/run.sh run into
// results/results.txt (tables, with every ratio taken between figures of
// the same run) and PNG charts (gonum/plot).
//
// It reads, from -raw:
//
//	machine.txt   "key: value" lines (CPU, cores, Go, date, mode)
//	strings.txt   go test -bench Strings output (-cpu 1,2, maybe -count n)
//	types.txt     go test -bench 'Types|ZSet' output
//	memkey.txt    cmd/memkey rows
//	gclat.txt     cmd/gclat rows
//	resp.csv      server,pipeline,round,test,rps rows (redis-benchmark)
//
// A missing file leaves its section out (and says so). Several runs of one
// benchmark (-count) are reduced to their median.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/jackdawdb/jackdaw/benchmarks/peer"
)

func main() {
	raw := flag.String("raw", "results/raw", "directory with the raw outputs")
	out := flag.String("out", "results", "directory for results.txt and the PNGs")
	flag.Parse()

	r := &report{raw: *raw, out: *out}
	r.load()
	var b strings.Builder
	r.write(&b)
	if err := os.WriteFile(filepath.Join(*out, "results.txt"), []byte(b.String()), 0o644); err != nil {
		fatal(err)
	}
	if err := r.charts(); err != nil {
		fatal(err)
	}
	fmt.Print(b.String())
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "report:", err)
	os.Exit(1)
}

// bench is one benchmark's result: the median of its runs.
type bench struct {
	ns, allocs float64
}

type report struct {
	raw, out string
	machine  [][2]string
	benches  map[string]bench // key: name + "@" + cpu, name without "Benchmark"
	memkey   [][]string       // rows of cmd/memkey (no header)
	gclat    [][]string       // rows of cmd/gclat (no header)
	resp     map[respKey][]float64
	missing  []string
}

type respKey struct{ server, pipeline, test string }

func (r *report) open(name string) (*os.File, bool) {
	f, err := os.Open(filepath.Join(r.raw, name))
	if err != nil {
		r.missing = append(r.missing, name)
		return nil, false
	}
	return f, true
}

var cpuSuffix = regexp.MustCompile(`-(\d+)$`)

func (r *report) load() {
	if f, ok := r.open("machine.txt"); ok {
		for _, line := range lines(f) {
			if k, v, ok := strings.Cut(line, ":"); ok {
				r.machine = append(r.machine, [2]string{strings.TrimSpace(k), strings.TrimSpace(v)})
			}
		}
	}
	runs := map[string][][2]float64{}
	for _, name := range []string{"strings.txt", "types.txt"} {
		f, ok := r.open(name)
		if !ok {
			continue
		}
		for _, line := range lines(f) {
			fs := strings.Fields(line)
			if len(fs) < 4 || !strings.HasPrefix(fs[0], "Benchmark") {
				continue
			}
			n := strings.TrimPrefix(fs[0], "Benchmark")
			cpu := "1"
			if m := cpuSuffix.FindStringSubmatch(n); m != nil {
				cpu, n = m[1], n[:len(n)-len(m[0])]
			}
			var ns, allocs float64 = -1, -1
			for i := 1; i+1 < len(fs); i++ {
				v, err := strconv.ParseFloat(fs[i], 64)
				if err != nil {
					continue
				}
				switch fs[i+1] {
				case "ns/op":
					ns = v
				case "allocs/op":
					allocs = v
				}
			}
			if ns >= 0 {
				runs[n+"@"+cpu] = append(runs[n+"@"+cpu], [2]float64{ns, allocs})
			}
		}
	}
	r.benches = map[string]bench{}
	for k, rs := range runs {
		ns := make([]float64, len(rs))
		al := make([]float64, len(rs))
		for i, x := range rs {
			ns[i], al[i] = x[0], x[1]
		}
		r.benches[k] = bench{median(ns), median(al)}
	}
	r.memkey = rows(r, "memkey.txt", "peer")
	r.gclat = rows(r, "gclat.txt", "peer")
	r.resp = map[respKey][]float64{}
	if f, ok := r.open("resp.csv"); ok {
		for _, line := range lines(f) {
			fs := strings.Split(line, ",")
			if len(fs) != 5 {
				continue
			}
			v, err := strconv.ParseFloat(fs[4], 64)
			if err != nil {
				continue
			}
			k := respKey{fs[0], fs[1], fs[3]}
			r.resp[k] = append(r.resp[k], v)
		}
	}
}

// rows reads a whitespace-separated table, skipping header lines (first
// field == header) and blank lines.
func rows(r *report, name, header string) [][]string {
	f, ok := r.open(name)
	if !ok {
		return nil
	}
	var out [][]string
	for _, line := range lines(f) {
		fs := strings.Fields(line)
		if len(fs) == 0 || fs[0] == header {
			continue
		}
		out = append(out, fs)
	}
	return out
}

func lines(f *os.File) []string {
	defer f.Close()
	var out []string
	s := bufio.NewScanner(f)
	s.Buffer(make([]byte, 1<<20), 1<<20)
	for s.Scan() {
		out = append(out, s.Text())
	}
	return out
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	sort.Float64s(s)
	if len(s) == 0 {
		return 0
	}
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// get returns the benchmark's median, if it ran.
func (r *report) get(name, cpu string) (bench, bool) {
	b, ok := r.benches[name+"@"+cpu]
	return b, ok
}

// peersIn lists the peer= values of the benchmarks under prefix, jackdaw
// first, then in order of first appearance in name order.
func (r *report) peersIn(prefix string) []string {
	seen := map[string]bool{}
	var keys []string
	for k := range r.benches {
		if strings.HasPrefix(k, prefix) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var out []string
	for _, k := range keys {
		for _, part := range strings.Split(strings.Split(k, "@")[0], "/") {
			if p, ok := strings.CutPrefix(part, "peer="); ok && !seen[p] {
				seen[p] = true
				out = append(out, p)
			}
		}
	}
	// The peers' registration order (jackdaw first), then any others.
	known := append(peer.Names(), peer.TypedNames()...)
	rank := func(p string) int {
		if i := slices.Index(known, p); i >= 0 {
			return i
		}
		return len(known)
	}
	slices.SortStableFunc(out, func(a, b string) int { return rank(a) - rank(b) })
	return out
}

// cpus lists the cpu counts that appear under prefix.
func (r *report) cpus(prefix string) []string {
	seen := map[string]bool{}
	var out []string
	for k := range r.benches {
		if strings.HasPrefix(k, prefix) {
			c := k[strings.LastIndex(k, "@")+1:]
			if !seen[c] {
				seen[c] = true
				out = append(out, c)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return atoi(out[i]) < atoi(out[j]) })
	return out
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

// Workloads and ops in display order.
var (
	stringOps = []string{"get", "set", "r90w10", "r50w50"}
	stringOpN = map[string]string{"get": "GET", "set": "SET (0/100)", "r90w10": "90/10", "r50w50": "50/50"}
	typeOps   = []string{"HSET", "HGET", "LPUSH", "LPOP", "LRANGE_100", "SADD", "SISMEMBER", "SINTER"}
	zsetOps   = []string{"ZADD", "ZSCORE", "ZRANK", "ZRANGEBYSCORE_LIMIT10"}
)

func stringsName(peer, op string) string { return "Strings/peer=" + peer + "/op=" + op }
func typesName(peer, op string) string   { return "Types/peer=" + peer + "/op=" + op }
func zsetName(n, peer, op string) string { return "ZSet/n=" + n + "/peer=" + peer + "/op=" + op }

// zsizes lists the n= values of BenchmarkZSet, ascending.
func (r *report) zsizes() []string {
	seen := map[string]bool{}
	var out []string
	for k := range r.benches {
		if rest, ok := strings.CutPrefix(k, "ZSet/n="); ok {
			n := rest[:strings.Index(rest, "/")]
			if !seen[n] {
				seen[n] = true
				out = append(out, n)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return atoi(out[i]) < atoi(out[j]) })
	return out
}

func fmtNs(ns float64) string {
	switch {
	case ns >= 100:
		return strconv.FormatFloat(ns, 'f', 0, 64)
	default:
		return strconv.FormatFloat(ns, 'f', 1, 64)
	}
}

// speed is how many times faster jackdaw is than the peer (peer's ns/op
// over jackdaw's): above 1, jackdaw is faster.
func speed(jd, peer float64) string { return fmt.Sprintf("%.2fx", peer/jd) }

func (r *report) write(w io.Writer) {
	fmt.Fprintln(w, "jackdaw benchmarks: results of one run of benchmarks/run.sh")
	fmt.Fprintln(w)
	for _, kv := range r.machine {
		fmt.Fprintf(w, "  %-10s %s\n", kv[0]+":", kv[1])
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Ratios (\"2.00x\") are jackdaw's speed relative to the peer in the same")
	fmt.Fprintln(w, "run: the peer's ns/op divided by jackdaw's. Above 1.00x jackdaw is faster.")
	if len(r.missing) > 0 {
		fmt.Fprintf(w, "Not measured in this run (no raw output): %s\n", strings.Join(r.missing, ", "))
	}
	r.writeStrings(w)
	r.writeTypes(w)
	r.writeMemory(w)
	r.writeGCLat(w)
	r.writeResp(w)
	r.writeBars(w)
}

func table(w io.Writer) *tabwriter.Writer {
	return tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
}

func (r *report) writeStrings(w io.Writer) {
	peers := r.peersIn("Strings/")
	if len(peers) < 2 {
		return
	}
	for _, cpu := range r.cpus("Strings/") {
		fmt.Fprintf(w, "\n== Strings: ns/op over 1M keys, Zipf(1.01), -cpu %s (jackdaw's speed vs each peer)\n\n", cpu)
		t := table(w)
		fmt.Fprint(t, "workload\t")
		for _, p := range peers {
			fmt.Fprintf(t, "%s\t", p)
		}
		fmt.Fprintln(t)
		for _, op := range stringOps {
			jd, ok := r.get(stringsName("jackdaw", op), cpu)
			if !ok {
				continue
			}
			fmt.Fprintf(t, "%s\t%s\t", stringOpN[op], fmtNs(jd.ns))
			for _, p := range peers[1:] {
				if b, ok := r.get(stringsName(p, op), cpu); ok {
					fmt.Fprintf(t, "%s (%s)\t", fmtNs(b.ns), speed(jd.ns, b.ns))
				} else {
					fmt.Fprint(t, "-\t")
				}
			}
			fmt.Fprintln(t)
		}
		t.Flush()
		fmt.Fprintf(w, "\nallocs/op, -cpu %s\n\n", cpu)
		t = table(w)
		fmt.Fprint(t, "workload\t")
		for _, p := range peers {
			fmt.Fprintf(t, "%s\t", p)
		}
		fmt.Fprintln(t)
		for _, op := range stringOps {
			fmt.Fprintf(t, "%s\t", stringOpN[op])
			for _, p := range peers {
				if b, ok := r.get(stringsName(p, op), cpu); ok {
					fmt.Fprintf(t, "%g\t", b.allocs)
				} else {
					fmt.Fprint(t, "-\t")
				}
			}
			fmt.Fprintln(t)
		}
		t.Flush()
	}
}

// typesCPU is the cpu suffix of the data-type benchmarks (one value).
func (r *report) typesCPU() string {
	if c := r.cpus("Types/"); len(c) > 0 {
		return c[len(c)-1]
	}
	if c := r.cpus("ZSet/"); len(c) > 0 {
		return c[len(c)-1]
	}
	return "1"
}

func (r *report) writeTypes(w io.Writer) {
	cpu := r.typesCPU()
	peers := r.peersIn("Types/")
	if len(peers) >= 2 {
		fmt.Fprintln(w, "\n== Data types: ns/op, one command per op (jackdaw's speed vs each peer)")
		fmt.Fprintln(w, "   hash of 1000 fields; sets of 1000 and 100 members (SINTER: 50 in common); LRANGE 0 99")
		fmt.Fprintln(w)
		r.typesTable(w, peers, typeOps, func(p, op string) string { return typesName(p, op) }, cpu, "op")
	}
	zpeers := r.peersIn("ZSet/")
	if len(zpeers) >= 2 {
		for _, n := range r.zsizes() {
			fmt.Fprintf(w, "\n== Sorted set of %s members: ns/op (jackdaw's speed vs each peer)\n\n", n)
			r.typesTable(w, zpeers, zsetOps, func(p, op string) string { return zsetName(n, p, op) }, cpu, "op")
		}
	}
}

func (r *report) typesTable(w io.Writer, peers, ops []string, name func(p, op string) string, cpu, first string) {
	t := table(w)
	fmt.Fprintf(t, "%s\t", first)
	for _, p := range peers {
		fmt.Fprintf(t, "%s\t", p)
	}
	fmt.Fprintln(t)
	for _, op := range ops {
		jd, ok := r.get(name("jackdaw", op), cpu)
		if !ok {
			continue
		}
		fmt.Fprintf(t, "%s\t%s\t", op, fmtNs(jd.ns))
		for _, p := range peers[1:] {
			if b, ok := r.get(name(p, op), cpu); ok {
				fmt.Fprintf(t, "%s (%s)\t", fmtNs(b.ns), speed(jd.ns, b.ns))
			} else {
				fmt.Fprint(t, "n/a\t")
			}
		}
		fmt.Fprintln(t)
	}
	t.Flush()
}

// memkey columns: peer kind keys val heap/key rss/key rss/key-freed acct/key gc-pause gc-wall gc-cpu
func (r *report) writeMemory(w io.Writer) {
	if len(r.memkey) == 0 {
		return
	}
	fmt.Fprintln(w, "\n== Memory: bytes per key (16-byte values), each row a fresh process")
	fmt.Fprintln(w, "   heap = Go HeapInuse growth (Redis: INFO used_memory growth); rss = resident set growth")
	fmt.Fprintln(w, "   (Redis: used_memory_rss); gc wall = one forced GC with every key resident")
	fmt.Fprintln(w)
	t := table(w)
	fmt.Fprintln(t, "kind\tkeys\tpeer\theap/key\trss/key\tgc wall\tjackdaw heap vs peer\t")
	jdHeap := map[string]float64{}
	for _, row := range r.memkey {
		if len(row) >= 11 && row[0] == "jackdaw" {
			jdHeap[row[1]+"/"+row[2]], _ = strconv.ParseFloat(row[4], 64)
		}
	}
	for _, row := range r.memkey {
		if len(row) < 11 {
			continue
		}
		rel := "-"
		if row[0] != "jackdaw" {
			if h, err := strconv.ParseFloat(row[4], 64); err == nil && jdHeap[row[1]+"/"+row[2]] > 0 {
				rel = fmt.Sprintf("%.2fx less", h/jdHeap[row[1]+"/"+row[2]])
			}
		}
		fmt.Fprintf(t, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", row[1], humanN(row[2]), row[0], row[4], row[5], row[9], rel)
	}
	t.Flush()
}

func humanN(s string) string {
	n := atoi(s)
	switch {
	case n >= 1e6 && n%1e6 == 0:
		return strconv.Itoa(n/1e6) + "M"
	case n >= 1e3 && n%1e3 == 0:
		return strconv.Itoa(n/1e3) + "k"
	}
	return s
}

// gclat columns: peer keys gets p50 p99 p99.9 max gcs
func (r *report) writeGCLat(w io.Writer) {
	if len(r.gclat) == 0 {
		return
	}
	fmt.Fprintf(w, "\n== GET latency under GC (µs): keys resident, a writer at 100k sets/s, a GC cycle every second\n\n")
	t := table(w)
	fmt.Fprintln(t, "peer\tkeys\tGETs timed\tp50\tp99\tp99.9\tmax\tGC cycles\t")
	for _, row := range r.gclat {
		if len(row) < 8 {
			continue
		}
		fmt.Fprintf(t, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", row[0], humanN(row[1]), row[2], row[3], row[4], row[5], row[6], row[7])
	}
	t.Flush()
}

// respTests lists the redis-benchmark tests in the order they ran.
var respTests = []string{"SET", "GET", "INCR", "LPUSH", "RPUSH", "LPOP", "RPOP", "SADD", "HSET", "SPOP", "ZADD", "ZRANGEBYSCORE"}

func (r *report) respMedian(server, pipeline, test string) (float64, int, bool) {
	v := r.resp[respKey{server, pipeline, test}]
	return median(v), len(v), len(v) > 0
}

func (r *report) writeResp(w io.Writer) {
	if len(r.resp) == 0 {
		return
	}
	rounds := 0
	for _, v := range r.resp {
		rounds = max(rounds, len(v))
	}
	fmt.Fprintf(w, "\n== RESP server (examples/respserver) vs redis-server: redis-benchmark -c 50, requests/s,\n")
	fmt.Fprintf(w, "   median of %d alternating round(s); ratio = jackdaw / redis\n\n", rounds)
	t := table(w)
	fmt.Fprintln(t, "test\tjackdaw -P 1\tredis -P 1\tratio\tjackdaw -P 16\tredis -P 16\tratio\t")
	for _, test := range respTests {
		fmt.Fprintf(t, "%s\t", test)
		for _, p := range []string{"1", "16"} {
			j, _, ok1 := r.respMedian("jackdaw", p, test)
			rd, _, ok2 := r.respMedian("redis", p, test)
			cell := func(v float64, ok bool) string {
				if !ok {
					return "-"
				}
				return strconv.FormatFloat(v, 'f', 0, 64)
			}
			ratio := "-"
			if ok1 && ok2 && rd > 0 {
				ratio = fmt.Sprintf("%.2f", j/rd)
			}
			fmt.Fprintf(t, "%s\t%s\t%s\t", cell(j, ok1), cell(rd, ok2), ratio)
		}
		fmt.Fprintln(t)
	}
	t.Flush()
}

// writeBars checks the bars of issue 7 on this run's figures.
func (r *report) writeBars(w io.Writer) {
	fmt.Fprintln(w, "\n== The bars of issue 7, on this run")
	fmt.Fprintln(w)
	yes := func(b bool) string {
		if b {
			return "MET"
		}
		return "NOT MET"
	}
	// 1. GET and mixes vs otter (-cpu 2) and within 2x of xsync.
	cpu := "2"
	for _, op := range []string{"get", "r90w10", "r50w50", "set"} {
		jd, ok := r.get(stringsName("jackdaw", op), cpu)
		if !ok {
			continue
		}
		if o, ok := r.get(stringsName("otter", op), cpu); ok {
			fmt.Fprintf(w, "  %-13s >= otter v2 at -cpu 2:   jackdaw %s ns/op, otter %s: jackdaw %.2fx otter's speed  %s\n",
				stringOpN[op], fmtNs(jd.ns), fmtNs(o.ns), o.ns/jd.ns, yes(jd.ns <= o.ns))
		}
		if x, ok := r.get(stringsName("xsyncmap", op), cpu); ok {
			fmt.Fprintf(w, "  %-13s within 2x of xsync map: jackdaw %s ns/op, xsync %s: %.2fx the map's time  %s\n",
				stringOpN[op], fmtNs(jd.ns), fmtNs(x.ns), jd.ns/x.ns, yes(jd.ns <= 2*x.ns))
		}
	}
	// 2. Zero allocations on GET hits.
	for _, c := range r.cpus("Strings/") {
		if jd, ok := r.get(stringsName("jackdaw", "get"), c); ok {
			fmt.Fprintf(w, "  GET hits allocate nothing (-cpu %s): %g allocs/op  %s\n", c, jd.allocs, yes(jd.allocs == 0))
		}
	}
	// 3. Every data-type op >= 30x pipelined Redis's ops/s.
	tcpu := r.typesCPU()
	type fail struct {
		name string
		x    float64
	}
	var fails []fail
	worst, count := fail{x: 1e18}, 0
	check := func(label, jdName, pipeName string) {
		jd, ok1 := r.get(jdName, tcpu)
		p, ok2 := r.get(pipeName, tcpu)
		if !ok1 || !ok2 {
			return
		}
		count++
		x := p.ns / jd.ns
		if x < worst.x {
			worst = fail{label, x}
		}
		if x < 30 {
			fails = append(fails, fail{label, x})
		}
	}
	for _, op := range typeOps {
		check(op, typesName("jackdaw", op), typesName("redis-pipe", op))
	}
	for _, n := range r.zsizes() {
		for _, op := range zsetOps {
			check(op+" n="+n, zsetName(n, "jackdaw", op), zsetName(n, "redis-pipe", op))
		}
	}
	if count > 0 {
		fmt.Fprintf(w, "  data-type ops >= 30x pipelined Redis (go-redis): %d of %d ops meet it; lowest %s at %.1fx  %s\n",
			count-len(fails), count, worst.name, worst.x, yes(len(fails) == 0))
		for _, f := range fails {
			fmt.Fprintf(w, "      %-28s %5.1fx (short by %.1fx)\n", f.name, f.x, 30/f.x)
		}
	} else {
		fmt.Fprintln(w, "  data-type ops vs pipelined Redis: not measured (no redis-server?)")
	}
	// 4. Bytes per key <= 80.
	for _, row := range r.memkey {
		if len(row) >= 11 && row[0] == "jackdaw" && row[1] == "string" {
			h, _ := strconv.ParseFloat(row[4], 64)
			fmt.Fprintf(w, "  bytes/key <= 80 (%s keys): heap %s, RSS %s  %s\n", humanN(row[2]), row[4], row[5], yes(h <= 80))
		}
	}
	// 5. RESP server >= Redis at -P 16.
	lowest, lowTest, n, below := 1e18, "", 0, 0
	for _, test := range respTests {
		j, _, ok1 := r.respMedian("jackdaw", "16", test)
		rd, _, ok2 := r.respMedian("redis", "16", test)
		if ok1 && ok2 && rd > 0 {
			n++
			if j/rd < lowest {
				lowest, lowTest = j/rd, test
			}
			if j < rd {
				below++
			}
		}
	}
	if n > 0 {
		fmt.Fprintf(w, "  RESP server >= Redis at -P 16: %d of %d tests; lowest %s at %.2fx Redis  %s\n",
			n-below, n, lowTest, lowest, yes(below == 0))
	}
}
