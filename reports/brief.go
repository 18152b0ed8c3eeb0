package reports

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/relscope/relscope/models"
	"github.com/relscope/relscope/reports/document"
)

// The release brief (`relscope brief --release R`): two pages for readers who do not read
// dashboards — what the release ships, what it costs in downtime, whether it is safe, when it
// lands, and how it went. Every number comes from named queries about that one release.

// Brief builds the release brief of scope.Release; "" means the latest released release (what
// `relscope demo` and a jobs file without a release render).
func Brief(ctx context.Context, src *Source, scope Scope) (*document.Document, error) {
	rel, err := findRelease(ctx, src, scope.Release)
	if err != nil {
		return nil, err
	}
	b := &briefBuilder{src: src, scope: scope, rel: rel, params: map[string]string{"release": rel.name, "project": rel.project}}
	doc := &document.Document{
		Kind:     "brief",
		Title:    "Release brief: " + rel.name,
		Subtitle: rel.headline(scope.AsOf),
		Meta:     document.Meta{Team: rel.team, Period: document.Period{Label: "release " + rel.name}},
	}
	changes, err := b.changes(ctx)
	if err != nil {
		return nil, err
	}
	deploys, err := b.deployments(ctx)
	if err != nil {
		return nil, err
	}
	items, err := b.items(ctx)
	if err != nil {
		return nil, err
	}
	if err := b.governance(ctx); err != nil {
		return nil, err
	}
	doc.Sections = append(doc.Sections,
		b.glance(changes, deploys, items),
		b.whatShips(items),
		b.impact(changes),
		b.risk(deploys),
		b.compliance(changes, deploys),
		b.limitations(items),
		b.numbers(),
	)
	notes, err := coverageNotes(ctx, src, Scope{Team: rel.team})
	if err != nil {
		return nil, err
	}
	doc.Coverage = briefCoverage(notes)
	return doc, nil
}

// release is the release a brief is about, from @release_summary.
type release struct {
	name, project, team                            string
	planned, freeze, released                      *time.Time
	isReleased                                     bool
	items, plannedAtFreeze, added, removed, noHist int64
	volatility, slipDays                           *float64
	deployments, failedDeployments                 int64
	incidents                                      *int64
	successful                                     *bool
	alsoIn                                         []string // other projects with a release of the same name
}

var summaryColumns = []document.Column{
	{Name: "release"}, {Name: "project"}, {Name: "team"},
	{Name: "planned_date", Type: document.TypeDate}, {Name: "freeze_date", Type: document.TypeDate},
	{Name: "released_at", Type: document.TypeDateTime}, {Name: "is_released", Type: document.TypeBool},
	{Name: "items", Type: document.TypeInt}, {Name: "planned_at_freeze", Type: document.TypeInt},
	{Name: "added_after_freeze", Type: document.TypeInt}, {Name: "removed_after_freeze", Type: document.TypeInt},
	{Name: "scope_volatility", Type: document.TypePercent}, {Name: "items_without_history", Type: document.TypeInt},
	{Name: "deployments", Type: document.TypeInt}, {Name: "failed_deployments", Type: document.TypeInt},
	{Name: "incidents", Type: document.TypeInt}, {Name: "successful", Type: document.TypeBool},
	{Name: "slip_days", Type: document.TypeDays},
}

// findRelease reads @release_summary for name ("" for the latest released release). An
// unknown name is a ScopeError suggesting the closest release names.
func findRelease(ctx context.Context, src *Source, name string) (*release, error) {
	params := map[string]string{"release": name}
	if name == "" {
		params["release"] = "-"
	}
	t, err := src.Table(ctx, "release_summary", params, summaryColumns)
	if err != nil {
		return nil, err
	}
	if len(t.Rows) == 0 {
		return nil, unknownRelease(ctx, src, name)
	}
	r := t.Rows[0]
	rel := &release{
		name: str(r[0]), project: str(r[1]), team: str(r[2]),
		planned: timePtr(r[3]), freeze: timePtr(r[4]), released: timePtr(r[5]),
		isReleased: r[6] == true,
		items:      integer(r[7]), plannedAtFreeze: integer(r[8]), added: integer(r[9]), removed: integer(r[10]),
		volatility: floatPtr(r[11]), noHist: integer(r[12]),
		deployments: integer(r[13]), failedDeployments: integer(r[14]),
		slipDays: floatPtr(r[17]),
	}
	if v, ok := r[15].(int64); ok {
		rel.incidents = &v
	}
	if v, ok := r[16].(bool); ok {
		rel.successful = &v
	}
	for _, other := range t.Rows[1:] {
		rel.alsoIn = append(rel.alsoIn, str(other[1]))
	}
	return rel, nil
}

