-- The governance additions to the hand-built organisation (loaded after org.sql): team OPS
-- (service ops-api), whose releases exercise every readiness, freeze, packaging, endorsement and
-- compliance rule, and team FC, whose constant throughput makes forecasts exact. Every number
-- is worked out in models/governance_test.go.
insert into releases (name, source, project, planned_date, freeze_date, released_at, is_released, ingest_id) values
    ('OPS 1.8', 'native', 'OPS', '2025-03-01', null, null, false, 1),
    ('OPS 1.9', 'native', 'OPS', '2025-03-20', '2025-03-15', '2025-03-20 12:00:00+00', true, 1),
    ('OPS 1.95', 'native', 'OPS', '2025-03-25', null, null, false, 1),
    ('OPS 2.0', 'native', 'OPS', '2025-04-04', null, null, false, 1),
    ('OPS 3.0', 'native', 'OPS', '2025-05-30', null, null, false, 1),
    ('FC 0.9', 'native', 'FC', '2025-03-21', null, '2025-03-20 18:00:00+00', true, 1),
    ('FC 1.0', 'native', 'FC', '2025-04-04', null, null, false, 1),
    ('FC 1.1', 'native', 'FC', '2025-04-05', null, null, false, 1);
insert into work_items (item_key, source, project, team, item_type, status, status_category, priority, created_at, resolved_at,
        story_points, original_estimate_hours, fix_versions, labels, business_value, time_criticality, risk_reduction, ingest_id) values
    ('OPS-1', 'native', 'OPS', 'OPS', 'Story', 'In Progress', 'in_progress', null, '2025-03-01', null, null, null, ['OPS 2.0'],
        ['gdpr', 'compliance-approved', 'endorsed', 'rollback-plan', 'tested'], null, null, null, 1),
    ('OPS-2', 'native', 'OPS', 'OPS', 'Story', 'To Do', 'backlog', null, '2025-03-01', null, null, null, ['OPS 2.0'], ['GDPR'], null, null, null, 1),
    ('OPS-3', 'native', 'OPS', 'OPS', 'Bug', 'Done', 'done', 'Highest', '2025-03-01', '2025-03-18 09:00:00+00', null, null, ['OPS 1.9'], ['security'], null, null, null, 1),
    ('OPS-4', 'native', 'OPS', 'OPS', 'Story', 'Done', 'done', 'Medium', '2025-03-01', '2025-03-19 00:00:00+00', null, null, ['OPS 1.9'], null, null, null, null, 1),
    ('OPS-5', 'native', 'OPS', 'OPS', 'Bug', 'To Do', 'backlog', 'High', '2025-03-01', null, 3, null, ['OPS 2.0'], null, 8, 5, 2, 1),
    ('OPS-6', 'native', 'OPS', 'OPS', 'Task', 'To Do', 'backlog', null, '2025-03-01', null, null, 16, ['OPS 2.0'], ['infra'], null, null, null, 1),
    ('OPS-7', 'native', 'OPS', 'OPS', 'Task', 'To Do', 'backlog', null, '2025-03-01', null, null, null, ['OPS 2.0'], ['infra'], null, null, null, 1),
    ('OPS-9', 'native', 'OPS', 'OPS', 'Story', 'Done', 'done', 'Low', '2025-03-01', '2025-03-18 00:00:00+00', null, null, ['OPS 1.9'], null, null, null, null, 1),
    ('OPS-10', 'native', 'OPS', 'OPS', 'Story', 'Done', 'done', 'Low', '2025-03-01', '2025-03-19 00:00:00+00', null, null, ['OPS 1.9'], ['pci'], null, null, null, 1),
    ('OPS-30', 'native', 'OPS', 'OPS', 'Story', 'Done', 'done', 'Low', '2025-03-01', '2025-03-25 00:00:00+00', null, null, ['OPS 3.0'], null, null, null, null, 1);
