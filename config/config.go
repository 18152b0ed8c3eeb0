// Package config reads relscope.yaml: the organisation-specific rules (status categories,
// commitment statuses, production environments, team maps, windows) that ingest, the models
// and the reports share. It is its own package because all three layers need it and none
// of them owns it.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// Config is the parsed relscope.yaml. The zero value is not useful; use Default or Load.
type Config struct {
	// Timezone is applied to export times that carry no zone (IANA name).
	Timezone string `yaml:"timezone"`
	// ProductionEnvironments lists environment names (case-insensitive) that count as production.
	ProductionEnvironments []string `yaml:"production_environments"`
	// CommitmentStatuses are the statuses whose first entry marks commitment; empty means
	// "the first status whose category is in_progress".
	CommitmentStatuses []string `yaml:"commitment_statuses"`
	// StatusCategories overrides the category of a status by name (case-insensitive).
	StatusCategories map[string]string `yaml:"status_categories"`
	// ServiceTeams maps a service to the team that owns it (deployments, incidents, changes).
	ServiceTeams map[string]string `yaml:"service_teams"`
	// TeamAliases renames teams after every other rule (old name -> new name).
	TeamAliases map[string]string `yaml:"team_aliases"`
	// AttributionWindowHours is how long after a production deployment an incident on the same
	// service is attributed to it.
	AttributionWindowHours int `yaml:"attribution_window_hours"`
	// FreezeDays is used for releases without their own freeze date: release date minus this.
	FreezeDays int `yaml:"freeze_days"`
	// DoraBands selects the DORA report whose thresholds grade the metrics: 2023 or 2024.
	DoraBands int `yaml:"dora_bands"`
	// ForecastWindowDays is the trailing throughput window for forecasts.
	ForecastWindowDays int `yaml:"forecast_window_days"`
	// Public decides what may reach the public release log.
	Public PublicRules `yaml:"public"`
	// Risk gives items a risk tier from their labels, components, types, priorities and fields.
	Risk []RiskRule `yaml:"risk"`
	// Columns maps headers no built-in vocabulary knows onto the canonical columns a format
	// reads: format name -> header as exported (case-insensitive) -> canonical column. It is how
	// a file is read, so ingest applies it (see ColumnMaps).
	Columns map[string]map[string]string `yaml:"columns"`

	// path and columnLines say where the file and each columns: entry are, for messages.
	path        string
	columnLines map[[2]string]int
	// ReleaseLog shapes the public release log: public titles, categories, the site's name.
	ReleaseLog ReleaseLogRules `yaml:"release_log"`

	// ForecastBacktestDays is how many days before each past release's actual release the
	// backtest forecasts it.
	ForecastBacktestDays int `yaml:"forecast_backtest_days"`
	// Priority fills the priority score's components (governance.go).
	Priority PriorityRules `yaml:"priority"`
	// Endorsement is the endorsement gate.
	Endorsement EndorsementRules `yaml:"endorsement"`
	// Packaging classes items and limits each class per release by criticality.
	Packaging PackagingRules `yaml:"packaging"`
	// Freeze says which additions after a release's freeze are allowed.
	Freeze FreezeRules `yaml:"freeze"`
	// Promotion is the order of environments below production.
	Promotion PromotionRules `yaml:"promotion"`
	// CIAliases maps a change record's configuration item (CMDB CI) to the service it is.
	CIAliases map[string]string `yaml:"ci_aliases"`
	// Readiness tunes the release readiness checklist.
	Readiness ReadinessRules `yaml:"readiness"`
}

// PublicRules lists what makes an item private.
type PublicRules struct {
	PrivateLabels          []string `yaml:"private_labels"`
	PrivateComponents      []string `yaml:"private_components"`
	PrivateTypes           []string `yaml:"private_types"`
	SecurityLevelIsPrivate bool     `yaml:"security_level_is_private"`
}

// RiskRule assigns Tier to items carrying any of Labels or Components, of one of Types or
// Priorities, or with one of Fields (raw export field -> accepted values, case-insensitive;
// no values: any non-empty value). A regulated rule's items need the sign-off (SignoffLabel,
// or a non-empty SignoffField) before a production deployment.
type RiskRule struct {
	Name         string              `yaml:"name"`
	Tier         int                 `yaml:"tier"`
	Labels       []string            `yaml:"labels"`
	Components   []string            `yaml:"components"`
	Types        []string            `yaml:"types"`
	Priorities   []string            `yaml:"priorities"`
	Fields       map[string][]string `yaml:"fields"`
	Regulated    bool                `yaml:"regulated"`
	Signoff      string              `yaml:"signoff_label"`
	SignoffField string              `yaml:"signoff_field"`
}

