package engine

import (
	"math"

	"github.com/jackdawdb/jackdaw/engine/internal/numconv"
)

// Argument parsing shared by the command handlers, with Redis's rules and
// error texts.

// is reports whether arg equals the lower-case word w, in any case.
func is(arg []byte, w string) bool {
	if len(arg) != len(w) {
		return false
	}
	for i, c := range arg {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != w[i] {
			return false
		}
	}
	return true
}

// parseInt parses an integer argument as Redis's string2ll does.
func parseInt(arg []byte) (int64, error) {
	n, ok := numconv.ParseInt(arg)
	if !ok {
		return 0, ErrNotInteger
	}
	return n, nil
}

// parseCursor parses a SCAN cursor the way Redis's strtoul-based parser
// does: an optional sign, decimal digits, no overflow; "-n" wraps.
func parseCursor(arg []byte) (uint64, error) {
	s := arg
	neg := false
	if len(s) > 0 && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
		if len(s) == 0 {
			return 0, ErrInvalidCursor
		}
	}
	var v uint64
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, ErrInvalidCursor
		}
		d := uint64(c - '0')
		if v > (math.MaxUint64-d)/10 {
			return 0, ErrInvalidCursor
		}
		v = v*10 + d
	}
	if neg {
		v = -v
	}
	return v, nil
}

// expireArg is the expiry option of SET or GETEX.
type expireArg struct {
	unitMs   int64 // 1 or 1000
	absolute bool  // EXAT/PXAT
	arg      []byte
}

// toAt turns the option's argument into unix ms with Redis's checks
// (getExpireMillisecondsOrReply); cmd names the command in the error.
func (e expireArg) toAt(db *DB, cmd string) (int64, error) {
	ms, err := parseInt(e.arg)
	if err != nil {
		return 0, err
	}
	if ms <= 0 || (e.unitMs == 1000 && ms > math.MaxInt64/1000) {
		return 0, errInvalidExpire(cmd)
	}
	ms *= e.unitMs
	if e.absolute {
		return ms, nil
	}
	return db.relativeExpire(ms, cmd)
}

// scanOptions are the options of SCAN and its per-type forms.
type scanOptions struct {
	ScanArgs
	matchGiven bool // MATCH was given (MATCH "" matches only "")
}

// parseScanOptions parses COUNT, MATCH and (withType) TYPE option pairs with
// Redis's rules: COUNT must be at least 1, anything else is a syntax error.
func parseScanOptions(opts [][]byte, withType bool) (scanOptions, error) {
	o := scanOptions{ScanArgs: ScanArgs{Count: 10}}
	for j := 0; j < len(opts); j += 2 {
		if j+1 >= len(opts) {
			return o, ErrSyntax
		}
		v := opts[j+1]
		switch {
		case is(opts[j], "count"):
			n, err := parseInt(v)
			if err != nil {
				return o, err
			}
			if n < 1 {
				return o, ErrSyntax
			}
			o.Count = int(min(n, math.MaxInt32))
		case is(opts[j], "match"):
			o.Match, o.matchGiven = string(v), true
		case withType && is(opts[j], "type"):
			o.Type = string(v)
		default:
			return o, ErrSyntax
		}
	}
	return o, nil
}
