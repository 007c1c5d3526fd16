package structures

import (
	"bytes"
	"iter"
)

// List node limits: like Redis's list-max-listpack-size -2 (8 KiB per node),
// plus a cap on elements so that middle inserts stay cheap. An element larger
// than listNodeMaxBytes gets a node of its own. Variables only so that
// tests can exercise node boundaries with small limits.
var (
	listNodeMaxBytes = 8192
	listNodeMaxElems = 1024
)

// listNode is a chunk of consecutive elements, packed: element i (lo <= i <
// len(offs)-1) is buf[offs[i]:offs[i+1]]. Bytes before offs[lo] are free
// room for pushes at the left; len(buf) == offs[len(offs)-1] always.
type listNode struct {
	buf  []byte
	offs []uint32
	lo   int
}

const listNodeSize = 64 // unsafe.Sizeof(listNode{}) rounded to a size class

func (n *listNode) count() int { return len(n.offs) - 1 - n.lo }

func (n *listNode) size() int { return int(n.offs[len(n.offs)-1] - n.offs[n.lo]) }

func (n *listNode) at(i int) []byte {
	j := n.lo + i
	a, b := n.offs[j], n.offs[j+1]
	if n.buf == nil {
		return colEmpty // never nil: nil means "absent" to callers
	}
	return n.buf[a:b:b]
}

// fitsRight reports whether v can be appended to n without passing the node
// limits. Room freed at the left by pops still counts, so that a queue
// (push right, pop left) moves on to a new node instead of growing this one
// forever.
func (n *listNode) fitsRight(v []byte) bool {
	return n.count() == 0 || (len(n.offs)-1 < listNodeMaxElems && len(n.buf)+len(v) <= listNodeMaxBytes)
}

// fitsLeft reports whether v can be prepended to n without passing the node
// limits (pushLeft rebuilds the node when it runs out of room at the left).
func (n *listNode) fitsLeft(v []byte) bool {
	c := n.count()
	return c == 0 || (c < listNodeMaxElems && n.size()+len(v) <= listNodeMaxBytes)
}

func newListNode() *listNode {
	return &listNode{offs: []uint32{0}}
}

// newListNodeLike returns an empty node sized for pushes at the right end to
// fill it like prev (the full node it follows), or a small one if prev is nil.
func newListNodeLike(prev *listNode, v []byte) *listNode {
	if prev == nil {
		return newListNode()
	}
	bytesCap := max(min(prev.size(), listNodeMaxBytes), len(v))
	n := &listNode{buf: make([]byte, 0, bytesCap), offs: make([]uint32, 1, prev.count()+1)}
	return n
}

// newListNodeLeftLike is newListNodeLike for pushes at the left end: all the
// room is at the left.
func newListNodeLeftLike(prev *listNode, v []byte) *listNode {
	if prev == nil {
		return newListNode()
	}
	bytesCap := max(min(prev.size(), listNodeMaxBytes), len(v))
	c := prev.count()
	n := &listNode{buf: make([]byte, bytesCap), offs: make([]uint32, c+1), lo: c}
	n.offs[c] = uint32(bytesCap)
	return n
}

// reset empties n, keeping its memory for reuse.
func (n *listNode) reset() {
	n.lo = 0
	n.offs = n.offs[:1]
	n.offs[0] = 0
	n.buf = n.buf[:0]
}

// newListNodeOf packs elems into one node of exact size.
func newListNodeOf(elems [][]byte) *listNode {
	total := 0
	for _, e := range elems {
		total += len(e)
	}
	n := &listNode{buf: make([]byte, 0, total), offs: make([]uint32, 1, len(elems)+1)}
	for _, e := range elems {
		n.buf = append(n.buf, e...)
		n.offs = append(n.offs, uint32(len(n.buf)))
	}
	return n
}

func (n *listNode) elems() [][]byte {
	out := make([][]byte, n.count())
	for i := range out {
		out[i] = n.at(i)
	}
	return out
}

