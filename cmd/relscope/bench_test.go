package main

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/relscope/relscope/fixtures"
	"github.com/relscope/relscope/queries"
)

// BenchmarkPipeline is `make bench`: the project's performance record. For each fixture shape
// in RELSCOPE_BENCH_SHAPES (default mixed,jira-server: relscope fixtures --shape) and each
// scale in RELSCOPE_BENCH_SCALES (default 10000,100000,1000000 for mixed, 200000,1000000 for
// jira-server) it generates fixtures once
// (cached in RELSCOPE_BENCH_DIR), then times, as separate processes so peak memory is each
// step's own:
//   - relscope ingest of the fixtures, and DuckDB's own read_csv loading the same files raw
//     (alternating, best of 3): the ratio is what counts;
//   - relscope build (its time over the raw load's is noted);
//   - every named query;
//   - every report command that exists (found through the CLI's own completion, so renderers
//     join the benchmark as they land), each with its time over the raw load and its size.
//
// It prints a table per shape and scale and writes every figure as JSON to RELSCOPE_BENCH_DIR.
func BenchmarkPipeline(b *testing.B) {
	dir := os.Getenv("RELSCOPE_BENCH_DIR")
	bin := os.Getenv("RELSCOPE_BIN")
	if dir == "" || bin == "" {
		b.Skip("set RELSCOPE_BENCH_DIR and RELSCOPE_BIN (make bench does)")
	}
	// Each shape's own scales unless RELSCOPE_BENCH_SCALES names them for all: the mixed
	// organisation at 10k, 100k and 1M items, the Jira Server one at 200k and 1M (issue #20).
	defaultScales := map[string][]int{fixtures.ShapeJiraServer: {200000, 1000000}}
	var scales []int
	if s := os.Getenv("RELSCOPE_BENCH_SCALES"); s != "" {
		scales = nil
		for _, f := range strings.Split(s, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil || n <= 0 {
				b.Fatalf("RELSCOPE_BENCH_SCALES: %q", s)
			}
			scales = append(scales, n)
		}
	}
	shapes := []string{fixtures.ShapeMixed, fixtures.ShapeJiraServer}
	if s := os.Getenv("RELSCOPE_BENCH_SHAPES"); s != "" {
		shapes = nil
		for _, f := range strings.Split(s, ",") {
			f = strings.TrimSpace(f)
			if f != fixtures.ShapeMixed && f != fixtures.ShapeNative && f != fixtures.ShapeJiraServer {
				b.Fatalf("RELSCOPE_BENCH_SHAPES: %q", s)
			}
			shapes = append(shapes, f)
		}
	}
	rounds := 3
	if s := os.Getenv("RELSCOPE_BENCH_ROUNDS"); s != "" {
		rounds, _ = strconv.Atoi(s)
	}
	report := benchReport{Started: time.Now().UTC(), Rounds: rounds}
	for _, shape := range shapes {
		var figs []scaleFigs
		sc := scales
		if sc == nil {
			sc = defaultScales[shape]
		}
		if sc == nil {
			sc = []int{10000, 100000, 1000000}
		}
		for _, scale := range sc {
			figs = append(figs, benchScale(b, bin, dir, shape, scale, rounds))
		}
		printScaling(figs)
		report.Scales = append(report.Scales, figs...)
	}
	printTargets(report.Scales)
	out := filepath.Join(dir, "bench-"+report.Started.Format("20060102-150405")+".json")
	data, _ := json.MarshalIndent(report, "", "  ")
	if err := os.WriteFile(out, append(data, '\n'), 0o644); err != nil {
		b.Fatal(err)
	}
	fmt.Printf("\nfigures: %s\n", out)
}

type benchReport struct {
	Started time.Time   `json:"started"`
	Rounds  int         `json:"rounds"`
	Scales  []scaleFigs `json:"scales"`
}

type scaleFigs struct {
	Shape string     `json:"shape"`
	Scale int        `json:"scale"`
	MB    float64    `json:"input_mb"`
	Rows  int        `json:"input_rows"`
	Steps []stepFigs `json:"steps"`
	Ratio float64    `json:"ingest_over_raw"`
	// RatioRecord compares with DuckDB loading the files and keeping each record as JSON too,
	// which is what relscope stores (typed columns plus the raw record).
	RatioRecord float64 `json:"ingest_over_raw_with_record"`
	// BuildRatio is relscope build's time over the raw load's (issue #20: at most 0.6).
	BuildRatio float64 `json:"build_over_raw"`
}

