// Package jobs runs the jobs of a jobs file (DESIGN §8): each job is the pipeline's steps —
// ingest its sources, build, render its reports, notify — over the warehouse, once (`relscope
// run`) or on its schedule (`relscope serve`, with gocron). A jobs file is checked whole
// before anything runs; a run's outputs are replaced together or not at all; each run is
// recorded in job_runs with what it saw, so the job's next run can tell what changed.
package jobs

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/go-co-op/gocron/v2"
	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"github.com/relscope/relscope/models"
	"github.com/relscope/relscope/pipeline/notify"
	"github.com/relscope/relscope/reports"
	"github.com/relscope/relscope/reports/document"
)

// File is a parsed, checked jobs file.
type File struct {
	// Path is the file; relative paths in it are read from its folder (Dir).
	Path string
	Dir  string
	// Output is the folder every report is written into (default "out" beside the file).
	Output string
	// BaseURL, when set, is where people open the output folder (a web server, or serve
	// --listen): notifications link each output as BaseURL + its path.
	BaseURL string
	// Location is the default time zone of cron schedules (default UTC).
	Location *time.Location
	// LockTimeout is how long a run waits for a warehouse another process holds.
	LockTimeout time.Duration
	Jobs        []*Job
}

// Job is one job of the file.
type Job struct {
	Name string
	// Schedule is the cron expression or @every duration as written; "" for a job only
	// `relscope run` runs.
	Schedule string
	// Every is the @every duration (zero for a cron schedule).
	Every    time.Duration
	Location *time.Location
	Ingest   []Source
	AsOf     time.Time // zero: the time the build runs
	Reports  []Report
	Notify   []notify.Target
	Line     int // where the job starts in the file
}

// Source is one ingest entry: a path or glob, relative to the jobs file.
type Source struct {
	Pattern  string // as written
	Path     string // resolved against the jobs file's folder
	Snapshot bool
}

// Report is one output a job renders.
type Report struct {
	Output reports.Output
	// Out is the path inside the output folder (slash-separated, as written or defaulted).
	Out   string
	Scope reports.Scope
}

// raw is the file as YAML has it.
type raw struct {
	Output      string   `yaml:"output"`
	BaseURL     string   `yaml:"base_url"`
	Timezone    string   `yaml:"timezone"`
	LockTimeout string   `yaml:"lock_timeout"`
	Jobs        []rawJob `yaml:"jobs"`
}

type rawJob struct {
	Name     string `yaml:"name"`
	Schedule string `yaml:"schedule"`
	Timezone string `yaml:"timezone"`
	// Ingest entries are a path (a string) or {path, snapshot}, checked by source.
	Ingest []any `yaml:"ingest"`
	Build  struct {
		AsOf string `yaml:"as_of"`
	} `yaml:"build"`
	Reports []rawReport `yaml:"reports"`
	Notify  []rawNotify `yaml:"notify"`
}

type rawReport struct {
	Type    string `yaml:"type"`
	Out     string `yaml:"out"`
	Team    string `yaml:"team"`
	Period  string `yaml:"period"`
	Release string `yaml:"release"`
}

type rawNotify struct {
	Name       string   `yaml:"name"`
	Webhook    string   `yaml:"webhook"`
	WebhookEnv string   `yaml:"webhook_env"`
	Format     string   `yaml:"format"`
	SecretEnv  string   `yaml:"secret_env"`
	Events     []string `yaml:"events"`
}

// Error is a mistake in a jobs file: the file, the line, the key and what is wrong.
type Error struct {
	File string
	Line int
	Key  string
	Msg  string
}

func (e *Error) Error() string {
	where := e.File
	if e.Line > 0 {
		where = fmt.Sprintf("%s:%d", e.File, e.Line)
	}
	if e.Key != "" {
		return fmt.Sprintf("%s: %s: %s", where, e.Key, e.Msg)
	}
	return fmt.Sprintf("%s: %s", where, e.Msg)
}

// Load reads and checks a jobs file. getenv reads the environment variables webhook_env and
// secret_env name (os.Getenv when nil). Every mistake is an *Error naming its key and line;
// nothing is run or written.
func Load(file string, getenv func(string) string) (*File, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("jobs file: %w", err)
	}
	return Parse(file, data, getenv)
}

// Parse is Load on the file's content.
func Parse(file string, data []byte, getenv func(string) string) (*File, error) {
	ast, err := parser.ParseBytes(data, 0)
	if err != nil {
		return nil, &Error{File: file, Msg: strings.TrimSpace(yaml.FormatError(err, false, false))}
	}
	var r raw
	dec := yaml.NewDecoder(bytes.NewReader(data), yaml.DisallowUnknownField())
	if err := dec.Decode(&r); err != nil {
		return nil, decodeError(file, err)
	}
	c := &checker{file: file, ast: ast, getenv: getenv}
	f := c.check(r)
	if len(c.errs) > 0 {
		return nil, errors.Join(c.errs...)
	}
	return f, nil
}

