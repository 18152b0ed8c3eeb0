-- name: cycle_time_summary :one
-- description: Cycle-time percentiles (P50, P85, P95, interpolated) and the number of items
-- description: delivered with a cycle time in a period [start, end).
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
    count(*) as items,
    round(quantile_cont(cycle_time_days, 0.5), 1) as p50_days,
    round(quantile_cont(cycle_time_days, 0.85), 1) as p85_days,
    round(quantile_cont(cycle_time_days, 0.95), 1) as p95_days,
    round(avg(cycle_time_days), 1) as mean_days
from mart_cycle_time
where ($team = '%' or team = $team)
    and cycle_time_days is not null
    and delivered_at >= (select start_at from p)
    and delivered_at < (select end_at from p)
