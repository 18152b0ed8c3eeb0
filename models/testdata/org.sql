-- The hand-built organisation of models/marts_test.go: see the comment there for every number.
-- Its items say they are not public (is_public false, as a native export's column would), so
-- the release log and brief built on it show no public change.
insert into releases (name, source, project, planned_date, freeze_date, released_at, is_released, ingest_id) values
    ('PAY 1.0', 'native', 'PAY', '2025-03-10', null, '2025-03-10 12:00:00+00', true, 1),
    ('PAY 1.1', 'native', 'PAY', '2025-04-10', null, null, false, 1);
insert into work_items (item_key, source, project, team, item_type, status, status_category, created_at, resolved_at,
        original_estimate_hours, time_spent_hours, fix_versions, ingest_id, story_points, is_public) values
    ('PAY-1', 'native', 'PAY', 'PAY', 'Story', 'Done', 'done', '2025-03-01 00:00:00+00', '2025-03-05 00:00:00+00', null, null, ['PAY 1.0'], 1, 3, false),
    ('PAY-2', 'native', 'PAY', 'PAY', 'Bug', 'Done', 'done', '2025-03-03 00:00:00+00', '2025-03-04 00:00:00+00', null, null, null, 1, 3, false),
    ('PAY-3', 'native', 'PAY', 'PAY', 'Story', 'Done', 'done', '2025-03-01 00:00:00+00', '2025-03-08 00:00:00+00', null, null, ['PAY 1.0'], 1, 5, false),
    ('PAY-4', 'native', 'PAY', 'PAY', 'Story', 'In Progress', 'in_progress', '2025-03-01 00:00:00+00', null, null, null, ['PAY 1.1'], 1, null, false),
    ('PAY-5', 'native', 'PAY', 'PAY', 'Story', 'To Do', 'backlog', '2024-12-01 00:00:00+00', null, null, null, null, 1, null, false),
    ('PAY-6', 'native', 'PAY', 'PAY', 'Task', 'Done', 'done', '2025-03-01 00:00:00+00', '2025-03-06 00:00:00+00', 10, 12, null, 1, null, false),
    ('PAY-7', 'native', 'PAY', 'PAY', 'Task', 'Done', 'done', '2025-03-01 00:00:00+00', '2025-03-06 00:00:00+00', 4, 8, null, 1, null, false);
insert into work_item_transitions (source, item_key, "at", field, from_value, to_value, ingest_id) values
    ('native', 'PAY-1', '2025-03-02 00:00:00+00', 'status', 'Backlog', 'In Progress', 1),
    ('native', 'PAY-1', '2025-03-05 00:00:00+00', 'status', 'In Progress', 'Done', 1),
    ('native', 'PAY-1', '2025-03-02 00:00:00+00', 'Fix Version', null, 'PAY 1.0', 1),
    ('native', 'PAY-3', '2025-03-03 00:00:00+00', 'status', 'Backlog', 'In Progress', 1),
    ('native', 'PAY-3', '2025-03-04 00:00:00+00', 'status', 'In Progress', 'Blocked', 1),
    ('native', 'PAY-3', '2025-03-05 12:00:00+00', 'status', 'Blocked', 'In Progress', 1),
    ('native', 'PAY-3', '2025-03-06 00:00:00+00', 'status', 'In Progress', 'Blocked', 1),
    ('native', 'PAY-3', '2025-03-07 00:00:00+00', 'status', 'Blocked', 'In Progress', 1),
    ('native', 'PAY-3', '2025-03-08 00:00:00+00', 'status', 'In Progress', 'Done', 1),
    ('native', 'PAY-3', '2025-03-08 06:00:00+00', 'Fix Version', null, 'PAY 1.0', 1),
    ('native', 'PAY-4', '2025-03-02 00:00:00+00', 'status', 'Backlog', 'In Progress', 1),
    ('native', 'PAY-4', '2025-03-02 00:00:00+00', 'Fix Version', null, 'PAY 1.0', 1),
    ('native', 'PAY-4', '2025-03-08 00:00:00+00', 'Fix Version', 'PAY 1.0', 'PAY 1.1', 1);
insert into work_item_links (source, item_key, link_type, target_key, ingest_id) values
    ('native', 'PAY-3', 'is blocked by', 'CHK-7', 1),
    ('native', 'PAY-4', 'is blocked by', 'CHK-8', 1);
insert into deployments (deployment_id, source, service, team, environment, is_production, status, kind, finished_at, version, ingest_id) values
    ('d0', 'native', 'pay-api', 'PAY', 'prod', true, 'success', 'normal', '2025-03-01 09:00:00+00', 'PAY 0.9', 1),
    ('d1', 'native', 'pay-api', 'PAY', 'prod', true, 'failed', 'normal', '2025-03-10 10:00:00+00', 'PAY 1.0', 1),
    ('d2', 'native', 'pay-api', 'PAY', 'prod', true, 'success', 'normal', '2025-03-10 12:00:00+00', 'PAY 1.0', 1),
    ('d3', 'native', 'pay-api', 'PAY', 'prod', true, 'rolled_back', 'normal', '2025-03-20 10:00:00+00', 'PAY 1.0.1', 1),
    ('d4', 'native', 'pay-api', 'PAY', 'prod', true, 'success', 'rollback', '2025-03-20 10:30:00+00', 'PAY 0.9', 1),
    ('d5', 'native', 'pay-api', 'PAY', 'staging', false, 'failed', 'normal', '2025-03-09 10:00:00+00', 'PAY 1.0', 1),
    ('d6', 'native', 'pay-api', 'PAY', 'staging', false, 'success', 'normal', '2025-03-09 12:00:00+00', 'PAY 1.0', 1);
insert into incidents (incident_id, source, service, team, created_at, resolved_at, caused_by_deployment, ingest_id) values
    ('i1', 'native', 'pay-api', 'PAY', '2025-03-11 12:00:00+00', '2025-03-11 18:00:00+00', null, 1),
    ('i2', 'native', 'pay-api', 'PAY', '2025-03-25 12:00:00+00', '2025-03-25 13:00:00+00', null, 1),
    ('i3', 'native', 'pay-api', 'PAY', '2025-03-01 10:00:00+00', '2025-03-01 11:30:00+00', 'd0', 1);
