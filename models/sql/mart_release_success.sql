-- description: Release success rate per team and month of release: successful releases / releases
-- description: released that month (see mart_release_health for "successful").
-- grain: one row per team and month with at least one release
-- test: unique(team, month)
-- test: expression(success_rate between 0 and 1)
select
    team,
    release_month as month,
    count(*) as releases,
    count(*) filter (where successful) as successful_releases,
    count(*) filter (where successful) / count(*) as success_rate
from mart_release_health
where released_at is not null
group by all
