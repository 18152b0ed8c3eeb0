package ingest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/relscope/relscope/config"
)

func loadMem(t testing.TB, f Format, body string) (*MemSink, error) {
	t.Helper()
	cfg := config.Default()
	cfg.ServiceTeams["payments-api"] = "PAY"
	sink := &MemSink{}
	err := f.Load(context.Background(), &Input{R: newTextReader(strings.NewReader(body)), File: "test.csv",
		Dates: &DateParser{Loc: time.UTC}, Config: cfg}, sink)
	return sink, err
}

func TestNativeDeployments(t *testing.T) {
	body := "\ufeffID,Service,Environment,Status,Finished_At,Started At,Kind,Items,Extra\n" +
		"d1,payments-api,prod,SUCCESS,2025-03-04T10:15:00Z,2025-03-04T10:05:00Z,,PAY-1 PAY-2,kept\n" +
		"d2,payments-api,staging,error,2025-03-04 11:00,,hotfix,,\n" +
		"d3,payments-api,prod,success,not-a-date,,,,\n" +
		"d4,payments-api,prod,exploded,2025-03-04T10:15:00Z,,,,\n" +
		"d5,payments-api,prod,success,2025-03-04T10:00:00Z,2025-03-04T11:00:00Z,,,\n" +
		"d6,payments-api\n" +
		"\n"
	s, err := loadMem(t, nativeDeployments, body)
	if err != nil {
		t.Fatal(err)
	}
	if s.Read != 6 || len(s.Deployments) != 2 || len(s.Rejects) != 4 {
		t.Fatalf("read %d, loaded %d, rejected %d; want 6, 2, 4 (%+v)", s.Read, len(s.Deployments), len(s.Rejects), s.Rejects)
	}
	d := s.Deployments[0]
	// No team column: the stored team is empty (the build applies service_teams).
	if d.ID != "d1" || d.Status != "success" || d.Kind != "normal" || d.Team != "" ||
		d.Source != "native" || strings.Join(d.ItemKeys, ",") != "PAY-1,PAY-2" ||
		!d.Finished.Equal(time.Date(2025, 3, 4, 10, 15, 0, 0, time.UTC)) {
		t.Errorf("d1 mapped to %+v", d)
	}
	// Unknown columns are kept in raw, not dropped.
	if !strings.Contains(d.Raw, `"extra":"kept"`) {
		t.Errorf("raw %s lacks the unknown column", d.Raw)
	}
	if d2 := s.Deployments[1]; d2.Status != "failed" || d2.Kind != "hotfix" {
		t.Errorf("d2 mapped to %+v", d2)
	}
	wantRejects := []struct {
		line int64
		has  string
	}{
		{4, `Finished_At "not-a-date": want RFC 3339`},
		{5, `status "exploded"`},
		{6, "is before started_at"},
		{7, "has 2 fields, the header has 9"},
	}
	for i, w := range wantRejects {
		r := s.Rejects[i]
		if r.Line != w.line || !strings.Contains(r.Reason, w.has) {
			t.Errorf("reject %d = line %d %q; want line %d containing %q", i, r.Line, r.Reason, w.line, w.has)
		}
	}
	if s.Rejects[0].Raw != "d3,payments-api,prod,success,not-a-date,,,," {
		t.Errorf("raw line %q", s.Rejects[0].Raw)
	}
}

func TestNativeWorkItems(t *testing.T) {
	body := "key,type,status,created_at,labels,fix_versions,story_points,blocked_by,title\n" +
		"PAY-1,Story,In Progress,2025-01-01T00:00:00Z,customer-facing;internal,PAY 2025.02,3,CHK-9 CHK-10,\"multi\nline\"\n" +
		"PAY-2,Bug,Won't Do,2025-01-02T00:00:00Z,,,,,\n" +
		"PAY-3,Bug,Done,2025-01-02T00:00:00Z,,,lots,,\n"
	s, err := loadMem(t, nativeWorkItems, body)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.WorkItems) != 2 || len(s.Rejects) != 1 {
		t.Fatalf("loaded %d rejected %+v", len(s.WorkItems), s.Rejects)
	}
	w := s.WorkItems[0]
	// Stored as exported: no team, no category, no is_public column — the build gives the team
	// from the project, the category from the name, publicity from the labels.
	if w.Project != "PAY" || w.Team != "" || buildTeam(w) != "PAY" || w.Category != "" || buildCategory(w) != "in_progress" || w.IsPublic != nil || *w.StoryPoints != 3 ||
		w.Title != "multi\nline" || strings.Join(w.FixVersions, "|") != "PAY 2025.02" {
		t.Errorf("PAY-1 mapped to %+v", w)
	}
	if buildCategory(s.WorkItems[1]) != "cancelled" || s.WorkItems[1].IsPublic != nil {
		t.Errorf("PAY-2 mapped to %+v", s.WorkItems[1])
	}
	if len(s.Links) != 2 || s.Links[0].Type != "is blocked by" || s.Links[1].Target != "CHK-10" {
		t.Errorf("links %+v", s.Links)
	}
	// The quoted newline makes PAY-3 start on line 5, and that is where it is rejected.
	if r := s.Rejects[0]; r.Line != 5 || !strings.Contains(r.Reason, `story_points "lots": want a number`) {
		t.Errorf("reject %+v", r)
	}
}

