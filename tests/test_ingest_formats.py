"""One case log, many export formats (spec 1.1, 1.2): every format gives the same store.

The same seven rows are written as CSV (UTF-8, UTF-8 with BOM, GBK, GB18030), as XLSX with
real Excel date cells and numeric cells (xlsxwriter and openpyxl), and as Parquet with
timestamp and integer columns. Each is imported into a fresh store and the whole cases
table, the rejects and the ledger must equal those of the UTF-8 CSV.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from metrics.ingest import ImportError_, import_file
from metrics.mapping import load_mapping
from metrics.store import connect

ZH = ["办件编号", "办理部门", "事项编码", "事项名称", "办件类型", "申报方式", "受理时间", "办结时间",
      "法定时限", "承诺时限", "承诺办结时间", "窗口签批", "评价等级", "评价时间", "办件状态", "申请人", "联系电话"]
EN = ["project_no", "org_name", "task_code", "task_name", "project_type", "channel", "accept_date", "result_date",
      "statutory_limit_days", "promised_limit_days", "promise_date", "window_signed", "satisfaction", "rated_at",
      "status", "applicant", "phone"]
MIXED = [" Case_ID ", "Org_Name ", " TASK_CODE", "TaskName", "PROJECT_TYPE", "Channel", "ACCEPT_DATE",
         "Result_Date", "Statutory_Limit_Days", " PROMISED_LIMIT_DAYS", "Promise_Date", "Window_Signed",
         "SATISFACTION", "Rated_At", "STATUS", "Applicant", "Phone"]
TS_COLS = {6, 7, 10, 13}       # accepted_at, completed_at, due_at, rated_at
INT_COLS = {8, 9}              # statutory, promised

D = dt.datetime
# Typed rows: datetimes are datetimes, limits ints; None is an empty cell.
# F5 has rating 7 (rejected); F6 is an identical repeat of F2; F3's due_at is date-only.
TYPED = [
    ["F1", "甲局", "I1", "营业执照变更", "承诺件", "网上申报", D(2025, 7, 1, 9, 0), D(2025, 7, 3, 10, 30),
     10, 3, None, "是", "非常满意", D(2025, 7, 4, 8, 0), "办结", "张三", "13912345678"],
    ["F2", "乙局", "I2", "社保卡补办", "即办件", "窗口受理", D(2025, 7, 2, 14, 15), D(2025, 7, 2, 15, 0),
     1, 0, None, "否", "满意", None, "办结", "李四", "13912345679"],
    ["F3", "甲局", "I1", "营业执照变更", "承诺件", "网上申报", D(2025, 7, 3, 9, 0), None,
     10, 3, D(2025, 7, 8), None, None, None, "在办", "王五", "13912345680"],
    ["F4", "乙局", None, "不动产登记", "承诺件", "窗口", D(2025, 7, 4, 10, 0), D(2025, 7, 10, 16, 45, 30),
     20, 5, None, "是", 4, D(2025, 7, 11, 9, 0), "办结", "赵六", "13912345681"],
    ["F5", "丙局", "I5", "户籍迁移", "承诺件", "网上申报", D(2025, 7, 7, 9, 0), D(2025, 7, 8, 9, 0),
     5, 2, None, "否", 7, D(2025, 7, 9, 9, 0), "办结", "孙七", "13912345682"],
    ["F2", "乙局", "I2", "社保卡补办", "即办件", "窗口受理", D(2025, 7, 2, 14, 15), D(2025, 7, 2, 15, 0),
     1, 0, None, "否", "满意", None, "办结", "李四", "13912345679"],
    ["F7", "丙局", "I6", "出入境证件", "承诺件", "网上申报", D(2025, 7, 7, 9, 0), D(2025, 7, 10, 16, 0),
     5, 3, D(2025, 7, 10, 17, 0), "否", "基本满意", D(2025, 7, 10, 18, 0), "办结", "周八", "13912345683"],
]
# What the store must hold for the five accepted rows (by hand from TYPED).
EXPECTED_CASES = [
    ("F1", "甲局", "I1", "营业执照变更", "committed", "online", D(2025, 7, 1, 9, 0), D(2025, 7, 3, 10, 30),
     10, 3, None, True, 5, D(2025, 7, 4, 8, 0), "completed"),
    ("F2", "乙局", "I2", "社保卡补办", "instant", "window", D(2025, 7, 2, 14, 15), D(2025, 7, 2, 15, 0),
     1, 0, None, False, 4, None, "completed"),
    ("F3", "甲局", "I1", "营业执照变更", "committed", "online", D(2025, 7, 3, 9, 0), None,
     10, 3, D(2025, 7, 8), None, None, None, "in_progress"),
    ("F4", "乙局", None, "不动产登记", "committed", "window", D(2025, 7, 4, 10, 0), D(2025, 7, 10, 16, 45, 30),
     20, 5, None, True, 4, D(2025, 7, 11, 9, 0), "completed"),
    ("F7", "丙局", "I6", "出入境证件", "committed", "online", D(2025, 7, 7, 9, 0), D(2025, 7, 10, 16, 0),
     5, 3, D(2025, 7, 10, 17, 0), False, 3, D(2025, 7, 10, 18, 0), "completed"),
]
CASE_COLUMNS = ("case_id, dept, item_code, item_name, item_type, channel, accepted_at, completed_at, "
                "statutory_limit_days, promised_limit_days, due_at, window_signed, rating, rated_at, status")


def as_text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, dt.datetime):
        return v.strftime("%Y-%m-%d") if v.time() == dt.time(0) else v.strftime("%Y-%m-%d %H:%M:%S")
    return str(v)


def text_rows(rows=TYPED) -> list[list[str]]:
    return [[as_text(v) for v in r] for r in rows]


def csv_bytes(header, rows, encoding) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows([header, *rows])
    return buf.getvalue().encode(encoding)


def write_csv(path: Path, header, rows, encoding="utf-8") -> Path:
    path.write_bytes(csv_bytes(header, rows, encoding))
    return path


def write_xlsxwriter(path: Path) -> Path:
    import xlsxwriter
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("办件")
    dt_fmt = wb.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    d_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws.write_row(0, 0, ZH)
    for r, values in enumerate(TYPED, start=1):
        for c, v in enumerate(values):
            if v is None:
                continue                                   # an empty cell
            if isinstance(v, dt.datetime):                 # a real Excel date cell (a serial number)
                ws.write_datetime(r, c, v, d_fmt if v.time() == dt.time(0) else dt_fmt)
            elif isinstance(v, int):
                ws.write_number(r, c, v)                   # a numeric cell
            else:
                ws.write_string(r, c, v)
    wb.close()
    return path


def write_openpyxl(path: Path) -> Path:
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(ZH)
    for values in TYPED:
        ws.append(values)                                  # datetimes become date cells, ints numbers
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, dt.datetime):
                cell.number_format = "yyyy-mm-dd hh:mm:ss"
    wb.save(str(path))
    return path


def write_parquet(path: Path) -> Path:
    cols = {}
    for c, name in enumerate(ZH):
        values = [r[c] for r in TYPED]
        if c in TS_COLS:
            cols[name] = pa.array(values, pa.timestamp("s"))
        elif c in INT_COLS:
            cols[name] = pa.array(values, pa.int64())
        else:
            cols[name] = pa.array([None if v is None else str(v) for v in values], pa.string())
    pq.write_table(pa.table(cols), path)
    return path


WRITERS = {
    "utf8": lambda d: write_csv(d / "cases.csv", ZH, text_rows(), "utf-8"),
    "utf8_bom": lambda d: write_csv(d / "cases.csv", ZH, text_rows(), "utf-8-sig"),
    "gbk": lambda d: write_csv(d / "cases.csv", ZH, text_rows(), "gbk"),
    "gb18030": lambda d: write_csv(d / "cases.csv", ZH, text_rows(), "gb18030"),
    "xlsxwriter": lambda d: write_xlsxwriter(d / "cases.xlsx"),
    "openpyxl": lambda d: write_openpyxl(d / "cases.xlsx"),
    "parquet": lambda d: write_parquet(d / "cases.parquet"),
}
FORMAT_ENCODING = {"utf8": ("csv", "utf-8"), "utf8_bom": ("csv", "utf-8-sig"), "gbk": ("csv", "gb18030"),
                   "gb18030": ("csv", "gb18030"), "xlsxwriter": ("xlsx", None), "openpyxl": ("xlsx", None),
                   "parquet": ("parquet", None)}


def import_into_fresh_store(d: Path, path: Path, **kw):
    con = connect(d / "store.duckdb")
    try:
        ledger = import_file(con, path, **kw)
        cases = con.execute(f"SELECT {CASE_COLUMNS}, import_id, source_row FROM cases ORDER BY case_id").fetchall()
        rejects = con.execute("SELECT row_no, field, value, reason FROM rejects ORDER BY row_no").fetchall()
        fmt = con.execute("SELECT file_format, encoding FROM imports").fetchone()
    finally:
        con.close()
    return ledger, cases, rejects, fmt


def ledger_key(ledger):
    return (ledger.rows_read, ledger.accepted, ledger.rejected, ledger.repeats, ledger.inserted, ledger.updated,
            ledger.rejected_by_reason, ledger.columns_dropped)


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    d = tmp_path_factory.mktemp("ref")
    return import_into_fresh_store(d, WRITERS["utf8"](d))


def test_reference_import_by_hand(reference):
    ledger, cases, rejects, fmt = reference
    # 7 rows: F5 rejected (rating 7), row 7 repeats F2, five accepted.
    assert ledger_key(ledger) == (7, 5, 1, 1, 5, 0, {"bad_rating": 1},
                                  {"申请人": "personal data, not stored", "联系电话": "personal data, not stored"})
    assert [c[:15] for c in cases] == EXPECTED_CASES
    # source rows: F1 2, F2 3, F3 4, F4 5, F7 8
    assert [c[16] for c in cases] == [2, 3, 4, 5, 8]
    assert rejects == [(6, "rating", "7", "bad_rating")]
    assert fmt == ("csv", "utf-8")


@pytest.mark.parametrize("fmt", list(WRITERS))
def test_every_format_gives_the_same_store(tmp_path, reference, fmt):
    ledger, cases, rejects, file_format = import_into_fresh_store(tmp_path, WRITERS[fmt](tmp_path))
    ref_ledger, ref_cases, ref_rejects, _ = reference
    assert cases == ref_cases
    assert rejects == ref_rejects
    assert ledger_key(ledger) == ledger_key(ref_ledger)
    assert ledger.columns_used == ref_ledger.columns_used
    assert file_format == FORMAT_ENCODING[fmt]


def test_gb18030_characters_outside_gbk(tmp_path):
    # 𠮷 (U+20BB7) and 䶮 (U+4DAE) exist in GB18030 but not in GBK.
    rows = text_rows(TYPED[:1])
    rows[0][3] = "𠮷䶮事项"
    path = write_csv(tmp_path / "cases.csv", ZH, rows, "gb18030")
    ledger, cases, _, fmt = import_into_fresh_store(tmp_path, path)
    assert (ledger.accepted, fmt) == (1, ("csv", "gb18030"))
    assert cases[0][3] == "𠮷䶮事项"


# ---------------------------------------------------------------- headers by alias

EN_VALUES = {"承诺件": "2", "即办件": "1", "网上申报": "online", "窗口受理": "window", "窗口": "Window",
             "是": "Y", "否": "N", "非常满意": "5", "满意": "4", "基本满意": "3", "办结": "completed",
             "在办": "in_progress"}


def english_rows():
    return [[EN_VALUES.get(v, v) for v in r] for r in text_rows()]


@pytest.mark.parametrize("header", [EN, MIXED], ids=["english", "mixed_case_and_spaces"])
def test_english_and_mixed_case_headers(tmp_path, reference, header):
    path = write_csv(tmp_path / "cases.csv", header, english_rows())
    ledger, cases, rejects, _ = import_into_fresh_store(tmp_path, path)
    ref_ledger, ref_cases, ref_rejects, _ = reference
    assert cases == ref_cases
    assert rejects == ref_rejects
    assert (ledger.rows_read, ledger.accepted, ledger.rejected, ledger.repeats) == (7, 5, 1, 1)
    assert ledger.columns_used["case_id"] == header[0].strip()
    assert ledger.columns_used["accepted_at"] == header[6].strip()
    assert set(ledger.columns_dropped) == {header[15].strip(), header[16].strip()}
    assert set(ledger.columns_dropped.values()) == {"personal data, not stored"}


def test_other_aliases_and_inner_spaces(tmp_path):
    header = ["申办流水号", "实施机构", "基本编码", "SXMC", "事项类型", "办理渠道", "受 理 日 期", "BJSJ",
              "法定办结时限", "CNBLSX", "截止时间", "是否窗口办结", "满意度", "评价时间", "状态"]
    rows = [["A1", "甲局", "I1", "事项", "承诺件", "网办", "2025-07-01", "2025-07-02", "5", "2", "2025-07-04",
             "是", "满意", "2025-07-03", "办结"]]
    path = write_csv(tmp_path / "cases.csv", header, rows)
    ledger, cases, _, _ = import_into_fresh_store(tmp_path, path)
    assert ledger.accepted == 1
    assert cases[0][:15] == ("A1", "甲局", "I1", "事项", "committed", "online", D(2025, 7, 1), D(2025, 7, 2),
                             5, 2, D(2025, 7, 4), True, 4, D(2025, 7, 3), "completed")


# ---------------------------------------------------------------- mapping files

MAPPING = """
[columns]
case_id = "工单号"
dept = "承办单位"
accepted_at = "登记时间"
completed_at = "完成时间"
status = "工单状态"
channel = "来源渠道"
rating = "回访评价"

