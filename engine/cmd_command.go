package engine

// COMMAND [COUNT | INFO name... | LIST | DOCS name...], answered from the
// command table.

func cmdCommand(db *DB, args [][]byte) Reply {
	if len(args) == 1 {
		out := make([]Reply, len(commandList))
		for i, c := range commandList {
			out[i] = c.info()
		}
		return Reply{Kind: ReplyArray, Array: out}
	}
	sub := args[1]
	switch {
	case is(sub, "count") && len(args) == 2:
		return intReply(int64(len(commandList)))
	case is(sub, "list") && len(args) == 2:
		names := make([]string, len(commandList))
		for i, c := range commandList {
			names[i] = c.Name
		}
		return stringsReply(names)
	case is(sub, "info"):
		out := make([]Reply, 0, len(args)-2)
		for _, n := range args[2:] {
			if c := LookupCommand(n); c != nil {
				out = append(out, c.info())
			} else {
				out = append(out, replyNil)
			}
		}
		return Reply{Kind: ReplyArray, Array: out}
	case is(sub, "docs"):
		return emptyArray // no documentation is served; clients treat this as "none"
	}
	return ErrorReply("ERR unknown subcommand '" + sanitize(sub, 128) + "'. Try COMMAND HELP.")
}

// info is the command's COMMAND INFO entry, in Redis 7's ten-field shape.
func (c *Command) info() Reply {
	flags := c.Flags.Names()
	fl := make([]Reply, len(flags))
	for i, f := range flags {
		fl[i] = StatusReply(f)
	}
	return Reply{Kind: ReplyArray, Array: []Reply{
		bulkReply([]byte(c.Name)),
		intReply(int64(c.Arity)),
		{Kind: ReplyArray, Array: fl},
		intReply(int64(c.FirstKey)),
		intReply(int64(c.LastKey)),
		intReply(int64(c.Step)),
		emptyArray, // ACL categories
		emptyArray, // tips
		emptyArray, // key specs
		emptyArray, // subcommands
	}}
}

// utilityCommands are the table entries of the connection-independent utilities.
var utilityCommands = []*Command{
	cmd("ping", -1, FlagFast, noKeys, cmdPing),
	cmd("echo", 2, FlagFast, noKeys, cmdEcho),
	cmd("command", -1, FlagLoading|FlagStale, noKeys, cmdCommand),
}
