-- name: watch_blockers :many
-- description: What a job run watches for blocker_changed: every item that blocks an open item
-- description: of another team, with its status now (key source|item, value status, detail JSON).
with pairs as (
    select b.source, b.item_key as blocked_key, b.team as blocked_team, k.blocker_key
    from mart_blocked_time as b
    cross join unnest(b.blocked_by) as k(blocker_key)
    where b.status_category not in ('done', 'cancelled')
)

select
    p.source || '|' || p.blocker_key as key,
    w.status as value,
    to_json({
        item: p.blocker_key,
        team: w.team,
        title: w.title,
        category: w.status_category,
        blocks: string_agg(p.blocked_key || ' (' || p.blocked_team || ')', ', ' order by p.blocked_key)
    })::varchar as detail
from pairs as p
join stg_relscope__work_items as w on w.source = p.source and w.item_key = p.blocker_key
where w.team <> p.blocked_team
group by p.source, p.blocker_key, w.status, w.team, w.title, w.status_category
order by key