// decodeError turns the YAML library's error (which carries a position) into an Error.
func decodeError(file string, err error) error {
	var se yaml.Error
	if errors.As(err, &se) {
		if tok := se.GetToken(); tok != nil && tok.Position != nil {
			msg := se.GetMessage()
			key := ""
			if strings.HasPrefix(msg, "unknown field") {
				key = strings.Trim(strings.TrimPrefix(msg, "unknown field "), `"`)
				msg = "unknown key"
			}
			return &Error{File: file, Line: tok.Position.Line, Key: key, Msg: msg}
		}
	}
	return &Error{File: file, Msg: strings.TrimSpace(yaml.FormatError(err, false, false))}
}

// checker collects every mistake of a file, each with its line.
type checker struct {
	file   string
	ast    *ast.File
	getenv func(string) string
	errs   []error
}

// line finds the line of the YAML path (e.g. "$.jobs[0].reports[1].type"), or of the
// nearest enclosing node that exists.
func (c *checker) line(p string) int {
	for p != "" && p != "$" {
		if yp, err := yaml.PathString(p); err == nil {
			if n, err := yp.FilterFile(c.ast); err == nil && n != nil {
				if tok := n.GetToken(); tok != nil && tok.Position != nil {
					return tok.Position.Line
				}
			}
		}
		i := strings.LastIndexAny(p, ".[")
		if i <= 0 {
			break
		}
		p = p[:i]
	}
	return 0
}

func (c *checker) errorf(p, key, format string, args ...any) {
	c.errs = append(c.errs, &Error{File: c.file, Line: c.line(p), Key: key, Msg: fmt.Sprintf(format, args...)})
}

func (c *checker) check(r raw) *File {
	f := &File{Path: c.file, Dir: filepath.Dir(c.file), Location: time.UTC, LockTimeout: 5 * time.Minute}
	f.Output = r.Output
	if f.Output == "" {
		f.Output = "out"
	}
	if !filepath.IsAbs(f.Output) {
		f.Output = filepath.Join(f.Dir, f.Output)
	}
	if r.BaseURL != "" {
		u, err := url.Parse(r.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "file") || u.Host == "" && u.Scheme != "file" {
			c.errorf("$.base_url", "base_url", "%q is not an http(s) URL", r.BaseURL)
		}
		f.BaseURL = strings.TrimSuffix(r.BaseURL, "/") + "/"
	}
	if r.Timezone != "" {
		loc, err := time.LoadLocation(r.Timezone)
		if err != nil {
			c.errorf("$.timezone", "timezone", "%q is not an IANA time zone (e.g. Europe/Berlin)", r.Timezone)
		} else {
			f.Location = loc
		}
	}
	if r.LockTimeout != "" {
		d, err := time.ParseDuration(r.LockTimeout)
		if err != nil || d < 0 {
			c.errorf("$.lock_timeout", "lock_timeout", "%q is not a duration (e.g. 5m)", r.LockTimeout)
		} else {
			f.LockTimeout = d
		}
	}
	if len(r.Jobs) == 0 {
		c.errorf("$.jobs", "jobs", "the file lists no jobs")
	}
	names := map[string]bool{}
	outs := map[string]string{}
	for i, rj := range r.Jobs {
		p := fmt.Sprintf("$.jobs[%d]", i)
		j := c.job(f, p, rj)
		if j.Name != "" {
			if names[j.Name] {
				c.errorf(p+".name", "name", "two jobs are named %q", j.Name)
			}
			names[j.Name] = true
		}
		for k, rep := range j.Reports {
			key := strings.ToLower(rep.Out)
			if other, dup := outs[key]; dup {
				c.errorf(fmt.Sprintf("%s.reports[%d].out", p, k), "out", "%s is also written by %s: two reports may not share a file", rep.Out, other)
			}
			outs[key] = fmt.Sprintf("job %s", j.Name)
		}
		f.Jobs = append(f.Jobs, j)
	}
	return f
}

