package shard

// ScanLocked calls fn for every unexpired entry in the bucket that cursor
// names and returns the cursor of the next bucket; 0 means the iteration has
// covered the whole table. fn must not change the shard.
//
// Cursors follow Redis's reverse-binary order, so a key present during the
// whole iteration is returned at least once even if the table is resized
// between calls (a key may be returned more than once).
func (s *Shard) ScanLocked(cursor uint64, fn func(r Ref)) uint64 {
	t := &s.mu.t
	now := s.clock()
	m := t.mask()
	for r := t.buckets[cursor&m]; r != 0; {
		e := t.slot(r)
		next := e.next
		if e.exp == 0 || now <= e.exp {
			fn(r)
		}
		r = next
	}
	return nextCursor(cursor, m)
}
