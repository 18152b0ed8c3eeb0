package config

import (
	"fmt"
	"strings"
)

// The release manager's rules: priority score, endorsement, packaging, freeze, promotion,
// configuration items and readiness (DESIGN §4 from "Priority score" on). The models read them
// from the relscope_* settings tables a build writes (models/settings_governance.go).

// PriorityRules fill the WSJF-style score's components where an item has none of its own.
type PriorityRules struct {
	// DefaultTier is the risk tier of items no risk rule matches.
	DefaultTier int `yaml:"default_tier"`
	// TimeCriticalityByPriority gives time criticality from the item's priority name
	// (case-insensitive) when the export has no time-criticality field.
	TimeCriticalityByPriority map[string]float64 `yaml:"time_criticality_by_priority"`
	// RiskReductionByTier gives risk reduction from the risk tier when the export has none.
	RiskReductionByTier map[int]float64 `yaml:"risk_reduction_by_tier"`
	// HoursPerPoint turns an hour estimate into a size when there are no story points.
	HoursPerPoint float64 `yaml:"hours_per_point"`
	// DefaultSize is the size of items with neither story points nor an hour estimate.
	DefaultSize float64 `yaml:"default_size"`
}

// Evidence is something an item carries: one of Labels, or a non-empty value in one of Fields
// of its raw export record (a CSV column as exported; a Jira REST field id such as
// customfield_10050, looked up at the top level and under "fields").
type Evidence struct {
	Labels []string `yaml:"labels"`
	Fields []string `yaml:"fields"`
}

// Empty reports whether e names nothing (then nothing can carry it).
func (e Evidence) Empty() bool { return len(e.Labels) == 0 && len(e.Fields) == 0 }

// EndorsementRules is the endorsement gate (seed M1).
type EndorsementRules struct {
	// Tiers whose items need a business owner's endorsement in an upcoming release.
	Tiers    []int `yaml:"tiers"`
	Evidence `yaml:",inline"`
}

// PackagingClass classes items as feature, fix, infrastructure (or any name): an item of one of
// Types (when given) that carries one of Labels or Components (when either is given).
type PackagingClass struct {
	Class      string   `yaml:"class"`
	Types      []string `yaml:"types"`
	Labels     []string `yaml:"labels"`
	Components []string `yaml:"components"`
}

// Criticality is a level of release criticality with its packaging maxima: releases whose name
// matches one of Releases (glob patterns, case-insensitive) or that touch one of Services.
// A level naming neither matches every release.
type Criticality struct {
	Name     string         `yaml:"name"`
	Releases []string       `yaml:"releases"`
	Services []string       `yaml:"services"`
	Maxima   map[string]int `yaml:"maxima"`
}

// PackagingRules are the packaging rules (seed M3).
type PackagingRules struct {
	// Classes, first match wins; items matching none are "other" and count against nothing.
	Classes []PackagingClass `yaml:"classes"`
	// Criticality levels, first match wins.
	Criticality []Criticality `yaml:"criticality"`
}

// FreezeRules say which additions after a freeze are allowed (seed M3).
type FreezeRules struct {
	// CriticalPriorities are the priorities (case-insensitive) of a critical defect.
	CriticalPriorities []string `yaml:"critical_priorities"`
}

// PromotionRules are the environment promotion order (seed M5).
type PromotionRules struct {
	// Order lists the environments below production, lowest first; each level is a list of
	// names meaning the same (test or qa).
	Order [][]string `yaml:"order"`
}

// ReadinessRules tune the release readiness checklist (seeds M3, M6).
type ReadinessRules struct {
	// UpcomingReleases, when above 0, keeps only the next N upcoming releases of each project.
	UpcomingReleases int `yaml:"upcoming_releases"`
	// LateDays keeps an unreleased release whose planned date passed less than this many days
	// before as_of among the upcoming ones (it is late, not gone).
	LateDays int `yaml:"late_days"`
	// RollbackCriteria and TestEvidence are what tier-1 items must carry.
	RollbackCriteria Evidence `yaml:"rollback_criteria"`
	TestEvidence     Evidence `yaml:"test_evidence"`
}

