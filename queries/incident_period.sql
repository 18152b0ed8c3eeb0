-- name: incident_period :many
-- description: Incidents created in a period [start, end), from mart_incidents: how many, how
-- description: many were still open at as_of, how many are linked to a production deployment,
-- description: and the median hours to acknowledge and to resolve (MTTR, interpolated, over the
-- description: incidents that have them). The dashboard's incident tiles. The first row is the
-- description: whole scope (team empty, zeros when nothing happened); with per_team=true, a row
-- description: follows for each team with an incident in the period.
-- param: team = % a team's exact name; % for every team
-- param: start = - period start (RFC 3339 or date); - for six months before as_of's month
-- param: end = - period end, exclusive (RFC 3339 or date); - for as_of
-- param: per_team = false true for a row per team after the scope's
with p as (
    select
        case when $start = '-' then date_trunc('month', s.as_of) - interval 6 month else $start::timestamptz end as start_at,
        case when $end = '-' then s.as_of else $end::timestamptz end as end_at
    from relscope_settings as s
),

g as (
    select
        grouping(team) = 1 as is_scope,
        team,
        count(*) as incidents,
        count(*) filter (where resolve_hours is null) as open_at_as_of,
        count(deployment_id) as linked_to_deployment,
        quantile_cont(ack_hours, 0.5) as ack_p50,
        quantile_cont(resolve_hours, 0.5) as resolve_p50
    from mart_incidents
    where ($team = '%' or team = $team)
        and created_at >= (select start_at from p)
        and created_at < (select end_at from p)
    group by grouping sets ((), (team))
)

select
    case when is_scope then null else team end as team,
    incidents,
    open_at_as_of,
    linked_to_deployment,
    round(linked_to_deployment / nullif(incidents, 0), 3) as linked_share,
    round(ack_p50, 2) as ack_hours_p50,
    round(resolve_p50, 2) as resolve_hours_p50
from g
where is_scope or $per_team::boolean
order by is_scope desc, team
