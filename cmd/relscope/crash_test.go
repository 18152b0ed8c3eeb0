package main

// DESIGN §9: "A process killed at any point of ingest or build leaves the warehouse openable
// with every file wholly loaded or not at all." Each test here kills a real relscope process
// with SIGKILL at 20 moments drawn at random (seeded: RELSCOPE_CRASH_SEED replays a run)
// over the length of an uninterrupted run, and checks after every kill that the warehouse
// opens and holds exactly one of the states a run passes through between commits — compared
// by content, table by table and column by column (internal/contentsum) — and that running
// the command again converges on the state of an uninterrupted run.

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/relscope/relscope/fixtures"
	"github.com/relscope/relscope/internal/contentsum"
)

// killsPerScenario is how many times each scenario's process is killed.
const killsPerScenario = 20

// crashSeed is the seed of the kill moments: RELSCOPE_CRASH_SEED, else a fixed one.
func crashSeed(t *testing.T) uint64 {
	if s := os.Getenv("RELSCOPE_CRASH_SEED"); s != "" {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("RELSCOPE_CRASH_SEED=%q: %v", s, err)
		}
		return n
	}
	return 19
}

// state is one state a warehouse may be in after a kill.
type state struct {
	name string
	sums contentsum.Sums
	asOf string
}

// crashScenario is a command to kill and the states the warehouse may be left in.
type crashScenario struct {
	p    proc
	base string   // the warehouse before the command (a clean file, copied for each run)
	args []string // the command, without --db
	// states the command passes through, the last being where an uninterrupted run ends.
	states []state
	// full is how long an uninterrupted run took.
	full time.Duration
}

// matches returns the name of the state sums are in, or "".
func (sc *crashScenario) matches(sums contentsum.Sums, asOf string) string {
	for _, s := range sc.states {
		if s.asOf == asOf && contentsum.Equal(sums, s.sums) {
			return s.name
		}
	}
	return ""
}

// nearest describes how sums differ from the closest allowed state.
func (sc *crashScenario) nearest(sums contentsum.Sums, asOf string) string {
	best, bestDiff := "", []string(nil)
	for _, s := range sc.states {
		d := contentsum.Diff(sums, s.sums)
		if s.asOf != asOf {
			d = append(d, fmt.Sprintf("relscope_meta as_of %q, want %q", asOf, s.asOf))
		}
		if best == "" || len(d) < len(bestDiff) {
			best, bestDiff = s.name, d
		}
	}
	if len(bestDiff) > 12 {
		bestDiff = append(bestDiff[:12], "…")
	}
	return fmt.Sprintf("closest to %q, which differs in:\n  %s", best, strings.Join(bestDiff, "\n  "))
}

// killRepeatedly kills the scenario's command killsPerScenario times. The first run starts
// from the base warehouse; after a kill the command runs again from where the kill left the
// warehouse — as a user re-runs it after a crash — and may be killed again, until a run (or
// a kill after the last commit) reaches the final state; a run that ends by itself must end
// there. Then the command is run once more, which must change nothing, and the next kill
// starts from the base again. After the last kill the command runs to its end and must
// arrive at the final state too.
func killRepeatedly(t *testing.T, sc *crashScenario) {
	seed := crashSeed(t)
	rng := rand.New(rand.NewPCG(seed, uint64(len(t.Name()))))
	final := sc.states[len(sc.states)-1]
	dir := t.TempDir()
	db := ""
	fresh := func() {
		db = filepath.Join(dir, fmt.Sprintf("w%d.duckdb", rng.Uint32()))
		copyFile(t, sc.base, db)
	}
	converge := func(why string) {
		t.Helper()
		res := sc.p.run(t, append([]string{"--db", db}, sc.args...)...)
		if res.code != 0 {
			t.Fatalf("re-run after %s: exit %d\n%s", why, res.code, tail(res.stderr, 2000))
		}
		sums, asOf := fingerprint(t, db)
		if sc.matches(sums, asOf) != final.name {
			t.Fatalf("re-run after %s did not converge: %s", why, sc.nearest(sums, asOf))
		}
	}
	fresh()
	order := rng.Perm(killsPerScenario)
	seen := map[string]int{}
	kills, attempts := 0, 0
	for kills < killsPerScenario {
		if attempts++; attempts > 3*killsPerScenario {
			t.Fatalf("only %d of %d runs were killed before they ended (seed %d)", kills, attempts, seed)
		}
		// Anywhere from just after exec to the end of an uninterrupted run: the run's length
		// in killsPerScenario slices, a moment at random in each, the slices in random order.
		slice := order[(attempts-1)%killsPerScenario]
		at := time.Duration((float64(slice) + rng.Float64()) / killsPerScenario * float64(sc.full))
		res := sc.p.runUntil(t, at, append([]string{"--db", db}, sc.args...)...)
		sums, asOf := fingerprint(t, db)
		got := sc.matches(sums, asOf)
		if !res.killed {
			// It ended first, so it must have ended well, where an uninterrupted run ends.
			if res.code != 0 {
				t.Fatalf("run (not killed) exit %d:\n%s", res.code, tail(res.stderr, 2000))
			}
			if got != final.name {
				t.Fatalf("a run after kills did not converge: %s", sc.nearest(sums, asOf))
			}
			fresh()
			continue
		}
		kills++
		if got == "" {
			t.Fatalf("kill %d at %s (seed %d): the warehouse is in no state a run passes through: %s",
				kills, at.Round(time.Millisecond), seed, sc.nearest(sums, asOf))
		}
		seen[got]++
		t.Logf("kill %2d at %6s of %s: %s", kills, at.Round(time.Millisecond), sc.full.Round(time.Millisecond), got)
		if got == final.name {
			converge(fmt.Sprintf("kill %d", kills))
			fresh()
		}
	}
	converge("the last kill")
	t.Logf("%d kills (seed %d) left the warehouse in: %v", kills, seed, seen)
}

