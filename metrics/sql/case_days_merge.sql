-- Rendered from metrics/registry.py by metrics/render.py: do not edit by hand.
-- case_days after an incremental import (metrics/aggregates.py): for the keys the import
-- touches, the live rows, minus the parts the replaced versions of re-imported cases
-- contributed (import_removed), plus the parts of the imported cases (import_added), each
-- computed by case_days.sql over those cases alone. Every part is a count or a sum, so the
-- result equals a rebuild from all cases; a key left with every part 0 holds no case any
-- more and goes, as a rebuild would not write it.
CREATE OR REPLACE TABLE import_next.case_days_touched AS
SELECT DISTINCT day FROM import_removed.case_days
UNION SELECT DISTINCT day FROM import_added.case_days;
CREATE OR REPLACE TABLE import_next.case_days AS
SELECT * FROM (
    SELECT day, sum(COLUMNS(* EXCLUDE (day, sign)) * sign)::BIGINT
    FROM (
        SELECT m.*, 1 AS sign FROM main.case_days m
        WHERE EXISTS (SELECT 1 FROM import_next.case_days_touched t WHERE t.day IS NOT DISTINCT FROM m.day)
        UNION ALL BY NAME SELECT *, -1 AS sign FROM import_removed.case_days
        UNION ALL BY NAME SELECT *, 1 AS sign FROM import_added.case_days
    )
    GROUP BY day
)
WHERE accepted <> 0
   OR ended <> 0
   OR rated <> 0
ORDER BY day;