// unknownRelease is the error for a release the warehouse does not know, with the closest names.
func unknownRelease(ctx context.Context, src *Source, name string) error {
	t, err := src.Table(ctx, "releases", nil, []document.Column{{Name: "release"}})
	if err != nil {
		return err
	}
	var names []string
	seen := map[string]bool{}
	for _, r := range t.Rows {
		if n := str(r[0]); !seen[n] {
			seen[n] = true
			names = append(names, n)
		}
	}
	if len(names) == 0 {
		return &ScopeError{fmt.Errorf("the warehouse has no releases: ingest a backlog with fix versions, or releases")}
	}
	if name == "" {
		return &ScopeError{fmt.Errorf("no release has been released yet: name one with --release (relscope query @releases lists them)")}
	}
	close := closestNames(name, names, 3)
	if len(close) == 0 {
		return &ScopeError{fmt.Errorf("no release %q (relscope query @releases lists the %d releases)", name, len(names))}
	}
	quoted := make([]string, len(close))
	for i, c := range close {
		quoted[i] = fmt.Sprintf("%q", c)
	}
	return &ScopeError{fmt.Errorf("no release %q; did you mean %s? (relscope query @releases lists them all)", name, strings.Join(quoted, " or "))}
}

// closestNames are up to n of names a user most likely meant by s, the likeliest first.
func closestNames(s string, names []string, n int) []string {
	var out []string
	rest := append([]string(nil), names...)
	for len(out) < n {
		c := models.Closest(s, rest)
		if c == "" {
			break
		}
		out = append(out, c)
		for i, r := range rest {
			if r == c {
				rest = append(rest[:i], rest[i+1:]...)
				break
			}
		}
	}
	return out
}

// headline is the brief's subtitle: the team and where the release stands.
func (r *release) headline(asOf time.Time) string {
	parts := []string{"Team " + r.team}
	switch {
	case r.released != nil:
		s := "released on " + r.released.Format("Monday 2 January 2006")
		if d := r.slipDays; d != nil && r.planned != nil {
			s += ", " + slipWords(*d)
		}
		parts = append(parts, s)
	case r.planned != nil:
		s := "planned for " + r.planned.Format("Monday 2 January 2006")
		if !asOf.IsZero() {
			days := int(math.Round(r.planned.Sub(asOf).Hours() / 24))
			switch {
			case days > 1:
				s += fmt.Sprintf(", in %d days", days)
			case days == 1:
				s += ", tomorrow"
			case days < 0:
				s += fmt.Sprintf(" — %d days overdue", -days)
			}
		}
		parts = append(parts, s)
	default:
		parts = append(parts, "not released, no planned date")
	}
	return strings.Join(parts, " · ")
}

// slipWords says how late or early a release shipped against its planned day.
func slipWords(d float64) string {
	days := int(math.Floor(d))
	switch {
	case days >= 2:
		return fmt.Sprintf("%d days after its planned date", days)
	case days == 1:
		return "a day after its planned date"
	case days == 0:
		return "on its planned date"
	case days == -1:
		return "a day before its planned date"
	}
	return fmt.Sprintf("%d days before its planned date", -days)
}

type briefBuilder struct {
	src    *Source
	scope  Scope
	rel    *release
	params map[string]string
	// The governance marts' view of the release: its readiness checklist and forecast (an
	// upcoming release), the audit findings on its deployments.
	checks   []check
	verdict  *check
	forecast *forecast
	gaps     []gap
}

// check is one line of the readiness checklist.
type check struct{ name, status, detail string }

// forecast is the release's Monte Carlo forecast, from @release_forecast.
type forecast struct {
	items, remaining, sure, windowDays, delivering, trials, seed int64
	p50, p85, p95                                                *time.Time
	onTime                                                       *float64
	reason                                                       string
}

// gap is one audit finding on a deployment of the release.
type gap struct {
	typ, deployment, change, item, detail string
	isGap                                 bool
}