func TestNativeMissingColumns(t *testing.T) {
	_, err := loadMem(t, nativeDeployments, "id,service,status\nd1,x,success\n")
	if err == nil || !strings.Contains(err.Error(), "missing column(s) environment, finished_at") {
		t.Errorf("error %v", err)
	}
	_, err = loadMem(t, nativeIncidents, "")
	if err == nil || !strings.Contains(err.Error(), "empty") {
		t.Errorf("empty file: %v", err)
	}
}

func TestDetect(t *testing.T) {
	for _, tc := range []struct{ header, want string }{
		{"id,service,environment,status,finished_at", "deployments"},
		{"id,service,environment,status,finished_at,created_at", "deployments"},
		{"id,service,created_at,resolved_at,severity", "incidents"},
		{"ID,Type,State,Approval", "changes"},
		{"key,type,status,created_at,title", "work_items"},
		{"key,at,field,from,to", "transitions"},
		{"name,project,release_date", "releases"},
	} {
		f, _, err := chooseFormat("x.csv", []byte(tc.header+"\n"), "")
		if err != nil || f.Name() != tc.want {
			t.Errorf("detect %q = %v, %v; want %s", tc.header, f, err, tc.want)
		}
	}
	_, _, err := chooseFormat("x.csv", []byte("a,b,c\n1,2,3\n"), "")
	if err == nil || !strings.Contains(err.Error(), "tried work_items") || !strings.Contains(err.Error(), "--format") {
		t.Errorf("unknown format error: %v", err)
	}
	_, _, err = chooseFormat("x.bin", []byte("PK\x03\x04\x00\x00binary"), "deployments")
	if err == nil || !strings.Contains(err.Error(), "not a text file") || !strings.Contains(err.Error(), "deployments") {
		t.Errorf("binary error: %v", err)
	}
}

// FuzzNativeCSV feeds arbitrary bytes to every native reader: none may panic, and every
// record read must end up loaded or rejected — nothing silently dropped.
func FuzzNativeCSV(f *testing.F) {
	f.Add("id,service,environment,status,finished_at\nd1,a,prod,success,2025-01-01T00:00:00Z\n")
	f.Add("key,type,status,created_at,labels\nA-1,Bug,Done,2025-01-01,\"x;y\"\n")
	f.Add("id,service,created_at,resolved_at\ni,s,2025-01-01,2024-01-01\n")
	f.Add("id,type,state\nc,emergency,new\nc2,\"bad\n")
	f.Add("key,at,to\nA-1,2025-01-01,Done\n")
	f.Add("name,project,is_released\nR1,P,maybe\n")
	f.Fuzz(func(t *testing.T, body string) {
		for _, format := range Formats() {
			s, err := loadMem(t, format, body)
			if err != nil {
				continue
			}
			loaded := int64(len(s.WorkItems) + len(s.Transitions) + len(s.Releases) + len(s.Deployments) + len(s.Incidents) + len(s.Changes))
			if loaded+int64(len(s.Rejects)) != s.Read {
				t.Fatalf("%s: read %d, loaded %d, rejected %d", format.Name(), s.Read, loaded, len(s.Rejects))
			}
		}
	})
}

// An unrecognised file is described by at most its first 200 characters, never all of it: a
// one-line JSON array once printed whole as its "header".
func TestUnrecognisedFileMessageIsShort(t *testing.T) {
	body := "[" + strings.Repeat(`{"widget":"sprocket","colour":"blue"},`, 200) + `{"widget":"end"}]`
	_, _, err := chooseFormat("widgets.json", []byte(body), "")
	if err == nil {
		t.Fatal("widgets recognised")
	}
	msg := err.Error()
	if !strings.Contains(msg, `it starts: [{"widget":"sprocket"`) || strings.Count(msg, "sprocket") > 6 || len(msg) > 1200 {
		t.Errorf("message (%d bytes): %s", len(msg), msg)
	}
	header := strings.Repeat("a column,", 100) + "last\n1,2\n"
	_, _, err = chooseFormat("wide.csv", []byte(header), "")
	if err == nil || !strings.Contains(err.Error(), "its header: a_column, a_column") || strings.Count(err.Error(), "a_column") > 25 {
		t.Errorf("wide header message: %v", err)
	}
}

// buildCategory and buildTeam are what the build makes of an item's stored facts under the
// default configuration: ingest stores the export's own status category and team field, and
// the models apply status_categories, the name rules, the project fallback and team_aliases.
func buildCategory(w WorkItem) string { return config.Default().StatusCategory(w.Status, w.Category) }

func buildTeam(w WorkItem) string {
	if w.Team != "" {
		return config.Default().Team(w.Team)
	}
	return config.Default().Team(w.Project)
}

// transitions.csv may say who made each change (by): the freeze checks name them.
func TestNativeTransitionsAuthor(t *testing.T) {
	s, err := loadMem(t, nativeTransitions, "key,at,field,from,to,by\nPAY-1,2025-03-08T06:00:00Z,Fix Version,,PAY 1.0,rm.silva\nPAY-1,2025-03-09,status,To Do,Done,\n")
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Transitions) != 2 || s.Transitions[0].By != "rm.silva" || s.Transitions[1].By != "" {
		t.Errorf("transitions %+v", s.Transitions)
	}
}
