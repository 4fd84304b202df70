-- Rendered from metrics/registry.py by metrics/render.py: do not edit by hand.
-- Spark SQL: the per-day parts of metrics/sql/daily_aggregates.sql from the same
-- declarations, over the case_facts view of metrics/sql/spark/case_facts.sql.
-- metrics/engines/spark.py runs it; the result becomes a store's dept_daily.
-- Each line names the measures that use it.
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
period_end_events AS (
    SELECT dept, day, sum(delta) AS open_overdue_cases_delta
    FROM case_facts
    LATERAL VIEW inline(array(named_struct('day', greatest(CAST(deadline AS DATE), accepted_date), 'delta', 1),
                              named_struct('day', completed_date, 'delta', -1))) AS day, delta
    WHERE status NOT IN ('withdrawn', 'rejected') AND deadline IS NOT NULL
      AND (completed_date IS NULL OR completed_date > greatest(CAST(deadline AS DATE), accepted_date))
      AND day IS NOT NULL
    GROUP BY ALL
    HAVING sum(delta) <> 0
)
-- Each pass has one row per department and day: the joins line them up.
SELECT dept, day,
    CAST(coalesce(accepted_cases, 0) AS BIGINT)           AS accepted_cases,
    CAST(coalesce(accepted_online, 0) AS BIGINT)          AS accepted_online,
    CAST(coalesce(accepted_instant, 0) AS BIGINT)         AS accepted_instant,
    CAST(coalesce(early_base, 0) AS BIGINT)               AS early_base,
    CAST(coalesce(early_cases, 0) AS BIGINT)              AS early_cases,
    CAST(coalesce(completed_cases, 0) AS BIGINT)          AS completed_cases,
    CAST(coalesce(completed_rated, 0) AS BIGINT)          AS completed_rated,
    CAST(coalesce(compression_statutory, 0) AS BIGINT)    AS compression_statutory,
    CAST(coalesce(compression_elapsed, 0) AS BIGINT)      AS compression_elapsed,
    CAST(coalesce(promise_statutory, 0) AS BIGINT)        AS promise_statutory,
    CAST(coalesce(promise_promised, 0) AS BIGINT)         AS promise_promised,
    CAST(coalesce(elapsed_sum, 0) AS BIGINT)              AS elapsed_sum,
    CAST(coalesce(committed_promised_cases, 0) AS BIGINT) AS committed_promised_cases,
    CAST(coalesce(committed_promised_sum, 0) AS BIGINT)   AS committed_promised_sum,
    CAST(coalesce(compression_cases, 0) AS BIGINT)        AS compression_cases,
    CAST(coalesce(window_known, 0) AS BIGINT)             AS window_known,
    CAST(coalesce(window_signed, 0) AS BIGINT)            AS window_signed,
    CAST(coalesce(deadline_cases, 0) AS BIGINT)           AS deadline_cases,
    CAST(coalesce(on_time_cases, 0) AS BIGINT)            AS on_time_cases,
    CAST(coalesce(same_day_cases, 0) AS BIGINT)           AS same_day_cases,
    CAST(coalesce(overdue_cases, 0) AS BIGINT)            AS overdue_cases,
    CAST(coalesce(ratings, 0) AS BIGINT)                  AS ratings,
    CAST(coalesce(ratings_satisfied, 0) AS BIGINT)        AS ratings_satisfied,
    CAST(coalesce(rating_1, 0) AS BIGINT)                 AS rating_1,
    CAST(coalesce(rating_2, 0) AS BIGINT)                 AS rating_2,
    CAST(coalesce(rating_3, 0) AS BIGINT)                 AS rating_3,
    CAST(coalesce(rating_4, 0) AS BIGINT)                 AS rating_4,
    CAST(coalesce(rating_5, 0) AS BIGINT)                 AS rating_5,
    CAST(coalesce(open_overdue_cases_delta, 0) AS BIGINT) AS open_overdue_cases_delta
FROM accepted
FULL OUTER JOIN completed USING (dept, day)
FULL OUTER JOIN rated USING (dept, day)
FULL OUTER JOIN period_end_events USING (dept, day)
ORDER BY day, dept
