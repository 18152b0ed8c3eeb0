-- description: Change requests (RFCs) as ingested, without the raw export record; the team by the
-- description: export's team field, else service_teams, through team_aliases.
-- grain: one row per change (source, change_id)
-- materialized: view
-- column: team: the export's team field, else the service's configured team, renamed by team_aliases; null when neither says
-- column: export_team: the team field as exported (null when the export has none)
select
    source,
    change_id,
    type as change_type,
    state,
    risk,
    approval,
    approved_at,
    planned_start,
    planned_end,
    backout_plan,
    cmdb_ci,
    service,
    coalesce(relscope_team(team), relscope_service_team(service)) as team,
    team as export_team,
    release,
    coalesce(item_keys, []) as item_keys,
    ingest_id
from changes
