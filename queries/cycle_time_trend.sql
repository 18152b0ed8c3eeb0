-- name: cycle_time_trend :many
-- description: Cycle time per team and month of delivery: items, p50 and p85 (interpolated),
-- description: over the last N months up to as_of.
-- param: team = % a team's exact name; % for every team
-- param: months = 6 how many months, counting the month of as_of
select
    c.team,
    c.month,
    count(*) as items,
    round(quantile_cont(c.cycle_time_days, 0.5), 1) as p50_days,
    round(quantile_cont(c.cycle_time_days, 0.85), 1) as p85_days
from mart_cycle_time as c
cross join relscope_settings as s
where ($team = '%' or c.team = $team)
    and c.cycle_time_days is not null
    and c.month > date_trunc('month', s.as_of) - to_months($months::integer)
group by all
order by c.team, c.month
