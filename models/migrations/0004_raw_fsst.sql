-- raw is stored with FSST compression, chosen rather than found. Each record's JSON is unique,
-- so DuckDB always ended up choosing FSST, after first trying a dictionary on every row group:
-- the trial was a sixth of ingest's write cost (110 MB Jira CSV, 420k records: 2.77 s instead
-- of 3.0 s) and the file is no larger. DuckDB cannot change a column's compression in place,
-- so each raw column is copied into a new one here, and the old one dropped in 0005 (DuckDB
-- refuses to commit a transaction that both updates a table and then drops its column).
alter table work_items add column raw_fsst varchar using compression fsst;
update work_items set raw_fsst = raw;
alter table releases add column raw_fsst varchar using compression fsst;
update releases set raw_fsst = raw;
alter table deployments add column raw_fsst varchar using compression fsst;
update deployments set raw_fsst = raw;
alter table incidents add column raw_fsst varchar using compression fsst;
update incidents set raw_fsst = raw;
alter table changes add column raw_fsst varchar using compression fsst;
update changes set raw_fsst = raw;