func (n *listNode) pushRight(v []byte) {
	n.buf = append(n.buf, v...)
	n.offs = append(n.offs, uint32(len(n.buf)))
}

func (n *listNode) pushLeft(v []byte) {
	if n.count() == 0 && n.lo == 0 && len(n.buf) == 0 && cap(n.offs) > 1 {
		// An empty (reset) node: use all of its room at the left.
		n.offs = n.offs[:cap(n.offs)]
		n.lo = len(n.offs) - 1
		n.buf = n.buf[:cap(n.buf)]
		n.offs[n.lo] = uint32(len(n.buf))
	}
	if n.lo == 0 || int(n.offs[n.lo]) < len(v) {
		n.regrowLeft(len(v))
	}
	n.lo--
	n.offs[n.lo] = n.offs[n.lo+1] - uint32(len(v))
	copy(n.buf[n.offs[n.lo]:], v)
}

// regrowLeft rebuilds n with free room at the left: at least need bytes and
// one slot, growing geometrically so that repeated pushes are amortised O(1).
func (n *listNode) regrowLeft(need int) {
	c, sz := n.count(), n.size()
	gapE := max(c, 4)
	gapB := max(need, min(sz, listNodeMaxBytes), 32)
	start := n.offs[n.lo]
	offs := make([]uint32, gapE+c+1)
	buf := make([]byte, gapB+sz)
	copy(buf[gapB:], n.buf[start:])
	for i := 0; i <= c; i++ {
		offs[gapE+i] = n.offs[n.lo+i] - start + uint32(gapB)
	}
	n.buf, n.offs, n.lo = buf, offs, gapE
}

// popLeft removes the first element and returns it (aliasing n.buf).
func (n *listNode) popLeft() []byte {
	v := n.at(0)
	n.lo++
	return v
}

// popRight removes the last element and returns it (aliasing n.buf, whose
// bytes a later pushRight overwrites).
func (n *listNode) popRight() []byte {
	v := n.at(n.count() - 1)
	n.offs = n.offs[:len(n.offs)-1]
	n.buf = n.buf[:n.offs[len(n.offs)-1]]
	return v
}

// dropLeft removes the first k elements (k < count).
func (n *listNode) dropLeft(k int) { n.lo += k }

// dropRight removes the last k elements (k < count).
func (n *listNode) dropRight(k int) {
	n.offs = n.offs[:len(n.offs)-k]
	n.buf = n.buf[:n.offs[len(n.offs)-1]]
}

// compact drops free room and slack when they are worth a copy.
func (n *listNode) compact() {
	sz := n.size()
	if n.lo != 0 {
		return // being drained from the left (a queue): not worth a copy
	}
	if cap(n.buf)-sz <= sz/8+8 && cap(n.offs)-len(n.offs) <= len(n.offs)/8+2 {
		return
	}
	*n = *n.clone()
}

func (n *listNode) clone() *listNode {
	c := n.count()
	start := n.offs[n.lo]
	m := &listNode{buf: make([]byte, n.size()), offs: make([]uint32, c+1)}
	copy(m.buf, n.buf[start:])
	for i := 0; i <= c; i++ {
		m.offs[i] = n.offs[n.lo+i] - start
	}
	return m
}

func (n *listNode) memory() int {
	return listNodeSize + colAlloc(cap(n.buf)) + colAlloc(4*cap(n.offs))
}

// List is Redis's list: a deque of packed nodes with O(1) push and pop at
// both ends. The zero List is empty and ready to use. Not safe for
// concurrent use.
type List struct {
	ring  []*listNode // nodes live in ring[h:t]
	h, t  int
	n     int
	spare *listNode // an emptied end node kept for reuse, or nil
}

// NewList returns an empty list.
func NewList() *List { return &List{} }

// Len is the number of elements.
func (l *List) Len() int { return l.n }

func (l *List) nodes() []*listNode { return l.ring[l.h:l.t] }

