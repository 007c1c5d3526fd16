//go:build !linux

package server

import "net"

// Without epoll, every connection has a goroutine of its own
// (Options.NoEventLoop changes nothing); these are the event loops' hooks,
// doing nothing.

type loop struct{}

type loopConn struct{}

func (s *Server) startLoops() {}

// serveLoop reports false: the connection is served by a goroutine.
func (s *Server) serveLoop(c *client, conn net.Conn) bool { return false }

func (l *loop) stop() {}

func (lc *loopConn) kill() {}
