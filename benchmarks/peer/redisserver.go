package peer

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// RedisEnv names the environment variable that points the benchmarks at a
// running redis-server (host:port). run.sh starts one and sets it.
const RedisEnv = "JACKDAW_BENCH_REDIS"

var redisSrv struct {
	once sync.Once
	addr string
	cmd  *exec.Cmd
	err  error
}

// RedisAddr returns the address of a redis-server to measure: $RedisEnv if
// set, else one started by this process on a free 127.0.0.1 port with
// persistence off (stop it with StopRedis). The error wraps ErrUnavailable
// when there is no redis-server on the PATH.
func RedisAddr() (string, error) {
	redisSrv.once.Do(func() {
		if a := os.Getenv(RedisEnv); a != "" {
			redisSrv.addr = a
			redisSrv.err = pingRedis(a, 5*time.Second)
			return
		}
		bin, err := exec.LookPath("redis-server")
		if err != nil {
			redisSrv.err = fmt.Errorf("%w: redis-server is not installed (apt-get install redis-server)", ErrUnavailable)
			return
		}
		port, err := freePort()
		if err != nil {
			redisSrv.err = err
			return
		}
		addr := "127.0.0.1:" + strconv.Itoa(port)
		cmd := exec.Command(bin, "--bind", "127.0.0.1", "--port", strconv.Itoa(port),
			"--save", "", "--appendonly", "no", "--loglevel", "warning")
		if err := cmd.Start(); err != nil {
			redisSrv.err = err
			return
		}
		redisSrv.cmd, redisSrv.addr = cmd, addr
		redisSrv.err = pingRedis(addr, 5*time.Second)
	})
	return redisSrv.addr, redisSrv.err
}

// StopRedis stops the redis-server that RedisAddr started, if any.
func StopRedis() {
	if c := redisSrv.cmd; c != nil {
		_ = c.Process.Kill()
		_ = c.Wait()
		redisSrv.cmd = nil
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func pingRedis(addr string, wait time.Duration) error {
	rdb := redis.NewClient(&redis.Options{Addr: addr})
	defer rdb.Close()
	deadline := time.Now().Add(wait)
	for {
		err := rdb.Ping(context.Background()).Err()
		if err == nil || time.Now().After(deadline) {
			return err
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func fmtScore(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }
