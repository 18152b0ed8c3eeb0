-- description: Pipeline failure rate of deployment runs in every environment: runs whose status
-- description: is failed / finished runs (success, failed, rolled_back, cancelled), per team,
-- description: environment and month of finish. A rollback or a later incident is not a pipeline
-- description: failure: the run itself succeeded.
-- grain: one row per team, environment and month
-- test: unique(team, environment, month)
-- test: expression(failure_rate between 0 and 1)
-- test: expression(failures <= runs)
select
    team,
    coalesce(environment, '(none)') as environment,
    month,
    count(*) as runs,
    count(*) filter (where status = 'failed') as failures,
    count(*) filter (where status = 'failed') / count(*) as failure_rate
from mart_deployments
where status in ('success', 'failed', 'rolled_back', 'cancelled')
    and finished_at is not null
group by all