// governance reads the readiness checklist, the forecast and the audit findings.
func (b *briefBuilder) governance(ctx context.Context) error {
	rd, err := b.src.Table(ctx, "release_readiness", map[string]string{"release": b.rel.name}, []document.Column{
		{Name: "project"}, {Name: "check"}, {Name: "status"}, {Name: "detail"}})
	if err != nil {
		return err
	}
	for _, r := range rd.Rows {
		if str(r[0]) != b.rel.project {
			continue
		}
		c := check{name: str(r[1]), status: str(r[2]), detail: str(r[3])}
		if c.name == "VERDICT" {
			b.verdict = &c
			continue
		}
		b.checks = append(b.checks, c)
	}
	fc, err := b.src.Table(ctx, "release_forecast", b.params, []document.Column{
		{Name: "items", Type: document.TypeInt}, {Name: "remaining", Type: document.TypeInt},
		{Name: "p50_date", Type: document.TypeDate}, {Name: "p85_date", Type: document.TypeDate}, {Name: "p95_date", Type: document.TypeDate},
		{Name: "p_on_time", Type: document.TypePercent}, {Name: "how_many_by_planned_p85", Type: document.TypeInt},
		{Name: "window_days", Type: document.TypeInt}, {Name: "delivering_days", Type: document.TypeInt},
		{Name: "trials", Type: document.TypeInt}, {Name: "seed", Type: document.TypeInt}, {Name: "reason"}})
	if err != nil {
		return err
	}
	if len(fc.Rows) > 0 {
		r := fc.Rows[0]
		b.forecast = &forecast{items: integer(r[0]), remaining: integer(r[1]), p50: timePtr(r[2]), p85: timePtr(r[3]), p95: timePtr(r[4]),
			onTime: floatPtr(r[5]), sure: integer(r[6]), windowDays: integer(r[7]), delivering: integer(r[8]),
			trials: integer(r[9]), seed: integer(r[10]), reason: str(r[11])}
	}
	gp, err := b.src.Table(ctx, "release_compliance", b.params, []document.Column{
		{Name: "gap_type"}, {Name: "is_gap", Type: document.TypeBool}, {Name: "deployment_id"},
		{Name: "change_id"}, {Name: "item_key"}, {Name: "detail"}})
	if err != nil {
		return err
	}
	for _, r := range gp.Rows {
		b.gaps = append(b.gaps, gap{typ: str(r[0]), isGap: r[1] == true, deployment: str(r[2]), change: str(r[3]), item: str(r[4]), detail: str(r[5])})
	}
	return nil
}

// change is one change record of the release.
type change struct {
	id, linkedBy, typ, state, risk, approval, service string
	approved, backout                                 bool
	start, end                                        *time.Time
	hours                                             *float64
}

func (b *briefBuilder) changes(ctx context.Context) ([]change, error) {
	t, err := b.src.Table(ctx, "release_changes", b.params, []document.Column{
		{Name: "change_id"}, {Name: "linked_by"}, {Name: "change_type"}, {Name: "state"}, {Name: "risk"},
		{Name: "approval"}, {Name: "is_approved", Type: document.TypeBool}, {Name: "has_backout_plan", Type: document.TypeBool},
		{Name: "planned_start", Type: document.TypeDateTime}, {Name: "planned_end", Type: document.TypeDateTime},
		{Name: "window_hours", Type: document.TypeHours}, {Name: "service"},
	})
	if err != nil {
		return nil, err
	}
	var out []change
	for _, r := range t.Rows {
		out = append(out, change{
			id: str(r[0]), linkedBy: str(r[1]), typ: str(r[2]), state: str(r[3]), risk: str(r[4]), approval: str(r[5]),
			approved: r[6] == true, backout: r[7] == true, start: timePtr(r[8]), end: timePtr(r[9]),
			hours: floatPtr(r[10]), service: str(r[11]),
		})
	}
	return out, nil
}

// deployment is one production deployment of the release.
type deployment struct {
	id, service, version, kind, status, reason, change string
	finished                                           *time.Time
	failed                                             bool
	recovery                                           *float64
	incidents                                          int64
}

func (b *briefBuilder) deployments(ctx context.Context) ([]deployment, error) {
	t, err := b.src.Table(ctx, "release_deployments", b.params, []document.Column{
		{Name: "deployment_id"}, {Name: "service"}, {Name: "version"}, {Name: "kind"}, {Name: "status"},
		{Name: "finished_at", Type: document.TypeDateTime}, {Name: "is_failure", Type: document.TypeBool},
		{Name: "failure_reason"}, {Name: "recovery_hours", Type: document.TypeHours}, {Name: "incidents", Type: document.TypeInt},
		{Name: "change_id"},
	})
	if err != nil {
		return nil, err
	}
	var out []deployment
	for _, r := range t.Rows {
		out = append(out, deployment{
			id: str(r[0]), service: str(r[1]), version: str(r[2]), kind: str(r[3]), status: str(r[4]),
			finished: timePtr(r[5]), failed: r[6] == true, reason: str(r[7]), recovery: floatPtr(r[8]),
			incidents: integer(r[9]), change: str(r[10]),
		})
	}
	return out, nil
}

// downtime is the planned change windows merged (overlaps counted once), in hours, and how many
// changes had a window.
func downtime(changes []change) (hours float64, windows int) {
	type span struct{ a, b time.Time }
	var spans []span
	for _, c := range changes {
		if c.start != nil && c.end != nil && !c.end.Before(*c.start) {
			spans = append(spans, span{*c.start, *c.end})
		}
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].a.Before(spans[j].a) })
	var cur *span
	for i := range spans {
		s := spans[i]
		if cur != nil && !s.a.After(cur.b) {
			if s.b.After(cur.b) {
				cur.b = s.b
			}
			continue
		}
		if cur != nil {
			hours += cur.b.Sub(cur.a).Hours()
		}
		cur = &s
	}
	if cur != nil {
		hours += cur.b.Sub(cur.a).Hours()
	}
	return hours, len(spans)
}

