// Command relscope turns delivery exports into release analytics: see `relscope --help`.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	os.Exit(runProcess(os.Args[1:]))
}

// runProcess is the process around run: the first interrupt (Ctrl-C, SIGTERM) cancels the
// run's context — the open ingest batch or build rolls back and relscope says what was kept —
// and a second one, once that has begun, ends the process at once (the warehouse survives a
// kill at any point). The CLI tests run it too, so the signal path they exercise is this one.
func runProcess(args []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		stop() // the default action again for the next signal
	}()
	return run(ctx, args, os.Stdin, os.Stdout, os.Stderr)
}
