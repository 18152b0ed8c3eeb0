-- name: watch_blockers :many
-- description: What a job run watches for blocker_changed: every item that blocks an open item
-- description: of another team, with its status now (key source|item, value status, detail JSON).
-- description: From mart_blockers: a blocking item is found by its key in any source.
select
    b.source || '|' || b.blocker_key as key,
    b.blocker_status as value,
    to_json({
        item: b.blocker_key,
        team: b.blocker_team,
        title: b.blocker_title,
        category: b.blocker_category,
        blocks: string_agg(b.blocked_key || ' (' || b.blocked_team || ')', ', ' order by b.blocked_key)
    })::varchar as detail
from mart_blockers as b
where b.blocked_category not in ('done', 'cancelled')
    and b.blocker_known
    and b.blocker_team <> b.blocked_team
group by b.source, b.blocker_key, b.blocker_status, b.blocker_team, b.blocker_title, b.blocker_category
order by key
