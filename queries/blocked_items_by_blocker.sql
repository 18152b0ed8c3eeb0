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
    select o.source, o.item_key, o.blocked_days, b.blocker_key
    from open_items as o
    cross join unnest(o.blocked_by) as b(blocker_key)
    left join stg_relscope__work_items as w on w.source = o.source and w.item_key = b.blocker_key
    where coalesce(w.status_category, 'unknown') not in ('done', 'cancelled')
),

unexplained as (
    select o.source, o.item_key, o.blocked_days, null as blocker_key
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
    coalesce(w.team, regexp_extract(h.blocker_key, '^(.*)-[0-9]+$', 1)) as blocker_team,
    case when h.blocker_key is not null then coalesce(w.status, '(not in the warehouse)') end as blocker_status,
    count(*) as blocked_items,
    round(sum(h.blocked_days), 1) as blocked_days,
    list(h.item_key order by h.item_key) as items
from held as h
left join stg_relscope__work_items as w on w.source = h.source and w.item_key = h.blocker_key
group by all
order by blocked_items desc, blocked_days desc nulls last, blocker_key
