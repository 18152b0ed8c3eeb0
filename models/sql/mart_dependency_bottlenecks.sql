-- description: Which teams' items block other work: per blocking team, the items they block, the
-- description: blocked days of those items (an item blocked by two teams counts for each), their
-- description: open blocking items that hold open items planned in upcoming releases, and how many
-- description: releases the blocked items belong to (recurrence across releases).
-- description: A blocker not in the warehouse is attributed to its key's project.
-- grain: one row per blocking team
-- column: blocked_days: sum of the known blocked days of the blocked items; null when none is known (no status history: unknown, not zero)
-- column: items_without_history: blocked items whose blocked time is unknown (no status history), left out of blocked_days
-- column: blocked_teams: the teams whose items it blocks
-- column: open_blockers: its open blocking items that block an open item of an upcoming release
-- column: open_blocker_keys: those blocking items
-- column: upcoming_releases: the upcoming releases those blocked items are planned into
-- column: releases_affected: distinct releases (fix versions) of every item it blocked
-- column: recurring: it blocked items of at least two releases
-- test: unique(blocker_team)
-- test: not_null(blocker_team)
with links as (
    select
        l.*,
        bt.blocked_days,
        row_number() over (partition by l.blocker_team, l.source, l.blocked_key) = 1 as first_for_item
    from int_blocking_links as l
    left join mart_blocked_time as bt on bt.source = l.source and bt.item_key = l.blocked_key
),

upcoming_holds as (
    select
        blocker_team,
        count(distinct blocker_key) as open_blockers,
        list(distinct blocker_key order by blocker_key) as open_blocker_keys,
        list(distinct upcoming_release order by upcoming_release) as upcoming_releases
    from links
    where blocker_open and blocked_open and upcoming_release is not null
    group by all
),

versions as (
    select blocker_team, blocked_project, lower(trim(unnest(blocked_fix_versions))) as version_key
    from links
),

recurrence as (
    select blocker_team, count(distinct (blocked_project, version_key)) as releases_affected
    from versions
    group by all
)

select
    l.blocker_team,
    count(distinct l.blocked_key) as blocked_items,
    list(distinct l.blocked_team order by l.blocked_team) as blocked_teams,
    -- (summed as decimals, exactly: a sum of doubles depends on the order DuckDB's threads add them,
    -- and its last digits changed from one build of the same warehouse to the next)
    sum(l.blocked_days::decimal(38, 12)) filter (where l.first_for_item)::double as blocked_days,
    count(distinct l.blocked_key) filter (where l.blocked_days is null) as items_without_history,
    coalesce(any_value(u.open_blockers), 0) as open_blockers,
    coalesce(any_value(u.open_blocker_keys), []) as open_blocker_keys,
    coalesce(any_value(u.upcoming_releases), []) as upcoming_releases,
    coalesce(any_value(r.releases_affected), 0) as releases_affected,
    coalesce(any_value(r.releases_affected), 0) >= 2 as recurring
from links as l
left join upcoming_holds as u using (blocker_team)
left join recurrence as r using (blocker_team)
group by l.blocker_team
