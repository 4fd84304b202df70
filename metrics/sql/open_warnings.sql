-- Electronic supervision (电子监察): open cases as of a day, by how close the due date is.
-- red: the due date has passed; yellow: due within 1 working day (today or the next working day).
-- Parameters: $as_of (date), $all_depts (bool), $depts (list).
WITH open_cases AS (
    SELECT f.*, cal.workday_no - ref.workday_no AS workdays_left
    FROM case_facts f
    JOIN calendar cal ON cal.day = f.due_date
    JOIN calendar ref ON ref.day = $as_of
    -- Open at the end of $as_of: accepted by then, not completed by then. Stated on the stored
    -- times, not on case_facts' dates, so that DuckDB skips the cases it cannot hold (their
    -- row groups' min/max) before it computes any case's facts.
    WHERE f.accepted_at < $as_of + INTERVAL 1 DAY
      AND (f.completed_at IS NULL OR f.completed_at >= $as_of + INTERVAL 1 DAY)
      AND f.status NOT IN ('withdrawn', 'rejected')
      AND ($all_depts OR list_contains($depts::VARCHAR[], f.dept))
)
SELECT
    CASE WHEN due_date < $as_of THEN 'red' ELSE 'yellow' END AS level,
    case_id, dept, item_name, item_type, accepted_at, due_date, workdays_left,
    promised_limit_days, status
FROM open_cases
WHERE due_date < $as_of OR workdays_left <= 1
ORDER BY level, due_date, dept, case_id;
