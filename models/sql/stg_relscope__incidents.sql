-- description: Incidents as ingested, without the raw export record.
-- grain: one row per incident (source, incident_id)
-- materialized: view
select
    source,
    incident_id,
    service,
    coalesce(team, '(no team)') as team,
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
