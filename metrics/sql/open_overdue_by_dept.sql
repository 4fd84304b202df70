-- Open overdue cases at the end of a period, per department, and the due date of the oldest:
-- the same rule as open_overdue_cases in daily_aggregates.sql (spec 5), counted at $period_end.
SELECT dept, count(*) AS open_overdue_cases, min(due_date) AS oldest_due
FROM case_facts
-- First on the stored times (what a case open at $period_end must have), so that DuckDB skips
-- the row groups of cases long completed before it computes any case's facts.
WHERE accepted_at < $period_end + INTERVAL 1 DAY
  AND (completed_at IS NULL OR completed_at >= $period_end + INTERVAL 1 DAY)
  AND status NOT IN ('withdrawn', 'rejected') AND deadline IS NOT NULL
  AND greatest(CAST(deadline AS DATE), accepted_date) <= $period_end
  AND (completed_date IS NULL OR completed_date > $period_end)
GROUP BY dept
ORDER BY dept;
