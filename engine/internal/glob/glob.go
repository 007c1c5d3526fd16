package glob

import "strings"

// maxStarDepth is Redis's recursion limit: stringmatchlen_impl gives up
// (answers "no match") when entered at nesting depth above 1000, and each
// star run recurses one level deeper.
const maxStarDepth = 1000

// Match reports whether s matches the glob pattern exactly as Redis 7.0's
// stringmatchlen does (see the package comment for the rules). nocase
// folds ASCII letters. Neither argument is retained.
//
// Redis backtracks recursively; Match remembers only the last star it
// passed, which gives the same answer (a star-free segment between two
// stars always consumes the same number of bytes, so letting an earlier
// star absorb more can only move the later star's start rightwards, and
// the later star already tries every start) in O(len(pattern)*len(s)).
func Match(pattern, s string, nocase bool) bool {
	if len(s) == 0 {
		// Redis's main loop runs only while both are non-empty, so an
		// empty string never reaches the '*' case.
		return len(pattern) == 0
	}
	if len(pattern) > maxStarDepth && tooDeep(pattern) {
		return false
	}
	p, i := 0, 0 // positions in pattern and s
	star, starI := -1, 0
	for i < len(s) {
		if p < len(pattern) {
			if pattern[p] == '*' {
				for p < len(pattern) && pattern[p] == '*' {
					p++
				}
				if p == len(pattern) {
					return true
				}
				star, starI = p, i
				continue
			}
			if next, ok := matchOne(pattern, p, s[i], nocase); ok {
				p = next
				i++
				continue
			}
		}
		if star < 0 {
			return false
		}
		// Let the last star absorb one more byte and retry the rest.
		starI++
		p, i = star, starI
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

// matchOne matches the single-byte token (anything but a star) at
// pattern[p] against c and returns the index just past the token.
func matchOne(pattern string, p int, c byte, nocase bool) (int, bool) {
	switch pattern[p] {
	case '?':
		return p + 1, true
	case '[':
		return matchClass(pattern, p+1, c, nocase)
	case '\\':
		if len(pattern)-p >= 2 {
			p++
		}
	}
	return p + 1, equal(pattern[p], c, nocase)
}

// matchClass matches c against the class whose body starts at pattern[p]
// (just past '[') and returns the index just past the class.
func matchClass(pattern string, p int, c byte, nocase bool) (int, bool) {
	not := p < len(pattern) && pattern[p] == '^'
	if not {
		p++
	}
	match := false
	for p < len(pattern) {
		b := pattern[p]
		switch {
		case b == '\\' && len(pattern)-p >= 2:
			// Redis compares escaped class members case-sensitively.
			if pattern[p+1] == c {
				match = true
			}
			p += 2
		case b == ']':
			return p + 1, match != not
		case len(pattern)-p >= 3 && pattern[p+1] == '-':
			// Redis reads pattern and string through (signed) char on
			// x86, swaps reversed ends, and only then folds case.
			lo, hi, x := int(int8(b)), int(int8(pattern[p+2])), int(int8(c))
			if lo > hi {
				lo, hi = hi, lo
			}
			if nocase {
				lo, hi, x = lowerInt(lo), lowerInt(hi), lowerInt(x)
			}
			if lo <= x && x <= hi {
				match = true
			}
			p += 3
		default:
			if equal(b, c, nocase) {
				match = true
			}
			p++
		}
	}
	// An unterminated class ends with the pattern.
	return p, match != not
}

// tooDeep reports whether Redis's recursion limit makes pattern unable to
// match anything: the limit trips when the 1001st star run is reached
// with string left and pattern after it, and a match must pass that run
// with string left (the end of string only skips trailing stars). Token
// boundaries do not depend on the string, so this is decided up front.
func tooDeep(pattern string) bool {
	if strings.Count(pattern, "*") <= maxStarDepth {
		return false
	}
	runs := 0
	for p := 0; p < len(pattern); {
		switch pattern[p] {
		case '*':
			for p < len(pattern) && pattern[p] == '*' {
				p++
			}
			runs++
			if runs > maxStarDepth {
				return p < len(pattern)
			}
		case '[':
			p, _ = matchClass(pattern, p+1, 0, false)
		case '\\':
			if len(pattern)-p >= 2 {
				p++
			}
			p++
		default:
			p++
		}
	}
	return false
}

func equal(a, b byte, nocase bool) bool {
	if a == b {
		return true
	}
	return nocase && lower(a) == lower(b)
}

// lower is C tolower in the "C" locale, the only LC_CTYPE Redis uses.
func lower(b byte) byte {
	if 'A' <= b && b <= 'Z' {
		return b + ('a' - 'A')
	}
	return b
}

func lowerInt(x int) int {
	if 'A' <= x && x <= 'Z' {
		return x + ('a' - 'A')
	}
	return x
}

// IsLiteral reports whether pattern has none of Redis's special bytes
// ('*', '?', '[', '\'), in which case Match(pattern, s, false) is exactly
// pattern == s and a caller may look the key up instead of scanning.
func IsLiteral(pattern string) bool {
	return !strings.ContainsAny(pattern, `*?[\`)
}
