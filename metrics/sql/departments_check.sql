-- The departments file's rows (spec 10), checked like catalogue rows: repeat, rejection or accepted.
-- A department named twice with different categories: all of its rows are rejected.
-- visible(s): s with each control character as its Unicode control picture (U+2400 + code),
-- as in cases_check.sql: the rejects file and the pages carry no raw control character.
-- has_control (staged): the rows whose names hold one at all (metrics/control_chars.py).
CREATE OR REPLACE TEMP MACRO visible(s) AS list_aggr(list_transform(string_split(s, ''), lambda c:
    CASE WHEN ord(c) < 32 THEN chr(9216 + ord(c)) WHEN ord(c) = 127 THEN chr(9249) ELSE c END), 'string_agg', '');
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
        WHEN id_conflict THEN {'field': 'dept', 'value': visible(dept), 'reason': 'duplicate_dept'}
        -- A control character makes a look-alike department or category ("甲局" and "甲局<NUL>").
        WHEN has_control AND regexp_matches(dept, '[\x00-\x1f\x7f]') THEN {'field': 'dept', 'value': visible(dept), 'reason': 'control_character'}
        WHEN has_control AND regexp_matches(category, '[\x00-\x1f\x7f]') THEN {'field': 'category', 'value': visible(category), 'reason': 'control_character'}
        WHEN dept IS NULL THEN {'field': 'dept', 'value': NULL, 'reason': 'missing_required'}
        WHEN category IS NULL THEN {'field': 'category', 'value': NULL, 'reason': 'missing_required'}
    END AS problem
FROM kept;
