// Quickstart is the program to run first: it opens a jackdaw database,
// uses strings, counters, TTLs and hash tags, and prints what it does.
package main
