package numconv

// numKind is which of strtod's forms a string has.
type numKind uint8

const (
	kindDecimal numKind = iota + 1
	kindHex
	kindInf
)

// number is a string that strtod would consume to its last byte. Redis
// refuses anything strtod stops short of, and strtod's leading blanks
// are refused separately (isspace on the first byte), so only this
// grammar is accepted:
//
//	[+-] digits [. digits] [(e|E) [+-] digits]   (a digit on one side of '.')
//	[+-] 0(x|X) hex [. hex] [(p|P) [+-] digits]  (a hex digit on one side)
//	[+-] inf | infinity                          (any case)
//
// NaN in any spelling is refused by Redis after the parse, so it is not
// recognised here at all.
type number struct {
	kind    numKind
	neg     bool
	mant    []byte // mantissa digits and the '.', no sign or 0x
	exp     []byte // exponent digits with their sign, possibly empty
	nonzero bool   // some mantissa digit is not 0
}

func scanNumber(b []byte) (number, bool) {
	var n number
	i := 0
	if i < len(b) && (b[i] == '+' || b[i] == '-') {
		n.neg = b[i] == '-'
		i++
	}
	rest := b[i:]
	if isInf(rest) {
		n.kind = kindInf
		return n, true
	}
	hex := len(rest) >= 2 && rest[0] == '0' && (rest[1] == 'x' || rest[1] == 'X')
	digit := isDigit
	expChar := byte('e')
	n.kind = kindDecimal
	if hex {
		// strtod reads "0x" with no hex digit after it as just "0", which
		// leaves the 'x' unconsumed; the digit count check below refuses it.
		rest = rest[2:]
		digit = isHexDigit
		expChar = 'p'
		n.kind = kindHex
	}
	j, digits, dot := 0, 0, false
	for ; j < len(rest); j++ {
		c := rest[j]
		switch {
		case digit(c):
			digits++
			if c != '0' {
				n.nonzero = true
			}
		case c == '.' && !dot:
			dot = true
		default:
			goto mantDone
		}
	}
mantDone:
	if digits == 0 {
		return number{}, false
	}
	n.mant = rest[:j]
	if j == len(rest) {
		return n, true
	}
	// Only a complete exponent may follow; strtod would leave a partial
	// one ("1e", "1e+", "0x1p") unconsumed.
	if rest[j]|0x20 != expChar {
		return number{}, false
	}
	e := rest[j+1:]
	k := 0
	if k < len(e) && (e[k] == '+' || e[k] == '-') {
		k++
	}
	if k == len(e) {
		return number{}, false
	}
	for ; k < len(e); k++ {
		if !isDigit(e[k]) {
			return number{}, false
		}
	}
	n.exp = e
	return n, true
}

func isInf(b []byte) bool {
	return equalFold(b, "inf") || equalFold(b, "infinity")
}

// equalFold compares b with the lower-case ASCII word w, ignoring case.
func equalFold(b []byte, w string) bool {
	if len(b) != len(w) {
		return false
	}
	for i := range b {
		if b[i]|0x20 != w[i] {
			return false
		}
	}
	return true
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isHexDigit(c byte) bool {
	return isDigit(c) || ('a' <= c|0x20 && c|0x20 <= 'f')
}

// parseExp reads an exponent (as kept in number.exp) saturating at
// ±limit, far beyond any value that could change the result.
func parseExp(e []byte, limit int64) int64 {
	neg := false
	if len(e) > 0 && (e[0] == '+' || e[0] == '-') {
		neg = e[0] == '-'
		e = e[1:]
	}
	var v int64
	for _, c := range e {
		if v < limit {
			v = v*10 + int64(c-'0')
		}
	}
	v = min(v, limit)
	if neg {
		return -v
	}
	return v
}
