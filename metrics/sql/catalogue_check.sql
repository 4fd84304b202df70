-- The item catalogue's rows, checked like case rows: repeat, rejection or accepted.
-- Parameters: $formats (date formats, tried in order).
-- visible(s): s with each control character as its Unicode control picture (U+2400 + code),
-- as in cases_check.sql: the rejects file and the pages carry no raw control character.
-- has_control (staged): the rows whose names hold one at all (metrics/control_chars.py).
CREATE OR REPLACE TEMP MACRO visible(s) AS list_aggr(list_transform(string_split(s, ''), lambda c:
    CASE WHEN ord(c) < 32 THEN chr(9216 + ord(c)) WHEN ord(c) = 127 THEN chr(9249) ELSE c END), 'string_agg', '');
CREATE OR REPLACE TABLE _import_checked AS
WITH marked AS (
    SELECT *,
        row_number() OVER (
            PARTITION BY item_code, item_name, dept, item_type, statutory_limit_days, promised_limit_days,
                         must_enter, exempt, entered_on, online_enabled_on, retired_on
            ORDER BY row_no) > 1 AS is_repeat
    FROM _import_staging
),
kept AS (
    SELECT *, item_code IS NOT NULL AND count(*) OVER (PARTITION BY item_code) > 1 AS id_conflict
    FROM marked WHERE NOT is_repeat
),
parsed AS (
    SELECT k.*,
        CAST(try_strptime(k.entered_on, $formats) AS DATE)        AS entered_d,
        CAST(try_strptime(k.online_enabled_on, $formats) AS DATE) AS online_d,
        CAST(try_strptime(k.retired_on, $formats) AS DATE)        AS retired_d,
        CASE WHEN regexp_full_match(k.statutory_limit_days, '\+?[0-9]{1,6}(\.0*)?')
             THEN CAST(regexp_extract(k.statutory_limit_days, '[0-9]+') AS INTEGER) END AS statutory_int,
        CASE WHEN regexp_full_match(k.promised_limit_days, '\+?[0-9]{1,6}(\.0*)?')
             THEN CAST(regexp_extract(k.promised_limit_days, '[0-9]+') AS INTEGER) END AS promised_int,
        vt.target AS item_type_v,
        vm.target AS must_enter_v,
        ve.target AS exempt_v
    FROM kept k
    LEFT JOIN _value_map vt ON vt.field = 'item_type'     AND vt.source = lower(regexp_replace(k.item_type, '^([0-9]+)\.0+$', '\1'))
    LEFT JOIN _value_map vm ON vm.field = 'must_enter'    AND vm.source = lower(regexp_replace(k.must_enter, '^([0-9]+)\.0+$', '\1'))
    LEFT JOIN _value_map ve ON ve.field = 'exempt'        AND ve.source = lower(regexp_replace(k.exempt, '^([0-9]+)\.0+$', '\1'))
)
SELECT
    row_no, item_code, item_name, dept, entered_d, online_d, retired_d, statutory_int, promised_int,
    item_type_v, must_enter_v, exempt_v,
    CASE
        WHEN id_conflict THEN {'field': 'item_code', 'value': visible(item_code), 'reason': 'duplicate_item_code'}
        -- A control character inside a key makes a look-alike item or department ("甲局" and
        -- "甲局<NUL>"), as in a case log; a descriptive name may run over lines (tab, CR, LF).
        WHEN has_control AND regexp_matches(item_code, '[\x00-\x1f\x7f]') THEN {'field': 'item_code', 'value': visible(item_code), 'reason': 'control_character'}
        WHEN has_control AND regexp_matches(dept, '[\x00-\x1f\x7f]') THEN {'field': 'dept', 'value': visible(dept), 'reason': 'control_character'}
        WHEN has_control AND regexp_matches(item_name, '[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]') THEN {'field': 'item_name', 'value': visible(item_name), 'reason': 'control_character'}
        WHEN item_code IS NULL THEN {'field': 'item_code', 'value': NULL, 'reason': 'missing_required'}
        WHEN entered_on IS NOT NULL AND entered_d IS NULL THEN {'field': 'entered_on', 'value': entered_on, 'reason': 'bad_timestamp'}
        WHEN online_enabled_on IS NOT NULL AND online_d IS NULL THEN {'field': 'online_enabled_on', 'value': online_enabled_on, 'reason': 'bad_timestamp'}
        WHEN retired_on IS NOT NULL AND retired_d IS NULL THEN {'field': 'retired_on', 'value': retired_on, 'reason': 'bad_timestamp'}
        WHEN statutory_limit_days IS NOT NULL AND statutory_int IS NULL THEN {'field': 'statutory_limit_days', 'value': statutory_limit_days, 'reason': 'bad_time_limit'}
        WHEN promised_limit_days IS NOT NULL AND promised_int IS NULL THEN {'field': 'promised_limit_days', 'value': promised_limit_days, 'reason': 'bad_time_limit'}
        WHEN item_type IS NOT NULL AND item_type_v IS NULL THEN {'field': 'item_type', 'value': item_type, 'reason': 'bad_value'}
        WHEN must_enter IS NOT NULL AND must_enter_v IS NULL THEN {'field': 'must_enter', 'value': must_enter, 'reason': 'bad_value'}
        WHEN exempt IS NOT NULL AND exempt_v IS NULL THEN {'field': 'exempt', 'value': exempt, 'reason': 'bad_value'}
    END AS problem
FROM parsed;
