// Ratelimit is a sliding-window rate limiter on a jackdaw sorted set, the
// job Redis users write a Lua script for. Each user has a key
// "ratelimit:{user}" holding one member per allowed request, scored by its
// time in milliseconds. A request runs, in one db.Update over that key:
//
//	ZREMRANGEBYSCORE key -inf now-window   (forget requests that left the window)
//	ZCARD key                              (requests still in it)
//	if < limit: ZADD key now unique-member; PEXPIRE key 2*window   (allow)
//	else: deny
//
// The Update holds the key's shard lock from the first command to the
// last, so two requests for one user can never both see "limit-1" and
// both be allowed, however many goroutines send them.
//
// The program uses a fake clock (engine.Options.Clock, which the limiter
// reads too), so that its run is the same every time. It simulates users
// sending requests at steady rates and in bursts, prints how many were
// allowed and denied, then lets many goroutines hit one user at once and
// prints the most requests it allowed in any window:
//
//	go run ./examples/ratelimit
package main
