-- name: estimation_ratios :many
-- description: How actual hours compared with planned for items done in a period [start, end):
-- description: items per team and ratio band (actual / planned: under 0.5, 0.5-0.8, 0.8-1.25
-- description: i.e. within ±25%, 1.25-2, 2 and over), every band listed per team.
-- param: team = % a team's exact name; % for every team
-- param: start = - period start (RFC 3339 or date); - for six months before as_of's month
-- param: end = - period end, exclusive (RFC 3339 or date); - for as_of
with p as (
    select
        case when $start = '-' then date_trunc('month', s.as_of) - interval 6 month else $start::timestamptz end as start_at,
        case when $end = '-' then s.as_of else $end::timestamptz end as end_at
    from relscope_settings as s
),

bands(band, label, lo, hi) as (
    values (1, '< 0.5', null, 0.5), (2, '0.5-0.8', 0.5, 0.8), (3, '0.8-1.25', 0.8, 1.25),
        (4, '1.25-2', 1.25, 2.0), (5, '>= 2', 2.0, null)
),

items as (
    select team, ratio
    from mart_estimation_accuracy
    where ($team = '%' or team = $team)
        and resolved_at >= (select start_at from p)
        and resolved_at < (select end_at from p)
),

teams as (select distinct team from items)

select
    t.team,
    b.band,
    b.label as ratio,
    count(i.ratio) as items
from teams as t
cross join bands as b
left join items as i on i.team = t.team and (b.lo is null or i.ratio >= b.lo) and (b.hi is null or i.ratio < b.hi)
group by all
order by t.team, b.band
