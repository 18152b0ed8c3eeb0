package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/go-co-op/gocron/v2"
)

// Server runs a jobs file's jobs on their schedules until its context ends, and optionally
// serves the output folder over HTTP.
type Server struct {
	Runner *Runner
	// Listen is the HTTP address for the output folder ("" serves nothing). A port alone, or
	// an address without a host (":8080"), listens on loopback only.
	Listen string
	// Now runs every job once as soon as the scheduler starts, then on schedule.
	Now bool
	// Ready, when set, is called once the jobs are scheduled and the HTTP server (if any)
	// listens, with the address it listens on.
	Ready func(addr string)
}

// ListenAddr resolves a --listen value: a bare port or ":port" means 127.0.0.1.
func ListenAddr(listen string) string {
	if listen == "" {
		return ""
	}
	if !strings.Contains(listen, ":") {
		return "127.0.0.1:" + listen
	}
	if strings.HasPrefix(listen, ":") {
		return "127.0.0.1" + listen
	}
	return listen
}

// Serve schedules the jobs (every one needs a schedule), runs them — one job never twice at
// once, and runs take turns with the warehouse — and returns nil once ctx is done and the
// running job has finished or, cancelled, stopped. A failed run is logged and recorded; it
// never stops the server.
func (s *Server) Serve(ctx context.Context) error {
	r := s.Runner
	log := r.log()
	var missing []string
	for _, j := range r.File.Jobs {
		if j.Schedule == "" {
			missing = append(missing, fmt.Sprintf("%s (line %d)", j.Name, j.Line))
		}
	}
	if len(missing) > 0 {
		return &Error{File: r.File.Path, Key: "schedule", Msg: "serve runs jobs on their schedules; these have none: " + strings.Join(missing, ", ")}
	}

	// Runs get a context of their own, cancelled when ctx ends (SIGINT/SIGTERM): a running
	// job stops at its next step boundary or statement, rolling back what it had not
	// committed.
	runCtx, cancelRuns := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelRuns()
	sched, err := gocron.NewScheduler(gocron.WithLocation(r.File.Location), gocron.WithStopTimeout(10*time.Minute))
	if err != nil {
		return err
	}
	for _, j := range r.File.Jobs {
		def := gocron.JobDefinition(gocron.DurationJob(j.Every))
		if j.Every == 0 {
			tab := j.Schedule
			if !strings.HasPrefix(tab, "CRON_TZ=") && !strings.HasPrefix(tab, "TZ=") {
				tab = "CRON_TZ=" + j.Location.String() + " " + tab
			}
			def = gocron.CronJob(tab, false)
		}
		opts := []gocron.JobOption{
			gocron.WithName(j.Name),
			gocron.WithSingletonMode(gocron.LimitModeReschedule),
			gocron.WithContext(runCtx),
		}
		if s.Now {
			opts = append(opts, gocron.WithStartAt(gocron.WithStartImmediately()))
		}
		job := j
		if _, err := sched.NewJob(def, gocron.NewTask(func(ctx context.Context) { s.runOne(ctx, job, log) }), opts...); err != nil {
			sched.Shutdown()
			return fmt.Errorf("schedule job %s: %w", j.Name, err)
		}
	}

	var srv *http.Server
	addr := ListenAddr(s.Listen)
	if addr != "" {
		if err := os.MkdirAll(r.File.Output, 0o755); err != nil {
			sched.Shutdown()
			return err
		}
		h, err := FileServer(r.File.Output)
		if err != nil {
			sched.Shutdown()
			return err
		}
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			sched.Shutdown()
			return fmt.Errorf("--listen %s: %w", s.Listen, err)
		}
		addr = ln.Addr().String()
		srv = &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
		go func() {
			if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				log.Error("http server stopped", "error", err.Error())
			}
		}()
		log.Info("serving the output folder, read-only", "addr", "http://"+addr+"/", "folder", r.File.Output)
	}

	sched.Start()
	for _, gj := range sched.Jobs() {
		next, _ := gj.NextRun()
		log.Info("scheduled", "job", gj.Name(), "next_run", next.Format(time.RFC3339))
	}
	if s.Ready != nil {
		s.Ready(addr)
	}

	<-ctx.Done()
	log.Info("stopping: the running job, if any, is cancelled; waiting for it to stop")
	cancelRuns()
	if err := sched.Shutdown(); err != nil {
		log.Error("scheduler shutdown", "error", err.Error())
	}
	if srv != nil {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		srv.Shutdown(sctx)
		cancel()
	}
	log.Info("stopped")
	return nil
}

// runOne runs a job on the scheduler's goroutine; a panic is logged, never the server's end.
func (s *Server) runOne(ctx context.Context, job *Job, log *slog.Logger) {
	defer func() {
		if p := recover(); p != nil {
			log.Error("run panicked", "job", job.Name, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
		}
	}()
	s.Runner.Run(ctx, job)
}
