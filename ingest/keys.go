package ingest

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// keyIndex is what one ingest run knows of the keys in the warehouse: for each table, the
// identities (source and external id; item for history and links) already stored, loaded
// once when a file first writes to the table, plus those of the files the run has committed.
// A file none of whose rows shares an identity with a stored row, and which repeats none
// itself, needs no merge: its rows are simply new. Without it every file's merge scans its
// tables, and a folder of a thousand Jira pages costs a thousand scans of a growing table.
type keyIndex struct {
	db     *sql.DB
	tables map[string]map[string]struct{}
}

func newKeyIndex(db *sql.DB) *keyIndex {
	return &keyIndex{db: db, tables: map[string]map[string]struct{}{}}
}

// identity returns the part of a row that decides whether it may collide with a stored row:
// the key columns up to the item or external id (the first two, and the project of releases).
func (spec tableSpec) identityCols() int {
	if spec.name == "releases" {
		return 3
	}
	return 2
}

// positions of the identity columns within a row as the row types write them (rows.go).
var identityPositions = map[string][]int{
	"work_items":            {1, 0}, // source, item_key
	"work_item_transitions": {0, 1},
	"work_item_links":       {0, 1},
	"releases":              {1, 2, 0}, // source, project, name
	"deployments":           {1, 0},
	"incidents":             {1, 0},
	"changes":               {1, 0},
}

func rowIdentity(table string, row []driver.Value) string {
	var b []byte
	for i, p := range identityPositions[table] {
		if i > 0 {
			b = append(b, 0)
		}
		b = appendKeyValue(b, row[p])
	}
	return string(b)
}

// rowContent is the whole key of a history or link row (for duplicates within one file).
func rowContent(row []driver.Value, spec tableSpec) string {
	var b []byte
	for i := range spec.keys {
		if i > 0 {
			b = append(b, 0)
		}
		b = appendKeyValue(b, row[i])
	}
	return string(b)
}

// appendKeyValue writes one key column's value; it runs for every row ingested, so the
// common types avoid fmt.
func appendKeyValue(b []byte, v driver.Value) []byte {
	switch x := v.(type) {
	case string:
		return append(b, x...)
	case nil:
		return append(b, 1) // distinct from any string a key can hold (empty ones are NULL)
	case time.Time:
		return strconv.AppendInt(b, x.UnixNano(), 10)
	}
	return fmt.Append(b, v)
}

// stored returns the identities stored in table, loading them on first use.
func (k *keyIndex) stored(ctx context.Context, spec tableSpec) (map[string]struct{}, error) {
	if m, ok := k.tables[spec.name]; ok {
		return m, nil
	}
	cols := spec.keys[:spec.identityCols()]
	var sel []string
	for _, c := range cols {
		sel = append(sel, c+"::varchar")
	}
	// Table and column names come from the fixed specs, never from input.
	rows, err := k.db.QueryContext(ctx, fmt.Sprintf("select distinct %s from main.%s", strings.Join(sel, ", "), spec.name))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	m := map[string]struct{}{}
	vals := make([]sql.NullString, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		var b strings.Builder
		for i, v := range vals {
			if i > 0 {
				b.WriteByte(0)
			}
			b.WriteString(v.String)
		}
		m[b.String()] = struct{}{}
	}
	k.tables[spec.name] = m
	return m, rows.Err()
}
