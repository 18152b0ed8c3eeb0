package releaselog

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	ics "github.com/arran4/golang-ical"

	"github.com/relscope/relscope/internal/browsertest"
	"github.com/relscope/relscope/reports/document"
)

var asOf = time.Date(2025, 3, 31, 0, 0, 0, 0, time.UTC)

func day(m time.Month, d int) time.Time { return time.Date(2025, m, d, 0, 0, 0, 0, time.UTC) }

// rel and it are rows of the releases and items tables.
type rel struct {
	name, project, status string
	date                  time.Time
	rolledBack, maint     bool
}

type it struct {
	release, key, typ, category, title string
	highlight                          bool
}

// testDoc builds a release-log document by hand, as reports.ReleaseLog would.
func testDoc(baseURL string, rels []rel, items []it) *document.Document {
	cols := func(id string) []document.Column {
		var cs []document.Column
		for _, n := range Columns[id] {
			cs = append(cs, document.Column{Name: n})
		}
		return cs
	}
	site := &document.Table{ID: TableSite, Columns: cols(TableSite), Rows: [][]any{{"Acme release notes", baseURL, "Acme product team"}}}
	rt := &document.Table{ID: TableReleases, Columns: cols(TableReleases)}
	for _, r := range rels {
		var d any
		if !r.date.IsZero() {
			d = r.date
		}
		rt.Rows = append(rt.Rows, []any{r.name, r.project, "native", r.status, d, r.rolledBack, r.maint})
	}
	itab := &document.Table{ID: TableItems, Columns: cols(TableItems)}
	for _, i := range items {
		project := "WEB"
		for _, r := range rels {
			if r.name == i.release {
				project = r.project
			}
		}
		itab.Rows = append(itab.Rows, []any{i.release, project, "native", i.key, i.typ, i.category, i.title, i.highlight})
	}
	return &document.Document{Kind: "releaselog", Title: "Acme release notes", Meta: document.Meta{AsOf: asOf, Version: "1.2.3"},
		Sections: []document.Section{{ID: "releases", Blocks: []document.Block{site, rt, itab}}}}
}

// sample is a small release log: two releases (one rolled back), a maintenance release, an
// upcoming one with a finished change, and one without a date.
func sample() *document.Document {
	return testDoc("https://releases.acme.example/", []rel{
		{"WEB 1.0", "WEB", "released", day(3, 3), false, false},
		{"WEB 1.2", "WEB", "released", day(3, 24), false, true},
		{"WEB 1.1", "WEB", "released", day(3, 18), true, false},
		{"WEB 2.0", "WEB", "upcoming", day(4, 14), false, false},
		{"WEB 3.0", "WEB", "upcoming", time.Time{}, false, false},
	}, []it{
		{"WEB 1.0", "WEB-1", "Story", "Added", "Pay by bank transfer", false},
		{"WEB 1.0", "WEB-2", "Bug", "Fixed", "Totals no longer wrong for EUR", true},
		{"WEB 1.0", "WEB-4", "Bug", "Known issues", "Exports are slow for large accounts", false},
		{"WEB 1.1", "WEB-5", "Task", "Changed", "Faster search", false},
		{"WEB 2.0", "WEB-11", "Story", "Added", "Onboarding tour", false},
	})
}

func render(t *testing.T, doc *document.Document) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "site")
	if err := New().Render(context.Background(), doc, dst); err != nil {
		t.Fatal(err)
	}
	return dst
}

