package ingest

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A Jira CSV exported by a German, French, Brazilian or Russian user (testdata/jira_localised:
// header lines as the sources cited in jira_headers.go show them, two issues each) is detected
// as jira-csv and every translated column lands where its English twin would: key, project,
// summary, type, status and category, dates, fix versions, components, labels, story points
// (a translated "Custom field (…)"), and — where the language has them — Status Category
// Changed, the parent key and the link columns.
func TestJiraCSVLocalisedHeaders(t *testing.T) {
	at := func(s string) string { // the times the rows give, as RFC 3339
		if s == "" {
			return "0001-01-01T00:00:00Z"
		}
		return s
	}
	type item struct {
		key, project, title, typ, status, category string
		created, resolved, statusChanged, due      string
		fix, components, labels, sprints, parent   string
		points                                     string
	}
	for _, tc := range []struct {
		file  string
		items []item
		links []string
		notes int // file-level notes: columns the export left out
	}{
		{"de.csv", []item{
			// Erledigt is empty; Statuskategorie geändert says when it reached done.
			{key: "SHOP-12", project: "SHOP", title: "Warenkorb schneller laden", typ: "Story", status: "Fertig", category: "done",
				created: "2022-01-13T11:26:00Z", statusChanged: "2022-01-17T15:49:00Z", fix: "SHOP 1.2", components: "Frontend",
				labels: "kunde|web", sprints: "SHOP Sprint 3", points: "5"},
			// Übergeordnet holds Cloud's numeric parent id: no parent key from it.
			{key: "SHOP-13", project: "SHOP", title: "Login-Fehler bei abgelaufener Sitzung", typ: "Bug", status: "In Arbeit", category: "in_progress",
				created: "2022-01-14T09:05:00Z", statusChanged: "2022-01-15T10:00:00Z", due: "2022-01-20T17:00:00Z", fix: "SHOP 1.2",
				components: "Backend", sprints: "SHOP Sprint 3", points: "-"},
		}, nil, 0},
		{"fr.csv", []item{
			{key: "WEB-7", project: "WEB", title: "Page de paiement plus rapide", typ: "Story", status: "Terminé", category: "done",
				created: "2024-06-03T09:15:00Z", fix: "WEB 2.0", components: "Frontend", labels: "client|mobile", points: "3"},
			{key: "WEB-8", project: "WEB", title: "Erreur 500 sur panier vide", typ: "Bug", status: "En cours", category: "in_progress",
				created: "2024-06-04T10:30:00Z", due: "2024-06-28T17:00:00Z", fix: "WEB 2.0", points: "-"},
		}, []string{"WEB-7 blocks WEB-8", "WEB-8 is blocked by WEB-7"}, 1}, // no Resolved column: one note
		{"pt_br.csv", []item{
			// Pai is the parent's id, Chave pai its key.
			{key: "SIN-1", project: "SIN", title: "Primeiro card", typ: "História", status: "Concluído", category: "done",
				created: "2026-03-17T10:00:00Z", resolved: "2026-08-04T18:00:00Z", due: "2026-08-03T18:00:00Z", fix: "SIN 1.0",
				sprints: "SIN Sprint 2", parent: "SIN-0", points: "5"},
			{key: "SIN-2", project: "SIN", title: "Erro, com vírgula", typ: "Erro", status: "Em andamento", category: "in_progress",
				created: "2026-03-18T14:00:00Z", due: "2026-08-04T18:00:00Z", fix: "SIN 1.0", points: "-"},
		}, nil, 0},
		{"ru.csv", []item{
			// No status category column: the build's name rules decide (Готово is done).
			{key: "DEVELOP-1", project: "DEVELOP", title: "[EkoCrop] Экспорт отчёта", typ: "Задача", status: "Готово", category: "done",
				created: "2024-06-03T09:15:00Z", resolved: "2024-06-12T16:00:00Z", fix: "EkoCrop 9.0", components: "backend",
				labels: "отчёты", points: "3"},
			{key: "DEVELOP-2", project: "DEVELOP", title: "Задача, с запятой", typ: "Ошибка", status: "В работе", category: "in_progress",
				created: "2024-06-04T10:30:00Z", fix: "EkoCrop 9.0", components: "backend", points: "-"},
		}, []string{"DEVELOP-1 is blocked by DEVELOP-2"}, 0},
	} {
		t.Run(tc.file, func(t *testing.T) {
			path := filepath.Join("testdata", "jira_localised", tc.file)
			if got := detectFile(t, path); got != "jira-csv" {
				t.Fatalf("detected as %s", got)
			}
			s := loadFile(t, jiraCSV{}, path)
			if len(s.Rejects) != 0 || len(s.Notes) != tc.notes {
				t.Errorf("rejects %+v, notes %+v", s.Rejects, s.Notes)
			}
			if len(s.WorkItems) != len(tc.items) {
				t.Fatalf("%d items, want %d", len(s.WorkItems), len(tc.items))
			}
			for i, want := range tc.items {
				w := s.WorkItems[i]
				points := "-"
				if w.StoryPoints != nil {
					points = fmt.Sprint(*w.StoryPoints)
				}
				got := item{key: w.Key, project: w.Project, title: w.Title, typ: w.Type, status: w.Status, category: buildCategory(w),
					created: w.Created.Format(time.RFC3339), resolved: w.Resolved.Format(time.RFC3339),
					statusChanged: w.StatusCategoryChanged.Format(time.RFC3339), due: w.DueDate.Format(time.RFC3339),
					fix: strings.Join(w.FixVersions, "|"), components: strings.Join(w.Components, "|"),
					labels: strings.Join(w.Labels, "|"), sprints: strings.Join(w.Sprints, "|"), parent: w.ParentKey, points: points}
				want.created, want.resolved, want.statusChanged, want.due = at(want.created), at(want.resolved), at(want.statusChanged), at(want.due)
				if got != want {
					t.Errorf("item %d:\n got %+v\nwant %+v", i, got, want)
				}
			}
			var links []string
			for _, l := range s.Links {
				links = append(links, l.Key+" "+l.Type+" "+l.Target)
			}
			if strings.Join(links, ", ") != strings.Join(tc.links, ", ") {
				t.Errorf("links %q, want %q", links, tc.links)
			}
		})
	}
}
