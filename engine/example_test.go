package engine_test

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/jackdawdb/jackdaw/engine"
)

func ExampleOpen() {
	db, err := engine.Open(engine.Options{})
	if err != nil {
		panic(err)
	}
	defer db.Close()

	_ = db.Set("greeting", []byte("hello"))
	fmt.Println(db.DBSize())

	_, err = engine.Open(engine.Options{Shards: 3})
	fmt.Println(err != nil)
	// Output:
	// 1
	// true
}

func ExampleDB_Get() {
	db, _ := engine.Open(engine.Options{ExpireInterval: -1})
	defer db.Close()

	_ = db.Set("user:1:name", []byte("Ada"))
	v, ok, err := db.Get("user:1:name")
	fmt.Println(string(v), ok, err)

	_, ok, _ = db.Get("user:2:name")
	fmt.Println(ok)
	// Output:
	// Ada true <nil>
	// false
}

func ExampleDB_Incr() {
	db, _ := engine.Open(engine.Options{ExpireInterval: -1})
	defer db.Close()

	for i := 0; i < 3; i++ {
		n, _ := db.Incr("visits")
		fmt.Println(n)
	}
	n, _ := db.IncrBy("visits", 10)
	fmt.Println(n)

	_ = db.Set("name", []byte("Ada"))
	_, err := db.Incr("name")
	fmt.Println(err)
	// Output:
	// 1
	// 2
	// 3
	// 13
	// ERR value is not an integer or out of range
}

// exampleClock is a clock the example moves by hand.
type exampleClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *exampleClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *exampleClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func ExampleDB_Expire() {
	clk := &exampleClock{now: time.Unix(1_700_000_000, 0)}
	db, _ := engine.Open(engine.Options{Clock: clk.Now, ExpireInterval: -1})
	defer db.Close()

	_ = db.Set("session", []byte("token"))
	ok, _ := db.Expire("session", 30*time.Second, 0)
	fmt.Println(ok, db.TTL("session"))

	clk.Advance(20 * time.Second)
	fmt.Println(db.TTL("session"))

	clk.Advance(11 * time.Second)
	_, found, _ := db.Get("session")
	fmt.Println(found, db.TTL("session"))
	// Output:
	// true 30
	// 10
	// false -2
}

func ExampleDB_Do() {
	db, _ := engine.Open(engine.Options{ExpireInterval: -1})
	defer db.Close()
	ctx := context.Background()

	fmt.Println(db.DoStrings(ctx, "SET", "k", "v", "EX", "60"))
	fmt.Println(db.DoStrings(ctx, "GET", "k"))
	fmt.Println(db.DoStrings(ctx, "TTL", "k").Int > 0)
	fmt.Println(db.DoStrings(ctx, "INCR", "k"))
	fmt.Println(db.DoStrings(ctx, "MGET", "k", "missing"))
	// Output:
	// OK
	// "v"
	// true
	// (error) ERR value is not an integer or out of range
	// 1) "v"
	// 2) (nil)
}
