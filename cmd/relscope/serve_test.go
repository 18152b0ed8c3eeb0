package main

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// serveItems is a tiny backlog for the serve test's job.
const serveItems = `key,type,status,team,created_at
PAY-1,Story,In Progress,Payments,2025-06-02
PAY-2,Story,Done,Payments,2025-06-03
`

// relscope serve as a real process: an @every 1s job runs again and again (two runs
// finished, seen in the structured log, not slept for); the output folder is served over
// HTTP on loopback — the dashboard, but no dotfile, nothing through "..", no symlink out;
// SIGTERM stops it cleanly with exit 0. Timeouts are generous and only bound a failure.
func TestServeReRunsAndStopsOnSIGTERM(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "data"), 0o755)
	os.WriteFile(filepath.Join(dir, "data", "work_items.csv"), []byte(serveItems), 0o644)
	os.WriteFile(filepath.Join(dir, "jobs.yaml"), []byte(`jobs:
  - name: often
    schedule: "@every 1s"
    ingest: [data/*.csv]
    build: {as_of: 2025-07-01}
    reports:
      - {type: html, out: often/dashboard.html}
`), 0o644)
	secretFile := filepath.Join(dir, "secret.txt")
	os.WriteFile(secretFile, []byte("outside the folder"), 0o644)
	os.MkdirAll(filepath.Join(dir, "out"), 0o755)
	os.Symlink(secretFile, filepath.Join(dir, "out", "leak.txt"))
	os.WriteFile(filepath.Join(dir, "out", ".hidden"), []byte("dot"), 0o644)

	cmd := exec.Command("relscope", "--db", filepath.Join(dir, "w.duckdb"), "serve", "jobs.yaml", "--listen", "127.0.0.1:0", "--log-format", "json")
	cmd.Dir = dir
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	lines := make(chan map[string]any, 10000)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			var m map[string]any
			if json.Unmarshal(sc.Bytes(), &m) != nil {
				m = map[string]any{"msg": "unparsed: " + sc.Text()}
			}
			lines <- m
		}
		close(lines)
		exited <- cmd.Wait()
	}()
	defer cmd.Process.Kill()

	addr, finished := "", 0
	deadline := time.After(90 * time.Second)
	for finished < 2 {
		select {
		case m, ok := <-lines:
			if !ok {
				t.Fatalf("serve exited early: %v", <-exited)
			}
			switch m["msg"] {
			case "serving the output folder, read-only":
				addr, _ = m["addr"].(string)
			case "run finished":
				finished++
			case "run failed":
				t.Fatalf("a run failed: %v", m["error"])
			}
			if m["level"] == "ERROR" {
				t.Errorf("error logged: %v", m)
			}
		case <-deadline:
			t.Fatalf("no two finished runs within 90s (%d)", finished)
		}
	}
	if addr == "" {
		t.Fatal("no listen address logged")
	}
	get := func(p string) (int, string) {
		resp, err := http.Get(strings.TrimSuffix(addr, "/") + p)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := get("/often/dashboard.html"); code != 200 || !strings.Contains(body, "</html>") {
		t.Errorf("dashboard: %d", code)
	}
	if code, body := get("/"); code != 200 || !strings.Contains(body, "often/") || strings.Contains(body, ".hidden") || strings.Contains(body, "relscope-run") {
		t.Errorf("listing: %d %s", code, body)
	}
	for p, want := range map[string]int{"/.hidden": 404, "/often/%2e%2e/%2e%2e/secret.txt": 400, "/leak.txt": 404, "/../secret.txt": 400} {
		if code, body := get(p); code != want || strings.Contains(body, "outside the folder") {
			t.Errorf("GET %s: %d, want %d", p, code, want)
		}
	}
	if resp, err := http.Post(addr+"often/dashboard.html", "text/plain", strings.NewReader("x")); err != nil || resp.StatusCode != 405 {
		t.Errorf("POST: %v %v", resp, err)
	}

	cmd.Process.Signal(syscall.SIGTERM)
	stopped := false
	for m := range lines {
		if m["msg"] == "stopped" {
			stopped = true
		}
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("exit after SIGTERM: %v", err)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("serve did not exit within 60s of SIGTERM")
	}
	if !stopped {
		t.Error(`no "stopped" logged`)
	}
}
