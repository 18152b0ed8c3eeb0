-- name: blocked_items_by_blocker :many
-- description: Open items held up right now, grouped by what holds them: each blocking item that
-- description: is still open (not done or cancelled, or not in the warehouse), and "(no recorded
-- description: blocker)" for items in a blocked status with none. Most blocked items first.
-- param: team = % the blocked items' team (its exact name); % for every team
with open_items as (
    select *
    from mart_blocked_time
    where status_category not in ('done', 'cancelled')
        and ($team = '%' or team = $team)
),

by_blocker as (
    select b.source, b.blocked_key as item_key, b.blocked_days, b.blocker_key, b.blocker_team, b.blocker_status
    from mart_blockers as b
    join open_items as o on o.source = b.source and o.item_key = b.blocked_key
    where b.blocker_category not in ('done', 'cancelled')
),

unexplained as (
    select o.source, o.item_key, o.blocked_days, null as blocker_key, null as blocker_team, null as blocker_status
    from open_items as o
    where o.status_category = 'blocked'
        and not exists (select 1 from by_blocker as bb where bb.source = o.source and bb.item_key = o.item_key)
),

held as (
    select * from by_blocker
    union all
    select * from unexplained
)

select
    coalesce(h.blocker_key, '(no recorded blocker)') as blocker_key,
    h.blocker_team,
    case when h.blocker_key is not null then coalesce(h.blocker_status, '(not in the warehouse)') end as blocker_status,
    count(*) as blocked_items,
    round(sum(h.blocked_days), 1) as blocked_days,
    list(h.item_key order by h.item_key) as items
from held as h
group by all
order by blocked_items desc, blocked_days desc nulls last, blocker_key
