package ingest

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/relscope/relscope/config"
	"github.com/relscope/relscope/models"
)

// Exports shaped like the ones real users sent (testdata/real): the columns of their own saved
// query, in their own UI language. Each loads unaided — detected, every record loaded, a note
// for each column it lacks — or, for a custom ServiceNow table, through columns:.

func realFile(name string) string { return filepath.Join("testdata", "real", name) }

// ingestOne ingests path into a fresh warehouse and returns its result, failing on a file error.
func ingestOne(t *testing.T, cfg *config.Config, path string) (*models.Warehouse, FileResult) {
	t.Helper()
	w := openTestWarehouse(t)
	res := ingestPaths(t, w, Options{Config: cfg}, path)
	for _, r := range res {
		if r.Err != nil {
			t.Fatalf("%s: %v", r.File, r.Err)
		}
	}
	return w, res[len(res)-1]
}

// built builds the models on w (the default config, as of 2026-01-01), for tests that read
// what the organisation's rules make of the stored facts: ingest stores the export's own status
// category and team field, the build applies status_categories, the name rules and the aliases
// (stg_relscope__work_items).
func built(t *testing.T, w *models.Warehouse) *models.Warehouse {
	t.Helper()
	ms, err := models.Models()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Build(context.Background(), ms, models.Settings{AsOf: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Config: config.Default()}, nil); err != nil {
		t.Fatal(err)
	}
	return w
}

// query renders a query's rows as "a|b" lines, NULL as "-".
func query(t *testing.T, w *models.Warehouse, q string) string {
	t.Helper()
	rs, err := w.DB.Query(q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rs.Close()
	cols, _ := rs.Columns()
	var out []string
	for rs.Next() {
		vals, err := models.ScanRow(rs, len(cols))
		if err != nil {
			t.Fatal(err)
		}
		parts := make([]string, len(vals))
		for i, v := range vals {
			if v == nil {
				parts[i] = "-"
			} else {
				parts[i] = fmt.Sprint(v)
			}
		}
		out = append(out, strings.Join(parts, "|"))
	}
	return strings.Join(out, "\n")
}

func expectRows(t *testing.T, w *models.Warehouse, what, q, want string) {
	t.Helper()
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(want), "\n") {
		lines = append(lines, strings.TrimSpace(l))
	}
	if got := query(t, w, q); got != strings.Join(lines, "\n") {
		t.Errorf("%s:\n got:\n%s\nwant:\n%s", what, got, strings.Join(lines, "\n"))
	}
}

// Azure DevOps' default "Assigned to me" query: ID, Work Item Type, Title, State, Area Path,
// Iteration Path, Tags — no dates at all. Every row loads; the file says once what is missing.
func TestRealADOAssignedToMe(t *testing.T) {
	w, r := ingestOne(t, nil, realFile("ado_assigned_to_me.csv"))
	if r.Format != "ado-csv" || r.Loaded != 4 || r.Rejected != 0 {
		t.Fatalf("%+v", r)
	}
	// ADO exports no category: the build names each state's by its name.
	expectRows(t, built(t, w), "items", `select item_key, team, item_type, status, status_category, created_at, labels from stg_relscope__work_items order by item_key`, `
		4711|Refunds|User Story|Active|in_progress|-|[customer-facing payments]
		4712|Refunds|Bug|New|backlog|-|[]
		4715|Payments|Task|Closed|done|-|[security]
		4720|Refunds|Bug|Removed|cancelled|-|[]`)
	expectRows(t, w, "notes", `select column_name, metric, note from ingest_notes order by column_name`, `
		activated_date|cycle_time|no Activated Date column: add it to the query (the commitment point, for cycle time and aging)
		closed_date|flow|no Closed Date column: add it to the query (done items have no delivery time without it)
		created_date|flow|no Created Date column: add it to the query (lead time and backlog age need it)`)
}

