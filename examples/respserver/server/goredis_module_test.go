package server

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
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
	args := []string{"test", "-count=1"}
	if raceEnabled {
		args = append(args, "-race")
	}
	args = append(args, "./...")
	cmd := exec.Command(gobin, args...)
	cmd.Dir = filepath.Join("..", "goredis")
	out, err := cmd.CombinedOutput()
	t.Logf("cd examples/respserver/goredis && go %s\n%s", strings.Join(args, " "), out)
	require.NoErrorf(t, err, "go-redis module tests failed: %v", err)
}
