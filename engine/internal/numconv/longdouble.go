package numconv

import (
	"math/big"
	"math/bits"
)

// x87 extended precision, C's long double on x86-64 Linux: a 64-bit
// significand and binary exponents up to 16383.
const (
	ldPrec = 64
	// ldMaxExp bounds finite values: |x| < 2**ldMaxExp.
	ldMaxExp = 16384
	// ldMinExp is the smallest normal's exponent: 2**-16382.
	ldMinExp = -16382
	// ldHalfMinExp: strtold rounds anything at or below 2**-16446, half the
	// smallest subnormal, to zero, which Redis refuses.
	ldHalfMinExp = -16446
	// maxLongDoubleChars is Redis's MAX_LONG_DOUBLE_CHARS, the buffer
	// string2ld copies into: it refuses inputs that do not fit with a NUL.
	maxLongDoubleChars = 5 * 1024
)

type ldKind uint8

const (
	ldFinite ldKind = iota
	ldInf
	ldNaN
)

// LongDouble is a C long double as Redis's INCRBYFLOAT and HINCRBYFLOAT
// see it: x87 80-bit extended precision, a 64-bit significand. Go has no
// such type; the value is kept as sign, significand and binary exponent,
// and arithmetic is done with math/big at 64 bits, round to nearest even,
// which is what the x87 does for one parse, one add and one format.
//
// One difference is deliberate: subnormals (below about 3.4e-4932) keep
// all 64 bits instead of the x87's fewer. No formatted result can show it:
// they print as "0".
//
// The zero value is +0. LongDouble is a small comparable value, safe to
// copy.
type LongDouble struct {
	mant uint64 // finite value is ±mant * 2**exp
	exp  int32
	neg  bool
	kind ldKind
}

// LongDoubleFromInt is (long double)v, exact for every int64, as Redis
// reads an integer-encoded string for INCRBYFLOAT.
func LongDoubleFromInt(v int64) LongDouble {
	if v < 0 {
		return LongDouble{mant: uint64(-v), neg: true} // -MinInt64 wraps to 1<<63, as wanted
	}
	return LongDouble{mant: uint64(v)}
}

// ParseLongDouble parses b as Redis 7.0's string2ld does (glibc strtold
// plus Redis's checks): at most 5119 bytes, no leading space, the whole
// of b consumed, same grammar as ParseFloat (hex and "inf"/"infinity"
// included; the latter yields an infinite LongDouble, which INCRBYFLOAT
// then refuses through IsFinite), NaN refused, overflow past about
// 1.19e4932 refused, and a non-zero value that rounds to zero refused.
func ParseLongDouble(b []byte) (LongDouble, bool) {
	if len(b) >= maxLongDoubleChars {
		return LongDouble{}, false
	}
	n, ok := scanNumber(b)
	if !ok {
		return LongDouble{}, false
	}
	if n.kind == kindInf {
		return LongDouble{neg: n.neg, kind: ldInf}, true
	}
	if !n.nonzero {
		return LongDouble{neg: n.neg}, true
	}
	// The exact value is m * base**e with m a positive integer.
	var m big.Int
	var e int64
	if n.kind == kindHex {
		setHex(&m, n.mant)
		e = parseExp(n.exp, 1<<24) - 4*fracDigits(n.mant)
		// Below the smallest normal, glibc's strtold drops the bit just
		// past the first 64 significant bits from its rounding (see
		// parseHexDouble); this makes "0x1.0000000000000001p-16446" zero.
		if l := int64(m.BitLen()); l > ldPrec && l+e <= ldMinExp {
			m.SetBit(&m, int(l-ldPrec-1), 0)
		}
		return ldFromBinary(&m, e, n.neg)
	}
	e = parseExp(n.exp, 1<<24) - fracDigits(n.mant)
	setDecimal(&m, n.mant)
	return ldFromDecimal(&m, sigDigits(n.mant), e, n.neg)
}

// fracDigits counts the digits after the '.' in a mantissa.
func fracDigits(mant []byte) int64 {
	for i, c := range mant {
		if c == '.' {
			return int64(len(mant) - i - 1)
		}
	}
	return 0
}

func hexVal(c byte) byte {
	if c <= '9' {
		return c - '0'
	}
	return c | 0x20 - 'a' + 10
}

// sigDigits counts a decimal mantissa's digits from the first non-zero one.
func sigDigits(mant []byte) int64 {
	d := int64(0)
	for _, c := range mant {
		if c != '.' && (d > 0 || c != '0') {
			d++
		}
	}
	return d
}

