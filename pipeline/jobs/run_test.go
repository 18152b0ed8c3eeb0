package jobs

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/relscope/relscope/internal/atomicfile"
	"github.com/relscope/relscope/models"
	"github.com/relscope/relscope/pipeline/notify"
	"github.com/relscope/relscope/reports/document"
)

// TestMain lets the test binary hold a warehouse open from another process (the lock test):
// with RELSCOPE_TEST_HOLD_DB set it opens that warehouse for writing, says "held", and keeps
// it until its standard input closes.
func TestMain(m *testing.M) {
	if p := os.Getenv("RELSCOPE_TEST_HOLD_DB"); p != "" {
		w, err := models.Open(context.Background(), p, models.Options{})
		if err != nil {
			os.Stdout.WriteString("error " + err.Error() + "\n")
			os.Exit(1)
		}
		os.Stdout.WriteString("held\n")
		io.Copy(io.Discard, os.Stdin)
		w.Close()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

// The crafted organisation, first state: PAY-1 (Payments) is blocked by OPS-1 (Ops, In
// Progress); PAY-1 and PAY-2 are planned for release PAY 1.2 (due 2025-08-15), PAY 1.3 is due
// 2025-09-15; as_of 2025-07-01, so both are upcoming.
const state1Items = `key,type,status,team,created_at,fix_versions,blocked_by
PAY-1,Story,In Progress,Payments,2025-06-02,PAY 1.2,OPS-1
PAY-2,Story,In Progress,Payments,2025-06-03,PAY 1.2,
OPS-1,Task,In Progress,Ops,2025-06-01,,
`

// Second state: OPS-1 is Done, PAY-2 moved to PAY 1.3. Between the two runs, expected:
//
//	blocker_changed    OPS-1 In Progress → Done (it blocks PAY-1 of another team)
//	item_slipped       PAY-2 left PAY 1.2 (still upcoming), now planned for PAY 1.3
//	readiness_changed  PAY 1.3 go → at_risk: it held no items (every check passes), now
//	                   PAY-2, and nothing was ever delivered: no forecast, a warning
//
// and nothing else: PAY-1 stays in PAY 1.2, which stays at_risk (no forecast either; its
// open_blockers warning goes with OPS-1, the forecast's stays); no forecast has a P85 date;
// no deployments, so no DORA bands.
const state2Items = `key,type,status,team,created_at,fix_versions,blocked_by
PAY-1,Story,In Progress,Payments,2025-06-02,PAY 1.2,OPS-1
PAY-2,Story,In Progress,Payments,2025-06-03,PAY 1.3,
OPS-1,Task,Done,Ops,2025-06-01,,
`

const releasesCSV = `name,project,planned_date,is_released
PAY 1.2,PAY,2025-08-15,false
PAY 1.3,PAY,2025-09-15,false
`

// hook is a Standard Webhooks receiver on loopback: it verifies every post's signature and
// keeps the payloads.
type hook struct {
	mu       sync.Mutex
	payloads []notify.Message
	bad      int
	srv      *httptest.Server
}

func newHook(t *testing.T) *hook {
	key, _ := notify.ParseSecret(secret)
	h := &hook{}
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		h.mu.Lock()
		defer h.mu.Unlock()
		if err := notify.Verify(key, r.Header, body); err != nil {
			h.bad++
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		var p struct {
			Data notify.Message `json:"data"`
		}
		json.Unmarshal(body, &p)
		h.payloads = append(h.payloads, p.Data)
	}))
	t.Cleanup(h.srv.Close)
	return h
}

func (h *hook) last(t *testing.T) notify.Message {
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.payloads) == 0 {
		t.Fatal("no notification received")
	}
	return h.payloads[len(h.payloads)-1]
}

// count is how many verified notifications arrived.
func (h *hook) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.payloads)
}

