-- Releases filed under another key than their items' project (models/release_match_test.go):
-- GitLab project orders-api's milestones are the native releases of ORD, a Linear team's
-- milestones the GitHub releases of its repository, Azure DevOps items (no fix version) name
-- their release by iteration; "Shared 1" is a release name two projects hold.
insert into releases (name, source, project, planned_date, freeze_date, released_at, is_released, ingest_id) values
    ('ORD 1.0', 'native', 'ORD', '2025-03-10', null, '2025-03-10 12:00:00+00', true, 1),
    ('ORD 1.1', 'native', 'ORD', '2025-04-10', null, null, false, 1),
    ('PLAT 1.0', 'github', 'gateway-api', '2025-03-12', null, '2025-03-12 15:00:00+00', true, 1),
    ('Shared 1', 'native', 'A', '2025-03-14', null, null, false, 1),
    ('Shared 1', 'native', 'B', '2025-03-14', null, null, false, 1),
    ('PAY 2.0', 'native', 'PAY', '2025-03-20', null, null, false, 1),
    ('PAY 2.0', 'native', 'KEEP', '2025-03-20', null, null, false, 1),
    ('SRCH 1.0', 'native', 'SRCH', '2025-03-20', null, null, false, 1);
insert into work_items (item_key, source, project, item_type, title, status, status_category, created_at, resolved_at,
        fix_versions, sprints, ingest_id, is_public) values
    ('orders-api#1', 'gitlab', 'orders-api', 'Story', 'Faster order search', 'Closed', 'done', '2025-03-01 00:00:00+00', '2025-03-05 00:00:00+00', ['ORD 1.0'], null, 1, true),
    ('orders-api#2', 'gitlab', 'orders-api', 'Story', 'Order export', 'Opened', 'backlog', '2025-03-01 00:00:00+00', null, [' ord 1.1 '], null, 1, true),
    ('PLAT-1', 'linear', 'PLAT', 'Bug', 'Gateway timeout', 'Done', 'done', '2025-03-01 00:00:00+00', '2025-03-06 00:00:00+00', ['PLAT 1.0'], ['Cycle 3'], 1, true),
    ('101', 'azure-devops', 'Acme', 'User Story', 'Cart badge', 'Active', 'in_progress', '2025-03-01 00:00:00+00', null, null, ['ORD 1.1', 'Sprint 4'], 1, true),
    ('102', 'azure-devops', 'Acme', 'Task', 'Rotate keys', 'Active', 'in_progress', '2025-03-01 00:00:00+00', null, null, ['Sprint 5'], 1, true),
    ('X-1', 'jira', 'X', 'Story', 'Shared thing', 'To Do', 'backlog', '2025-03-01 00:00:00+00', null, ['Shared 1'], null, 1, true),
    ('A-1', 'native', 'A', 'Story', 'A thing', 'To Do', 'backlog', '2025-03-01 00:00:00+00', null, ['shared 1'], null, 1, true),
    ('PAY-1', 'native', 'PAY', 'Story', 'Pay thing', 'To Do', 'backlog', '2025-03-01 00:00:00+00', null, ['PAY 2.0'], null, 1, true),
    ('SRCH-1', 'native', 'SRCH', 'Story', 'Search thing', 'To Do', 'backlog', '2025-03-01 00:00:00+00', null, ['ORD 1.0'], null, 1, true),
    ('NEW-1', 'native', 'NEW', 'Story', 'New thing', 'To Do', 'backlog', '2025-03-01 00:00:00+00', null, ['NEW 9'], null, 1, true);
insert into work_item_transitions (source, item_key, "at", field, from_value, to_value, ingest_id) values
    ('gitlab', 'orders-api#2', '2025-03-20 00:00:00+00', 'Milestone', null, 'ORD 1.1', 1);
