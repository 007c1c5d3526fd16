package engine

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/jackdawdb/jackdaw/shard"
)

// Keyspace notifications, as Redis's notify-keyspace-events: a write
// publishes its event on the DB's hub, on __keyspace@<Index>__:<key> (the
// message is the event's name) and on __keyevent@<Index>__:<event> (the
// message is the key), for the classes of events turned on.
//
// The write cores (the ...Locked functions, which the typed API, Do and
// transactions share) call db.notify after each change, with Redis 7.0's
// event names and classes, only when something changed. With
// notifications off, that costs one atomic load and allocates nothing;
// with them on but no subscription anywhere on the hub, one more.
// Messages are published while the shard lock is held (Publish never
// blocks and takes only the hub's lock), except in Update, whose
// notifications are published after it commits and dropped if it rolls
// back. Exec publishes at once, as Redis's EXEC does.
//
// Not fired: "keymiss" (class m; reads do not notify), stream (t) and
// module (d) events, which have no source in jackdaw; the flags are
// accepted. "evicted" (class e) has its hook in onShardDelete, for when
// the shard evicts.

// notifyClass is a set of Redis's notification flags (server.h's NOTIFY_*).
type notifyClass uint32

const (
	notifyKeyspace notifyClass = 1 << iota // K
	notifyKeyevent                         // E
	notifyGeneric                          // g
	notifyString                           // $
	notifyList                             // l
	notifySet                              // s
	notifyHash                             // h
	notifyZSet                             // z
	notifyExpired                          // x
	notifyEvicted                          // e
	notifyStream                           // t
	notifyKeyMiss                          // m
	notifyLoaded                           // module-only in Redis: no letter
	notifyModule                           // d
	notifyNew                              // n

	// notifyAll is A: every class but m and n, as in Redis.
	notifyAll = notifyGeneric | notifyString | notifyList | notifySet | notifyHash | notifyZSet |
		notifyExpired | notifyEvicted | notifyStream | notifyModule
)

// ErrNotifyKeyspaceEvents is the error for flags with a letter Redis does
// not know; its text is CONFIG SET's.
var ErrNotifyKeyspaceEvents = errors.New("ERR CONFIG SET failed (possibly related to argument " +
	"'notify-keyspace-events') - Invalid event class character. Use 'Ag$lshzxeKEtmdn'.")

// parseNotifyFlags is Redis's keyspaceEventsStringToFlags.
func parseNotifyFlags(s string) (notifyClass, bool) {
	var f notifyClass
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case 'A':
			f |= notifyAll
		case 'g':
			f |= notifyGeneric
		case '$':
			f |= notifyString
		case 'l':
			f |= notifyList
		case 's':
			f |= notifySet
		case 'h':
			f |= notifyHash
		case 'z':
			f |= notifyZSet
		case 'x':
			f |= notifyExpired
		case 'e':
			f |= notifyEvicted
		case 'K':
			f |= notifyKeyspace
		case 'E':
			f |= notifyKeyevent
		case 't':
			f |= notifyStream
		case 'm':
			f |= notifyKeyMiss
		case 'd':
			f |= notifyModule
		case 'n':
			f |= notifyNew
		default:
			return 0, false
		}
	}
	return f, true
}

// String is Redis's keyspaceEventsFlagsToString: CONFIG GET's form.
func (f notifyClass) String() string {
	var b []byte
	if f&notifyAll == notifyAll {
		b = append(b, 'A')
	} else {
		for _, c := range []struct {
			f notifyClass
			c byte
		}{
			{notifyGeneric, 'g'}, {notifyString, '$'}, {notifyList, 'l'}, {notifySet, 's'},
			{notifyHash, 'h'}, {notifyZSet, 'z'}, {notifyExpired, 'x'}, {notifyEvicted, 'e'},
			{notifyStream, 't'}, {notifyModule, 'd'}, {notifyNew, 'n'},
		} {
			if f&c.f != 0 {
				b = append(b, c.c)
			}
		}
	}
	if f&notifyKeyspace != 0 {
		b = append(b, 'K')
	}
	if f&notifyKeyevent != 0 {
		b = append(b, 'E')
	}
	if f&notifyKeyMiss != 0 {
		b = append(b, 'm')
	}
	return string(b)
}

// notifier is a DB's notification state.
type notifier struct {
	// flags holds the classes on; 0 when nothing can be published (no
	// class, or neither K nor E), so that a write checks one load.
	flags atomic.Uint32
	set   atomic.Uint32 // the flags as set, for NotifyKeyspaceEvents
	ps    *PubSub
	names atomic.Pointer[notifyChannels] // changes with SetIndex (SWAPDB)
}

// notifyChannels are the channel prefixes of a DB's index.
type notifyChannels struct {
	space string // "__keyspace@<Index>__:"
	event string // "__keyevent@<Index>__:"
}

func (n *notifier) init(ps *PubSub, index int, f notifyClass) {
	n.ps = ps
	n.setIndex(index)
	n.store(f)
}

func (n *notifier) setIndex(index int) {
	idx := strconv.Itoa(index)
	n.names.Store(&notifyChannels{space: "__keyspace@" + idx + "__:", event: "__keyevent@" + idx + "__:"})
}

// SetIndex changes the DB's number in keyspace notification channels
// (Options.Index), for a server whose SWAPDB exchanges two DBs' numbers.
func (db *DB) SetIndex(index int) error {
	if index < 0 {
		return fmt.Errorf("jackdaw: Index = %d: must be >= 0", index)
	}
	db.ntf.setIndex(index)
	return nil
}

