-- name: release_scorecard :many
-- description: Releases released, or planned, in a period [start, end) with their health: scope
-- description: at freeze and its churn, volatility, deployments, failures, incidents, success,
-- description: and the days between the planned and the actual release (positive: late).
-- param: team = % a team's exact name; % for every team
-- param: start = - period start (RFC 3339 or date); - for six months before as_of's month
-- param: end = - period end, exclusive (RFC 3339 or date); - for as_of
with p as (
    select
        case when $start = '-' then date_trunc('month', s.as_of) - interval 6 month else $start::timestamptz end as start_at,
        case when $end = '-' then s.as_of else $end::timestamptz end as end_at
    from relscope_settings as s
)

select
    release,
    team,
    planned_date,
    released_at,
    is_released,
    items,
    planned_at_freeze,
    added_after_freeze,
    removed_after_freeze,
    round(scope_volatility, 3) as scope_volatility,
    deployments,
    failed_deployments,
    incidents,
    successful,
    round(date_diff('second', planned_date::timestamptz, released_at) / 86400.0, 1) as slip_days
from mart_release_health
where ($team = '%' or team = $team)
    and coalesce(released_at, planned_date::timestamptz) >= (select start_at from p)
    and coalesce(released_at, planned_date::timestamptz) < (select end_at from p)
order by coalesce(released_at, planned_date::timestamptz), release
