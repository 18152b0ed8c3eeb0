-- description: Who blocks whom, team to team: per blocking team and blocked team, the blocking
-- description: relations, the distinct items blocked and their blocked days, those still open
-- description: (open blocker, open blocked item), and the releases the blocked items belong to.
-- description: The graph of blocking teams on the dashboard is drawn from it.
-- grain: one row per blocking team and blocked team
-- column: links: blocking relations between the two teams
-- column: blocked_days: known blocked days of the blocked items, each once; null when none is known (no status history)
-- column: items_without_history: blocked items whose blocked time is unknown, left out of blocked_days
-- column: open_links: relations whose blocker and blocked item are both still open
-- column: open_on_upcoming: open relations whose blocked item is planned into an upcoming release
-- column: releases_affected: distinct releases (fix versions) of the blocked items
-- test: unique(blocker_team, blocked_team)
-- test: not_null(blocker_team, blocked_team, links)
with links as (
    select
        l.*,
        bt.blocked_days,
        row_number() over (partition by l.blocker_team, l.blocked_team, l.source, l.blocked_key) = 1 as first_for_item
    from int_blocking_links as l
    left join mart_blocked_time as bt on bt.source = l.source and bt.item_key = l.blocked_key
),

versions as (
    select blocker_team, blocked_team, count(distinct (blocked_project, version_key)) as releases_affected
    from (
        select blocker_team, blocked_team, blocked_project, lower(trim(unnest(blocked_fix_versions))) as version_key
        from links
    )
    group by all
)

select
    l.blocker_team,
    l.blocked_team,
    count(*) as links,
    count(distinct l.blocked_key) as blocked_items,
    -- (summed as decimals, exactly: a sum of doubles depends on the order DuckDB's threads add them,
    -- and its last digits changed from one build of the same warehouse to the next)
    sum(l.blocked_days::decimal(38, 12)) filter (where l.first_for_item)::double as blocked_days,
    count(distinct l.blocked_key) filter (where l.blocked_days is null) as items_without_history,
    count(*) filter (where l.blocker_open and l.blocked_open) as open_links,
    count(*) filter (where l.blocker_open and l.blocked_open and l.upcoming_release is not null) as open_on_upcoming,
    coalesce(any_value(v.releases_affected), 0) as releases_affected
from links as l
left join versions as v using (blocker_team, blocked_team)
group by l.blocker_team, l.blocked_team
