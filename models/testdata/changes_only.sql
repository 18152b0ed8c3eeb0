-- Change records alone (models/coverage_test.go).
insert into changes (change_id, source, type, state, approval, service, team, ingest_id) values
    ('CHG0030001', 'servicenow', 'normal', 'Closed', 'Approved', 'billing', 'Billing', 1);
