-- The second half of 0004: the FSST copy of each raw column takes the old one's place, as the
-- table's last column, with its description.
alter table work_items drop column raw;
alter table work_items rename column raw_fsst to raw;
alter table releases drop column raw;
alter table releases rename column raw_fsst to raw;
alter table deployments drop column raw;
alter table deployments rename column raw_fsst to raw;
alter table incidents drop column raw;
alter table incidents rename column raw_fsst to raw;
alter table changes drop column raw;
alter table changes rename column raw_fsst to raw;
comment on column work_items.raw is 'The export''s record, every column, as JSON text (raw->>''field'').';
comment on column releases.raw is 'The export''s record as JSON text.';
comment on column deployments.raw is 'The export''s record as JSON text.';
comment on column incidents.raw is 'The export''s record as JSON text.';
comment on column changes.raw is 'The export''s record as JSON text.';
