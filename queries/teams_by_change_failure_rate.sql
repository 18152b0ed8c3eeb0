-- name: teams_by_change_failure_rate :many
-- description: Teams ranked by change failure rate over the last N months up to as_of, with
-- description: deployments, failures, median recovery and the DORA band of the period's rate.
-- param: months = 3 how many months, counting the month of as_of
with period as (
    select d.*
    from mart_deployments as d
    cross join relscope_settings as s
    where d.is_failure is not null
        and d.month > date_trunc('month', s.as_of) - to_months($months::integer)
),

per_team as (
    select
        team,
        count(*) as deployments,
        count(*) filter (where is_failure) as failed,
        count(*) filter (where is_failure) / count(*) as change_failure_rate,
        quantile_cont(recovery_hours, 0.5) filter (where is_failure) as recovery_hours_p50
    from period
    group by team
)

select
    p.team,
    p.deployments,
    p.failed,
    round(p.change_failure_rate, 3) as change_failure_rate,
    round(p.recovery_hours_p50, 1) as recovery_hours_p50,
    relscope_dora_band('change_failure_rate', p.change_failure_rate) as change_failure_rate_band
from per_team as p
order by p.change_failure_rate desc, p.deployments desc
