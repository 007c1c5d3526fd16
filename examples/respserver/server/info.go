package server

import (
	"os"
	"path"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackdawdb/jackdaw/engine"
)

const redisVersion = "7.0.15" // the Redis whose semantics jackdaw follows

var defaultSections = []string{"server", "clients", "memory", "persistence", "stats", "replication", "cpu", "modules", "errorstats", "cluster", "keyspace"}

func cmdInfo(s *Server, c *client, args [][]byte) (engine.Reply, bool) {
	want := map[string]bool{}
	if len(args) == 1 {
		for _, sec := range defaultSections {
			want[sec] = true
		}
	}
	for _, a := range args[1:] {
		switch sec := lower(a); sec {
		case "all", "everything", "default":
			for _, d := range defaultSections {
				want[d] = true
			}
			if sec != "default" {
				want["commandstats"] = true
			}
		default:
			want[sec] = true
		}
	}
	var b strings.Builder
	for _, sec := range append(defaultSections, "commandstats") {
		if !want[sec] {
			continue
		}
		lines := s.infoSection(sec, c)
		if lines == nil {
			continue
		}
		if b.Len() > 0 {
			b.WriteString("\r\n")
		}
		b.WriteString("# " + strings.ToUpper(sec[:1]) + sec[1:] + "\r\n")
		for _, l := range lines {
			b.WriteString(l + "\r\n")
		}
	}
	return bulk(b.String()), false
}

func kv(k string, v any) string {
	switch v := v.(type) {
	case string:
		return k + ":" + v
	case int:
		return k + ":" + strconv.Itoa(v)
	case int64:
		return k + ":" + strconv.FormatInt(v, 10)
	case uint64:
		return k + ":" + strconv.FormatUint(v, 10)
	}
	return k + ":"
}

// totals sums the engine's counters over every database, less the
// baseline CONFIG RESETSTAT took.
func (s *Server) totals() engine.ShardStats {
	var t engine.ShardStats
	for i := range s.dbs {
		st := s.DB(i).Stats()
		t.Add(&st.Total)
	}
	s.cfg.mu.Lock()
	base := s.statBase
	s.cfg.mu.Unlock()
	t.Hits -= base.Hits
	t.Misses -= base.Misses
	t.Expired -= base.Expired
	t.Evicted -= base.Evicted
	return t
}

func human(n int64) string {
	f := float64(n)
	for _, u := range []string{"B", "K", "M", "G", "T"} {
		if f < 1024 || u == "T" {
			if u == "B" {
				return strconv.FormatInt(n, 10) + "B"
			}
			return strconv.FormatFloat(f, 'f', 2, 64) + u
		}
		f /= 1024
	}
	return ""
}

