-- The departments file's rows (spec 10), checked like catalogue rows: repeat, rejection or accepted.
-- A department named twice with different categories: all of its rows are rejected.
CREATE OR REPLACE TABLE _import_checked AS
WITH marked AS (
    SELECT *, row_number() OVER (PARTITION BY dept, category ORDER BY row_no) > 1 AS is_repeat
    FROM _import_staging
),
kept AS (
    SELECT *, dept IS NOT NULL AND count(*) OVER (PARTITION BY dept) > 1 AS id_conflict
    FROM marked WHERE NOT is_repeat
)
SELECT
    row_no, dept, category,
    CASE
        WHEN id_conflict THEN {'field': 'dept', 'value': dept, 'reason': 'duplicate_dept'}
        WHEN dept IS NULL THEN {'field': 'dept', 'value': NULL, 'reason': 'missing_required'}
        WHEN category IS NULL THEN {'field': 'category', 'value': NULL, 'reason': 'missing_required'}
    END AS problem
FROM kept;
