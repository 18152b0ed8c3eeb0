-- name: cycle_time_points :many
-- description: Delivered items with a cycle time in a period [start, end), for the cycle-time
-- description: scatter: at most $limit of them, an even pseudo-random sample (by a hash of the
-- description: key, so the same items every time) when there are more; total says how many there are.
-- param: team = % a team's exact name; % for every team
-- param: start = - period start (RFC 3339 or date); - for six months before as_of's month
-- param: end = - period end, exclusive (RFC 3339 or date); - for as_of
-- param: limit = 4000 most points returned
with p as (
    select
        case when $start = '-' then date_trunc('month', s.as_of) - interval 6 month else $start::timestamptz end as start_at,
        case when $end = '-' then s.as_of else $end::timestamptz end as end_at
    from relscope_settings as s
)

select
    item_key,
    team,
    item_type,
    delivered_at,
    round(cycle_time_days, 2) as cycle_time_days,
    count(*) over () as total
from mart_cycle_time
where ($team = '%' or team = $team)
    and cycle_time_days is not null
    and delivered_at >= (select start_at from p)
    and delivered_at < (select end_at from p)
qualify row_number() over (order by hash(source, item_key)) <= $limit::integer
order by delivered_at, item_key
