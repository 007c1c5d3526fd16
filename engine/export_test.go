package engine

import "github.com/jackdawdb/jackdaw/shard"

// fakeObject is a stand-in aggregate, so that tests can make keys of the
// non-string types before their commands exist.
type fakeObject struct{ items map[string]string }

func (o *fakeObject) MemoryUsage() int { return 64 + 32*len(o.items) }

func (o *fakeObject) Len() int { return len(o.items) }

func (o *fakeObject) Clone() shard.Object {
	c := &fakeObject{items: make(map[string]string, len(o.items))}
	for k, v := range o.items {
		c.items[k] = v
	}
	return c
}

// SetObjectForTest stores an aggregate of type t with n items under key,
// replacing any value and removing the TTL.
func SetObjectForTest(db *DB, key string, t Type, n int) {
	k := db.key(key)
	k.sh.Lock()
	defer k.sh.Unlock()
	obj := &fakeObject{items: map[string]string{}}
	for i := 0; i < n; i++ {
		obj.items[string(rune('a'+i))] = "v"
	}
	r := k.sh.SetObjectLocked(k.name, k.h, k.find(), t, obj)
	k.sh.SetExpireAtLocked(r, 0)
}

// ObjectItemsForTest returns the item count of key's fake aggregate, or -1.
func ObjectItemsForTest(db *DB, key string) int {
	k := db.key(key)
	k.sh.Lock()
	defer k.sh.Unlock()
	r := k.find()
	if r == 0 {
		return -1
	}
	o, ok := k.sh.ObjectLocked(r).(*fakeObject)
	if !ok {
		return -1
	}
	return len(o.items)
}

// AddObjectItemForTest adds an item to key's fake aggregate.
func AddObjectItemForTest(db *DB, key, item string) {
	k := db.key(key)
	k.sh.Lock()
	defer k.sh.Unlock()
	r := k.find()
	k.sh.ObjectLocked(r).(*fakeObject).items[item] = "v"
	k.sh.UpdateObjectMemoryLocked(r, k.h)
}

// MaxKeyLen is the longest key a DB accepts.
const MaxKeyLen = shard.MaxKeyLen