func writeFile(t *testing.T, path, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

func newRunner(t *testing.T, dir, jobsYAML string) *Runner {
	t.Helper()
	writeFile(t, filepath.Join(dir, "jobs.yaml"), jobsYAML)
	f, err := Load(filepath.Join(dir, "jobs.yaml"), func(k string) string {
		return map[string]string{"HOOK_SECRET": secret}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	return &Runner{File: f, DBPath: filepath.Join(dir, "w.duckdb"), Version: "test", LockPoll: 50 * time.Millisecond}
}

func query(t *testing.T, db string, q string, dest ...any) {
	t.Helper()
	w, err := models.Open(context.Background(), db, models.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if err := w.DB.QueryRow(q).Scan(dest...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// A jobs file run end to end, three times, with a reader reading the dashboard throughout:
// run 1 ingests the first state, builds, renders, notifies (signed, verified) and records
// what it saw; run 2, on the second state, finds exactly the three events worked out above;
// run 3 fails (a file that does not load) and leaves run 2's dashboard in place, says so in
// job_failed with a link to it, and leaves no staged file behind. Every read of the
// dashboard by the concurrent reader sees a whole file.
func TestRunEndToEnd(t *testing.T) {
	dir := t.TempDir()
	h := newHook(t)
	r := newRunner(t, dir, `base_url: https://reports.example.com/rs
jobs:
  - name: weekly
    ingest: ["data/*.csv"]
    build: {as_of: 2025-07-01}
    reports:
      - type: html
        out: weekly/dashboard.html
    notify:
      - name: hook
        webhook: `+h.srv.URL+`/hook
        format: json
        secret_env: HOOK_SECRET
`)
	job := r.File.Jobs[0]
	writeFile(t, filepath.Join(dir, "data", "work_items.csv"), state1Items)
	writeFile(t, filepath.Join(dir, "data", "releases.csv"), releasesCSV)
	dash := filepath.Join(dir, "out", "weekly", "dashboard.html")

	// The concurrent reader.
	var reads, partial atomic.Int64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-stop:
				return
			default:
			}
			b, err := os.ReadFile(dash)
			if err != nil {
				continue
			}
			reads.Add(1)
			if !strings.HasSuffix(strings.TrimSpace(string(b)), "</html>") {
				partial.Add(1)
			}
		}
	}()
	var once sync.Once
	stopReader := func() { once.Do(func() { close(stop); <-done }) }
	defer stopReader()

	ctx := context.Background()
	res := r.Run(ctx, job)
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	if res.RunID != 1 || res.Loaded != 2 || len(res.Outputs) != 1 || len(res.Events) != 0 {
		t.Errorf("run 1: %+v", res)
	}
	if res.Outputs[0].URL != "https://reports.example.com/rs/weekly/dashboard.html" {
		t.Errorf("link %s", res.Outputs[0].URL)
	}
	first := h.last(t)
	if first.Status != "finished" || len(first.Events) != 1 || first.Events[0].Type != notify.JobFinished {
		t.Errorf("first message %+v", first)
	}
	if _, err := os.Stat(dash); err != nil {
		t.Fatal(err)
	}

	writeFile(t, filepath.Join(dir, "data", "work_items.csv"), state2Items)
	res = r.Run(ctx, job)
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	var got []string
	for _, e := range res.Events {
		got = append(got, string(e.Type)+" "+e.Subject+" "+e.From+"→"+e.To)
	}
	want := []string{"blocker_changed OPS-1 In Progress→Done", "item_slipped PAY-2 PAY 1.2→PAY 1.3", "readiness_changed PAY 1.3 go→at_risk"}
	if strings.Join(got, "; ") != strings.Join(want, "; ") {
		t.Errorf("run 2 events %q, want %q", got, want)
	}
	if res.Loaded != 1 || res.Skipped != 1 {
		t.Errorf("run 2 loaded %d, unchanged %d: want 1 and 1 (releases.csv is unchanged)", res.Loaded, res.Skipped)
	}
	second := h.last(t)
	if len(second.Events) != 4 || second.Events[1].Type != notify.BlockerChanged || !strings.Contains(second.Events[2].Summary, "now planned for PAY 1.3") ||
		!strings.Contains(second.Events[3].Summary, "Warning: forecast (no forecast: too little history") {
		t.Errorf("second message %+v", second.Events)
	}
	before, _ := os.ReadFile(dash)

	writeFile(t, filepath.Join(dir, "data", "zz-broken.csv"), "key,type\nPAY-9\n")
	res = r.Run(ctx, job)
	if res.Err == nil || !strings.Contains(res.Err.Error(), "zz-broken.csv") {
		t.Fatalf("run 3 error %v", res.Err)
	}
	after, _ := os.ReadFile(dash)
	if string(before) != string(after) {
		t.Error("a failed run changed the previous dashboard")
	}
	failed := h.last(t)
	if failed.Status != "failed" || failed.Events[0].Type != notify.JobFailed || len(failed.Outputs) != 1 ||
		!strings.Contains(failed.Events[0].Summary, "previous outputs are still in place") {
		t.Errorf("failure message %+v", failed)
	}
	entries, _ := os.ReadDir(filepath.Dir(dash))
	if len(entries) != 1 {
		t.Errorf("output folder holds %v", entries)
	}

	stopReader()
	if reads.Load() == 0 || partial.Load() != 0 {
		t.Errorf("%d reads, %d of them partial", reads.Load(), partial.Load())
	}
	if h.bad != 0 {
		t.Errorf("%d posts failed verification", h.bad)
	}

	var runs, finished, logged, deliveredLogged int
	var lastStatus string
	query(t, r.DBPath, `select count(*), count(*) filter (where status = 'finished'), any_value(status order by run_id desc) from job_runs`, &runs, &finished, &lastStatus)
	query(t, r.DBPath, `select count(*), count(*) filter (where outcome = 'delivered' and attempts = 1 and target = 'hook' and format = 'json') from notification_log`, &logged, &deliveredLogged)
	if runs != 3 || finished != 2 || lastStatus != "failed" || logged != 3 || deliveredLogged != 3 {
		t.Errorf("job_runs %d (%d finished, last %s), notification_log %d (%d delivered)", runs, finished, lastStatus, logged, deliveredLogged)
	}
	var endpoint string
	query(t, r.DBPath, `select any_value(endpoint) from notification_log`, &endpoint)
	if strings.Contains(endpoint, "127.0.0.1") || len(endpoint) != 12 {
		t.Errorf("endpoint %q", endpoint)
	}
}

// Another process holds the warehouse: the run waits (lock_timeout), then fails clearly; once
// the other process lets go, the next run works.
func TestRunWaitsForLock(t *testing.T) {
	dir := t.TempDir()
	r := newRunner(t, dir, "lock_timeout: 1s\njobs:\n  - name: j\n    ingest: [data/*.csv]\n    build: {as_of: 2025-07-01}\n")
	writeFile(t, filepath.Join(dir, "data", "work_items.csv"), state1Items)
	w, err := models.Open(context.Background(), r.DBPath, models.Options{})
	if err != nil {
		t.Fatal(err)
	}
	w.Close()

	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	holder := exec.Command(exe)
	holder.Env = append(os.Environ(), "RELSCOPE_TEST_HOLD_DB="+r.DBPath)
	stdin, _ := holder.StdinPipe()
	stdout, _ := holder.StdoutPipe()
	if err := holder.Start(); err != nil {
		t.Fatal(err)
	}
	line, _ := bufio.NewReader(stdout).ReadString('\n')
	if line != "held\n" {
		t.Fatalf("holder: %q", line)
	}
	start := time.Now()
	res := r.Run(context.Background(), r.File.Jobs[0])
	if res.Err == nil || !strings.Contains(res.Err.Error(), "in use by another process and stayed so for 1s") {
		t.Errorf("while held: %v", res.Err)
	}
	if took := time.Since(start); took < time.Second {
		t.Errorf("gave up after %s, before lock_timeout", took)
	}
	stdin.Close()
	holder.Wait()
	if res := r.Run(context.Background(), r.File.Jobs[0]); res.Err != nil {
		t.Errorf("after release: %v", res.Err)
	}
}

// The forecast and readiness events between two runs. Team Payments delivered one item on
// each of 10 days in the 90 before as_of (2025-07-01): a day delivers an item with chance
// 10/90 = 1/9 in the Monte Carlo. Release PAY 1.3 is due 2025-08-15 (46 days from as_of's day,
// which is day 1).
//
// Run 1: PAY 1.3 holds one open item. Its P85 date is where 85% of trials have drawn a
// delivering day: (8/9)^n ≤ 0.15 from n = 17 (ln 0.15 / ln 8/9 = 16.1), about 2025-07-17, on
// or before the planned date; P(on time) = 1 − (8/9)^46 ≈ 0.996 ≥ 85%, so the forecast check
// passes, as does every other (no blockers, endorsements, regulated items, freeze changes,
// packaging limits or change records): verdict go.
//
// Run 2: seven more open items join PAY 1.3. Eight deliveries at 1/9 a day: 85% of trials
// have them by day 97 (the least n with P(Binomial(n, 1/9) ≥ 8) ≥ 0.85), 2025-10-05, past
// 2025-08-15; P(on time) = P(Binomial(46, 1/9) ≥ 8) = 0.133, under 50%: the forecast check
// fails and the verdict is no_go. (The Monte Carlo's 10,000 trials give 2025-10-04 and
// 0.139.) Expected, exactly:
//
//	item_slipped       PAY 1.3  P85 2025-07-17 → about 2025-10-05 (p85_past_planned)
//	readiness_changed  PAY 1.3  go → no_go
//
// and nothing else (no item left a release, no blocker, no deployment so no DORA band).
func TestRunForecastAndReadinessEvents(t *testing.T) {
	dir := t.TempDir()
	h := newHook(t)
	r := newRunner(t, dir, `jobs:
  - name: weekly
    ingest: ["data/*.csv"]
    build: {as_of: 2025-07-01}
    notify:
      - webhook: `+h.srv.URL+`/hook
        format: json
        secret_env: HOOK_SECRET
        events: [item_slipped, readiness_changed]
`)
	job := r.File.Jobs[0]
	var history strings.Builder
	history.WriteString("key,type,status,team,created_at,resolved_at,fix_versions\n")
	for i, day := range []string{"04-07", "04-15", "04-24", "05-02", "05-13", "05-21", "05-30", "06-09", "06-18", "06-26"} {
		fmt.Fprintf(&history, "PAY-%d,Story,Done,Payments,2025-03-01,2025-%sT12:00:00Z,\n", 100+i, day)
	}
	items := func(open int) string {
		var b strings.Builder
		b.WriteString(history.String())
		for i := 1; i <= open; i++ {
			fmt.Fprintf(&b, "PAY-%d,Story,To Do,Payments,2025-06-20,,PAY 1.3\n", i)
		}
		return b.String()
	}
	writeFile(t, filepath.Join(dir, "data", "releases.csv"), "name,project,planned_date,is_released\nPAY 1.3,PAY,2025-08-15,false\n")
	writeFile(t, filepath.Join(dir, "data", "work_items.csv"), items(1))
	ctx := context.Background()
	res := r.Run(ctx, job)
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	if len(res.Events) != 0 {
		t.Errorf("run 1 events %+v", res.Events)
	}
	var p85, verdict string
	query(t, r.DBPath, `select p85_date::varchar from mart_release_forecast where release = 'PAY 1.3'`, &p85)
	query(t, r.DBPath, `select status from mart_release_readiness where release = 'PAY 1.3' and check_name = 'verdict'`, &verdict)
	if p85 < "2025-07-14" || p85 > "2025-07-20" || verdict != "go" {
		t.Fatalf("run 1: P85 %s, verdict %s; want about 2025-07-17 and go", p85, verdict)
	}
	if n := h.count(); n != 0 {
		t.Errorf("run 1 sent %d notification(s); its only event, job_finished, is filtered out", n)
	}

	writeFile(t, filepath.Join(dir, "data", "work_items.csv"), items(8))
	res = r.Run(ctx, job)
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	var got []string
	for _, e := range res.Events {
		got = append(got, string(e.Type)+" "+e.Subject+" "+e.Detail["reason"])
	}
	want := []string{"item_slipped PAY 1.3 p85_past_planned", "readiness_changed PAY 1.3 "}
	if strings.Join(got, "; ") != strings.Join(want, "; ") {
		t.Fatalf("run 2 events %q, want %q", got, want)
	}
	slip, ready := res.Events[0], res.Events[1]
	if slip.From != p85 || slip.To < "2025-09-28" || slip.To > "2025-10-12" || slip.Detail["planned_date"] != "2025-08-15" ||
		slip.Detail["p_on_time"] < "0.11" || slip.Detail["p_on_time"] > "0.16" ||
		!strings.Contains(slip.Summary, "past its planned 2025-08-15 (was P85 "+p85+")") {
		t.Errorf("item_slipped %+v", slip)
	}
	if ready.From != "go" || ready.To != "no_go" || !strings.Contains(ready.Summary, "Failing: forecast (P(on time)") {
		t.Errorf("readiness_changed %+v", ready)
	}
	m := h.last(t)
	var sent []string
	for _, e := range m.Events {
		sent = append(sent, string(e.Type))
	}
	if n := h.count(); n != 1 || strings.Join(sent, " ") != "item_slipped readiness_changed" || h.bad != 0 {
		t.Errorf("%d notification(s), the last with %q (%d unverified)", n, sent, h.bad)
	}
}

// failingRenderer fails as a full disk does: the temporary file it writes through
// internal/atomicfile cannot be written.
type failingRenderer struct{}

func (failingRenderer) Name() string { return "html" }

func (failingRenderer) Render(_ context.Context, _ *document.Document, dst string) error {
	return atomicfile.Write(dst, 0o644, func(w io.Writer) error {
		return &os.PathError{Op: "write", Path: w.(*os.File).Name(), Err: syscall.ENOSPC}
	})
}

// A report that fails to render fails the run with an error naming the output's final path,
// never the hidden name it is staged under, and leaves nothing staged behind.
func TestRunRenderFailureNamesTheOutput(t *testing.T) {
	dir := t.TempDir()
	r := newRunner(t, dir, "jobs:\n  - name: weekly\n    ingest: [data/*.csv]\n    build: {as_of: 2025-07-01}\n    reports:\n      - type: html\n        out: weekly/dashboard.html\n")
	writeFile(t, filepath.Join(dir, "data", "work_items.csv"), state1Items)
	job := r.File.Jobs[0]
	job.Reports[0].Output.Renderer = failingRenderer{}
	res := r.Run(context.Background(), job)
	final := filepath.Join(dir, "out", "weekly", "dashboard.html")
	want := "render: render html to " + final + ": write " + final + ": no space left on device"
	if res.Err == nil || res.Err.Error() != want {
		t.Fatalf("error %v\nwant %s", res.Err, want)
	}
	if !errors.Is(res.Err, syscall.ENOSPC) {
		t.Error("the cause is lost")
	}
	entries, _ := os.ReadDir(filepath.Dir(final))
	if len(entries) != 0 {
		t.Errorf("left behind: %v", entries)
	}
}
