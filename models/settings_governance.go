package models

import (
	"context"
	"sort"
	"strings"

	"github.com/relscope/relscope/config"
)

// writeGovernance writes the release manager's rules (config/governance.go) as the settings
// tables the priority, compliance, packaging, freeze, readiness and forecast models read.
// Names are lowercased and trimmed here, once, so the models compare lowercased values only.
//
//	relscope_governance        one row: default tier, sizes, endorsement tiers and labels,
//	                           critical priorities, readiness labels, upcoming count, late days,
//	                           forecast backtest days
//	relscope_risk_rules        risk rules in order: tier, regulated, sign-off label, matches
//	relscope_item_fields       raw-record fields the rules read (risk, signoff, endorsement,
//	                           rollback_criteria, test_evidence), as JSON pointers
//	relscope_priority_weights  priority -> time criticality
//	relscope_tier_weights      risk tier -> risk reduction
//	relscope_packaging_classes packaging classes in order
//	relscope_packaging_levels  release criticality levels in order, with their maxima
//	relscope_promotion         environment -> level below production (1 = lowest)
//	relscope_ci_aliases        CMDB configuration item -> service
func writeGovernance(ctx context.Context, conn settingsConn, cfg *config.Config) error {
	lower := func(xs []string) []string {
		out := make([]string, 0, len(xs))
		for _, x := range xs {
			if x = strings.ToLower(strings.TrimSpace(x)); x != "" {
				out = append(out, x)
			}
		}
		return out
	}
	g, rd := cfg.Endorsement, cfg.Readiness
	// The driver binds a list of integers from []int32 (a []int panics inside it).
	tiers := []int32{}
	for _, t := range g.Tiers {
		tiers = append(tiers, int32(t))
	}
	stmts := []struct {
		sql  string
		args []any
	}{
		{`create or replace table relscope_governance as select ?::integer as default_tier, ?::double as hours_per_point,
    ?::double as default_size, ?::integer[] as endorsement_tiers, ?::varchar[] as endorsement_labels,
    ?::varchar[] as critical_priorities, ?::varchar[] as rollback_labels, ?::varchar[] as test_evidence_labels,
    ?::integer as upcoming_releases, ?::integer as late_days, ?::integer as forecast_backtest_days`,
			[]any{cfg.Priority.DefaultTier, cfg.Priority.HoursPerPoint, cfg.Priority.DefaultSize, tiers, lower(g.Labels),
				lower(cfg.Freeze.CriticalPriorities), lower(rd.RollbackCriteria.Labels), lower(rd.TestEvidence.Labels),
				rd.UpcomingReleases, rd.LateDays, cfg.ForecastBacktestDays}},
		{`create or replace table relscope_risk_rules (rule_order integer, name varchar, tier integer, regulated boolean,
    signoff_label varchar, labels varchar[], components varchar[], types varchar[], priorities varchar[])`, nil},
		{`create or replace table relscope_item_fields (purpose varchar, rule_order integer, field varchar,
    pointers varchar[], accepted varchar[])`, nil},
		{`create or replace table relscope_priority_weights (priority varchar, time_criticality double)`, nil},
		{`create or replace table relscope_tier_weights (tier integer, risk_reduction double)`, nil},
		{`create or replace table relscope_packaging_classes (rule_order integer, class varchar, types varchar[],
    labels varchar[], components varchar[])`, nil},
		{`create or replace table relscope_packaging_levels (level_order integer, criticality varchar,
    release_globs varchar[], services varchar[], class varchar, maximum integer)`, nil},
		{`create or replace table relscope_promotion (level integer, position integer, environment varchar)`, nil},
		{`create or replace table relscope_ci_aliases (ci varchar, service varchar)`, nil},
	}
	field := func(purpose string, rule int, name string, accepted []string) {
		// A field is looked up at the top of the raw record (CSV exports) and under "fields"
		// (Jira REST issues); JSON pointers need ~ and / escaped, and never fail on quotes.
		esc := strings.NewReplacer("~", "~0", "/", "~1").Replace(strings.TrimSpace(name))
		stmts = append(stmts, struct {
			sql  string
			args []any
		}{`insert into relscope_item_fields values (?, ?, ?, ?::varchar[], ?::varchar[])`,
			[]any{purpose, rule, name, []string{"/" + esc, "/fields/" + esc}, lower(accepted)}})
	}
	add := func(q string, args ...any) {
		stmts = append(stmts, struct {
			sql  string
			args []any
		}{q, args})
	}
	for i, r := range cfg.Risk {
		add(`insert into relscope_risk_rules values (?, ?, ?, ?, nullif(?, ''), ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[])`,
			i+1, r.Name, r.Tier, r.Regulated, strings.ToLower(strings.TrimSpace(r.Signoff)),
			lower(r.Labels), lower(r.Components), lower(r.Types), lower(r.Priorities))
		names := make([]string, 0, len(r.Fields))
		for f := range r.Fields {
			names = append(names, f)
		}
		sort.Strings(names)
		for _, f := range names {
			field("risk", i+1, f, r.Fields[f])
		}
		if r.Regulated && r.SignoffField != "" {
			field("signoff", i+1, r.SignoffField, nil)
		}
	}
	for _, f := range g.Fields {
		field("endorsement", 0, f, nil)
	}
	for _, f := range rd.RollbackCriteria.Fields {
		field("rollback_criteria", 0, f, nil)
	}
	for _, f := range rd.TestEvidence.Fields {
		field("test_evidence", 0, f, nil)
	}
	for p, w := range cfg.Priority.TimeCriticalityByPriority {
		add(`insert into relscope_priority_weights values (lower(trim(?)), ?)`, p, w)
	}
	for t, w := range cfg.Priority.RiskReductionByTier {
		add(`insert into relscope_tier_weights values (?, ?)`, t, w)
	}
	for i, c := range cfg.Packaging.Classes {
		add(`insert into relscope_packaging_classes values (?, lower(trim(?)), ?::varchar[], ?::varchar[], ?::varchar[])`,
			i+1, c.Class, lower(c.Types), lower(c.Labels), lower(c.Components))
	}
	for i, lv := range cfg.Packaging.Criticality {
		// One row per level and class maximum; a level without maxima still gets a row (class
		// null) so that releases matching it are known to be unlimited.
		if len(lv.Maxima) == 0 {
			add(`insert into relscope_packaging_levels values (?, ?, ?::varchar[], ?::varchar[], null, null)`,
				i+1, lv.Name, lower(lv.Releases), lower(lv.Services))
		}
		for class, n := range lv.Maxima {
			add(`insert into relscope_packaging_levels values (?, ?, ?::varchar[], ?::varchar[], lower(trim(?)), ?)`,
				i+1, lv.Name, lower(lv.Releases), lower(lv.Services), class, n)
		}
	}
	for i, lvl := range cfg.Promotion.Order {
		for j, env := range lvl {
			add(`insert into relscope_promotion values (?, ?, lower(trim(?)))`, i+1, j+1, env)
		}
	}
	for ci, svc := range cfg.CIAliases {
		add(`insert into relscope_ci_aliases values (lower(trim(?)), lower(trim(?)))`, ci, svc)
	}
	for _, st := range stmts {
		if _, err := conn.ExecContext(ctx, st.sql, st.args...); err != nil {
			return err
		}
	}
	return nil
}
