package server

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackdawdb/jackdaw/engine"
)

var badNameErr = errReply("ERR Client names cannot contain spaces, newlines or special characters.")

// validName is Redis's rule for client names: printable ASCII, no spaces.
func validName(b []byte) bool {
	for _, ch := range b {
		if ch < '!' || ch > '~' {
			return false
		}
	}
	return true
}

func cmdClient(s *Server, c *client, args [][]byte) (engine.Reply, bool) {
	sub := lower(args[1])
	n := len(args)
	switch {
	case sub == "id" && n == 2:
		return intReply(c.id), false
	case sub == "getname" && n == 2:
		c.mu.Lock()
		name := c.name
		c.mu.Unlock()
		if name == "" {
			return nilReply, false
		}
		return bulk(name), false
	case sub == "setname" && n == 3:
		if !validName(args[2]) {
			return badNameErr, false
		}
		c.mu.Lock()
		c.name = string(args[2])
		c.mu.Unlock()
		return okReply, false
	case sub == "setinfo" && n == 4:
		return okReply, false
	case sub == "info" && n == 2:
		return bulk(s.clientLine(c)), false
	case sub == "list":
		typ := ""
		if n != 2 {
			if n == 4 && is(args[2], "type") {
				// Normal and pub/sub clients exist here (a subscribed
				// RESP2 client is of type pubsub, as in Redis).
				typ = lower(args[3])
				if typ != "normal" && typ != "pubsub" {
					return emptyListFor(args[3])
				}
			} else if !(n >= 4 && is(args[2], "id")) {
				return syntaxErr, false
			}
		}
		var ids map[int64]bool
		if n >= 4 && is(args[2], "id") {
			ids = map[int64]bool{}
			for _, a := range args[3:] {
				id, err := strconv.ParseInt(string(a), 10, 64)
				if err != nil || id <= 0 {
					return errReply("ERR Invalid client ID"), false
				}
				ids[id] = true
			}
		}
		var b strings.Builder
		for _, o := range s.clientList() {
			if (ids == nil || ids[o.id]) && (typ == "" || typ == o.clientType()) {
				b.WriteString(s.clientLine(o))
			}
		}
		return bulk(b.String()), false
	case sub == "unblock" && (n == 3 || n == 4):
		return s.clientUnblock(args), false
	case sub == "unblock" && n > 4:
		return errReply("ERR unknown subcommand or wrong number of arguments for '" + sanitize(args[1]) + "'. Try CLIENT HELP."), false
	case sub == "kill" && n >= 3:
		return s.clientKill(c, args)
	case sub == "reply" && n == 3:
		switch {
		case is(args[2], "on"):
			c.reply = replyOn
			return okReply, false
		case is(args[2], "off"):
			c.reply = replyOff
			return okReply, false
		case is(args[2], "skip"):
			c.reply = replySkipNext
			return okReply, false
		}
		return syntaxErr, false
	case (sub == "no-evict" || sub == "no-touch") && n == 3:
		if is(args[2], "on") || is(args[2], "off") {
			return okReply, false
		}
		return syntaxErr, false
	case sub == "help" && n == 2:
		lines := []string{
			"CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
			"ID", "GETNAME", "SETNAME <name>", "SETINFO <LIB-NAME|LIB-VER> <value>", "INFO",
			"LIST [TYPE NORMAL] [ID id ...]", "KILL <ip:port> | KILL <ID id|ADDR ip:port|LADDR ip:port|SKIPME yes|no> ...",
			"REPLY ON|OFF|SKIP", "UNBLOCK <clientid> [TIMEOUT|ERROR]", "HELP",
		}
		out := make([]engine.Reply, len(lines))
		for i, l := range lines {
			out[i] = engine.StatusReply(l)
		}
		return arrayReply(out), false
	}
	return subcommandError("client", args[1], []string{"id", "getname", "setname", "setinfo", "info", "list", "kill", "unblock", "reply", "no-evict", "no-touch", "help"}), false
}

func emptyListFor(t []byte) (engine.Reply, bool) {
	switch lower(t) {
	case "master", "replica", "slave":
		return bulk(""), false
	}
	return errReply("ERR Unknown client type '" + sanitize(t) + "'"), false
}

