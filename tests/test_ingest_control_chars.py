"""Control characters inside names, and two-digit years, are rejected with their own reasons.

A NUL byte in a department name used to make a look-alike department ("甲局" and "甲局\\0"
ranked as two); a two-digit year ('25-07-01') was rejected with the advice meant for a
"no deadline" sentinel. Real files, the real importer, a real DuckDB store.
"""

from __future__ import annotations

from pathlib import Path

from metrics.ingest import import_file, rejects_frame
from metrics.rejections import label, message
from metrics.store import connect

HEADER = "办件编号,办理部门,事项编码,事项名称,受理时间,办结时间,办件状态\n"


def write(path: Path, lines: list[str]) -> Path:
    # Bytes written exactly: the csv module would not be trusted with a NUL here.
    path.write_bytes((HEADER + "".join(lines)).encode("utf-8"))
    return path


def test_control_characters_inside_names_are_rejected_and_shown_as_symbols(tmp_path):
    f = write(tmp_path / "cases.csv", [
        "C1,甲局,I1,营业执照,2025-07-01 09:00,2025-07-02 09:00,办结\n",          # 2 good
        "C2,甲局\x00,I1,营业执照,2025-07-01 09:00,2025-07-02 09:00,办结\n",      # 3 NUL in dept
        'C3,"甲\n局",I1,营业执照,2025-07-01 09:00,2025-07-02 09:00,办结\n',     # 4 line break in dept (quoted)
        "C4\x07,乙局,I1,营业执照,2025-07-01 09:00,2025-07-02 09:00,办结\n",      # 5 BEL in case_id
        "C5,乙局,I\x1b1,营业执照,2025-07-01 09:00,2025-07-02 09:00,办结\n",      # 6 ESC in item_code
        "C6,乙局,I1,营业\x7f执照,2025-07-01 09:00,2025-07-02 09:00,办结\n",      # 7 DEL in item_name
        "C7,\t乙局\t,I1,营业执照,2025-07-01 09:00,2025-07-02 09:00,办结\n",      # 8 good: edges are trimmed
        'C8,乙局,I1,"营业\r\n执照",2025-07-01 09:00,2025-07-02 09:00,办结\n',   # 9 good: a name over two lines
    ])
    con = connect(tmp_path / "s.duckdb")
    ledger = import_file(con, f)
    assert (ledger.rows_read, ledger.accepted, ledger.rejected, ledger.repeats) == (8, 3, 5, 0)
    assert ledger.rejected_by_reason == {"control_character": 5}
    rejects = con.execute("SELECT row_no, field, value, reason FROM rejects ORDER BY row_no").fetchall()
    assert rejects == [
        (3, "dept", "甲局␀", "control_character"),
        (4, "dept", "甲␊局", "control_character"),
        (5, "case_id", "C4␇", "control_character"),
        (6, "item_code", "I␛1", "control_character"),
        (7, "item_name", "营业␡执照", "control_character"),
    ]
    # No look-alike department reached the store.
    assert con.execute("SELECT DISTINCT dept FROM cases ORDER BY dept").fetchall() == [("乙局",), ("甲局",)]
    frame = rejects_frame(con, ledger.import_id, "en")
    assert frame["message"][0].startswith("dept value '甲局␀' holds a control character")
    con.close()
    # The rejects file beside the store holds no raw control character either.
    written = Path(ledger.rejects_file).read_bytes()
    assert not any(b < 0x20 and b not in (0x0a, 0x0d) for b in written)
    assert "甲局␀".encode() in written


