-- name: incident_summary :one
-- description: Incidents created in a period [start, end) for a team (or every team together):
-- description: how many, how many were resolved by as_of and linked to a production deployment,
-- description: and the median hours to acknowledge and to resolve (MTTR), interpolated.
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
    count(*) as incidents,
    count(*) filter (where resolve_hours is not null) as resolved,
    count(*) filter (where deployment_id is not null) as linked_to_deployment,
    round(quantile_cont(ack_hours, 0.5), 2) as ack_hours_p50,
    round(quantile_cont(resolve_hours, 0.5), 2) as resolve_hours_p50
from mart_incidents
where ($team = '%' or team = $team)
    and created_at >= (select start_at from p)
    and created_at < (select end_at from p)