// Default returns the configuration relscope uses when no file exists.
func Default() *Config {
	c := &Config{
		Timezone:               "UTC",
		ProductionEnvironments: []string{"prod", "production", "prd", "live"},
		StatusCategories:       map[string]string{},
		ServiceTeams:           map[string]string{},
		TeamAliases:            map[string]string{},
		AttributionWindowHours: 72,
		FreezeDays:             3,
		DoraBands:              2024,
		ForecastWindowDays:     90,
		Public: PublicRules{
			PrivateLabels:          []string{"internal", "confidential", "security"},
			SecurityLevelIsPrivate: true,
		},
		Risk: []RiskRule{
			{Name: "regulatory", Tier: 1, Labels: []string{"gdpr", "hipaa", "sox", "pci"}, Regulated: true, Signoff: "compliance-approved"},
			{Name: "security", Tier: 1, Labels: []string{"security"}},
			{Name: "customer-facing", Tier: 2, Labels: []string{"customer-facing"}},
			{Name: "internal", Tier: 4, Labels: []string{"internal", "tech-debt"}},
		},
		ReleaseLog: defaultReleaseLog(),
	}
	defaultGovernance(c)
	return c
}

// Load reads path. A missing file is not an error when optional is true: the defaults apply.
func Load(path string, optional bool) (*Config, error) {
	c := Default()
	data, err := os.ReadFile(path)
	if err != nil {
		if optional && errors.Is(err, os.ErrNotExist) {
			return c, nil
		}
		return nil, fmt.Errorf("config: %w", err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data), yaml.DisallowUnknownField())
	// A file of comments only decodes to io.EOF: the defaults stand.
	if err := dec.Decode(c); errors.Is(err, io.EOF) {
		c = Default()
	} else if err != nil {
		return nil, fmt.Errorf("config %s: %s", path, strings.TrimSpace(yaml.FormatError(err, false, true)))
	}
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	if len(c.Columns) > 0 {
		c.path, c.columnLines = path, columnLines(data)
	}
	return c, nil
}

// ColumnMap is one entry of columns: in files of Format, the header Header (as exported,
// compared case-insensitively) is read as the canonical column Column.
type ColumnMap struct {
	Format, Header, Column string
	// Line is the entry's line in the file (0 when the config was not read from one).
	Line int
}

// ColumnMaps lists the columns: entries in a stable order (format, then line).
func (c *Config) ColumnMaps() []ColumnMap {
	var out []ColumnMap
	for format, m := range c.Columns {
		for header, col := range m {
			out = append(out, ColumnMap{Format: format, Header: header, Column: col, Line: c.columnLines[[2]string{format, header}]})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Format != out[j].Format {
			return out[i].Format < out[j].Format
		}
		if out[i].Line != out[j].Line {
			return out[i].Line < out[j].Line
		}
		return out[i].Header < out[j].Header
	})
	return out
}

// ColumnError is a columns: entry that names no format, or no column the format reads.
type ColumnError struct {
	Path string
	Map  ColumnMap
	// Key is the part that is wrong: the format, or the header's canonical column.
	Key string
	Err error
}

func (e *ColumnError) Error() string {
	where := "config"
	if e.Path != "" {
		where = e.Path
	}
	if e.Map.Line > 0 {
		where += " line " + strconv.Itoa(e.Map.Line)
	}
	return fmt.Sprintf("%s: %s: %v", where, e.Key, e.Err)
}

func (e *ColumnError) Unwrap() error { return e.Err }

// CheckColumns validates every columns: entry with check, which knows the formats (ingest
// does; config does not): it returns an error for an unknown format (formatErr) or an unknown
// canonical column of a known one. The first bad entry is reported with its key and line.
func (c *Config) CheckColumns(check func(format, column string) (formatErr, columnErr error)) error {
	for _, m := range c.ColumnMaps() {
		formatErr, columnErr := check(m.Format, m.Column)
		switch {
		case formatErr != nil:
			return &ColumnError{Path: c.path, Map: m, Key: "columns." + m.Format, Err: formatErr}
		case columnErr != nil:
			return &ColumnError{Path: c.path, Map: m, Key: fmt.Sprintf("columns.%s.%q", m.Format, m.Header), Err: columnErr}
		}
	}
	return nil
}

