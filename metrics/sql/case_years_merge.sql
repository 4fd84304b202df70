-- Rendered from metrics/registry.py by metrics/render.py: do not edit by hand.
-- case_years after an incremental import (metrics/aggregates.py): for the keys the import
-- touches, the live rows, minus the parts the replaced versions of re-imported cases
-- contributed (import_removed), plus the parts of the imported cases (import_added), each
-- computed by case_years.sql over those cases alone. Every part is a count or a sum, so the
-- result equals a rebuild from all cases; a key left with every part 0 holds no case any
-- more and goes, as a rebuild would not write it.
CREATE OR REPLACE TABLE import_next.case_years_touched AS
SELECT DISTINCT year FROM import_removed.case_years
UNION SELECT DISTINCT year FROM import_added.case_years;
CREATE OR REPLACE TABLE import_next.case_years AS
SELECT * FROM (
    SELECT year, sum(COLUMNS(* EXCLUDE (year, sign)) * sign)::BIGINT
    FROM (
        SELECT m.*, 1 AS sign FROM main.case_years m
        WHERE EXISTS (SELECT 1 FROM import_next.case_years_touched t WHERE t.year IS NOT DISTINCT FROM m.year)
        UNION ALL BY NAME SELECT *, -1 AS sign FROM import_removed.case_years
        UNION ALL BY NAME SELECT *, 1 AS sign FROM import_added.case_years
    )
    GROUP BY year
)
WHERE first_cases <> 0
   OR last_cases <> 0
ORDER BY year;
