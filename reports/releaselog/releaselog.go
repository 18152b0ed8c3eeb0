package releaselog

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/relscope/relscope/reports/document"
)

// Renderer writes the release-log site into a folder.
type Renderer struct{}

// New returns the release-log renderer.
func New() Renderer { return Renderer{} }

// Name is the format's name.
func (Renderer) Name() string { return "releaselog" }

// file is one file of the site, its path relative to the site's root.
type file struct {
	path string
	data []byte
}

// Render writes the site for doc into the folder dst, replacing a previous site there in one
// step (replaceDir): on error the previous site is left as it was.
func (Renderer) Render(ctx context.Context, doc *document.Document, dst string) error {
	s, err := readSite(doc)
	if err != nil {
		return err
	}
	files, err := s.files()
	if err != nil {
		return err
	}
	return replaceDir(dst, func(dir string) error { return writeFiles(ctx, dir, files) }, exchangeDirs)
}

// files renders every file of the site.
func (s *site) files() ([]file, error) {
	index, err := renderIndex(s)
	if err != nil {
		return nil, err
	}
	atom, err := renderAtom(s)
	if err != nil {
		return nil, err
	}
	js, err := renderJSON(s)
	if err != nil {
		return nil, err
	}
	fs := []file{
		{"index.html", index},
		{"feed.atom", atom},
		{"CHANGELOG.md", renderChangelog(s)},
		{"releases.json", js},
		{"releases.schema.json", schemaJSON},
		{"calendar.ics", renderICS(s)},
	}
	for _, group := range [][]*release{s.Released, s.Upcoming} {
		for _, r := range group {
			page, err := renderPage(s, r)
			if err != nil {
				return nil, err
			}
			fs = append(fs, file{r.Page(), page})
		}
	}
	return fs, nil
}

// writeFiles writes files under dir, each only where its path is local to dir (no "..", no
// absolute path) — release names reach file names, so this is checked again here, where
// the file is made, whatever slug produced.
func writeFiles(ctx context.Context, dir string, files []file) error {
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return err
		}
		if !filepath.IsLocal(filepath.FromSlash(f.path)) {
			return fmt.Errorf("release log: refusing to write %q outside the site folder", f.path)
		}
		p := filepath.Join(dir, filepath.FromSlash(f.path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := writeSynced(p, f.data); err != nil {
			return fmt.Errorf("release log %s: %w", f.path, err)
		}
	}
	return nil
}
