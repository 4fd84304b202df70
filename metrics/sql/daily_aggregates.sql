-- Rendered from metrics/registry.py by metrics/render.py: do not edit by hand.
-- Additive numerators and denominators per department and day. A calendar change or a
-- first import runs this over every case; any other import runs it over its own cases and
-- the cases they replace, and daily_merge.sql adds the difference to the live table.
-- Any period's figure is then a sum over days: the date that puts a case into a period
-- differs by measure (spec 3), so each part is counted on its own day. Each line names
-- the measures that use it.
CREATE OR REPLACE TABLE dept_daily AS
WITH accepted AS (
    -- cases by accepted_at
    SELECT dept, accepted_date AS day,
        count(*) AS accepted_cases,                               -- online_rate, instant_ratio, cases
        count(*) FILTER (WHERE channel = 'online') AS accepted_online,  -- online_rate
        count(*) FILTER (WHERE item_type = 'instant') AS accepted_instant  -- instant_ratio
    FROM case_facts
    GROUP BY ALL
),
completed AS (
    -- cases by completed_at (status completed)
    SELECT dept, completed_date AS day,
        count(*) FILTER (WHERE in_early_base) AS early_base,      -- early_completion_rate
        count(*) FILTER (WHERE in_early_base AND is_early) AS early_cases,  -- early_completion_rate
        count(*) AS completed_cases,                              -- rating_coverage, avg_actual_days, same_day_completion_rate, completed_cases
        count(*) FILTER (WHERE rating IS NOT NULL) AS completed_rated,  -- rating_coverage
        sum(statutory_limit_days) FILTER (WHERE statutory_limit_days >= 1) AS compression_statutory,  -- time_compression, avg_statutory_days
        sum(elapsed_workdays) FILTER (WHERE statutory_limit_days >= 1) AS compression_elapsed,  -- time_compression
        sum(statutory_limit_days) FILTER (WHERE statutory_limit_days >= 1 AND promised_limit_days IS NOT NULL) AS promise_statutory,  -- promise_compression
        sum(promised_limit_days) FILTER (WHERE statutory_limit_days >= 1 AND promised_limit_days IS NOT NULL) AS promise_promised,  -- promise_compression
        sum(elapsed_workdays) AS elapsed_sum,                     -- avg_actual_days
        count(*) FILTER (WHERE item_type = 'committed' AND promised_limit_days IS NOT NULL) AS committed_promised_cases,  -- avg_promised_days
        sum(promised_limit_days) FILTER (WHERE item_type = 'committed') AS committed_promised_sum,  -- avg_promised_days
        count(*) FILTER (WHERE statutory_limit_days >= 1) AS compression_cases,  -- avg_statutory_days
        count(*) FILTER (WHERE window_signed IS NOT NULL) AS window_known,  -- window_signoff_rate
        count(*) FILTER (WHERE window_signed) AS window_signed,   -- window_signoff_rate
        count(*) FILTER (WHERE deadline IS NOT NULL) AS deadline_cases,  -- on_time_rate
        count(*) FILTER (WHERE is_on_time) AS on_time_cases,      -- on_time_rate
        count(*) FILTER (WHERE completed_date = accepted_date) AS same_day_cases,  -- same_day_completion_rate
        count(*) FILTER (WHERE deadline IS NOT NULL AND NOT is_on_time) AS overdue_cases  -- overdue_cases
    FROM case_facts
    WHERE is_completion
    GROUP BY ALL
),
rated AS (
    -- cases by rated_at, else completed_at (status completed)
    SELECT dept, CAST(coalesce(rated_at, completed_at) AS DATE) AS day,
        count(*) AS ratings,                                      -- satisfaction_rate
        count(*) FILTER (WHERE rating >= 3) AS ratings_satisfied,  -- satisfaction_rate
        count(*) FILTER (WHERE rating = 1) AS rating_1,           -- satisfaction_rate
        count(*) FILTER (WHERE rating = 2) AS rating_2,           -- satisfaction_rate
        count(*) FILTER (WHERE rating = 3) AS rating_3,           -- satisfaction_rate
        count(*) FILTER (WHERE rating = 4) AS rating_4,           -- satisfaction_rate
        count(*) FILTER (WHERE rating = 5) AS rating_5            -- satisfaction_rate
    FROM case_facts
    WHERE is_completion AND rating IS NOT NULL
    GROUP BY ALL
),
-- open_overdue_cases: open and past the deadline at the end of day D when
--   greatest(CAST(deadline AS DATE), accepted_date) <= D
--   and not completed_date <= D.
-- +1 on the first such day, -1 on the day it ends (one scan emits both).
-- dept_period.sql adds up the events to each period's last day.
period_end_events AS (
    SELECT dept, day, sum(delta) AS open_overdue_cases_delta
    FROM (
        SELECT dept,
            unnest([greatest(CAST(deadline AS DATE), accepted_date), completed_date]) AS day,
            unnest([1, -1]) AS delta
        FROM case_facts
        WHERE status NOT IN ('withdrawn', 'rejected') AND deadline IS NOT NULL
          AND (completed_date IS NULL OR completed_date > greatest(CAST(deadline AS DATE), accepted_date))
    )
    WHERE day IS NOT NULL
    GROUP BY ALL
    HAVING sum(delta) <> 0
)
SELECT dept, day, coalesce(COLUMNS(* EXCLUDE (dept, day)), 0)::BIGINT
FROM (
    SELECT dept, day, sum(COLUMNS(* EXCLUDE (dept, day)))
    FROM (
        SELECT * FROM accepted
        UNION ALL BY NAME SELECT * FROM completed
        UNION ALL BY NAME SELECT * FROM rated
        UNION ALL BY NAME SELECT * FROM period_end_events
    )
    GROUP BY dept, day
)
ORDER BY day, dept;
