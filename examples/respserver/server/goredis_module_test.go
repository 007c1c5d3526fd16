package server

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

// TestGoRedisModule runs the go-redis checks, which live in their own
// module (examples/respserver/goredis) so that jackdaw's go.mod does not
// depend on go-redis. go test ./... from the repository root does not enter
// nested modules; this test does, so that the checks are not skipped
// silently. -short skips it (it builds go-redis, about 30 s the first time).
func TestGoRedisModule(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: not running the go-redis module's tests (run: cd examples/respserver/goredis && go test ./...)")
	}
	gobin := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(gobin); err != nil {
		if gobin, err = exec.LookPath("go"); err != nil {
			t.Skip("no go command to run examples/respserver/goredis's tests with")
		}
	}
	cmd := exec.Command(gobin, "test", "-count=1", "./...")
	cmd.Dir = filepath.Join("..", "goredis")
	out, err := cmd.CombinedOutput()
	t.Logf("cd examples/respserver/goredis && go test ./...\n%s", out)
	if err != nil {
		t.Fatalf("go-redis module tests failed: %v", err)
	}
}
