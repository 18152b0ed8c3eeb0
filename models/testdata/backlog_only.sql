-- A backlog export alone (models/coverage_test.go): no deployments, releases, incidents or changes.
insert into work_items (item_key, source, project, team, item_type, status, status_category, created_at, resolved_at, committed_at, ingest_id) values
    ('BK-1', 'azure-devops', 'BK', 'BK', 'Bug', 'Closed', 'done', '2025-03-01 00:00:00+00', '2025-03-04 00:00:00+00', null, 1),
    ('BK-2', 'azure-devops', 'BK', 'BK', 'Bug', 'Closed', 'done', '2025-03-01 00:00:00+00', null, null, 1),
    ('BK-3', 'azure-devops', 'BK', 'BK', 'Task', 'Removed', 'cancelled', '2025-03-01 00:00:00+00', null, null, 1),
    ('BK-4', 'azure-devops', 'BK', 'BK', 'Task', 'Active', 'in_progress', '2025-03-01 00:00:00+00', null, null, 1),
    ('BK-5', 'azure-devops', 'BK', 'BK', 'Task', 'Active', 'in_progress', '2025-03-01 00:00:00+00', null, '2025-03-02 00:00:00+00', 1),
    ('BK-6', 'azure-devops', 'BK', 'BK', 'Task', 'New', 'backlog', null, null, null, 1),
    ('BK-7', 'azure-devops', 'BK', 'BK', 'Task', 'New', 'backlog', '2025-04-05 00:00:00+00', null, null, 1),
    ('BK-8', 'azure-devops', 'BK', 'BK', 'Task', 'New', 'backlog', '2025-03-01 00:00:00+00', null, null, 1),
    ('BK-9', 'azure-devops', 'BK', 'BK', 'Bug', 'Closed', 'done', '2025-03-01 00:00:00+00', '2025-04-02 00:00:00+00', null, 1);
