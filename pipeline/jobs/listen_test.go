package jobs

import (
	"context"
	"net"
	"testing"
	"time"
)

// `serve --listen` without a host listens on loopback only; a host given is used as given.
func TestListenLoopbackByDefault(t *testing.T) {
	for in, want := range map[string]string{"": "", "8080": "127.0.0.1:8080", ":8080": "127.0.0.1:8080",
		"0.0.0.0:8080": "0.0.0.0:8080", "[::1]:9": "[::1]:9", "reports.local:80": "reports.local:80"} {
		if got := ListenAddr(in); got != want {
			t.Errorf("ListenAddr(%q) = %q, want %q", in, got, want)
		}
	}
	// A real server on "0" and ":0": the address it listens on is 127.0.0.1's.
	for _, listen := range []string{"0", ":0"} {
		dir := t.TempDir()
		r := newRunner(t, dir, "jobs:\n  - name: j\n    schedule: '@every 1h'\n    ingest: [data/*.csv]\n")
		ctx, cancel := context.WithCancel(context.Background())
		got := make(chan string, 1)
		done := make(chan error, 1)
		go func() { done <- (&Server{Runner: r, Listen: listen, Ready: func(a string) { got <- a }}).Serve(ctx) }()
		select {
		case addr := <-got:
			host, _, err := net.SplitHostPort(addr)
			if err != nil || host != "127.0.0.1" {
				t.Errorf("--listen %s listens on %q", listen, addr)
			}
		case err := <-done:
			t.Fatalf("--listen %s: %v", listen, err)
		case <-time.After(30 * time.Second):
			t.Fatalf("--listen %s: not ready after 30s", listen)
		}
		cancel()
		if err := <-done; err != nil {
			t.Errorf("--listen %s: %v", listen, err)
		}
	}
}
