package structures

import (
	"iter"
	"math/rand/v2"
)

// Small sets and hashes are packed (Redis's listpack idea) up to these
// limits: set-max-listpack-entries / hash-max-listpack-entries 128 and
// -value 64.
const (
	packedMaxEntries = 128
	packedMaxValue   = 64
)

// Set is a set of binary-safe strings. Up to 128 members of at most 64 bytes
// it is one packed []byte searched linearly; past that it is a dense slice of
// members plus a map from member to index (swap-remove on delete), so Add,
// Remove, Contains and picking a random member are O(1). The zero Set is
// empty and ready to use. Not safe for concurrent use.
type Set struct {
	lp  []byte // packed members, when d == nil
	cnt int    // members in lp
	d   *colDense
}

// NewSet returns an empty set.
func NewSet() *Set { return &Set{} }

// Len is the number of members.
func (s *Set) Len() int {
	if s.d != nil {
		return len(s.d.ents)
	}
	return s.cnt
}

// packedFind returns the offsets of member m in lp.
func (s *Set) packedFind(m []byte) (start, end int, ok bool) {
	return colPackFind(s.lp, m, 1)
}

// Contains reports whether m is a member (SISMEMBER).
func (s *Set) Contains(m []byte) bool {
	if s.d != nil {
		_, ok := s.d.lookup(m)
		return ok
	}
	_, _, ok := s.packedFind(m)
	return ok
}

// Add adds m (SADD) and reports whether it was not a member before.
func (s *Set) Add(m []byte) bool {
	if s.d != nil {
		return s.d.add(m)
	}
	if _, _, ok := s.packedFind(m); ok {
		return false
	}
	if s.cnt+1 > packedMaxEntries || len(m) > packedMaxValue {
		s.toDense(s.cnt + 1)
		return s.d.add(m)
	}
	s.lp = colPackAppend(s.lp, m)
	s.cnt++
	return true
}

// AddNew adds m, which REQUIRES: m is not a member. It skips Add's search,
// which costs O(n) in the packed form: building an intersection or a
// difference adds members of another set, which are distinct already.
func (s *Set) AddNew(m []byte) {
	switch {
	case s.d != nil:
	case s.cnt+1 > packedMaxEntries || len(m) > packedMaxValue:
		s.toDense(s.cnt + 1)
	default:
		s.lp = colPackAppend(s.lp, m)
		s.cnt++
		return
	}
	s.d.insert(m, string(m))
}

func (s *Set) toDense(hint int) {
	d := newColDense(hint, false)
	for off := 0; off < len(s.lp); {
		v, next := colPackNext(s.lp, off)
		d.insert(v, string(v))
		off = next
	}
	s.d, s.lp, s.cnt = d, nil, 0
}

func (d *colDense) add(m []byte) bool {
	if _, ok := d.lookup(m); ok {
		return false
	}
	d.insert(m, string(m))
	return true
}

// Remove removes m (SREM) and reports whether it was a member.
func (s *Set) Remove(m []byte) bool {
	if s.d != nil {
		i, ok := s.d.lookup(m)
		if ok {
			s.d.removeAt(i)
		}
		return ok
	}
	start, end, ok := s.packedFind(m)
	if ok {
		s.lp = append(s.lp[:start], s.lp[end:]...)
		s.cnt--
	}
	return ok
}

// Members returns every member, in no particular order (SMEMBERS). The
// slices alias the set.
func (s *Set) Members() [][]byte {
	out := make([][]byte, 0, s.Len())
	for m := range s.All() {
		out = append(out, m)
	}
	return out
}

// All iterates over the members in no particular order. The set must not be
// changed during the iteration; the slices alias the set.
func (s *Set) All() iter.Seq[[]byte] {
	return func(yield func([]byte) bool) {
		if s.d != nil {
			for _, e := range s.d.ents {
				if !yield(colBytes(e)) {
					return
				}
			}
			return
		}
		for off := 0; off < len(s.lp); {
			v, next := colPackNext(s.lp, off)
			if !yield(v) {
				return
			}
			off = next
		}
	}
}

// at returns member i of the dense order, or of the packed order.
func (s *Set) members() [][]byte {
	if s.d != nil {
		out := make([][]byte, len(s.d.ents))
		for i, e := range s.d.ents {
			out[i] = colBytes(e)
		}
		return out
	}
	return s.Members()
}

// RandomMembers returns random members with SRANDMEMBER's rules: count > 0
// gives min(count, Len) distinct members, count < 0 gives exactly -count
// members that may repeat, count == 0 gives none. The slices alias the set.
func (s *Set) RandomMembers(count int) [][]byte {
	n := s.Len()
	if count == 0 || n == 0 {
		return [][]byte{}
	}
	if s.d != nil {
		at := func(i int) []byte { return colBytes(s.d.ents[i]) }
		return colSample(n, count, at)
	}
	all := s.members()
	return colSample(n, count, func(i int) []byte { return all[i] })
}

