-- name: cycle_time_histogram :many
-- description: How many items delivered in a period [start, end) took each range of cycle time:
-- description: bins of days 0-1, 1-2, 2-3, 3-5, 5-8, 8-13, 13-21, 21-34, 34-55, 55+ (lower bound
-- description: included), every bin listed.
-- param: team = % a team's exact name; % for every team
-- param: start = - period start (RFC 3339 or date); - for six months before as_of's month
-- param: end = - period end, exclusive (RFC 3339 or date); - for as_of
with p as (
    select
        case when $start = '-' then date_trunc('month', s.as_of) - interval 6 month else $start::timestamptz end as start_at,
        case when $end = '-' then s.as_of else $end::timestamptz end as end_at
    from relscope_settings as s
),

bins(bin, lo, hi) as (
    values (1, 0, 1), (2, 1, 2), (3, 2, 3), (4, 3, 5), (5, 5, 8), (6, 8, 13), (7, 13, 21),
        (8, 21, 34), (9, 34, 55), (10, 55, null)
),

items as (
    select cycle_time_days
    from mart_cycle_time
    where ($team = '%' or team = $team)
        and cycle_time_days is not null
        and delivered_at >= (select start_at from p)
        and delivered_at < (select end_at from p)
)

select
    b.bin,
    case when b.hi is null then b.lo || '+' else b.lo || '-' || b.hi end as days,
    count(i.cycle_time_days) as items
from bins as b
left join items as i on i.cycle_time_days >= b.lo and (b.hi is null or i.cycle_time_days < b.hi)
group by b.bin, b.lo, b.hi
order by b.bin
