// Workqueue is Redis's "reliable queue" on jackdaw lists: producers LPUSH
// jobs to a pending list; each worker BLMOVEs a job from pending to a
// processing list of its own, does it, and then LREMs it from there. A job
// is thus always in one list or the other, never only in a worker's memory,
// so a worker that dies holding jobs loses none of them: a reaper moves what
// is left in the dead worker's processing list back to pending (LMOVE, one
// atomic step per job), and the other workers do them.
//
// The run starts producers and workers together; worker w3 takes a few jobs
// and crashes before finishing any. It ends when every job is done, and
// prints how many jobs were produced, done, lost, done twice, and recovered
// from the crashed worker:
//
//	go run ./examples/workqueue
//
// The pattern delivers at least once: a worker that dies after doing a job
// but before its LREM has that job redone by another. Here w3 dies before
// doing anything, so every job is done exactly once.
//
// All keys carry the hash tag {q}, so that the queue's lists share a shard
// and an LMOVE between two of them takes a single lock.
package main
