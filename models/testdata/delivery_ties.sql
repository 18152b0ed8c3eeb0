-- Two deployments finishing in the same second ship one item, and one incident's change was
-- deployed twice in the same second (models/ties_test.go). Inserted the later id first.
insert into work_items (item_key, source, project, team, item_type, title, status, status_category, created_at, resolved_at, ingest_id) values
    ('T-1', 'native', 'T', 'Tie', 'Story', 'Tied', 'Done', 'done', '2025-03-01 00:00:00+00', '2025-03-06 00:00:00+00', 1);
insert into deployments (deployment_id, source, service, team, environment, is_production, status, kind, finished_at,
        change_id, item_keys, ingest_id) values
    ('d-b', 'native', 'tie-api', 'Tie', 'prod', true, 'success', 'normal', '2025-03-05 12:00:00+00', 'CHG-1', ['T-1'], 1),
    ('d-a', 'native', 'tie-api', 'Tie', 'prod', true, 'success', 'normal', '2025-03-05 12:00:00+00', 'CHG-1', ['T-1'], 1);
insert into incidents (incident_id, source, service, team, severity, created_at, resolved_at, change_id, ingest_id) values
    ('INC-1', 'native', 'tie-api', 'Tie', 'SEV2', '2025-03-05 13:00:00+00', '2025-03-05 14:00:00+00', 'CHG-1', 1);
