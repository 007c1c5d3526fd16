//go:build race

package server

// raceEnabled: this test binary runs under the race detector, so the
// nested module's tests (TestGoRedisModule) run under it too.
const raceEnabled = true
