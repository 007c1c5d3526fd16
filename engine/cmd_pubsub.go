package engine

import (
	"slices"

	"github.com/jackdawdb/jackdaw/engine/internal/glob"
)

// Command handlers for pub/sub. PUBLISH and PUBSUB run through Do on the
// DB's hub. SUBSCRIBE and its kin need a connection that stays subscribed:
// their entries exist for COMMAND INFO, but through the stateless Do they
// reply with errSubscribeViaDo; a RESP server serves them itself with
// DB.PubSub().NewSubscription before calling Do.

var pubsubCommands = []*Command{
	cmd("publish", 3, FlagPubSub|FlagLoading|FlagStale|FlagFast, noKeys, cmdPublish),
	cmd("pubsub", -2, FlagPubSub|FlagLoading|FlagStale, noKeys, cmdPubSub),
	cmd("subscribe", -2, FlagPubSub|FlagNoScript|FlagLoading|FlagStale, noKeys, cmdSubscribeViaDo),
	cmd("unsubscribe", -1, FlagPubSub|FlagNoScript|FlagLoading|FlagStale, noKeys, cmdSubscribeViaDo),
	cmd("psubscribe", -2, FlagPubSub|FlagNoScript|FlagLoading|FlagStale, noKeys, cmdSubscribeViaDo),
	cmd("punsubscribe", -1, FlagPubSub|FlagNoScript|FlagLoading|FlagStale, noKeys, cmdSubscribeViaDo),
}

// errSubscribeViaDo is the reply of the SUBSCRIBE family through Do.
const errSubscribeViaDo = "ERR this command needs a subscribed connection: use DB.PubSub().NewSubscription " +
	"(a RESP server serves it itself)"

func cmdSubscribeViaDo(db *DB, args [][]byte) Reply {
	return ErrorReply(errSubscribeViaDo)
}

func cmdPublish(db *DB, args [][]byte) Reply {
	return intReply(int64(db.ntf.ps.Publish(str(args[1]), args[2])))
}

// pubsubHelp is Redis 7.0's PUBSUB HELP reply.
var pubsubHelp = []string{
	"PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
	"CHANNELS [<pattern>]",
	"    Return the currently active channels matching a <pattern> (default: '*').",
	"NUMPAT",
	"    Return number of subscriptions to patterns.",
	"NUMSUB [<channel> ...]",
	"    Return the number of subscribers for the specified channels, excluding",
	"    pattern subscriptions(default: no channels).",
	"SHARDCHANNELS [<pattern>]",
	"    Return the currently active shard level channels matching a <pattern> (default: '*').",
	"SHARDNUMSUB [<shardchannel> ...]",
	"    Return the number of subscribers for the specified shard level channel(s)",
	"HELP",
	"    Prints this help.",
}

// cmdPubSub is PUBSUB with Redis 7.0's subcommands and errors: an unknown
// subcommand, a subcommand's table arity (pubsub|numpat is 2, ...), then
// pubsubCommand's own check (CHANNELS takes at most one pattern).
//
// jackdaw has no sharded pub/sub (SSUBSCRIBE): SHARDCHANNELS and
// SHARDNUMSUB answer as Redis does when nobody uses it.
func cmdPubSub(db *DB, args [][]byte) Reply {
	sub := args[1]
	arity := func(name string, n int) (Reply, bool) {
		if (n >= 0 && len(args) != n) || (n < 0 && len(args) < -n) {
			return ErrorReply("ERR wrong number of arguments for 'pubsub|" + name + "' command"), false
		}
		return Reply{}, true
	}
	syntax := func() Reply {
		return ErrorReply("ERR unknown subcommand or wrong number of arguments for '" +
			sanitize(sub, 128) + "'. Try PUBSUB HELP.")
	}
	ps := db.ntf.ps
	switch {
	case is(sub, "help"):
		if r, ok := arity("help", 2); !ok {
			return r
		}
		return stringsReply(pubsubHelp)
	case is(sub, "channels"), is(sub, "shardchannels"):
		if len(args) > 3 {
			return syntax()
		}
		if is(sub, "shardchannels") {
			return emptyArray
		}
		chans := ps.Channels("")
		if len(args) == 3 { // a pattern, "" included (it matches only "")
			chans = slices.DeleteFunc(chans, func(c string) bool { return !glob.Match(str(args[2]), c, false) })
		}
		return stringsReply(chans)
	case is(sub, "numsub"), is(sub, "shardnumsub"):
		chans := args[2:]
		names := make([]string, len(chans))
		for i, c := range chans {
			names[i] = str(c)
		}
		var counts []int
		if is(sub, "numsub") {
			counts = ps.NumSub(names...)
		} else {
			counts = make([]int, len(names))
		}
		out := make([]Reply, 0, 2*len(chans))
		for i, c := range chans {
			out = append(out, bulkReply(append([]byte(nil), c...)), intReply(int64(counts[i])))
		}
		return Reply{Kind: ReplyArray, Array: out}
	case is(sub, "numpat"):
		if r, ok := arity("numpat", 2); !ok {
			return r
		}
		return intReply(int64(ps.NumPat()))
	}
	return ErrorReply("ERR unknown subcommand '" + sanitize(sub, 128) + "'. Try PUBSUB HELP.")
}
