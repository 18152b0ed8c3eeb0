-- description: Incidents as ingested, without the raw export record; the team by the export's team
-- description: field, else service_teams, through team_aliases.
-- grain: one row per incident (source, incident_id)
-- materialized: view
-- column: team: the export's team field, else the service's configured team, renamed by team_aliases; '(no team)' when neither says
-- column: export_team: the team field as exported (null when the export has none)
-- Each exported team and service resolved once, not once per incident (as in
-- stg_relscope__deployments).
with teams as (
    select team, service, coalesce(relscope_team(team), relscope_service_team(service), '(no team)') as team_name
    from (select distinct team, service from incidents)
)

select
    i.source,
    i.incident_id,
    i.service,
    t.team_name as team,
    i.team as export_team,
    i.severity,
    i.title,
    i.created_at,
    i.acknowledged_at,
    i.resolved_at,
    i.caused_by_deployment,
    i.change_id,
    coalesce(i.item_keys, []) as item_keys,
    i.ingest_id
from incidents as i
left join teams as t on t.team is not distinct from i.team and t.service is not distinct from i.service
