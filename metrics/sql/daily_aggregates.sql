-- Additive numerators and denominators per department and day, rebuilt inside each import.
-- Any period's rate is then a sum over days: the date that puts a case into a period
-- differs by measure (spec 3), so each measure is counted on its own day.
CREATE OR REPLACE TABLE dept_daily AS
WITH accepted AS (
    SELECT dept, accepted_date AS day,
        count(*)                                       AS accepted_cases,
        count(*) FILTER (WHERE channel = 'online')     AS accepted_online,
        count(*) FILTER (WHERE item_type = 'instant')  AS accepted_instant
    FROM case_facts
    GROUP BY ALL
),
completed AS (
    SELECT dept, completed_date AS day,
        count(*)                                                    AS completed_cases,
        sum(elapsed_workdays)                                       AS elapsed_sum,
        count(*) FILTER (WHERE in_early_base)                       AS early_base,
        count(*) FILTER (WHERE in_early_base AND is_early)          AS early_cases,
        count(*) FILTER (WHERE deadline IS NOT NULL)                AS deadline_cases,
        count(*) FILTER (WHERE is_on_time)                          AS on_time_cases,
        count(*) FILTER (WHERE statutory_limit_days >= 1)           AS compression_cases,
        sum(elapsed_workdays) FILTER (WHERE statutory_limit_days >= 1)     AS compression_elapsed,
        sum(statutory_limit_days) FILTER (WHERE statutory_limit_days >= 1) AS compression_statutory,
        sum(promised_limit_days) FILTER (WHERE statutory_limit_days >= 1 AND promised_limit_days IS NOT NULL)  AS promise_promised,
        sum(statutory_limit_days) FILTER (WHERE statutory_limit_days >= 1 AND promised_limit_days IS NOT NULL) AS promise_statutory,
        count(*) FILTER (WHERE item_type = 'committed' AND promised_limit_days IS NOT NULL)  AS committed_promised_cases,
        sum(promised_limit_days) FILTER (WHERE item_type = 'committed')                      AS committed_promised_sum,
        count(window_signed)                                        AS window_known,
        count(*) FILTER (WHERE window_signed)                       AS window_signed,
        count(rating)                                               AS completed_rated
    FROM case_facts
    WHERE is_completion
    GROUP BY ALL
),
rated AS (
    SELECT dept, CAST(coalesce(rated_at, completed_at) AS DATE) AS day,
        count(*)                                AS ratings,
        count(*) FILTER (WHERE rating >= 3)     AS ratings_satisfied,
        count(*) FILTER (WHERE rating = 1)      AS rating_1,
        count(*) FILTER (WHERE rating = 2)      AS rating_2,
        count(*) FILTER (WHERE rating = 3)      AS rating_3,
        count(*) FILTER (WHERE rating = 4)      AS rating_4,
        count(*) FILTER (WHERE rating = 5)      AS rating_5
    FROM case_facts
    WHERE is_completion AND rating IS NOT NULL
    GROUP BY ALL
),
-- A case is open and overdue at the end of day D when its deadline fell before the end
-- of D, it was accepted by D and not completed by D: the days [start, completed_date).
-- +1 on the first such day and -1 on completion, so a running sum gives the count.
overdue_events AS (
    -- +1 on the first such day, -1 on the completion day; one scan emits both.
    SELECT dept, day, sum(delta) AS open_overdue_delta
    FROM (
        SELECT dept,
            unnest([greatest(CAST(deadline AS DATE), accepted_date), completed_date]) AS day,
            unnest([1, -1]) AS delta
        FROM case_facts
        WHERE deadline IS NOT NULL AND status NOT IN ('withdrawn', 'rejected')
          AND (completed_date IS NULL OR completed_date > greatest(CAST(deadline AS DATE), accepted_date))
    )
    WHERE day IS NOT NULL
    GROUP BY ALL
)
SELECT dept, day, coalesce(COLUMNS(* EXCLUDE (dept, day)), 0)::BIGINT
FROM (
    SELECT dept, day, sum(COLUMNS(* EXCLUDE (dept, day)))
    FROM (
        SELECT * FROM accepted
        UNION ALL BY NAME SELECT * FROM completed
        UNION ALL BY NAME SELECT * FROM rated
        UNION ALL BY NAME SELECT * FROM overdue_events
    )
    GROUP BY dept, day
)
ORDER BY day, dept;