func (n *notifier) store(f notifyClass) {
	n.set.Store(uint32(f))
	if f&(notifyKeyspace|notifyKeyevent) == 0 || f&^(notifyKeyspace|notifyKeyevent) == 0 {
		f = 0 // Redis publishes nothing then either
	}
	n.flags.Store(uint32(f))
}

// PubSub returns the DB's pub/sub hub (Options.PubSub, or the one Open
// made).
func (db *DB) PubSub() *PubSub { return db.ntf.ps }

// SetNotifyKeyspaceEvents sets the classes of keyspace notifications, in
// Redis's notify-keyspace-events letters (CONFIG SET): "" turns them off.
// Flags with an unknown letter are refused with ErrNotifyKeyspaceEvents
// and change nothing. It applies to this DB only: a server whose DBs share
// a hub sets each of them.
func (db *DB) SetNotifyKeyspaceEvents(flags string) error {
	f, ok := parseNotifyFlags(flags)
	if !ok {
		return ErrNotifyKeyspaceEvents
	}
	db.ntf.store(f)
	return nil
}

// CanonicalNotifyKeyspaceEvents checks flags as CONFIG SET
// notify-keyspace-events does (ErrNotifyKeyspaceEvents for an unknown
// letter) and returns them in CONFIG GET's form, as NotifyKeyspaceEvents
// would after SetNotifyKeyspaceEvents(flags).
func CanonicalNotifyKeyspaceEvents(flags string) (string, error) {
	f, ok := parseNotifyFlags(flags)
	if !ok {
		return "", ErrNotifyKeyspaceEvents
	}
	return f.String(), nil
}

// NotifyKeyspaceEvents returns the classes on, in CONFIG GET's form
// (Redis's order: "KEA" reads back as "AKE").
func (db *DB) NotifyKeyspaceEvents() string { return notifyClass(db.ntf.set.Load()).String() }

// notify publishes event on key if class is on. Inlined: with
// notifications off it is one atomic load.
// REQUIRES: key's shard is locked (or the call is from a shard hook).
func (db *DB) notify(class notifyClass, event, key string) {
	if f := db.ntf.flags.Load(); f&uint32(class) != 0 {
		db.notifySlow(notifyClass(f), event, key)
	}
}

func (db *DB) notifySlow(f notifyClass, event, key string) {
	n := &db.ntf
	if db.tx != nil && db.tx.declared != nil {
		key = strings.Clone(key) // key may alias bytes the caller reuses
		db.tx.after = append(db.tx.after, func() { n.publish(f, event, key) })
		return
	}
	n.publish(f, event, key)
}

// publish sends one event's messages.
func (n *notifier) publish(f notifyClass, event, key string) {
	if n.ps.active.Load() == 0 {
		return // no subscription to anything: nobody to build messages for
	}
	if f&notifyKeyspace != 0 {
		n.ps.Publish(n.names.Load().space+key, bytesOf(event)) // Publish copies what it keeps
	}
	if f&notifyKeyevent != 0 {
		n.ps.Publish(n.names.Load().event+event, bytesOf(key))
	}
}

// onShardDelete is every shard's OnDelete hook: the shard deletes a key by
// itself (lazily on access or in the expiry cycle). REQUIRES: the shard's
// lock is held.
func (db *DB) onShardDelete(key string, why shard.DeleteReason) {
	switch why {
	case shard.DeletedExpired:
		db.notify(notifyExpired, "expired", key)
		// Eviction is not implemented yet. When the shard evicts, it
		// should call OnDelete with a DeletedEvicted reason, and this
		// hook fire: db.notify(notifyEvicted, "evicted", key).
	}
}

// Helpers for the write cores.

// commitNotifyLocked fires a change to k's aggregate obj (class,
// event), then "del" if obj is now empty, and commits it
// (commitObjectLocked), as Redis fires an event and then "del" for an
// aggregate a command emptied. REQUIRES: k.sh is locked, r is k's entry.
func (db *DB) commitNotifyLocked(k dbKey, r shard.Ref, obj aggregate, class notifyClass, event string) {
	db.notify(class, event, k.name)
	if obj.Len() == 0 {
		db.notify(notifyGeneric, "del", k.name)
	}
	commitObjectLocked(k, r, obj)
}

// writeNotifyLocked is writeObjectLocked firing "new" if it created k.
func writeNotifyLocked[T aggregate](db *DB, k dbKey, t Type, create func() T) (shard.Ref, T, error) {
	created := false
	r, obj, err := writeObjectLocked(k, t, func() T {
		created = true
		return create()
	})
	if created {
		db.notify(notifyNew, "new", k.name)
	}
	return r, obj, err
}

// storeNotifyLocked is storeObjectLocked for a ...STORE command: "new"
// and the command's event if it stored, "del" if it deleted k instead
// (an empty result), nothing if k stays absent.
func (db *DB) storeNotifyLocked(k dbKey, t Type, obj aggregate, class notifyClass, event string) int {
	existed := k.find() != 0
	n := storeObjectLocked(k, t, obj)
	switch {
	case n > 0:
		if !existed {
			db.notify(notifyNew, "new", k.name)
		}
		db.notify(class, event, k.name)
	case existed:
		db.notify(notifyGeneric, "del", k.name)
	}
	return n
}

// notifyNewIf fires "new" for k if it did not exist (r == 0).
func (db *DB) notifyNewIf(r shard.Ref, k dbKey) {
	if r == 0 {
		db.notify(notifyNew, "new", k.name)
	}
}
