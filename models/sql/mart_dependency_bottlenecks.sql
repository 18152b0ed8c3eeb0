-- description: Which teams' items block other work: per blocking team, the items they block, the
-- description: blocked days of those items (an item blocked by two teams counts for each), their
-- description: blocking items still open that block items planned in unreleased releases, and how
-- description: many releases the blocked items belong to (recurrence across releases).
-- description: A blocker not in the warehouse is attributed to its key's project.
-- grain: one row per blocking team
-- column: blocked_days: sum of the known blocked days of the blocked items; null when none is known (no status history: unknown, not zero)
-- column: items_without_history: blocked items whose blocked time is unknown (no status history), left out of blocked_days
-- test: unique(blocker_team)
-- test: not_null(blocker_team)
with links as (
    select
        l.source,
        l.blocked_key,
        l.blocker_key,
        coalesce(bw.team, regexp_extract(l.blocker_key, '^(.*)-[0-9]+$', 1)) as blocker_team,
        coalesce(bw.status_category, 'unknown') as blocker_category
    from stg_relscope__links as l
    left join stg_relscope__work_items as bw on bw.source = l.source and bw.item_key = l.blocker_key
),

blocked as (
    select
        lk.*,
        bt.blocked_days,
        w.fix_versions,
        w.project
    from links as lk
    join stg_relscope__work_items as w on w.source = lk.source and w.item_key = lk.blocked_key
    left join mart_blocked_time as bt on bt.source = lk.source and bt.item_key = lk.blocked_key
),

upcoming as (
    select r.project, lower(trim(r.release)) as version_key
    from stg_relscope__releases as r
    where not r.is_released
),

blocked_versions as (
    select b.blocker_team, b.blocker_key, b.blocker_category, b.project, lower(trim(unnest(b.fix_versions))) as version_key
    from blocked as b
)

select
    b.blocker_team,
    count(distinct b.blocked_key) as blocked_items,
    sum(b.blocked_days) filter (where b.first_for_item) as blocked_days,
    (select count(distinct bv.blocker_key) from blocked_versions as bv
        join upcoming as u on u.project = bv.project and u.version_key = bv.version_key
        where bv.blocker_team = b.blocker_team and bv.blocker_category not in ('done', 'cancelled')) as open_blockers,
    (select count(distinct (bv.project, bv.version_key)) from blocked_versions as bv
        where bv.blocker_team = b.blocker_team) as releases_affected,
    count(distinct b.blocked_key) filter (where b.blocked_days is null) as items_without_history
from (
    select *, row_number() over (partition by blocker_team, source, blocked_key) = 1 as first_for_item
    from blocked
) as b
group by b.blocker_team
