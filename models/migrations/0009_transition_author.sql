-- Who made each history entry, where the export says (Jira changelog authors; native
-- transitions.csv's `by`): release managers ask who added an item to a frozen release.
alter table work_item_transitions add column if not exists author varchar;
comment on column work_item_transitions.author is 'Who made the change, as the export names them (null: the export does not say).';
