-- description: DORA band cut-offs per report year (2023, 2024), metric and band: a value is in
-- description: the first band (by rank) whose bound it meets. Lower is better for lead time,
-- description: change failure rate and recovery (value <= upper_bound); higher is better for
-- description: deployment frequency (value >= lower_bound, in deployment days per week, median).
-- description: The only place the cut-offs live; METRICS.md explains each and its source.
-- grain: one row per report year, metric and band
-- test: unique(report_year, metric, band)
-- test: accepted_values(band: elite, high, medium, low)
select * from (values
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
) as t(report_year, metric, band, band_rank, lower_bound, upper_bound)
