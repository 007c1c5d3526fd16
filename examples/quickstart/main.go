package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/jackdawdb/jackdaw/engine"
)

func main() {
	db, err := engine.Open(engine.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()

	step := func(what string, v any) { fmt.Printf("%-44s -> %v\n", what, v) }

	// Strings: values are binary-safe byte slices.
	must(db.Set("greeting", []byte("hello")))
	v, ok, _ := db.Get("greeting")
	step(`SET greeting hello; GET greeting`, fmt.Sprintf("%q (found=%v)", v, ok))
	n, _ := db.Append("greeting", []byte(", jackdaw"))
	step(`APPEND greeting ", jackdaw"`, n)

	// Counters are kept as integers, as Redis does.
	for i := 0; i < 3; i++ {
		_, err := db.Incr("visits")
		must(err)
	}
	c, _ := db.IncrBy("visits", 10)
	step("INCR visits x3; INCRBY visits 10", c)

	// Errors are Redis's, usable with errors.Is.
	_, err = db.Incr("greeting")
	step("INCR greeting", err)

	// TTLs: a session that expires.
	_, err = db.SetArgs("session:42", []byte("alice"), engine.SetArgs{TTL: 50 * time.Millisecond})
	must(err)
	step("SET session:42 alice PX 50; PTTL", db.PTTL("session:42") > 0)
	time.Sleep(60 * time.Millisecond)
	_, ok, _ = db.Get("session:42")
	step("60ms later: GET session:42 found", ok)

	// Hash tags: keys sharing {user:7} live in one shard, so multi-key
	// operations on them take one lock.
	must(db.MSet(
		engine.KV{Key: "{user:7}:name", Value: []byte("Ada")},
		engine.KV{Key: "{user:7}:email", Value: []byte("ada@example.com")},
	))
	vals := db.MGet("{user:7}:name", "{user:7}:email", "{user:7}:missing")
	step("MGET {user:7}:name {user:7}:email ...", fmt.Sprintf("%q", vals))

	// Hashes, lists (a work queue), sets and sorted sets (a leaderboard).
	_, err = db.HSet("user:7", engine.FieldValue{Field: "name", Value: []byte("Ada")},
		engine.FieldValue{Field: "lang", Value: []byte("Go")})
	must(err)
	user, _ := db.HGetAll("user:7")
	step("HSET user:7 name Ada lang Go; HGETALL: fields", len(user))
	_, err = db.RPush("jobs", []byte("resize:1"), []byte("resize:2"))
	must(err)
	job, _, _ := db.LMove("jobs", "jobs:processing", engine.Left, engine.Right)
	step("RPUSH jobs ...; LMOVE jobs jobs:processing", string(job))
	_, err = db.SAdd("tags", []byte("go"), []byte("cache"), []byte("go"))
	must(err)
	n, _ = db.SCard("tags")
	step("SADD tags go cache go; SCARD tags", n)
	_, err = db.ZAdd("board", engine.ZAddArgs{},
		engine.ZMember{Member: "ada", Score: 42}, engine.ZMember{Member: "bob", Score: 17})
	must(err)
	top, _ := db.ZRevRange("board", 0, 0)
	step("ZADD board 42 ada 17 bob; ZREVRANGE 0 0", top[0].Member)

	// The same engine through Redis commands, as a RESP server uses it.
	r := db.DoStrings(context.Background(), "SET", "cmd", "42", "EX", "100")
	step("Do SET cmd 42 EX 100", r)
	r = db.DoStrings(context.Background(), "INCRBYFLOAT", "cmd", "0.5")
	step("Do INCRBYFLOAT cmd 0.5", r)
	r = db.DoStrings(context.Background(), "TTL", "cmd")
	step("Do TTL cmd", r)
	r = db.DoStrings(context.Background(), "GET")
	step("Do GET (no key)", r)

	// A transaction: all or nothing over declared keys. The transfer that
	// would overdraw rolls back its DECRBY; nobody ever sees half of one.
	ctx := context.Background()
	must(db.MSet(engine.KV{Key: "{acct}:a", Value: []byte("15")}, engine.KV{Key: "{acct}:b", Value: []byte("0")}))
	transfer := func(amount int64) error {
		return db.Update(ctx, []string{"{acct}:a", "{acct}:b"}, func(tx *engine.DB) error {
			left, err := tx.DecrBy("{acct}:a", amount)
			if err != nil {
				return err
			}
			if left < 0 {
				return errors.New("insufficient funds")
			}
			_, err = tx.IncrBy("{acct}:b", amount)
			return err
		})
	}
	step("Update: transfer 10 a->b", transfer(10))
	step("Update: transfer 10 a->b again", transfer(10))
	step("MGET {acct}:a {acct}:b", fmt.Sprintf("%q", db.MGet("{acct}:a", "{acct}:b")))

	// A blocking pop: the worker waits until a producer pushes.
	got := make(chan string)
	go func() {
		_, v, err := db.BLPop(ctx, "inbox")
		must(err)
		got <- string(v)
	}()
	time.Sleep(10 * time.Millisecond) // let it block (it would also work if it had not yet)
	_, err = db.RPush("inbox", []byte("hello, worker"))
	must(err)
	step("BLPOP inbox (blocked), then RPUSH inbox", <-got)

	// Keyspace notifications, published on the DB's pub/sub hub.
	sub := db.PubSub().NewSubscription(0)
	defer sub.Close()
	sub.PSubscribe("__keyevent@0__:*")
	must(db.SetNotifyKeyspaceEvents("KEA"))
	_, err = db.HSet("user:8", engine.FieldValue{Field: "name", Value: []byte("Grace")})
	must(err)
	msg := <-sub.C()
	step("notify-keyspace-events KEA; HSET user:8 ...", msg.Channel+" "+string(msg.Payload))

	keys, _, _ := db.Scan(0, engine.ScanArgs{Match: "{user:7}:*", Count: 1000})
	step("SCAN 0 MATCH {user:7}:* (first page)", len(keys))
	st := db.Stats()
	step("Stats: keys, approx bytes", fmt.Sprintf("%d keys, %d bytes", st.Total.TotalKeys(), st.Total.TotalMemory()))
}

func must(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