// recentre reallocates the node ring with room on both sides.
func (l *List) recentre() {
	c := l.t - l.h
	size := max(2*c+2, 4)
	ring := make([]*listNode, size)
	h := (size - c) / 2
	copy(ring[h:], l.ring[l.h:l.t])
	l.ring, l.h, l.t = ring, h, h+c
}

func (l *List) appendNode(n *listNode) {
	if l.t == len(l.ring) {
		l.recentre()
	}
	l.ring[l.t] = n
	l.t++
}

func (l *List) prependNode(n *listNode) {
	if l.h == 0 {
		l.recentre()
	}
	l.h--
	l.ring[l.h] = n
}

// keepSpare keeps an emptied node for the next new node, so that pushing
// and popping across a node boundary does not allocate each time.
func (l *List) keepSpare(n *listNode) {
	if l.spare == nil && n.count() == 0 {
		n.reset()
		l.spare = n
	}
}

// newNode returns an empty node for pushes at one end, after prev (the full
// node at that end, or nil).
func (l *List) newNode(prev *listNode, v []byte, left bool) *listNode {
	if n := l.spare; n != nil && cap(n.buf) >= len(v) {
		l.spare = nil
		return n
	}
	if left {
		return newListNodeLeftLike(prev, v)
	}
	return newListNodeLike(prev, v)
}

func (l *List) removeFirstNode() {
	if l.t-l.h == 1 {
		l.ring[l.h].reset() // keep the last node for reuse (queues, stacks)
		return
	}
	l.keepSpare(l.ring[l.h])
	l.ring[l.h] = nil
	l.h++
	l.maybeShrinkRing()
}

func (l *List) removeLastNode() {
	if l.t-l.h == 1 {
		l.ring[l.h].reset()
		return
	}
	l.keepSpare(l.ring[l.t-1])
	l.t--
	l.ring[l.t] = nil
	l.maybeShrinkRing()
}

func (l *List) maybeShrinkRing() {
	if l.h == l.t {
		l.ring, l.h, l.t = nil, 0, 0
		return
	}
	if len(l.ring) > 16 && (l.t-l.h)*4 < len(l.ring) {
		l.recentre()
	}
}

// PushRight appends values at the tail (RPUSH) and returns the new length.
func (l *List) PushRight(values ...[]byte) int {
	for _, v := range values {
		var tail *listNode
		if l.t > l.h {
			tail = l.ring[l.t-1]
		}
		if tail == nil || !tail.fitsRight(v) {
			if tail != nil {
				tail.compact()
			}
			tail = l.newNode(tail, v, false)
			l.appendNode(tail)
		}
		tail.pushRight(v)
		l.n++
	}
	return l.n
}

// PushLeft inserts values at the head one after the other (LPUSH: the last
// value ends up first) and returns the new length.
func (l *List) PushLeft(values ...[]byte) int {
	for _, v := range values {
		var head *listNode
		if l.t > l.h {
			head = l.ring[l.h]
		}
		if head == nil || !head.fitsLeft(v) {
			if head != nil {
				head.compact()
			}
			head = l.newNode(head, v, true)
			l.prependNode(head)
		}
		head.pushLeft(v)
		l.n++
	}
	return l.n
}

// ownCopies replaces the slices of vs (aliases of storage about to be
// reused) by copies in one allocation.
func ownCopies(vs [][]byte) [][]byte {
	total := 0
	for _, v := range vs {
		total += len(v)
	}
	buf := make([]byte, total)
	off := 0
	for i, v := range vs {
		copy(buf[off:], v)
		vs[i] = buf[off : off+len(v) : off+len(v)]
		off += len(v)
	}
	return vs
}

// PopLeft removes and returns up to count elements from the head (LPOP), in
// pop order. It returns nil if count <= 0 or the list is empty. The caller
// owns the returned slices.
func (l *List) PopLeft(count int) [][]byte {
	count = min(count, l.n)
	if count <= 0 {
		return nil
	}
	out := make([][]byte, 0, count)
	for range count {
		head := l.ring[l.h]
		out = append(out, head.popLeft())
		l.n--
		if head.count() == 0 {
			l.removeFirstNode()
		}
	}
	return ownCopies(out)
}

