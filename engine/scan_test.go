package engine_test

import (
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/jackdawdb/jackdaw/engine"
)

// scanDo runs a full SCAN iteration through Do with extra options.
func scanDo(t *testing.T, db *engine.DB, opts ...string) []string {
	t.Helper()
	var out []string
	cursor := "0"
	for calls := 0; ; calls++ {
		require.Less(t, calls, 1_000_000)
		r := do(db, append([]string{"SCAN", cursor}, opts...)...)
		require.Equal(t, engine.ReplyArray, r.Kind, "reply: %s", r)
		require.Len(t, r.Array, 2)
		require.Equal(t, engine.ReplyBulk, r.Array[0].Kind)
		cursor = string(r.Array[0].Bulk)
		out = append(out, bulks(t, r.Array[1])...)
		if cursor == "0" {
			return out
		}
	}
}

func TestScanBasic(t *testing.T) {
	db, _ := openDB(t)
	require.Empty(t, scanDo(t, db))
	want := map[string]bool{}
	for i := 0; i < 1000; i++ {
		k := fmt.Sprintf("key:%d", i)
		want[k] = true
		require.NoError(t, db.Set(k, []byte("v")))
	}
	for i := 0; i < 100; i++ {
		k := fmt.Sprintf("{tag}:%d", i)
		want[k] = true
		require.NoError(t, db.Set(k, []byte("v")))
	}
	require.Equal(t, want, uniq(scanDo(t, db)))
	require.Equal(t, want, uniq(scanAll(t, db, engine.ScanArgs{})))
	require.Equal(t, want, uniq(scanDo(t, db, "COUNT", "1")))
	require.Equal(t, want, uniq(scanDo(t, db, "COUNT", "100000")))
	require.Equal(t, want, uniq(scanDo(t, db, "count", "7", "TYPE", "string")))
	require.Empty(t, scanDo(t, db, "TYPE", "hash"))
	require.Empty(t, scanDo(t, db, "TYPE", "nosuchtype"))
	require.Equal(t, want, uniq(scanDo(t, db, "type", "STRING")))

	tagged := uniq(scanDo(t, db, "MATCH", "{tag}:*", "COUNT", "50"))
	require.Len(t, tagged, 100)
	m := uniq(scanDo(t, db, "MATCH", "key:1?"))
	require.Len(t, m, 10)
	require.True(t, m["key:10"])
	require.Len(t, uniq(scanAll(t, db, engine.ScanArgs{Match: "key:[0-4]*", Count: 3})), 445)
	require.Len(t, uniq(scanDo(t, db, "MATCH", "key:*", "MATCH", "{tag}*")), 100) // last wins

	// A big COUNT returns everything in one call.
	r := do(db, "SCAN", "0", "COUNT", "1000000")
	requireBulk(t, r.Array[0], "0")
	require.Len(t, r.Array[1].Array, 1100)
}

func TestScanErrors(t *testing.T) {
	db, _ := openDB(t)
	requireErr(t, do(db, "SCAN", "abc"), "ERR invalid cursor")
	requireErr(t, do(db, "SCAN", "+"), "ERR invalid cursor")
	requireErr(t, do(db, "SCAN", " 1"), "ERR invalid cursor")
	requireErr(t, do(db, "SCAN", "1a"), "ERR invalid cursor")
	requireErr(t, do(db, "SCAN", "18446744073709551616"), "ERR invalid cursor")
	requireErr(t, do(db, "SCAN", "0", "COUNT", "0"), errSyntax)
	requireErr(t, do(db, "SCAN", "0", "COUNT", "-1"), errSyntax)
	requireErr(t, do(db, "SCAN", "0", "COUNT", "x"), errNotInt)
	requireErr(t, do(db, "SCAN", "0", "COUNT"), errSyntax)
	requireErr(t, do(db, "SCAN", "0", "MATCH"), errSyntax)
	requireErr(t, do(db, "SCAN", "0", "FOO", "bar"), errSyntax)
	requireErr(t, do(db, "SCAN"), "ERR wrong number of arguments for 'scan' command")
	_, _, err := db.Scan(0, engine.ScanArgs{Count: -1})
	require.ErrorIs(t, err, engine.ErrSyntax)
	// Odd cursors are accepted (Redis's strtoul), and iteration ends.
	// "" is cursor 0 there too (strtoul consumes nothing and stops at the NUL).
	for _, c := range []string{"18446744073709551615", "-1", "+5", "12345678901234", ""} {
		r := do(db, "SCAN", c)
		require.Equal(t, engine.ReplyArray, r.Kind, "cursor %s: %s", c, r)
	}
}

