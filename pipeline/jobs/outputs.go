package jobs

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/relscope/relscope/pipeline"
	"github.com/relscope/relscope/pipeline/notify"
)

// stagedOutputs are a run's reports rendered beside their final paths under hidden names
// (".relscope-run-N-dashboard.html"), so that the run replaces its outputs only once every
// one of them rendered: a failed run leaves the previous outputs in place. Each replacement
// is a rename in the same folder (a reader sees the old file or the new one); a folder
// output (the published site) is exchanged with the old folder atomically where the system
// can (Linux renameat2), else renamed over it in two steps.
type stagedOutputs struct {
	targets []pipeline.Target
	finals  []string
	links   []notify.Link
	r       *Runner
	types   []string
	rels    []string
}

func (r *Runner) stage(job *Job, runID int64) *stagedOutputs {
	s := &stagedOutputs{r: r}
	for _, rep := range job.Reports {
		final := filepath.Join(r.File.Output, filepath.FromSlash(rep.Out))
		staged := filepath.Join(filepath.Dir(final), ".relscope-run-"+strconv.FormatInt(runID, 10)+"-"+filepath.Base(final))
		scope := rep.Scope
		scope.Version = r.Version
		s.targets = append(s.targets, pipeline.Target{Output: rep.Output, Scope: scope, Path: staged, Final: final})
		s.finals = append(s.finals, final)
		s.types = append(s.types, rep.Output.Name)
		s.rels = append(s.rels, rep.Out)
	}
	return s
}

// commit moves every staged output to its final path.
func (s *stagedOutputs) commit() error {
	for i, t := range s.targets {
		if err := replace(t.Path, s.finals[i]); err != nil {
			return fmt.Errorf("replace %s: %w", s.rels[i], err)
		}
		s.links = append(s.links, s.r.link(s.types[i], s.rels[i]))
	}
	return nil
}

// discard removes whatever was staged.
func (s *stagedOutputs) discard() {
	for _, t := range s.targets {
		os.RemoveAll(t.Path)
	}
}

// replace puts staged at final: a rename for a file; for a folder, an exchange with the old
// folder (then removed).
func replace(staged, final string) error {
	info, err := os.Lstat(staged)
	if err != nil {
		return err
	}
	old, err := os.Lstat(final)
	if !info.IsDir() || errors.Is(err, os.ErrNotExist) {
		return os.Rename(staged, final)
	}
	if err != nil {
		return err
	}
	if !old.IsDir() {
		return fmt.Errorf("%s is a file, the new output a folder", final)
	}
	if err := exchange(staged, final); err == nil {
		return os.RemoveAll(staged) // now the old folder
	}
	aside := final + ".relscope-old"
	os.RemoveAll(aside)
	if err := os.Rename(final, aside); err != nil {
		return err
	}
	if err := os.Rename(staged, final); err != nil {
		os.Rename(aside, final)
		return err
	}
	return os.RemoveAll(aside)
}
