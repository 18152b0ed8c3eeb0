package models

// The DORA bands: their cut-offs, and the one lookup every model and named query grades a
// value with. Both are written by the build beside the other settings (Settings.write).

// doraThresholds are the cut-offs per report year (2023, 2024), metric and band — the only
// place they live (METRICS.md explains each and its source). A value is in the first band by
// rank whose bounds it meets: at least lower_bound (deployment frequency, in deployment days
// per week, median: higher is better), below upper_bound — or at it, where upper_inclusive —
// for lead time, change failure rate and recovery (lower is better).
const doraThresholds = `create or replace table relscope_dora_thresholds as
select report_year, metric, band, band_rank, lower_bound, upper_bound, metric = 'change_failure_rate' as upper_inclusive
from (values
    -- deployment frequency: on demand (every working day) / daily-to-weekly / weekly-to-monthly / less
    (2023, 'deployment_frequency', 'elite', 1, 5.0, null),
    (2023, 'deployment_frequency', 'high', 2, 1.0, null),
    (2023, 'deployment_frequency', 'medium', 3, 0.0, null),
    (2023, 'deployment_frequency', 'low', 4, null, null),
    (2024, 'deployment_frequency', 'elite', 1, 5.0, null),
    (2024, 'deployment_frequency', 'high', 2, 1.0, null),
    (2024, 'deployment_frequency', 'medium', 3, 0.0, null),
    (2024, 'deployment_frequency', 'low', 4, null, null),
    -- lead time for changes, hours: < 1 day / < 1 week / < 1 month / longer
    (2023, 'lead_time', 'elite', 1, null, 24.0),
    (2023, 'lead_time', 'high', 2, null, 168.0),
    (2023, 'lead_time', 'medium', 3, null, 720.0),
    (2023, 'lead_time', 'low', 4, null, null),
    (2024, 'lead_time', 'elite', 1, null, 24.0),
    (2024, 'lead_time', 'high', 2, null, 168.0),
    (2024, 'lead_time', 'medium', 3, null, 720.0),
    (2024, 'lead_time', 'low', 4, null, null),
    -- change failure rate: 2023 clusters 5% / 10% / 15% / 64%
    (2023, 'change_failure_rate', 'elite', 1, null, 0.05),
    (2023, 'change_failure_rate', 'high', 2, null, 0.10),
    (2023, 'change_failure_rate', 'medium', 3, null, 0.15),
    (2023, 'change_failure_rate', 'low', 4, null, null),
    -- 2024 clusters 5% / 20% / 10% / 40% are not ordered; relscope keeps elite 5% and high 20%
    -- and grades medium up to the low cluster's 40%
    (2024, 'change_failure_rate', 'elite', 1, null, 0.05),
    (2024, 'change_failure_rate', 'high', 2, null, 0.20),
    (2024, 'change_failure_rate', 'medium', 3, null, 0.40),
    (2024, 'change_failure_rate', 'low', 4, null, null),
    -- failed deployment recovery time, hours: < 1 hour / < 1 day / < 1 week / longer
    (2023, 'recovery_time', 'elite', 1, null, 1.0),
    (2023, 'recovery_time', 'high', 2, null, 24.0),
    (2023, 'recovery_time', 'medium', 3, null, 168.0),
    (2023, 'recovery_time', 'low', 4, null, null),
    (2024, 'recovery_time', 'elite', 1, null, 1.0),
    (2024, 'recovery_time', 'high', 2, null, 24.0),
    (2024, 'recovery_time', 'medium', 3, null, 168.0),
    (2024, 'recovery_time', 'low', 4, null, null)
) as t(report_year, metric, band, band_rank, lower_bound, upper_bound)`

// doraMacros grade a value against the configured report year's cut-offs (dora_bands):
// relscope_dora_band(metric, value) for lead_time, change_failure_rate and recovery_time (null
// for a null value), relscope_dora_frequency_band(deploy_days_per_week_p50, deployed) for
// deployment frequency, where a period without (enough) successful deployments — deployed
// false — is low whatever its median: a month needs one, a period of months one a month. Named queries that grade a period's values call these instead of reading the cut-offs.
const doraMacros = `
create or replace macro relscope_dora_band(metric_, value_) as (
    select arg_min(t.band, t.band_rank)
    from relscope_dora_thresholds as t
    cross join relscope_settings as s
    where t.report_year = s.dora_bands and t.metric = metric_ and value_ is not null
        and (t.lower_bound is null or value_ >= t.lower_bound)
        and (t.upper_bound is null or value_ < t.upper_bound or (t.upper_inclusive and value_ = t.upper_bound))
);
create or replace macro relscope_dora_frequency_band(days_per_week_, deployed_) as
    relscope_dora_band('deployment_frequency',
        case when deployed_ and days_per_week_ is not null then days_per_week_ else -1 end);`