// columnLines finds the line of every columns: entry in the YAML text (the decoder keeps no
// positions): format -> header -> line.
func columnLines(data []byte) map[[2]string]int {
	lines := map[[2]string]int{}
	f, err := parser.ParseBytes(data, 0)
	if err != nil {
		return lines
	}
	for _, doc := range f.Docs {
		root, ok := doc.Body.(ast.MapNode)
		if !ok {
			continue
		}
		for it := root.MapRange(); it.Next(); {
			if yamlKey(it.Key()) != "columns" {
				continue
			}
			formats, ok := it.Value().(ast.MapNode)
			if !ok {
				continue
			}
			for fi := formats.MapRange(); fi.Next(); {
				format := yamlKey(fi.Key())
				headers, ok := fi.Value().(ast.MapNode)
				if !ok {
					continue
				}
				for hi := headers.MapRange(); hi.Next(); {
					if tok := hi.Key().GetToken(); tok != nil && tok.Position != nil {
						lines[[2]string{format, yamlKey(hi.Key())}] = tok.Position.Line
					}
				}
			}
		}
	}
	return lines
}

func yamlKey(k ast.MapKeyNode) string {
	if s, ok := k.(*ast.StringNode); ok {
		return s.Value
	}
	return strings.Trim(k.String(), `"'`)
}

// Validate checks values a typo would otherwise turn into wrong numbers.
func (c *Config) Validate() error {
	if _, err := c.Location(); err != nil {
		return err
	}
	for status, cat := range c.StatusCategories {
		if !ValidCategory(cat) {
			return fmt.Errorf("status_categories: %q -> %q: want one of backlog, in_progress, blocked, done, cancelled", status, cat)
		}
	}
	if c.AttributionWindowHours < 0 {
		return fmt.Errorf("attribution_window_hours: %d must not be negative", c.AttributionWindowHours)
	}
	if c.FreezeDays < 0 {
		return fmt.Errorf("freeze_days: %d must not be negative", c.FreezeDays)
	}
	if c.DoraBands != 2023 && c.DoraBands != 2024 {
		return fmt.Errorf("dora_bands: %d: want 2023 or 2024", c.DoraBands)
	}
	if len(c.ProductionEnvironments) == 0 {
		return errors.New("production_environments: must name at least one environment")
	}
	for _, r := range c.Risk {
		if r.Tier < 1 || r.Tier > 4 {
			return fmt.Errorf("risk rule %q: tier %d: want 1 (critical) to 4 (low)", r.Name, r.Tier)
		}
		if r.Regulated && r.Signoff == "" && r.SignoffField == "" {
			return fmt.Errorf("risk rule %q: regulated, but no signoff_label or signoff_field says what a sign-off is", r.Name)
		}
	}
	if err := c.ReleaseLog.validate(); err != nil {
		return err
	}
	return c.validateGovernance()
}

// Location returns the configured time zone.
func (c *Config) Location() (*time.Location, error) {
	if c.Timezone == "" {
		return time.UTC, nil
	}
	loc, err := time.LoadLocation(c.Timezone)
	if err != nil {
		return nil, fmt.Errorf("timezone %q: %w", c.Timezone, err)
	}
	return loc, nil
}

// ValidCategory reports whether s is one of the five status categories.
func ValidCategory(s string) bool {
	switch s {
	case "backlog", "in_progress", "blocked", "done", "cancelled":
		return true
	}
	return false
}

// IsProduction reports whether env is a production environment.
func (c *Config) IsProduction(env string) bool {
	env = strings.TrimSpace(env)
	for _, p := range c.ProductionEnvironments {
		if strings.EqualFold(p, env) {
			return true
		}
	}
	return false
}

// Team applies the team aliases to name.
func (c *Config) Team(name string) string {
	if to, ok := lookupFold(c.TeamAliases, name); ok {
		return to
	}
	return name
}

// ServiceTeam returns the team owning service, or "" when the map does not say.
func (c *Config) ServiceTeam(service string) string {
	if t, ok := lookupFold(c.ServiceTeams, service); ok {
		return c.Team(t)
	}
	return ""
}

// StatusCategory returns the category of status: a configured override first, then the
// export's own category when it has one, then the default name rules.
func (c *Config) StatusCategory(status, exportCategory string) string {
	if cat, ok := lookupFold(c.StatusCategories, status); ok {
		return cat
	}
	if exportCategory != "" {
		if cat := normaliseCategory(exportCategory); cat != "" {
			// An export that says "in progress" for a blocked status still gets blocked by name.
			if cat == "in_progress" && nameCategory(status) == "blocked" {
				return "blocked"
			}
			if cat == "done" && nameCategory(status) == "cancelled" {
				return "cancelled"
			}
			return cat
		}
	}
	return nameCategory(status)
}

