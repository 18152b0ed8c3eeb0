// Package queries holds the named, parameterised SQL that reports and analysts share. Each
// file holds one query under an sqlc-style header:
//
//	-- name: deployments_by_week :many
//	-- description: Production deployments per team and ISO week.
//	-- param: team = % a team's exact name; % for every team
//	select ... where ($team = '%' or team = $team)
//
// Parameters are DuckDB named parameters ($team), always bound, never spliced into the text.
// A team parameter is matched exactly, never as a LIKE pattern (a team called A_B must not
// also keep AxB): every query spells it ($team = '%' or team = $team), and a test says so.
package queries

import (
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"github.com/relscope/relscope/models"
)

//go:embed *.sql
var files embed.FS

// Query is one named query.
type Query struct {
	Name        string  `json:"name"`
	Description string  `json:"description"`
	Params      []Param `json:"params"`
	SQL         string  `json:"-"`
	File        string  `json:"file"`
}

// Param is a declared parameter; Default is used when the caller gives none.
type Param struct {
	Name        string `json:"name"`
	Default     string `json:"default,omitempty"`
	HasDefault  bool   `json:"has_default"`
	Description string `json:"description"`
}

// All returns every named query, sorted by name.
func All() ([]Query, error) {
	entries, err := fs.Glob(files, "*.sql")
	if err != nil {
		return nil, err
	}
	var qs []Query
	seen := map[string]string{}
	for _, e := range entries {
		body, _ := files.ReadFile(e)
		q, err := Parse(e, string(body))
		if err != nil {
			return nil, err
		}
		if prev, dup := seen[q.Name]; dup {
			return nil, fmt.Errorf("query %s is named in both %s and %s", q.Name, prev, e)
		}
		seen[q.Name] = e
		qs = append(qs, q)
	}
	sort.Slice(qs, func(i, j int) bool { return qs[i].Name < qs[j].Name })
	return qs, nil
}

// Find returns the named query; when there is none, the error suggests the closest names.
func Find(name string) (Query, error) {
	qs, err := All()
	if err != nil {
		return Query{}, err
	}
	var names []string
	for _, q := range qs {
		if q.Name == name {
			return q, nil
		}
		names = append(names, q.Name)
	}
	if s := models.Closest(name, names); s != "" {
		return Query{}, fmt.Errorf("no named query @%s; did you mean @%s? (relscope query --list shows them all)", name, s)
	}
	return Query{}, fmt.Errorf("no named query @%s (relscope query --list shows them all)", name)
}

// Parse reads a query file's header and body.
func Parse(file, body string) (Query, error) {
	q := Query{File: file}
	var sqlLines []string
	for _, line := range strings.Split(body, "\n") {
		t := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(t, "-- name:"):
			f := strings.Fields(strings.TrimPrefix(t, "-- name:"))
			if len(f) == 0 {
				return q, fmt.Errorf("%s: empty -- name:", file)
			}
			q.Name = f[0]
		case strings.HasPrefix(t, "-- description:"):
			d := strings.TrimSpace(strings.TrimPrefix(t, "-- description:"))
			q.Description = strings.TrimSpace(q.Description + " " + d)
		case strings.HasPrefix(t, "-- param:"):
			p, err := parseParam(strings.TrimSpace(strings.TrimPrefix(t, "-- param:")))
			if err != nil {
				return q, fmt.Errorf("%s: %w", file, err)
			}
			q.Params = append(q.Params, p)
		default:
			sqlLines = append(sqlLines, line)
		}
	}
	q.SQL = strings.TrimSpace(strings.Join(sqlLines, "\n"))
	if q.Name == "" || q.Description == "" || q.SQL == "" {
		return q, fmt.Errorf("%s: a named query needs -- name:, -- description: and SQL", file)
	}
	for _, p := range q.Params {
		if !strings.Contains(q.SQL, "$"+p.Name) {
			return q, fmt.Errorf("%s: parameter %s is declared but $%s is not used", file, p.Name, p.Name)
		}
	}
	return q, nil
}

// parseParam reads "name [= default] description".
func parseParam(s string) (Param, error) {
	name, rest, _ := strings.Cut(s, " ")
	if name == "" {
		return Param{}, fmt.Errorf("empty -- param:")
	}
	p := Param{Name: name}
	rest = strings.TrimSpace(rest)
	if strings.HasPrefix(rest, "=") {
		rest = strings.TrimSpace(rest[1:])
		def, desc, _ := strings.Cut(rest, " ")
		p.Default, p.HasDefault, rest = def, true, desc
	}
	p.Description = strings.TrimSpace(rest)
	return p, nil
}
