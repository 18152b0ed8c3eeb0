-- Rules are applied once, at build (DESIGN §1): from this version on, ingest stores what each
-- export says and the models apply relscope.yaml (the stg_relscope__* views read the relscope_*
-- settings tables). The columns keep their names; their descriptions say what they hold now.
-- Rows an older relscope loaded hold the rules of that time, which the build applies again
-- on top (the same result for every rule still configured; re-ingest with --force to drop one).
comment on column work_items.team is 'The export''s own team field (Jira Team, ADO Area Path, Linear Team; null when the export has none). The team the marts use is stg_relscope__work_items.team: this, else the project, through team_aliases.';
comment on column work_items.status_category is 'The export''s own status category in relscope''s words (Jira statusCategory, Linear/GitHub states; null when the export has none). The category the marts use is stg_relscope__work_items.status_category: status_categories, then this, then the name rules.';
comment on column work_items.is_public is 'The export''s own word on publishing (native is_public, GitLab confidential; null when it says nothing). The marts use stg_relscope__work_items.is_public: this, else the public rules of relscope.yaml.';
comment on column deployments.team is 'The export''s own team field (null when it has none). The marts use stg_relscope__deployments.team: this, else service_teams, through team_aliases.';
comment on column deployments.is_production is 'Not decided at ingest (null): production is the production_environments rule, applied at build (stg_relscope__deployments.is_production).';
comment on column incidents.team is 'The export''s own team field (null when it has none). The marts use stg_relscope__incidents.team: this, else service_teams, through team_aliases.';
comment on column changes.team is 'The export''s own team field (null when it has none). The marts use stg_relscope__changes.team: this, else service_teams, through team_aliases.';