// A ServiceNow incident list exported with label headers and none of Short description,
// Configuration item or Business service: detected by its INC numbers; the team is the
// assignment group, the service stays unknown.
func TestRealServiceNowIncidentList(t *testing.T) {
	w, r := ingestOne(t, nil, realFile("servicenow_incident_list.csv"))
	if r.Format != "servicenow-incident" || r.Loaded != 3 || r.Rejected != 0 {
		t.Fatalf("%+v", r)
	}
	expectRows(t, w, "incidents", `select incident_id, service, team, severity, strftime(created_at, '%m-%d %H:%M'), resolved_at from incidents order by 1`, `
		INC0012001|-|Checkout|2 - Medium|03-03 08:12|-
		INC0012002|-|Search|3 - Low|03-04 14:02|-
		INC0012003|-|Checkout|3 - Low|03-06 23:50|-`)
	expectRows(t, w, "notes", `select column_name, metric from ingest_notes order by 1`, `
		business_service|incident_deployment_link
		resolved_at|incident_resolve_time`)
}

// A change_request export with field names and custom u_ fields: detected by its class and
// CHG numbers; without start or end dates, approval or back-out plan, each is one note. Its
// u_chg_stage is not a state: nothing claims it (it stays in raw).
func TestRealServiceNowChangeRequest(t *testing.T) {
	w, r := ingestOne(t, nil, realFile("servicenow_change_request.csv"))
	if r.Format != "servicenow-change" || r.Loaded != 3 || r.Rejected != 0 {
		t.Fatalf("%+v", r)
	}
	expectRows(t, w, "changes", `select change_id, type, state, team, raw->>'u_cab_date' from changes order by 1`, `
		CHG0040101|normal|-|Checkout|2025-03-04
		CHG0040102|emergency|-|Payments|-
		CHG0040103|standard|-|Platform|-`)
	expectRows(t, w, "notes", `select column_name from ingest_notes order by 1`, `
		approval
		backout_plan
		start_date`)
}

// `gh issue list -R acme/shop --json number,title,state,labels`: no URL, no dates. The
// repository is the file's name, said once; OPEN/CLOSED are backlog/done.
func TestRealGHIssueList(t *testing.T) {
	w, r := ingestOne(t, nil, realFile("gh_issue_list.json"))
	if r.Format != "github-issues" || r.Loaded != 3 || r.Rejected != 0 {
		t.Fatalf("%+v", r)
	}
	expectRows(t, w, "issues", `select item_key, project, status, status_category, labels from work_items order by item_key`, `
		gh_issue_list#209|gh_issue_list|Open|backlog|[enhancement]
		gh_issue_list#213|gh_issue_list|Closed|done|-
		gh_issue_list#214|gh_issue_list|Open|backlog|[bug]`)
	expectRows(t, w, "notes", `select column_name, note from ingest_notes order by 1`, `
		closedAt|no closedAt field: add closedAt to gh issue list --json (closed issues have no delivery time without it)
		createdAt|no createdAt field: add createdAt to gh issue list --json (lead time and backlog age need it)
		url|no url field: add url to gh issue list --json (meanwhile the repository is the file's name, gh_issue_list)`)
}

// A Jira Cloud export where done items have no Resolved (Status Category Changed says when they
// got there), parents are under Parent key (Parent holds an id), and an Aborted item is done by
// its category but cancelled by its name.
func TestRealJiraCloudDoneWithoutResolved(t *testing.T) {
	w, r := ingestOne(t, nil, realFile("jira_cloud_done_no_resolved.csv"))
	if r.Format != "jira-csv" || r.Loaded != 4 || r.Rejected != 0 {
		t.Fatalf("%+v", r)
	}
	// Aborted's category (done) is stored as exported; the build's name rule makes it cancelled.
	expectRows(t, built(t, w), "items", `select w.item_key, s.status_category, w.parent_key, w.resolved_at is null, strftime(w.status_category_changed_at, '%m-%d %H:%M')
		from work_items as w join stg_relscope__work_items as s using (source, item_key) order by 1`, `
		SRCH-41|done|SRCH-30|true|03-18 16:10
		SRCH-42|done|SRCH-30|false|03-20 11:00
		SRCH-43|cancelled|-|true|03-12 09:30
		SRCH-44|in_progress|SRCH-30|true|03-11 10:00`)
}

