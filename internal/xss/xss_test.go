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
	page := "<!doctype html><title>t</title><body><p>" + strings.Join(Payloads, "</p><p>") + "</p>"
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
