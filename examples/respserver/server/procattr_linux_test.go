package server

import (
	"os/exec"
	"syscall"
)

// dieWithParent makes redis-server exit if the test process dies (a panic
// skips t.Cleanup's kill), so no orphan keeps running.
func dieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
