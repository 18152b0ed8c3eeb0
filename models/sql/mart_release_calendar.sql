-- description: Every release with its public state, for the release log's pages, feed and calendar:
-- description: status (released, upcoming, overdue, unscheduled — int_release_status), its date,
-- description: whether it was rolled back, and how many public items it ships. A released release
-- description: without public changes is a maintenance release.
-- grain: one row per release (source, project, release)
-- column: status: released, upcoming (planned on or after the as_of day), overdue (planned before it) or unscheduled (no planned date)
-- column: rolled_back: a production deployment of its version was rolled back and that service has not deployed it again
-- column: release_date: the UTC day the release shipped, else its planned date
-- column: public_items: done public items listed under a change heading (not Known issues)
-- column: planned_items: public items of an unreleased release not done yet
-- column: known_issues: public items listed under Known issues
-- column: maintenance: released with no public changes
-- test: unique(source, project, release)
-- test: not_null(release, status, rolled_back, public_items, planned_items, known_issues)
-- test: expression(not maintenance or public_items = 0)
with counts as (
    select
        release_source as source,
        project,
        release,
        count(*) filter (where category <> 'Known issues' and is_done) as public_items,
        count(*) filter (where category <> 'Known issues' and not is_done) as planned_items,
        count(*) filter (where category = 'Known issues') as known_issues
    from mart_release_log
    group by all
),

final as (
    select
        rs.release,
        rs.source,
        rs.project,
        coalesce(h.team, relscope_team(rs.project)) as team,
        rs.status,
        rs.release_date,
        rs.planned_date,
        rs.released_at,
        rs.rolled_back,
        coalesce(c.public_items, 0) as public_items,
        coalesce(c.planned_items, 0) as planned_items,
        coalesce(c.known_issues, 0) as known_issues,
        rs.status = 'released' and coalesce(c.public_items, 0) = 0 as maintenance
    from int_release_status as rs
    left join counts as c using (source, project, release)
    left join mart_release_health as h using (source, project, release)
)

select * from final