func (b *briefBuilder) glance(changes []change, deploys []deployment, items []shipItem) document.Section {
	r := b.rel
	var kpis []document.KPI
	summary := document.QueryRef{Name: "release_summary", Params: b.params}
	// Outcome: a released release succeeded or not; an unreleased one has no outcome yet.
	if r.released != nil && r.successful != nil {
		k := document.KPI{Label: "Outcome", Band: "failed", Source: summary}
		if *r.successful {
			k.Band = "successful"
			k.Note = "No failed deployment and no incident in the first 7 days."
		} else {
			var why []string
			if r.failedDeployments > 0 {
				why = append(why, fmt.Sprintf("%s of %s production deployments failed", plural(r.failedDeployments, ""), plural(r.deployments, "")))
			}
			if r.incidents != nil && *r.incidents > 0 {
				why = append(why, plural(*r.incidents, "incident")+" in the first 7 days")
			}
			k.Note = sentence(strings.Join(why, "; "))
		}
		kpis = append(kpis, k)
	}
	// Verdict: an upcoming release's readiness.
	if v := b.verdict; v != nil && r.released == nil {
		kpis = append(kpis, document.KPI{Label: "Readiness verdict", Band: v.status, Note: sentence(v.detail),
			Source: document.QueryRef{Name: "release_readiness", Params: map[string]string{"release": r.name}}})
	}
	n := float64(r.items)
	note := scopeNote(r)
	if f := b.forecast; f != nil && r.released == nil && f.remaining > 0 {
		note = strings.TrimSpace(fmt.Sprintf("%d still open. %s", f.remaining, note))
	}
	if public := publicChanges(items); public > 0 {
		note = strings.TrimSpace(fmt.Sprintf("%s below. %s", capital(plural(int64(public), "public change")), note))
	}
	kpis = append(kpis, document.KPI{Label: "Items in the release", Value: &n, Type: document.TypeInt, Note: note, Source: summary})
	if r.released != nil && r.slipDays != nil {
		days := math.Floor(*r.slipDays)
		k := document.KPI{Label: "Schedule", Type: document.TypeInt, Better: document.BetterLower, Source: summary}
		switch {
		case days > 0:
			k.Value, k.Unit = &days, "days late"
		case days < 0:
			early := -days
			k.Value, k.Unit = &early, "days early"
		default:
			k.Band = "on_time"
		}
		k.Note = "Planned " + r.planned.Format("2 Jan 2006") + ", released " + r.released.Format("2 Jan 2006") + "."
		kpis = append(kpis, k)
	} else if f := b.forecast; f != nil {
		k := document.KPI{Label: "Chance of finishing on time", Type: document.TypePercent, Value: f.onTime, Better: document.BetterHigher,
			Source: document.QueryRef{Name: "release_forecast", Params: b.params}}
		switch {
		case f.reason != "":
			k.Note = "No forecast: " + f.reason + "."
		case f.remaining == 0:
			k.Note = "Every item is finished."
		case f.p85 != nil && r.planned != nil:
			k.Note = fmt.Sprintf("85%% sure by %s; planned %s.", f.p85.Format("2 Jan"), r.planned.Format("2 Jan 2006"))
		}
		kpis = append(kpis, k)
	} else if r.planned != nil && !b.scope.AsOf.IsZero() {
		days := math.Round(r.planned.Sub(b.scope.AsOf).Hours() / 24)
		k := document.KPI{Label: "Days to the planned date", Value: &days, Type: document.TypeInt, Source: summary,
			Note: "Planned for " + r.planned.Format("2 Jan 2006") + "."}
		if days < 0 {
			over := -days
			k.Label, k.Value = "Days overdue", &over
		}
		kpis = append(kpis, k)
	}
	hours, windows := downtime(changes)
	dt := document.KPI{Label: "Expected downtime", Type: document.TypeHours, Unit: "hours", Better: document.BetterLower,
		Source: document.QueryRef{Name: "release_changes", Params: b.params}}
	if windows > 0 {
		dt.Value = &hours
		dt.Note = fmt.Sprintf("Planned windows of %s.", plural(int64(windows), "change record"))
	} else if len(changes) > 0 {
		dt.Note = "The change records give no planned window."
	} else {
		dt.Note = "No change record names this release."
	}
	kpis = append(kpis, dt)
	return document.Section{ID: "glance", Title: "At a glance", Blocks: []document.Block{&document.KPIGroup{ID: "glance", KPIs: kpis}}}
}

// shipItem is one public item of the release, from @release_items.
type shipItem struct {
	category, key, typ, title string
	done, highlight           bool
}

func (b *briefBuilder) items(ctx context.Context) ([]shipItem, error) {
	t, err := b.src.Table(ctx, "release_items", b.params, []document.Column{
		{Name: "category"}, {Name: "item_key"}, {Name: "item_type"}, {Name: "public_title"},
		{Name: "is_done", Type: document.TypeBool}, {Name: "is_highlight", Type: document.TypeBool},
	})
	if err != nil {
		return nil, err
	}
	var out []shipItem
	for _, r := range t.Rows {
		out = append(out, shipItem{category: str(r[0]), key: str(r[1]), typ: str(r[2]), title: str(r[3]), done: r[4] == true, highlight: r[5] == true})
	}
	return out, nil
}