func (s *Server) infoSection(sec string, c *client) []string {
	now := time.Now()
	switch sec {
	case "server":
		exe, _ := os.Executable()
		port := ""
		if a := s.Addr(); a != nil {
			_, port, _ = strings.Cut(a.String(), ":")
			if i := strings.LastIndexByte(a.String(), ':'); i >= 0 {
				port = a.String()[i+1:]
			}
		}
		up := int64(now.Sub(s.start) / time.Second)
		return []string{
			kv("redis_version", redisVersion),
			kv("redis_git_sha1", "00000000"),
			kv("redis_git_dirty", 0),
			kv("redis_mode", "standalone"),
			kv("jackdaw", "1"),
			kv("os", runtime.GOOS+" "+runtime.GOARCH),
			kv("arch_bits", strconv.Itoa(strconv.IntSize)),
			kv("go_version", runtime.Version()),
			kv("multiplexing_api", "go-netpoll"),
			kv("process_id", os.Getpid()),
			kv("process_supervised", "no"),
			kv("run_id", s.runID),
			kv("tcp_port", port),
			kv("server_time_usec", now.UnixMicro()),
			kv("uptime_in_seconds", up),
			kv("uptime_in_days", up/86400),
			kv("hz", 10),
			kv("configured_hz", 10),
			kv("executable", exe),
			kv("config_file", ""),
			kv("io_threads_active", 0),
		}
	case "clients":
		s.mu.Lock()
		n := len(s.clients)
		s.mu.Unlock()
		return []string{
			kv("connected_clients", n),
			kv("cluster_connections", 0),
			kv("maxclients", 10000),
			kv("client_recent_max_input_buffer", 0),
			kv("client_recent_max_output_buffer", 0),
			kv("blocked_clients", s.blockedClients.Load()),
			kv("tracking_clients", 0),
			kv("clients_in_timeout_table", 0),
		}
	case "memory":
		t := s.totals()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		used := t.TotalMemory()
		maxmem, _ := parseMemory(s.cfg.get("maxmemory"))
		return []string{
			kv("used_memory", used),
			kv("used_memory_human", human(used)),
			kv("used_memory_rss", ms.Sys),
			kv("used_memory_rss_human", human(int64(ms.Sys))),
			kv("used_memory_dataset", used),
			kv("go_heap_alloc", ms.HeapAlloc),
			kv("go_heap_inuse", ms.HeapInuse),
			kv("go_heap_sys", ms.HeapSys),
			kv("go_heap_objects", ms.HeapObjects),
			kv("go_num_gc", uint64(ms.NumGC)),
			kv("go_gc_pause_total_ns", ms.PauseTotalNs),
			kv("maxmemory", maxmem),
			kv("maxmemory_human", human(maxmem)),
			kv("maxmemory_policy", s.cfg.get("maxmemory-policy")),
			kv("mem_allocator", "go"),
		}
	case "persistence":
		return []string{
			kv("loading", 0),
			kv("rdb_changes_since_last_save", 0),
			kv("rdb_bgsave_in_progress", 0),
			kv("rdb_last_save_time", s.start.Unix()),
			kv("aof_enabled", 0),
			kv("aof_rewrite_in_progress", 0),
		}
	case "stats":
		t := s.totals()
		ps := s.ps.Stats()
		return []string{
			kv("total_connections_received", s.connections.Load()),
			kv("total_commands_processed", s.commands.Load()),
			kv("instantaneous_ops_per_sec", 0),
			kv("rejected_connections", s.rejected.Load()),
			kv("expired_keys", t.Expired),
			kv("evicted_keys", t.Evicted),
			kv("keyspace_hits", t.Hits),
			kv("keyspace_misses", t.Misses),
			kv("pubsub_channels", ps.Channels),
			kv("pubsub_patterns", ps.Patterns),
		}
	case "replication":
		return []string{
			kv("role", "master"),
			kv("connected_slaves", 0),
			kv("master_failover_state", "no-failover"),
			kv("master_replid", s.runID),
			kv("master_replid2", strings.Repeat("0", 40)),
			kv("master_repl_offset", 0),
			kv("second_repl_offset", -1),
			kv("repl_backlog_active", 0),
		}
	case "cpu":
		return []string{kv("used_cpu_sys", "0.000000"), kv("used_cpu_user", "0.000000")}
	case "modules", "errorstats", "commandstats":
		return []string{}
	case "cluster":
		return []string{kv("cluster_enabled", 0)}
	case "keyspace":
		out := []string{}
		for i := range s.dbs {
			st := s.DB(i).Stats()
			if n := st.Total.TotalKeys(); n > 0 {
				out = append(out, "db"+strconv.Itoa(i)+":keys="+strconv.FormatInt(n, 10)+
					",expires="+strconv.FormatInt(st.Total.Expires, 10)+",avg_ttl=0")
			}
		}
		return out
	}
	return nil
}

// config holds CONFIG's parameters. jackdaw does not act on them (yet):
// they are accepted, validated as Redis does, and reported.
type config struct {
	mu   sync.Mutex
	vals map[string]string
}

type param struct {
	def      string
	kind     string // "int", "mem", "enum", "bool", "save", "events", "immutable", "string"
	enum     []string
	canonize func(string) string
}

var policies = []string{"volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl", "allkeys-lru", "allkeys-lfu", "allkeys-random", "noeviction"}

