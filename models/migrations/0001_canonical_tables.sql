-- The canonical tables of DESIGN §3: what every ingester writes. Keys are (source, external id);
-- they are kept unique by ingest's merge (delete-then-insert per key) and checked by the data
-- tests on every build, not by PRIMARY KEY constraints, which would slow bulk loads.

create table ingest_runs (
    ingest_id       bigint not null,
    file            varchar not null,
    sha256          varchar not null,
    format          varchar not null,
    started_at      timestamptz not null,
    finished_at     timestamptz,
    rows_read       bigint not null,
    rows_loaded     bigint not null,
    rows_rejected   bigint not null
);

create table ingest_rejects (
    ingest_id       bigint not null,
    file            varchar not null,
    line            bigint not null,
    reason          varchar not null,
    raw_line        varchar
);

create table work_items (
    item_key                varchar not null,
    source                  varchar not null,
    project                 varchar,
    team                    varchar,
    item_type               varchar,
    title                   varchar,
    description             varchar,
    status                  varchar,
    status_category         varchar,
    priority                varchar,
    created_at              timestamptz,
    updated_at              timestamptz,
    resolved_at             timestamptz,
    committed_at            timestamptz,
    story_points            double,
    original_estimate_hours double,
    time_spent_hours        double,
    fix_versions            varchar[],
    sprints                 varchar[],
    labels                  varchar[],
    components              varchar[],
    parent_key              varchar,
    epic_key                varchar,
    assignee                varchar,
    url                     varchar,
    business_value          double,
    time_criticality        double,
    risk_reduction          double,
    security_level          varchar,
    due_date                date,
    is_public               boolean,
    ingest_id               bigint not null,
    raw                     json
);

create table work_item_transitions (
    source          varchar not null,
    item_key        varchar not null,
    -- "at" is a reserved word in DuckDB 1.5: quote it ("at") or qualify it (t.at) in SQL.
    "at"            timestamptz not null,
    field           varchar not null,
    from_value      varchar,
    to_value        varchar,
    ingest_id       bigint not null
);

create table work_item_links (
    source          varchar not null,
    item_key        varchar not null,
    link_type       varchar not null,
    target_key      varchar not null,
    ingest_id       bigint not null
);

create table releases (
    name            varchar not null,
    source          varchar not null,
    project         varchar not null,
    planned_date    date,
    freeze_date     date,
    released_at     timestamptz,
    is_released     boolean,
    description     varchar,
    ingest_id       bigint not null,
    raw             json
);

create table deployments (
    deployment_id   varchar not null,
    source          varchar not null,
    service         varchar,
    team            varchar,
    environment     varchar,
    is_production   boolean,
    status          varchar,
    kind            varchar,
    started_at      timestamptz,
    finished_at     timestamptz,
    version         varchar,
    change_id       varchar,
    commit_sha      varchar,
    commit_time     timestamptz,
    pipeline        varchar,
    description     varchar,
    item_keys       varchar[],
    ingest_id       bigint not null,
    raw             json
);

create table incidents (
    incident_id             varchar not null,
    source                  varchar not null,
    service                 varchar,
    team                    varchar,
    severity                varchar,
    title                   varchar,
    created_at              timestamptz,
    acknowledged_at         timestamptz,
    resolved_at             timestamptz,
    caused_by_deployment    varchar,
    change_id               varchar,
    item_keys               varchar[],
    ingest_id               bigint not null,
    raw                     json
);

create table changes (
    change_id       varchar not null,
    source          varchar not null,
    type            varchar,
    state           varchar,
    risk            varchar,
    approval        varchar,
    approved_at     timestamptz,
    planned_start   timestamptz,
    planned_end     timestamptz,
    backout_plan    varchar,
    cmdb_ci         varchar,
    service         varchar,
    team            varchar,
    release         varchar,
    item_keys       varchar[],
    ingest_id       bigint not null,
    raw             json
);
