package reports

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/relscope/relscope/models"
	"github.com/relscope/relscope/queries"
	"github.com/relscope/relscope/reports/document"
)

// ErrNotBuilt is returned by Render for a warehouse no build has completed on: there are no
// marts to report on.
var ErrNotBuilt = errors.New("the warehouse has never been built: run `relscope build` first")

// ScopeError is a --team or --period the warehouse cannot answer for: a mistake in how the
// report was asked for, not a failure of the report.
type ScopeError struct{ Err error }

func (e *ScopeError) Error() string { return e.Err.Error() }
func (e *ScopeError) Unwrap() error { return e.Err }

// Render builds out's document from the warehouse w (opened read-only by the caller) for
// scope and draws it to dst, atomically: a failure leaves dst as it was. It resolves the
// period against the warehouse's as_of, checks that the team exists, fills the document's
// Meta (as_of, the build's settings, scope, version, every named query used) and its coverage
// notes, and creates dst's folder when missing. It returns the document it drew.
func Render(ctx context.Context, w *models.Warehouse, out Output, scope Scope, dst string) (*document.Document, error) {
	if out.Build == nil || out.Renderer == nil {
		return nil, fmt.Errorf("output %s has no document spec or renderer", out.Name)
	}
	built, err := w.Meta(ctx, "as_of")
	if err != nil {
		return nil, models.CleanError(err)
	}
	if built == "" {
		return nil, ErrNotBuilt
	}
	src := NewSource(w.DB)
	settings, asOf, err := buildSettings(ctx, src)
	if err != nil {
		return nil, err
	}
	scope.AsOf = asOf
	if scope.Span, err = resolvePeriod(out, scope.Period, asOf); err != nil {
		return nil, &ScopeError{err}
	}
	if scope.Team != "" {
		if err := checkTeam(ctx, src, scope.Team); err != nil {
			return nil, err
		}
	}
	coverage, err := coverageNotes(ctx, src, scope)
	if err != nil {
		return nil, err
	}
	doc, err := out.Build(ctx, src, scope)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", out.Name, err)
	}
	if doc.Coverage == nil {
		doc.Coverage = coverage
	}
	doc.Meta.AsOf = asOf
	doc.Meta.Generated = time.Now().UTC()
	// A document about one thing (a release brief) names its own team and span.
	if doc.Meta.Team == "" {
		doc.Meta.Team = scope.Team
	}
	if doc.Meta.Period == (document.Period{}) {
		doc.Meta.Period = scope.Span
	}
	doc.Meta.Version = scope.Version
	doc.Meta.Settings = settings
	doc.Meta.Queries = src.Used()
	if dir := filepath.Dir(dst); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
	}
	if err := out.Renderer.Render(ctx, doc, dst); err != nil {
		return nil, &RenderError{Output: out.Name, Path: dst, Err: err}
	}
	return doc, nil
}

// RenderError is a renderer's failure to draw an output to its file (a full disk, a folder
// that cannot be written); dst is left as it was.
type RenderError struct {
	Output string // the output's name (html, xlsx, …)
	Path   string // the file or folder it was drawn to
	Err    error
}

func (e *RenderError) Error() string {
	return fmt.Sprintf("render %s to %s: %v", e.Output, e.Path, e.Err)
}
func (e *RenderError) Unwrap() error { return e.Err }

// resolvePeriod reads --period, or gives the output's default.
func resolvePeriod(out Output, period string, asOf time.Time) (document.Period, error) {
	if period != "" {
		return document.ParsePeriod(period, asOf)
	}
	if out.DefaultPeriod != nil {
		return out.DefaultPeriod(asOf), nil
	}
	return document.LastMonths(asOf, 6), nil
}

// buildSettings reads @build_settings: every column as a setting, and as_of as a time.
func buildSettings(ctx context.Context, src *Source) ([]document.Setting, time.Time, error) {
	res, _, err := src.Query(ctx, "build_settings", nil)
	if err != nil {
		return nil, time.Time{}, err
	}
	if len(res.Rows) != 1 {
		return nil, time.Time{}, ErrNotBuilt
	}
	var settings []document.Setting
	var asOf time.Time
	for i, c := range res.Columns {
		v := res.Rows[0][i]
		if c == "as_of" {
			t, ok := v.(time.Time)
			if !ok {
				return nil, time.Time{}, ErrNotBuilt
			}
			asOf = t.UTC()
			v = asOf.Format(time.RFC3339)
		}
		settings = append(settings, document.Setting{Name: c, Value: queries.Text(v)})
	}
	return settings, asOf, nil
}

// checkTeam fails with the closest team names when team names no team of the marts.
func checkTeam(ctx context.Context, src *Source, team string) error {
	res, _, err := src.Query(ctx, "teams", nil)
	if err != nil {
		return err
	}
	var names []string
	for _, r := range res.Rows {
		name := queries.Text(r[0])
		if name == team {
			return nil
		}
		names = append(names, name)
	}
	if len(names) == 0 {
		return &ScopeError{fmt.Errorf("no team %q: the warehouse has no teams yet (is anything ingested?)", team)}
	}
	list := strings.Join(names, ", ")
	if len(names) > 12 {
		list = strings.Join(names[:12], ", ") + fmt.Sprintf(", … (%d teams; relscope query @teams lists them)", len(names))
	}
	if s := models.Closest(team, names); s != "" {
		return &ScopeError{fmt.Errorf("no team %q; did you mean %q? (teams: %s)", team, s, list)}
	}
	return &ScopeError{fmt.Errorf("no team %q (teams: %s)", team, list)}
}

// coverageNotes turns @coverage_gaps for the scope's team into notes: the reason's text
// before its colon says what is missing, the part after it which export would fill it.
func coverageNotes(ctx context.Context, src *Source, scope Scope) ([]document.Note, error) {
	t, err := src.Table(ctx, "coverage_gaps", map[string]string{"team": scope.TeamPattern()}, []document.Column{
		{Name: "metric"}, {Name: "team"}, {Name: "population", Type: document.TypeInt},
		{Name: "missing", Type: document.TypeInt}, {Name: "reason"},
	})
	if err != nil {
		return nil, err
	}
	notes := []document.Note{}
	for _, r := range t.Rows {
		reason, _ := r[4].(string)
		what, fill, _ := strings.Cut(reason, ": ")
		if what == "" {
			what = "not computed"
		}
		team, _ := r[1].(string)
		metric, _ := r[0].(string)
		text := fmt.Sprintf("%s (%d of %d)", what, r[3], r[2])
		if pop, _ := r[2].(int64); pop == 0 {
			text = what // a family of exports not ingested at all: nothing to count
		}
		notes = append(notes, document.Note{
			Metric: metric,
			Team:   team,
			Text:   text,
			Fill:   fill,
		})
	}
	return notes, nil
}
