package queries

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/relscope/relscope/models"
)

// LineReader is where the REPL's input comes from: a line editor on a terminal, or a plain
// reader for pipes. Prompt returns io.EOF at the end and ErrAborted when the user pressed
// Ctrl-C at the prompt.
type LineReader interface {
	Prompt(prompt string) (string, error)
	AppendHistory(line string)
}

// ErrAborted is what a LineReader returns for Ctrl-C at the prompt.
var ErrAborted = errors.New("aborted")

// REPL is an interactive SQL session on the warehouse.
type REPL struct {
	W      *models.Warehouse
	In     LineReader
	Out    io.Writer
	Err    io.Writer
	Mode   string // table, csv, json, markdown
	Prompt bool   // show prompts and timings (false when reading a pipe)
	// RunContext gives each statement its context; the caller cancels it on Ctrl-C so that
	// only the running statement stops.
	RunContext func() (context.Context, func())
	failures   int
}

const replHelp = `Statements end with ";" and may span lines. Ctrl-C cancels a running query (or the
statement being typed); Ctrl-D or .quit leaves.
  .tables            tables and marts with their descriptions
  .schema NAME       columns of a table or mart, with descriptions
  .mode MODE         output: table, csv, json or markdown (now: %s)
  .queries           the named queries; run one with:  .run NAME [k=v ...]
  .help              this text
  .quit              leave
`

// Run reads and executes statements until the input ends. It returns the number of failed
// statements (for a pipe's exit code).
func (r *REPL) Run() int {
	if r.Mode == "" {
		r.Mode = "table"
	}
	if r.RunContext == nil {
		r.RunContext = func() (context.Context, func()) { return context.WithCancel(context.Background()) }
	}
	var sp splitter
	for {
		prompt := "relscope> "
		if sp.pending() {
			prompt = "     ...> "
		}
		line, err := r.In.Prompt(prompt)
		if errors.Is(err, ErrAborted) {
			sp.reset()
			continue
		}
		if err != nil {
			if last := sp.rest(); last != "" {
				r.exec(last)
			}
			if r.Prompt {
				fmt.Fprintln(r.Out)
			}
			return r.failures
		}
		trimmed := strings.TrimSpace(line)
		if !sp.pending() && strings.HasPrefix(trimmed, ".") {
			r.In.AppendHistory(trimmed)
			if quit := r.dot(trimmed); quit {
				return r.failures
			}
			continue
		}
		for _, stmt := range sp.add(line + "\n") {
			r.In.AppendHistory(stmt + ";")
			r.exec(stmt)
		}
	}
}

func (r *REPL) exec(stmt string) {
	ctx, cancel := r.RunContext()
	defer cancel()
	start := time.Now()
	res, err := Exec(ctx, r.W.DB, stmt, nil)
	if err != nil {
		r.failures++
		if ctx.Err() != nil {
			fmt.Fprintln(r.Err, "cancelled")
			return
		}
		fmt.Fprintf(r.Err, "Error: %v\n", models.CleanError(err))
		return
	}
	if err := res.Write(r.Out, r.Mode); err != nil {
		fmt.Fprintf(r.Err, "Error: %v\n", err)
	}
	if r.Prompt {
		fmt.Fprintf(r.Err, "(%d row%s, %s)\n", len(res.Rows), Plural(len(res.Rows)), time.Since(start).Round(time.Millisecond))
	}
}

// dot runs a dot-command; it returns true for .quit.
func (r *REPL) dot(cmd string) bool {
	f := strings.Fields(cmd)
	ctx := context.Background()
	switch f[0] {
	case ".quit", ".exit", ".q":
		return true
	case ".help", ".h":
		fmt.Fprintf(r.Out, replHelp, r.Mode)
	case ".mode":
		if len(f) != 2 {
			fmt.Fprintf(r.Out, "mode: %s (want .mode table|csv|json|markdown)\n", r.Mode)
			break
		}
		if !slices.Contains(Formats, f[1]) {
			fmt.Fprintf(r.Err, "Error: .mode %s: want table, csv, json or markdown\n", f[1])
			r.failures++
			break
		}
		r.Mode = f[1]
	case ".tables":
		docs, err := r.W.Catalog(ctx)
		if err != nil {
			fmt.Fprintf(r.Err, "Error: %v\n", err)
			r.failures++
			break
		}
		res := &Result{Columns: []string{"name", "layer", "rows", "description"}}
		for _, d := range docs {
			desc := d.Description
			if i := strings.Index(desc, ". "); i > 0 {
				desc = desc[:i+1]
			}
			res.Rows = append(res.Rows, []any{d.Name, d.Layer, d.Rows, desc})
		}
		res.Write(r.Out, r.Mode)
	case ".schema":
		if len(f) != 2 {
			fmt.Fprintln(r.Err, "Error: .schema NAME")
			r.failures++
			break
		}
		d, err := r.W.DescribeTable(ctx, f[1])
		if err != nil {
			fmt.Fprintf(r.Err, "Error: %v\n", err)
			r.failures++
			break
		}
		fmt.Fprintf(r.Out, "%s (%s, %d rows): %s\n", d.Name, d.Layer, d.Rows, d.Description)
		res := &Result{Columns: []string{"column", "type", "description"}}
		for _, c := range d.Columns {
			res.Rows = append(res.Rows, []any{c.Name, c.Type, c.Description})
		}
		res.Write(r.Out, r.Mode)
	case ".queries":
		qs, err := All()
		if err != nil {
			fmt.Fprintf(r.Err, "Error: %v\n", err)
			break
		}
		res := &Result{Columns: []string{"name", "parameters", "description"}}
		for _, q := range qs {
			var ps []string
			for _, p := range q.Params {
				ps = append(ps, p.Name+"="+p.Default)
			}
			res.Rows = append(res.Rows, []any{q.Name, strings.Join(ps, " "), q.Description})
		}
		res.Write(r.Out, r.Mode)
	case ".run":
		if len(f) < 2 {
			fmt.Fprintln(r.Err, "Error: .run NAME [k=v ...]")
			r.failures++
			break
		}
		r.runNamed(f[1], f[2:])
	default:
		fmt.Fprintf(r.Err, "Error: unknown command %s (.help lists them)\n", f[0])
		r.failures++
	}
	return false
}

func (r *REPL) runNamed(name string, args []string) {
	q, err := Find(strings.TrimPrefix(name, "@"))
	if err == nil {
		given := map[string]string{}
		for _, a := range args {
			k, v, _ := strings.Cut(a, "=")
			given[k] = v
		}
		var params map[string]string
		if params, err = q.Resolve(given); err == nil {
			ctx, cancel := r.RunContext()
			defer cancel()
			var res *Result
			if res, err = Exec(ctx, r.W.DB, q.SQL, params); err == nil {
				res.Write(r.Out, r.Mode)
				return
			}
		}
	}
	fmt.Fprintf(r.Err, "Error: %v\n", models.CleanError(err))
	r.failures++
}

// Plural is "s" unless n is 1, for row counts.
func Plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