// Excel re-saves a Jira CSV with its own dates (M/D/YY H:MM) and Windows-1252 text: "3/14/25"
// decides month first for the whole file.
func TestRealJiraExcelResaved(t *testing.T) {
	w, r := ingestOne(t, nil, realFile("jira_excel_resaved.csv"))
	if r.Format != "jira-csv" || r.Loaded != 3 || r.Rejected != 0 {
		t.Fatalf("%+v", r)
	}
	expectRows(t, w, "items", `select item_key, title, strftime(created_at, '%Y-%m-%d %H:%M'), strftime(resolved_at, '%Y-%m-%d %H:%M') from work_items order by 1`, `
		CHK-81|Checkout address lookup|2025-03-04 09:05|2025-03-14 16:20
		CHK-82|Apple Pay button|2025-03-10 11:00|-
		CHK-83|Café receipts in French|2025-03-12 08:30|-`)
}

// A folder of Jira search pages fetched without expand=names, with the instance's field list
// (/rest/api/2/field) beside them — read first whatever the order, its names find the story
// points, sprint and team fields of the pages.
func TestRealJiraFieldList(t *testing.T) {
	w := openTestWarehouse(t)
	res := ingestPaths(t, w, Options{}, realFile("jira_pages_with_field_list"))
	if len(res) != 2 || res[0].Err != nil || res[1].Err != nil || res[0].Format != "jira-json" || res[1].Format != "jira-fields" {
		t.Fatalf("%+v", res)
	}
	expectRows(t, w, "items", `select item_key, story_points, sprints, team from work_items order by 1`, `
		MOB-71|8|[MOB Sprint 11]|Mobile Apps
		MOB-72|3|[MOB Sprint 12]|Mobile Apps`)
}

// A custom table (a "Major incident" table with u_ fields and MIM numbers) read as incidents
// through columns: in relscope.yaml, detected by the mapping.
func TestRealServiceNowCustomTableThroughColumns(t *testing.T) {
	cfg, err := config.Load(realFile("u_major_incident_relscope.yaml"), false)
	if err != nil {
		t.Fatal(err)
	}
	w, r := ingestOne(t, cfg, realFile("u_major_incident.csv"))
	if r.Format != "servicenow-incident" || r.Loaded != 3 || r.Rejected != 0 {
		t.Fatalf("%+v", r)
	}
	expectRows(t, w, "incidents", `select incident_id, title, service, team, strftime(created_at, '%m-%d %H:%M'), strftime(resolved_at, '%H:%M') from incidents order by 1`, `
		MIM0001001|Card payments failing in EU|payments-api|Payments|03-10 07:40|09:05
		MIM0001002|Search results empty for 12 minutes|search-api|Search|03-12 15:02|15:14
		MIM0001003|Login latency above SLO|identity-api|Identity|03-14 10:20|-`)
	// Without the mapping it is not recognised, and the message says how to map it.
	w2 := openTestWarehouse(t)
	res := ingestPaths(t, w2, Options{}, realFile("u_major_incident.csv"))
	if res[0].Err == nil || !strings.Contains(res[0].Err.Error(), "columns:") {
		t.Errorf("unmapped custom table: %v", res[0].Err)
	}
}

// columns: entries naming no format, or no column of the format, are errors naming the entry's
// key and line, before anything is read.
func TestColumnsConfigErrors(t *testing.T) {
	for _, tc := range []struct{ body, want string }{
		{"columns:\n  servicenow-incidents:\n    u_begin_time: created_at\n", `line 3: columns.servicenow-incidents: no format "servicenow-incidents"`},
		{"columns:\n  servicenow-incident:\n    u_begin_time: created_at\n    u_end_time: resolved\n", `line 4: columns.servicenow-incident."u_end_time": servicenow-incident reads no column "resolved": want one of acknowledged_at, change_id,`},
		{"columns:\n  jira-json:\n    Story: story_points\n", `line 3: columns.jira-json: jira-json is not a CSV format`},
	} {
		path := filepath.Join(t.TempDir(), "relscope.yaml")
		os.WriteFile(path, []byte(tc.body), 0o644)
		cfg, err := config.Load(path, false)
		if err != nil {
			t.Fatal(err)
		}
		err = CheckColumns(cfg)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: %v, want %q", tc.body, err, tc.want)
		}
	}
}

