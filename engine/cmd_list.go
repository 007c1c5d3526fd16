package engine

// Command handlers for the list type.

// listCommands are the table entries of the list commands.
var listCommands = []*Command{}
