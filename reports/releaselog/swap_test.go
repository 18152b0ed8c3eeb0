package releaselog

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

func writeSite(dir, content string) error {
	return writeFiles(context.Background(), dir, []file{{"index.html", []byte(content)}, {"releases/a.html", []byte(content)}})
}

func TestReplaceDirRefuses(t *testing.T) {
	parent := t.TempDir()
	// A user's folder with their own files is never replaced.
	user := filepath.Join(parent, "docs")
	os.MkdirAll(user, 0o755)
	os.WriteFile(filepath.Join(user, "thesis.txt"), []byte("mine"), 0o644)
	err := replaceDir(user, func(d string) error { return writeSite(d, "new") }, exchangeDirs)
	if err == nil || !strings.Contains(err.Error(), "not a site relscope wrote") {
		t.Errorf("non-empty folder: %v", err)
	}
	if b, _ := os.ReadFile(filepath.Join(user, "thesis.txt")); string(b) != "mine" {
		t.Error("the user's file was touched")
	}
	// Nor a file, nor a symbolic link.
	f := filepath.Join(parent, "file")
	os.WriteFile(f, []byte("x"), 0o644)
	if err := replaceDir(f, func(d string) error { return writeSite(d, "new") }, exchangeDirs); err == nil || !strings.Contains(err.Error(), "not a folder") {
		t.Errorf("file: %v", err)
	}
	link := filepath.Join(parent, "link")
	os.Symlink(user, link)
	if err := replaceDir(link, func(d string) error { return writeSite(d, "new") }, exchangeDirs); err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Errorf("symlink: %v", err)
	}
	// An empty folder is taken.
	empty := filepath.Join(parent, "empty")
	os.MkdirAll(empty, 0o755)
	if err := replaceDir(empty, func(d string) error { return writeSite(d, "new") }, exchangeDirs); err != nil {
		t.Errorf("empty folder: %v", err)
	}
	assertNoLeftovers(t, parent, "docs", "file", "link", "empty")
}

// assertNoLeftovers checks that parent holds only the names given: no temporary folder of a
// run is left behind.
func assertNoLeftovers(t *testing.T, parent string, names ...string) {
	t.Helper()
	entries, _ := os.ReadDir(parent)
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if len(got) != len(names) {
		t.Errorf("%s holds %v, want %v", parent, got, names)
	}
}

func TestReplaceDirFailedRunKeepsOldSite(t *testing.T) {
	for name, exchange := range map[string]func(a, b string) error{
		"exchange": exchangeDirs,
		"fallback": func(a, b string) error { return errExchangeUnsupported },
	} {
		t.Run(name, func(t *testing.T) {
			parent := t.TempDir()
			dst := filepath.Join(parent, "site")
			if err := replaceDir(dst, func(d string) error { return writeSite(d, "old") }, exchange); err != nil {
				t.Fatal(err)
			}
			// A run that fails half-way (one file written, then an error).
			boom := errors.New("boom")
			err := replaceDir(dst, func(d string) error {
				if err := writeFiles(context.Background(), d, []file{{"index.html", []byte("half")}}); err != nil {
					return err
				}
				return boom
			}, exchange)
			if !errors.Is(err, boom) {
				t.Fatalf("got %v", err)
			}
			if b, _ := os.ReadFile(filepath.Join(dst, "index.html")); string(b) != "old" {
				t.Errorf("after a failed run index.html = %q, want the old site", b)
			}
			// A good run replaces it whole.
			if err := replaceDir(dst, func(d string) error { return writeSite(d, "new") }, exchange); err != nil {
				t.Fatal(err)
			}
			for _, f := range []string{"index.html", "releases/a.html"} {
				if b, _ := os.ReadFile(filepath.Join(dst, f)); string(b) != "new" {
					t.Errorf("%s = %q after the new run", f, b)
				}
			}
			if _, err := os.Stat(filepath.Join(dst, Marker)); err != nil {
				t.Error("the site has no marker")
			}
			assertNoLeftovers(t, parent, "site")
		})
	}
}

// A reader reading the site while it is republished again and again sees a whole site every
// time: every file there, each from one run, never a missing or half-written file.
func TestReplaceDirConcurrentReader(t *testing.T) {
	parent := t.TempDir()
	dst := filepath.Join(parent, "site")
	if err := replaceDir(dst, func(d string) error { return writeSite(d, strings.Repeat("A", 1<<16)) }, exchangeDirs); err != nil {
		t.Fatal(err)
	}
	var stop atomic.Bool
	var reads, bad atomic.Int64
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				for _, f := range []string{"index.html", "releases/a.html"} {
					b, err := os.ReadFile(filepath.Join(dst, f))
					reads.Add(1)
					if err != nil || len(b) != 1<<16 || strings.Count(string(b), string(b[:1])) != len(b) {
						bad.Add(1)
					}
				}
			}
		}()
	}
	for i := range 30 {
		content := strings.Repeat(string(rune('A'+i%26)), 1<<16)
		if err := replaceDir(dst, func(d string) error { return writeSite(d, content) }, exchangeDirs); err != nil {
			t.Fatal(err)
		}
	}
	stop.Store(true)
	wg.Wait()
	if bad.Load() > 0 || reads.Load() == 0 {
		t.Errorf("%d of %d reads saw a missing or mixed file", bad.Load(), reads.Load())
	}
	assertNoLeftovers(t, parent, "site")
}
