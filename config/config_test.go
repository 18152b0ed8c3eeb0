package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The file init writes must say exactly what the defaults are, or a user editing it would be
// reading a different configuration from the one in force.
func TestTemplateMatchesDefault(t *testing.T) {
	path := filepath.Join(t.TempDir(), "relscope.yaml")
	if err := os.WriteFile(path, Template, 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := Load(path, false)
	if err != nil {
		t.Fatal(err)
	}
	want := Default()
	// Compared as printed: an empty YAML list and a nil slice mean the same.
	if fmt.Sprintf("%+v", got) != fmt.Sprintf("%+v", want) {
		t.Errorf("template decodes to\n%+v\nwant defaults\n%+v", got, want)
	}
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	for name, tc := range map[string]struct{ body, want string }{
		"unknown key": {"freeze_dayz: 3\n", "freeze_dayz"},
		// Reported with its line and column, and the line shown.
		"unknown key line": {"timezone: UTC\n\nfreeze_dayz: 3\n", `[3:1] unknown field "freeze_dayz"`},
		"unknown nested":   {"timezone: UTC\npublic:\n  private_labels: [x]\n  private_lables: [y]\n", `[4:3] unknown field "private_lables"`},
		"bad category":     {"status_categories: {Parked: someday}\n", `"Parked" -> "someday"`},
		"bad zone":         {"timezone: Mars/Olympus\n", "Mars/Olympus"},
		"bad bands":        {"dora_bands: 2019\n", "2023 or 2024"},
	} {
		path := filepath.Join(dir, strings.ReplaceAll(name, " ", "_")+".yaml")
		os.WriteFile(path, []byte(tc.body), 0o644)
		_, err := Load(path, false)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want it to mention %q", name, err, tc.want)
		}
	}
	if _, err := Load(filepath.Join(dir, "missing.yaml"), true); err != nil {
		t.Errorf("optional missing file: %v", err)
	}
	if _, err := Load(filepath.Join(dir, "missing.yaml"), false); err == nil {
		t.Error("required missing file: no error")
	}
	empty := filepath.Join(dir, "empty.yaml")
	os.WriteFile(empty, []byte("# only a comment\n"), 0o644)
	if c, err := Load(empty, false); err != nil || c.FreezeDays != 3 {
		t.Errorf("comment-only file: %v %+v", err, c)
	}
}

func TestStatusCategory(t *testing.T) {
	c := Default()
	c.StatusCategories["Parked"] = "blocked"
	for _, tc := range []struct{ status, exportCat, want string }{
		{"To Do", "", "backlog"},
		{"Backlog", "", "backlog"},
		{"In Progress", "", "in_progress"},
		{"Code Review", "", "in_progress"},
		{"Blocked", "", "blocked"},
		{"On Hold", "", "blocked"},
		{"Done", "", "done"},
		{"Won't Do", "", "cancelled"},
		{"Duplicate", "Done", "cancelled"},
		{"Waiting on vendor (blocked)", "In Progress", "blocked"},
		{"Parked", "In Progress", "blocked"},
		{"Weird Custom", "indeterminate", "in_progress"},
		{"Weird Custom", "", "backlog"},
		{"Geschlossen", "", "done"},
		{"In Arbeit", "", "in_progress"},
		{"Terminé", "", "done"},
		{"En curso", "", "in_progress"},
		{"Concluído", "", "done"},
		{"В работе", "", "in_progress"},
		{"Zu erledigen", "", "backlog"},
		// Aborted is cancelled, as it is for deployments.
		{"Aborted", "", "cancelled"},
		{"Aborted", "Done", "cancelled"},
		// Jira's status categories as its CSV writes them in es, de, fr, pt, ru.
		{"Tareas por hacer", "Por hacer", "backlog"},
		{"Revisión de código", "En curso", "in_progress"},
		{"Finalizada", "Listo", "done"},
		{"Listo", "", "done"},
		{"Prüfung", "In Arbeit", "in_progress"},
		{"Validé", "Terminé", "done"},
		{"Homologação", "Em andamento", "in_progress"},
		{"Принято", "Готово", "done"},
		{"Новая", "К выполнению", "backlog"},
	} {
		if got := c.StatusCategory(tc.status, tc.exportCat); got != tc.want {
			t.Errorf("StatusCategory(%q, %q) = %q, want %q", tc.status, tc.exportCat, got, tc.want)
		}
	}
}

