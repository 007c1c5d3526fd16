// Package glob is Redis 7.0's glob matcher (stringmatchlen in util.c), the
// one behind KEYS, SCAN MATCH, PSUBSCRIBE and CONFIG GET.
//
// # What it owns
//
//   - Match: the exact answer Redis 7.0.15 (as shipped by Debian bookworm,
//     with the CVE-2024-31228 nesting limit) gives for a pattern and a
//     string, byte for byte, quirks included, in O(len(pattern)*len(s))
//     time instead of Redis's backtracking.
//   - IsLiteral: whether a pattern can only ever match itself, so SCAN and
//     KEYS may look the key up directly.
//
// # What it leaves to others
//
// Callers own the fast paths Redis puts in front of stringmatchlen: KEYS
// and SCAN treat the pattern "*" as "every key" without calling it, which
// matters for the empty key (Match("*", "", false) is false, yet KEYS *
// lists ""). PSUBSCRIBE has no such fast path. Pattern caching and
// compilation, if ever needed, belong to the caller too: Match keeps no
// state and retains neither argument, so both may be unsafe.String views
// of buffers that are reused afterwards.
//
// # Redis's rules, as this package reproduces them
//
//   - Matching is on bytes. An empty string matches only the empty
//     pattern: "*" does not match "".
//   - '*' matches any run of bytes; consecutive stars are one star. '?'
//     matches one byte.
//   - '\' makes the next byte literal; a '\' that ends the pattern is a
//     literal backslash.
//   - '[...]' matches one byte from a set, '[^...]' one byte not in it.
//     Inside, '\x' is the literal x, compared case-sensitively even when
//     nocase is set; 'a-z' is a range whose ends are swapped if reversed,
//     compared as signed chars (x86 Redis), so "[a-\xff]" is -1..'a':
//     bytes 0x00-'a' and 0xff, not 'b'-0xfe; the range's end may be ']'
//     ("[a-]" is the range ']'..'a' and leaves the class open). A class
//     with no closing ']' runs to the end of the pattern; "[" alone
//     matches nothing and "[^" any byte.
//   - nocase folds ASCII A-Z only. A range is folded after its ends are
//     swapped, so "[Z-a]" matches nothing under nocase.
//   - A pattern whose 1001st star (counting runs of stars as one) is
//     followed by anything never matches: Redis stops recursing at depth
//     1000 (CVE-2024-31228).
package glob
