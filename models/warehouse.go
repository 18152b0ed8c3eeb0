// Package models owns the warehouse: opening and migrating the DuckDB file, the SQL models
// that turn canonical tables into marts, the runner that orders and materialises them, and
// the data tests that guard every build.
package models

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Warehouse is an open relscope warehouse.
type Warehouse struct {
	DB   *sql.DB
	Path string
	// building makes the builds of one Warehouse take turns (each writes the mart schema
	// the last one did not use).
	building sync.Mutex
}

// Options tunes how the warehouse is opened.
type Options struct {
	// ReadOnly opens the file without write access (several readers may share it).
	ReadOnly bool
	// MemoryLimit is DuckDB's memory_limit ("2GB"); empty leaves DuckDB's default.
	MemoryLimit string
	// Threads caps DuckDB's worker threads; 0 leaves DuckDB's default.
	Threads int
	// ReturnMemory has DuckDB's allocator give freed memory back to the system from a
	// background thread (allocator_background_threads) instead of keeping it for reuse: at 1M
	// Jira Server items a build's peak fell 1.61 → 1.34 GB under a 1GB memory_limit. The
	// allocator (jemalloc) is the process's, so this is the process's policy: the commands
	// decide it, as they decide the Go runtime's.
	ReturnMemory bool
	// TempDir is where DuckDB spills what does not fit in MemoryLimit; empty leaves DuckDB's
	// default (a folder beside the warehouse file, "<file>.tmp").
	TempDir string
	// LockTimeout is how long Open waits for another process to release the warehouse
	// (DuckDB allows one writing process, or several reading ones); 0 fails at once. Either
	// way a warehouse still locked is a *LockError naming the holder.
	LockTimeout time.Duration
	// OnLockWait, when set, is called once if Open has to wait for a lock, with the holder
	// DuckDB names (see LockError).
	OnLockWait func(holder string, pid int)
}

// ErrNoWarehouse is returned when a read-only open finds no file, or the folder of the file
// does not exist.
var ErrNoWarehouse = errors.New("no warehouse")

// Open opens (creating if needed, unless read-only) the warehouse at path and brings its
// schema up to the version this binary knows. A warehouse written by a newer relscope is
// refused rather than misread. While another process holds the file, Open retries for up to
// opt.LockTimeout (or until ctx ends), then returns a *LockError.
func Open(ctx context.Context, path string, opt Options) (*Warehouse, error) {
	if path == "" {
		path = "relscope.duckdb"
	}
	// A folder that does not exist is not a warehouse to create or initialise: say so, rather
	// than blame a missing `relscope init` (or leave DuckDB to fail obscurely).
	if dir := filepath.Dir(path); dir != "" {
		if info, err := os.Stat(dir); err != nil || !info.IsDir() {
			return nil, fmt.Errorf("%w: the folder %s does not exist (create it, or pass another --db)", ErrNoWarehouse, dir)
		}
	}
	start := time.Now()
	delay := 20 * time.Millisecond
	told := false
	for {
		w, err := open(ctx, path, opt)
		if err == nil || !errors.Is(err, ErrLocked) {
			return w, err
		}
		holder, pid := lockHolder(err)
		waited := time.Since(start)
		left := opt.LockTimeout - waited
		if left <= 0 {
			// It waited at least the timeout (a slow open can add to it): that is what the
			// user asked for and what the message says.
			return nil, &LockError{Path: path, Holder: holder, PID: pid, Waited: opt.LockTimeout, Err: err}
		}
		if !told && opt.OnLockWait != nil {
			opt.OnLockWait(holder, pid)
			told = true
		}
		t := time.NewTimer(min(delay, left))
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
		}
		delay = min(2*delay, 500*time.Millisecond)
	}
}