func read(t *testing.T, dir, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestSiteFiles(t *testing.T) {
	dst := render(t, sample())
	var got []string
	filepath.WalkDir(dst, func(p string, d os.DirEntry, err error) error {
		if !d.IsDir() {
			rel, _ := filepath.Rel(dst, p)
			got = append(got, filepath.ToSlash(rel))
		}
		return nil
	})
	want := []string{".relscope-site", "CHANGELOG.md", "calendar.ics", "feed.atom", "index.html",
		"releases/web-1.0.html", "releases/web-1.1.html", "releases/web-1.2.html", "releases/web-2.0.html", "releases/web-3.0.html",
		"releases.json", "releases.schema.json"}
	if !slices.Equal(got, want) {
		t.Errorf("files:\n%v\nwant\n%v", got, want)
	}
	index := read(t, dst, "index.html")
	// Released newest first (whatever order the document gave), upcoming in their own table.
	order := []string{"Upcoming releases", ">WEB 2.0<", "2025-04-14", ">WEB 3.0<", "date to be announced", ">Releases<",
		">WEB 1.2<", "maintenance release, no public changes", ">WEB 1.1<", "rolled back", ">WEB 1.0<", "Highlights", "Totals no longer wrong",
		"Known limitations", "Exports are slow"}
	at := 0
	for _, w := range order {
		i := strings.Index(index[at:], w)
		if i < 0 {
			t.Fatalf("index.html: %q missing after position %d", w, at)
		}
		at += i
	}
	if strings.Contains(index, "<script") || !strings.Contains(index, "default-src 'none'") {
		t.Error("index.html must carry no script and forbid scripts")
	}
	page := read(t, dst, "releases/web-1.0.html")
	for _, w := range []string{"<h2 style=\"margin-top:1.25rem\">Added</h2>", "Pay by bank transfer", "WEB-1 · Story", "../feed.atom", "../index.html"} {
		if !strings.Contains(page, w) {
			t.Errorf("release page lacks %q", w)
		}
	}
	cl := read(t, dst, "CHANGELOG.md")
	for _, w := range []string{"## [Unreleased]\n\n### Added\n\n- Onboarding tour — planned for WEB 2\\.0 on 2025\\-04\\-14 (WEB\\-11)\n",
		"## [WEB 1\\.1] - 2025-03-18 [YANKED]\n", "## [WEB 1\\.2] - 2025-03-24\n\nMaintenance release: no public changes.\n",
		"## [WEB 1\\.0] - 2025-03-03\n\n### Added\n\n- Pay by bank transfer (WEB\\-1)\n\n### Fixed\n\n- Totals no longer wrong for EUR (WEB\\-2)\n\n### Known issues\n",
		"[WEB 1\\.0]: https://releases.acme.example/releases/web-1.0.html\n"} {
		if !strings.Contains(cl, w) {
			t.Errorf("CHANGELOG.md lacks %q:\n%s", w, cl)
		}
	}
	// Released before upcoming, newest first, as on the index.
	var js releasesFile
	if err := json.Unmarshal([]byte(read(t, dst, "releases.json")), &js); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range js.Releases {
		names = append(names, r.Name+":"+r.Status)
	}
	if strings.Join(names, " ") != "WEB 1.2:released WEB 1.1:released WEB 1.0:released WEB 2.0:upcoming WEB 3.0:upcoming" {
		t.Errorf("releases.json order: %v", names)
	}
}

// Atom's required elements (RFC 4287 §4.1): feed id, title, updated, author (or one per
// entry) and a self link; each entry id, title, updated and content or an alternate link.
func TestAtomFeed(t *testing.T) {
	dst := render(t, sample())
	type link struct {
		Rel  string `xml:"rel,attr"`
		Href string `xml:"href,attr"`
	}
	type entry struct {
		ID      string `xml:"id"`
		Title   string `xml:"title"`
		Updated string `xml:"updated"`
		Links   []link `xml:"link"`
		Content struct {
			Type string `xml:"type,attr"`
			Body string `xml:",chardata"`
		} `xml:"content"`
	}
	var feed struct {
		XMLName xml.Name
		ID      string  `xml:"id"`
		Title   string  `xml:"title"`
		Updated string  `xml:"updated"`
		Author  string  `xml:"author>name"`
		Links   []link  `xml:"link"`
		Entries []entry `xml:"entry"`
	}
	data := read(t, dst, "feed.atom")
	if err := xml.Unmarshal([]byte(data), &feed); err != nil {
		t.Fatal(err)
	}
	if feed.XMLName.Space != "http://www.w3.org/2005/Atom" || feed.XMLName.Local != "feed" {
		t.Errorf("root %v", feed.XMLName)
	}
	if !strings.HasPrefix(feed.ID, "urn:uuid:") || feed.Title != "Acme release notes" || feed.Author != "Acme product team" {
		t.Errorf("feed id %q title %q author %q", feed.ID, feed.Title, feed.Author)
	}
	if _, err := time.Parse(time.RFC3339, feed.Updated); err != nil || feed.Updated != "2025-03-24T00:00:00Z" {
		t.Errorf("feed updated %q (%v), want the newest entry's", feed.Updated, err)
	}
	if len(feed.Links) != 1 || feed.Links[0].Rel != "self" || feed.Links[0].Href != "https://releases.acme.example/feed.atom" {
		t.Errorf("feed links %+v", feed.Links)
	}
	if len(feed.Entries) != 3 {
		t.Fatalf("%d entries, want one per released release", len(feed.Entries))
	}
	ids := map[string]bool{}
	for _, e := range feed.Entries {
		if !strings.HasPrefix(e.ID, "urn:uuid:") || ids[e.ID] || e.Title == "" || e.Content.Type != "html" || e.Content.Body == "" {
			t.Errorf("entry %+v", e)
		}
		ids[e.ID] = true
		if _, err := time.Parse(time.RFC3339, e.Updated); err != nil {
			t.Errorf("entry updated %q: %v", e.Updated, err)
		}
		if len(e.Links) != 1 || e.Links[0].Rel != "alternate" || !strings.HasPrefix(e.Links[0].Href, "https://releases.acme.example/releases/") {
			t.Errorf("entry links %+v", e.Links)
		}
	}
	// The full notes, every heading.
	if c := feed.Entries[2].Content.Body; !strings.Contains(c, "<h3>Added</h3>") || !strings.Contains(c, "<h3>Known issues</h3>") ||
		!strings.Contains(c, "Exports are slow for large accounts (WEB-4, Bug)") {
		t.Errorf("WEB 1.0 content: %s", c)
	}
	// Stable ids: the same document renders the same feed, byte for byte.
	if again := read(t, render(t, sample()), "feed.atom"); again != data {
		t.Error("a second render changed the feed")
	}
}

// The calendar: CRLF lines of at most 75 octets, folded between UTF-8 characters, parsed
// back by the library; PRODID, VERSION, a refresh hint, and an all-day VEVENT per dated release.
func TestCalendar(t *testing.T) {
	long := strings.Repeat("Überweisungen in €, ✓ schneller; ", 8) + "\r\nInjected: line"
	doc := testDoc("", []rel{
		{"WEB 1.0", "WEB", "released", day(3, 3), false, false},
		{"WEB 2.0", "WEB", "upcoming", day(4, 14), false, false},
		{"WEB 3.0", "WEB", "upcoming", time.Time{}, false, false},
	}, []it{{"WEB 1.0", "WEB-1", "Story", "Added", long, false}})
	data := read(t, render(t, doc), "calendar.ics")
	if !strings.HasSuffix(data, "\r\n") {
		t.Error("calendar does not end with CRLF")
	}
	lines := strings.Split(strings.TrimSuffix(data, "\r\n"), "\r\n")
	folded := 0
	for i, l := range lines {
		if len(l) > 75 {
			t.Errorf("line %d is %d octets: %q", i+1, len(l), l)
		}
		if strings.ContainsAny(l, "\r\n") {
			t.Errorf("line %d holds a bare CR or LF: %q", i+1, l)
		}
		if !utf8.ValidString(l) {
			t.Errorf("line %d splits a UTF-8 character: %q", i+1, l)
		}
		if strings.HasPrefix(l, " ") {
			folded++
		}
	}
	if folded < 3 {
		t.Errorf("only %d continuation lines: the long description was not folded", folded)
	}
	for _, w := range []string{"BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//relscope//relscope 1.2.3//EN", "REFRESH-INTERVAL;VALUE=DURATION:PT12H",
		"X-PUBLISHED-TTL:PT12H", "DTSTART;VALUE=DATE:20250303", "DTEND;VALUE=DATE:20250304", "DTSTART;VALUE=DATE:20250414",
		"DTSTAMP:20250331T000000Z", "STATUS:TENTATIVE", "SUMMARY:WEB 2.0 (planned)"} {
		if !slices.Contains(lines, w) {
			t.Errorf("calendar lacks the line %q", w)
		}
	}
	cal, err := ics.ParseCalendar(strings.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	evs := cal.Events()
	if len(evs) != 2 {
		t.Fatalf("%d events, want one per dated release", len(evs))
	}
	for _, ev := range evs {
		for _, p := range []ics.ComponentProperty{ics.ComponentPropertyUniqueId, ics.ComponentPropertyDtstamp, ics.ComponentPropertyDtStart} {
			if ev.GetProperty(p) == nil {
				t.Errorf("event %s lacks %s", ev.Id(), p)
			}
		}
		if _, err := ev.GetAllDayStartAt(); err != nil {
			t.Errorf("event %s: %v", ev.Id(), err)
		}
	}
	desc := evs[0].GetProperty(ics.ComponentPropertyDescription).Value
	if !strings.Contains(ics.FromText(desc), strings.Repeat("Überweisungen in €, ✓ schneller; ", 8)+"  Injected: line") {
		t.Errorf("description did not survive folding: %q", ics.FromText(desc))
	}
	// UIDs are the feed's ids: stable from run to run.
	if again := read(t, render(t, doc), "calendar.ics"); again != data {
		t.Error("a second render changed the calendar")
	}
}

const hostile = `</script><img src=x onerror=alert(1)> ]]> &amp; "quoted" 'single'`

// A hostile title stays text in HTML, Atom, Markdown and JSON.
func TestHostileTitleStaysText(t *testing.T) {
	dst := render(t, testDoc("", []rel{{"WEB 1.0", "WEB", "released", day(3, 3), false, false}},
		[]it{{"WEB 1.0", "WEB-1", "Story", "Added", hostile, true}}))
	for _, name := range []string{"index.html", "releases/web-1.0.html"} {
		page := read(t, dst, name)
		if strings.Contains(page, "<img") || strings.Contains(page, "</script>") {
			t.Errorf("%s: the title became markup", name)
		}
		if !strings.Contains(page, "&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt; ]]&gt; &amp;amp; &#34;quoted&#34; &#39;single&#39;") {
			t.Errorf("%s: the title is not shown as text", name)
		}
	}
	var feed struct {
		Entries []struct {
			Title   string `xml:"title"`
			Content string `xml:"content"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal([]byte(read(t, dst, "feed.atom")), &feed); err != nil {
		t.Fatalf("the feed is not XML any more: %v", err)
	}
	// The content is HTML (type="html"): the title in it is HTML-escaped, once, inside the XML text.
	if c := feed.Entries[0].Content; strings.Contains(c, "<img") || !strings.Contains(c, "&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt; ]]&gt; &amp;amp;") {
		t.Errorf("feed content: %s", c)
	}
	if raw := read(t, dst, "feed.atom"); strings.Contains(raw, "]]>") || strings.Contains(raw, "<img") {
		t.Error("feed.atom holds the raw title")
	}
	cl := read(t, dst, "CHANGELOG.md")
	if !strings.Contains(cl, `- \</script\>\<img src\=x onerror\=alert\(1\)\> \]\]\> \&amp\; \"quoted\" \'single\' (WEB\-1)`) {
		t.Errorf("CHANGELOG.md: %s", cl)
	}
	var js releasesFile
	if err := json.Unmarshal([]byte(read(t, dst, "releases.json")), &js); err != nil || js.Releases[0].Items[0].Title != hostile {
		t.Errorf("releases.json title %q (%v)", js.Releases[0].Items[0].Title, err)
	}
}

// Release names reach file names: every page stays inside the site, names are distinct and
// the same from run to run.
func TestReleaseNamesStayInside(t *testing.T) {
	names := []string{"../../x", "/etc/passwd", "a/b\\c", "..", ".", "CON", "", "Größe ✓", "WEB 1.0", "web-1.0", "x"}
	var rels []rel
	for i, n := range names {
		rels = append(rels, rel{n, "P" + string(rune('A'+i)), "released", day(3, 1+i), false, true})
	}
	parent := t.TempDir()
	dst := filepath.Join(parent, "site")
	if err := New().Render(context.Background(), testDoc("", rels, nil), dst); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(parent)
	if len(entries) != 1 || entries[0].Name() != "site" {
		t.Errorf("the parent folder holds %v, want only the site", entries)
	}
	pages, _ := os.ReadDir(filepath.Join(dst, "releases"))
	var got []string
	for _, p := range pages {
		got = append(got, p.Name())
	}
	if len(got) != len(names) {
		t.Errorf("%d pages for %d releases: %v", len(got), len(names), got)
	}
	for _, g := range got {
		if strings.Contains(g, "..") || strings.ContainsAny(g, `/\`) || strings.HasPrefix(g, ".") || g == "con.html" {
			t.Errorf("page name %q", g)
		}
	}
	if !slices.Contains(got, "x.html") || !slices.Contains(got, "pk-x.html") || !slices.Contains(got, "web-1.0.html") ||
		!slices.Contains(got, "pj-web-1.0.html") || !slices.Contains(got, "con-release.html") {
		t.Errorf("pages: %v", got)
	}
	// The index links each page by its relative name.
	index := read(t, dst, "index.html")
	for _, g := range got {
		if !strings.Contains(index, `href="releases/`+g+`"`) {
			t.Errorf("index does not link %s", g)
		}
	}
}

func TestSlug(t *testing.T) {
	for in, want := range map[string]string{
		"PAY 2025.12": "pay-2025.12", "../../x": "x", "a/../b": "a-b", "1..2": "1.2", "1./2": "1-2", "  -v1.0- ": "v1.0",
		"NUL": "nul-release", "com1.tar": "com1.tar-release", "Größe": "gr-e", strings.Repeat("a", 80): strings.Repeat("a", 64),
		"": "release-da39a3ee", "日本": "release-" + "",
	} {
		got := slug(in)
		if in == "日本" {
			if !strings.HasPrefix(got, "release-") || len(got) != len("release-")+8 {
				t.Errorf("slug(%q) = %q", in, got)
			}
			continue
		}
		if got != want {
			t.Errorf("slug(%q) = %q, want %q", in, got, want)
		}
	}
}

// releases.json follows releases.schema.json: every object's keys are the schema's
// properties (additionalProperties: false), required ones present, enums respected.
func TestReleasesJSONSchema(t *testing.T) {
	dst := render(t, sample())
	var schema, doc any
	if err := json.Unmarshal([]byte(read(t, dst, "releases.schema.json")), &schema); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(read(t, dst, "releases.json")), &doc); err != nil {
		t.Fatal(err)
	}
	var check func(path string, s map[string]any, v any)
	check = func(path string, s map[string]any, v any) {
		if enum, ok := s["enum"].([]any); ok && !slices.Contains(enum, v) {
			t.Errorf("%s: %v not in %v", path, v, enum)
		}
		switch x := v.(type) {
		case map[string]any:
			props, _ := s["properties"].(map[string]any)
			for k, sub := range x {
				ps, ok := props[k].(map[string]any)
				if !ok {
					t.Errorf("%s.%s: not in the schema", path, k)
					continue
				}
				check(path+"."+k, ps, sub)
			}
			req, _ := s["required"].([]any)
			for _, r := range req {
				if _, ok := x[r.(string)]; !ok {
					t.Errorf("%s: required %s missing", path, r)
				}
			}
		case []any:
			items, _ := s["items"].(map[string]any)
			for i, e := range x {
				check(path+"["+string(rune('0'+i%10))+"]", items, e)
			}
		}
	}
	check("$", schema.(map[string]any), doc)
	if !bytes.Contains(schemaJSON, []byte(`"const": 1`)) || SchemaVersion != 1 {
		t.Error("schema and SchemaVersion disagree")
	}
}

// On a phone the upcoming releases' planned dates stay on one line each: in a 390 px window
// with a scrollbar the demo's broke at their hyphens (2026-11- over 02). The dated cells do
// not wrap, "date to be announced" may, and the page is no wider than a 320 px screen.
func TestUpcomingDatesOnOneLineOnAPhone(t *testing.T) {
	var rels []rel
	var items []it
	for i := range 6 {
		name := fmt.Sprintf("SRCH 2026.%d", 40+i)
		rels = append(rels, rel{name, "SRCH", "upcoming", day(4, 1+i), false, false})
		for k := range i {
			items = append(items, it{name, fmt.Sprintf("SRCH-%d%d", i, k), "Story", "Added", "A change", false})
		}
	}
	rels = append(rels, rel{"SRCH 2027.1", "SRCH", "upcoming", time.Time{}, false, false})
	dst := render(t, testDoc("", rels, items))
	p := browsertest.Open(t, filepath.Join(dst, "index.html"), 320, 900)
	if n := browsertest.Eval[int](t, p, `document.querySelectorAll("td.date time").length`); n != 6 {
		t.Fatalf("%d dated cells, want 6", n)
	}
	wraps := browsertest.Eval[[]string](t, p, `[...document.querySelectorAll("td.date time")].filter(e => getComputedStyle(e).whiteSpace !== "nowrap" || e.getClientRects().length > 1).map(e => e.textContent)`)
	if len(wraps) > 0 {
		t.Errorf("dates that may break over two lines: %v", wraps)
	}
	if w := browsertest.Eval[int](t, p, `document.documentElement.scrollWidth - window.innerWidth`); w > 0 {
		t.Errorf("the page is %d px wider than the screen", w)
	}
}