// PopRight removes and returns up to count elements from the tail (RPOP), in
// pop order (last element first). It returns nil if count <= 0 or the list
// is empty. The caller owns the returned slices.
func (l *List) PopRight(count int) [][]byte {
	count = min(count, l.n)
	if count <= 0 {
		return nil
	}
	out := make([][]byte, 0, count)
	for range count {
		tail := l.ring[l.t-1]
		out = append(out, tail.popRight())
		l.n--
		if tail.count() == 0 {
			l.removeLastNode()
		}
	}
	return ownCopies(out)
}

// locate finds the node holding element i (0 <= i < n) and i's position in
// it, walking from the nearer end.
func (l *List) locate(i int) (k, j int) {
	if i < l.n/2 {
		for k = l.h; ; k++ {
			c := l.ring[k].count()
			if i < c {
				return k, i
			}
			i -= c
		}
	}
	back := l.n - 1 - i // position counted from the tail
	for k = l.t - 1; ; k-- {
		c := l.ring[k].count()
		if back < c {
			return k, c - 1 - back
		}
		back -= c
	}
}

// Index returns element i (LINDEX); negative indexes count from the tail
// (-1 is the last). The slice aliases the list: read-only, valid until the
// next mutation.
func (l *List) Index(i int) ([]byte, bool) {
	if i < 0 {
		i += l.n
	}
	if i < 0 || i >= l.n {
		return nil, false
	}
	k, j := l.locate(i)
	return l.ring[k].at(j), true
}

// Set replaces element i (LSET); negative indexes count from the tail. It
// reports false, changing nothing, if i is out of range.
func (l *List) Set(i int, v []byte) bool {
	if i < 0 {
		i += l.n
	}
	if i < 0 || i >= l.n {
		return false
	}
	k, j := l.locate(i)
	node := l.ring[k]
	if old := node.at(j); len(old) == len(v) {
		copy(old[:len(v)], v)
		return true
	}
	elems := node.elems()
	elems[j] = v
	l.replaceNode(k, elems)
	return true
}

// replaceNode replaces node k by nodes packing elems (split at the node
// limits; none if elems is empty).
func (l *List) replaceNode(k int, elems [][]byte) {
	var repl []*listNode
	for start := 0; start < len(elems); {
		end, size := start, 0
		for end < len(elems) && (end == start || (end-start < listNodeMaxElems && size+len(elems[end]) <= listNodeMaxBytes)) {
			size += len(elems[end])
			end++
		}
		repl = append(repl, newListNodeOf(elems[start:end]))
		start = end
	}
	if len(repl) == 1 {
		l.ring[k] = repl[0]
		return
	}
	nodes := make([]*listNode, 0, l.t-l.h-1+len(repl))
	nodes = append(nodes, l.ring[l.h:k]...)
	nodes = append(nodes, repl...)
	nodes = append(nodes, l.ring[k+1:l.t]...)
	l.setNodes(nodes)
}

func (l *List) setNodes(nodes []*listNode) {
	if len(nodes) == 0 {
		l.ring, l.h, l.t = nil, 0, 0
		return
	}
	l.ring, l.h, l.t = nodes, 0, len(nodes)
}

// normRange applies LRANGE's rules to start and stop; ok is false when the
// range is empty.
func (l *List) normRange(start, stop int) (int, int, bool) {
	if start < 0 {
		start += l.n
	}
	if stop < 0 {
		stop += l.n
	}
	start = max(start, 0)
	if start > stop || start >= l.n {
		return 0, 0, false
	}
	stop = min(stop, l.n-1)
	return start, stop, true
}

