-- An item whose export records its history before its creation (models/commitment_test.go).
insert into work_items (item_key, source, project, team, item_type, status, status_category, created_at, resolved_at, ingest_id) values
    ('MOV-1', 'jira', 'MOV', 'MOV', 'Story', 'Done', 'done', '2025-03-05 00:00:00+00', '2025-03-10 00:00:00+00', 7);
insert into work_item_transitions (source, item_key, "at", field, from_value, to_value, ingest_id) values
    ('jira', 'MOV-1', '2025-03-03 00:00:00+00', 'status', 'To Do', 'In Progress', 7),
    ('jira', 'MOV-1', '2025-03-10 00:00:00+00', 'status', 'In Progress', 'Done', 7);
