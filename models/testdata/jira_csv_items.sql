-- Items of a Jira CSV export without a Created column (models/coverage_test.go): ingest 3.
insert into work_items (item_key, source, project, team, item_type, status, status_category, created_at, resolved_at,
        status_category_changed_at, ingest_id) values
    ('JC-1', 'jira', 'JC', 'JC', 'Story', 'Done', 'done', null, null, '2025-03-10 09:00:00+00', 3),
    ('JC-2', 'jira', 'JC', 'JC', 'Story', 'Done', 'done', null, '2025-03-12 09:00:00+00', '2025-03-12 09:00:00+00', 3),
    ('JC-3', 'jira', 'JC', 'JC', 'Story', 'Done', 'done', null, null, null, 3),
    ('JC-4', 'jira', 'JC', 'JC', 'Story', 'In Progress', 'in_progress', null, null, '2025-03-01 09:00:00+00', 3);
insert into ingest_notes (ingest_id, file, format, column_name, metric, note) values
    (3, 'jira.csv', 'jira-csv', 'created', 'flow', 'no Created column: export it (lead time and backlog age need it)');
