package engine

// Command handlers for the hash type.

// hashCommands are the table entries of the hash commands.
var hashCommands = []*Command{}
