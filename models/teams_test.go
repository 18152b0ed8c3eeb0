package models_test

import (
	"sort"
	"strings"
	"testing"

	"github.com/relscope/relscope/internal/demowarehouse"
)

// One team resolution for every mart (DESIGN §5): in the demo — whose trackers name teams
// after project keys, repositories and area paths, and whose releases carry project keys —
// every team column of every mart holds only the organisation's team names, so the same team
// never appears under two names (release marts used to show CHK beside Checkout).
func TestOneNamePerTeamInEveryMart(t *testing.T) {
	w := demowarehouse.Open(t, demowarehouse.Demo)
	names := map[string]bool{}
	for _, team := range w.Config.ServiceTeams {
		names[w.Config.Team(team)] = true
	}
	cols := rows(t, w.Warehouse, `select table_name || '.' || column_name from duckdb_columns()
        where table_name like 'mart_%' and column_name in ('team', 'blocker_team') order by 1`)
	checked := 0
	for _, tc := range strings.Split(cols, "\n") {
		table, col, _ := strings.Cut(tc, ".")
		got := rows(t, w.Warehouse, "select distinct "+col+" from "+table+" where "+col+" is not null order by 1")
		if got == "" {
			continue
		}
		checked++
		var stray []string
		for _, team := range strings.Split(got, "\n") {
			if !names[team] {
				stray = append(stray, team)
			}
		}
		sort.Strings(stray)
		if len(stray) > 0 {
			t.Errorf("%s has team names that are no team's name: %s (teams: %v)", tc, strings.Join(stray, ", "), names)
		}
	}
	if checked < 15 {
		t.Errorf("only %d mart team columns had rows", checked)
	}
}