-- FC: FC-1..FC-5 (FC 1.0) and FC-21..FC-28 (FC 1.1) are open stories of priority Medium with
-- business values 5..1 and 9..2; FC-T1..FC-T90 were delivered (resolved, no deployment) one a
-- day: FC-Ti on 2025-03-31 − i days, 12:00 — every day from 2024-12-31 to 2025-03-30. FC-T11
-- (2025-03-20 12:00) is the one item of the past release FC 0.9.
insert into work_items (item_key, source, project, team, item_type, status, status_category, priority, created_at,
        fix_versions, business_value, ingest_id)
select 'FC-' || i, 'native', 'FC', 'FC', 'Story', 'To Do', 'backlog', 'Medium', '2025-03-01', ['FC 1.0'], 6 - i, 1
from range(1, 6) as r(i);
insert into work_items (item_key, source, project, team, item_type, status, status_category, priority, created_at,
        fix_versions, business_value, ingest_id)
select 'FC-' || i, 'native', 'FC', 'FC', 'Story', 'To Do', 'backlog', 'Medium', '2025-03-01', ['FC 1.1'], 30 - i, 1
from range(21, 29) as r(i);
insert into work_items (item_key, source, project, team, item_type, status, status_category, priority, created_at,
        resolved_at, fix_versions, ingest_id)
select 'FC-T' || i, 'native', 'FC', 'FC', 'Story', 'Done', 'done', 'Medium', '2024-12-01',
    timestamptz '2025-03-31 12:00:00+00' - to_days(i::integer), case when i = 11 then ['FC 0.9'] end, 1
from range(1, 91) as r(i);
insert into work_item_transitions (source, item_key, "at", field, from_value, to_value, ingest_id, author) values
    ('native', 'OPS-9', '2025-03-01 00:00:00+00', 'Fix Version', null, 'OPS 1.9', 1, null),
    ('native', 'OPS-10', '2025-03-10 00:00:00+00', 'Fix Version', null, 'OPS 1.9', 1, null),
    ('native', 'OPS-3', '2025-03-16 00:00:00+00', 'Fix Version', null, 'OPS 1.9', 1, 'ana.costa'),
    ('native', 'OPS-4', '2025-03-17 00:00:00+00', 'Fix Version', null, 'OPS 1.9', 1, 'rm.silva'),
    ('native', 'FC-T11', '2025-03-01 00:00:00+00', 'Fix Version', null, 'FC 0.9', 1, null);
insert into work_item_links (source, item_key, link_type, target_key, ingest_id) values
    ('native', 'PAY-4', 'blocks', 'OPS-6', 1);
insert into deployments (deployment_id, source, service, team, environment, is_production, status, kind, finished_at, version,
        change_id, item_keys, ingest_id) values
    ('s1', 'native', 'ops-api', 'OPS', 'staging', false, 'success', 'normal', '2025-03-19 12:00:00+00', 'OPS 1.9', null, null, 1),
    ('o1', 'native', 'ops-api', 'OPS', 'prod', true, 'success', 'normal', '2025-03-20 12:00:00+00', 'OPS 1.9', 'CHG-1', null, 1),
    ('o2', 'native', 'ops-api', 'OPS', 'prod', true, 'success', 'hotfix', '2025-03-18 10:00:00+00', 'OPS 1.9-hf', 'CHG-2', ['OPS-3'], 1),
    ('o3', 'native', 'ops-api', 'OPS', 'prod', true, 'success', 'normal', '2025-03-25 12:00:00+00', 'OPS 1.9.1', 'CHG-9', null, 1);
insert into changes (change_id, source, type, state, approval, backout_plan, cmdb_ci, service, release, item_keys, ingest_id) values
    ('CHG-1', 'native', 'normal', 'Closed', 'approved', 'redeploy OPS 1.8', 'OPS-API-PROD', 'ops-api', 'OPS 1.9', null, 1),
    ('CHG-2', 'native', 'emergency', 'Closed', 'Approved', null, 'billing-db', 'ops-api', null, ['OPS-3'], 1),
    ('CHG-3', 'native', 'normal', 'New', 'requested', 'redeploy OPS 1.9', null, 'ops-api', 'OPS 2.0', null, 1),
    ('CHG-4', 'native', 'standard', 'Scheduled', 'approved', 'redeploy OPS 2.0', null, 'ops-api', 'OPS 3.0', null, 1);
