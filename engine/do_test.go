package engine_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/jackdawdb/jackdaw/engine"
)

func TestDoUnknownCommand(t *testing.T) {
	db, _ := openDB(t)
	requireErr(t, do(db, "foo", "a", "b"), "ERR unknown command 'foo', with args beginning with: 'a' 'b' ")
	requireErr(t, do(db, "foo"), "ERR unknown command 'foo', with args beginning with: ")
	requireErr(t, do(db, "FOO", ""), "ERR unknown command 'FOO', with args beginning with: '' ")
	// Line breaks cannot go in an error line.
	requireErr(t, do(db, "x\r\ny", "a\nb"), "ERR unknown command 'x  y', with args beginning with: 'a b' ")
	// Arguments are quoted up to 128 bytes.
	long := strings.Repeat("z", 200)
	r := do(db, "nope", long, "more")
	requireErr(t, r, "ERR unknown command 'nope', with args beginning with: '"+strings.Repeat("z", 128)+"' ")
	r = do(db, "nope", strings.Repeat("a", 100), strings.Repeat("b", 100), "c")
	requireErr(t, r, "ERR unknown command 'nope', with args beginning with: '"+strings.Repeat("a", 100)+"' '"+strings.Repeat("b", 25)+"' ")
	// The name is cut at 128 bytes.
	r = do(db, strings.Repeat("n", 300))
	requireErr(t, r, "ERR unknown command '"+strings.Repeat("n", 128)+"', with args beginning with: ")

	r = db.Do(context.Background())
	require.True(t, r.IsError())
	require.Nil(t, engine.LookupCommand([]byte("foo")))
	require.Nil(t, engine.LookupCommand([]byte(strings.Repeat("g", 100))))
}

func TestDoArityAndCase(t *testing.T) {
	db, _ := openDB(t)
	for _, c := range []struct {
		args []string
		name string
	}{
		{[]string{"GET"}, "get"},
		{[]string{"get", "a", "b"}, "get"},
		{[]string{"Set", "a"}, "set"},
		{[]string{"GETSET", "a"}, "getset"},
		{[]string{"strlen"}, "strlen"},
		{[]string{"SETRANGE", "a", "1"}, "setrange"},
		{[]string{"RENAME", "a"}, "rename"},
		{[]string{"copy", "a"}, "copy"},
		{[]string{"TYPE"}, "type"},
		{[]string{"KEYS"}, "keys"},
		{[]string{"RANDOMKEY", "x"}, "randomkey"},
		{[]string{"PERSIST"}, "persist"},
		{[]string{"echo"}, "echo"},
		{[]string{"PING", "a", "b"}, "ping"},
		{[]string{"MSETNX", "a"}, "msetnx"},
	} {
		requireErr(t, do(db, c.args...), "ERR wrong number of arguments for '"+c.name+"' command")
	}
	for _, name := range []string{"set", "SET", "sEt"} {
		requireOK(t, do(db, name, "k", name))
	}
	for _, name := range []string{"get", "GET", "GeT"} {
		requireBulk(t, do(db, name, "k"), "sEt")
	}
	requireOK(t, do(db, "set", "k", "v", "ex", "10", "xx"))
	requireStatus(t, do(db, "PING"), "PONG")
	requireBulk(t, do(db, "ping", "hi"), "hi")
	requireBulk(t, do(db, "ECHO", "a\x00b"), "a\x00b")
	// Nil keys and values through Do.
	r := db.Do(context.Background(), []byte("SET"), nil, nil)
	requireOK(t, r)
	requireBulk(t, db.Do(context.Background(), []byte("GET"), []byte{}), "")
}

func TestDoCommandIntrospection(t *testing.T) {
	db, _ := openDB(t)
	cmds := engine.Commands()
	require.NotEmpty(t, cmds)
	requireInt(t, do(db, "COMMAND", "COUNT"), int64(len(cmds)))
	for i := 1; i < len(cmds); i++ {
		require.Less(t, cmds[i-1].Name, cmds[i].Name)
	}

	list := bulks(t, do(db, "command", "list"))
	require.Len(t, list, len(cmds))
	for _, n := range []string{"get", "set", "del", "scan", "expire", "mset", "command"} {
		require.Contains(t, list, n)
	}

	r := do(db, "COMMAND", "INFO", "get", "MSET", "nosuch")
	require.Equal(t, engine.ReplyArray, r.Kind)
	require.Len(t, r.Array, 3)
	get := r.Array[0]
	require.Equal(t, engine.ReplyArray, get.Kind)
	require.Len(t, get.Array, 10)
	requireBulk(t, get.Array[0], "get")
	requireInt(t, get.Array[1], 2)
	var flags []string
	for _, f := range get.Array[2].Array {
		flags = append(flags, f.Str)
	}
	require.ElementsMatch(t, []string{"readonly", "fast"}, flags)
	requireInt(t, get.Array[3], 1)
	requireInt(t, get.Array[4], 1)
	requireInt(t, get.Array[5], 1)
	mset := r.Array[1]
	requireBulk(t, mset.Array[0], "mset")
	requireInt(t, mset.Array[1], -3)
	requireInt(t, mset.Array[3], 1)
	requireInt(t, mset.Array[4], -1)
	requireInt(t, mset.Array[5], 2)
	require.Contains(t, []engine.ReplyKind{engine.ReplyNil, engine.ReplyNilArray}, r.Array[2].Kind)

	all := do(db, "COMMAND")
	require.Len(t, all.Array, len(cmds))
	requireErr(t, do(db, "COMMAND", "foo"), "ERR unknown subcommand 'foo'. Try COMMAND HELP.")

	c := engine.LookupCommand([]byte("GETEX"))
	require.NotNil(t, c)
	require.Equal(t, "getex", c.Name)
	require.Equal(t, -2, c.Arity)
	require.Contains(t, c.Flags.Names(), "write")
}

func TestReplyString(t *testing.T) {
	db, _ := openDB(t)
	requireOK(t, do(db, "SET", "a", "1"))
	require.Equal(t, "OK", do(db, "SET", "b", "x").String())
	require.Equal(t, `"1"`, do(db, "GET", "a").String())
	require.Equal(t, "(nil)", do(db, "GET", "zz").String())
	require.Equal(t, "(integer) 2", do(db, "EXISTS", "a", "b").String())
	require.Equal(t, "1) \"1\"\n2) (nil)", do(db, "MGET", "a", "zz").String())
	require.Equal(t, "(error) ERR syntax error", do(db, "SET", "a", "b", "NX", "XX").String())
	require.Equal(t, "(empty array)", do(db, "KEYS", "nomatch*").String())
}
