-- name: pipeline_runs_monthly :many
-- description: Pipeline runs per team, environment and month that starts in a period [start, end):
-- description: finished runs, failed runs and the failure rate. A row per row of
-- description: mart_pipeline_failures.
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
    team,
    environment,
    month,
    runs,
    failures,
    failure_rate
from mart_pipeline_failures
where ($team = '%' or team = $team)
    and month >= date_trunc('month', (select start_at from p))::date
    and month < (select end_at from p)
order by month, team, environment