// A Spanish Jira CSV gives the same warehouse as its English twin (testdata/real/jira_cloud_es.csv
// and jira_cloud_en.csv: the same issues exported by a Spanish and an English user). Status
// names are the export's own words ("En curso", "In Progress") and stay as exported; every
// other column of every canonical table, and every mart, is the same.
func TestSpanishJiraCSVTwin(t *testing.T) {
	asOf := time.Date(2024, 7, 31, 0, 0, 0, 0, time.UTC)
	build := func(file string) *models.Warehouse {
		w, r := ingestOne(t, nil, realFile(file))
		if r.Format != "jira-csv" || r.Loaded != 5 || r.Rejected != 0 {
			t.Fatalf("%s: %+v", file, r)
		}
		ms, err := models.Models()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Build(context.Background(), ms, models.Settings{AsOf: asOf, Config: config.Default()}, nil); err != nil {
			t.Fatal(err)
		}
		return w
	}
	es, en := build("jira_cloud_es.csv"), build("jira_cloud_en.csv")
	tables := query(t, en, `select table_name from duckdb_tables()
		where table_name in ('work_items', 'work_item_transitions', 'work_item_links', 'releases', 'ingest_notes')
			or table_name like 'mart_%' order by 1`)
	for _, table := range strings.Split(tables, "\n") {
		cols := query(t, en, `select string_agg('"' || column_name || '"', ', ' order by column_index) from duckdb_columns()
			where table_name = '`+table+`' and column_name not in ('status', 'raw', 'ingest_id', 'file')`)
		q := "select " + cols + " from " + table + " order by all"
		if a, b := query(t, es, q), query(t, en, q); a != b {
			t.Errorf("%s differs:\nSpanish:\n%s\nEnglish:\n%s", table, a, b)
		}
	}
	// And it is not the same because both are empty. (The category is the build's: "Cancelado"
	// is cancelled by its name although its export category is done.)
	expectRows(t, es, "Spanish items", `select w.item_key, w.status, s.status_category, w.parent_key, w.story_points, strftime(w.created_at, '%Y-%m-%d %H:%M')
		from work_items as w join stg_relscope__work_items as s using (source, item_key) order by 1`, `
		PAY-301|Listo|done|PAY-290|5|2024-06-03 09:15
		PAY-302|En curso|in_progress|PAY-290|3|2024-06-12 12:05
		PAY-303|Tareas por hacer|backlog|-|-|2024-06-18 09:00
		PAY-304|Por hacer|backlog|-|8|2024-07-02 10:30
		PAY-305|Cancelado|cancelled|-|2|2024-05-05 11:00`)
	expectRows(t, es, "Spanish delivery", `select item_key, delivered_via, round(lead_time_days, 2) from mart_cycle_time`, `
		PAY-301|resolution|21.46`)
}

// A field list either reads into names or fails; whatever it is, detection and reading never
// panic, and a detected list has an id and a name for every entry read.
func FuzzJiraFieldList(f *testing.F) {
	data, _ := os.ReadFile(realFile("jira_pages_with_field_list/fields.json"))
	f.Add(string(data))
	f.Add(`[{"id":"x","name":"y","clauseNames":[],"custom":true}]`)
	f.Add(`[{"id":`)
	f.Fuzz(func(t *testing.T, body string) {
		isJiraFieldList([]byte(body))
		names, err := readJiraFieldNames(strings.NewReader(body))
		if err != nil {
			return
		}
		for id, name := range names {
			if id == "" || name == "" {
				t.Fatalf("empty id or name in %q", body)
			}
		}
	})
}

