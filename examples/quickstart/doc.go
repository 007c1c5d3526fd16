// Quickstart is the program to run first: it opens a jackdaw database,
// uses strings, counters, TTLs, hash tags, hashes, lists, sets and sorted
// sets, and prints what it does.
package main