// colSample picks from n items with SRANDMEMBER's count rules.
func colSample[T any](n, count int, at func(int) T) []T {
	if count < 0 {
		out := make([]T, -count)
		for i := range out {
			out[i] = at(rand.IntN(n))
		}
		return out
	}
	if count >= n {
		out := make([]T, n)
		for i := range out {
			out[i] = at(i)
		}
		rand.Shuffle(n, func(i, j int) { out[i], out[j] = out[j], out[i] })
		return out
	}
	out := make([]T, 0, count)
	if count*3 > n {
		perm := make([]int32, n)
		for i := range perm {
			perm[i] = int32(i)
		}
		for i := range count {
			j := i + rand.IntN(n-i)
			perm[i], perm[j] = perm[j], perm[i]
			out = append(out, at(int(perm[i])))
		}
		return out
	}
	seen := make(map[int]struct{}, count)
	for len(out) < count {
		i := rand.IntN(n)
		if _, dup := seen[i]; dup {
			continue
		}
		seen[i] = struct{}{}
		out = append(out, at(i))
	}
	return out
}

// Pop removes and returns min(count, Len) random members (SPOP). The caller
// owns the returned slices.
func (s *Set) Pop(count int) [][]byte {
	count = min(count, s.Len())
	if count <= 0 {
		return [][]byte{}
	}
	out := make([][]byte, 0, count)
	if s.d != nil {
		for range count {
			i := rand.IntN(len(s.d.ents))
			out = append(out, colBytes(s.d.ents[i])) // strings are immutable
			s.d.removeAt(i)
		}
		if len(s.d.ents) == 0 {
			*s = Set{}
		}
		return out
	}
	for range count {
		k := rand.IntN(s.cnt)
		off := 0
		for range k {
			_, off = colPackNext(s.lp, off)
		}
		v, end := colPackNext(s.lp, off)
		out = append(out, append([]byte{}, v...))
		s.lp = append(s.lp[:off], s.lp[end:]...)
		s.cnt--
	}
	return out
}

// Scan calls fn for members and returns the cursor to continue from; 0 means
// the scan is complete (SSCAN). Start with cursor 0. A packed set is
// returned whole in one call. A large set is walked by index from the end of
// the dense slice towards its start, count members per call: since removal
// only ever moves the last member into the freed slot, a member present for
// the whole scan is returned at least once (members may repeat). fn must not
// change the set; the slices alias the set.
func (s *Set) Scan(cursor uint64, count int, fn func(member []byte)) uint64 {
	if s.d == nil {
		for m := range s.All() {
			fn(m)
		}
		return 0
	}
	return colScan(len(s.d.ents), cursor, count, func(i int) { fn(colBytes(s.d.ents[i])) })
}

// colScan visits indexes below the cursor position (n for cursor 0),
// downwards, count at a time; the next cursor is the lowest index visited.
func colScan(n int, cursor uint64, count int, visit func(i int)) uint64 {
	pos := n
	if cursor != 0 && cursor < uint64(n) {
		pos = int(cursor)
	}
	count = max(count, 1)
	for ; pos > 0 && count > 0; count-- {
		pos--
		visit(pos)
	}
	return uint64(pos)
}

// MemoryUsage is the approximate footprint in bytes.
func (s *Set) MemoryUsage() int {
	m := 48 + colAlloc(cap(s.lp))
	if s.d != nil {
		m += s.d.memory()
	}
	return m
}

// Clone returns a deep copy.
func (s *Set) Clone() *Set {
	c := &Set{cnt: s.cnt}
	if s.lp != nil {
		c.lp = append([]byte(nil), s.lp...)
	}
	if s.d != nil {
		c.d = s.d.clone()
	}
	return c
}

// Compact drops spare capacity, for values that are done growing (after
// decoding, for instance).
func (s *Set) Compact() {
	if s.d == nil && cap(s.lp) > len(s.lp)+len(s.lp)/8 {
		s.lp = append([]byte(nil), s.lp...)
	}
}

// Encoding is what Redis 7.0's OBJECT ENCODING reports for this set:
// "intset" for at most 512 members that are all integers
// (set-max-intset-entries), else "hashtable". (Internally small sets are
// packed whatever their members.)
func (s *Set) Encoding() string {
	if s.Len() > 512 {
		return "hashtable"
	}
	for m := range s.All() {
		if !colIsInt64(m) {
			return "hashtable"
		}
	}
	return "intset"
}