func open(ctx context.Context, path string, opt Options) (*Warehouse, error) {
	if path == "" {
		path = "relscope.duckdb"
	}
	if opt.ReadOnly {
		if _, err := os.Stat(path); err != nil {
			return nil, fmt.Errorf("%w at %s: run `relscope init` or `relscope ingest` first, or pass --db", ErrNoWarehouse, path)
		}
	}
	// Settings DuckDB takes once, when the database starts, go in the DSN: temp_directory
	// cannot be set again on a later connection once something has spilled ("Cannot switch
	// temporary directory after the current one has been used").
	q := url.Values{}
	if opt.ReadOnly {
		q.Set("access_mode", "READ_ONLY")
	}
	if opt.TempDir != "" {
		q.Set("temp_directory", opt.TempDir)
	}
	dsn := path
	if len(q) > 0 {
		dsn += "?" + q.Encode()
	}
	connector, err := duckdb.NewConnector(dsn, func(ex driver.ExecerContext) error {
		settings := []string{"set TimeZone = 'UTC'"}
		if opt.MemoryLimit != "" {
			settings = append(settings, "set memory_limit = '"+strings.ReplaceAll(opt.MemoryLimit, "'", "")+"'")
		}
		if opt.Threads > 0 {
			settings = append(settings, "set threads = "+strconv.Itoa(opt.Threads))
		}
		if opt.ReturnMemory {
			settings = append(settings, "set allocator_background_threads = true")
		}
		for _, s := range settings {
			if _, err := ex.ExecContext(context.Background(), s, nil); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("open warehouse %s: %w", path, cleanDuckErr(err))
	}
	db := sql.OpenDB(connector)
	w := &Warehouse{DB: db, Path: path}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open warehouse %s: %w", path, cleanDuckErr(err))
	}
	if opt.ReadOnly {
		v, err := w.SchemaVersion(ctx)
		if err != nil {
			db.Close()
			return nil, err
		}
		if err := checkVersion(path, v); err != nil {
			db.Close()
			return nil, err
		}
		if v < LatestVersion() {
			// An older warehouse is upgraded (briefly opened for writing), then reopened
			// read-only: a reader should not have to know about schema versions.
			db.Close()
			rw, err := Open(ctx, path, Options{MemoryLimit: opt.MemoryLimit, Threads: opt.Threads, TempDir: opt.TempDir, ReturnMemory: opt.ReturnMemory,
				LockTimeout: opt.LockTimeout, OnLockWait: opt.OnLockWait})
			if err != nil {
				return nil, fmt.Errorf("warehouse %s is at schema version %d and could not be upgraded to %d: %w", path, v, LatestVersion(), err)
			}
			rw.Close()
			return Open(ctx, path, opt)
		}
		return w, nil
	}
	if err := w.migrate(ctx, migrations()); err != nil {
		db.Close()
		return nil, err
	}
	return w, nil
}

// Close closes the warehouse.
func (w *Warehouse) Close() error { return w.DB.Close() }

type migration struct {
	version int
	name    string
	sql     string
}

func migrations() []migration {
	entries, err := fs.ReadDir(migrationFS, "migrations")
	if err != nil {
		panic(err) // embedded at build time: cannot fail
	}
	var ms []migration
	for _, e := range entries {
		n, err := strconv.Atoi(strings.SplitN(e.Name(), "_", 2)[0])
		if err != nil {
			panic("migration without a version number: " + e.Name())
		}
		body, _ := migrationFS.ReadFile(path.Join("migrations", e.Name()))
		ms = append(ms, migration{version: n, name: e.Name(), sql: string(body)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	return ms
}

// LatestVersion is the schema version this binary writes.
func LatestVersion() int {
	ms := migrations()
	return ms[len(ms)-1].version
}

// SchemaVersion returns the warehouse's schema version (0 for an empty file).
func (w *Warehouse) SchemaVersion(ctx context.Context) (int, error) {
	var exists bool
	err := w.DB.QueryRowContext(ctx, `select count(*) > 0 from duckdb_tables() where table_name = 'relscope_meta' and schema_name = 'main'`).Scan(&exists)
	if err != nil {
		return 0, fmt.Errorf("read schema version: %w", cleanDuckErr(err))
	}
	if !exists {
		return 0, nil
	}
	var v string
	err = w.DB.QueryRowContext(ctx, `select value from relscope_meta where key = 'schema_version'`).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read schema version: %w", cleanDuckErr(err))
	}
	return strconv.Atoi(v)
}

func checkVersion(path string, v int) error {
	if v > LatestVersion() {
		return fmt.Errorf("warehouse %s has schema version %d, newer than this relscope understands (%d): upgrade relscope, or use another --db", path, v, LatestVersion())
	}
	return nil
}

// migrate applies every migration newer than the warehouse's version, each in its own
// transaction together with the version bump, so an interrupted upgrade resumes cleanly.
func (w *Warehouse) migrate(ctx context.Context, ms []migration) error {
	v, err := w.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	if latest := ms[len(ms)-1].version; v > latest {
		return fmt.Errorf("warehouse %s has schema version %d, newer than this relscope understands (%d): upgrade relscope, or use another --db", w.Path, v, latest)
	}
	if v == 0 {
		if _, err := w.DB.ExecContext(ctx, `create table if not exists relscope_meta (key varchar primary key, value varchar)`); err != nil {
			return fmt.Errorf("create relscope_meta: %w", cleanDuckErr(err))
		}
	}
	for _, m := range ms {
		if m.version <= v {
			continue
		}
		tx, err := w.DB.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate %s to version %d (%s): %w", w.Path, m.version, m.name, cleanDuckErr(err))
		}
		if _, err := tx.ExecContext(ctx, `insert or replace into relscope_meta values ('schema_version', ?)`, strconv.Itoa(m.version)); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate %s: %w", w.Path, cleanDuckErr(err))
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migrate %s to version %d: %w", w.Path, m.version, cleanDuckErr(err))
		}
	}
	return nil
}

// SetMeta records a key in relscope_meta (as_of of the last build, and the like).
func (w *Warehouse) SetMeta(ctx context.Context, ex Execer, key, value string) error {
	_, err := ex.ExecContext(ctx, `insert or replace into relscope_meta values (?, ?)`, key, value)
	return err
}

// Meta reads a key from relscope_meta; "" when unset.
func (w *Warehouse) Meta(ctx context.Context, key string) (string, error) {
	var v string
	err := w.DB.QueryRowContext(ctx, `select value from relscope_meta where key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}

// MartSchema is the schema holding the tables behind the last build's marts (each mart is a
// view of its table there, in main); "" before the first build.
func (w *Warehouse) MartSchema(ctx context.Context) (string, error) {
	return martSchema(ctx, w.DB)
}

// martSchema reads the mart schema through q (the build's own connection, during a build).
func martSchema(ctx context.Context, q Querier) (string, error) {
	var v string
	err := q.QueryRowContext(ctx, `select coalesce(max(value), '') from relscope_meta where key = 'mart_schema'`).Scan(&v)
	return v, err
}

// Execer is what both *sql.DB, *sql.Conn and *sql.Tx offer.
type Execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// cleanDuckErr is CleanError, the name the package's own code uses.
func cleanDuckErr(err error) error { return CleanError(err) }

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// EngineVersion is the version of the DuckDB library this binary embeds (e.g. v1.5.6), as the
// library itself reports it on an in-memory database.
func EngineVersion(ctx context.Context) (string, error) {
	connector, err := duckdb.NewConnector("", nil)
	if err != nil {
		return "", err
	}
	db := sql.OpenDB(connector)
	defer db.Close()
	var v string
	if err := db.QueryRowContext(ctx, "select library_version from pragma_version()").Scan(&v); err != nil {
		return "", cleanDuckErr(err)
	}
	return v, nil
}