func TestTeamsAndPublic(t *testing.T) {
	c := Default()
	c.ServiceTeams["payments-api"] = "PAY"
	c.TeamAliases["PAY"] = "Payments"
	if got := c.ServiceTeam("Payments-API"); got != "Payments" {
		t.Errorf("ServiceTeam = %q", got)
	}
	if got := c.ServiceTeam("unknown"); got != "" {
		t.Errorf("ServiceTeam(unknown) = %q", got)
	}
	if !c.IsProduction("PROD") || c.IsProduction("staging") {
		t.Error("IsProduction wrong")
	}
	if !c.IsPrivate("Story", []string{"Internal"}, nil, "") || !c.IsPrivate("Bug", nil, nil, "Staff only") ||
		c.IsPrivate("Story", []string{"customer-facing"}, nil, "") {
		t.Error("IsPrivate wrong")
	}
}

func TestReleaseLogRules(t *testing.T) {
	dir := t.TempDir()
	for name, tc := range map[string]struct{ body, want string }{
		"bad category": {"release_log: {categories: [{category: Improved, types: [Story]}]}\n", `"Improved"`},
		"empty rule":   {"release_log: {categories: [{category: Fixed}]}\n", "give types or labels"},
		"relative url": {"release_log: {base_url: /releases/}\n", "absolute http(s) URL"},
		"bad default":  {"release_log: {default_category: Misc}\n", `"Misc"`},
		"empty title":  {"release_log: {title: \"\"}\n", "release_log.title"},
		"control char": {"release_log: {title_fields: [\"Release\\tnote\"]}\n", "title_fields[0]"},
	} {
		path := filepath.Join(dir, strings.ReplaceAll(name, " ", "_")+".yaml")
		os.WriteFile(path, []byte(tc.body), 0o644)
		_, err := Load(path, false)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want an error naming %q", name, err, tc.want)
		}
	}
	// A partial release_log keeps the defaults it does not name.
	path := filepath.Join(dir, "partial.yaml")
	os.WriteFile(path, []byte("release_log: {title: Acme updates, base_url: \"https://acme.example/releases/\"}\n"), 0o644)
	c, err := Load(path, false)
	if err != nil {
		t.Fatal(err)
	}
	if c.ReleaseLog.Title != "Acme updates" || c.ReleaseLog.DefaultCategory != "Changed" || len(c.ReleaseLog.Categories) != 6 {
		t.Errorf("partial release_log: %+v", c.ReleaseLog)
	}
}

// columns: entries keep their line, so a mistake can be named where it is.
func TestColumnMaps(t *testing.T) {
	body := `timezone: UTC
columns:
  servicenow-incident:        # a --format name
    u_begin_time: created_at
    "U End Time": resolved_at
  jira-csv:
    Clé de ticket: item_key
`
	path := filepath.Join(t.TempDir(), "relscope.yaml")
	os.WriteFile(path, []byte(body), 0o644)
	c, err := Load(path, false)
	if err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprint(c.ColumnMaps())
	want := "[{jira-csv Clé de ticket item_key 7} {servicenow-incident u_begin_time created_at 4} {servicenow-incident U End Time resolved_at 5}]"
	if got != want {
		t.Errorf("ColumnMaps = %s\nwant %s", got, want)
	}
	err = c.CheckColumns(func(format, column string) (error, error) {
		if format == "jira-csv" {
			return nil, nil
		}
		if column == "resolved_at" {
			return nil, fmt.Errorf("unknown column %q", column)
		}
		return nil, nil
	})
	if err == nil || err.Error() != path+` line 5: columns.servicenow-incident."U End Time": unknown column "resolved_at"` {
		t.Errorf("CheckColumns: %v", err)
	}
	err = c.CheckColumns(func(format, column string) (error, error) { return fmt.Errorf("unknown format %q", format), nil })
	if err == nil || err.Error() != path+` line 7: columns.jira-csv: unknown format "jira-csv"` {
		t.Errorf("CheckColumns format: %v", err)
	}
	var ce *ColumnError
	if !errors.As(err, &ce) || ce.Map.Line != 7 {
		t.Errorf("not a ColumnError: %#v", err)
	}
}
