-- name: teams :many
-- description: Every team the marts know, with its delivered items, open committed items,
-- description: backlog items, deployment runs and releases: the names --team accepts.
with seen as (
    select team, 'delivered' as what from mart_cycle_time
    union all
    select team, 'open' from mart_aging_wip
    union all
    select team, 'backlog' from mart_backlog_aging
    union all
    select team, 'deployment' from mart_deployments
    union all
    select team, 'release' from mart_release_health
)

select
    team,
    count(*) filter (where what = 'delivered') as delivered_items,
    count(*) filter (where what = 'open') as open_items,
    count(*) filter (where what = 'backlog') as backlog_items,
    count(*) filter (where what = 'deployment') as deployment_runs,
    count(*) filter (where what = 'release') as releases
from seen
where team is not null
group by team
order by team
