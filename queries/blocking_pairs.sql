-- name: blocking_pairs :many
-- description: Who blocks whom: per blocking team and blocked team, the items blocked and their
-- description: blocked days (an item blocked by two teams counts for each). A blocking item is
-- description: found by its key in any source; one the marts do not hold is attributed to its
-- description: key's project, as mart_dependency_bottlenecks does.
-- param: team = % the blocked items' team (its exact name); % for every team
with blocked as (
    select b.source, b.item_key, b.team, b.blocked_days, k.blocker_key
    from mart_blocked_time as b
    cross join unnest(b.blocked_by) as k(blocker_key)
    where ($team = '%' or b.team = $team)
),

known as (
    select item_key, any_value(team) as team
    from (
        select item_key, team from mart_cycle_time
        union all
        select item_key, team from mart_aging_wip
        union all
        select item_key, team from mart_backlog_aging
        union all
        select item_key, team from mart_blocked_time
    )
    group by item_key
),

pairs as (
    select distinct
        coalesce(k.team, nullif(regexp_extract(b.blocker_key, '^(.*)-[0-9]+$', 1), ''), b.blocker_key) as blocker_team,
        b.team as blocked_team,
        b.source,
        b.item_key,
        b.blocked_days
    from blocked as b
    left join known as k on k.item_key = b.blocker_key
)

select
    blocker_team,
    blocked_team,
    count(*) as blocked_items,
    round(sum(blocked_days), 1) as blocked_days
from pairs
where blocker_team <> blocked_team
group by all
order by blocked_items desc, blocker_team, blocked_team
