package main

import (
	"context"
	"flag"
	"log"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"

	"github.com/jackdawdb/jackdaw/examples/respserver/server"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:6380", "address to listen on (loopback by default)")
	pass := flag.String("requirepass", "", "password clients must AUTH with")
	dbs := flag.Int("databases", 16, "number of logical databases")
	verbose := flag.Bool("v", false, "log client protocol errors")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile to this file until shutdown")
	goroutines := flag.Bool("goroutines", false, "serve each connection with its own goroutine instead of the epoll event loops (Linux; elsewhere always)")
	loops := flag.Int("loops", 0, "number of event loops (0: the default, 1)")
	flag.Parse()

	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			log.Fatal(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			log.Fatal(err)
		}
		defer pprof.StopCPUProfile()
	}

	opts := server.Options{Addr: *addr, RequirePass: *pass, Databases: *dbs, NoEventLoop: *goroutines, EventLoops: *loops}
	if *verbose {
		opts.Logf = log.Printf
	}
	srv, err := server.New(opts)
	if err != nil {
		log.Fatal(err)
	}
	if err := srv.Listen(); err != nil {
		log.Fatal(err)
	}
	log.Printf("jackdaw RESP server listening on %s", srv.Addr())

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := srv.Serve(ctx); err != nil {
		log.Print(err)
	}
	log.Printf("shut down")
}