func defaultGovernance(c *Config) {
	c.ForecastBacktestDays = 14
	c.Priority = PriorityRules{
		DefaultTier:               3,
		TimeCriticalityByPriority: map[string]float64{"highest": 13, "critical": 13, "blocker": 13, "high": 8, "medium": 3, "low": 1, "lowest": 1},
		RiskReductionByTier:       map[int]float64{1: 13, 2: 8, 3: 3, 4: 1},
		HoursPerPoint:             8,
		DefaultSize:               3,
	}
	c.Endorsement = EndorsementRules{Tiers: []int{1}, Evidence: Evidence{Labels: []string{"endorsed"}}}
	c.Packaging = PackagingRules{
		Classes: []PackagingClass{
			{Class: "infrastructure", Labels: []string{"infra", "infrastructure"}},
			{Class: "infrastructure", Types: []string{"Task"}, Components: []string{"infra"}},
			{Class: "fix", Types: []string{"Bug", "Defect"}},
			{Class: "feature", Types: []string{"Story", "Feature", "Epic"}},
		},
		Criticality: []Criticality{{Name: "standard"}},
	}
	c.Freeze = FreezeRules{CriticalPriorities: []string{"Highest", "Critical", "Blocker", "P1", "1 - Critical"}}
	c.Promotion = PromotionRules{Order: [][]string{{"dev", "development"}, {"test", "qa"}, {"staging", "uat", "preprod"}}}
	c.CIAliases = map[string]string{}
	c.Readiness = ReadinessRules{
		LateDays:         14,
		RollbackCriteria: Evidence{Labels: []string{"rollback-plan"}},
		TestEvidence:     Evidence{Labels: []string{"tested", "test-evidence"}},
	}
}

func (c *Config) validateGovernance() error {
	if c.ForecastWindowDays < 1 {
		return fmt.Errorf("forecast_window_days: %d: want at least 1", c.ForecastWindowDays)
	}
	if c.ForecastBacktestDays < 1 {
		return fmt.Errorf("forecast_backtest_days: %d: want at least 1", c.ForecastBacktestDays)
	}
	p := c.Priority
	if p.DefaultTier < 1 || p.DefaultTier > 4 {
		return fmt.Errorf("priority.default_tier: %d: want 1 (critical) to 4 (low)", p.DefaultTier)
	}
	if p.HoursPerPoint <= 0 || p.DefaultSize <= 0 {
		return fmt.Errorf("priority: hours_per_point and default_size must be above 0")
	}
	for tier := range p.RiskReductionByTier {
		if tier < 1 || tier > 4 {
			return fmt.Errorf("priority.risk_reduction_by_tier: tier %d: want 1 to 4", tier)
		}
	}
	for _, tier := range c.Endorsement.Tiers {
		if tier < 1 || tier > 4 {
			return fmt.Errorf("endorsement.tiers: %d: want 1 to 4", tier)
		}
	}
	if len(c.Endorsement.Tiers) > 0 && c.Endorsement.Empty() {
		return fmt.Errorf("endorsement: tiers %v need endorsing, but no labels or fields say what an endorsement is", c.Endorsement.Tiers)
	}
	classes := map[string]bool{}
	for i, pc := range c.Packaging.Classes {
		if strings.TrimSpace(pc.Class) == "" {
			return fmt.Errorf("packaging.classes[%d]: a class needs a name", i)
		}
		if len(pc.Types)+len(pc.Labels)+len(pc.Components) == 0 {
			return fmt.Errorf("packaging.classes[%d] (%s): give types, labels or components, or every item would match", i, pc.Class)
		}
		classes[strings.ToLower(pc.Class)] = true
	}
	for _, lv := range c.Packaging.Criticality {
		if strings.TrimSpace(lv.Name) == "" {
			return fmt.Errorf("packaging.criticality: a level needs a name")
		}
		for class, n := range lv.Maxima {
			if !classes[strings.ToLower(class)] {
				return fmt.Errorf("packaging.criticality %s: maxima name class %q, which packaging.classes does not define", lv.Name, class)
			}
			if n < 0 {
				return fmt.Errorf("packaging.criticality %s: maximum %s %d must not be negative", lv.Name, class, n)
			}
		}
	}
	for _, lvl := range c.Promotion.Order {
		if len(lvl) == 0 {
			return fmt.Errorf("promotion.order: an empty level")
		}
		for _, env := range lvl {
			if c.IsProduction(env) {
				return fmt.Errorf("promotion.order: %q is a production environment; list only the environments below production", env)
			}
		}
	}
	if c.Readiness.UpcomingReleases < 0 || c.Readiness.LateDays < 0 {
		return fmt.Errorf("readiness: upcoming_releases and late_days must not be negative")
	}
	return nil
}
