-- Rendered from metrics/registry.py by metrics/render.py: do not edit by hand.
-- The parts of every case measure per department, item and day, built and updated as
-- dept_daily is (item_merge.sql): the Department page's item table sums its days
-- (item_parts.sql) instead of reading every case of the store.
CREATE OR REPLACE TABLE item_daily AS
WITH accepted AS (
    -- cases by accepted_at
    SELECT dept, item_code, item_name, accepted_date AS day,
        count(*) AS accepted_cases,                               -- online_rate, instant_ratio, cases
        count(*) FILTER (WHERE channel = 'online') AS accepted_online,  -- online_rate
        count(*) FILTER (WHERE item_type = 'instant') AS accepted_instant  -- instant_ratio
    FROM case_facts
    GROUP BY ALL
),
completed AS (
    -- cases by completed_at (status completed)
    SELECT dept, item_code, item_name, completed_date AS day,
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
    SELECT dept, item_code, item_name, CAST(coalesce(rated_at, completed_at) AS DATE) AS day,
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
)
SELECT dept, item_code, item_name, day, coalesce(COLUMNS(* EXCLUDE (dept, item_code, item_name, day)), 0)::BIGINT
FROM (
    SELECT dept, item_code, item_name, day, sum(COLUMNS(* EXCLUDE (dept, item_code, item_name, day)))
    FROM (
        SELECT * FROM accepted
        UNION ALL BY NAME SELECT * FROM completed
        UNION ALL BY NAME SELECT * FROM rated
    )
    GROUP BY dept, item_code, item_name, day
)
ORDER BY day, dept, item_code, item_name;
