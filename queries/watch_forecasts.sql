-- name: watch_forecasts :many
-- description: What a job run watches for item_slipped (its second way): each upcoming release's
-- description: P85 completion date from mart_release_forecast (key source|project|release, value
-- description: the P85 date, empty without a forecast; detail JSON with the planned date).
select
    source || '|' || project || '|' || release as key,
    p85_date::varchar as value,
    to_json({
        release: release,
        project: project,
        team: team,
        planned_date: planned_date::varchar,
        p_on_time: round(p_on_time, 4),
        remaining: remaining
    })::varchar as detail
from mart_release_forecast
order by key
