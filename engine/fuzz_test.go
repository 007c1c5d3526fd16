package engine

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// FuzzDo feeds arbitrary commands to Do: no input may panic, every reply is
// well formed, and the keyspace accounting stays consistent.
func FuzzDo(f *testing.F) {
	for _, seed := range []string{
		"SET k v EX 10 GET", "SET k 1\x00GETRANGE k -5 9999999999", "SETRANGE k 3 abc",
		"INCRBYFLOAT k 1e308", "EXPIRE k 9223372036854775807 GT", "SCAN -1 MATCH *[ COUNT 3",
		"MSET a 1 b", "RENAME k k", "COPY k {k}x REPLACE", "GETEX k PXAT 1 PERSIST", "KEYS \\",
		"HSET h f v f2 v2\x00HINCRBYFLOAT h f 1e308\x00HRANDFIELD h -5 WITHVALUES",
		"RPUSH l a b c\x00LMOVE l l LEFT RIGHT\x00LPOS l b RANK -1 COUNT 0\x00LMPOP 2 l k LEFT COUNT 9",
		"SADD s a b\x00SINTERSTORE d s k\x00SPOP s 3\x00SINTERCARD 2 s d LIMIT 1",
		"ZADD z 1 a 2 b\x00ZRANGE z (1 +inf BYSCORE REV LIMIT 0 -1\x00ZUNIONSTORE d 2 z s WEIGHTS 2 inf",
		"RPUSH l a\x00BLMOVE l d LEFT RIGHT 0\x00BLPOP l d 0.5\x00BZMPOP 1e9 2 z l MAX COUNT 2",
		"BRPOPLPUSH x y -1\x00BZPOPMIN z nan\x00BLMPOP 0 1 l UP",
	} {
		f.Add([]byte(seed))
	}
	db, err := Open(Options{Shards: 4, ExpireInterval: -1})
	require.NoError(f, err)
	f.Cleanup(func() { db.Close() })
	f.Fuzz(func(t *testing.T, line []byte) {
		// A blocking command with nothing to pop waits at most this long.
		ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
		defer cancel()
		// Space-separated words; NUL separates commands.
		for _, c := range bytes.Split(line, []byte{0}) {
			args := bytes.Fields(c)
			if len(args) == 0 {
				continue
			}
			r := db.Do(ctx, args...)
			if r.Kind == ReplyError {
				require.NotEmpty(t, r.Err.Error())
			}
		}
		st := db.Stats().Total
		require.EqualValues(t, db.DBSize(), st.TotalKeys())
	})
}