type stepFigs struct {
	Step     string  `json:"step"`
	Seconds  float64 `json:"seconds"`
	PeakMB   float64 `json:"peak_rss_mb"`
	MBPerS   float64 `json:"mb_per_s,omitempty"`
	RowsPerS float64 `json:"rows_per_s,omitempty"`
	Note     string  `json:"note,omitempty"`
	OverRaw  float64 `json:"over_raw,omitempty"`  // reports: time over the raw load's
	OutMB    float64 `json:"output_mb,omitempty"` // reports: the output's size
	out      string  // the step's standard error
}

func benchScale(b *testing.B, bin, dir, shape string, scale, rounds int) scaleFigs {
	// The mixed fixtures keep the folder names they always had, so caches stay valid.
	name := fmt.Sprintf("%s-%d", shape, scale)
	if shape == fixtures.ShapeMixed {
		name = fmt.Sprintf("%d", scale)
	}
	fx := filepath.Join(dir, "fixtures-"+name)
	m, err := fixtures.ReadManifest(fx)
	if err != nil || m.Scale != scale || benchShape(m) != shape {
		os.RemoveAll(fx)
		fmt.Printf("generating %d items (%s) into %s\n", scale, shape, fx)
		if m, err = fixtures.Generate(fixtures.Options{Scale: scale, Seed: 42, Out: fx, Mixed: shape == fixtures.ShapeMixed, Shape: shape}); err != nil {
			b.Fatal(err)
		}
	}
	figs := scaleFigs{Shape: shape, Scale: scale}
	for _, f := range m.Files {
		figs.MB += float64(f.Bytes) / 1e6
		figs.Rows += f.Rows
	}
	work := filepath.Join(dir, "work-"+name)
	os.RemoveAll(work)
	os.MkdirAll(work, 0o755)

	// The whole organisation, then each export format on its own: relscope's ingest of the
	// files against DuckDB's own readers loading the same files.
	var all []string
	byFormat := map[string][]string{}
	var formats []string
	formatOf = map[string]string{}
	for _, f := range m.Files {
		p := filepath.Join(fx, f.Name)
		formatOf[p] = f.Format
		all = append(all, p)
		if byFormat[f.Format] == nil {
			formats = append(formats, f.Format)
		}
		byFormat[f.Format] = append(byFormat[f.Format], p)
	}
	sort.Strings(formats)
	ing, raw, rec := compareIngest(b, bin, work, "ingest (all)", all, rounds)
	for _, s := range []*stepFigs{&ing, &raw, &rec} {
		s.RowsPerS = float64(figs.Rows) / s.Seconds
	}
	figs.Ratio = ing.Seconds / raw.Seconds
	figs.RatioRecord = ing.Seconds / rec.Seconds
	figs.Steps = append(figs.Steps, ing, raw, rec)
	for _, f := range formats {
		r := rounds
		if sizeOf(byFormat[f]) < 20e6 {
			r = 1 // small groups: one round is enough to see the ratio
		}
		ing, raw, rec := compareIngest(b, bin, work, "ingest "+f, byFormat[f], r)
		figs.Steps = append(figs.Steps, ing, raw, rec)
	}
	db := filepath.Join(work, "relscope.duckdb")
	os.Remove(db)
	os.Remove(db + ".wal")
	runStep(b, "ingest for build", bin, "--quiet", "--db", db, "--config", filepath.Join(fx, fixtures.ConfigFile), "ingest", fx)

	build := runStep(b, "build", bin, "--quiet", "--db", db, "--config", filepath.Join(fx, fixtures.ConfigFile), "build", "--as-of", m.End.Format(time.RFC3339), "--timings")
	figs.BuildRatio = build.Seconds / raw.Seconds
	build.Note = fmt.Sprintf("%.2fx raw load", figs.BuildRatio)
	figs.Steps = append(figs.Steps, build)
	figs.Steps = append(figs.Steps, modelGroupSteps(build.out)...)
	if s, ok := tryStep("forecast --backtest", bin, "--quiet", "--db", db, "forecast", "--backtest", "--format", "json"); ok {
		s.Note = "every past release forecast as of 14 days before it went out"
		figs.Steps = append(figs.Steps, s)
	}

	qs, err := queries.All()
	if err != nil {
		b.Fatal(err)
	}
	for _, q := range qs {
		figs.Steps = append(figs.Steps, runStep(b, "query @"+q.Name, bin, "--quiet", "--db", db, "query", "--format", "csv", "--out", filepath.Join(work, q.Name+".csv"), "@"+q.Name))
	}
	for _, r := range reportCommands(bin) {
		args := append([]string{"--quiet", "--db", db}, r...)
		dst := filepath.Join(work, strings.Join(r, "-"))
		args = append(args, "--out", dst)
		s, ok := tryStep(strings.Join(r, " "), bin, args...)
		if ok {
			// Each report within half the raw load's time (issue #20); what a reader opens:
			// the dashboard must stay under 10 MB at any scale.
			s.Note = fmt.Sprintf("%.2fx raw load", s.Seconds/raw.Seconds)
			s.OverRaw = s.Seconds / raw.Seconds
			if info, err := os.Stat(dst); err == nil && !info.IsDir() {
				s.OutMB = float64(info.Size()) / 1e6
				s.Note += fmt.Sprintf(", output %.1f MB", s.OutMB)
			}
			figs.Steps = append(figs.Steps, s)
		}
	}
	printScale(figs)
	return figs
}