// knownIssues is the release log's category for what a release knowingly ships with.
const knownIssues = "Known issues"

// publicChanges counts the public items that are changes (not known issues).
func publicChanges(items []shipItem) int {
	n := 0
	for _, it := range items {
		if it.category != knownIssues {
			n++
		}
	}
	return n
}

// categoryHeadings are the release log's categories in business words, in reading order.
var categoryHeadings = []struct{ category, heading string }{
	{"Added", "New features"}, {"Changed", "Changes and improvements"}, {"Fixed", "Fixes"},
	{"Security", "Security"}, {"Deprecated", "Being retired"}, {"Removed", "Removed"},
}

// briefItems is how many public items the brief lists in all, so that it keeps to two pages.
const briefItems = 16

// whatShips lists the public items by category: highlights first, every category at least a
// few lines when the release is big, and how many more there are.
func (b *briefBuilder) whatShips(items []shipItem) document.Section {
	ref := document.QueryRef{Name: "release_items", Params: b.params}
	s := document.Section{ID: "ships", Title: "What ships"}
	byCat := map[string][]shipItem{}
	for _, it := range items {
		if it.category != knownIssues {
			byCat[it.category] = append(byCat[it.category], it)
		}
	}
	total := publicChanges(items)
	released := b.rel.released != nil
	if total == 0 {
		p := "No public item is planned for this release yet."
		if released {
			p = "This release has no public change: a maintenance release."
		}
		s.Blocks = append(s.Blocks, &document.Text{Source: ref, Paragraphs: []string{p}})
		return s
	}
	intro := fmt.Sprintf("The release's public changes: %d of its %d items, in the words of its release notes. Internal work is not listed.", total, b.rel.items)
	if !released {
		intro = fmt.Sprintf("The public items planned for the release: %d of its %d items. Internal work is not listed.", total, b.rel.items)
	}
	s.Intro = intro
	headings := append([]struct{ category, heading string }(nil), categoryHeadings...)
	known := map[string]bool{}
	for _, h := range headings {
		known[h.category] = true
	}
	var others []string
	for c := range byCat {
		if !known[c] {
			others = append(others, c)
		}
	}
	sort.Strings(others)
	for _, c := range others {
		headings = append(headings, struct{ category, heading string }{c, c})
	}
	for _, h := range headings {
		list := byCat[h.category]
		if len(list) == 0 {
			continue
		}
		show := len(list)
		if total > briefItems {
			show = max(2, int(math.Round(float64(briefItems)*float64(len(list))/float64(total))))
			show = min(show, len(list))
		}
		var bullets []string
		for _, it := range list[:show] {
			line := it.title
			if it.highlight {
				line = "★ " + line
			}
			if !it.done {
				line += " (not finished yet)"
			}
			bullets = append(bullets, line)
		}
		if more := len(list) - show; more > 0 {
			bullets = append(bullets, fmt.Sprintf("… and %d more", more))
		}
		s.Blocks = append(s.Blocks, &document.Text{ID: "ships-" + strings.ToLower(h.category), Title: fmt.Sprintf("%s (%d)", h.heading, len(list)), Bullets: bullets, Source: ref})
	}
	return s
}

// limitations lists the known issues the release ships with.
func (b *briefBuilder) limitations(items []shipItem) document.Section {
	ref := document.QueryRef{Name: "release_items", Params: b.params}
	var bullets []string
	for _, it := range items {
		if it.category == knownIssues {
			bullets = append(bullets, it.title)
		}
	}
	t := &document.Text{ID: "known", Source: ref, Bullets: bullets}
	if len(bullets) == 0 {
		t.Paragraphs = []string{"No known issue is recorded for this release."}
	}
	return document.Section{ID: "limitations", Title: "Known limitations", Blocks: []document.Block{t}}
}

// scopeNote says how the release's scope moved after its freeze.
func scopeNote(r *release) string {
	if r.plannedAtFreeze == 0 && r.added == 0 && r.removed == 0 {
		if r.noHist > 0 {
			return "Scope changes unknown: the backlog export has no fix-version history."
		}
		return ""
	}
	s := fmt.Sprintf("%d at the freeze", r.plannedAtFreeze)
	if r.added > 0 || r.removed > 0 {
		s += fmt.Sprintf("; %d added, %d removed after it", r.added, r.removed)
	} else {
		s += "; no change after it"
	}
	return s + "."
}