[values.status]
completed = ["已完成", "结案"]
in_progress = ["处理中"]
withdrawn = ["已撤销"]

[values.channel]
online = ["APP", "小程序"]
window = ["大厅"]

[values.rating]
5 = ["很好"]
1 = ["很差"]

[options]
blank = ["NULL", "-"]
datetime_format = "%d.%m.%Y %H:%M"
"""


def test_mapping_renames_columns_and_values(tmp_path):
    mapping_path = tmp_path / "hotline.toml"
    mapping_path.write_text(MAPPING, encoding="utf-8")
    # 办理部门 would match dept by alias, but the mapping names 承办单位: the mapping wins.
    header = ["工单号", "承办单位", "办理部门", "登记时间", "完成时间", "工单状态", "来源渠道", "回访评价", "联系电话"]
    rows = [
        ["M1", "甲局", "错", "01.07.2025 09:00", "02.07.2025 10:00", "已完成", "APP", "很好", "13900000001"],
        ["M2", "甲局", "错", "2025-07-01 09:00", "NULL", "处理中", "大厅", "-", "13900000002"],
        ["M3", "乙局", "错", "01.07.2025 09:00", "-", "已撤销", "电话", "满意", "13900000003"],
        ["M4", "乙局", "错", "01.07.2025 09:00", "03.07.2025 09:00", "结案", "小程序", "很差", "13900000004"],
        ["M5", "乙局", "错", "01.07.2025 09:00", "03.07.2025 09:00", "办结", "app", "", "13900000005"],
        ["M6", "乙局", "错", "01.07.2025 09:00", "", "关闭", "APP", "", "13900000006"],
    ]
    path = write_csv(tmp_path / "hotline.csv", header, rows)
    ledger, cases, rejects, _ = import_into_fresh_store(tmp_path, path, mapping=load_mapping(mapping_path))
    assert (ledger.rows_read, ledger.accepted, ledger.rejected, ledger.repeats) == (6, 5, 1, 0)
    assert ledger.columns_used == {"case_id": "工单号", "dept": "承办单位", "accepted_at": "登记时间",
                                   "completed_at": "完成时间", "status": "工单状态", "channel": "来源渠道",
                                   "rating": "回访评价"}
    got = [(c[0], c[1], c[5], c[6], c[7], c[12], c[14]) for c in cases]
    assert got == [
        ("M1", "甲局", "online", D(2025, 7, 1, 9), D(2025, 7, 2, 10), 5, "completed"),     # mapped values
        ("M2", "甲局", "window", D(2025, 7, 1, 9), None, None, "in_progress"),             # NULL, - are blanks;
        ("M3", "乙局", "other", D(2025, 7, 1, 9), None, 4, "withdrawn"),                   # default forms still
        ("M4", "乙局", "online", D(2025, 7, 1, 9), D(2025, 7, 3, 9), 1, "completed"),      # work; unlisted
        ("M5", "乙局", "online", D(2025, 7, 1, 9), D(2025, 7, 3, 9), None, "completed"),   # values fall back
    ]
    # An unlisted value that is not a default either is a rejection for status (not 'other').
    assert rejects == [(7, "status", "关闭", "bad_value")]


def test_mapping_naming_a_missing_column(tmp_path):
    mapping_path = tmp_path / "m.toml"
    mapping_path.write_text('[columns]\naccepted_at = "登记时间"\n', encoding="utf-8")
    path = write_csv(tmp_path / "cases.csv", ZH, text_rows())
    with pytest.raises(ImportError_) as e:
        import_into_fresh_store(tmp_path, path, mapping=load_mapping(mapping_path))
    assert "cases.csv" in str(e.value) and "登记时间" in str(e.value) and "accepted_at" in str(e.value)


def test_mapping_wins_over_an_alias_of_another_field(tmp_path):
    # (was an engine bug: item_type took 办件类型 by alias too, and the import failed or misreported)
    mapping_path = tmp_path / "m.toml"
    mapping_path.write_text('[columns]\nchannel = "办件类型"\n', encoding="utf-8")
    path = write_csv(tmp_path / "cases.csv", ["办件编号", "办理部门", "受理时间", "办件类型", "承诺时限"],
                     [["A1", "甲局", "2025-07-01 09:00", "网办", "3"]])
    ledger, cases, _, _ = import_into_fresh_store(tmp_path, path, mapping=load_mapping(mapping_path))
    assert ledger.columns_used["channel"] == "办件类型"
    assert "item_type" not in ledger.columns_used
    # channel online; item_type from the rule (promised 3: committed)
    assert (cases[0][4], cases[0][5]) == ("committed", "online")


# ---------------------------------------------------------------- files that cannot be imported

@pytest.mark.parametrize("name", ["cases.xls", "cases.json", "cases"])
def test_unsupported_file_type(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(csv_bytes(ZH, text_rows(), "utf-8"))
    con = connect(tmp_path / "store.duckdb")
    with pytest.raises(ImportError_) as e:
        import_file(con, path)
    msg = str(e.value)
    assert name in msg and "\n" not in msg
    assert ".xlsx" in msg and ".csv" in msg                          # says what to export instead
    assert con.execute("SELECT count(*) FROM imports").fetchone()[0] == 0
    con.close()


@pytest.mark.parametrize("missing, label", [("受理时间", "accepted_at"), ("办件编号", "case_id"),
                                             ("办理部门", "dept")])
def test_missing_required_column(tmp_path, missing, label):
    keep = [i for i, h in enumerate(ZH) if h != missing]
    path = write_csv(tmp_path / "export.csv", [ZH[i] for i in keep], [[r[i] for i in keep] for r in text_rows()])
    con = connect(tmp_path / "store.duckdb")
    with pytest.raises(ImportError_) as e:
        import_file(con, path)
    msg = str(e.value)
    assert "export.csv" in msg and label in msg and missing in msg   # file, field, and the expected header
    assert con.execute("SELECT count(*) FROM imports").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM cases").fetchone()[0] == 0
    con.close()


def test_missing_required_column_in_xlsx(tmp_path):
    import xlsxwriter
    path = tmp_path / "export.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet()
    ws.write_row(0, 0, ["办件编号", "受理时间"])
    ws.write_row(1, 0, ["A1", "2025-07-01"])
    wb.close()
    con = connect(tmp_path / "store.duckdb")
    with pytest.raises(ImportError_) as e:
        import_file(con, path)
    assert "export.xlsx" in str(e.value) and "dept" in str(e.value)
    con.close()


# ---------------------------------------------------------------- catalogue fills a case (spec 1.1)

CAT_HEADER = ["事项编码", "事项名称", "实施部门", "事项类型", "法定时限", "承诺时限", "应进驻", "豁免进驻",
              "进驻日期", "纳入网上审批日期", "取消日期"]


def test_catalogue_fills_missing_type_and_limits(tmp_path):
    cat = write_csv(tmp_path / "cat.csv", CAT_HEADER, [
        ["I1", "事项一", "甲局", "承诺件", "10", "3", "是", "否", "2024-01-01", "", ""],
        ["I3", "事项三", "甲局", "即办件", "1", "0", "是", "否", "2024-01-01", "", ""],
        ["I9", "事项九", "甲局", "", "2", "0", "是", "否", "2024-01-01", "", ""],   # no type, promised 0: instant
    ])
    header = ["办件编号", "办理部门", "事项编码", "办件类型", "法定时限", "承诺时限", "受理时间", "办结时间"]
    cases = write_csv(tmp_path / "cases.csv", header, [
        ["K1", "甲局", "I1", "", "", "", "2025-07-01 09:00", "2025-07-04 10:00"],       # all from I1
        ["K2", "甲局", "I1", "即办件", "5", "0", "2025-07-01 09:00", "2025-07-01 10:00"],  # own values kept
        ["K3", "甲局", "I3", "", "", "", "2025-07-01 09:00", ""],                        # all from I3
        ["K4", "甲局", "I1", "", "", "1", "2025-07-01 09:00", ""],                       # own promise, I1's rest
        ["K5", "甲局", "ZZ", "", "", "", "2025-07-01 09:00", ""],                        # not in the catalogue
        ["K6", "甲局", "I3", "", "", "2", "2025-07-01 09:00", ""],                       # I3's type before the rule
        ["K7", "甲局", "I9", "", "", "", "2025-07-01 09:00", ""],
        ["K8", "甲局", "", "", "", "4", "2025-07-01 09:00", ""],                         # no item: the rule
    ])
    con = connect(tmp_path / "store.duckdb")
    import_file(con, cat, kind="catalogue")
    ledger = import_file(con, cases)
    assert ledger.accepted == 8
    got = con.execute("SELECT case_id, item_type, statutory_limit_days, promised_limit_days FROM cases "
                      "ORDER BY case_id").fetchall()
    assert got == [
        ("K1", "committed", 10, 3),
        ("K2", "instant", 5, 0),
        ("K3", "instant", 1, 0),
        ("K4", "committed", 10, 1),
        ("K5", "committed", None, None),  # no type, no promise: committed (spec 1.1 "anything else")
        ("K6", "instant", 1, 2),      # "taken from its item_code's catalogue row before the rules above"
        ("K7", "instant", 2, 0),
        ("K8", "committed", None, 4),
    ]
    # K1 got I1's promise of 3 working days: accepted Tue 07-01, due Fri 07-04, done 07-04: on time.
    k1 = con.execute("SELECT due_date, is_on_time, is_early FROM case_facts WHERE case_id = 'K1'").fetchone()
    assert k1 == (dt.date(2025, 7, 4), True, False)
    con.close()


def test_first_alias_in_spec_order_wins(tmp_path):
    # 受理部门 and 办理部门 both alias dept; the spec lists 办理部门 first. The other is "not used".
    header = ["办件编号", "受理部门", "办理部门", "受理时间"]
    path = write_csv(tmp_path / "cases.csv", header, [["A1", "窗口科", "甲局", "2025-07-01"]])
    ledger, cases, _, _ = import_into_fresh_store(tmp_path, path)
    assert ledger.columns_used["dept"] == "办理部门"
    assert ledger.columns_dropped == {"受理部门": "not used"}
    assert cases[0][1] == "甲局"


def test_parquet_column_types(tmp_path):
    # tz-aware timestamps are read as wall time in their own zone: 01:00 UTC is 09:00 in Shanghai;
    # dictionary strings, float 3.0 -> 3, int32, date32 (a date-only due_at), bool, int8 rating.
    shanghai = pa.timestamp("ms", tz="Asia/Shanghai")
    t = pa.table({
        "办件编号": pa.array(["P1", "P2"]),
        "办理部门": pa.array(["甲局", "乙局"]).dictionary_encode(),
        "受理时间": pa.array([D(2025, 7, 1, 1, 0), D(2025, 7, 1, 2, 30)], pa.timestamp("ms", tz="UTC")).cast(shanghai),
        "办结时间": pa.array([D(2025, 7, 2, 10, 0), None], pa.timestamp("us")),
        "承诺时限": pa.array([3.0, None], pa.float64()),
        "法定时限": pa.array([10, 5], pa.int32()),
        "承诺办结时间": pa.array([dt.date(2025, 7, 4), None], pa.date32()),
        "窗口签批": pa.array([True, False]),
        "评价等级": pa.array([5, None], pa.int8()),
    })
    pq.write_table(t, tmp_path / "typed.parquet")
    ledger, cases, _, fmt = import_into_fresh_store(tmp_path, tmp_path / "typed.parquet")
    assert (ledger.accepted, ledger.rejected, fmt) == (2, 0, ("parquet", None))
    got = [(c[0], c[1], c[4], c[6], c[7], c[8], c[9], c[10], c[11], c[12], c[14]) for c in cases]
    assert got == [
        ("P1", "甲局", "committed", D(2025, 7, 1, 9, 0), D(2025, 7, 2, 10, 0), 10, 3, D(2025, 7, 4), True, 5,
         "completed"),
        ("P2", "乙局", "committed", D(2025, 7, 1, 10, 30), None, 5, None, None, False, None, "in_progress"),
    ]


# ---------------------------------------------------------------- a date-only completion, by format

def _same_day_csv(d: Path) -> Path:
    return write_csv(d / "dates.csv", ["办件编号", "办理部门", "受理时间", "办结日期", "承诺时限"],
                     [["S1", "甲局", "2025-07-01 09:00:00", "2025-07-01", "0"]])


def _same_day_xlsx(d: Path) -> Path:
    import xlsxwriter
    path = d / "dates.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet()
    ws.write_row(0, 0, ["办件编号", "办理部门", "受理时间", "办结日期", "承诺时限"])
    ws.write_row(1, 0, ["S1", "甲局"])
    ws.write_datetime(1, 2, D(2025, 7, 1, 9, 0), wb.add_format({"num_format": "yyyy-mm-dd hh:mm"}))
    ws.write_datetime(1, 3, D(2025, 7, 1), wb.add_format({"num_format": "yyyy-mm-dd"}))   # a date cell
    ws.write_number(1, 4, 0)
    wb.close()
    return path


def _same_day_parquet(d: Path) -> Path:
    path = d / "dates.parquet"
    pq.write_table(pa.table({"办件编号": ["S1"], "办理部门": ["甲局"],
                             "受理时间": pa.array([D(2025, 7, 1, 9, 0)], pa.timestamp("s")),
                             "办结日期": pa.array([dt.date(2025, 7, 1)], pa.date32()),
                             "承诺时限": pa.array([0], pa.int64())}), path)
    return path


@pytest.mark.parametrize("writer", [
    _same_day_csv,
    _same_day_xlsx,
    _same_day_parquet,
], ids=["csv", "xlsx_date_cell", "parquet_date32"])
def test_date_only_completion_same_in_every_format(tmp_path, writer):
    ledger, cases, rejects, _ = import_into_fresh_store(tmp_path, writer(tmp_path))
    assert rejects == []
    assert (ledger.accepted, ledger.rejected) == (1, 0)
    assert cases[0][0] == "S1"


def test_mapping_one_column_for_two_fields(tmp_path):
    mapping_path = tmp_path / "m.toml"
    mapping_path.write_text('[columns]\ncase_id = "单号"\naccepted_at = "日期"\ncompleted_at = "日期"\n',
                            encoding="utf-8")
    path = write_csv(tmp_path / "cases.csv", ["单号", "办理部门", "日期"], [["A1", "甲局", "2025-07-01 09:00"]])
    try:
        ledger, cases, _, _ = import_into_fresh_store(tmp_path, path, mapping=load_mapping(mapping_path))
    except ImportError_ as e:            # refusing the mapping, naming the column, is fine too
        assert "日期" in str(e)
        return
    # an instant window case: accepted and completed at the same time
    assert (ledger.accepted, ledger.rejected) == (1, 0), ledger.rejected_by_reason
    assert (cases[0][6], cases[0][7]) == (D(2025, 7, 1, 9), D(2025, 7, 1, 9))


def test_invalid_datetime_format_in_a_mapping(tmp_path):
    from metrics.mapping import MappingError, parse_mapping
    text = '[options]\ndatetime_format = "%d.%m.%Y %Q"\n'
    path = write_csv(tmp_path / "cases.csv", ["办件编号", "办理部门", "受理时间"], [["A1", "甲局", "01.07.2025"]])
    try:
        mapping = parse_mapping(text, "m.toml")
    except MappingError as e:            # refused when the mapping is read: best
        assert "datetime_format" in str(e) and "m.toml" in str(e)
        return
    con = connect(tmp_path / "store.duckdb")
    with pytest.raises(ImportError_, match="datetime_format"):
        import_file(con, path, mapping=mapping)
    con.close()
