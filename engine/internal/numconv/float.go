package numconv

import (
	"math"
	"math/bits"
	"strconv"
	"unsafe"
)

// ParseFloat parses b as Redis 7.0's string2d does for ZADD scores and
// other double arguments: glibc strtod must consume all of b (see number
// for the grammar, which includes hex floats like "0x1p-3" and "0x10"
// and "inf"/"infinity" in any case), the first byte may not be a space,
// NaN is refused, and so is a result that overflowed to ±Inf or
// underflowed to zero (strtod's ERANGE); "-0" and "0e-999" are fine, and
// so are subnormals. Values are rounded as glibc rounds them: correctly,
// except for a glibc quirk with hex subnormals (see parseHexDouble).
func ParseFloat(b []byte) (float64, bool) {
	n, ok := scanNumber(b)
	if !ok {
		return 0, false
	}
	var f float64
	switch n.kind {
	case kindInf:
		f = math.Inf(1)
	case kindDecimal:
		// strconv parses this subset of its grammar exactly as glibc does
		// (both round correctly); it does not keep the string.
		f, _ = strconv.ParseFloat(unsafe.String(unsafe.SliceData(b), len(b)), 64)
		f = math.Abs(f)
	case kindHex:
		f = parseHexDouble(n)
	}
	if n.kind != kindInf && (math.IsInf(f, 0) || (f == 0 && n.nonzero)) {
		return 0, false
	}
	if n.neg {
		f = -f
	}
	return f, true
}

// parseHexDouble converts a hex mantissa and exponent to |value| the way
// glibc's strtod does. That is correct rounding, except for results below
// the smallest normal double: glibc then drops the bit just past the
// first 53 significant bits from its rounding (so "0x3be798b13ed92bp-1076"
// comes out one unit low), and Redis inherits that.
func parseHexDouble(n number) float64 {
	const (
		mantDig = 53
		minExp  = -1022 // smallest normal binary exponent
		subExp  = -1074 // weight of the smallest subnormal's bit
	)
	// Gather up to 64 significant bits; later digits only count as sticky.
	var mant uint64
	var e int64 // value = (mant + sticky) * 2**e
	sticky, dot := false, false
	for _, c := range n.mant {
		switch {
		case c == '.':
			dot = true
		case mant>>60 == 0:
			mant = mant<<4 | uint64(hexVal(c))
			if dot {
				e -= 4
			}
		default:
			sticky = sticky || c != '0'
			if !dot {
				e += 4
			}
		}
	}
	if mant == 0 {
		return 0
	}
	e += parseExp(n.exp, 1<<24)
	l := int64(bits.Len64(mant))
	top := l - 1 + e // |value| in [2**top, 2**(top+1))
	switch {
	case top > 1023:
		return math.Inf(1)
	case top < minExp:
		if l > mantDig {
			mant &^= 1 << (l - mantDig - 1) // glibc's lost round bit
		}
		// A subnormal's bit pattern is its count of 2**subExp units (a
		// carry into 1<<52 is the smallest normal, as it should be).
		return math.Float64frombits(roundShift(mant, subExp-e, sticky))
	}
	q := roundShift(mant, l-mantDig, sticky)
	if q>>mantDig != 0 { // rounding carried into a new bit
		q >>= 1
		top++
	}
	if top > 1023 {
		return math.Inf(1)
	}
	return math.Float64frombits(uint64(top+1023)<<(mantDig-1) | q&(1<<(mantDig-1)-1))
}

// roundShift returns (mant + sticky) / 2**shift rounded half to even,
// sticky standing for a non-zero amount below mant's last bit.
func roundShift(mant uint64, shift int64, sticky bool) uint64 {
	switch {
	case shift <= 0:
		return mant << uint(-shift)
	case shift > 64:
		return 0 // below half a unit
	}
	q, rest := uint64(0), mant
	if shift < 64 {
		q, rest = mant>>uint(shift), mant&(1<<uint(shift)-1)
	}
	half := uint64(1) << uint(shift-1)
	if rest > half || rest == half && (sticky || q&1 == 1) {
		q++
	}
	return q
}

// AppendDouble appends f the way Redis 7.0 replies a double (addReplyDouble,
// used by ZSCORE, ZMSCORE, ZINCRBY, ZADD INCR, ZRANGE WITHSCORES...):
// "inf" and "-inf" spelled out, everything else C's "%.17g", e.g. "1.5",
// "100", "-0", "0.10000000000000001", "1e+17", "1.0000000000000001e-05".
// (d2string's integer shortcut prints the same digits, so this also
// serves where Redis uses it.) Redis never replies NaN; it is "nan" here.
func AppendDouble(dst []byte, f float64) []byte {
	switch {
	case math.IsInf(f, 1):
		return append(dst, "inf"...)
	case math.IsInf(f, -1):
		return append(dst, "-inf"...)
	case math.IsNaN(f):
		return append(dst, "nan"...)
	}
	// Go's 'g' with an explicit precision follows C's %g: exponent form
	// when the exponent is < -4 or >= 17, trailing zeros dropped, at
	// least two exponent digits.
	return strconv.AppendFloat(dst, f, 'g', 17, 64)
}
