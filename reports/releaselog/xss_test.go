package releaselog

import (
	"encoding/xml"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/relscope/relscope/internal/browsertest"
	"github.com/relscope/relscope/internal/xss"
)

// Every payload of internal/xss as a release name (with a base URL, so links are built from
// them) and as an item title: every HTML page of the site holds none raw and, opened in
// Chromium, runs none and fetches nothing; the Atom feed is well-formed XML whose titles
// are the payloads as text and whose HTML content holds them escaped; every file stays in
// the site folder.
func TestReleaseLogPayloadsStayInert(t *testing.T) {
	var rels []rel
	var items []it
	for i := range xss.Payloads {
		name := xss.Marked(i, fmt.Sprintf(" 1.%d", i))
		rels = append(rels, rel{name, "WEB", "released", day(3, 1+i%28), i%7 == 3, false})
		items = append(items, it{name, fmt.Sprintf("WEB-%d", i+1), "Story", "Added", xss.Marked(i, ""), i%2 == 0})
	}
	dst := render(t, testDoc("https://releases.acme.example/", rels, items))
	var pages []string
	filepath.WalkDir(dst, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".html") {
			pages = append(pages, p)
		}
		return err
	})
	if len(pages) < len(xss.Payloads)+1 {
		t.Fatalf("%d pages for %d releases", len(pages), len(xss.Payloads))
	}
	for _, page := range pages {
		rel, _ := filepath.Rel(dst, page)
		if strings.HasPrefix(rel, "..") {
			t.Errorf("%s is outside the site", page)
		}
		b, _ := os.ReadFile(page)
		for _, p := range xss.Raw(string(b)) {
			t.Errorf("%s holds %q raw", rel, p)
		}
	}
	// In the browser: the index (every release and title) and a few release pages.
	for _, page := range []string{pages[0], pages[len(pages)/2], pages[len(pages)-1], filepath.Join(dst, "index.html")} {
		rel, _ := filepath.Rel(dst, page)
		p := browsertest.Open(t, page, 1200, 900)
		xss.Inert(t, rel, p)
		if dir := os.Getenv("RELSCOPE_SCREENSHOTS"); dir != "" && rel == "index.html" {
			os.WriteFile(filepath.Join(dir, "xss-releaselog-index.png"), p.Screenshot(t, "body"), 0o644)
		}
		text := browsertest.Eval[string](t, p, `document.body.innerText`)
		if !strings.Contains(text, "xss") {
			t.Errorf("%s shows no planted text", rel)
		}
		for _, r := range p.Requests() {
			if !strings.HasPrefix(r, "file://"+dst) {
				t.Errorf("%s: request to %s", rel, r)
			}
		}
	}
	raw := read(t, dst, "feed.atom")
	var feed struct {
		Entries []struct {
			Title   string `xml:"title"`
			Content struct {
				Type string `xml:"type,attr"`
				Body string `xml:",chardata"`
			} `xml:"content"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal([]byte(raw), &feed); err != nil {
		t.Fatalf("the feed is not XML: %v", err)
	}
	if len(feed.Entries) < len(xss.Payloads) {
		t.Errorf("%d entries", len(feed.Entries))
	}
	for _, p := range xss.Raw(raw) {
		t.Errorf("feed.atom holds %q raw", p)
	}
	escaped := 0
	for _, e := range feed.Entries {
		if e.Content.Type != "html" {
			t.Errorf("entry %q: content type %q", e.Title, e.Content.Type)
		}
		// The content is HTML once XML-decoded: a payload in it must still be escaped.
		for _, p := range xss.Raw(e.Content.Body) {
			t.Errorf("entry %q: its HTML content holds %q raw", e.Title, p)
		}
		for i := range xss.Payloads {
			if strings.Contains(e.Content.Body, html.EscapeString(xss.Marked(i, ""))) {
				escaped++
				break
			}
		}
	}
	if escaped < len(xss.Payloads)/2 {
		t.Errorf("only %d entries show their payload escaped in the content", escaped)
	}
}
