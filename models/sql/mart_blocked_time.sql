-- description: Time each item spent in a blocked-category status (summed over its blocked spells,
-- description: the last one running until as_of), and who blocks it: the items recorded as
-- description: blocking it, their teams, which of them are still open, and the upcoming release
-- description: it is planned into.
-- grain: one row per item that was blocked or has a blocker (source, item_key)
-- column: blocked_days: null when the item has no status history (unknown, not zero)
-- column: blocked_since: the start of the blocked spell the item is in at as_of (null: not blocked now)
-- column: blocked_by: every item recorded as blocking it
-- column: blocker_teams: the teams of those items (a blocker not in the warehouse: its key's project)
-- column: open_blockers: those of its blockers not done or cancelled (unknown ones count as open)
-- column: upcoming_release: the earliest upcoming release holding the item (null: none)
-- test: unique(source, item_key)
-- test: expression(blocked_days >= 0)
with spells as (
    select
        source,
        item_key,
        -- (summed as decimals, exactly: a sum of doubles depends on the order DuckDB's threads add them,
        -- and its last digits changed from one build of the same warehouse to the next)
        sum(days::decimal(38, 12))::double as blocked_days,
        count(*) as blocked_spells,
        max(started_at) filter (where ended_at >= (select as_of from relscope_settings)) as current_spell_start
    from int_status_spells
    where category = 'blocked'
    group by all
),

blockers as (
    select
        source,
        blocked_key as item_key,
        list(distinct blocker_key order by blocker_key) as blocked_by,
        list(distinct blocker_team order by blocker_team) as blocker_teams,
        coalesce(list(distinct blocker_key order by blocker_key) filter (where blocker_open), []) as open_blockers
    from int_blocking_links
    group by all
),

items as (
    select source, item_key from spells
    union
    select source, item_key from blockers
)

select
    i.item_key,
    i.source,
    w.team,
    w.item_type,
    w.status,
    w.status_category,
    w.fix_versions,
    case when c.has_status_history then coalesce(sp.blocked_days, 0) end as blocked_days,
    coalesce(sp.blocked_spells, 0) as blocked_spells,
    case when w.status_category = 'blocked' then sp.current_spell_start end as blocked_since,
    coalesce(b.blocked_by, []) as blocked_by,
    coalesce(b.blocker_teams, []) as blocker_teams,
    coalesce(b.open_blockers, []) as open_blockers,
    up.upcoming_release
from items as i
join stg_relscope__work_items as w using (source, item_key)
join int_item_commitment as c using (source, item_key)
left join spells as sp using (source, item_key)
left join blockers as b using (source, item_key)
left join int_item_upcoming_release as up using (source, item_key)