// governanceModels are the planning and governance models (#13): their build time at each
// scale is shown as a step of its own under build, and the Go-computed forecasts apart.
var governanceModels = []string{"int_item_tags", "int_item_evidence", "int_item_risk", "int_item_class",
	"int_release_items", "int_upcoming_releases", "int_item_upcoming_release", "int_item_changes", "int_freeze_changes",
	"int_promotion_checks", "int_blocking_links", "int_rule_coverage", "mart_backlog_priority", "mart_release_violations",
	"mart_compliance_gaps", "mart_dependency_edges", "mart_dependency_bottlenecks", "mart_blocked_time",
	"mart_release_forecast", "mart_forecast_backtest", "mart_forecast_calibration", "mart_release_readiness"}

// modelGroupSteps reads `build --timings` output and sums the governance models' time, and
// the Go forecasts' within it, each as a sub-step of build naming its slowest models.
func modelGroupSteps(out string) []stepFigs {
	times := map[string]float64{}
	var commit *stepFigs
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) >= 4 && f[0] == "build" && f[1] == "commit" {
			secs, _ := strconv.ParseFloat(f[2], 64)
			commit = &stepFigs{Step: "  commit", Seconds: secs, Note: "writing what the models made (and a checkpoint)"}
		}
		if len(f) >= 6 && f[0] == "model" && f[3] == "rows" && f[5] == "s" {
			times[f[1]], _ = strconv.ParseFloat(f[4], 64)
		}
	}
	group := func(name string, members []string) stepFigs {
		s := stepFigs{Step: name}
		var slow []string
		for _, m := range members {
			s.Seconds += times[m]
			slow = append(slow, m)
		}
		sort.SliceStable(slow, func(i, j int) bool { return times[slow[i]] > times[slow[j]] })
		var parts []string
		for _, m := range slow[:min(3, len(slow))] {
			parts = append(parts, fmt.Sprintf("%s %.2fs", m, times[m]))
		}
		s.Note = fmt.Sprintf("%d models; slowest: %s", len(members), strings.Join(parts, ", "))
		return s
	}
	if len(times) == 0 {
		return nil
	}
	steps := []stepFigs{
		group("  governance models", governanceModels),
		group("  forecasts (Go models)", []string{"mart_release_forecast", "mart_forecast_backtest"}),
	}
	if commit != nil {
		steps = append(steps, *commit)
	}
	return steps
}

// compareIngest times relscope ingesting files into a fresh warehouse against DuckDB loading
// them raw, and raw keeping each record as JSON; best of rounds, alternating.
func compareIngest(b *testing.B, bin, work, name string, files []string, rounds int) (ing, raw, rec stepFigs) {
	db := filepath.Join(work, "cmp.duckdb")
	for r := 0; r < rounds; r++ {
		os.Remove(db)
		os.Remove(db + ".wal")
		in := runStep(b, name, bin, append([]string{"--quiet", "--db", db, "ingest", "--force"}, files...)...)
		rw := rawLoad(b, files, filepath.Join(work, "raw.duckdb"), false)
		rc := rawLoad(b, files, filepath.Join(work, "raw.duckdb"), true)
		if r == 0 || in.Seconds < ing.Seconds {
			ing = in
		}
		if r == 0 || rw.Seconds < raw.Seconds {
			raw = rw
		}
		if r == 0 || rc.Seconds < rec.Seconds {
			rec = rc
		}
	}
	mb := sizeOf(files) / 1e6
	for _, s := range []*stepFigs{&ing, &raw, &rec} {
		s.MBPerS = mb / s.Seconds
	}
	raw.Step = "  raw load (DuckDB read_csv/read_json)"
	rec.Step = "  raw load + record (to_json)"
	ing.Note = fmt.Sprintf("%.2fx raw, %.2fx raw+record", ing.Seconds/raw.Seconds, ing.Seconds/rec.Seconds)
	return ing, raw, rec
}

