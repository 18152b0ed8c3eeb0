-- The hand-built incident organisation of models/incidents_test.go: see the comment there for
-- every number. as_of = 2025-03-31 00:00 UTC, attribution window 72 h.
insert into work_items (item_key, source, project, team, item_type, status, status_category, created_at, resolved_at,
        components, ingest_id) values
    ('OPS-1', 'native', 'OPS', 'OPS', 'Bug', 'Done', 'done', '2025-03-01 00:00:00+00', '2025-03-09 00:00:00+00', ['checkout'], 1),
    ('OPS-2', 'native', 'OPS', 'OPS', 'Story', 'In Progress', 'in_progress', '2025-03-01 00:00:00+00', null, ['checkout'], 1),
    ('OPS-3', 'native', 'OPS', 'OPS', 'Bug', 'To Do', 'backlog', '2025-03-01 00:00:00+00', null, ['checkout', 'search'], 1);
insert into deployments (deployment_id, source, service, team, environment, is_production, status, kind, finished_at,
        version, change_id, item_keys, ingest_id) values
    ('e1', 'native', 'api', 'OPS', 'production', true, 'success', 'normal', '2025-03-10 10:00:00+00', 'OPS 1', null, ['OPS-1'], 1),
    ('e2', 'native', 'api', 'OPS', 'production', true, 'success', 'normal', '2025-03-20 08:00:00+00', 'OPS 2', 'CHG1', ['OPS-2'], 1);
insert into incidents (incident_id, source, service, team, severity, created_at, acknowledged_at, resolved_at,
        caused_by_deployment, change_id, item_keys, ingest_id) values
    ('n1', 'native', 'api', 'OPS', 'P1', '2025-03-10 12:00:00+00', '2025-03-10 12:30:00+00', '2025-03-10 16:00:00+00', null, null, null, 1),
    ('n2', 'native', 'api', 'OPS', 'P2', '2025-03-12 09:00:00+00', '2025-03-12 10:00:00+00', '2025-03-13 09:00:00+00', null, null, null, 1),
    ('n3', 'native', 'api', 'OPS', 'P2', '2025-03-21 00:00:00+00', null, '2025-03-21 06:00:00+00', null, 'CHG1', ['OPS-3'], 1),
    ('n4', 'native', 'api', 'OPS', 'P3', '2025-03-30 12:00:00+00', '2025-03-30 13:30:00+00', null, null, null, null, 1),
    ('n5', 'native', 'web', 'WEB', 'P3', '2024-12-01 10:00:00+00', '2024-12-01 10:15:00+00', '2024-12-01 12:00:00+00', null, null, null, 1),
    ('n6', 'native', 'api', 'OPS', 'P1', '2025-04-02 00:00:00+00', null, null, null, null, null, 1),
    ('n7', 'native', 'api', 'OPS', 'P2', '2025-03-29 00:00:00+00', null, '2025-04-01 00:00:00+00', null, null, null, 1);
