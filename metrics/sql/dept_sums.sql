-- Every summed part per department and period: the case measures of dept_period.sql beside
-- the catalogue measures of catalogue_period.sql, 0 where a department had none.
-- metrics/rates.py puts those two queries in front of this one as case_parts and catalogue_parts.
SELECT
    period_no,
    dept,
    coalesce(COLUMNS(c.* EXCLUDE (period_no, dept)), 0)::BIGINT,
    coalesce(COLUMNS(k.* EXCLUDE (period_no, dept)), 0)::BIGINT
FROM case_parts c
FULL OUTER JOIN catalogue_parts k USING (period_no, dept)
ORDER BY period_no, dept;