func sizeOf(files []string) float64 {
	var n int64
	for _, f := range files {
		if info, err := os.Stat(f); err == nil {
			n += info.Size()
		}
	}
	return float64(n)
}

// reportCommands lists the report invocations the binary offers: each `report` format its
// completion names, plus brief (of the latest released release with items: no --release)
// and publish. Those not built yet fail and are skipped.
func reportCommands(bin string) [][]string {
	var cmds [][]string
	out, _ := exec.Command(bin, "__complete", "report", "").Output()
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, ":") || strings.HasPrefix(line, "-") {
			continue
		}
		cmds = append(cmds, []string{"report", strings.Fields(line)[0]})
	}
	return append(cmds, []string{"brief"}, []string{"publish"})
}

// runStep runs one command as its own process and measures its wall time and peak RSS.
func runStep(b *testing.B, name, bin string, args ...string) stepFigs {
	s, ok := tryStep(name, bin, args...)
	if !ok {
		b.Fatalf("%s failed", name)
	}
	return s
}

func tryStep(name, bin string, args ...string) (stepFigs, bool) {
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "RELSCOPE_PEAK_RSS=1")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	start := time.Now()
	err := cmd.Run()
	elapsed := time.Since(start)
	if err != nil {
		if !strings.Contains(stderr.String(), "not yet available") {
			fmt.Printf("%s: %v\n%s", name, err, stderr.String())
		}
		return stepFigs{}, false
	}
	return stepFigs{Step: name, Seconds: elapsed.Seconds(), PeakMB: peakMB(stderr.String()), out: stderr.String()}, true
}

// peakMB reads the "peak RSS: N kB" line a child printed (RELSCOPE_PEAK_RSS). getrusage's
// maxrss cannot be used: on Linux a child inherits it from the process that forked it, so every
// step would show at least this benchmark's own memory.
func peakMB(out string) float64 {
	i := strings.LastIndex(out, "peak RSS: ")
	if i < 0 {
		return 0
	}
	f := strings.Fields(out[i+len("peak RSS: "):])
	if len(f) == 0 {
		return 0
	}
	kb, _ := strconv.ParseFloat(f[0], 64)
	return kb / 1024
}

// rawLoad is the physical limit: DuckDB's own read_csv loading each fixture file into a table,
// in a child process (this test binary re-run with RELSCOPE_BENCH_RAW) so its memory is its own.
// withRecord also keeps every record as JSON (to_json of the row), as relscope does.
// formatOf maps each fixture file to its export format, for the raw loads' grouping.
var formatOf map[string]string

