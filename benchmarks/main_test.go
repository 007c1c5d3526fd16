package benchmarks

import (
	"os"
	"testing"

	"github.com/jackdawdb/jackdaw/benchmarks/peer"
)

// TestMain stops the redis-server that a Redis peer may have started.
func TestMain(m *testing.M) {
	code := m.Run()
	peer.StopRedis()
	os.Exit(code)
}
