package xss

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/relscope/relscope/internal/browsertest"
)

// The checks can fail: a page holding the payloads raw is caught by Raw and by Inert.
func TestChecksCatchRawPayloads(t *testing.T) {
	if len(Payloads) < 20 {
		t.Fatalf("%d payloads, want at least 20", len(Payloads))
	}
	// An input that focuses itself and alerts on focus takes the focus back each time its
	// dialog closes: raw, it alerts without end and the page never finishes loading. It stays
	// out of this raw page (on a real output it would fail its test by that timeout).
	var raw []string
	for _, p := range Payloads {
		if !strings.Contains(p, "<input autofocus onfocus") {
			raw = append(raw, p)
		}
	}
	page := "<!doctype html><title>t</title><body><p>" + strings.Join(raw, "</p><p>") + "</p>"
	path := filepath.Join(t.TempDir(), "raw.html")
	os.WriteFile(path, []byte(page), 0o644)
	if n := len(Raw(page)); n < 20 {
		t.Errorf("Raw found %d raw payloads", n)
	}
	p := browsertest.Open(t, path, 800, 600)
	p.Wait(300 * 1e6)
	bad := browsertest.Eval[[]string](t, p, injected)
	if len(bad) < 8 || len(p.Dialogs()) == 0 {
		t.Errorf("on a page of raw payloads: %d injected things found, %d dialogs: %q", len(bad), len(p.Dialogs()), bad)
	}
	t.Logf("%d injected things, %d dialogs", len(bad), len(p.Dialogs()))
}
