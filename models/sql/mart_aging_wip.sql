-- description: Open committed work: items whose category is in_progress or blocked, with their
-- description: age at as_of (as_of − committed_at) against the team's trailing-90-day cycle-time
-- description: percentiles. aging_status: on_track (≤ p50), watch (≤ p85), at_risk (≤ p95),
-- description: critical (> p95), no_baseline (the team delivered nothing in 90 days).
-- grain: one row per open committed item (source, item_key)
-- column: age_days: as_of − committed_at, fractional days
-- test: unique(source, item_key)
-- test: not_null(item_key, team, committed_at, age_days, aging_status)
-- test: expression(age_days >= 0)
-- test: accepted_values(aging_status: on_track, watch, at_risk, critical, no_baseline)
-- test: accepted_values(status_category: in_progress, blocked)
with open_items as (
    select
        w.source,
        w.item_key,
        w.team,
        w.item_type,
        w.title,
        w.status,
        w.status_category,
        w.fix_versions,
        c.committed_at,
        c.committed_basis
    from stg_relscope__work_items as w
    join int_item_commitment as c using (source, item_key)
    cross join relscope_settings as s
    where w.status_category in ('in_progress', 'blocked')
        and c.committed_at <= s.as_of
),

final as (
    select
        o.*,
        relscope_seconds_between(o.committed_at, s.as_of) / 86400.0 as age_days,
        b.p50_days as team_p50_days,
        b.p85_days as team_p85_days,
        b.p95_days as team_p95_days
    from open_items as o
    cross join relscope_settings as s
    left join int_team_cycle_baseline as b on b.team = o.team
)

select
    *,
    case
        when team_p50_days is null then 'no_baseline'
        when age_days <= team_p50_days then 'on_track'
        when age_days <= team_p85_days then 'watch'
        when age_days <= team_p95_days then 'at_risk'
        else 'critical'
    end as aging_status
from final