// TestScanGuaranteeWithGrowth: a key present for the whole iteration is
// returned, although 10k+ keys are inserted between SCAN steps (tables grow)
// and other keys are deleted (tables may shrink).
func TestScanGuaranteeWithGrowth(t *testing.T) {
	for _, shards := range []int{1, 4, 64} {
		t.Run(strconv.Itoa(shards), func(t *testing.T) {
			db, err := engine.Open(engine.Options{Shards: shards, ExpireInterval: -1})
			require.NoError(t, err)
			defer db.Close()
			stable := map[string]bool{}
			for i := 0; i < 500; i++ {
				k := fmt.Sprintf("stable:%d", i)
				stable[k] = true
				require.NoError(t, db.Set(k, []byte("v")))
			}
			for i := 0; i < 2000; i++ {
				require.NoError(t, db.Set(fmt.Sprintf("doomed:%d", i), []byte("v")))
			}
			seen := map[string]bool{}
			cursor := uint64(0)
			step, added := 0, 0
			for {
				keys, next, err := db.Scan(cursor, engine.ScanArgs{Count: 20})
				require.NoError(t, err)
				for _, k := range keys {
					seen[k] = true
				}
				step++
				switch {
				case step <= 2:
					// Grow: insert 6k keys per step for the first steps.
					kvs := make([]engine.KV, 0, 6000)
					for i := 0; i < 6000; i++ {
						kvs = append(kvs, engine.KV{Key: fmt.Sprintf("new:%d", added), Value: []byte("v")})
						added++
					}
					require.NoError(t, db.MSet(kvs...))
				case step == 3:
					// Shrink: delete the doomed keys and most new ones.
					for i := 0; i < 2000; i++ {
						db.Del(fmt.Sprintf("doomed:%d", i))
					}
					for i := 0; i < added-100; i++ {
						db.Del(fmt.Sprintf("new:%d", i))
					}
				case step%5 == 0:
					for i := 0; i < 300; i++ {
						require.NoError(t, db.Set(fmt.Sprintf("late:%d:%d", step, i), []byte("v")))
					}
				}
				if next == 0 {
					break
				}
				cursor = next
			}
			require.GreaterOrEqual(t, added, 10_000)
			for k := range stable {
				require.True(t, seen[k], "stable key %s not returned", k)
			}
		})
	}
}

// TestScanConcurrentWriters runs SCAN while goroutines add and delete keys.
func TestScanConcurrentWriters(t *testing.T) {
	db, _ := openDB(t)
	stable := map[string]bool{}
	for i := 0; i < 2000; i++ {
		k := fmt.Sprintf("s:%d", i)
		stable[k] = true
		require.NoError(t, db.Set(k, []byte("v")))
	}
	var stop atomic.Bool
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; !stop.Load(); i++ {
				k := fmt.Sprintf("churn:%d:%d", g, i%5000)
				if i%3 == 2 {
					db.Del(k)
				} else {
					_ = db.Set(k, []byte("v"))
				}
			}
		}(g)
	}
	for round := 0; round < 3; round++ {
		seen := uniq(scanDo(t, db, "COUNT", "25"))
		for k := range stable {
			require.True(t, seen[k], "round %d: %s missing", round, k)
		}
	}
	stop.Store(true)
	wg.Wait()
}