// The header translation: whatever the header, renaming keeps one name per column and every
// name it indexes points at a column of that name.
func FuzzHeaderRename(f *testing.F) {
	f.Add("Resumen,Clave de incidencia,Estado,Campo personalizado (Team),Clave de incidencia\n")
	f.Add("number,u_begin_time,opened_at\n")
	for _, lang := range []string{"de", "fr", "pt_br", "ru"} { // the localised headers of TestJiraCSVLocalisedHeaders
		if data, err := os.ReadFile(filepath.Join("testdata", "jira_localised", lang+".csv")); err == nil {
			f.Add(string(data[:bytes.IndexByte(data, '\n')+1]))
		}
	}
	f.Fuzz(func(t *testing.T, header string) {
		tbl, err := openCSV(strings.NewReader(header))
		if err != nil {
			return
		}
		n := len(tbl.header)
		tbl.rename(jiraCSVColumns, map[string]string{"u_begin_time": "created"})
		if len(tbl.header) != n {
			t.Fatalf("%d columns became %d", n, len(tbl.header))
		}
		for h, i := range tbl.idx {
			if tbl.header[i] != h {
				t.Fatalf("idx[%q] = %d, which is %q", h, i, tbl.header[i])
			}
		}
	})
}

// A reject names the bad value once: `opened "31/31/2025": want …`, not the value twice.
func TestRejectNamesBadValueOnce(t *testing.T) {
	for _, tc := range []struct {
		f    Format
		body string
		bad  string
	}{
		{servicenowIncidents{}, "number,opened_at,short_description\nINC0000001,31/31/2025 10:00,x\nINC0000002,2025-03-01 10:00,y\n", "31/31/2025 10:00"},
		{githubIssues{}, `[{"number":1,"title":"t","state":"OPEN","createdAt":"yesterday"},{"number":2,"title":"u","state":"OPEN","createdAt":"2025-01-01T00:00:00Z"}]`, "yesterday"},
		{jiraCSV{}, "Issue key,Summary,Created\nA-1,x,31/Foo/25 10:00\nA-2,y,1/Dec/25 10:00\n", "31/Foo/25 10:00"},
	} {
		s, err := loadMem(t, tc.f, tc.body)
		if err != nil {
			t.Fatalf("%s: %v", tc.f.Name(), err)
		}
		if len(s.Rejects) != 1 || strings.Count(s.Rejects[0].Reason, tc.bad) != 1 {
			t.Errorf("%s: rejects %+v, want one naming %q once", tc.f.Name(), s.Rejects, tc.bad)
		}
	}
}

// Every real export's rows, as read (detection, then its format into a MemSink), pinned in
// testdata/golden/real_*.json: a change in how any of them reads is a reviewable diff.
func TestRealExportsGolden(t *testing.T) {
	for _, name := range []string{"ado_assigned_to_me.csv", "servicenow_incident_list.csv", "servicenow_change_request.csv",
		"gh_issue_list.json", "jira_cloud_es.csv", "jira_cloud_done_no_resolved.csv", "jira_excel_resaved.csv"} {
		path := realFile(name)
		f, ok := FormatByName(detectFile(t, path))
		if !ok {
			t.Fatalf("%s: no format", name)
		}
		s := loadFile(t, f, path)
		goldenSink(t, "real_"+strings.TrimSuffix(name, filepath.Ext(name)), s)
	}
}

// An estimate in seconds (Jira CSV, GitLab) that is not a finite number is rejected, like any
// other number relscope reads: Go's ParseFloat takes "NaN" and "Inf", and one NaN estimate
// passed "estimate > 0" and turned its team's MAPE into NaN.
func TestEstimateSecondsMustBeFinite(t *testing.T) {
	body := "Issue key,Summary,Created,Original Estimate,Time Spent\n" +
		"A-1,x,1/Dec/25 10:00,NaN,3600\n" +
		"A-2,y,1/Dec/25 10:00,7200,+Inf\n" +
		"A-3,z,1/Dec/25 10:00,7200,3600\n"
	s, err := loadMem(t, jiraCSV{}, body)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Rejects) != 2 || !strings.Contains(s.Rejects[0].Reason, `"NaN": want a number of seconds`) ||
		!strings.Contains(s.Rejects[1].Reason, `"+Inf": want a number of seconds`) {
		t.Errorf("rejects %+v; want NaN and +Inf refused", s.Rejects)
	}
	if len(s.WorkItems) != 1 || s.WorkItems[0].EstimateHours == nil || *s.WorkItems[0].EstimateHours != 2 {
		t.Errorf("items %+v; want A-3 with 7200 s = 2 h", s.WorkItems)
	}
}
