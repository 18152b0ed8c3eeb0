package models

import (
	"context"
	"fmt"
)

// Setting is a DuckDB setting and the value a run (an ingest, a build) gives it, as SQL: a
// number, or a quoted string.
type Setting struct{ Name, Value string }

// ApplySettings sets each setting on db's DuckDB instance — they are global to it (DuckDB has
// no per-connection scope for them) — and returns what puts them back as they were; if one
// cannot be set, those already set are put back before it returns. The names and values are
// the callers' fixed ones, never input.
func ApplySettings(ctx context.Context, db Querier, settings []Setting) (restore func(), err error) {
	var undo []Setting
	restore = func() {
		for i := len(undo) - 1; i >= 0; i-- {
			// Background context: a cancelled run still restores them.
			if undo[i].Value == "" {
				// What DuckDB takes for none (an empty list: disabled_compression_methods).
				db.ExecContext(context.Background(), "reset global "+undo[i].Name)
				continue
			}
			db.ExecContext(context.Background(), "set global "+undo[i].Name+" = "+quote(undo[i].Value))
		}
	}
	for _, set := range settings {
		var was string
		if err := db.QueryRowContext(ctx, "select current_setting("+quote(set.Name)+")::varchar").Scan(&was); err != nil {
			restore()
			return nil, fmt.Errorf("read setting %s: %w", set.Name, err)
		}
		if _, err := db.ExecContext(ctx, "set global "+set.Name+" = "+set.Value); err != nil {
			restore()
			return nil, fmt.Errorf("set %s: %w", set.Name, err)
		}
		undo = append(undo, Setting{set.Name, was})
	}
	return restore, nil
}
