-- A second team beside the organisation of models/testdata/org.sql, for the queries' per-team
-- rows (queries/dashboard_test.go works out every number). Team CHK, service chk-api:
--   CHK-1 Story: created 03-01, In Progress 03-10 00:00, Done 03-12; fix version CHK 1.
--   c1 prod success 03-12 08:00 (CHK 1, ships CHK-1), c2 prod failed 03-12 09:00 (CHK 1.1),
--   c3 prod success 03-12 11:00 (CHK 1.1).
insert into work_items (item_key, source, project, team, item_type, status, status_category, created_at, resolved_at,
        fix_versions, ingest_id) values
    ('CHK-1', 'native', 'CHK', 'CHK', 'Story', 'Done', 'done', '2025-03-01 00:00:00+00', '2025-03-12 00:00:00+00', ['CHK 1'], 1);
insert into work_item_transitions (source, item_key, "at", field, from_value, to_value, ingest_id) values
    ('native', 'CHK-1', '2025-03-10 00:00:00+00', 'status', 'Backlog', 'In Progress', 1),
    ('native', 'CHK-1', '2025-03-12 00:00:00+00', 'status', 'In Progress', 'Done', 1);
insert into deployments (deployment_id, source, service, team, environment, is_production, status, kind, finished_at, version, ingest_id) values
    ('c1', 'native', 'chk-api', 'CHK', 'prod', true, 'success', 'normal', '2025-03-12 08:00:00+00', 'CHK 1', 1),
    ('c2', 'native', 'chk-api', 'CHK', 'prod', true, 'failed', 'normal', '2025-03-12 09:00:00+00', 'CHK 1.1', 1),
    ('c3', 'native', 'chk-api', 'CHK', 'prod', true, 'success', 'normal', '2025-03-12 11:00:00+00', 'CHK 1.1', 1);
