package numconv

import "strconv"

// ParseInt parses b as Redis's string2ll does: an optional '-' then
// decimal digits, nothing else (no '+', no spaces), no leading zeros
// except "0" itself, "-0" refused, and the value must fit in an int64.
// Equivalently, b must be exactly strconv.FormatInt of its value.
func ParseInt(b []byte) (int64, bool) {
	// Longest accepted form is "-9223372036854775808", 20 bytes.
	if len(b) == 0 || len(b) > 20 {
		return 0, false
	}
	if len(b) == 1 && b[0] == '0' {
		return 0, true
	}
	neg := b[0] == '-'
	if neg {
		b = b[1:]
		if len(b) == 0 {
			return 0, false
		}
	}
	// 19 digits cover every int64 and cannot wrap the uint64 below.
	if len(b) > 19 || b[0] < '1' || b[0] > '9' {
		return 0, false
	}
	var v uint64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + uint64(c-'0')
	}
	if neg {
		if v > 1<<63 {
			return 0, false
		}
		return -int64(v), true // -(1<<63) wraps to MinInt64, as wanted
	}
	if v > 1<<63-1 {
		return 0, false
	}
	return int64(v), true
}

// AppendInt appends the decimal form of v, the one ParseInt accepts.
func AppendInt(dst []byte, v int64) []byte {
	return strconv.AppendInt(dst, v, 10)
}
