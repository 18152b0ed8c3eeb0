-- description: Who blocks what, item by item: every blocking relation of int_blocking_links (the
-- description: one place blockers are looked up: by key in the blocked item's source, else in any
-- description: source; one not in the warehouse gets its key's project as team, through
-- description: team_aliases, and counts as open), with the blocked item's blocked days and the
-- description: blocking item's title — for the named queries and jobs that list blockers.
-- grain: one row per blocked item and blocking item (source, blocked_key, blocker_key)
-- column: source: the source of the blocked item (and of the link)
-- column: blocked_key: the item held up
-- column: blocked_team: the blocked item's team
-- column: blocked_status: the blocked item's status as exported
-- column: blocked_category: the blocked item's status category
-- column: blocked_open: the blocked item is not done or cancelled
-- column: blocked_days: the blocked item's blocked days (mart_blocked_time; null when unknown)
-- column: blocker_key: the blocking item's key
-- column: blocker_team: the blocking item's team, else its key's project through team_aliases
-- column: blocker_status: the blocking item's status as exported (null when it is not in the warehouse)
-- column: blocker_category: the blocking item's status category, or unknown when it is not in the warehouse
-- column: blocker_known: the blocking item is in the warehouse
-- column: blocker_open: the blocking item is not done or cancelled (unknown blockers count as open)
-- column: blocker_title: the blocking item's title (null when it is not in the warehouse)
-- column: upcoming_release: the earliest upcoming release holding the blocked item (null: none)
-- test: unique(source, blocked_key, blocker_key)
-- test: not_null(blocked_key, blocker_key, blocker_team, blocker_category)
with titles as (
    select item_key, arg_min(title, source) as title
    from stg_relscope__work_items
    where item_key in (select blocker_key from stg_relscope__links)
    group by all
)

select
    l.source,
    l.blocked_key,
    l.blocked_team,
    l.blocked_status,
    l.blocked_category,
    l.blocked_open,
    bt.blocked_days,
    l.blocker_key,
    l.blocker_team,
    l.blocker_status,
    l.blocker_category,
    l.blocker_known,
    l.blocker_open,
    coalesce(same.title, t.title) as blocker_title,
    l.upcoming_release
from int_blocking_links as l
left join mart_blocked_time as bt on bt.source = l.source and bt.item_key = l.blocked_key
left join stg_relscope__work_items as same on same.source = l.source and same.item_key = l.blocker_key
-- Only where the blocked item's own source lacks the blocker; one equality, so a hash join
-- (see int_blocking_links).
left join titles as t on t.item_key = case when same.item_key is null then l.blocker_key end
