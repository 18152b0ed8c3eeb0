package jobs

import (
	"errors"
	"io/fs"
	"net/http"
	"os"
	"strings"
)

// FileServer serves the folder dir read-only: GET and HEAD only; a path with a ".." segment
// is refused (400) before anything is looked up; dotfiles and dot-folders — among them the
// staged outputs of a run in progress — are never served nor listed (404); a symlink
// pointing outside dir is not followed (os.Root refuses it: 404); folders inside dir are
// listed (without dotfiles), and an index.html is served for its folder.
func FileServer(dir string) (http.Handler, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	files := http.FileServerFS(noDotFS{root.FS()})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "read-only", http.StatusMethodNotAllowed)
			return
		}
		p := r.URL.Path
		for _, seg := range strings.Split(p, "/") {
			if seg == ".." {
				http.Error(w, "bad path", http.StatusBadRequest)
				return
			}
			if strings.HasPrefix(seg, ".") {
				http.NotFound(w, r)
				return
			}
		}
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Cache-Control", "no-cache")
		h.Set("Referrer-Policy", "no-referrer")
		files.ServeHTTP(w, r)
	}), nil
}

// noDotFS hides dot entries from folder listings and refuses to open them.
type noDotFS struct{ fs.FS }

func (f noDotFS) Open(name string) (fs.File, error) {
	for _, seg := range strings.Split(name, "/") {
		if strings.HasPrefix(seg, ".") && seg != "." {
			return nil, fs.ErrNotExist
		}
	}
	file, err := f.FS.Open(name)
	if err != nil {
		// A symlink leading out of the folder is an error of its own (os.Root refuses to
		// follow it): to a visitor it is not there.
		if errors.Is(err, fs.ErrPermission) {
			return nil, err
		}
		return nil, fs.ErrNotExist
	}
	if d, ok := file.(fs.ReadDirFile); ok {
		return noDotDir{d}, nil
	}
	return file, nil
}

type noDotDir struct{ fs.ReadDirFile }

func (d noDotDir) ReadDir(n int) ([]fs.DirEntry, error) {
	var out []fs.DirEntry
	for {
		entries, err := d.ReadDirFile.ReadDir(n)
		for _, e := range entries {
			if !strings.HasPrefix(e.Name(), ".") {
				out = append(out, e)
			}
		}
		if n <= 0 || len(out) > 0 || err != nil {
			return out, err
		}
	}
}
