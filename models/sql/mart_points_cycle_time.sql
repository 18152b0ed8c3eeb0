-- description: For teams that estimate in story points: cycle-time percentiles (p50, p85, p95)
-- description: per story-point value, over delivered items with a cycle time.
-- grain: one row per team and story-point value
-- test: unique(team, story_points)
select
    c.team,
    w.story_points,
    count(*) as items,
    quantile_cont(c.cycle_time_days, 0.50) as p50_days,
    quantile_cont(c.cycle_time_days, 0.85) as p85_days,
    quantile_cont(c.cycle_time_days, 0.95) as p95_days
from mart_cycle_time as c
join stg_relscope__work_items as w using (source, item_key)
where w.story_points is not null
    and c.cycle_time_days is not null
group by c.team, w.story_points