def test_a_two_digit_year_gets_its_own_advice(tmp_path):
    f = write(tmp_path / "cases.csv", [
        "C1,甲局,I1,营业执照,25-07-01 09:00,2025-07-02 09:00,办结\n",            # 2 two-digit accepted year
        "C2,甲局,I1,营业执照,2025-07-01 09:00,25/07/02 09:00,办结\n",            # 3 two-digit completed year
        "C3,甲局,I1,营业执照,0025-07-01 09:00,2025-07-02 09:00,办结\n",          # 4 four digits, out of range
        "C4,甲局,I1,营业执照,2025-07-01 09:00,2025-07-02 09:00,办结\n",          # 5 good
    ])
    con = connect(tmp_path / "s.duckdb")
    ledger = import_file(con, f)
    assert (ledger.rows_read, ledger.accepted, ledger.rejected) == (4, 1, 3)
    assert con.execute("SELECT row_no, field, value, reason FROM rejects ORDER BY row_no").fetchall() == [
        (2, "accepted_at", "25-07-01 09:00", "two_digit_year"),
        (3, "completed_at", "25/07/02 09:00", "two_digit_year"),
        (4, "accepted_at", "0025-07-01 09:00", "timestamp_out_of_range"),
    ]
    con.close()
    zh = message("two_digit_year", "accepted_at", "25-07-01 09:00", "zh")
    en = message("two_digit_year", "accepted_at", "25-07-01 09:00", "en")
    assert "年份只有两位" in zh and "受理时间" in zh and "datetime_format" in zh
    assert "two-digit year" in en and "no value" not in en  # not the "no deadline" advice
    assert (label("two_digit_year", "zh"), label("control_character", "en")) == ("年份只有两位", "control character")


def test_a_two_digit_year_format_in_the_mapping_is_honoured(tmp_path):
    # The advice works: with datetime_format = %y-%m-%d %H:%M the same row is accepted as 2025.
    f = write(tmp_path / "cases.csv", ["C1,甲局,I1,营业执照,25-07-01 09:00,25-07-02 09:00,办结\n"])
    mapping = tmp_path / "m.toml"
    mapping.write_text('[options]\ndatetime_format = "%y-%m-%d %H:%M"\n', encoding="utf-8")
    from metrics.mapping import load_mapping
    con = connect(tmp_path / "s.duckdb")
    ledger = import_file(con, f, mapping=load_mapping(mapping))
    assert (ledger.accepted, ledger.rejected) == (1, 0)
    assert str(con.execute("SELECT accepted_at FROM cases").fetchone()[0]) == "2025-07-01 09:00:00"
    con.close()


def test_the_staged_control_flag_finds_every_row_with_one_and_no_other():
    """metrics/control_chars.py: the rows the checks test for control characters at all.
    Multi-byte characters around them, sliced arrays and nulls included."""
    import pyarrow as pa

    from metrics.control_chars import control_rows, has_control
    values = ["甲局", "甲局\x00", None, "", "营业\x7f执照", "C4\x07", "乙局", "\x1b", "事项一二三", "é\x1f"]
    expected = [False, True, False, False, True, True, False, True, False, True]
    arr = pa.array(values, pa.string())
    assert control_rows(arr).tolist() == expected
    assert control_rows(arr.slice(3, 5)).tolist() == expected[3:8]
    assert control_rows(pa.array(values, pa.large_string())).tolist() == expected
    assert control_rows(pa.array([None, None], pa.string())).tolist() == [False, False]
    # A row is flagged when any checked field holds one; other fields do not count.
    flags = has_control({"dept": pa.array(["甲局", "乙局", None]), "item_name": pa.array(["a", "b\x00", "c"]),
                         "accepted_at": pa.array(["2025-07-01\x00", "x", "y"])}, 3)
    assert flags.to_pylist() == [False, True, False]


def test_the_checked_fields_are_the_fields_the_checks_test():
    import re

    from metrics.control_chars import CHECKED_FIELDS
    root = Path(__file__).resolve().parent.parent / "metrics" / "sql"
    tested = set()
    for name in ("cases_check", "catalogue_check", "departments_check"):
        text = (root / f"{name}.sql").read_text(encoding="utf-8")
        tested |= set(re.findall(r"regexp_matches\((\w+), '\[\\x00", text))
        # Each test reads the staged flag first: a field tested without it would still be
        # right, only slower; a flag missing a field would let its control characters through.
        assert "WHEN regexp_matches(" not in text, name
    assert tested == set(CHECKED_FIELDS)