// Range returns elements start..stop inclusive with LRANGE's rules: negative
// indexes count from the tail, out-of-range indexes are clamped, an empty
// range gives an empty (non-nil) result. The elements are copies, which
// stay as they are when the list changes: one allocation holds their bytes,
// copied a node's run at a time, and one their slices.
func (l *List) Range(start, stop int) [][]byte {
	start, stop, ok := l.normRange(start, stop)
	if !ok {
		return [][]byte{}
	}
	n := stop - start + 1
	k0, j0 := l.locate(start)
	total := 0
	for k, j, left := k0, j0, n; left > 0; k, j = k+1, 0 {
		node := l.ring[k]
		m := min(node.count()-j, left)
		total += int(node.offs[node.lo+j+m] - node.offs[node.lo+j])
		left -= m
	}
	buf := make([]byte, total) // never nil, even when empty
	out := make([][]byte, n)
	off := 0
	for k, j, i := k0, j0, 0; i < n; k, j = k+1, 0 {
		node := l.ring[k]
		m := min(node.count()-j, n-i)
		offs := node.offs[node.lo+j : node.lo+j+m+1]
		a, b := int(offs[0]), int(offs[m])
		copy(buf[off:], node.buf[a:b])
		base := off - a
		for x := range m {
			s, e := base+int(offs[x]), base+int(offs[x+1])
			out[i+x] = buf[s:e:e]
		}
		i += m
		off += b - a
	}
	return out
}

// Insert inserts value before or after the first element equal to pivot
// (LINSERT) and returns the new length, or -1 if pivot is not in the list.
func (l *List) Insert(before bool, pivot, value []byte) int {
	for k := l.h; k < l.t; k++ {
		node := l.ring[k]
		for j := 0; j < node.count(); j++ {
			if !bytes.Equal(node.at(j), pivot) {
				continue
			}
			if !before {
				j++
			}
			switch {
			case j == 0 && k == l.h:
				l.PushLeft(value)
				return l.n
			case j == node.count() && k == l.t-1:
				l.PushRight(value)
				return l.n
			}
			elems := node.elems()
			elems = append(elems[:j], append([][]byte{value}, elems[j:]...)...)
			l.replaceNode(k, elems)
			l.n++
			return l.n
		}
	}
	return -1
}

// Remove removes elements equal to value (LREM): the first count of them
// from the head if count > 0, the last -count from the tail if count < 0, all
// of them if count == 0. It returns the number removed.
func (l *List) Remove(count int, value []byte) int {
	limit := count
	if limit < 0 {
		limit = -limit
	}
	removed := 0
	changed := false
	process := func(k int) {
		node := l.ring[k]
		c := node.count()
		hits := 0
		for j := range c {
			if bytes.Equal(node.at(j), value) {
				hits++
			}
		}
		if hits == 0 {
			return
		}
		if limit > 0 {
			hits = min(hits, limit-removed)
		}
		drop := make([]bool, c)
		for j, left := 0, hits; j < c && left > 0; j++ {
			if count < 0 {
				j2 := c - 1 - j
				if bytes.Equal(node.at(j2), value) {
					drop[j2] = true
					left--
				}
				continue
			}
			if bytes.Equal(node.at(j), value) {
				drop[j] = true
				left--
			}
		}
		keep := make([][]byte, 0, c-hits)
		for j := range c {
			if !drop[j] {
				keep = append(keep, node.at(j))
			}
		}
		removed += hits
		changed = true
		if len(keep) == 0 {
			l.ring[k] = nil
		} else {
			l.ring[k] = newListNodeOf(keep)
		}
	}
	if count >= 0 {
		for k := l.h; k < l.t && (limit == 0 || removed < limit); k++ {
			process(k)
		}
	} else {
		for k := l.t - 1; k >= l.h && removed < limit; k-- {
			process(k)
		}
	}
	if changed {
		l.n -= removed
		l.mergeNodes()
	}
	return removed
}

// mergeNodes drops emptied (nil) nodes and merges neighbours that fit in one
// node together.
func (l *List) mergeNodes() {
	nodes := make([]*listNode, 0, l.t-l.h)
	for _, node := range l.ring[l.h:l.t] {
		if node == nil {
			continue
		}
		if m := len(nodes); m > 0 {
			prev := nodes[m-1]
			if prev.count()+node.count() <= listNodeMaxElems && prev.size()+node.size() <= listNodeMaxBytes/2 {
				nodes[m-1] = newListNodeOf(append(prev.elems(), node.elems()...))
				continue
			}
		}
		nodes = append(nodes, node)
	}
	l.setNodes(nodes)
}