var params = map[string]param{
	"maxmemory":                 {def: "0", kind: "mem"},
	"maxmemory-policy":          {def: "noeviction", kind: "enum", enum: policies},
	"maxmemory-samples":         {def: "5", kind: "int"},
	"notify-keyspace-events":    {def: "", kind: "events"},
	"save":                      {def: "", kind: "save"},
	"appendonly":                {def: "no", kind: "bool"},
	"databases":                 {def: "16", kind: "immutable"},
	"hash-max-listpack-entries": {def: "512", kind: "int"},
	"hash-max-listpack-value":   {def: "64", kind: "int"},
	"hash-max-ziplist-entries":  {def: "512", kind: "int"},
	"hash-max-ziplist-value":    {def: "64", kind: "int"},
	"list-max-listpack-size":    {def: "-2", kind: "int"},
	"list-max-ziplist-size":     {def: "-2", kind: "int"},
	"list-compress-depth":       {def: "0", kind: "int"},
	"set-max-intset-entries":    {def: "512", kind: "int"},
	"zset-max-listpack-entries": {def: "128", kind: "int"},
	"zset-max-listpack-value":   {def: "64", kind: "int"},
	"zset-max-ziplist-entries":  {def: "128", kind: "int"},
	"zset-max-ziplist-value":    {def: "64", kind: "int"},
	"proto-max-bulk-len":        {def: "536870912", kind: "immutable"},
	"timeout":                   {def: "0", kind: "int"},
	"hz":                        {def: "10", kind: "int"},
	"lazyfree-lazy-user-flush":  {def: "no", kind: "bool"},
	"port":                      {def: "0", kind: "immutable"},
	"bind":                      {def: "", kind: "immutable"},
	"requirepass":               {def: "", kind: "immutable"},
}

// aliases share one value, as Redis's ziplist/listpack names do.
var aliases = map[string]string{
	"hash-max-ziplist-entries": "hash-max-listpack-entries",
	"hash-max-ziplist-value":   "hash-max-listpack-value",
	"list-max-ziplist-size":    "list-max-listpack-size",
	"zset-max-ziplist-entries": "zset-max-listpack-entries",
	"zset-max-ziplist-value":   "zset-max-listpack-value",
}

func canonical(name string) string {
	if a, ok := aliases[name]; ok {
		return a
	}
	return name
}

func (cf *config) init(o Options) {
	cf.vals = map[string]string{}
	for name, p := range params {
		cf.vals[canonical(name)] = p.def
	}
	cf.vals["databases"] = strconv.Itoa(o.Databases)
	if host, port, ok := strings.Cut(o.Addr, ":"); ok {
		if i := strings.LastIndexByte(o.Addr, ':'); i >= 0 {
			host, port = o.Addr[:i], o.Addr[i+1:]
		}
		cf.vals["bind"], cf.vals["port"] = host, port
	}
	cf.vals["requirepass"] = o.RequirePass
	cf.vals["notify-keyspace-events"] = o.DBOptions.NotifyKeyspaceEvents
}

func (cf *config) get(name string) string {
	cf.mu.Lock()
	defer cf.mu.Unlock()
	return cf.vals[canonical(name)]
}

// parseMemory parses Redis's memory values: 100, 1k, 1kb, 1m, 1mb, 1g, 1gb.
func parseMemory(v string) (int64, bool) {
	l := strings.ToLower(v)
	mul := int64(1)
	for _, u := range []struct {
		s string
		m int64
	}{{"kb", 1024}, {"mb", 1 << 20}, {"gb", 1 << 30}, {"k", 1000}, {"m", 1000000}, {"g", 1000000000}, {"b", 1}} {
		if strings.HasSuffix(l, u.s) {
			l, mul = strings.TrimSuffix(l, u.s), u.m
			break
		}
	}
	n, err := strconv.ParseInt(l, 10, 64)
	if err != nil || n < 0 {
		return 0, false
	}
	return n * mul, true
}

func setFailed(name, why string) engine.Reply {
	return errReply("ERR CONFIG SET failed (possibly related to argument '" + name + "') - " + why)
}

