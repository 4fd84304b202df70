"""Bad input (spec 1.4): every row ends in exactly one place, and a rejected row says where and why.

One Chinese-header case log holds one row per rejection reason plus good rows, identical
repeats and a case_id repeated with different contents. Row numbers count the header as
row 1, so the n-th data line of the file is row n + 1. Every expected number below is
counted by hand from the rows as written (see the comment on each row).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest

from metrics.fields import PII_PATTERNS, normalise_header
from metrics.ingest import import_file, rejects_frame
from metrics.rejections import REASONS
from metrics.store import connect

HEADER = ["办件编号", "办理部门", "事项编码", "事项名称", "办件类型", "申报方式", "受理时间", "办结时间",
          "法定时限", "承诺时限", "承诺办结时间", "窗口签批", "评价等级", "评价时间", "办件状态",
          # personal data: must never reach the store
          "申请人", "身份证号码", "联系电话", "地址"]
KEYS = ["case_id", "dept", "item_code", "item_name", "item_type", "channel", "accepted_at", "completed_at",
        "statutory", "promised", "due_at", "window", "rating", "rated_at", "status",
        "applicant", "id_no", "phone", "address"]

PHONE = "13912345678"
OTHER_PHONE = "13800000000"
ID_NO = "110101199001011234"
APPLICANT = "张三丰"
ADDRESS = "北京市朝阳区建国路88号"

BASE = dict(case_id="G1", dept="甲局", item_code="I1", item_name="营业执照变更", item_type="承诺件",
            channel="网上申报", accepted_at="2025-07-01 09:00:00", completed_at="2025-07-03 10:00:00",
            statutory="10", promised="3", due_at="", window="是", rating="非常满意",
            rated_at="2025-07-04 09:00:00", status="办结",
            applicant=APPLICANT, id_no=ID_NO, phone=PHONE, address=ADDRESS)


def row(**kw) -> list[str]:
    d = {**BASE, **kw}
    return [d[k] for k in KEYS]


def write_csv(path: Path, header: list[str], rows: list[list[str]], encoding: str = "utf-8") -> Path:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows([header, *rows])
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


# row number (header = 1) -> the row. Each bad row has exactly one problem.
ROWS: dict[int, list[str]] = {
    2: row(case_id="G1"),                                               # good
    3: row(case_id="  G2\t", dept=" 甲局 ", channel="\t窗口 ", item_type=" 即办件",     # good, padded
           statutory=" 1", promised=" 0 ", accepted_at=" 2025-07-02 09:00:00 ",
           completed_at="2025-07-02 11:00:00 ", window=" 否 ", rating=" 满意 ", rated_at="",
           status=" 办结 "),
    4: row(case_id=""),                                                 # missing case_id
    5: row(case_id="R5", dept="   "),                                   # missing dept (blank after trim)
    6: row(case_id="R6", accepted_at=""),                               # missing accepted_at
    7: row(case_id="R7", accepted_at="2025-13-45 10:20:00"),            # bad accepted_at
    8: row(case_id="R8", completed_at="2025-07-32 10:00"),              # bad completed_at
    9: row(case_id="R9", due_at="下周一"),                               # bad due_at
    10: row(case_id="R10", rated_at="2025/07/04 25:00"),                # bad rated_at
    11: row(case_id="R11", completed_at="2025-06-30 18:00:00"),         # completed before accepted
    12: row(case_id="R12", promised="-1"),                              # negative limit
    13: row(case_id="R13", promised="2.5"),                             # non-integer limit
    14: row(case_id="R14", statutory="abc"),                            # non-integer limit
    15: row(case_id="G3", statutory="10.0", promised="5.0"),            # good: '5.0' is 5
    16: row(case_id="R16", rating="7"),                                 # rating out of range
    17: row(case_id="R17", rating="0"),                                 # rating out of range
    18: row(case_id="R18", rating="一般"),                               # unknown rating word
    19: row(case_id="R19", status="已归档"),                             # unknown status
    20: row(case_id="R20", item_type="特殊件"),                          # unknown item_type
    21: row(case_id="R21", window="也许"),                               # unknown boolean
    22: row(case_id="R22", completed_at="", rating="", rated_at=""),    # 办结 without completed_at
    23: row(case_id="D1", accepted_at="2025-07-01 09:00:00"),           # D1 ...
    24: row(case_id="D1", accepted_at="2025-07-01 10:00:00"),           # ... with other contents: both out
    25: row(case_id="G4"),                                              # good
    26: row(case_id="G4", phone=OTHER_PHONE),                           # repeat: the phone is not kept
    27: row(case_id=" G4 ", dept="甲局 ", channel=" 网上申报"),          # repeat after trimming
    28: row(case_id="D1", accepted_at="2025-07-01 09:00:00"),           # identical to row 23: a repeat
    29: row(case_id="R29", due_at="9999-12-31"),                        # a "no deadline" sentinel
}

# (row, field, value, reason) of every rejected row, by hand from the comments above.
EXPECTED_REJECTS = [
    (4, "case_id", None, "missing_required"),
    (5, "dept", None, "missing_required"),
    (6, "accepted_at", None, "missing_required"),
    (7, "accepted_at", "2025-13-45 10:20:00", "bad_timestamp"),
    (8, "completed_at", "2025-07-32 10:00", "bad_timestamp"),
    (9, "due_at", "下周一", "bad_timestamp"),
    (10, "rated_at", "2025/07/04 25:00", "bad_timestamp"),
    (11, "completed_at", "2025-06-30 18:00:00", "completed_before_accepted"),
    (12, "promised_limit_days", "-1", "bad_time_limit"),
    (13, "promised_limit_days", "2.5", "bad_time_limit"),
    (14, "statutory_limit_days", "abc", "bad_time_limit"),
    (16, "rating", "7", "bad_rating"),
    (17, "rating", "0", "bad_rating"),
    (18, "rating", "一般", "bad_rating"),
    (19, "status", "已归档", "bad_value"),
    (20, "item_type", "特殊件", "bad_value"),
    (21, "window_signed", "也许", "bad_value"),
    (22, "status", "办结", "completed_without_completed_at"),
    (23, "case_id", "D1", "duplicate_case_id"),
    (24, "case_id", "D1", "duplicate_case_id"),
    (29, "due_at", "9999-12-31", "timestamp_out_of_range"),
]


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """Imported once; the tests below only read the store."""
    tmp_path = tmp_path_factory.mktemp("rejections")
    path = write_csv(tmp_path / "cases.csv", HEADER, [ROWS[n] for n in sorted(ROWS)])
    db = tmp_path / "store.duckdb"
    con = connect(db)
    ledger = import_file(con, path)
    yield con, ledger, tmp_path
    con.close()


def test_rows_are_numbered_from_the_header(imported):
    assert sorted(ROWS) == list(range(2, 30))   # 28 data rows, rows 2..29


def test_each_rejected_row_says_row_field_value_reason(imported):
    con, ledger, _ = imported
    got = con.execute("SELECT row_no, field, value, reason FROM rejects WHERE import_id = ? ORDER BY row_no",
                      [ledger.import_id]).fetchall()
    assert got == EXPECTED_REJECTS
    assert set(con.execute("SELECT DISTINCT file_name FROM rejects").fetchall()) == {("cases.csv",)}


def test_ledger_balances_and_counts_by_reason(imported):
    _, ledger, _ = imported
    # 28 rows read: accepted G1 G2 G3 G4 (4); repeats rows 26 27 28 (3); the other 21 rejected.
    assert (ledger.rows_read, ledger.accepted, ledger.rejected, ledger.repeats) == (28, 4, 21, 3)
    assert ledger.balances()
    assert ledger.rows_read == ledger.accepted + ledger.rejected + ledger.repeats
    assert (ledger.inserted, ledger.updated) == (4, 0)
    assert ledger.rejected_by_reason == {
        "missing_required": 3,                 # rows 4 5 6
        "bad_timestamp": 4,                    # rows 7 8 9 10
        "timestamp_out_of_range": 1,           # row 29
        "completed_before_accepted": 1,        # row 11
        "bad_time_limit": 3,                   # rows 12 13 14
        "bad_rating": 3,                       # rows 16 17 18
        "bad_value": 3,                        # rows 19 20 21
        "completed_without_completed_at": 1,   # row 22
        "duplicate_case_id": 2,                # rows 23 24
    }


def test_imports_row_records_the_same_ledger(imported):
    con, ledger, _ = imported
    got = con.execute("SELECT kind, file_name, file_format, encoding, rows_read, accepted, rejected, repeats, "
                      "inserted, updated, rejects_file FROM imports WHERE import_id = ?",
                      [ledger.import_id]).fetchone()
    assert got == ("cases", "cases.csv", "csv", "utf-8", 28, 4, 21, 3, 4, 0, ledger.rejects_file)


def test_accepted_cases_are_exactly_the_good_rows(imported):
    con, _, _ = imported
    rows = con.execute("SELECT case_id, source_row FROM cases ORDER BY case_id").fetchall()
    # G4: the first of rows 25, 26, 27 is kept. D1: rows 23 and 24 rejected, 28 a repeat.
    assert rows == [("G1", 2), ("G2", 3), ("G3", 15), ("G4", 25)]


def test_trimming_and_decimal_limits(imported):
    con, _, _ = imported
    g2 = con.execute("SELECT case_id, dept, channel, item_type, statutory_limit_days, promised_limit_days, "
                     "accepted_at, completed_at, window_signed, rating, rated_at, status "
                     "FROM cases WHERE case_id = 'G2'").fetchone()
    assert g2 == ("G2", "甲局", "window", "instant", 1, 0, dt.datetime(2025, 7, 2, 9, 0),
                  dt.datetime(2025, 7, 2, 11, 0), False, 4, None, "completed")
    g3 = con.execute("SELECT statutory_limit_days, promised_limit_days FROM cases WHERE case_id = 'G3'").fetchone()
    assert g3 == (10, 5)   # '10.0' and '5.0' as spreadsheets write whole numbers


def test_rejects_file_beside_the_database(imported):
    con, ledger, tmp_path = imported
    expected = tmp_path / "store-rejects" / "import-0001-cases.csv"
    assert ledger.rejects_file == str(expected)
    raw = expected.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")                  # UTF-8 with a BOM, for Excel and WPS
    text = raw.decode("utf-8-sig")
    records = list(csv.DictReader(io.StringIO(text)))
    assert list(records[0].keys()) == ["file", "row", "field", "value", "reason", "message"]
    assert [(int(r["row"]), r["field"], r["reason"]) for r in records] == \
        [(n, f, reason) for n, f, _, reason in EXPECTED_REJECTS]
    assert all(r["file"] == "cases.csv" for r in records)
    assert all(r["message"].strip() for r in records)
    by_row = {int(r["row"]): r for r in records}
    # The message names the value where there is one, and the field in Chinese.
    assert "2025-13-45 10:20:00" in by_row[7]["message"] and "受理时间" in by_row[7]["message"]
    assert "下周一" in by_row[9]["message"]
    assert by_row[5]["field"] == "dept"
    assert "D1" in by_row[23]["message"]
    # A value a spreadsheet would run as a formula is neutralised, the rest is verbatim.
    assert by_row[12]["value"].lstrip("'") == "-1"
    assert by_row[18]["value"] == "一般"
    # rejects_frame gives the same rows with messages, in Chinese or English.
    en = rejects_frame(con, ledger.import_id, "en")
    assert list(en["row"]) == [n for n, *_ in EXPECTED_REJECTS]
    assert en["message"].str.len().min() > 0
    assert "accepted_at" in en.set_index("row").loc[7, "message"]


def test_case_log_messages_use_case_log_labels(imported):
    # (was an engine bug: the catalogue's labels 实施部门 / 事项类型 overwrote the case log's)
    con, ledger, _ = imported
    zh = rejects_frame(con, ledger.import_id, "zh").set_index("row")["message"]
    assert "办理部门" in zh.loc[5]      # row 5: dept missing in a case log (办理部门), not 实施部门
    assert "办件类型" in zh.loc[20]     # row 20: bad item_type in a case log (办件类型), not 事项类型


def test_no_rejects_file_when_nothing_is_rejected(tmp_path):
    path = write_csv(tmp_path / "clean.csv", HEADER, [row(case_id="OK1"), row(case_id="OK2")])
    con = connect(tmp_path / "store.duckdb")
    ledger = import_file(con, path)
    con.close()
    assert (ledger.rejected, ledger.rejects_file) == (0, None)
    assert not (tmp_path / "store-rejects").exists()


def _all_cells(con) -> list[str]:
    cells = []
    for (schema, table) in con.execute(
            "SELECT schema_name, table_name FROM duckdb_tables() WHERE NOT internal").fetchall():
        for r in con.execute(f'SELECT * FROM "{schema}"."{table}"').fetchall():
            cells.extend("" if v is None else str(v) for v in r)
    return cells


def test_personal_data_never_stored(imported):
    con, ledger, tmp_path = imported
    # No column of any table or view is a personal-data column.
    columns = con.execute("SELECT table_name, column_name FROM duckdb_columns() WHERE NOT internal").fetchall()
    assert columns
    for table, col in columns:
        assert not any(p in normalise_header(col) for p in PII_PATTERNS), (table, col)
    # No cell of the store holds a personal value (the header names may be listed as dropped).
    cells = _all_cells(con)
    for secret in (PHONE, OTHER_PHONE, ID_NO, APPLICANT, ADDRESS):
        assert not any(secret in c for c in cells), secret
    text = Path(ledger.rejects_file).read_text(encoding="utf-8-sig")
    for secret in (PHONE, OTHER_PHONE, ID_NO, APPLICANT, ADDRESS):
        assert secret not in text
    assert ledger.columns_dropped == {h: "personal data, not stored" for h in ("申请人", "身份证号码", "联系电话", "地址")}
    assert not set(ledger.columns_used.values()) & {"申请人", "身份证号码", "联系电话", "地址"}


# ---------------------------------------------------------------- value mapping

VALUE_ROWS = [
    # case_id, item_type, promised, channel, rating, status, completed_at, window -> expected
    ("V01", "即办件", "0", "网上申报", "非常满意", "办结", "2025-07-01 10:00", "是",
     ("instant", "online", 5, "completed", True)),
    ("V02", "承诺件", "3", "网上办理", "满意", "办结", "2025-07-02 10:00", "否",
     ("committed", "online", 4, "completed", False)),
    ("V03", "1", "", "全程网办", "基本满意", "", "2025-07-02 10:00", "Y",
     ("instant", "online", 3, "completed", True)),                 # status missing + completed_at: completed
    ("V04", "2", "5", "网办", "不满意", "", "", "N",
     ("committed", "online", 2, "in_progress", False)),            # status missing, open: in progress;
    ("V05", "", "0", "掌上办", "非常不满意", "办结", "2025-07-01 15:00", "1",   # (rating of an open case kept)
     ("instant", "online", 1, "completed", True)),                 # type missing, promised 0: instant
    ("V06", "", "4", "Online", "3", "在办", "", "0",
     ("committed", "online", 3, "in_progress", False)),            # type missing, promised 4: committed
    ("V07", "", "", "窗口", "5.0", "不予受理", "", "true",
     ("committed", "window", 5, "rejected", True)),                # no type, no promise: committed (spec 1.1)
    ("V08", "承诺件", "2", "现场", "4", "撤件", "", "FALSE",
     ("committed", "window", 4, "withdrawn", False)),
    ("V09", "即办件", "0", "窗口受理", "", "办结", "2025-07-01 11:00", "y",
     ("instant", "window", None, "completed", True)),
    ("V10", "即办件", "0", "WINDOW", "", "completed", "2025-07-01 11:00", "n",
     ("instant", "window", None, "completed", False)),
    ("V11", "承诺件", "3", "自助终端", "", "in_progress", "", "",
     ("committed", "other", None, "in_progress", None)),           # unknown channel: other
    ("V12", "承诺件", "3", "", "", "rejected", "", "",
     ("committed", None, None, "rejected", None)),                 # empty channel: no value
    ("V13", "承诺件", "3", "邮寄", "", "withdrawn", "", "",
     ("committed", "other", None, "withdrawn", None)),
]


def test_default_value_mapping(tmp_path):
    rows = [row(case_id=cid, item_type=t, promised=p, channel=ch, rating=r, status=s, completed_at=c,
                window=w, rated_at="", accepted_at="2025-07-01 09:00:00")
            for cid, t, p, ch, r, s, c, w, _ in VALUE_ROWS]
    con = connect(tmp_path / "store.duckdb")
    ledger = import_file(con, write_csv(tmp_path / "values.csv", HEADER, rows))
    assert (ledger.rows_read, ledger.accepted, ledger.rejected, ledger.repeats) == (13, 13, 0, 0)
    got = con.execute("SELECT case_id, item_type, channel, rating, status, window_signed FROM cases "
                      "ORDER BY case_id").fetchall()
    assert got == [(cid, *exp) for cid, *_, exp in VALUE_ROWS]
    con.close()


# ---------------------------------------------------------------- timestamp forms

TIMESTAMP_FORMS = [
    ("T01", "2025-07-01", dt.datetime(2025, 7, 1)),
    ("T02", "2025/07/01", dt.datetime(2025, 7, 1)),
    ("T03", "2025年7月1日", dt.datetime(2025, 7, 1)),
    ("T04", "2025-07-01 09:30", dt.datetime(2025, 7, 1, 9, 30)),
    ("T05", "2025/07/01 09:30", dt.datetime(2025, 7, 1, 9, 30)),
    ("T06", "2025年7月1日 09:30", dt.datetime(2025, 7, 1, 9, 30)),
    ("T07", "2025-07-01 09:30:15", dt.datetime(2025, 7, 1, 9, 30, 15)),
    ("T08", "2025/07/01 09:30:15", dt.datetime(2025, 7, 1, 9, 30, 15)),
    ("T09", "2025年7月1日 09:30:15", dt.datetime(2025, 7, 1, 9, 30, 15)),
    ("T10", "2025年07月01日", dt.datetime(2025, 7, 1)),
]


def test_default_timestamp_forms(tmp_path):
    # Each form in accepted_at; completed_at, due_at and rated_at take the same form one day later
    # (the date-only completion stays after a date-only acceptance).
    def later(text):
        return (text.replace("7月1日", "7月2日").replace("07月01日", "07月02日")
                .replace("07-01", "07-02").replace("07/01", "07/02"))
    rows = [row(case_id=cid, accepted_at=text, completed_at=later(text), due_at=later(text),
                rated_at=later(text))
            for cid, text, _ in TIMESTAMP_FORMS]
    con = connect(tmp_path / "store.duckdb")
    ledger = import_file(con, write_csv(tmp_path / "times.csv", HEADER, rows))
    assert (ledger.accepted, ledger.rejected) == (len(TIMESTAMP_FORMS), 0), ledger.rejected_by_reason
    got = con.execute("SELECT case_id, accepted_at, completed_at, due_at, rated_at FROM cases "
                      "ORDER BY case_id").fetchall()
    day = dt.timedelta(days=1)
    assert got == [(cid, ts, ts + day, ts + day, ts + day) for cid, _, ts in TIMESTAMP_FORMS]
    con.close()


UNDEFINED_FORMS = ["2025-02-29", "2025-07-01 9:30 PM", "07/01/2025", "20250701", "2025.07.01", "昨天",
                   "2025-07-01 24:30"]


def test_undefined_timestamp_forms_are_rejected(tmp_path):
    con = connect(tmp_path / "store.duckdb")
    rows = [row(case_id=f"X{i}", accepted_at=text) for i, text in enumerate(UNDEFINED_FORMS)]
    ledger = import_file(con, write_csv(tmp_path / "bad.csv", HEADER, rows))
    assert (ledger.accepted, ledger.rejected) == (0, len(UNDEFINED_FORMS))
    assert con.execute("SELECT row_no, field, value, reason FROM rejects ORDER BY row_no").fetchall() == \
        [(i + 2, "accepted_at", text, "bad_timestamp") for i, text in enumerate(UNDEFINED_FORMS)]
    con.close()


# ---------------------------------------------------------------- catalogue rejections

CAT_HEADER = ["事项编码", "事项名称", "实施部门", "事项类型", "法定时限", "承诺时限", "应进驻", "豁免进驻",
              "进驻日期", "纳入网上审批日期", "取消日期"]


def test_catalogue_rejections(tmp_path):
    good = ["I1", "事项一", "甲局", "承诺件", "10", "3", "是", "否", "2024-01-01", "", ""]
    rows = [
        good,                                                                  # 2 good
        ["", "无编码", "甲局", "承诺件", "10", "3", "是", "否", "", "", ""],       # 3 missing item_code
        ["I3", "事项三", "甲局", "承诺件", "10", "3", "是", "否", "2024-02-30", "", ""],  # 4 bad entered_on
        ["I4", "事项四", "甲局", "承诺件", "-2", "3", "是", "否", "", "", ""],     # 5 bad statutory
        ["I5", "事项五", "甲局", "承诺件", "10", "3", "可能", "否", "", "", ""],    # 6 bad must_enter
        ["I6", "事项六", "甲局", "承诺件", "10", "3", "是", "否", "", "", ""],      # 7 I6 ...
        ["I6", "事项六", "甲局", "承诺件", "10", "4", "是", "否", "", "", ""],      # 8 ... differs: both out
        good,                                                                  # 9 identical repeat of 2
        ["I7", "事项七", "甲局", "", "5", "0", "", "", "", "", ""],                # 10 good, defaults
    ]
    con = connect(tmp_path / "store.duckdb")
    ledger = import_file(con, write_csv(tmp_path / "cat.csv", CAT_HEADER, rows), kind="catalogue")
    assert (ledger.rows_read, ledger.accepted, ledger.rejected, ledger.repeats) == (9, 2, 6, 1)
    assert con.execute("SELECT row_no, field, value, reason FROM rejects ORDER BY row_no").fetchall() == [
        (3, "item_code", None, "missing_required"),
        (4, "entered_on", "2024-02-30", "bad_timestamp"),
        (5, "statutory_limit_days", "-2", "bad_time_limit"),
        (6, "must_enter", "可能", "bad_value"),
        (7, "item_code", "I6", "duplicate_item_code"),
        (8, "item_code", "I6", "duplicate_item_code"),
    ]
    # I7: must_enter defaults to true, exempt to false; promised 0 and no type: instant.
    assert con.execute("SELECT item_code, item_type, must_enter, exempt, entered_on FROM catalogue "
                       "ORDER BY item_code").fetchall() == [
        ("I1", "committed", True, False, dt.date(2024, 1, 1)),
        ("I7", "instant", True, False, None)]
    con.close()


def test_every_reason_code_is_exercised():
    # + test_catalogue_rejections; control_character and two_digit_year: tests/test_ingest_control_chars.py
    seen = {r for *_, r in EXPECTED_REJECTS} | {"duplicate_item_code", "control_character", "two_digit_year"}
    assert seen == set(REASONS)


def test_row_numbers_survive_blank_lines_and_quoted_newlines(tmp_path):
    # Rows count records, not lines: 1 header; 2 good; 3 an all-empty row in the middle (kept, and
    # rejected for having no case_id); 4 one record over two lines (a quoted newline); 5 a bad
    # timestamp. The empty rows at the very end are spreadsheet leftovers and are not rows.
    text = (",".join(HEADER) + "\r\n"
            + ",".join(row(case_id="N1")) + "\r\n"                                       # row 2
            + "," * (len(HEADER) - 1) + "\r\n"                                             # row 3: blank
            + ",".join(row(case_id="N2", item_name='"两行\r\n名称"')) + "\r\n"               # row 4 (2 lines)
            + ",".join(row(case_id="N3", accepted_at="bad")) + "\r\n"                      # row 5: rejected
            + "," * (len(HEADER) - 1) + "\r\n" + "\r\n")                                   # trailing: dropped
    path = tmp_path / "lines.csv"
    path.write_bytes(text.encode("utf-8"))
    con = connect(tmp_path / "store.duckdb")
    ledger = import_file(con, path)
    assert (ledger.rows_read, ledger.accepted, ledger.rejected, ledger.repeats) == (4, 2, 2, 0)
    assert con.execute("SELECT row_no, field, reason FROM rejects ORDER BY row_no").fetchall() == [
        (3, "case_id", "missing_required"), (5, "accepted_at", "bad_timestamp")]
    assert con.execute("SELECT case_id, source_row, item_name FROM cases ORDER BY case_id").fetchall() == [
        ("N1", 2, "营业执照变更"), ("N2", 4, "两行\r\n名称")]
    con.close()


# ---------------------------------------------------------------- dates that are not real dates

@pytest.mark.parametrize("field, value", [("due_at", "9999-12-31"), ("completed_at", "9999-12-31 23:59:59"),
                                          ("accepted_at", "0001-01-01"), ("rated_at", "2101-01-01")])
def test_timestamps_outside_1900_2100_are_rejected(tmp_path, field, value):
    # (was an engine bug: such a row was accepted, then the calendar overflowed and the whole import failed)
    con = connect(tmp_path / "store.duckdb")
    rows = [row(case_id="OK1"), row(case_id="X1", **{field: value})]
    ledger = import_file(con, write_csv(tmp_path / "extreme.csv", HEADER, rows))
    assert (ledger.rows_read, ledger.accepted, ledger.rejected) == (2, 1, 1)
    assert con.execute("SELECT row_no, field, value, reason FROM rejects").fetchall() == \
        [(3, field, value, "timestamp_out_of_range")]
    assert con.execute("SELECT case_id FROM cases").fetchall() == [("OK1",)]
    con.close()


def test_years_1900_and_2100_are_still_dates(tmp_path):
    con = connect(tmp_path / "store.duckdb")
    ledger = import_file(con, write_csv(tmp_path / "edge.csv", HEADER, [
        row(case_id="E1", accepted_at="1900-01-01 09:00", completed_at="1900-01-02 09:00", rated_at=""),
        row(case_id="E2", due_at="2100-12-31")]))
    assert (ledger.accepted, ledger.rejected) == (2, 0)
    assert 1900 in ledger.uncovered_years and 2100 in ledger.uncovered_years
    con.close()


def test_date_only_completion_on_the_acceptance_day(tmp_path):
    # (was an engine bug: '2025-07-01' read as 00:00 was 'before' a 09:00 acceptance on the same day)
    header = ["办件编号", "办理部门", "受理时间", "办结日期", "承诺时限", "办件类型"]
    con = connect(tmp_path / "store.duckdb")
    ledger = import_file(con, write_csv(tmp_path / "dates.csv", header, [
        ["S1", "甲局", "2025-07-01 09:00", "2025-07-01", "0", "即办件"],       # same day, no time: accepted
        ["S2", "甲局", "2025-07-01 09:00", "2025-07-02", "1", "承诺件"],
        ["S3", "甲局", "2025-07-02 09:00", "2025-07-01", "1", "承诺件"],       # the day before: rejected
        ["S4", "甲局", "2025-07-01 09:00", "2025-07-01 08:59", "0", "即办件"]]))  # timed, 1 min before: rejected
    assert (ledger.accepted, ledger.rejected) == (2, 2), ledger.rejected_by_reason
    assert con.execute("SELECT row_no, reason FROM rejects ORDER BY row_no").fetchall() == [
        (4, "completed_before_accepted"), (5, "completed_before_accepted")]
    # S1: instant, completed on its acceptance date: 0 working days, on time.
    assert con.execute("SELECT elapsed_workdays, is_on_time FROM case_facts WHERE case_id = 'S1'").fetchone() == (0, True)
    # S2: Tue 07-01 + 1 working day = 07-02: on time
    assert con.execute("SELECT elapsed_workdays, is_on_time FROM case_facts WHERE case_id = 'S2'").fetchone() == (1, True)
    con.close()
