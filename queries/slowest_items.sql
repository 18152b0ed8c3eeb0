-- name: slowest_items :many
-- description: The slowest delivered items (by cycle time, committed to delivered) in a period —
-- description: by default the 90 days up to as_of. Why was this slow? Start here.
-- param: team = % a team's exact name; % for every team
-- param: since = - delivered on or after this date (YYYY-MM-DD); - for 90 days before as_of
-- param: top = 20 how many items
select
    c.item_key,
    c.team,
    c.item_type,
    c.title,
    round(c.cycle_time_days, 1) as cycle_time_days,
    round(c.lead_time_days, 1) as lead_time_days,
    c.committed_at,
    c.delivered_at,
    c.delivered_via,
    round(bt.blocked_days, 1) as blocked_days
from mart_cycle_time as c
left join mart_blocked_time as bt using (source, item_key)
cross join relscope_settings as s
where ($team = '%' or c.team = $team)
    and c.cycle_time_days is not null
    and c.delivered_at >= coalesce(try_cast(nullif($since, '-') as date)::timestamptz, s.as_of - interval 90 day)
order by c.cycle_time_days desc
limit $top::integer