func cmdConfig(s *Server, c *client, args [][]byte) (engine.Reply, bool) {
	sub := lower(args[1])
	switch {
	case sub == "get" && len(args) >= 3:
		s.cfg.mu.Lock()
		defer s.cfg.mu.Unlock()
		var names []string
		seen := map[string]bool{}
		for _, pat := range args[2:] {
			p := lower(pat)
			for name := range params {
				if !seen[name] && globMatch(p, name) {
					seen[name] = true
					names = append(names, name)
				}
			}
		}
		slices.Sort(names)
		out := make([]engine.Reply, 0, 2*len(names))
		for _, n := range names {
			out = append(out, bulk(n), bulk(s.cfg.vals[canonical(n)]))
		}
		return arrayReply(out), false
	case sub == "set" && len(args) >= 4 && len(args)%2 == 0:
		updates := map[string]string{}
		for j := 2; j < len(args); j += 2 {
			name := lower(args[j])
			p, ok := params[name]
			if !ok {
				return errReply("ERR Unknown option or number of arguments for CONFIG SET - '" + sanitize(args[j]) + "'"), false
			}
			v := string(args[j+1])
			switch p.kind {
			case "immutable":
				return setFailed(name, "can't set immutable config"), false
			case "mem":
				n, ok := parseMemory(v)
				if !ok {
					return setFailed(name, "argument must be a memory value"), false
				}
				v = strconv.FormatInt(n, 10)
			case "int":
				if _, err := strconv.ParseInt(v, 10, 64); err != nil {
					return setFailed(name, "argument couldn't be parsed into an integer"), false
				}
			case "bool":
				switch strings.ToLower(v) {
				case "yes", "no":
					v = strings.ToLower(v)
				default:
					return setFailed(name, "argument must be 'yes' or 'no'"), false
				}
			case "enum":
				if !slices.Contains(p.enum, strings.ToLower(v)) {
					return setFailed(name, "argument(s) must be one of the following: "+strings.Join(p.enum, ", ")), false
				}
				v = strings.ToLower(v)
			case "save":
				f := strings.Fields(v)
				if len(f)%2 != 0 {
					return setFailed(name, "Invalid save parameters"), false
				}
				for _, x := range f {
					if _, err := strconv.ParseInt(x, 10, 64); err != nil {
						return setFailed(name, "Invalid save parameters"), false
					}
				}
				v = strings.Join(f, " ")
			case "events":
				// The engine's parser and canonical form (which knows
				// Redis 7's 'n').
				var err error
				if v, err = engine.CanonicalNotifyKeyspaceEvents(v); err != nil {
					return setFailed(name, "Invalid event class character. Use 'Ag$lshzxeKEtmdn'."), false
				}
			}
			updates[canonical(name)] = v
		}
		s.cfg.mu.Lock()
		for k, v := range updates {
			s.cfg.vals[k] = v
			if k == "notify-keyspace-events" {
				for i := range s.dbs {
					s.DB(i).SetNotifyKeyspaceEvents(v) // valid: checked above
				}
			}
		}
		s.cfg.mu.Unlock()
		return okReply, false
	case sub == "resetstat" && len(args) == 2:
		var t engine.ShardStats
		for i := range s.dbs {
			st := s.DB(i).Stats()
			t.Add(&st.Total)
		}
		s.cfg.mu.Lock()
		s.statBase = t
		s.cfg.mu.Unlock()
		s.commands.Store(0)
		s.connections.Store(0)
		s.rejected.Store(0)
		return okReply, false
	case sub == "rewrite" && len(args) == 2:
		return errReply("ERR The server is running without a config file"), false
	case sub == "help" && len(args) == 2:
		return arrayReply([]engine.Reply{
			engine.StatusReply("CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"),
			engine.StatusReply("GET <pattern>"),
			engine.StatusReply("SET <directive> <value>"),
			engine.StatusReply("RESETSTAT"),
			engine.StatusReply("HELP"),
		}), false
	}
	return subcommandError("config", args[1], []string{"get", "set", "resetstat", "rewrite", "help"}), false
}

// subcommandError is Redis 7.0's reply to an unknown subcommand, or to a
// known one with the wrong number of arguments.
func subcommandError(cmd string, sub []byte, known []string) engine.Reply {
	if slices.Contains(known, lower(sub)) {
		return errReply("ERR wrong number of arguments for '" + cmd + "|" + lower(sub) + "' command")
	}
	return errReply("ERR unknown subcommand '" + sanitize(sub) + "'. Try " + strings.ToUpper(cmd) + " HELP.")
}

// globMatch is a small glob for CONFIG GET: * ? and [...].
func globMatch(pat, s string) bool {
	ok, err := path.Match(pat, s)
	return err == nil && ok
}
