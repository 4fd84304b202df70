-- Rendered from metrics/registry.py by metrics/render.py: do not edit by hand.
-- dept_daily over an import's cases (and over the versions they replace), from the
-- item_daily of the same cases: every case part is counted per item on the same day, so
-- the sum over a department's items is its part; only the open-overdue span, which is not
-- per item, reads the cases. daily_aggregates.sql builds the same table from the cases
-- (a rebuild); this saves an import one pass over its cases' facts.
CREATE OR REPLACE TABLE dept_daily AS
WITH items AS (
    -- the case parts of item_daily, summed over the items of each department
    SELECT dept, day, sum(COLUMNS(* EXCLUDE (dept, item_code, item_name, day)))
    FROM item_daily
    GROUP BY dept, day
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
        SELECT * FROM items
        UNION ALL BY NAME SELECT * FROM period_end_events
    )
    GROUP BY dept, day
)
ORDER BY day, dept;
