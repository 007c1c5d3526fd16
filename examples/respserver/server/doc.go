// Package server serves jackdaw engine databases over RESP2, the Redis
// protocol, so that redis-cli, redis-benchmark and Redis client libraries
// can talk to an in-process jackdaw as they would to Redis 7.0.
//
// # What it owns
//
//   - The protocol (resp.go): a bounded request reader (multibulk and
//     inline, Redis's protocol errors) and a reply writer, with pipelining
//     and a cap on each client's pending output.
//   - Connections and the server (server.go, client_cmd.go, info.go): AUTH,
//     HELLO, SELECT over 16 logical databases, MOVE, SWAPDB, CLIENT, INFO,
//     CONFIG, OBJECT, DEBUG, COMMAND merged with the engine's table.
//   - Serving connections: on Linux, by default, a few epoll event loops
//     (loop_linux.go, with the incremental parser of parse.go) read each
//     client's pipelined batch at once, run it and write the replies with
//     one write; a connection that runs a blocking command, subscribes or
//     sleeps is handed off to a goroutine of its own. Elsewhere, or with
//     Options.NoEventLoop, every connection has its own goroutine
//     (server.go).
//
// # What it leaves to others
//
// Every other command goes to the engine's command table through
// (*engine.DB).Do on the client's selected database: semantics, locking and
// error texts are the engine's. Its tests include the differential test
// against a real redis-server (differential_test.go and diff_*_test.go).
package server
