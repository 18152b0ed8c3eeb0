-- name: watch_readiness :many
-- description: What a job run watches for readiness_changed: each upcoming release's verdict from
-- description: mart_release_readiness (key source|project|release, value go/at_risk/no_go; detail
-- description: JSON whose reasons name the failing and warning checks with their details).
with checks as (
    select
        source,
        project,
        release,
        string_agg(check_name || ' (' || detail || ')', ', ' order by check_order) filter (where status = 'fail') as failing,
        string_agg(check_name || ' (' || detail || ')', ', ' order by check_order) filter (where status = 'warn') as warning,
        count(*) filter (where check_name <> 'verdict') as checks
    from mart_release_readiness
    group by source, project, release
)

select
    v.source || '|' || v.project || '|' || v.release as key,
    v.status as value,
    to_json({
        release: v.release,
        project: v.project,
        team: v.team,
        planned_date: v.planned_date::varchar,
        reasons: case
            when c.failing is null and c.warning is null then format('All {} checks pass.', c.checks)
            else concat_ws(' ', 'Failing: ' || c.failing || '.', 'Warning: ' || c.warning || '.')
        end
    })::varchar as detail
from mart_release_readiness as v
join checks as c using (source, project, release)
where v.check_name = 'verdict'
order by key