// newScenario records the states: each step is run on a copy of base in turn (without
// being killed), and the state after each is fingerprinted; the last step is the command
// the scenario kills, and its run's length spreads the kills.
func newScenario(t *testing.T, p proc, base string, states []string, steps [][]string) *crashScenario {
	t.Helper()
	sums, asOf := fingerprint(t, base)
	sc := &crashScenario{p: p, base: base, args: steps[len(steps)-1],
		states: []state{{name: states[0], sums: sums, asOf: asOf}}}
	ref := filepath.Join(t.TempDir(), "reference.duckdb")
	copyFile(t, base, ref)
	for i, step := range steps {
		res := p.mustRun(t, 0, append([]string{"--db", ref}, step...)...)
		sums, asOf := fingerprint(t, ref)
		sc.states = append(sc.states, state{name: states[i+1], sums: sums, asOf: asOf})
		sc.full = res.elapsed
	}
	for i := 1; i < len(sc.states); i++ {
		if contentsum.Equal(sc.states[i].sums, sc.states[i-1].sums) && sc.states[i].asOf == sc.states[i-1].asOf {
			t.Fatalf("states %q and %q are the same: the test could not tell them apart", sc.states[i-1].name, sc.states[i].name)
		}
	}
	return sc
}

// writeDeploymentsCSV writes n native deployment rows (the required columns and a version),
// ids from first, with a status that depends on variant (so a second file updates what the
// first stored).
func writeDeploymentsCSV(t testing.TB, path string, first, n, variant int) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	envs := []string{"production", "staging", "dev"}
	statuses := []string{"success", "failed", "success", "rolled_back"}
	fmt.Fprintln(w, "id,service,environment,status,finished_at,version")
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := first; i < first+n; i++ {
		at := base.Add(time.Duration(i) * 7 * time.Minute)
		fmt.Fprintf(w, "dep-%07d,svc-%02d,%s,%s,%s,v%d.%d\n",
			i, i%40, envs[i%3], statuses[(i+variant)%4], at.Format(time.RFC3339), i%50, variant)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// A large native file (60,000 deployments, 3 MB: a few seconds on a loaded 2-core machine)
// updating 5,000 deployments stored by an earlier ingest: after any kill the warehouse holds
// the earlier ingest alone, or it and the whole file.
func TestKilledIngestOfALargeFile(t *testing.T) {
	if testing.Short() {
		t.Skip("kills real processes (-short)")
	}
	t.Parallel()
	dir := t.TempDir()
	p := proc{bin: relscopeBinary(t), dir: dir}
	writeDeploymentsCSV(t, filepath.Join(dir, "earlier.csv"), 0, 10000, 0)
	writeDeploymentsCSV(t, filepath.Join(dir, "deployments.csv"), 5000, 60000, 1)
	base := filepath.Join(dir, "base.duckdb")
	p.mustRun(t, 0, "--db", base, "ingest", "earlier.csv")
	sc := newScenario(t, p, base, []string{"the earlier ingest", "both files"},
		[][]string{{"ingest", "deployments.csv"}})
	killRepeatedly(t, sc)
}

// A folder of 20 Jira REST search pages, committed five pages at a time (--batch-files 5):
// after any kill the warehouse holds the pages of the batches committed before it — whole
// files, each batch all or nothing — and a re-run loads the rest.
func TestKilledIngestOfJiraPages(t *testing.T) {
	if testing.Short() {
		t.Skip("kills real processes (-short)")
	}
	t.Parallel()
	dir := t.TempDir()
	gen := filepath.Join(dir, "gen")
	if _, err := fixtures.Generate(fixtures.Options{Scale: 14500, Seed: 42, Out: gen, Mixed: true}); err != nil {
		t.Fatal(err)
	}
	pages, err := filepath.Glob(filepath.Join(gen, "jira", "PAY-search-*.json"))
	if err != nil || len(pages) < 20 {
		t.Fatalf("%d Jira pages generated (%v): want at least 20", len(pages), err)
	}
	pages = pages[:20]
	if err := os.Mkdir(filepath.Join(dir, "jira"), 0o755); err != nil {
		t.Fatal(err)
	}
	var rel []string
	for _, pg := range pages {
		r := filepath.Join("jira", filepath.Base(pg))
		if err := os.Rename(pg, filepath.Join(dir, r)); err != nil {
			t.Fatal(err)
		}
		rel = append(rel, r)
	}
	os.RemoveAll(gen)
	p := proc{bin: relscopeBinary(t), dir: dir}
	base := filepath.Join(dir, "base.duckdb")
	p.mustRun(t, 0, "--db", base, "init")
	// The states between commits: the first 5, 10, … pages loaded, by runs of their own
	// (which give the files the same ingest ids a whole run gives them); the last step is
	// the folder itself, which the test kills.
	const perBatch = 5
	names := []string{"no page"}
	var steps [][]string
	for n := perBatch; n < len(rel); n += perBatch {
		names = append(names, fmt.Sprintf("the first %d pages", n))
		steps = append(steps, append([]string{"ingest", "--batch-files", strconv.Itoa(perBatch)}, rel[:n]...))
	}
	names = append(names, fmt.Sprintf("all %d pages", len(rel)))
	steps = append(steps, []string{"ingest", "--batch-files", strconv.Itoa(perBatch), "jira"})
	sc := newScenario(t, p, base, names, steps)
	// The kills are spread over a run of the whole folder from nothing, not over the last
	// step's run (which had only the last batch to load).
	whole := filepath.Join(dir, "whole.duckdb")
	copyFile(t, base, whole)
	sc.full = p.mustRun(t, 0, append([]string{"--db", whole}, sc.args...)...).elapsed
	if sums, asOf := fingerprint(t, whole); sc.matches(sums, asOf) != names[len(names)-1] {
		t.Fatalf("ingesting the folder at once does not give the state of the batches one by one: %s", sc.nearest(sums, asOf))
	}
	killRepeatedly(t, sc)
}

// A build over a warehouse built before (as of a month earlier, before the last file was
// ingested): after any kill the marts are the previous build's, whole, or the new build's.
func TestKilledBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("kills real processes (-short)")
	}
	t.Parallel()
	dir := t.TempDir()
	if _, err := fixtures.Generate(fixtures.Options{Scale: 1000, Seed: 42, Out: dir}); err != nil {
		t.Fatal(err)
	}
	p := proc{bin: relscopeBinary(t), dir: dir}
	base := filepath.Join(dir, "base.duckdb")
	p.mustRun(t, 0, "--db", base, "ingest", "work_items.csv", "transitions.csv", "releases.csv", "deployments.csv")
	p.mustRun(t, 0, "--db", base, "build", "--as-of", "2026-09-30")
	p.mustRun(t, 0, "--db", base, "ingest", "incidents.csv", "changes.csv")
	sc := newScenario(t, p, base, []string{"the previous build", "the new build"},
		[][]string{{"build", "--as-of", "2026-10-30"}})
	killRepeatedly(t, sc)
}
