-- description: Each release's state for the public release log. status: released; upcoming (not
-- description: released, planned on or after the as_of day); overdue (not released, planned before it);
-- description: unscheduled (not released, no planned date). release_date: the UTC day it was released
-- description: (its planned date when the export marks it released without a time), else its planned date.
-- description: rolled_back: a production deployment of the release's version was rolled back and that
-- description: service has not deployed the version successfully since.
-- grain: one row per release (source, project, release)
-- test: unique(source, project, release)
-- test: not_null(release, status, rolled_back)
-- test: accepted_values(status: released, upcoming, overdue, unscheduled)
-- test: expression(not rolled_back or status = 'released')
with releases as (
    select r.*, s.as_of::date as as_of_day
    from stg_relscope__releases as r
    cross join relscope_settings as s
),

version_runs as (
    select r.source, r.project, r.release, d.service, d.status, d.finished_at
    from releases as r
    join int_production_deployments as d on d.version_key = lower(trim(r.release))
),

-- The latest run of the release's version on each service; rolled back when it is a rollback.
last_runs as (
    select source, project, release, service, arg_max(status, finished_at) as last_status
    from version_runs
    group by all
),

rolled as (
    select source, project, release, bool_or(last_status = 'rolled_back') as rolled_back
    from last_runs
    group by all
),

final as (
    select
        r.source,
        r.project,
        r.release,
        case
            when r.is_released then 'released'
            when r.planned_date is null then 'unscheduled'
            when r.planned_date >= r.as_of_day then 'upcoming'
            else 'overdue'
        end as status,
        case
            when r.is_released then coalesce(r.released_at::date, r.planned_date)
            else r.planned_date
        end as release_date,
        r.planned_date,
        r.released_at,
        r.is_released and coalesce(ro.rolled_back, false) as rolled_back
    from releases as r
    left join rolled as ro using (source, project, release)
)

select * from final