// Trim keeps only elements start..stop (LTRIM, with LRANGE's index rules);
// an empty range empties the list.
func (l *List) Trim(start, stop int) {
	start, stop, ok := l.normRange(start, stop)
	if !ok {
		l.Clear()
		return
	}
	l.dropLeft(start)
	l.dropRight(l.n - 1 - (stop - start))
}

func (l *List) dropLeft(k int) {
	for k > 0 {
		head := l.ring[l.h]
		c := head.count()
		if c <= k {
			l.removeFirstNode()
			k -= c
			l.n -= c
			continue
		}
		head.dropLeft(k)
		l.n -= k
		return
	}
}

func (l *List) dropRight(k int) {
	for k > 0 {
		tail := l.ring[l.t-1]
		c := tail.count()
		if c <= k {
			l.removeLastNode()
			k -= c
			l.n -= c
			continue
		}
		tail.dropRight(k)
		l.n -= k
		return
	}
}

// Clear removes every element.
func (l *List) Clear() { *l = List{} }

// Pos returns the indexes (counted from the head) of elements equal to value
// (LPOS). rank > 0 starts at the rank-th match from the head, rank < 0 at the
// -rank-th match from the tail, scanning towards the head; rank 0 is the
// caller's error and returns nil. count is the number of matches wanted (0:
// all); maxlen > 0 limits the number of elements compared.
func (l *List) Pos(value []byte, rank, count, maxlen int) []int {
	if rank == 0 || count < 0 || maxlen < 0 {
		return nil
	}
	var out []int
	skip := rank - 1
	step := 1
	seq := l.All()
	if rank < 0 {
		skip = -rank - 1
		step = -1
		seq = l.Backward()
	}
	i, compared := 0, 0
	if step < 0 {
		i = l.n - 1
	}
	for v := range seq {
		if maxlen > 0 && compared >= maxlen {
			break
		}
		compared++
		if bytes.Equal(v, value) {
			if skip > 0 {
				skip--
			} else {
				out = append(out, i)
				if count > 0 && len(out) == count {
					break
				}
			}
		}
		i += step
	}
	return out
}

// All iterates over the elements from head to tail. The list must not be
// changed during the iteration; the slices alias the list.
func (l *List) All() iter.Seq[[]byte] {
	return func(yield func([]byte) bool) {
		for k := l.h; k < l.t; k++ {
			node := l.ring[k]
			for j := range node.count() {
				if !yield(node.at(j)) {
					return
				}
			}
		}
	}
}

// Backward iterates over the elements from tail to head.
func (l *List) Backward() iter.Seq[[]byte] {
	return func(yield func([]byte) bool) {
		for k := l.t - 1; k >= l.h; k-- {
			node := l.ring[k]
			for j := node.count() - 1; j >= 0; j-- {
				if !yield(node.at(j)) {
					return
				}
			}
		}
	}
}

// MemoryUsage is the approximate footprint in bytes.
func (l *List) MemoryUsage() int {
	m := 64 + colAlloc(8*len(l.ring))
	if l.spare != nil {
		m += l.spare.memory()
	}
	for _, node := range l.ring[l.h:l.t] {
		m += node.memory()
	}
	return m
}

// Clone returns a deep copy, with nodes packed to exact size.
func (l *List) Clone() *List {
	c := &List{n: l.n}
	nodes := make([]*listNode, l.t-l.h)
	for i, node := range l.ring[l.h:l.t] {
		nodes[i] = node.clone()
	}
	c.setNodes(nodes)
	return c
}

// Encoding is what Redis 7.0's OBJECT ENCODING reports for a list.
func (l *List) Encoding() string { return "quicklist" }
