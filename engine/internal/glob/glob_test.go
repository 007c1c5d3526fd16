package glob

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// redisCases were checked against a real redis-server 7.0.15 (Debian
// bookworm, 5:7.0.15-1~deb12u10): each string was SET as the only key and
// the pattern sent to KEYS. Every case listed agreed with Match; 30,000
// random patterns over "ab*?[]^-\Az\x80\xff" against 400 random keys did
// too.
var redisCases = []struct {
	pattern, s string
	want       bool
}{
	{"", "", true},
	{"", "a", false},
	{"**", "", false},
	{"?", "", false},
	{"[^a", "", false},
	{"a", "", false},
	{"\\", "", false},
	{"a", "a", true},
	{"a", "b", false},
	{"a", "A", false},
	{"abc", "abc", true},
	{"abc", "ab", false},
	{"ab", "abc", false},
	{"**", "a", true},
	{"**", "abc", true},
	{"a*", "a", true},
	{"a*", "abc", true},
	{"a*", "ba", false},
	{"*c", "abc", true},
	{"*b", "abc", false},
	{"a*b*c", "aXbYc", true},
	{"a*b*c", "abcb", false},
	{"a*b*c", "abc", true},
	{"*a*", "bab", true},
	{"a**b", "ab", true},
	{"a*?", "a", false},
	{"a*?", "ab", true},
	{"*?*?*", "a", false},
	{"*?*?*", "ab", true},
	{"h*llo", "hello", true},
	{"h*llo", "hllo", true},
	{"h*llo", "heeeello", true},
	{"h*llo", "hellox", false},
	{"?", "a", true},
	{"?", "ab", false},
	{"??", "ab", true},
	{"a?c", "abc", true},
	{"a?c", "ac", false},
	{"h?llo", "hallo", true},
	{"[abc]", "b", true},
	{"[abc]", "d", false},
	{"[abc]", "bb", false},
	{"[^abc]", "d", true},
	{"[^abc]", "a", false},
	{"h[^e]llo", "hallo", true},
	{"h[^e]llo", "hello", false},
	{"[a-c]", "b", true},
	{"[a-c]", "d", false},
	{"[c-a]", "b", true},
	{"[c-a]", "d", false},
	{"[a-a]", "a", true},
	{"[^a-c]", "b", false},
	{"[^c-a]", "x", true},
	{"[a-]", "]", true},
	{"[a-]", "^", true},
	{"[a-]", "-", false},
	{"[a-]", "a", true},
	{"[a-]", "b", false},
	{"[a-]x", "x", true},
	{"[a-]x", "ax", false},
	{"[-a]", "-", true},
	{"[a-c-e]", "-", true},
	{"[a-c-e]", "e", true},
	{"[a-c-e]", "d", false},
	{"[", "[", false},
	{"[", "a", false},
	{"[^", "a", true},
	{"[^", "ab", false},
	{"[abc", "b", true},
	{"[abc", "bc", false},
	{"x[abc", "xc", true},
	{"x[abc", "x", false},
	{"[a*", "*", true},
	{"[a*", "ab", false},
	{"[]", "]", false},
	{"[]]", "]", false},
	{"[]a]", "a", false},
	{"[]a]", "]", false},
	{"[^]", "x", true},
	{"[^]]", "x]", true},
	{"[^]]", "x", false},
	{"[]-]", "-", false},
	{"\\*", "*", true},
	{"\\*", "a", false},
	{"\\?", "?", true},
	{"\\?", "a", false},
	{"\\[", "[", true},
	{"\\a", "a", true},
	{"\\", "\\", true},
	{"a\\", "a\\", true},
	{"a\\", "a", false},
	{"\\\\", "\\", true},
	{"\\\\", "\\\\", false},
	{"*\\", "ab\\", true},
	{"*\\*", "ab*", true},
	{"*\\*", "ab", false},
	{"[\\]]", "]", true},
	{"[\\]", "]", true},
	{"[\\]", "\\", false},
	{"[\\", "\\", true},
	{"[\\", "a", false},
	{"[\\-a]", "-", true},
	{"[\\-a]", "b", false},
	{"[a\\", "\\", true},
	{"[a\\", "a", true},
	{"[\\^a]", "^", true},
	{"[\\a-c]", "b", false},
	{"[a-\\]", "]", true},
	{"[a-\\]", "\\", true},
	{"[a-\\]", "b", false},
	{"[a-\xff]", "b", false},
	{"[a-\xff]", "\x00", true},
	{"[a-\xff]", "a", true},
	{"[a-\xff]", "\xff", true},
	{"[a-\xff]", "\x80", false},
	{"[\x80-\xff]", "\x90", true},
	{"[\x80-\xff]", "a", false},
	{"[\x01-\x80]", "a", false},
	{"[\x01-\x80]", "\x90", true},
	{"[\x01-\x80]", "\x01", true},
	{"[\xff-\x80]", "\xc0", true},
	{"€", "€", true},
	{"?", "€", false},
	{"???", "€", true},
	{"a\x00b", "a\x00b", true},
	{"a?b", "a\x00b", true},
	{"[\x00]", "\x00", true},
	{"*\x00", "ab\x00", true},
	{"user:*", "user:42", true},
	{"user:*", "user", false},
	{"*:*:*", "a:b:c", true},
	{"*:*:*", "a:b", false},
	{"*a*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false},
	{"*a*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab", true},
}

func TestMatchRedisCases(t *testing.T) {
	for _, tc := range redisCases {
		require.Equal(t, tc.want, Match(tc.pattern, tc.s, false), "Match(%q, %q)", tc.pattern, tc.s)
		require.Equal(t, tc.want, refMatch(tc.pattern, tc.s, false), "refMatch(%q, %q)", tc.pattern, tc.s)
	}
}

// nocaseCases were checked with CONFIG GET, the one command that matches
// with nocase set (against the parameter names; "maxmemory" here).
// Patterns without '*', '?' or '[' are left out: CONFIG GET looks those
// up directly instead of matching.
var nocaseCases = []struct {
	pattern, s string
	want       bool
}{
	{"MAX*", "maxmemory", true},
	{"[M]axmemory", "maxmemory", true},
	{"[\\M]axmemory", "maxmemory", false},
	{"[\\m]axmemory", "maxmemory", true},
	{"[M-a]axmemory", "maxmemory", false},
	{"[L-N]axmemory", "maxmemory", true},
	{"[l-N]axmemory", "maxmemory", false},
	{"[^M]axmemory", "maxmemory", false},
	{"?AXMEMORY", "maxmemory", true},
	{"[Z-a]axmemory", "maxmemory", false},
	{"[a-Z]axmemory", "maxmemory", false},
	{"\\Maxmemor?", "maxmemory", true},
}

func TestMatchNocase(t *testing.T) {
	for _, tc := range nocaseCases {
		require.Equal(t, tc.want, Match(tc.pattern, tc.s, true), "Match(%q, %q, nocase)", tc.pattern, tc.s)
		require.Equal(t, tc.want, refMatch(tc.pattern, tc.s, true), "refMatch(%q, %q, nocase)", tc.pattern, tc.s)
	}
	// Not checkable through CONFIG GET, but the same code path.
	require.True(t, Match("HeLLo", "hello", true))
	require.True(t, Match("[A-C]x", "bX", true))
	require.False(t, Match("[A-C]x", "bX", false))
	require.True(t, Match("[^A-C]", "d", true))
	require.False(t, Match("[^A-C]", "b", true))
	require.True(t, Match("[\\a]", "a", true))
	require.False(t, Match("[\\a]", "A", true), "escaped class members ignore nocase")
	require.True(t, Match("[a]", "A", true))
	require.False(t, Match("é", "É", true), "only ASCII folds")
}

// TestMatchNestingLimit pins Redis's depth limit: KEYS on 7.0.15 returned
// these answers for keys of 1000 and 1001 'a's.
func TestMatchNestingLimit(t *testing.T) {
	a1000, a1001 := strings.Repeat("a", 1000), strings.Repeat("a", 1001)
	cases := []struct {
		pattern, s string
		want       bool
	}{
		{strings.Repeat("*a", 999), a1000, true},
		{strings.Repeat("*a", 1000), a1000, true},
		{strings.Repeat("*a", 1000), a1001, true},
		{strings.Repeat("*a", 1001), a1001, false}, // 1001st star run has "a" after it
		{strings.Repeat("*a", 1000) + "*", a1000, true},
		{strings.Repeat("*a", 1000) + "*", a1001, true},  // 1001st run is trailing
		{strings.Repeat("*a", 1000) + "**", a1001, true}, // runs count once
		{strings.Repeat("*a", 1001) + "*", a1001, false},
		{strings.Repeat("a*", 1001), a1001, true},
		{strings.Repeat("?*", 1000) + "a", a1001, true},
		// Escaped and bracketed stars are not star runs.
		{strings.Repeat("\\*", 1100), strings.Repeat("*", 1100), true},
		{"[" + strings.Repeat("*", 1100) + "]" + strings.Repeat("a*", 900), strings.Repeat("*", 1) + strings.Repeat("a", 900), true},
	}
	for i, tc := range cases {
		require.Equal(t, tc.want, Match(tc.pattern, tc.s, false), "case %d", i)
		require.Equal(t, tc.want, refMatch(tc.pattern, tc.s, false), "ref case %d", i)
	}
}

// TestMatchBoundedTime guards against exponential backtracking: each call
// is O(len(pattern)*len(s)), a few milliseconds here, where a naive
// recursive matcher would not finish.
func TestMatchBoundedTime(t *testing.T) {
	long := strings.Repeat("a", 100_000)
	start := time.Now()
	require.False(t, Match("*a*a*a*a*a*a*a*a*a*a*a*a*b", long, false))
	require.True(t, Match("*a*a*a*a*a*a*a*a*a*a*a*a*", long, false))
	require.False(t, Match(strings.Repeat("*a", 500)+"b", long[:5000], false))
	require.False(t, Match("*"+strings.Repeat("?", 200)+"b", long, false))
	require.False(t, Match("*[a-z]*[a-z]*[a-z]*[a-z]*[a-z]*[a-z]*0", long, true))
	require.Less(t, time.Since(start), 20*time.Second)
}

func TestIsLiteral(t *testing.T) {
	for _, p := range []string{"", "a", "user:42", "a]b", "^-!", "\x00\xff", "{tag}x"} {
		require.True(t, IsLiteral(p), p)
	}
	for _, p := range []string{"*", "a?", "[ab]", "a\\b", "a[", "]*"} {
		require.False(t, IsLiteral(p), p)
	}
	// The contract callers rely on: a literal pattern matches only itself.
	for _, tc := range redisCases {
		if IsLiteral(tc.pattern) {
			require.Equal(t, tc.pattern == tc.s, Match(tc.pattern, tc.s, false), tc.pattern)
		}
	}
}

func TestMatchDoesNotAllocate(t *testing.T) {
	allocs := testing.AllocsPerRun(100, func() {
		Match("user:*:[a-z]?\\*", "user:42:x9*", false)
	})
	require.Zero(t, allocs)
}

func BenchmarkMatch(b *testing.B) {
	key := "user:12345:session:abcdef"
	for i := 0; i < b.N; i++ {
		Match("user:*:session:[a-f]*", key, false)
	}
}

// refMatch is the plain transcription of Redis 7.0.15's recursive
// stringmatchlen_impl (skipLongerMatches and the nesting limit included),
// the oracle Match is fuzzed against. C strings end in NUL and Redis reads
// that terminator in places, so reads past the end yield 0 here.
func refMatch(pattern, s string, nocase bool) bool {
	skip := false
	return refImpl(pattern, 0, s, 0, nocase, &skip, 0)
}

func at(s string, i int) byte {
	if i < len(s) {
		return s[i]
	}
	return 0
}

func refImpl(p string, pi int, s string, si int, nocase bool, skipLonger *bool, nesting int) bool {
	if nesting > 1000 {
		return false
	}
	plen, slen := len(p)-pi, len(s)-si
	for plen > 0 && slen > 0 {
		switch at(p, pi) {
		case '*':
			for plen > 0 && at(p, pi+1) == '*' {
				pi++
				plen--
			}
			if plen == 1 {
				return true
			}
			for slen > 0 {
				if refImpl(p, pi+1, s, si, nocase, skipLonger, nesting+1) {
					return true
				}
				if *skipLonger {
					return false
				}
				si++
				slen--
			}
			*skipLonger = true
			return false
		case '?':
			si++
			slen--
		case '[':
			pi++
			plen--
			not := at(p, pi) == '^'
			if not {
				pi++
				plen--
			}
			match := false
		class:
			for {
				switch {
				case at(p, pi) == '\\' && plen >= 2:
					pi++
					plen--
					if at(p, pi) == at(s, si) {
						match = true
					}
				case at(p, pi) == ']':
					break class
				case plen == 0:
					pi--
					plen++
					break class
				case plen >= 3 && at(p, pi+1) == '-':
					start, end, c := int(int8(at(p, pi))), int(int8(at(p, pi+2))), int(int8(at(s, si)))
					if start > end {
						start, end = end, start
					}
					if nocase {
						start, end, c = cLower(start), cLower(end), cLower(c)
					}
					pi += 2
					plen -= 2
					if c >= start && c <= end {
						match = true
					}
				default:
					if nocase {
						if cLower(int(int8(at(p, pi)))) == cLower(int(int8(at(s, si)))) {
							match = true
						}
					} else if at(p, pi) == at(s, si) {
						match = true
					}
				}
				pi++
				plen--
			}
			if not {
				match = !match
			}
			if !match {
				return false
			}
			si++
			slen--
		default:
			if at(p, pi) == '\\' && plen >= 2 {
				pi++
				plen--
			}
			if nocase {
				if cLower(int(int8(at(p, pi)))) != cLower(int(int8(at(s, si)))) {
					return false
				}
			} else if at(p, pi) != at(s, si) {
				return false
			}
			si++
			slen--
		}
		pi++
		plen--
		if slen == 0 {
			for at(p, pi) == '*' {
				pi++
				plen--
			}
			break
		}
	}
	return plen == 0 && slen == 0
}

func cLower(c int) int {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// FuzzMatch compares Match with the recursive transcription of Redis.
// Inputs are capped so the oracle stays fast.
func FuzzMatch(f *testing.F) {
	for _, tc := range redisCases {
		if len(tc.pattern) <= 64 && len(tc.s) <= 64 {
			f.Add(tc.pattern, tc.s, false)
		}
	}
	for _, tc := range nocaseCases {
		f.Add(tc.pattern, tc.s, true)
	}
	f.Add("*a*[b-]*\\", "xaab]\\", false)
	f.Fuzz(func(t *testing.T, pattern, s string, nocase bool) {
		if len(pattern) > 64 || len(s) > 64 {
			return
		}
		if got, want := Match(pattern, s, nocase), refMatch(pattern, s, nocase); got != want {
			t.Fatalf("Match(%q, %q, %v) = %v, Redis says %v", pattern, s, nocase, got, want)
		}
	})
}
