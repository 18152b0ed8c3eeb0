-- name: cycle_time_summary :many
-- description: Cycle-time percentiles (P50, P85, P95, interpolated) and the number of items
-- description: delivered with a cycle time in a period [start, end). The first row is the whole
-- description: scope (team empty); with per_team=true, a row follows for each team that
-- description: delivered an item with a cycle time in the period.
-- param: team = % a team's exact name; % for every team
-- param: start = - period start (RFC 3339 or date); - for six months before as_of's month
-- param: end = - period end, exclusive (RFC 3339 or date); - for as_of
-- param: per_team = false true for a row per team after the scope's
with p as (
    select
        case when $start = '-' then date_trunc('month', s.as_of) - interval 6 month else $start::timestamptz end as start_at,
        case when $end = '-' then s.as_of else $end::timestamptz end as end_at
    from relscope_settings as s
),

g as (
    select
        grouping(team) = 1 as is_scope,
        team,
        count(*) as items,
        quantile_cont(cycle_time_days, 0.5) as p50,
        quantile_cont(cycle_time_days, 0.85) as p85,
        quantile_cont(cycle_time_days, 0.95) as p95,
        avg(cycle_time_days) as mean
    from mart_cycle_time
    where ($team = '%' or team = $team)
        and cycle_time_days is not null
        and delivered_at >= (select start_at from p)
        and delivered_at < (select end_at from p)
    group by grouping sets ((), (team))
)

select
    case when is_scope then null else team end as team,
    items,
    round(p50, 1) as p50_days,
    round(p85, 1) as p85_days,
    round(p95, 1) as p95_days,
    round(mean, 1) as mean_days
from g
where is_scope or $per_team::boolean
order by is_scope desc, team
