// Command respserver serves jackdaw over RESP2, the Redis protocol, so that
// redis-cli, redis-benchmark and Redis client libraries can use it.
//
//	go run ./examples/respserver -addr 127.0.0.1:6380 [-requirepass pw]
//
// SIGINT or SIGTERM shuts it down gracefully: it stops accepting, closes
// the connections and closes the databases.
package main
