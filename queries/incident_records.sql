-- name: incident_records :many
-- description: Every incident created in a period [start, end), in time order: severity, times to
-- description: acknowledge and resolve, the production deployment it is linked to (and how) and
-- description: the items it concerns. The workbook's incidents sheet; a row per incident of
-- description: mart_incidents.
-- param: team = % a team's exact name; % for every team
-- param: start = - period start (RFC 3339 or date); - for six months before as_of's month
-- param: end = - period end, exclusive (RFC 3339 or date); - for as_of
with p as (
    select
        case when $start = '-' then date_trunc('month', s.as_of) - interval 6 month else $start::timestamptz end as start_at,
        case when $end = '-' then s.as_of else $end::timestamptz end as end_at
    from relscope_settings as s
)

select
    incident_id,
    team,
    service,
    severity,
    title,
    created_at,
    acknowledged_at,
    resolved_at,
    ack_hours,
    resolve_hours,
    deployment_id,
    deployment_link,
    item_keys,
    deployment_item_keys
from mart_incidents
where ($team = '%' or team = $team)
    and created_at >= (select start_at from p)
    and created_at < (select end_at from p)
order by created_at, incident_id