func (c *checker) job(f *File, p string, rj rawJob) *Job {
	j := &Job{Name: rj.Name, Location: f.Location, Line: c.line(p)}
	if strings.TrimSpace(rj.Name) == "" {
		c.errorf(p, "name", "every job needs a name")
	} else if strings.ContainsAny(rj.Name, "/\\\x00") {
		c.errorf(p+".name", "name", "%q: a job's name may not hold / or \\", rj.Name)
	}
	if rj.Timezone != "" {
		loc, err := time.LoadLocation(rj.Timezone)
		if err != nil {
			c.errorf(p+".timezone", "timezone", "%q is not an IANA time zone (e.g. Europe/Berlin)", rj.Timezone)
		} else {
			j.Location = loc
		}
	}
	if s := strings.TrimSpace(rj.Schedule); s != "" {
		j.Schedule = s
		if rest, ok := strings.CutPrefix(s, "@every"); ok {
			d, err := time.ParseDuration(strings.TrimSpace(rest))
			switch {
			case err != nil:
				c.errorf(p+".schedule", "schedule", "%q: @every wants a duration such as 10m or 1h30m", s)
			case d < time.Second:
				c.errorf(p+".schedule", "schedule", "%q: the shortest interval is 1s", s)
			default:
				j.Every = d
			}
		} else if err := gocron.NewDefaultCron(false).IsValid(s, j.Location, time.Now()); err != nil {
			c.errorf(p+".schedule", "schedule", "%q is not a cron expression (five fields, e.g. \"0 7 * * MON\", optionally CRON_TZ=Zone first) or @every DURATION: %v", s, errors.Unwrap(err))
		}
	}
	if len(rj.Ingest) == 0 && len(rj.Reports) == 0 {
		c.errorf(p, "ingest", "job %s neither ingests nor renders anything", rj.Name)
	}
	for i, entry := range rj.Ingest {
		if src, ok := c.source(f, fmt.Sprintf("%s.ingest[%d]", p, i), entry); ok {
			j.Ingest = append(j.Ingest, src)
		}
	}
	if rj.Build.AsOf != "" {
		t, err := parseAsOf(rj.Build.AsOf)
		if err != nil {
			c.errorf(p+".build.as_of", "as_of", "%q: want RFC 3339 (2025-06-30T00:00:00Z) or a date (2025-06-30)", rj.Build.AsOf)
		}
		j.AsOf = t
	}
	for i, rr := range rj.Reports {
		if r, ok := c.report(fmt.Sprintf("%s.reports[%d]", p, i), j.Name, rr); ok {
			j.Reports = append(j.Reports, r)
		}
	}
	for i, rn := range rj.Notify {
		if t, ok := c.target(fmt.Sprintf("%s.notify[%d]", p, i), i, rn); ok {
			j.Notify = append(j.Notify, t)
		}
	}
	return j
}

// source checks one ingest entry: a path or glob, or {path, snapshot}.
func (c *checker) source(f *File, p string, entry any) (Source, bool) {
	var src Source
	switch v := entry.(type) {
	case string:
		src.Pattern = v
	case map[string]any:
		for k, val := range v {
			switch k {
			case "path":
				s, ok := val.(string)
				if !ok {
					c.errorf(p+".path", "path", "a path is a string")
					return src, false
				}
				src.Pattern = s
			case "snapshot":
				b, ok := val.(bool)
				if !ok {
					c.errorf(p+".snapshot", "snapshot", "true or false")
					return src, false
				}
				src.Snapshot = b
			default:
				c.errorf(p+"."+k, k, "unknown key (an ingest entry has path and snapshot)")
				return src, false
			}
		}
	default:
		c.errorf(p, "ingest", "an ingest entry is a path or glob, or {path: GLOB, snapshot: true}")
		return src, false
	}
	if strings.TrimSpace(src.Pattern) == "" {
		c.errorf(p, "path", "an ingest entry needs a path or glob")
		return src, false
	}
	if _, err := filepath.Match(src.Pattern, ""); err != nil {
		c.errorf(p, "path", "%q is not a valid glob: %v", src.Pattern, err)
		return src, false
	}
	src.Path = src.Pattern
	if !filepath.IsAbs(src.Path) {
		src.Path = filepath.Join(f.Dir, src.Path)
	}
	return src, true
}

func parseAsOf(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	t, err := time.Parse("2006-01-02", s)
	return t.UTC(), err
}