// impact says what the change records announce: when the service is changed and for how long.
func (b *briefBuilder) impact(changes []change) document.Section {
	s := document.Section{ID: "impact", Title: "Impact and expected downtime"}
	ref := document.QueryRef{Name: "release_changes", Params: b.params}
	if len(changes) == 0 {
		s.Blocks = append(s.Blocks, &document.Text{Source: ref, Paragraphs: []string{
			"No change record (RFC) names this release or one of its deployments, so no downtime has been announced for it."}})
		return s
	}
	hours, windows := downtime(changes)
	services := map[string]bool{}
	for _, c := range changes {
		if c.service != "" {
			services[c.service] = true
		}
	}
	var names []string
	for n := range services {
		names = append(names, n)
	}
	sort.Strings(names)
	p := fmt.Sprintf("%s cover this release", plural(int64(len(changes)), "change record"))
	if len(names) > 0 {
		p += ", changing " + list(names)
	}
	p += "."
	if windows > 0 {
		p += fmt.Sprintf(" Their planned windows add up to %s hours", formatHours(hours))
		if windows < len(changes) {
			p += fmt.Sprintf(" (%d of them give no window)", len(changes)-windows)
		}
		p += ": expect the affected services to be degraded or unavailable during those times."
	}
	t := &document.Table{ID: "changes", Source: ref, Columns: []document.Column{
		{Name: "change", Label: "Change"}, {Name: "window", Label: "Planned window (UTC)"},
		{Name: "hours", Label: "Hours", Type: document.TypeHours}, {Name: "service", Label: "Service"},
		{Name: "type", Label: "Type"}, {Name: "risk", Label: "Risk"}, {Name: "approval", Label: "Approval", Type: document.TypeStatus},
	}}
	const most = 8
	for i, c := range changes {
		if i == most {
			t.Total = int64(len(changes))
			break
		}
		var h any
		if c.hours != nil {
			h = *c.hours
		}
		t.Rows = append(t.Rows, []any{c.id, window(c.start, c.end), h, c.service, c.typ, c.risk, approvalStatus(c)})
	}
	s.Blocks = append(s.Blocks, &document.Text{Source: ref, Paragraphs: []string{p}}, t)
	return s
}

func approvalStatus(c change) string {
	if c.approved {
		return "approved"
	}
	if c.approval == "" {
		return "not approved"
	}
	return c.approval
}

// window shows a planned window: "Tue 10 Mar 09:00–12:00", or across days.
func window(start, end *time.Time) string {
	switch {
	case start == nil && end == nil:
		return "not given"
	case start == nil:
		return "until " + end.Format("Mon 2 Jan 15:04")
	case end == nil:
		return "from " + start.Format("Mon 2 Jan 15:04")
	case start.Format("2006-01-02") == end.Format("2006-01-02"):
		return start.Format("Mon 2 Jan 15:04") + "–" + end.Format("15:04")
	}
	return start.Format("Mon 2 Jan 15:04") + " – " + end.Format("Mon 2 Jan 15:04")
}

// checkNames are the readiness checks in words.
var checkNames = map[string]string{
	"forecast": "Finishes by the planned date (forecast)", "open_blockers": "No open blockers",
	"endorsement": "Endorsed by the business", "regulated_signoff": "Regulated items signed off",
	"rollback_criteria": "Rollback criteria for critical items", "test_evidence": "Test evidence for critical items",
	"freeze": "Scope freeze respected", "packaging": "Within packaging limits", "change_approval": "Change records approved",
}

