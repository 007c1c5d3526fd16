package engine

import (
	"context"
	"errors"
	"math"
	"time"

	"github.com/jackdawdb/jackdaw/engine/internal/numconv"
)

// blockingCommands are the table entries of the blocking pops. Their
// handlers lock their keys themselves (Command.block), so that they can
// wait without holding a lock.
var blockingCommands = []*Command{
	blockingCmd("blpop", -3, FlagWrite|FlagBlocking, allButLast, cmdBLPop(Left)),
	blockingCmd("brpop", -3, FlagWrite|FlagBlocking, allButLast, cmdBLPop(Right)),
	blockingCmd("brpoplpush", 4, FlagWrite|FlagDenyOOM|FlagBlocking, twoKeys, cmdBRPopLPush),
	blockingCmd("blmove", 6, FlagWrite|FlagDenyOOM|FlagBlocking, twoKeys, cmdBLMove),
	blockingCmd("blmpop", -5, FlagWrite|FlagBlocking, noKeys, cmdBLMPop),
	blockingCmd("bzpopmin", -3, FlagWrite|FlagFast|FlagBlocking, allButLast, cmdBZPop(false)),
	blockingCmd("bzpopmax", -3, FlagWrite|FlagFast|FlagBlocking, allButLast, cmdBZPop(true)),
	blockingCmd("bzmpop", -5, FlagWrite|FlagBlocking, noKeys, cmdBZMPop),
}

func blockingCmd(name string, arity int, flags CommandFlags, k keySpec, fn func(context.Context, *DB, [][]byte) Reply) *Command {
	c := cmd(name, arity, flags, k, nil)
	c.block = fn
	return c
}

var (
	errTimeoutNotFloat   = errors.New("ERR timeout is not a float or out of range")
	errTimeoutNegative   = errors.New("ERR timeout is negative")
	errTimeoutOutOfRange = errors.New("ERR timeout is out of range")
)

// parseTimeout parses a blocking command's timeout in seconds (0: wait
// forever), rounded up to milliseconds as Redis does. A timeout too long
// for a time.Duration (about 292 years) waits forever.
func parseTimeout(arg []byte) (time.Duration, error) {
	f, ok := numconv.ParseFloat(arg)
	if !ok || math.IsNaN(f) {
		return 0, errTimeoutNotFloat
	}
	ms := math.Ceil(f * 1000)
	switch {
	case ms > math.MaxInt64:
		return 0, errTimeoutOutOfRange
	case ms < 0:
		return 0, errTimeoutNegative
	case ms >= float64(math.MaxInt64/int64(time.Millisecond)):
		return 0, nil
	}
	return time.Duration(ms) * time.Millisecond, nil
}

// blockingDo runs a blocking pop of keys with Redis's timeout, and turns
// how it ended into a reply: ok(res) if it popped; a null array if it
// timed out or its context was cancelled (Redis's reply to a timed-out
// client, whatever the command); txReply, the command's own empty reply,
// in a transaction, which cannot block; Redis's UNBLOCKED error if the
// context's cause is ErrUnblocked.
func blockingDo(ctx context.Context, db *DB, timeout time.Duration, keys []string, op blockOp, txReply Reply, ok func(blockResult) Reply) Reply {
	res, err := db.block(ctx, keys, op, timeout)
	switch {
	case err == nil:
		return ok(res)
	case errors.Is(err, ErrWouldBlock):
		return txReply
	case errors.Is(err, ErrUnblocked):
		return errReply(ErrUnblocked)
	case errors.Is(err, errTimedOut), ctx.Err() != nil && errors.Is(err, context.Cause(ctx)):
		return replyNilArr
	}
	return errReply(err)
}

func cmdBLPop(end End) func(context.Context, *DB, [][]byte) Reply {
	return func(ctx context.Context, db *DB, args [][]byte) Reply {
		timeout, err := parseTimeout(args[len(args)-1])
		if err != nil {
			return errReply(err)
		}
		keys := strs(args[1 : len(args)-1])
		return blockingDo(ctx, db, timeout, keys, blockOp{kind: blockPop, end: end, count: 1}, replyNilArr, func(res blockResult) Reply {
			return Reply{Kind: ReplyArray, Array: []Reply{bulkReply([]byte(res.key)), bulkReply(res.values[0])}}
		})
	}
}

// cmdBLMPop parses its timeout after the rest, as Redis does.
func cmdBLMPop(ctx context.Context, db *DB, args [][]byte) Reply {
	keys, from, count, err := parseLMPop(args[1:])
	if err != nil {
		return errReply(err)
	}
	timeout, err := parseTimeout(args[1])
	if err != nil {
		return errReply(err)
	}
	return blockingDo(ctx, db, timeout, keys, blockOp{kind: blockPop, end: from, count: count}, replyNilArr, func(res blockResult) Reply { return keyValuesReply(res.key, res.values) })
}

func cmdBRPopLPush(ctx context.Context, db *DB, args [][]byte) Reply {
	return blmove(ctx, db, args[1], args[2], Right, Left, args[3])
}

func cmdBLMove(ctx context.Context, db *DB, args [][]byte) Reply {
	from, to, err := parseListEnds(args[3], args[4])
	if err != nil {
		return errReply(err)
	}
	return blmove(ctx, db, args[1], args[2], from, to, args[5])
}

func blmove(ctx context.Context, db *DB, src, dst []byte, from, to End, timeoutArg []byte) Reply {
	timeout, err := parseTimeout(timeoutArg)
	if err != nil {
		return errReply(err)
	}
	if err := checkKey(str(dst)); err != nil {
		return errReply(err)
	}
	op := blockOp{kind: blockMove, end: from, to: to, dst: db.key(str(dst)), count: 1}
	return blockingDo(ctx, db, timeout, []string{str(src)}, op, replyNil, func(res blockResult) Reply { return bulkReply(res.values[0]) })
}

func cmdBZPop(max bool) func(context.Context, *DB, [][]byte) Reply {
	return func(ctx context.Context, db *DB, args [][]byte) Reply {
		timeout, err := parseTimeout(args[len(args)-1])
		if err != nil {
			return errReply(err)
		}
		keys := strs(args[1 : len(args)-1])
		return blockingDo(ctx, db, timeout, keys, blockOp{kind: blockZPop, count: 1, max: max}, replyNilArr, func(res blockResult) Reply {
			m := res.members[0]
			return Reply{Kind: ReplyArray, Array: []Reply{bulkReply([]byte(res.key)), bulkReply([]byte(m.Member)), scoreReply(m.Score)}}
		})
	}
}

// cmdBZMPop parses its timeout after the rest, as Redis does.
func cmdBZMPop(ctx context.Context, db *DB, args [][]byte) Reply {
	keys, max, count, err := parseZMPop(args[1:])
	if err != nil {
		return errReply(err)
	}
	timeout, err := parseTimeout(args[1])
	if err != nil {
		return errReply(err)
	}
	return blockingDo(ctx, db, timeout, keys, blockOp{kind: blockZPop, count: count, max: max}, replyNilArr, func(res blockResult) Reply { return keyMembersReply(res.key, res.members) })
}
