// Package demowarehouse gives tests a built warehouse of the generated demo organisation, for
// any package's tests (document specs, named queries, marts): Open(t, Demo) is what
// `relscope demo` builds — every export format, the generated relscope.yaml, built as of the
// end of the generated history.
//
// It is cheap to call from many tests: each Options is generated, ingested and built once
// per test binary (a second or two at scale 2,000), kept in memory as the warehouse file's
// bytes, and every Open writes a private copy into the test's own temporary folder — so a
// test may write to it, and tests may run in parallel. Nothing is left behind.
//
// It does what the pipeline's fixtures, ingest and build steps do, calling the same
// functions, but cannot use package pipeline: that imports reports and queries, whose own
// tests use this package.
package demowarehouse

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/relscope/relscope/config"
	"github.com/relscope/relscope/fixtures"
	"github.com/relscope/relscope/ingest"
	"github.com/relscope/relscope/models"
)

// Options says which organisation to build.
type Options struct {
	Scale int
	Seed  uint64
	// Mixed writes every export format with the generated relscope.yaml (as `relscope demo`
	// does); false writes relscope's native CSVs only and builds with the default config.
	Mixed bool
}

var (
	// Demo is the warehouse `relscope demo` builds.
	Demo = Options{Scale: 2000, Seed: 42, Mixed: true}
	// Native is the organisation models/testdata/demo_marts.golden pins: native CSVs, the
	// default configuration.
	Native = Options{Scale: 2000, Seed: 42}
)

// Warehouse is a test's own copy of a built demo warehouse, open for writing; it is closed
// when the test ends.
type Warehouse struct {
	*models.Warehouse
	// Path is the warehouse file (in the test's temporary folder).
	Path string
	// Config is the configuration it was built with.
	Config *config.Config
	// AsOf is the build's as_of: the end of the generated history.
	AsOf time.Time
	// Manifest describes the generated organisation (teams, history, files).
	Manifest *fixtures.Manifest
}

type built struct {
	once     sync.Once
	data     []byte
	cfg      *config.Config
	manifest *fixtures.Manifest
	err      error
}

var (
	mu    sync.Mutex
	cache = map[Options]*built{}
)

// Open returns a private copy of the warehouse o describes, building it on first use.
func Open(t testing.TB, o Options) *Warehouse {
	t.Helper()
	mu.Lock()
	b, ok := cache[o]
	if !ok {
		b = &built{}
		cache[o] = b
	}
	mu.Unlock()
	b.once.Do(func() { b.build(o) })
	if b.err != nil {
		t.Fatalf("demo warehouse %+v: %v", o, b.err)
	}
	path := filepath.Join(t.TempDir(), "relscope.duckdb")
	if err := os.WriteFile(path, b.data, 0o644); err != nil {
		t.Fatal(err)
	}
	w, err := models.Open(context.Background(), path, models.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return &Warehouse{Warehouse: w, Path: path, Config: b.cfg, AsOf: b.manifest.End, Manifest: b.manifest}
}

// build generates, ingests and builds o in a temporary folder and keeps the file's bytes.
func (b *built) build(o Options) {
	b.data, b.cfg, b.manifest, b.err = generate(o)
}

func generate(o Options) ([]byte, *config.Config, *fixtures.Manifest, error) {
	dir, err := os.MkdirTemp("", "relscope-demowarehouse-*")
	if err != nil {
		return nil, nil, nil, err
	}
	defer os.RemoveAll(dir)
	fx := filepath.Join(dir, "fixtures")
	m, err := fixtures.Generate(fixtures.Options{Scale: o.Scale, Seed: o.Seed, Out: fx, Mixed: o.Mixed})
	if err != nil {
		return nil, nil, nil, err
	}
	cfg := config.Default()
	if o.Mixed {
		if cfg, err = config.Load(filepath.Join(fx, fixtures.ConfigFile), false); err != nil {
			return nil, nil, nil, err
		}
	}
	ctx := context.Background()
	path := filepath.Join(dir, "relscope.duckdb")
	w, err := models.Open(ctx, path, models.Options{})
	if err != nil {
		return nil, nil, nil, err
	}
	var failed error
	err = ingest.Run(ctx, w, []string{fx}, ingest.Options{Config: cfg, Dates: ingest.DateParser{Loc: time.UTC}},
		func(r ingest.FileResult) {
			if r.Err != nil && failed == nil {
				failed = r.Err
			}
		})
	if err == nil {
		err = failed
	}
	if err == nil {
		var ms []*models.Model
		if ms, err = models.Models(); err == nil {
			_, err = w.Build(ctx, ms, models.Settings{AsOf: m.End, Config: cfg}, nil)
		}
	}
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, nil, nil, fmt.Errorf("ingest and build: %w", err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, nil, err
	}
	return data, cfg, m, nil
}
