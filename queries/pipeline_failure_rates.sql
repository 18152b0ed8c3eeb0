-- name: pipeline_failure_rates :many
-- description: Pipeline failure rate per team and environment over a period [start, end):
-- description: finished deployment runs, failed runs, and failed / finished (of the monthly
-- description: mart's months that start in the period).
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
    sum(runs) as runs,
    sum(failures) as failures,
    round(sum(failures) / nullif(sum(runs), 0), 3) as failure_rate
from mart_pipeline_failures
where ($team = '%' or team = $team)
    and month >= date_trunc('month', (select start_at from p))::date
    and month < (select end_at from p)
group by all
order by team, environment
