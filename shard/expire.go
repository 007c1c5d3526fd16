package shard

// ExpireCycleLocked is one step of active expiry: it examines up to max keys
// of the TTL list, resuming where the previous step stopped, deletes those
// whose expiry has passed, and drops list entries that no longer
// have a TTL. It returns how many keys it examined and how many it deleted,
// so that the caller can adapt its effort as Redis does (repeat while more
// than a tenth of the sample had expired).
func (s *Shard) ExpireCycleLocked(max int) (checked, expired int) {
	t := &s.mu.t
	now := s.clock()
	for checked < max && len(s.mu.ttl) > 0 {
		if s.mu.ttlCursor >= len(s.mu.ttl) {
			s.mu.ttlCursor = 0
		}
		i := s.mu.ttlCursor
		r := s.mu.ttl[i]
		e := t.slot(r)
		checked++
		switch {
		case e.typ() == TypeNone || e.exp == 0:
			// Deleted or persisted since it was listed.
		case now > e.exp:
			s.expireLocked(r, Hash(e.key()))
			expired++
		default:
			s.mu.ttlCursor++
			continue
		}
		e.hdr &^= hdrTTLListed
		last := len(s.mu.ttl) - 1
		s.mu.ttl[i] = s.mu.ttl[last]
		s.mu.ttl = s.mu.ttl[:last]
	}
	return checked, expired
}

// TTLListLenLocked is the length of the list the expiry cycle walks (keys
// with a TTL, plus stale entries not yet dropped).
func (s *Shard) TTLListLenLocked() int { return len(s.mu.ttl) }
