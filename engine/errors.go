package engine

import "errors"

// Errors returned by the engine. Their texts are Redis's, so that a RESP
// server can send them as they are; test them with errors.Is.
var (
	ErrWrongType         = errors.New("WRONGTYPE Operation against a key holding the wrong kind of value")
	ErrNotInteger        = errors.New("ERR value is not an integer or out of range")
	ErrNotFloat          = errors.New("ERR value is not a valid float")
	ErrOverflow          = errors.New("ERR increment or decrement would overflow")
	ErrDecrementOverflow = errors.New("ERR decrement would overflow")
	ErrFloatNaNOrInf     = errors.New("ERR increment would produce NaN or Infinity")
	ErrSyntax            = errors.New("ERR syntax error")
	ErrNoSuchKey         = errors.New("ERR no such key")
	ErrSameObject        = errors.New("ERR source and destination objects are the same")
	ErrStringTooLong     = errors.New("ERR string exceeds maximum allowed size (proto-max-bulk-len)")
	ErrOffsetOutOfRange  = errors.New("ERR offset is out of range")
	ErrInvalidCursor     = errors.New("ERR invalid cursor")
	ErrExpireNXAndOther  = errors.New("ERR NX and XX, GT or LT options at the same time are not compatible")
	ErrExpireGTAndLT     = errors.New("ERR GT and LT options at the same time are not compatible")
	ErrNotPositive       = errors.New("ERR value is out of range, must be positive")
	ErrNumKeys           = errors.New("ERR numkeys should be greater than 0")

	// ErrInvalidExpireTime is matched (errors.Is) by the error a command
	// returns for a TTL that is not positive or overflows; that error's text
	// names the command, as Redis's does.
	ErrInvalidExpireTime = errors.New("ERR invalid expire time")

	// ErrKeyTooLong is returned for a key longer than shard.MaxKeyLen
	// (4 MiB); Redis allows 512 MB, but no real key comes near either.
	ErrKeyTooLong = errors.New("ERR key is too long")

	// ErrClosed is returned by Close on a database already closed, and by
	// blocking calls that Close released.
	ErrClosed = errors.New("jackdaw: database is closed")

	// ErrUndeclaredKey is returned by Update when its function touched a
	// key it had not declared (no write of the function is kept).
	ErrUndeclaredKey = errors.New("jackdaw: key not declared to the transaction")
	// ErrInTx is returned for what a transaction's view cannot do: Close,
	// or a nested Update or Exec.
	ErrInTx = errors.New("jackdaw: not allowed inside a transaction")
	// ErrWatchedKeyChanged is returned by Exec when a watched key changed
	// since its Watch; nothing was run (Redis's EXEC replies nil).
	ErrWatchedKeyChanged = errors.New("jackdaw: a watched key changed")
	// ErrExecAbort is EXEC's reply when a command was refused while queued.
	ErrExecAbort = errors.New("EXECABORT Transaction discarded because of previous errors.")
	// ErrUnblocked is the cause to give a blocked call's context
	// (context.WithCancelCause) to make Do reply with Redis's CLIENT UNBLOCK
	// ... ERROR error; any other cancellation of a blocked Do is a timeout.
	ErrUnblocked = errors.New("UNBLOCKED client unblocked via CLIENT UNBLOCK")
)

// maxStringLen is Redis's proto-max-bulk-len default: the largest string
// value that APPEND and SETRANGE may build.
const maxStringLen = 512 << 20

type invalidExpireError struct{ cmd string }

func (e invalidExpireError) Error() string {
	return "ERR invalid expire time in '" + e.cmd + "' command"
}

func (e invalidExpireError) Is(target error) bool { return target == ErrInvalidExpireTime }

func errInvalidExpire(cmd string) error { return invalidExpireError{cmd} }
