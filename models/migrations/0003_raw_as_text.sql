-- raw holds the export's record as JSON text. As the JSON type, every record relscope wrote
-- (always valid JSON it produced itself) was parsed again on load, a fifth of ingest time;
-- DuckDB's JSON functions (raw->>'field', json_keys(raw), json_type(raw)) read VARCHAR the same.
alter table work_items alter raw type varchar;
alter table releases alter raw type varchar;
alter table deployments alter raw type varchar;
alter table incidents alter raw type varchar;
alter table changes alter raw type varchar;
comment on column work_items.raw is 'The export''s record, every column, as JSON text (raw->>''field'').';
comment on column releases.raw is 'The export''s record as JSON text.';
comment on column deployments.raw is 'The export''s record as JSON text.';
comment on column incidents.raw is 'The export''s record as JSON text.';
comment on column changes.raw is 'The export''s record as JSON text.';
