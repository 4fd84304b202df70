-- Accepted rows of a departments file replace the earlier category of the same department.
-- Parameters: $import_id.
DELETE FROM departments
WHERE dept IN (SELECT dept FROM _import_checked WHERE problem IS NULL);

INSERT INTO departments BY NAME
SELECT dept, category, CAST($import_id AS INTEGER) AS import_id, row_no AS source_row
FROM _import_checked
WHERE problem IS NULL;
