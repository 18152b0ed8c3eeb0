-- description: Incidents per team, service and month of creation (UTC): how many, how many were
-- description: resolved by as_of, how many were linked to a production deployment, and the
-- description: median times to acknowledge and to resolve (interpolated, over the incidents that
-- description: have them). Months without incidents have no row.
-- grain: one row per team, service and month
-- column: resolved: incidents of the month resolved by as_of
-- column: open_at_as_of: incidents of the month still open at as_of
-- column: linked_to_deployment: incidents of the month linked to a production deployment
-- column: ack_hours_p50: median ack_hours of the month's incidents with an acknowledgement; null when none has one
-- column: resolve_hours_p50: median resolve_hours of the month's incidents resolved by as_of (MTTR)
-- test: unique(team, service, month)
-- test: not_null(team, month, incidents)
-- test: expression(resolved <= incidents and linked_to_deployment <= incidents)
-- test: expression(ack_hours_p50 >= 0 and resolve_hours_p50 >= 0)
select
    team,
    service,
    month,
    count(*) as incidents,
    count(resolve_hours) as resolved,
    count(*) - count(resolve_hours) as open_at_as_of,
    count(deployment_id) as linked_to_deployment,
    quantile_cont(ack_hours, 0.5) as ack_hours_p50,
    quantile_cont(resolve_hours, 0.5) as resolve_hours_p50
from mart_incidents
group by team, service, month
