package releaselog

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Marker is the file every site relscope writes carries at its root. A folder holding it is
// a previous site that publish may replace; any other non-empty folder is refused.
const Marker = ".relscope-site"

const markerText = "This folder is a release log written by `relscope publish`; the next run replaces all of it.\n"

// replaceDir builds a new site with fill in a fresh folder beside dst and then puts it in
// dst's place in one step, so a reader (a web server) sees the whole old site or the whole
// new one, never a mixture, and a failed fill leaves the old site untouched:
//
//   - dst absent: the new folder is renamed to dst (rename(2) is atomic).
//   - dst a previous site (it has Marker) or an empty folder: on Linux the two folders are
//     exchanged with renameat2(RENAME_EXCHANGE), then the old one is removed. Where that is
//     not available (other systems, some file systems) dst is first renamed aside and the
//     new folder renamed into place: for that moment dst does not exist (a reader gets "not
//     found", never a half-written page), and a failure between the two renames puts the
//     old site back.
//   - dst anything else (a file, a symbolic link, a folder of other things): refused.
//
// exchange is exchangeDirs outside tests.
func replaceDir(dst string, fill func(dir string) error, exchange func(a, b string) error) error {
	dst = filepath.Clean(dst)
	exists, err := checkTarget(dst)
	if err != nil {
		return err
	}
	parent, base := filepath.Split(dst)
	if parent == "" {
		parent = "."
	}
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(parent, "."+base+".relscope-new-")
	if err != nil {
		return err
	}
	// MkdirTemp makes 0700; a site is meant to be read by a web server.
	if err := os.Chmod(tmp, 0o755); err != nil {
		os.RemoveAll(tmp)
		return err
	}
	done := false
	defer func() {
		if !done {
			os.RemoveAll(tmp)
		}
	}()
	if err := fill(tmp); err != nil {
		return err
	}
	if err := writeSynced(filepath.Join(tmp, Marker), []byte(markerText)); err != nil {
		return err
	}
	if err := syncDir(tmp); err != nil {
		return err
	}
	if !exists {
		if err := os.Rename(tmp, dst); err != nil {
			return fmt.Errorf("publish %s: %w", dst, err)
		}
		done = true
		return syncDir(parent)
	}
	if err := exchange(tmp, dst); err == nil {
		done = true
		// tmp now holds the old site.
		if err := os.RemoveAll(tmp); err != nil {
			return fmt.Errorf("published %s, but could not remove the previous site (now %s): %w", dst, tmp, err)
		}
		return syncDir(parent)
	} else if !errors.Is(err, errExchangeUnsupported) {
		return fmt.Errorf("publish %s: %w", dst, err)
	}
	old := filepath.Join(parent, "."+base+".relscope-old-"+strings.TrimPrefix(filepath.Base(tmp), "."+base+".relscope-new-"))
	if err := os.Rename(dst, old); err != nil {
		return fmt.Errorf("publish %s: %w", dst, err)
	}
	if err := os.Rename(tmp, dst); err != nil {
		if rerr := os.Rename(old, dst); rerr != nil {
			return fmt.Errorf("publish %s: %v; the previous site is left in %s: %v", dst, err, old, rerr)
		}
		return fmt.Errorf("publish %s: %w", dst, err)
	}
	done = true
	if err := os.RemoveAll(old); err != nil {
		return fmt.Errorf("published %s, but could not remove the previous site (now %s): %w", dst, old, err)
	}
	return syncDir(parent)
}

// checkTarget says whether dst exists, and refuses a dst publish must not replace.
func checkTarget(dst string) (bool, error) {
	info, err := os.Lstat(dst)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if info.Mode()&os.ModeSymlink != 0 {
		return false, fmt.Errorf("publish: %s is a symbolic link; give the folder itself (publish replaces the folder, not what the link points to)", dst)
	}
	if !info.IsDir() {
		return false, fmt.Errorf("publish: %s exists and is not a folder", dst)
	}
	if _, err := os.Stat(filepath.Join(dst, Marker)); err == nil {
		return true, nil
	}
	entries, err := os.ReadDir(dst)
	if err != nil {
		return false, err
	}
	if len(entries) > 0 {
		return false, fmt.Errorf("publish: %s is not empty and is not a site relscope wrote (no %s file in it); "+
			"publish replaces its whole output folder, so give a new or empty folder", dst, Marker)
	}
	return true, nil
}

// writeSynced writes a file and flushes it to disk, so the swapped-in site is complete even
// after a crash.
func writeSynced(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	// Some file systems cannot sync a folder; the rename itself is what makes the swap atomic.
	d.Sync()
	return nil
}

var errExchangeUnsupported = errors.New("atomic exchange of folders not supported here")
