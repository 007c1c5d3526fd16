package engine

// Command handlers for the set type.

// setCommands are the table entries of the set commands.
var setCommands = []*Command{}
