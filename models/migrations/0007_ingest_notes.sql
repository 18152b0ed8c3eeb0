-- What an export left out, and what the export says about when an item reached done.

-- A column a file did not have (users export the columns of their own saved query): one row
-- per file and column, never a row reject. mart_coverage reads it (stg_relscope__ingest_notes).
create table if not exists ingest_notes (
    ingest_id       bigint not null,
    file            varchar not null,
    format          varchar not null,
    column_name     varchar not null,
    metric          varchar not null,
    note            varchar not null
);
comment on table ingest_notes is 'Columns a loaded file did not have, and what that costs: one row per file and column.';
comment on column ingest_notes.ingest_id is 'The file''s ingest run.';
comment on column ingest_notes.file is 'The file as named on the command line.';
comment on column ingest_notes.format is 'The format it was read as.';
comment on column ingest_notes.column_name is 'The column it lacked (the format''s name for it).';
comment on column ingest_notes.metric is 'The mart_coverage metric the missing column affects.';
comment on column ingest_notes.note is 'What is unavailable without it, and where to get it.';

-- Jira's "Status Category Changed": when an item last entered a status of another category.
-- Done items whose export has no resolution time reached done then (models use it, with the
-- basis recorded).
alter table work_items add column if not exists status_category_changed_at timestamptz;
comment on column work_items.status_category_changed_at is 'When the item last changed status category, where the export says (Jira CSV "Status Category Changed").';