// setDecimal sets m to the integer the mantissa's digits spell.
func setDecimal(m *big.Int, mant []byte) {
	var chunk, scale uint64 = 0, 1
	var t, s big.Int
	flush := func() {
		m.Mul(m, s.SetUint64(scale))
		m.Add(m, t.SetUint64(chunk))
		chunk, scale = 0, 1
	}
	for _, c := range mant {
		if c == '.' {
			continue
		}
		chunk = chunk*10 + uint64(c-'0')
		scale *= 10
		if scale == 1e18 {
			flush()
		}
	}
	flush()
}

// setHex sets m to the integer the mantissa's hex digits spell.
func setHex(m *big.Int, mant []byte) {
	var chunk uint64
	var nibbles uint
	var t big.Int
	flush := func() {
		m.Lsh(m, 4*nibbles)
		m.Or(m, t.SetUint64(chunk))
		chunk, nibbles = 0, 0
	}
	for _, c := range mant {
		if c == '.' {
			continue
		}
		chunk = chunk<<4 | uint64(hexVal(c))
		if nibbles++; nibbles == 16 {
			flush()
		}
	}
	flush()
}

// ldFromBinary rounds m * 2**e (m > 0) to a long double as strtold does.
func ldFromBinary(m *big.Int, e int64, neg bool) (LongDouble, bool) {
	// Settle far-out exponents before big.Float's int32 exponent could
	// overflow: the value lies in [2**(top-1), 2**top).
	top := int64(m.BitLen()) + e
	if top > ldMaxExp+1 {
		return LongDouble{}, false
	}
	if top < ldHalfMinExp {
		return LongDouble{}, false
	}
	var f big.Float
	f.SetPrec(ldPrec).SetMode(big.ToNearestEven).SetInt(m)
	f.SetMantExp(&f, int(e))
	return ldFinish(&f, neg, func() int {
		// Compare m * 2**e with 2**ldHalfMinExp exactly.
		var t big.Int
		if sh := ldHalfMinExp - e; sh >= 0 {
			return m.Cmp(t.Lsh(big.NewInt(1), uint(sh)))
		}
		return 1 // m >= 1 > 2**sh
	})
}

// ldFromDecimal rounds m * 10**e (m > 0, d digits) to a long double as
// strtold does.
func ldFromDecimal(m *big.Int, d, e int64, neg bool) (LongDouble, bool) {
	// The value lies in [10**(d-1+e), 10**(d+e)). The largest long double
	// is about 1.19e4932 and half the smallest subnormal about 1.82e-4951;
	// settle what is clearly beyond them without big powers.
	if d-1+e > 4933 {
		return LongDouble{}, false
	}
	if d+e < -4951 {
		return LongDouble{}, false
	}
	var f big.Float
	f.SetPrec(ldPrec).SetMode(big.ToNearestEven)
	var p big.Int
	if e >= 0 {
		p.Exp(big.NewInt(10), big.NewInt(e), nil)
		p.Mul(&p, m)
		f.SetInt(&p)
	} else {
		p.Exp(big.NewInt(10), big.NewInt(-e), nil)
		var num, den big.Float
		num.SetInt(m)
		den.SetInt(&p)
		f.Quo(&num, &den)
	}
	return ldFinish(&f, neg, func() int {
		// Compare m / 10**-e with 2**-ldHalfMinExp, i.e. m * 2**16446
		// with 10**-e (e is negative this small).
		var l big.Int
		l.Lsh(m, -ldHalfMinExp)
		return l.Cmp(&p)
	})
}

// ldFinish turns f, the exact value rounded to 64 bits with an unbounded
// exponent, into a LongDouble, refusing overflow and underflow to zero.
// cmpHalfMin compares the exact value with 2**ldHalfMinExp.
func ldFinish(f *big.Float, neg bool, cmpHalfMin func() int) (LongDouble, bool) {
	exp := f.MantExp(nil) // |f| in [2**(exp-1), 2**exp)
	if exp > ldMaxExp {
		return LongDouble{}, false
	}
	// At or below 2**ldHalfMinExp strtold gives zero (ties to even),
	// which Redis takes for an underflow.
	if exp-1 <= ldHalfMinExp && cmpHalfMin() <= 0 {
		return LongDouble{}, false
	}
	x := ldFromFloat(f)
	x.neg = neg
	return x, true
}

