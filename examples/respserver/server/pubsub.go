package server

import (
	"github.com/jackdawdb/jackdaw/engine"
)

// Pub/sub. The server's databases share one engine.PubSub hub (pub/sub is
// server-wide in Redis; PUBLISH and PUBSUB are engine commands and reach
// the hub through any database). A client's first SUBSCRIBE or PSUBSCRIBE
// gives it an engine.Subscription; while it is subscribed to anything its
// connection is served by serveSubscribed, which writes messages as they
// arrive and still executes the client's requests (only the SUBSCRIBE
// family, PING, QUIT and RESET: Redis's RESP2 rule). A client that does
// not read its messages fills its socket, then the connection's output
// bound (Options.ClientOutputLimit, ClientOutputTimeout), then its
// subscription's buffer (Options.SubscriberBuffer): the hub then closes the
// subscription, never blocking publishers, and the server disconnects the
// client, as Redis does past client-output-buffer-limit pubsub.

// subscribedCmds are the commands a subscribed RESP2 client may run.
var subscribedCmds = map[string]bool{"subscribe": true, "psubscribe": true, "unsubscribe": true, "punsubscribe": true,
	"ping": true, "quit": true, "reset": true}

// subscribed reports whether c is in pub/sub mode.
func (c *client) subscribed() bool { return c.sub != nil }

// setCounts records c's channel and pattern counts for CLIENT LIST.
func (c *client) setCounts(nsub, npsub int) {
	c.mu.Lock()
	c.nsub, c.npsub = nsub, npsub
	c.mu.Unlock()
}

func (c *client) counts() (int, int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.nsub, c.npsub
}

func subReply(kind string, name []byte, count int) engine.Reply {
	n := engine.Reply{Kind: engine.ReplyBulk, Bulk: name}
	if name == nil {
		n = nilReply
	}
	return arrayReply([]engine.Reply{bulk(kind), n, intReply(int64(count))})
}

func messageReply(m engine.Message) engine.Reply {
	if m.Pattern != "" {
		return arrayReply([]engine.Reply{bulk("pmessage"), bulk(m.Pattern), bulk(m.Channel), {Kind: engine.ReplyBulk, Bulk: m.Payload}})
	}
	return arrayReply([]engine.Reply{bulk("message"), bulk(m.Channel), {Kind: engine.ReplyBulk, Bulk: m.Payload}})
}

func cmdSubscribe(s *Server, c *client, args [][]byte) (engine.Reply, bool) {
	return s.subscribe(c, args[1:], false), false
}

func cmdPSubscribe(s *Server, c *client, args [][]byte) (engine.Reply, bool) {
	return s.subscribe(c, args[1:], true), false
}

func (s *Server) subscribe(c *client, names [][]byte, pattern bool) engine.Reply {
	if c.sub == nil {
		c.sub = s.ps.NewSubscription(s.opts.SubscriberBuffer)
	}
	strs := make([]string, len(names))
	for i, n := range names {
		strs[i] = string(n)
	}
	kind := "subscribe"
	var counts []int
	if pattern {
		kind = "psubscribe"
		counts = c.sub.PSubscribe(strs...)
	} else {
		counts = c.sub.Subscribe(strs...)
	}
	nsub, npsub := c.counts()
	out := make([]engine.Reply, len(names))
	for i, n := range names {
		out[i] = subReply(kind, n, counts[i])
		if pattern {
			npsub = counts[i] - nsub
		} else {
			nsub = counts[i] - npsub
		}
	}
	c.setCounts(nsub, npsub)
	c.several = out
	return engine.Reply{}
}

func cmdUnsubscribe(s *Server, c *client, args [][]byte) (engine.Reply, bool) {
	return s.unsubscribe(c, args[1:], false), false
}

func cmdPUnsubscribe(s *Server, c *client, args [][]byte) (engine.Reply, bool) {
	return s.unsubscribe(c, args[1:], true), false
}

func (s *Server) unsubscribe(c *client, names [][]byte, pattern bool) engine.Reply {
	kind := "unsubscribe"
	if pattern {
		kind = "punsubscribe"
	}
	var out []engine.Reply
	if c.sub == nil { // subscribed to nothing
		if len(names) == 0 {
			out = []engine.Reply{subReply(kind, nil, 0)}
		}
		for _, n := range names {
			out = append(out, subReply(kind, n, 0))
		}
		c.several = out
		return engine.Reply{}
	}
	strs := make([]string, len(names))
	for i, n := range names {
		strs[i] = string(n)
	}
	var got []string
	var counts []int
	if pattern {
		got, counts = c.sub.PUnsubscribe(strs...)
	} else {
		got, counts = c.sub.Unsubscribe(strs...)
	}
	// Messages that arrived before the unsubscription go out before its
	// replies, as in Redis.
	out = s.pending(c, out)
	nsub, npsub := c.counts()
	if got == nil {
		out = append(out, subReply(kind, nil, counts[0]))
	}
	for i, n := range got {
		out = append(out, subReply(kind, []byte(n), counts[i]))
		if pattern {
			npsub = counts[i] - nsub
		} else {
			nsub = counts[i] - npsub
		}
	}
	c.setCounts(nsub, npsub)
	if len(counts) > 0 && counts[len(counts)-1] == 0 {
		s.closeSub(c) // out of pub/sub mode
	}
	c.several = out
	return engine.Reply{}
}

// pending appends to out the messages already buffered for c.
func (s *Server) pending(c *client, out []engine.Reply) []engine.Reply {
	for {
		select {
		case m, ok := <-c.sub.C():
			if !ok {
				return out
			}
			out = append(out, messageReply(m))
		default:
			return out
		}
	}
}

func (s *Server) closeSub(c *client) {
	if c.sub != nil {
		c.sub.Close()
		c.sub = nil
	}
	c.setCounts(0, 0)
}

// unsubscribeAll leaves pub/sub mode without a reply (RESET).
func (s *Server) unsubscribeAll(c *client) { s.closeSub(c) }

// serveSubscribed serves c while it is subscribed: it writes each message
// as it arrives, and reads and executes c's requests meanwhile (a goroutine
// reads one request at a time; the next read starts once the request was
// executed, so the reader's buffers are never shared). It returns false
// when the connection must end, true when c left pub/sub mode.
func (s *Server) serveSubscribed(c *client) bool {
	type request struct {
		args [][]byte
		err  error
	}
	reqs := make(chan request, 1)
	reading := false
	defer func() {
		if reading { // the connection ends: unblock the read and wait for it
			c.conn.Close()
			<-reqs
		}
	}()
	for c.subscribed() {
		if !reading {
			reading = true
			go func() {
				args, err := c.rd.read()
				reqs <- request{args, err}
			}()
		}
		select {
		case m, ok := <-c.sub.C():
			if !ok {
				// Closed by the hub: the client fell behind by a whole buffer.
				s.logf("client %d %s: disconnected: %v", c.id, c.addr, c.sub.Err())
				return false
			}
			writeReply(c.w, messageReply(m))
			if len(c.sub.C()) == 0 {
				if err := c.w.Flush(); err != nil {
					return false
				}
			}
		case r := <-reqs:
			reading = false
			if !s.serve(c, r.args, r.err) {
				return false
			}
		}
	}
	return true
}