// risk is the readiness checklist of an upcoming release, then how its production deployments
// went (released) or what is deployed so far.
func (b *briefBuilder) risk(deploys []deployment) document.Section {
	r := b.rel
	ref := document.QueryRef{Name: "release_deployments", Params: b.params}
	s := document.Section{ID: "risk", Title: "Risk and outcome"}
	if r.released == nil && len(b.checks) > 0 {
		s.Title = "Risk and readiness"
		rref := document.QueryRef{Name: "release_readiness", Params: map[string]string{"release": r.name}}
		if v := b.verdict; v != nil {
			s.Blocks = append(s.Blocks, &document.Text{Source: rref, Paragraphs: []string{
				fmt.Sprintf("Verdict: %s — %s.", statusWords(v.status), v.detail)}})
		}
		t := &document.Table{ID: "readiness", Source: rref, Columns: []document.Column{
			{Name: "check", Label: "Check"}, {Name: "status", Label: "Result", Type: document.TypeStatus}, {Name: "detail", Label: "Why"}}}
		for _, c := range b.checks {
			name := checkNames[c.name]
			if name == "" {
				name = humanWords(c.name)
			}
			t.Rows = append(t.Rows, []any{name, c.status, c.detail})
		}
		s.Blocks = append(s.Blocks, t)
		if len(deploys) == 0 {
			return s
		}
	}
	var p []string
	switch {
	case len(deploys) == 0 && r.released != nil:
		p = append(p, "No production deployment is linked to this release (by its version or its items), so its outcome in production is unknown.")
	case len(deploys) == 0:
		p = append(p, "Nothing of this release has been deployed to production yet.")
	default:
		failed, recovered := 0, []float64{}
		for _, d := range deploys {
			if d.failed {
				failed++
				if d.recovery != nil {
					recovered = append(recovered, *d.recovery)
				}
			}
		}
		line := fmt.Sprintf("%s to production", plural(int64(len(deploys)), "deployment"))
		if failed == 0 {
			line += ", none of which failed."
		} else {
			line += fmt.Sprintf(", of which %d failed", failed)
			if len(recovered) > 0 {
				line += fmt.Sprintf("; service was restored after %s hours at the median", formatHours(median(recovered)))
			}
			if len(recovered) < failed {
				line += fmt.Sprintf("; %d not recovered yet", failed-len(recovered))
			}
			line += "."
		}
		p = append(p, line)
		if r.incidents != nil {
			if *r.incidents == 0 {
				p = append(p, "No incident followed in the first 7 days.")
			} else {
				p = append(p, fmt.Sprintf("%s followed in the first 7 days.", capital(plural(*r.incidents, "incident"))))
			}
		}
	}
	if r.released == nil && len(b.checks) > 0 && len(deploys) == 0 {
		return s
	}
	s.Blocks = append(s.Blocks, &document.Text{Source: ref, Paragraphs: p})
	if len(deploys) > 0 {
		t := &document.Table{ID: "deployments", Source: ref, Columns: []document.Column{
			{Name: "finished", Label: "Finished (UTC)", Type: document.TypeDateTime}, {Name: "service", Label: "Service"},
			{Name: "version", Label: "Version"}, {Name: "outcome", Label: "Outcome", Type: document.TypeStatus},
			{Name: "why", Label: "Why"}, {Name: "recovery", Label: "Restored after (h)", Type: document.TypeHours},
		}}
		// Failures first, then the rest in time order, at most eight rows.
		sorted := append([]deployment(nil), deploys...)
		sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].failed && !sorted[j].failed })
		for i, d := range sorted {
			if i == 8 {
				t.Total = int64(len(deploys))
				break
			}
			outcome, why := "success", ""
			if d.failed {
				outcome = "failed"
				why = map[string]string{"failed": "the deployment failed", "rolled_back": "rolled back", "incident": "caused an incident"}[d.reason]
			}
			var fin, rec any
			if d.finished != nil {
				fin = *d.finished
			}
			if d.recovery != nil {
				rec = *d.recovery
			}
			t.Rows = append(t.Rows, []any{fin, d.service, d.version, outcome, why, rec})
		}
		s.Blocks = append(s.Blocks, t)
	}
	return s
}

// gapWords say an audit finding's type in words, for a count of deployments (or items).
var gapWords = map[string]string{
	"no_change_record":          "without a change record",
	"change_not_approved":       "on a change that is not approved",
	"no_backout_plan":           "on a change without a back-out plan",
	"ci_mismatch":               "whose change names another configuration item",
	"not_promoted":              "not promoted through the lower environments first",
	"regulated_without_signoff": "shipping a regulated item without its sign-off",
}

// compliance is the audit findings on the release's production deployments (the governance
// marts' compliance gaps), or, before it is deployed, where its checks are.
func (b *briefBuilder) compliance(changes []change, deploys []deployment) document.Section {
	s := document.Section{ID: "compliance", Title: "Compliance"}
	ref := document.QueryRef{Name: "release_compliance", Params: b.params}
	var bullets []string
	if len(deploys) == 0 {
		p := "Not deployed to production yet: the audit runs on its deployments."
		if len(b.checks) > 0 {
			p += " Before release, the readiness checklist above checks change approval and regulated sign-off."
		}
		s.Blocks = append(s.Blocks, &document.Text{Source: ref, Paragraphs: []string{p}})
		return s
	}
	byType := map[string][]string{}
	var order []string
	var emergency []string
	for _, g := range b.gaps {
		if !g.isGap {
			if g.change != "" {
				emergency = append(emergency, g.change)
			}
			continue
		}
		what := g.deployment
		if g.typ == "regulated_without_signoff" && g.item != "" {
			what = g.item
		}
		if _, ok := byType[g.typ]; !ok {
			order = append(order, g.typ)
		}
		byType[g.typ] = append(byType[g.typ], what)
	}
	if len(order) == 0 {
		bullets = append(bullets, fmt.Sprintf("No audit finding on its %s: change records, approvals, back-out plans, configuration items, promotion through the lower environments and regulated sign-off.",
			plural(int64(len(deploys)), "production deployment")))
	}
	for _, t := range order {
		ids := dedupe(byType[t])
		words := gapWords[t]
		if words == "" {
			words = humanWords(t)
		}
		noun := "deployment"
		if t == "regulated_without_signoff" {
			noun, words = "item", "shipped without its regulatory sign-off"
		}
		bullets = append(bullets, fmt.Sprintf("%s %s (%s).", capital(plural(int64(len(ids)), noun)), words, list(ids)))
	}
	if len(emergency) > 0 {
		bullets = append(bullets, fmt.Sprintf("Emergency changes, listed for the audit: %s.", list(dedupe(emergency))))
	}
	if len(changes) == 0 {
		bullets = append(bullets, "No change record covers this release: if your change process requires one, it is missing.")
	}
	s.Blocks = append(s.Blocks, &document.Text{Source: ref, Bullets: bullets})
	return s
}

