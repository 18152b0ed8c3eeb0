-- description: Production deployments that count for delivery metrics: status success, failed
-- description: or rolled_back, finished by as_of.
-- grain: one row per production deployment (source, deployment_id)
-- test: unique(source, deployment_id)
-- test: not_null(finished_at, service)
select d.*
from stg_relscope__deployments as d
cross join relscope_settings as s
where d.is_production
    and d.status in ('success', 'failed', 'rolled_back')
    and d.finished_at is not null
    and d.finished_at <= s.as_of
