-- The rules METRICS.md states that org.sql does not exercise: see models/rules_test.go for every
-- number. Team R, service r-api, as_of 2025-03-31 00:00 UTC. U-1 and U-3 come from a Jira
-- export without history (ingest 2), so their blocked time is unknown.
insert into work_items (item_key, source, project, team, item_type, status, status_category, created_at, resolved_at,
        fix_versions, ingest_id) values
    ('R-1', 'native', 'R', 'R', 'Story', 'Done', 'done', '2025-03-01 00:00:00+00', '2025-04-05 00:00:00+00', null, 1),
    ('R-2', 'native', 'R', 'R', 'Story', 'To Do', 'backlog', '2025-04-01 00:00:00+00', null, null, 1),
    ('R-5', 'native', 'R', 'R', 'Story', 'Done', 'done', '2025-03-01 00:00:00+00', '2025-03-20 00:00:00+00', null, 1),
    ('RT-6', 'native', 'R', 'R', 'Story', 'Done', 'done', '2025-03-01 00:00:00+00', '2025-03-20 00:00:00+00', null, 1),
    ('RT-7', 'native', 'R', 'R', 'Story', 'Done', 'done', '2025-03-01 00:00:00+00', '2025-03-20 00:00:00+00', null, 1),
    ('R-8', 'native', 'R', 'R', 'Story', 'Cancelled', 'cancelled', '2025-03-01 00:00:00+00', null, ['R 1.0'], 1),
    ('U-1', 'jira', 'R', 'R', 'Story', 'Blocked', 'blocked', '2025-03-01 00:00:00+00', null, null, 2),
    ('U-2', 'native', 'R', 'R', 'Story', 'In Progress', 'in_progress', '2025-03-01 00:00:00+00', null, null, 1),
    ('U-3', 'jira', 'R', 'R', 'Story', 'Blocked', 'blocked', '2025-03-01 00:00:00+00', null, null, 2);
insert into work_item_transitions (source, item_key, "at", field, from_value, to_value, ingest_id) values
    ('native', 'U-2', '2025-03-02 00:00:00+00', 'status', 'To Do', 'In Progress', 1);
insert into work_item_links (source, item_key, link_type, target_key, ingest_id) values
    ('jira', 'U-1', 'is blocked by', 'X-1', 2),
    ('native', 'U-2', 'is blocked by', 'Y-1', 1),
    ('jira', 'U-3', 'is blocked by', 'Y-2', 2);
insert into deployments (deployment_id, source, service, team, environment, is_production, status, kind, finished_at,
        version, change_id, commit_time, description, item_keys, ingest_id) values
    ('r1', 'native', 'r-api', 'R', 'prod', true, 'success', 'normal', '2025-03-10 12:00:00+00', 'R 0.9', null,
        '2025-03-10 00:00:00+00', null, ['R-5'], 1),
    ('r2', 'native', 'r-api', 'R', 'prod', true, 'success', 'normal', '2025-03-12 00:00:00+00', 'R 1.0', 'CHG-1',
        '2025-03-11 00:00:00+00', null, null, 1),
    ('r3', 'native', 'r-api', 'R', 'prod', true, 'success', 'normal', '2025-03-14 00:00:00+00', 'R 1.1', 'CHG-2',
        '2025-03-13 18:00:00+00', 'Fixes RT-6 and rt-7, R-5 (no key: one letter)', null, 1),
    ('e1', 'native', 'r-api', 'R', 'prod', true, 'success', 'normal', '2025-04-02 00:00:00+00', 'R 1.2', null,
        null, null, ['R-1'], 1);
insert into incidents (incident_id, source, service, team, created_at, resolved_at, caused_by_deployment, change_id,
        item_keys, ingest_id) values
    ('k1', 'native', 'other-svc', 'R', '2025-03-12 06:00:00+00', '2025-03-12 08:00:00+00', null, 'CHG-1', null, 1),
    ('k2', 'native', 'other-svc', 'R', '2025-03-15 00:00:00+00', '2025-03-15 02:00:00+00', null, null, ['R-5'], 1),
    ('k3', 'native', 'r-api', 'R', '2025-04-03 00:00:00+00', null, null, null, null, 1);
insert into changes (change_id, source, type, state, ingest_id) values
    ('CHG-1', 'native', 'normal', 'closed', 1),
    ('CHG-2', 'native', 'emergency', 'closed', 1);
