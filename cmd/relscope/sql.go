package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/peterh/liner"
	"github.com/spf13/cobra"

	"github.com/relscope/relscope/models"
	"github.com/relscope/relscope/queries"
)

type sqlOptions struct {
	g       *globals
	mode    string
	write   bool
	history string
}

func newSQLCmd(g *globals) *cobra.Command {
	o := &sqlOptions{g: g}
	cmd := &cobra.Command{
		Use:   "sql",
		Short: "Interactive SQL shell on the warehouse",
		Long: `sql opens an interactive SQL shell on the warehouse: statements end with ";" and may span
lines, results print as aligned tables (or csv, json, markdown: .mode), arrow keys recall
history (kept in --history), Ctrl-C cancels the running query without leaving, Ctrl-D or
.quit leaves. .tables and .schema NAME describe the warehouse; .queries and .run NAME run
the named queries. Read-only unless --write.

Given a pipe instead of a terminal, it runs the statements it reads without prompts and
exits 1 if any failed.`,
		Example: `  relscope sql
  echo "select team, count(*) from mart_cycle_time group by all;" | relscope sql
  relscope sql --mode csv < report.sql > out.csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runSQL(cmd.Context(), o) },
	}
	f := cmd.Flags()
	f.StringVar(&o.mode, "mode", "table", "output: table, csv, json or markdown")
	f.BoolVar(&o.write, "write", false, "allow statements that change the warehouse")
	f.StringVar(&o.history, "history", defaultHistory(), "history file")
	return cmd
}

func defaultHistory() string {
	if d := os.Getenv("XDG_STATE_HOME"); d != "" {
		return filepath.Join(d, "relscope", "history")
	}
	if h, err := os.UserHomeDir(); err == nil {
		return filepath.Join(h, ".relscope_history")
	}
	return ""
}

func runSQL(ctx context.Context, o *sqlOptions) error {
	g := o.g
	if !slices.Contains(queries.Formats, o.mode) {
		return usagef("--mode %q: want table, csv, json or markdown", o.mode)
	}
	w, err := g.open(ctx, models.Options{ReadOnly: !o.write})
	if err != nil {
		return err
	}
	defer w.Close()

	r := &queries.REPL{W: w, Out: g.stdout, Err: g.stderr, Mode: o.mode}
	interactive := isTerminal(g.stdin) && isTerminal(g.stdout)
	if interactive {
		ln := liner.NewLiner()
		defer ln.Close()
		ln.SetCtrlCAborts(true)
		ln.SetMultiLineMode(true)
		if o.history != "" {
			if f, err := os.Open(o.history); err == nil {
				ln.ReadHistory(f)
				f.Close()
			}
			defer saveHistory(ln, o.history)
		}
		r.In = linerReader{ln}
		r.Prompt = true
		fmt.Fprintf(g.stderr, "relscope sql on %s — .help for help, Ctrl-D to leave\n", g.dbPath)
	} else {
		r.In = &pipeReader{sc: bufio.NewScanner(g.stdin)}
	}
	// Ctrl-C while a statement runs cancels that statement only; the shell carries on. (At
	// the prompt the line editor turns Ctrl-C into ErrAborted itself.)
	r.RunContext = interruptibleContext()
	if failed := r.Run(); failed > 0 && !interactive {
		return fmt.Errorf("%d statement(s) failed", failed)
	}
	return nil
}

// interruptibleContext returns a RunContext whose contexts are cancelled by SIGINT.
func interruptibleContext() func() (context.Context, func()) {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt)
	var mu sync.Mutex
	var current context.CancelFunc
	go func() {
		for range sigs {
			mu.Lock()
			if current != nil {
				current()
			}
			mu.Unlock()
		}
	}()
	return func() (context.Context, func()) {
		ctx, cancel := context.WithCancel(context.Background())
		mu.Lock()
		current = cancel
		mu.Unlock()
		return ctx, func() {
			mu.Lock()
			current = nil
			mu.Unlock()
			cancel()
		}
	}
}

func saveHistory(ln *liner.State, path string) {
	os.MkdirAll(filepath.Dir(path), 0o755)
	if f, err := os.Create(path); err == nil {
		ln.WriteHistory(f)
		f.Close()
	}
}

type linerReader struct{ ln *liner.State }

func (l linerReader) Prompt(p string) (string, error) {
	s, err := l.ln.Prompt(p)
	if errors.Is(err, liner.ErrPromptAborted) {
		return "", queries.ErrAborted
	}
	return s, err
}

func (l linerReader) AppendHistory(s string) { l.ln.AppendHistory(strings.ReplaceAll(s, "\n", " ")) }

type pipeReader struct{ sc *bufio.Scanner }

func (p *pipeReader) Prompt(string) (string, error) {
	if !p.sc.Scan() {
		if err := p.sc.Err(); err != nil {
			return "", err
		}
		return "", io.EOF
	}
	return p.sc.Text(), nil
}

func (p *pipeReader) AppendHistory(string) {}

func isTerminal(v any) bool {
	f, ok := v.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
