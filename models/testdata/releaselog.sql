-- The hand-built release log of models/releaselog_test.go (see the comment there for every row);
-- queries/ and reports/ tests use it too.
insert into releases (name, source, project, planned_date, freeze_date, released_at, is_released, ingest_id) values
    ('WEB 0.9', 'native', 'WEB', '2025-03-20', null, null, false, 1),
    ('WEB 1.0', 'native', 'WEB', '2025-03-03', null, '2025-03-03 15:00:00+00', true, 1),
    ('WEB 1.1', 'native', 'WEB', '2025-03-17', null, '2025-03-18 09:00:00+00', true, 1),
    ('WEB 1.2', 'native', 'WEB', '2025-03-24', null, '2025-03-24 12:00:00+00', true, 1),
    ('WEB 2.0', 'native', 'WEB', '2025-04-14', null, null, false, 1);
insert into work_items (item_key, source, project, team, item_type, title, status, status_category, created_at, resolved_at,
        fix_versions, labels, security_level, is_public, ingest_id, raw) values
    ('WEB-1', 'native', 'WEB', 'Web', 'Story', 'Implement SEPA adapter', 'Done', 'done', '2025-02-01 00:00:00+00', '2025-03-01 00:00:00+00',
        ['WEB 1.0'], [], null, true, 1, '{"key":"WEB-1","release_note":"Pay by bank transfer"}'),
    ('WEB-2', 'native', 'WEB', 'Web', 'Bug', 'Totals wrong for EUR', 'Done', 'done', '2025-02-01 00:00:00+00', '2025-03-01 00:00:00+00',
        ['WEB 1.0'], ['Highlight'], null, true, 1, '{"key":"WEB-2"}'),
    ('WEB-3', 'native', 'WEB', 'Web', 'Story', 'SECRET-PROJECT-ZEBRA migration', 'Done', 'done', '2025-02-01 00:00:00+00', '2025-03-01 00:00:00+00',
        ['WEB 1.0'], ['internal'], null, false, 1, '{"key":"WEB-3","release_note":"SECRET-PROJECT-ZEBRA note"}'),
    ('WEB-4', 'native', 'WEB', 'Web', 'Bug', 'Exports slow for large accounts', 'In Progress', 'in_progress', '2025-02-01 00:00:00+00', null,
        ['WEB 1.0'], ['known-issue'], null, true, 1, '{"key":"WEB-4"}'),
    ('WEB-5', 'jira-csv', 'WEB', 'Web', 'Task', 'Tune the Elastic shards', 'Done', 'done', '2025-03-01 00:00:00+00', '2025-03-15 00:00:00+00',
        ['WEB 1.1'], [], null, true, 1, '{"Issue key":"WEB-5","Custom field (Release note)":"Faster search"}'),
    ('WEB-6', 'native', 'WEB', 'Web', 'Story', 'Saved searches', 'In Progress', 'in_progress', '2025-03-01 00:00:00+00', null,
        ['WEB 1.1'], [], null, true, 1, '{"key":"WEB-6"}'),
    ('WEB-7', 'native', 'WEB', 'Web', 'Story', 'Fax export', 'Won''t Do', 'cancelled', '2025-03-01 00:00:00+00', '2025-03-10 00:00:00+00',
        ['WEB 1.1'], [], null, true, 1, '{"key":"WEB-7"}'),
    ('WEB-8', 'native', 'WEB', 'Web', 'Task', 'Rotate the signing keys', 'Done', 'done', '2025-03-01 00:00:00+00', '2025-03-20 00:00:00+00',
        ['WEB 1.2'], [], 'Staff only', false, 1, '{"key":"WEB-8"}'),
    ('WEB-9', 'jira-json', 'WEB', 'Web', 'Story', 'Theme switcher', 'Done', 'done', '2025-03-01 00:00:00+00', '2025-03-28 00:00:00+00',
        ['WEB 2.0'], [], null, true, 1, '{"key":"WEB-9","fields":{"summary":"Theme switcher","customfield_10050":"Dark mode"}}'),
    ('WEB-10', 'native', 'WEB', 'Web', 'Story', 'Patch the XML parser', 'To Do', 'backlog', '2025-03-01 00:00:00+00', null,
        ['WEB 2.0'], ['CVE'], null, true, 1, '{"key":"WEB-10"}'),
    ('WEB-11', 'native', 'WEB', 'Web', 'Story', 'Onboarding tour', 'Done', 'done', '2025-03-01 00:00:00+00', '2025-03-29 00:00:00+00',
        ['WEB 2.0', ' web 2.0'], [], null, true, 1, '{"key":"WEB-11","release_note":"   "}'),
    ('WEB-12', 'native', 'WEB', 'Web', 'Bug', 'Login loops on Safari', 'Done', 'done', '2025-03-01 00:00:00+00', '2025-03-19 00:00:00+00',
        ['WEB 0.9'], [], null, true, 1, '{"key":"WEB-12"}');
insert into deployments (deployment_id, source, service, team, environment, is_production, status, kind, finished_at, version, ingest_id) values
    ('w1', 'native', 'web-api', 'Web', 'prod', true, 'success', 'normal', '2025-03-03 15:00:00+00', 'WEB 1.0', 1),
    ('w2', 'native', 'web-api', 'Web', 'prod', true, 'rolled_back', 'normal', '2025-03-18 10:00:00+00', 'WEB 1.1', 1),
    ('w3', 'native', 'web-ui', 'Web', 'prod', true, 'success', 'normal', '2025-03-18 10:00:00+00', 'WEB 1.1', 1),
    ('w4', 'native', 'web-api', 'Web', 'prod', true, 'success', 'rollback', '2025-03-18 10:20:00+00', 'WEB 1.0', 1),
    ('w5', 'native', 'web-api', 'Web', 'prod', true, 'rolled_back', 'normal', '2025-03-24 12:00:00+00', 'WEB 1.2', 1),
    ('w6', 'native', 'web-api', 'Web', 'prod', true, 'success', 'normal', '2025-03-25 09:00:00+00', 'WEB 1.2', 1),
    ('w7', 'native', 'web-api', 'Web', 'staging', false, 'rolled_back', 'normal', '2025-03-30 09:00:00+00', 'WEB 1.0', 1);