// ExportCategory is an export's own status category in relscope's words (Jira's
// "indeterminate" is in_progress, Azure DevOps' "Proposed" backlog, …), "" when the word is
// none it knows. It is vocabulary, not a rule: ingest stores it as what the export said, and
// StatusCategory decides at build.
func ExportCategory(s string) string { return normaliseCategory(s) }

// normaliseCategory maps the category words trackers use onto ours.
func normaliseCategory(s string) string {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "to do", "todo", "new", "backlog", "proposed", "unstarted", "triage", "open", "undefined", "approved":
		return "backlog"
	case "in progress", "in_progress", "indeterminate", "active", "started", "inprogress", "resolved", "committed":
		return "in_progress"
	case "done", "complete", "completed", "closed":
		return "done"
	case "blocked":
		return "blocked"
	case "cancelled", "canceled", "removed", "aborted":
		return "cancelled"
	}
	// Jira's three status categories as its CSV export writes them in the exporting user's
	// language (es, de, fr, pt, ru): To Do, In Progress, Done.
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "por hacer", "tareas por hacer", "zu erledigen", "à faire", "a fazer", "itens pendentes", "к выполнению", "сделать":
		return "backlog"
	case "en curso", "in arbeit", "en cours", "em andamento", "в работе":
		return "in_progress"
	case "listo", "hecho", "fertig", "erledigt", "terminé", "terminé(e)", "terminée", "concluído", "concluido", "itens concluídos", "готово":
		return "done"
	}
	return ""
}

// nameCategory is the default rule set by status name.
func nameCategory(status string) string {
	s := strings.ToLower(strings.TrimSpace(status))
	switch {
	case strings.Contains(s, "block"), strings.Contains(s, "impediment"), strings.Contains(s, "on hold"):
		return "blocked"
	case strings.Contains(s, "cancel"), strings.Contains(s, "won't"), strings.Contains(s, "wont"),
		strings.Contains(s, "duplicate"), strings.Contains(s, "rejected"), strings.Contains(s, "abort"):
		return "cancelled"
	}
	if cat := normaliseCategory(s); cat != "" {
		return cat
	}
	// Trackers write status names in the user's language; the common ones in the languages
	// relscope reads dates in (German, French, Spanish, Portuguese, Russian).
	for _, w := range foreignDone {
		if strings.Contains(s, w) {
			return "done"
		}
	}
	for _, w := range foreignInProgress {
		if strings.Contains(s, w) {
			return "in_progress"
		}
	}
	switch {
	case strings.Contains(s, "done"), strings.Contains(s, "closed"), strings.Contains(s, "released"),
		strings.Contains(s, "shipped"), strings.Contains(s, "deployed"), strings.Contains(s, "complete"):
		return "done"
	case strings.Contains(s, "progress"), strings.Contains(s, "review"), strings.Contains(s, "test"),
		strings.Contains(s, "qa"), strings.Contains(s, "develop"), strings.Contains(s, "doing"),
		strings.Contains(s, "verif"), strings.Contains(s, "ready for release"), strings.Contains(s, "active"):
		return "in_progress"
	}
	return "backlog"
}

var (
	foreignDone = []string{"erledigt", "geschlossen", "fertig", "abgeschlossen", "terminé", "fermé", "résolu",
		"finalizado", "finalizada", "hecho", "listo", "cerrado", "cerrada", "resuelto", "resuelta", "concluído", "concluido", "feito", "fechado", "resolvido",
		"готово", "закрыт", "выполнено", "решен"}
	foreignInProgress = []string{"in arbeit", "in bearbeitung", "in prüfung", "en cours", "en revue", "en curso",
		"en progreso", "en revisión", "em andamento", "em progresso", "em revisão", "в работе", "на проверке"}
)

// IsPrivate reports whether an item with these attributes must stay off the public release log.
func (c *Config) IsPrivate(itemType string, labels, components []string, securityLevel string) bool {
	if c.Public.SecurityLevelIsPrivate && strings.TrimSpace(securityLevel) != "" {
		return true
	}
	return anyFold(labels, c.Public.PrivateLabels) || anyFold(components, c.Public.PrivateComponents) ||
		anyFold([]string{itemType}, c.Public.PrivateTypes)
}

func anyFold(have, want []string) bool {
	for _, h := range have {
		for _, w := range want {
			if strings.EqualFold(strings.TrimSpace(h), w) {
				return true
			}
		}
	}
	return false
}

func lookupFold(m map[string]string, k string) (string, bool) {
	if v, ok := m[k]; ok {
		return v, true
	}
	for mk, v := range m {
		if strings.EqualFold(mk, strings.TrimSpace(k)) {
			return v, true
		}
	}
	return "", false
}
