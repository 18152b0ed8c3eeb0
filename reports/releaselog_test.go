package reports

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/relscope/relscope/config"
	"github.com/relscope/relscope/fixtures"
	"github.com/relscope/relscope/internal/demowarehouse"
	"github.com/relscope/relscope/models"
)

// siteBytes reads every file of a rendered site.
func siteBytes(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// The release log on the hand-built warehouse of models/testdata/releaselog.sql (its rows
// are worked out in models/releaselog_test.go), plus a release named "../../x" shipping one
// item with a hostile title.
func TestReleaseLogOnWarehouse(t *testing.T) {
	ctx := context.Background()
	w, err := models.Open(ctx, filepath.Join(t.TempDir(), "w.duckdb"), models.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	data, err := os.ReadFile(filepath.Join("..", "models", "testdata", "releaselog.sql"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.DB.Exec(string(data) + `
insert into releases (name, source, project, planned_date, released_at, is_released, ingest_id) values
    ('../../x', 'native', 'WEB', '2025-03-26', '2025-03-26 10:00:00+00', true, 1);
insert into work_items (item_key, source, project, team, item_type, title, status, status_category, created_at, fix_versions, labels, is_public, ingest_id, raw) values
    ('WEB-20', 'native', 'WEB', 'Web', 'Story', '</script><img src=x onerror=alert(1)> ]]> &amp;', 'Done', 'done', '2025-03-01 00:00:00+00', ['../../x'], [], true, 1, '{}');`); err != nil {
		t.Fatal(err)
	}
	ms, _ := models.Models()
	if _, err := w.Build(ctx, ms, models.Settings{AsOf: time.Date(2025, 3, 31, 0, 0, 0, 0, time.UTC), Config: config.Default()}, nil); err != nil {
		t.Fatal(err)
	}
	parent := t.TempDir()
	dst := filepath.Join(parent, "site")
	doc, err := Render(ctx, w, releaseLogOutput(), Scope{Version: "test"}, dst)
	if err != nil {
		t.Fatal(err)
	}
	if doc.Meta.Period.String() != "up to 2025-03-31" {
		t.Errorf("period %q", doc.Meta.Period)
	}
	files := siteBytes(t, dst)
	// Private (WEB-3, WEB-8), unfinished (WEB-6, WEB-10), cancelled (WEB-7) items, the overdue
	// release (WEB 0.9) and what the warehouse knows beyond the published columns (a security
	// level, the team, the private item's release note) are in no byte of the site.
	for _, secret := range []string{"SECRET-PROJECT-ZEBRA", "Rotate the signing keys", "WEB-8", "Staff only", "Saved searches",
		"Patch the XML parser", "Fax export", "WEB 0.9", "Login loops", "Implement SEPA adapter", "Tune the Elastic shards"} {
		for name, b := range files {
			if bytes.Contains(b, []byte(secret)) {
				t.Errorf("%s contains %q", name, secret)
			}
		}
	}
	for _, want := range []string{"releases/web-1.0.html", "releases/web-1.1.html", "releases/web-1.2.html", "releases/web-2.0.html", "releases/x.html"} {
		if files[want] == nil {
			t.Errorf("no %s", want)
		}
	}
	if entries, _ := os.ReadDir(parent); len(entries) != 1 {
		t.Errorf("the site's parent holds %d entries", len(entries))
	}
	if !bytes.Contains(files["releases/x.html"], []byte("&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt; ]]&gt; &amp;amp;")) {
		t.Error("the hostile title is not shown as text")
	}
	var js struct {
		Releases []struct {
			Name        string `json:"name"`
			RolledBack  bool   `json:"rolled_back"`
			Maintenance bool   `json:"maintenance"`
			Items       []struct {
				Key, Title string
			} `json:"items"`
		} `json:"releases"`
	}
	if err := json.Unmarshal(files["releases.json"], &js); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range js.Releases {
		s := r.Name
		if r.RolledBack {
			s += " (rolled back)"
		}
		if r.Maintenance {
			s += " (maintenance)"
		}
		for _, i := range r.Items {
			s += " " + i.Key
		}
		got = append(got, s)
	}
	// Released newest first — ../../x (03-26), WEB 1.2 (03-24), WEB 1.1 (03-18), WEB 1.0
	// (03-03) — then WEB 2.0 with its finished items only.
	if strings.Join(got, "; ") != "../../x WEB-20; WEB 1.2 (maintenance); WEB 1.1 (rolled back) WEB-5; WEB 1.0 WEB-1 WEB-2 WEB-4; WEB 2.0 WEB-11 WEB-9" {
		t.Errorf("releases.json: %s", strings.Join(got, "; "))
	}
	if !bytes.Contains(files["CHANGELOG.md"], []byte("## [WEB 1\\.1] - 2025-03-18 [YANKED]")) {
		t.Error("CHANGELOG.md does not mark the rolled-back release")
	}
}

// The demo's release log: every document query runs on the demo warehouse, the generated
// release notes of private items (fixtures.InternalNotePrefix) never reach the site, and the
// site has what a believable one has: rolled-back, maintenance and upcoming releases.
func TestReleaseLogOnDemo(t *testing.T) {
	w := demowarehouse.Open(t, demowarehouse.Demo)
	dst := filepath.Join(t.TempDir(), "site")
	if _, err := Render(context.Background(), w.Warehouse, releaseLogOutput(), Scope{Version: "test"}, dst); err != nil {
		t.Fatal(err)
	}
	files := siteBytes(t, dst)
	for name, b := range files {
		if bytes.Contains(b, []byte(strings.TrimSpace(fixtures.InternalNotePrefix))) {
			t.Errorf("%s publishes a private item's release note", name)
		}
	}
	if len(files) < 100 {
		t.Errorf("only %d files", len(files))
	}
	for file, want := range map[string]string{
		"CHANGELOG.md": "[YANKED]", "index.html": "maintenance release", "calendar.ics": "STATUS:TENTATIVE",
		"feed.atom": "rolled back", "releases.json": `"category": "Known issues"`,
	} {
		if !bytes.Contains(files[file], []byte(want)) {
			t.Errorf("%s lacks %q", file, want)
		}
	}
	// Some public titles come from the release-note field (Jira CSV, Jira JSON by id, native).
	if !bytes.Contains(files["releases.json"], []byte("no longer")) || !bytes.Contains(files["releases.json"], []byte("prices in €")) {
		t.Error("no release-note titles in the demo's release log")
	}
}
