package models

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"
)

// Sentinels a DBError matches (errors.Is), so callers act on what happened, never on
// DuckDB's message text.
var (
	// ErrLocked: another process holds the warehouse file (DuckDB allows one writer).
	ErrLocked = errors.New("the warehouse file is in use by another process (DuckDB allows one writer)")
	// ErrReadOnly: a statement tried to change a warehouse opened read-only.
	ErrReadOnly = errors.New("the warehouse is open read-only")
)

// DBError is an error from DuckDB, as a user should read it: Error is DuckDB's own message
// without the driver's prefix. Unwrap gives the driver's error (a *duckdb.Error, or the
// context's error), so errors.As and errors.Is see through it; a statement interrupted
// because its context was cancelled (Ctrl-C) is context.Canceled to errors.Is, and a lock or
// read-only failure ErrLocked or ErrReadOnly.
type DBError struct {
	Err error
	msg string
	is  error // the sentinel it also matches, or nil
}

func (e *DBError) Error() string { return e.msg }
func (e *DBError) Unwrap() error { return e.Err }

// Is matches the sentinel the error was classified as.
func (e *DBError) Is(target error) bool { return e.is != nil && target == e.is }

// CleanError wraps an error from DuckDB in a DBError (nil stays nil; an error that is
// already one, or a context's own error, is returned as it is). Every package that runs SQL
// passes DuckDB's errors through it before they reach a user.
func CleanError(err error) error {
	if err == nil {
		return nil
	}
	var de *DBError
	if errors.As(err, &de) {
		return err
	}
	var dk *duckdb.Error
	isDuck := errors.As(err, &dk)
	if !isDuck && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)) {
		return err
	}
	// The driver's classification where it has one; the message only where DuckDB gives no
	// type of its own (a held lock, a read-only database are IO and invalid-input errors).
	// This is the one place DuckDB's texts are read.
	msg := strings.TrimPrefix(err.Error(), "database/sql/driver: ")
	e := &DBError{Err: err, msg: msg}
	switch {
	case isDuck && dk.Type == duckdb.ErrorTypeInterrupt:
		e.is = context.Canceled
	case strings.Contains(msg, "Could not set lock on file") || strings.Contains(msg, "Conflicting lock"):
		e.is, e.msg = ErrLocked, ErrLocked.Error()+": "+firstLine(msg)
	case strings.Contains(msg, "read-only mode"):
		e.is = ErrReadOnly
	}
	return e
}

// LockError is a warehouse that stayed locked by another process for as long as the caller
// was willing to wait (Options.LockTimeout). It matches ErrLocked.
type LockError struct {
	Path string
	// Holder is the program holding the lock and PID its process id, when DuckDB says
	// (it does on Linux and macOS); "" and 0 otherwise.
	Holder string
	PID    int
	// Waited is how long Open waited (the caller's LockTimeout; 0: not at all).
	Waited time.Duration
	Err    error // DuckDB's error, a *DBError
}

func (e *LockError) Error() string {
	who := "another process"
	switch {
	case e.PID > 0 && e.Holder != "":
		who = fmt.Sprintf("another process (%s, PID %d)", e.Holder, e.PID)
	case e.PID > 0:
		who = fmt.Sprintf("another process (PID %d)", e.PID)
	}
	msg := fmt.Sprintf("warehouse %s is locked by %s: DuckDB lets one process write a warehouse, or several read it, not both at once", e.Path, who)
	if e.Waited > 0 {
		msg += fmt.Sprintf("; still locked after waiting %s", e.Waited)
	}
	return msg
}

func (e *LockError) Unwrap() error { return e.Err }

// conflictingLock is how DuckDB names the holder of a file's lock.
var conflictingLock = regexp.MustCompile(`Conflicting lock is held in (.+?) \(PID (\d+)\)`)

// lockHolder reads the holding program and PID from DuckDB's lock error, when it gives them.
func lockHolder(err error) (holder string, pid int) {
	text := err.Error()
	var de *DBError
	if errors.As(err, &de) && de.Err != nil {
		text = de.Err.Error()
	}
	m := conflictingLock.FindStringSubmatch(text)
	if m == nil {
		return "", 0
	}
	pid, _ = strconv.Atoi(m[2])
	return m[1], pid
}

// DataTestError reports data tests that failed during a build; the CLI exits 3 on it.
type DataTestError struct {
	Failures []TestFailure
}

// TestFailure is one failed data test with a few of its failing rows.
type TestFailure struct {
	Model, Test string
	Count       int64
	Sample      []string
}

func (e *DataTestError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d data test(s) failed:", len(e.Failures))
	for _, f := range e.Failures {
		fmt.Fprintf(&b, "\n  %s: %s — %d failing row(s)", f.Model, f.Test, f.Count)
		for _, s := range f.Sample {
			fmt.Fprintf(&b, "\n      %s", s)
		}
	}
	return b.String()
}

// isOutOfMemory reports whether err is DuckDB's out-of-memory error.
func isOutOfMemory(err error) bool {
	var dk *duckdb.Error
	return errors.As(err, &dk) && dk.Type == duckdb.ErrorTypeOutOfMemory
}