// ldFromFloat reads a finite big.Float of at most 64 bits of precision.
func ldFromFloat(f *big.Float) LongDouble {
	if f.Sign() == 0 {
		return LongDouble{neg: f.Signbit()}
	}
	var m big.Float
	exp := f.MantExp(&m) // |f| = |m| * 2**exp, 0.5 <= |m| < 1
	m.SetMantExp(&m, ldPrec)
	u, _ := m.Abs(&m).Uint64()
	return LongDouble{mant: u, exp: int32(exp - ldPrec), neg: f.Signbit()}
}

// toFloat sets f to the exact value of finite x.
func (x LongDouble) toFloat(f *big.Float) *big.Float {
	f.SetPrec(ldPrec).SetMode(big.ToNearestEven).SetUint64(x.mant)
	f.SetMantExp(f, int(x.exp))
	if x.neg {
		f.Neg(f)
	}
	return f
}

// IsFinite reports whether x is neither infinite nor NaN, the check Redis
// makes after INCRBYFLOAT's add ("increment would produce NaN or
// Infinity").
func (x LongDouble) IsFinite() bool { return x.kind == ldFinite }

// Add returns x+y rounded to long double, as the x87 adds: round to
// nearest even, ±Inf past about 1.19e4932, Inf-Inf is NaN, and -0 only
// for -0 + -0.
func (x LongDouble) Add(y LongDouble) LongDouble {
	switch {
	case x.kind == ldNaN || y.kind == ldNaN:
		return LongDouble{kind: ldNaN}
	case x.kind == ldInf && y.kind == ldInf:
		if x.neg != y.neg {
			return LongDouble{kind: ldNaN}
		}
		return x
	case x.kind == ldInf:
		return x
	case y.kind == ldInf:
		return y
	}
	var a, b, sum big.Float
	sum.SetPrec(ldPrec).SetMode(big.ToNearestEven)
	sum.Add(x.toFloat(&a), y.toFloat(&b))
	if sum.Sign() != 0 && sum.MantExp(nil) > ldMaxExp {
		return LongDouble{neg: sum.Signbit(), kind: ldInf}
	}
	return ldFromFloat(&sum)
}

// AppendLongDoubleHuman appends x as Redis's ld2string in LD_STR_HUMAN
// mode writes it, the reply and stored value of INCRBYFLOAT and
// HINCRBYFLOAT: "%.17Lf" (every integer digit, exactly; 17 decimals,
// rounded half to even), then trailing zeros and a trailing '.' removed,
// and "-0" turned into "0". So 0.1+0.2 is "0.3", 1e308+1e308 is a
// 309-digit integer. Infinities are "inf" and "-inf"; NaN, which Redis
// refuses before formatting, is "nan".
func AppendLongDoubleHuman(dst []byte, x LongDouble) []byte {
	switch x.kind {
	case ldInf:
		if x.neg {
			return append(dst, "-inf"...)
		}
		return append(dst, "inf"...)
	case ldNaN:
		return append(dst, "nan"...)
	}
	if x.mant == 0 || bits.Len64(x.mant)+int(x.exp) <= -58 {
		// Below 2**-58 (< 0.5e-17) "%.17Lf" gives "0.000..." or "-0.000...",
		// both "0" here; skip expanding up to 16,000 exact digits.
		return append(dst, '0')
	}
	if u, ok := x.smallInt(); ok {
		// The common INCRBYFLOAT result needs no big.Float.
		if x.neg {
			dst = append(dst, '-')
		}
		return appendUint(dst, u)
	}
	start := len(dst)
	var f big.Float
	dst = x.toFloat(&f).Append(dst, 'f', 17)
	// %.17Lf always has a '.', so trimming cannot eat integer zeros.
	end := len(dst)
	for dst[end-1] == '0' {
		end--
	}
	if dst[end-1] == '.' {
		end--
	}
	dst = dst[:end]
	if string(dst[start:]) == "-0" {
		dst = append(dst[:start], '0')
	}
	return dst
}

// smallInt returns |x| if it is an integer below 2**64.
func (x LongDouble) smallInt() (uint64, bool) {
	switch {
	case x.exp >= 0 && bits.Len64(x.mant)+int(x.exp) <= 64:
		return x.mant << uint(x.exp), true
	case x.exp < 0 && x.exp > -64 && bits.TrailingZeros64(x.mant) >= int(-x.exp):
		return x.mant >> uint(-x.exp), true
	}
	return 0, false
}

func appendUint(dst []byte, v uint64) []byte {
	var buf [20]byte
	i := len(buf)
	for v >= 10 {
		i--
		buf[i] = byte('0' + v%10)
		v /= 10
	}
	i--
	buf[i] = byte('0' + v)
	return append(dst, buf[i:]...)
}
