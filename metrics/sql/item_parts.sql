-- Rendered from metrics/registry.py by metrics/render.py: do not edit by hand.
-- The parts of every case measure for one department's items in a period; the page
-- computes each item's figures from them as it does a department's.
-- Parameters: $start, $end (dates), $dept.
WITH accepted AS (
    -- cases by accepted_at
    SELECT coalesce(item_code, '') AS item_code, any_value(item_name) AS item_name,
        count(*) AS accepted_cases,                               -- online_rate, instant_ratio, cases
        count(*) FILTER (WHERE channel = 'online') AS accepted_online,  -- online_rate
        count(*) FILTER (WHERE item_type = 'instant') AS accepted_instant  -- instant_ratio
    FROM case_facts
    WHERE dept = $dept AND accepted_date BETWEEN $start AND $end
    GROUP BY ALL
),
completed AS (
    -- cases by completed_at (status completed)
    SELECT coalesce(item_code, '') AS item_code, any_value(item_name) AS item_name,
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
    WHERE dept = $dept AND completed_date BETWEEN $start AND $end AND is_completion
    GROUP BY ALL
),
rated AS (
    -- cases by rated_at, else completed_at (status completed)
    SELECT coalesce(item_code, '') AS item_code, any_value(item_name) AS item_name,
        count(*) AS ratings,                                      -- satisfaction_rate
        count(*) FILTER (WHERE rating >= 3) AS ratings_satisfied,  -- satisfaction_rate
        count(*) FILTER (WHERE rating = 1) AS rating_1,           -- satisfaction_rate
        count(*) FILTER (WHERE rating = 2) AS rating_2,           -- satisfaction_rate
        count(*) FILTER (WHERE rating = 3) AS rating_3,           -- satisfaction_rate
        count(*) FILTER (WHERE rating = 4) AS rating_4,           -- satisfaction_rate
        count(*) FILTER (WHERE rating = 5) AS rating_5            -- satisfaction_rate
    FROM case_facts
    WHERE dept = $dept AND CAST(coalesce(rated_at, completed_at) AS DATE) BETWEEN $start AND $end AND is_completion AND rating IS NOT NULL
    GROUP BY ALL
)
SELECT nullif(item_code, '') AS item_code, item_name,
    coalesce(COLUMNS(* EXCLUDE (item_code, item_name)), 0)::BIGINT
FROM (
    SELECT item_code, any_value(item_name) AS item_name, sum(COLUMNS(* EXCLUDE (item_code, item_name)))
    FROM (
        SELECT * FROM accepted
        UNION ALL BY NAME SELECT * FROM completed
        UNION ALL BY NAME SELECT * FROM rated
    )
    GROUP BY item_code
)
ORDER BY accepted_cases DESC, completed_cases DESC, item_code;
