-- description: Each team's cycle-time percentiles (p50, p85, p95; interpolated) over the items it
-- description: delivered in the 90 days before as_of: the yardstick aging WIP is compared with.
-- grain: one row per team
-- test: unique(team)
-- test: expression(p50_days <= p85_days and p85_days <= p95_days)
select
    c.team,
    count(*) as items,
    quantile_cont(c.cycle_time_days, 0.50) as p50_days,
    quantile_cont(c.cycle_time_days, 0.85) as p85_days,
    quantile_cont(c.cycle_time_days, 0.95) as p95_days
from mart_cycle_time as c
cross join relscope_settings as s
where c.cycle_time_days is not null
    and c.delivered_at > s.as_of - interval 90 day
    and c.delivered_at <= s.as_of
group by c.team
