-- Open overdue cases at the end of a period, per department, and the due date of the oldest:
-- the same rule as open_overdue_cases in daily_aggregates.sql (spec 5), counted at $period_end.
SELECT dept, count(*) AS open_overdue_cases, min(due_date) AS oldest_due
FROM case_facts
WHERE status NOT IN ('withdrawn', 'rejected') AND deadline IS NOT NULL
  AND greatest(CAST(deadline AS DATE), accepted_date) <= $period_end
  AND (completed_date IS NULL OR completed_date > $period_end)
GROUP BY dept
ORDER BY dept;