// clientList returns the connected clients, by id.
func (s *Server) clientList() []*client {
	s.mu.Lock()
	out := make([]*client, 0, len(s.clients))
	for _, c := range s.clients {
		out = append(out, c)
	}
	s.mu.Unlock()
	slices.SortFunc(out, func(a, b *client) int { return int(a.id - b.id) })
	return out
}

// clientLine is one CLIENT LIST line, in Redis 7.0's field order (fields
// jackdaw has no counterpart for are reported as Redis reports an idle
// client).
func (s *Server) clientLine(c *client) string {
	c.mu.Lock()
	name, db, cmd, last := c.name, c.dbIdx, c.lastCmd, c.lastAt
	multi, nsub, npsub := c.multiLen, c.nsub, c.npsub
	flags := ""
	if nsub+npsub > 0 {
		flags += "P"
	}
	if multi >= 0 {
		flags += "x"
	}
	if c.blocked {
		flags += "b"
	}
	if c.dirty {
		flags += "d"
	}
	if flags == "" {
		flags = "N"
	}
	c.mu.Unlock()
	if cmd == "" {
		cmd = "NULL"
	}
	now := time.Now()
	return "id=" + strconv.FormatInt(c.id, 10) +
		" addr=" + c.addr +
		" laddr=" + c.laddr +
		" fd=-1 name=" + name +
		" age=" + strconv.FormatInt(int64(now.Sub(c.created)/time.Second), 10) +
		" idle=" + strconv.FormatInt(int64(now.Sub(last)/time.Second), 10) +
		" flags=" + flags + " db=" + strconv.Itoa(db) +
		" sub=" + strconv.Itoa(nsub) + " psub=" + strconv.Itoa(npsub) + " ssub=0 multi=" + strconv.Itoa(multi) + " qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=0 rbp=0 obl=0 oll=0 omem=0 tot-mem=0 events=r cmd=" + cmd +
		" user=default redir=-1 resp=2\n"
}

// clientKill serves CLIENT KILL ip:port (old form: OK or an error) and
// CLIENT KILL <filter value>... (new form: the number killed).
func (s *Server) clientKill(c *client, args [][]byte) (engine.Reply, bool) {
	if len(args) == 3 {
		addr := string(args[2])
		for _, o := range s.clientList() {
			if o.addr == addr {
				return okReply, s.kill(c, o)
			}
		}
		return errReply("ERR No such client"), false
	}
	if len(args)%2 != 0 {
		return syntaxErr, false
	}
	var id int64
	var addr, laddr, typ string
	skipMe := true
	for j := 2; j < len(args); j += 2 {
		v := args[j+1]
		switch lower(args[j]) {
		case "id":
			n, err := strconv.ParseInt(string(v), 10, 64)
			if err != nil || n <= 0 {
				return errReply("ERR client-id should be greater than 0"), false
			}
			id = n
		case "addr":
			addr = string(v)
		case "laddr":
			laddr = string(v)
		case "skipme":
			switch {
			case is(v, "yes"):
				skipMe = true
			case is(v, "no"):
				skipMe = false
			default:
				return syntaxErr, false
			}
		case "type":
			typ = lower(v)
			if typ != "normal" && typ != "pubsub" {
				if r, _ := emptyListFor(v); r.IsError() {
					return r, false
				}
				return intReply(0), false // no master or replica clients
			}
		case "user":
			if string(v) != "default" {
				return errReply("ERR No such user '" + sanitize(v) + "'"), false
			}
		default:
			return syntaxErr, false
		}
	}
	killed, self := 0, false
	for _, o := range s.clientList() {
		if (id != 0 && o.id != id) || (addr != "" && o.addr != addr) || (laddr != "" && o.laddr != laddr) || (typ != "" && typ != o.clientType()) {
			continue
		}
		if o == c && skipMe {
			continue
		}
		killed++
		if s.kill(c, o) {
			self = true
		}
	}
	return intReply(int64(killed)), self
}

// kill disconnects o; when o is the calling client, it reports true so that
// the caller closes the connection after replying. Another client leaves the
// client list at once, as in Redis, not when its goroutine gets to exit.
func (s *Server) kill(c, o *client) bool {
	if o == c {
		return true
	}
	s.mu.Lock()
	delete(s.clients, o.id)
	s.mu.Unlock()
	o.shut()
	return false
}

// clientType is Redis's client type: pubsub while subscribed, else normal.
func (c *client) clientType() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.nsub+c.npsub > 0 {
		return "pubsub"
	}
	return "normal"
}