func rawLoad(b *testing.B, files []string, dbPath string, withRecord bool) stepFigs {
	os.Remove(dbPath)
	os.Remove(dbPath + ".wal")
	lines := make([]string, len(files))
	for i, f := range files {
		lines[i] = formatOf[f] + "\t" + f
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestRawLoadChild$")
	cmd.Env = append(os.Environ(), "RELSCOPE_BENCH_RAW="+strings.Join(lines, "\n"), "RELSCOPE_BENCH_RAW_DB="+dbPath)
	name := "raw load (DuckDB read_csv)"
	if withRecord {
		cmd.Env = append(cmd.Env, "RELSCOPE_BENCH_RAW_RECORD=1")
		name = "raw load + record (read_csv, to_json)"
	}
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	if err := cmd.Run(); err != nil {
		b.Fatalf("raw load: %v\n%s", err, out.String())
	}
	return stepFigs{Step: name, Seconds: time.Since(start).Seconds(), PeakMB: peakMB(out.String())}
}

// TestRawLoadChild does the raw load when run as BenchmarkPipeline's child; otherwise it skips.
func TestRawLoadChild(t *testing.T) {
	list := os.Getenv("RELSCOPE_BENCH_RAW")
	if list == "" {
		t.Skip("run by BenchmarkPipeline")
	}
	c, err := duckdb.NewConnector(os.Getenv("RELSCOPE_BENCH_RAW_DB"), nil)
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(c)
	defer db.Close()
	record := ""
	if os.Getenv("RELSCOPE_BENCH_RAW_RECORD") != "" {
		record = ", to_json(r)::varchar as raw"
	}
	// One table per export format, each read by one call over all its files — how DuckDB
	// itself loads a set of pages (one CREATE TABLE per file would charge DuckDB a per-file
	// cost it does not have, and flatter relscope).
	groups := map[string][]string{}
	var order []string
	for _, line := range strings.Split(list, "\n") {
		g, f, _ := strings.Cut(line, "\t") // format TAB path
		if groups[g] == nil {
			order = append(order, g)
		}
		groups[g] = append(groups[g], f)
	}
	for i, g := range order {
		reader := "read_csv"
		if strings.HasSuffix(groups[g][0], ".json") {
			reader = "read_json"
		}
		q := fmt.Sprintf(`create table t%d as select *%s from %s(?, union_by_name = true) as r`, i, record, reader)
		if _, err := db.ExecContext(context.Background(), q, groups[g]); err != nil {
			t.Fatal(errors.New(g + ": " + err.Error()))
		}
	}
	db.Close()
	reportPeakRSS(os.Stdout)
}

// benchShape is the shape a cached fixture folder was generated with (manifests written
// before shapes existed say only whether they were mixed).
func benchShape(m *fixtures.Manifest) string {
	switch {
	case m.Shape != "":
		return m.Shape
	case m.Mixed:
		return fixtures.ShapeMixed
	}
	return fixtures.ShapeNative
}

func printScale(f scaleFigs) {
	fmt.Printf("\n%s, scale %d items: %.1f MB, %d rows of input\n", f.Shape, f.Scale, f.MB, f.Rows)
	fmt.Printf("%-38s %9s %10s %9s %12s  %s\n", "step", "seconds", "peak MB", "MB/s", "rows/s", "")
	for _, s := range f.Steps {
		mbs, rps := "", ""
		if s.MBPerS > 0 {
			mbs = fmt.Sprintf("%.1f", s.MBPerS)
		}
		if s.RowsPerS > 0 {
			rps = fmt.Sprintf("%.0f", s.RowsPerS)
		}
		fmt.Printf("%-38s %9.2f %10.0f %9s %12s  %s\n", s.Step, s.Seconds, s.PeakMB, mbs, rps, s.Note)
	}
}

// printScaling shows how each step's cost grows with the input: seconds per million input rows
// at each scale. Close to constant means linear.
func printScaling(all []scaleFigs) {
	if len(all) < 2 {
		return
	}
	fmt.Printf("\n%s scaling: seconds per million input rows\n%-34s", all[0].Shape, "step")
	for _, f := range all {
		fmt.Printf(" %10d", f.Scale)
	}
	fmt.Println()
	for _, s := range all[0].Steps {
		if strings.HasPrefix(s.Step, "query @") || strings.HasPrefix(s.Step, "  ") || (strings.HasPrefix(s.Step, "ingest ") && s.Step != "ingest (all)") {
			continue
		}
		fmt.Printf("%-38s", s.Step)
		for _, f := range all {
			for _, fs := range f.Steps {
				if fs.Step == s.Step {
					fmt.Printf(" %10.2f", fs.Seconds/float64(f.Rows)*1e6)
				}
			}
		}
		fmt.Println()
	}
}

// printTargets is the table issue #20's note needs, one row per shape and scale, each figure
// beside its target: ingest ≤ 1.5× the raw load, build ≤ 0.6×, every report ≤ 0.5× (the
// slowest named), the dashboard ≤ 10 MB, peak RSS ≤ 1.5 GB ingest and ≤ 1 GB build at 1M.
func printTargets(all []scaleFigs) {
	fmt.Printf("\ntargets (issue #20): ingest <= 1.5x raw, build <= 0.6x raw, each report <= 0.5x raw, dashboard <= 10 MB, peak ingest <= 1500 MB, build <= 1000 MB\n")
	fmt.Printf("%-12s %8s %8s %8s %10s %9s %10s %9s  %-26s %7s\n", "shape", "items", "input MB", "raw s", "ingest/raw", "ingest MB", "build/raw", "build MB", "slowest report/raw", "dash MB")
	for _, f := range all {
		var raw, ingPeak, buildPeak, dash, worst float64
		worstName := "-"
		for _, s := range f.Steps {
			switch {
			case s.Step == "  raw load (DuckDB read_csv/read_json)" && raw == 0:
				raw = s.Seconds // the first: the whole organisation's
			case s.Step == "ingest (all)":
				ingPeak = s.PeakMB
			case s.Step == "build":
				buildPeak = s.PeakMB
			case s.OverRaw > 0:
				if s.OverRaw > worst {
					worst, worstName = s.OverRaw, s.Step
				}
				if s.Step == "report html" {
					dash = s.OutMB
				}
			}
		}
		fmt.Printf("%-12s %8d %8.0f %8.2f %9.2fx %9.0f %9.2fx %9.0f  %-26s %7.1f\n", f.Shape, f.Scale, f.MB, raw, f.Ratio, ingPeak, f.BuildRatio, buildPeak,
			fmt.Sprintf("%.2fx %s", worst, worstName), dash)
	}
}
