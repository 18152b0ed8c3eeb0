-- description: The releases readiness and forecasts are about: not released by as_of, planned on
-- description: or after as_of's date — or less than readiness.late_days before it (late, not
-- description: gone) — and, when readiness.upcoming_releases is above 0, only the next that many
-- description: of each project by planned date. The team is the one most of its items belong to.
-- grain: one row per upcoming release (source, project, release)
-- column: is_late: the planned date is before as_of's date and the release is not out
-- column: upcoming_rank: 1 for the project's next release by planned date, 2 for the one after, …
-- column: items: items the release holds now (int_release_items)
-- test: unique(source, project, release)
-- test: not_null(release, planned_date, team)
with candidates as (
    select
        r.source,
        r.project,
        r.release,
        r.planned_date,
        r.freeze_date,
        r.freeze_at,
        r.planned_date < s.as_of::date as is_late,
        row_number() over (partition by r.source, r.project order by r.planned_date, r.release) as upcoming_rank,
        g.upcoming_releases
    from stg_relscope__releases as r
    cross join relscope_settings as s
    cross join relscope_governance as g
    where not coalesce(r.released_at <= s.as_of, r.is_released)
        and r.planned_date >= s.as_of::date - g.late_days
),

members as (
    select release_source as source, project, release, count(*) as items, mode(team) as team
    from int_release_items
    group by all
)

select
    c.source,
    c.project,
    c.release,
    coalesce(m.team, relscope_team(c.project)) as team,
    c.planned_date,
    c.freeze_date,
    c.freeze_at,
    c.is_late,
    c.upcoming_rank,
    coalesce(m.items, 0) as items
from candidates as c
left join members as m using (source, project, release)
where c.upcoming_releases = 0 or c.upcoming_rank <= c.upcoming_releases
