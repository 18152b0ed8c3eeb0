-- description: Incidents as ingested, without the raw export record; the team by the export's team
-- description: field, else service_teams, through team_aliases.
-- grain: one row per incident (source, incident_id)
-- materialized: view
-- column: team: the export's team field, else the service's configured team, renamed by team_aliases; '(no team)' when neither says
-- column: export_team: the team field as exported (null when the export has none)
select
    source,
    incident_id,
    service,
    coalesce(relscope_team(team), relscope_service_team(service), '(no team)') as team,
    team as export_team,
    severity,
    title,
    created_at,
    acknowledged_at,
    resolved_at,
    caused_by_deployment,
    change_id,
    coalesce(item_keys, []) as item_keys,
    ingest_id
from incidents
