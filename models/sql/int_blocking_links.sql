-- description: Who blocks whom: every blocking relation with both items' teams and states. The
-- description: blocking item is looked up by key in the blocked item's source, else in any source
-- description: (a Jira issue blocked by a GitHub issue); one not in the warehouse is attributed to
-- description: its key's project (PAY-12 → PAY, repo#12 → repo) and counted as open.
-- description: upcoming_release is the earliest upcoming release holding the blocked item.
-- grain: one row per blocking relation (source, blocked_key, blocker_key)
-- column: blocker_known: the blocking item is in the warehouse
-- column: blocker_open: the blocking item is not done or cancelled (unknown blockers count as open)
-- column: blocked_open: the blocked item is not done or cancelled
-- column: upcoming_release: the earliest upcoming release holding the blocked item (null: none)
-- test: unique(source, blocked_key, blocker_key)
-- test: not_null(blocked_team, blocker_team, blocker_open, blocked_open)
with by_key as (
    select item_key, arg_min(team, source) as team, arg_min(status, source) as status,
        arg_min(status_category, source) as status_category
    from stg_relscope__work_items
    where item_key in (select blocker_key from stg_relscope__links)
    group by all
),

-- The team of each project key blockers are named with (the key's prefix), resolved once per
-- prefix rather than for every link (relscope_team is a lookup DuckDB would decorrelate).
links as (
    select *, nullif(regexp_extract(blocker_key, '^(.+)[-#][0-9]+$', 1), '') as blocker_prefix
    from stg_relscope__links
),

prefix_teams as (
    select blocker_prefix, relscope_team(blocker_prefix) as team
    from (select distinct blocker_prefix from links where blocker_prefix is not null)
)

select
    l.source,
    l.blocked_key,
    l.blocker_key,
    bw.team as blocked_team,
    bw.project as blocked_project,
    bw.status as blocked_status,
    bw.status_category as blocked_category,
    bw.status_category not in ('done', 'cancelled') as blocked_open,
    bw.fix_versions as blocked_fix_versions,
    coalesce(kw.team, ak.team, pt.team, '(unknown)') as blocker_team,
    coalesce(kw.status, ak.status) as blocker_status,
    coalesce(kw.status_category, ak.status_category, 'unknown') as blocker_category,
    kw.item_key is not null or ak.item_key is not null as blocker_known,
    coalesce(kw.status_category, ak.status_category, 'unknown') not in ('done', 'cancelled') as blocker_open,
    up.upcoming_release
from links as l
join stg_relscope__work_items as bw on bw.source = l.source and bw.item_key = l.blocked_key
left join stg_relscope__work_items as kw on kw.source = l.source and kw.item_key = l.blocker_key
-- Only where the blocked item's own source lacks the blocker: the key to match is null otherwise.
-- (Written as one equality so that DuckDB hashes it: "kw.item_key is null and ak.item_key =
-- l.blocker_key" was a nested-loop join, every link against every blocker key — 19 s of a
-- 200k-item build.)
left join by_key as ak on ak.item_key = case when kw.item_key is null then l.blocker_key end
left join prefix_teams as pt on pt.blocker_prefix = l.blocker_prefix
left join int_item_upcoming_release as up on up.source = l.source and up.item_key = l.blocked_key
