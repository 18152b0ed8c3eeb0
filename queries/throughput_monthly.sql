-- name: throughput_monthly :many
-- description: Items delivered per team and month of delivery (UTC) in a period [start, end),
-- description: whether or not their commitment point is known.
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
    month,
    count(*) as items
from mart_cycle_time
where ($team = '%' or team = $team)
    and delivered_at >= (select start_at from p)
    and delivered_at < (select end_at from p)
group by all
order by month, team
