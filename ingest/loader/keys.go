package loader

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"hash/maphash"
	"strconv"
	"strings"
	"time"
)

// Keys is what one ingest run knows of the keys in the warehouse: for each table, the
// identities (source and external id; item for history and links) already stored, loaded
// once when a file first writes to the table, plus those of the files the run has committed.
// A file none of whose rows shares an identity with a stored row, and which repeats none
// itself, needs no merge: its rows are simply new. Without it every file's merge scans its
// tables, and a folder of a thousand Jira pages costs a thousand scans of a growing table.
// Identities are kept as 64-bit hashes (strings cost a fifth of a history file's ingest time
// and most of its memory): equal keys always hash equal, and the rare collision of different
// keys only runs a merge that finds nothing to do.
type Keys struct {
	db     *sql.DB
	tables map[string]map[uint64]struct{}
}

// NewKeys starts a run's index of the keys stored in db.
func NewKeys(db *sql.DB) *Keys {
	return &Keys{db: db, tables: map[string]map[uint64]struct{}{}}
}

// identity returns the part of a row that decides whether it may collide with a stored row:
// the key columns up to the item or external id (the first two, and the project of releases).
func (spec *tableSpec) identityCols() int {
	if spec.id == Releases {
		return 3
	}
	return 2
}

// positions of the identity columns within a row as the row types write them (ingest/rows.go).
var identityPositions = [numTables][]int{
	WorkItems:   {1, 0}, // source, item_key
	Transitions: {0, 1},
	Links:       {0, 1},
	Releases:    {1, 2, 0}, // source, project, name
	Deployments: {1, 0},
	Incidents:   {1, 0},
	Changes:     {1, 0},
}

// rowIdentity hashes the identity columns of a row of table.
func rowIdentity(table Table, row []driver.Value) uint64 {
	return hashColumns(row, identityPositions[table])
}

// rowContent is the whole key of a history or link row (for duplicates within one batch):
// its key columns come first in the row.
func rowContent(row []driver.Value, spec *tableSpec) uint64 {
	return hashColumns(row, leadingColumns[:len(spec.keys)])
}

var leadingColumns = []int{0, 1, 2, 3, 4, 5}

// hashColumns hashes the row's values at positions, NUL-separated.
func hashColumns(row []driver.Value, positions []int) uint64 {
	var h maphash.Hash
	h.SetSeed(keySeed)
	for i, p := range positions {
		if i > 0 {
			h.WriteByte(0)
		}
		writeKeyValue(&h, row[p])
	}
	return h.Sum64()
}

// keySeed seeds every key hash of a process: rows' and stored keys' hashes must agree.
var keySeed = maphash.MakeSeed()

// writeKeyValue hashes one key column's value; it runs for every row ingested, so the common
// types avoid fmt. NULL hashes as a byte no key string holds (empty ones are NULL).
func writeKeyValue(h *maphash.Hash, v driver.Value) {
	switch x := v.(type) {
	case string:
		h.WriteString(x)
	case nil:
		h.WriteByte(1)
	case time.Time:
		var b [20]byte
		h.Write(strconv.AppendInt(b[:0], x.UnixNano(), 10))
	default:
		fmt.Fprint(h, v)
	}
}

// stored returns the identities stored in table, loading them on first use.
func (k *Keys) stored(ctx context.Context, spec *tableSpec) (map[uint64]struct{}, error) {
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
	m := map[uint64]struct{}{}
	vals := make([]sql.NullString, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		var h maphash.Hash
		h.SetSeed(keySeed)
		for i, v := range vals {
			if i > 0 {
				h.WriteByte(0)
			}
			if v.Valid {
				h.WriteString(v.String)
			} else {
				h.WriteByte(1)
			}
		}
		m[h.Sum64()] = struct{}{}
	}
	k.tables[spec.name] = m
	return m, rows.Err()
}
