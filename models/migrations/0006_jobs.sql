-- Scheduled jobs (relscope run / serve, DESIGN §8) and snapshot exports: what each job run did
-- and saw, every notification it delivered, and the items a snapshot export no longer holds.

-- An item a snapshot export no longer holds: kept in work_items as it was last exported, left
-- out of every model (the staging views skip it), listed in mart_coverage. A later export
-- that holds the item again deletes its row here (it is restored).
create table if not exists work_item_removals (
    source          varchar not null,
    item_key        varchar not null,
    project         varchar,
    removed_at      timestamptz not null,
    ingest_id       bigint not null
);

-- One row per run of a job of a jobs file.
create table if not exists job_runs (
    run_id          bigint not null,
    job             varchar not null,
    started_at      timestamptz not null,
    finished_at     timestamptz,
    status          varchar not null,
    error           varchar,
    as_of           timestamptz,
    outputs         varchar[],
    events          varchar
);

-- What a finished run saw in the marts, so the job's next run can say what changed since.
create table if not exists job_observations (
    run_id          bigint not null,
    job             varchar not null,
    kind            varchar not null,
    key             varchar not null,
    value           varchar,
    detail          varchar
);

-- One row per notification a run delivered (or failed to deliver) to one target.
create table if not exists notification_log (
    delivery_id     varchar not null,
    run_id          bigint not null,
    job             varchar not null,
    target          varchar not null,
    endpoint        varchar not null,
    format          varchar not null,
    events          varchar[] not null,
    attempts        integer not null,
    status_code     integer,
    outcome         varchar not null,
    error           varchar,
    first_attempt_at timestamptz not null,
    last_attempt_at timestamptz not null,
    payload_bytes   bigint not null
);

comment on table work_item_removals is 'Items a snapshot export (ingest --snapshot, snapshot: true in a jobs file) no longer holds: kept in work_items, excluded from every mart, listed in mart_coverage.';
comment on column work_item_removals.source is 'The item''s source (work_items.source).';
comment on column work_item_removals.item_key is 'The item''s key (work_items.item_key).';
comment on column work_item_removals.project is 'Its project: a snapshot removes only items of the projects it holds.';
comment on column work_item_removals.removed_at is 'When the snapshot that no longer held it was loaded (UTC).';
comment on column work_item_removals.ingest_id is 'The first file of that snapshot (ingest_runs.ingest_id).';

comment on table job_runs is 'One row per run of a job (relscope run, relscope serve).';
comment on column job_runs.run_id is 'Run number, across every job.';
comment on column job_runs.job is 'The job''s name in the jobs file.';
comment on column job_runs.started_at is 'When the run began (UTC).';
comment on column job_runs.finished_at is 'When it ended (UTC).';
comment on column job_runs.status is 'finished or failed.';
comment on column job_runs.error is 'Why it failed (no URL or secret is ever written here).';
comment on column job_runs.as_of is 'The as_of its build measured at.';
comment on column job_runs.outputs is 'The outputs it wrote, relative to the jobs file''s output folder.';
comment on column job_runs.events is 'The events it found since the job''s previous finished run, as a JSON array (type, summary, subject, from, to, detail).';

comment on table job_observations is 'What each finished job run saw (blockers'' statuses, release membership, P85 dates, readiness verdicts, DORA bands): the job''s next run diffs against it for its events.';
comment on column job_observations.run_id is 'The run (job_runs.run_id).';
comment on column job_observations.job is 'The job.';
comment on column job_observations.kind is 'blocker, release_item, release_forecast, readiness or dora_band.';
comment on column job_observations.key is 'What was observed (an item, release, or team and metric).';
comment on column job_observations.value is 'Its state (a status, a date, a verdict, a band).';
comment on column job_observations.detail is 'What an event about it needs to say, as JSON.';

comment on table notification_log is 'Every webhook delivery of a job run: target, events, attempts, outcome. Never the URL or the secret.';
comment on column notification_log.delivery_id is 'The delivery''s id (the webhook-id header of signed JSON deliveries), the same on every retry.';
comment on column notification_log.run_id is 'The run (job_runs.run_id).';
comment on column notification_log.job is 'The job.';
comment on column notification_log.target is 'The target''s name in the jobs file (or notify[N]).';
comment on column notification_log.endpoint is 'The first 12 hex digits of the URL''s SHA-256: tells endpoints apart without showing them.';
comment on column notification_log.format is 'slack, teams or json.';
comment on column notification_log.events is 'The event types the delivery carried.';
comment on column notification_log.attempts is 'HTTP attempts made (retries on 429, 5xx and network errors).';
comment on column notification_log.status_code is 'The last response''s HTTP status; null when none came.';
comment on column notification_log.outcome is 'delivered or failed.';
comment on column notification_log.error is 'Why it failed, with the URL redacted.';
comment on column notification_log.first_attempt_at is 'First attempt (UTC).';
comment on column notification_log.last_attempt_at is 'Last attempt (UTC).';
comment on column notification_log.payload_bytes is 'Size of the body sent.';