func (c *checker) report(p, job string, rr rawReport) (Report, bool) {
	if rr.Type == "" {
		c.errorf(p, "type", "every report needs a type (%s)", outputNames())
		return Report{}, false
	}
	out, err := reports.Find(rr.Type)
	if err != nil {
		c.errorf(p+".type", "type", "%v", err)
		return Report{}, false
	}
	r := Report{Output: out, Scope: reports.Scope{Team: rr.Team, Period: rr.Period, Release: rr.Release}}
	if rr.Period != "" {
		if _, err := document.ParsePeriod(rr.Period, time.Now()); err != nil {
			c.errorf(p+".period", "period", "%v", err)
		}
	}
	if out.Command == "brief" && rr.Release == "" {
		c.errorf(p, "release", "a %s report needs the release it is about", out.Name)
	}
	if rr.Release != "" && out.Command != "brief" {
		c.errorf(p+".release", "release", "only a brief is about one release; %s covers every release", out.Name)
	}
	o := rr.Out
	if o == "" {
		o = job + "/" + out.DefaultOut
	}
	clean := path.Clean(filepath.ToSlash(o))
	switch {
	case filepath.IsAbs(o) || strings.HasPrefix(o, "/"):
		c.errorf(p+".out", "out", "%q: out is a path inside the output folder, not an absolute path", o)
		return Report{}, false
	case clean == ".." || strings.HasPrefix(clean, "../") || clean == ".":
		c.errorf(p+".out", "out", "%q leaves the output folder", o)
		return Report{}, false
	}
	r.Out = clean
	return r, true
}

func outputNames() string {
	var names []string
	for _, o := range reports.Outputs() {
		names = append(names, o.Name)
	}
	if len(names) == 0 {
		return "none in this version"
	}
	return strings.Join(names, ", ")
}

func (c *checker) target(p string, i int, rn rawNotify) (notify.Target, bool) {
	t := notify.Target{Name: rn.Name, Format: notify.Format(rn.Format)}
	if t.Name == "" {
		t.Name = fmt.Sprintf("notify[%d]", i)
	}
	ok := true
	switch {
	case rn.Webhook != "" && rn.WebhookEnv != "":
		c.errorf(p, "webhook", "give webhook or webhook_env, not both")
		ok = false
	case rn.Webhook != "":
		t.URL = rn.Webhook
	case rn.WebhookEnv != "":
		t.URL = c.getenv(rn.WebhookEnv)
		if t.URL == "" {
			c.errorf(p+".webhook_env", "webhook_env", "the environment variable %s is not set", rn.WebhookEnv)
			ok = false
		}
	default:
		c.errorf(p, "webhook", "a notify target needs webhook (a URL) or webhook_env (the variable holding it)")
		ok = false
	}
	if t.URL != "" {
		// The message never repeats the URL: it may hold the hook's secret.
		if u, err := url.Parse(t.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			key := "webhook"
			if rn.WebhookEnv != "" {
				key = "webhook_env"
			}
			c.errorf(p+"."+key, key, "not an http(s) URL (the value is not shown: it may hold a secret)")
			ok = false
		}
	}
	known := false
	for _, f := range notify.Formats() {
		known = known || f == t.Format
	}
	if !known {
		var names []string
		for _, f := range notify.Formats() {
			names = append(names, string(f))
		}
		msg := fmt.Sprintf("%q is not a webhook format (%s)", rn.Format, strings.Join(names, ", "))
		if rn.Format == "" {
			msg = fmt.Sprintf("every notify target needs a format (%s)", strings.Join(names, ", "))
		} else if s := models.Closest(rn.Format, names); s != "" {
			msg = fmt.Sprintf("%q is not a webhook format; did you mean %q? (%s)", rn.Format, s, strings.Join(names, ", "))
		}
		c.errorf(p+".format", "format", "%s", msg)
		ok = false
	}
	if rn.SecretEnv != "" {
		if t.Format != notify.JSON && known {
			c.errorf(p+".secret_env", "secret_env", "only the json format is signed; %s webhooks carry their secret in the URL", t.Format)
			ok = false
		}
		secret := c.getenv(rn.SecretEnv)
		if secret == "" {
			c.errorf(p+".secret_env", "secret_env", "the environment variable %s is not set", rn.SecretEnv)
			ok = false
		} else if key, err := notify.ParseSecret(secret); err != nil {
			c.errorf(p+".secret_env", "secret_env", "%s: %v", rn.SecretEnv, err)
			ok = false
		} else {
			t.Key = key
		}
	}
	var names []string
	for _, et := range notify.EventTypes() {
		names = append(names, string(et))
	}
	for k, e := range rn.Events {
		et, found := notify.ParseEventType(e)
		if !found {
			msg := fmt.Sprintf("%q is not an event (%s)", e, strings.Join(names, ", "))
			if s := models.Closest(e, names); s != "" {
				msg = fmt.Sprintf("%q is not an event; did you mean %q? (%s)", e, s, strings.Join(names, ", "))
			}
			c.errorf(fmt.Sprintf("%s.events[%d]", p, k), "events", "%s", msg)
			ok = false
			continue
		}
		t.Events = append(t.Events, et)
	}
	return t, ok
}
