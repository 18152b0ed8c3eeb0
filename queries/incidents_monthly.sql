-- name: incidents_monthly :many
-- description: Incidents per team, service and month over the last N months up to as_of: how
-- description: many, how many resolved and linked to a deployment, median hours to acknowledge
-- description: and to resolve (MTTR).
-- param: team = % a team's exact name; % for every team
-- param: months = 6 how many months, counting the month of as_of
select
    m.team,
    m.service,
    m.month,
    m.incidents,
    m.resolved,
    m.linked_to_deployment,
    round(m.ack_hours_p50, 2) as ack_hours_p50,
    round(m.resolve_hours_p50, 2) as resolve_hours_p50
from mart_incident_monthly as m
cross join relscope_settings as s
where ($team = '%' or m.team = $team)
    and m.month > date_trunc('month', s.as_of) - to_months($months::integer)
order by m.team, m.service, m.month