func dedupe(xs []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// statusWords is a verdict or check status in words.
func statusWords(s string) string {
	switch s {
	case "go":
		return "Go"
	case "no_go":
		return "No-go"
	}
	return capital(strings.ReplaceAll(s, "_", " "))
}

// humanWords turns an identifier into words: "open_blockers" → "Open blockers".
func humanWords(s string) string { return capital(strings.ReplaceAll(s, "_", " ")) }

// numbers is the release's dates and delivery numbers as a two-column table.
func (b *briefBuilder) numbers() document.Section {
	r := b.rel
	t := &document.Table{ID: "numbers", Source: document.QueryRef{Name: "release_summary", Params: b.params}, Columns: []document.Column{
		{Name: "measure", Label: "Measure"}, {Name: "value", Label: "Value"},
	}}
	add := func(m, v string) { t.Rows = append(t.Rows, []any{m, v}) }
	day := func(p *time.Time) string {
		if p == nil {
			return "—"
		}
		return p.Format("Mon 2 Jan 2006")
	}
	add("Planned date", day(r.planned))
	add("Scope freeze", day(r.freeze))
	if r.released != nil {
		add("Released", r.released.Format("Mon 2 Jan 2006 15:04 UTC"))
	} else {
		add("Released", "not yet")
	}
	add("Items in the release", fmt.Sprint(r.items))
	if r.plannedAtFreeze > 0 || r.added > 0 || r.removed > 0 {
		add("Planned at the freeze", fmt.Sprint(r.plannedAtFreeze))
		add("Added / removed after the freeze", fmt.Sprintf("%d / %d", r.added, r.removed))
		if r.volatility != nil {
			add("Scope volatility", fmt.Sprintf("%.0f%%", *r.volatility*100))
		}
	}
	if f := b.forecast; f != nil && r.released == nil {
		short := func(p *time.Time) string {
			if p == nil {
				return "—"
			}
			return p.Format("2 Jan 2006")
		}
		switch {
		case f.reason != "":
			add("Forecast", "none: "+f.reason)
		case f.remaining == 0:
			add("Forecast", "every item is finished")
		default:
			add("Forecast completion: 50% / 85% / 95% sure by", fmt.Sprintf("%s / %s / %s", short(f.p50), short(f.p85), short(f.p95)))
			if f.onTime != nil {
				add("Chance of finishing by the planned date", fmt.Sprintf("%.0f%%", *f.onTime*100))
			}
			add("Items 85% sure to be done by the planned date", fmt.Sprintf("%d of %d open", f.sure, f.remaining))
			add("Forecast basis", fmt.Sprintf("%s trials over %d days of the team's deliveries (%d with one), seed %d",
				thousandsInt(f.trials), f.windowDays, f.delivering, f.seed))
		}
	}
	add("Production deployments", fmt.Sprintf("%d (%d failed)", r.deployments, r.failedDeployments))
	if r.incidents != nil {
		add("Incidents in the first 7 days", fmt.Sprint(*r.incidents))
	}
	if len(r.alsoIn) > 0 {
		add("Same name in", strings.Join(r.alsoIn, ", ")+" (this brief covers project "+r.project+")")
	}
	return document.Section{ID: "numbers", Title: "Dates and delivery numbers", Blocks: []document.Block{t}}
}

// briefCoverage keeps the coverage notes that bear on a release.
func briefCoverage(notes []document.Note) []document.Note {
	out := []document.Note{}
	for _, n := range notes {
		switch n.Metric {
		case "release_scope", "change_failure_rate", "delivery_by_deployment":
			out = append(out, n)
		}
	}
	return out
}

// Small helpers for wording.

func plural(n int64, noun string) string {
	if noun == "" {
		return fmt.Sprint(n)
	}
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func capital(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func sentence(s string) string {
	if s == "" {
		return s
	}
	return capital(s) + "."
}

func list(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	if len(items) > 6 {
		return strings.Join(items[:6], ", ") + fmt.Sprintf(" and %d more", len(items)-6)
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// thousandsInt writes n with comma thousands separators.
func thousandsInt(n int64) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func formatHours(h float64) string {
	if h == math.Trunc(h) {
		return fmt.Sprint(int64(h))
	}
	return fmt.Sprintf("%.1f", h)
}

func median(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func integer(v any) int64 {
	n, _ := v.(int64)
	return n
}

func timePtr(v any) *time.Time {
	if t, ok := v.(time.Time); ok {
		return &t
	}
	return nil
}

func floatPtr(v any) *float64 {
	if f, ok := v.(float64); ok {
		return &f
	}
	return nil
}
