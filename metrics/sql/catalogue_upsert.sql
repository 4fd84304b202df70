-- Accepted catalogue rows replace earlier rows of the same item code.
-- Parameters: $import_id.
DELETE FROM catalogue
WHERE item_code IN (SELECT item_code FROM _import_checked WHERE problem IS NULL);

INSERT INTO catalogue BY NAME
SELECT
    item_code, item_name, dept,
    coalesce(item_type_v, CASE WHEN promised_int = 0 THEN 'instant' WHEN promised_int > 0 THEN 'committed' END) AS item_type,
    statutory_int AS statutory_limit_days,
    promised_int AS promised_limit_days,
    coalesce(CAST(must_enter_v AS BOOLEAN), true) AS must_enter,   -- 应进驻 unless said otherwise
    coalesce(CAST(exempt_v AS BOOLEAN), false) AS exempt,
    entered_d AS entered_on,
    online_d AS online_enabled_on,
    retired_d AS retired_on,
    CAST($import_id AS INTEGER) AS import_id,
    row_no AS source_row
FROM _import_checked
WHERE problem IS NULL;
