package engine

// Command handlers for the zset type.

// zsetCommands are the table entries of the zset commands.
var zsetCommands = []*Command{}
