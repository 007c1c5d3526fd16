package engine

import (
	"slices"
	"strings"
)

// The command table: one entry per command. Adding a command is one entry
// in its family's list (cmd_<family>.go) plus its handler; a new family is
// added to init below. It is built in init because COMMAND reads it.
var (
	commandList  []*Command
	commandTable map[string]*Command
)

// Key positions shared by many commands.
var (
	noKeys        = keySpec{}
	oneKey        = keySpec{1, 1, 1}
	twoKeys       = keySpec{1, 2, 1}
	allKeys       = keySpec{1, -1, 1}
	keyValuePairs = keySpec{1, -1, 2}
	allButLast    = keySpec{1, -2, 1}
)

type keySpec struct{ first, last, step int }

func cmd(name string, arity int, flags CommandFlags, k keySpec, run func(*DB, [][]byte) Reply) *Command {
	return &Command{Name: name, Arity: arity, Flags: flags, FirstKey: k.first, LastKey: k.last, Step: k.step, run: run}
}

// The families of commands, each listed beside its handlers.
func init() {
	commandList = slices.Concat(stringCommands, keyCommands, utilityCommands,
		hashCommands, listCommands, setCommands, zsetCommands, blockingCommands, pubsubCommands)
	slices.SortFunc(commandList, func(a, b *Command) int { return strings.Compare(a.Name, b.Name) })
	commandTable = make(map[string]*Command, len(commandList))
	for _, c := range commandList {
		commandTable[c.Name] = c
	}
}
