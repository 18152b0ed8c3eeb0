-- Four teams whose March 2025 change failure rates sit exactly on the DORA bands' boundaries
-- (see TestDoraBandBoundaries): n production deployments an hour apart from 03-03 00:00, the
-- first k failed, each recovered by the next success.
insert into deployments (deployment_id, source, service, team, environment, is_production, status, kind, finished_at,
        commit_time, ingest_id)
select t.team || '-' || r.i, 'native', lower(t.team) || '-api', t.team, 'prod', true,
    case when r.i < t.failed then 'failed' else 'success' end, 'normal',
    timestamptz '2025-03-03 00:00:00+00' + to_hours(r.i),
    case when t.team = 'B20' then timestamptz '2025-03-02 00:00:00+00' + to_hours(r.i) end, 1
from (values ('B05', 20, 1), ('B15', 20, 3), ('B20', 5, 1), ('B40', 5, 2)) as t(team, n, failed)
cross join range(20) as r(i)
where r.i < t.n;
