package engine

import (
	"math/rand/v2"
	"strings"

	"github.com/jackdawdb/jackdaw/engine/internal/glob"
	"github.com/jackdawdb/jackdaw/shard"
)

// Keys returns every key matching pattern (Redis glob rules). Each shard is
// read at one instant; the shards one after another.
func (db *DB) Keys(pattern string) []string {
	var out []string
	if glob.IsLiteral(pattern) {
		if db.Exists(pattern) == 1 {
			out = append(out, pattern)
		}
		return out
	}
	all := pattern == "*"
	for i, s := range db.shards {
		db.lockShard(i)
		cursor := uint64(0)
		for {
			cursor = s.ScanLocked(cursor, func(r shard.Ref) {
				if k := s.KeyLocked(r); all || glob.Match(pattern, k, false) {
					out = append(out, k)
				}
			})
			if cursor == 0 {
				break
			}
		}
		db.unlockShard(i)
	}
	return out
}

// ScanArgs are SCAN's options.
type ScanArgs struct {
	Match string // glob pattern; "" matches every key
	Count int    // work hint: about how many keys per call; default 10
	Type  string // only keys of this type (TYPE's names, any case)
}

// Scan returns some keys and the cursor to continue from; a returned cursor
// of 0 ends the iteration. Every key present from the first call to the last
// is returned at least once; a key may be returned more than once.
func (db *DB) Scan(cursor uint64, a ScanArgs) ([]string, uint64, error) {
	count := a.Count
	if count == 0 {
		count = 10
	}
	if count < 0 {
		return nil, 0, ErrSyntax
	}
	bitsN := uint(64 - db.shift)
	if db.shift == 64 {
		bitsN = 0
	}
	si := int(cursor & uint64(len(db.shards)-1))
	bc := cursor >> bitsN
	var out []string
	visited := 0
	for visited < count*10 && len(out) < count {
		s := db.shards[si]
		db.lockShard(si)
		for visited < count*10 && len(out) < count {
			bc = s.ScanLocked(bc, func(r shard.Ref) {
				if a.Type != "" && !strings.EqualFold(s.TypeLocked(r).String(), a.Type) {
					return
				}
				if k := s.KeyLocked(r); a.Match == "" || glob.Match(a.Match, k, false) {
					out = append(out, k)
				}
			})
			visited++
			if bc == 0 {
				break
			}
		}
		db.unlockShard(si)
		if bc == 0 {
			si++
			if si == len(db.shards) {
				return out, 0, nil
			}
		}
	}
	return out, bc<<bitsN | uint64(si), nil
}

// RandomKey returns a random key, or ok false if the DB is empty.
func (db *DB) RandomKey() (key string, ok bool) {
	n := len(db.shards)
	start := rand.IntN(n)
	for i := 0; i < n; i++ {
		si := (start + i) % n
		s := db.shards[si]
		db.lockShard(si)
		if r := s.RandomLocked(); r != 0 {
			key, ok = s.KeyLocked(r), true
		}
		db.unlockShard(si)
		if ok {
			return key, true
		}
	}
	return "", false
}
