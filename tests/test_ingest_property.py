"""Property tests: random messy case logs never break the importer (spec 1.1, 1.4).

Random header subsets under random aliases (mixed case, padded), random whitespace,
blanks, garbage timestamps and limits, identical repeats, repeats that differ only by
surrounding whitespace, case_ids repeated with other contents, quoted commas, quotes and
newlines, Chinese text, UTF-8 / UTF-8 BOM / GBK. Whatever the file, the import either
raises ImportError_ because a required column is missing, or returns a balanced ledger
whose counts agree with a simple model of the rows; personal data never reaches the store.
"""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from metrics.fields import CASE_FIELDS
from metrics.ingest import ImportError_, import_file
from metrics.rejections import REASONS
from metrics.store import connect

FIELDS = {f.name: f for f in CASE_FIELDS}
REQUIRED = {f.name for f in CASE_FIELDS if f.required}
PII_HEADERS = ["申请人", "身份证号码", "联系电话", "地址", "applicant_phone"]

SPACE = st.sampled_from(["", " ", "  ", "\t", "\u3000"])
TEXT = st.sampled_from(["甲局", "乙局", "市场监督管理局", "公安局, 出入境", 'a "quoted" name', "两行\n文字",
                        "I-001", "事项,逗号", "X", "", " ", "税务局", "=SUM(A1)", "-", "NULL"])
IDS = st.sampled_from(["A1", "A2", "A3", "B1", "SB2025-0001", "受理-01", "", "  "])
DATES = st.dates(min_value=__import__("datetime").date(2024, 1, 1), max_value=__import__("datetime").date(2026, 6, 30))


@st.composite
def timestamps(draw):
    if draw(st.integers(0, 4)) == 0:
        return draw(st.sampled_from(["2025-13-45 10:20:00", "2025-02-29", "明天", "abc", "2025/07/01 25:00",
                                     "07/01/2025", "", "2025-07-01T09:00:00", "0", "2025年7月1日 9:30"]))
    d = draw(DATES)
    form = draw(st.sampled_from(["%Y-%m-%d", "%Y/%m/%d", "{y}年{m}月{d}日"]))
    text = form.format(y=d.year, m=d.month, d=d.day) if "{" in form else d.strftime(form)
    time = draw(st.sampled_from(["", " 09:30", " 17:05:59", " 00:00:00", " 8:00"]))
    return text + time


INTS = st.sampled_from(["0", "1", "3", "5", "20", "5.0", "10.00", "-1", "2.5", "abc", "", " 3 ", "+2", "1e3"])
VALUES = {
    "item_type": st.sampled_from(["即办件", "承诺件", "1", "2", "instant", "Committed", "2.0", "特殊件", ""]),
    "channel": st.sampled_from(["网上申报", "窗口", "现场", "掌上办", "Online", "自助机", "", "电话"]),
    "window_signed": st.sampled_from(["是", "否", "Y", "n", "1", "0", "TRUE", "false", "也许", ""]),
    "rating": st.sampled_from(["非常满意", "满意", "基本满意", "不满意", "非常不满意", "1", "5", "5.0", "7", "0",
                               "一般", ""]),
    "status": st.sampled_from(["办结", "在办", "不予受理", "撤件", "completed", "已归档", "", "已办结"]),
}


def value_for(name):
    f = FIELDS[name]
    if name == "case_id":
        return IDS
    if f.type == "timestamp":
        return timestamps()
    if f.type == "integer":
        return INTS
    if name in VALUES:
        return VALUES[name]
    return TEXT


def mangle(draw, alias: str) -> str:
    case = draw(st.sampled_from([str, str.upper, str.lower, str.title]))
    return draw(SPACE.filter(lambda s: "\t" not in s)) + case(alias) + draw(st.sampled_from(["", " ", "\u3000"]))


@st.composite
def case_logs(draw):
    optional = [f.name for f in CASE_FIELDS if not f.required]
    names = draw(st.lists(st.sampled_from(optional), unique=True, max_size=len(optional)))
    # each required field is present with high probability
    names += [n for n in sorted(REQUIRED) if draw(st.integers(0, 9)) > 0]
    names = draw(st.permutations(names))
    header = [mangle(draw, draw(st.sampled_from(FIELDS[n].aliases))) for n in names]
    pii = draw(st.lists(st.sampled_from(PII_HEADERS), unique=True, max_size=3))
    positions = [draw(st.integers(0, len(header))) for _ in pii]
    columns: list[tuple[str, str | None]] = list(zip(header, names))
    for h, p in zip(pii, positions):
        columns.insert(p, (h, None))

    n_rows = draw(st.integers(0, 10))
    rows = []
    for i in range(n_rows):
        r = []
        for _, name in columns:
            if name is None:
                r.append(f"PII{i:02d}x{draw(st.integers(10**6, 10**7 - 1))}")   # personal values, unique text
            else:
                r.append(draw(SPACE) + draw(value_for(name)) + draw(SPACE))
        rows.append(r)
    # repeats: identical, padded differently, or the same case_id with another value somewhere
    for _ in range(draw(st.integers(0, 4)) if rows else 0):
        src = list(draw(st.sampled_from(rows)))
        kind = draw(st.sampled_from(["same", "padded", "changed"]))
        if kind == "padded":
            src = [v if name is None else draw(SPACE) + v.strip() + draw(SPACE) for v, (_, name) in zip(src, columns)]
        elif kind == "changed":
            j = draw(st.integers(0, len(columns) - 1))
            if columns[j][1] is not None:
                src[j] = draw(value_for(columns[j][1]))
        rows.insert(draw(st.integers(0, len(rows))), src)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "gbk"]))
    return columns, rows, encoding


def normalised(row, columns):
    """What the importer compares: the kept columns, trimmed, empty as None."""
    return tuple((v.strip() or None) for v, (_, name) in zip(row, columns) if name is not None)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case_logs())
def test_messy_files_never_break_the_ledger(log):
    columns, rows, encoding = log
    header = [h for h, _ in columns]
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows([header, *rows])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "messy.csv"
        path.write_bytes(buf.getvalue().encode(encoding))
        con = connect(Path(tmp) / "store.duckdb")
        try:
            present = {name for _, name in columns if name is not None}
            if not REQUIRED <= present:
                try:
                    import_file(con, path)
                except ImportError_ as e:
                    assert "messy.csv" in str(e)
                    assert con.execute("SELECT count(*) FROM imports").fetchone()[0] == 0
                    return
                raise AssertionError("a file without a required column was imported")
            ledger = import_file(con, path)
            check(con, ledger, columns, rows)
        finally:
            con.close()


def check(con, ledger, columns, rows):
    # Trailing rows that are blank in every kept column are spreadsheet leftovers, not rows.
    keys = [normalised(r, columns) for r in rows]
    n = len(keys)
    while n and all(v is None for v in keys[n - 1]):
        n -= 1
    keys = keys[:n]

    assert ledger.balances()
    assert ledger.rows_read == n
    assert ledger.accepted + ledger.rejected + ledger.repeats == n
    assert sum(ledger.rejected_by_reason.values()) == ledger.rejected
    assert set(ledger.rejected_by_reason) <= set(REASONS)
    assert ledger.inserted == ledger.accepted and ledger.updated == 0

    # Model: a repeat is a row equal (after trimming, kept columns) to one above it.
    assert ledger.repeats == n - len(set(keys))
    # Model: a case_id on distinct rows is a conflict and all those rows are rejected.
    id_pos = [i for i, (_, name) in enumerate(c for c in columns if c[1] is not None) if name == "case_id"][0]
    distinct = {}
    for k in dict.fromkeys(keys):
        if k[id_pos] is not None:
            distinct.setdefault(k[id_pos], []).append(k)
    conflicts = sum(len(v) for v in distinct.values() if len(v) > 1)
    assert ledger.rejected_by_reason.get("duplicate_case_id", 0) == conflicts

    rejects = con.execute("SELECT row_no, field, reason FROM rejects").fetchall()
    accepted_rows = [r for (r,) in con.execute("SELECT source_row FROM cases").fetchall()]
    assert len(rejects) == ledger.rejected and len(accepted_rows) == ledger.accepted
    rejected_rows = [r for r, _, _ in rejects]
    assert all(2 <= r <= n + 1 for r in rejected_rows + accepted_rows)
    assert len(set(rejected_rows + accepted_rows)) == ledger.rejected + ledger.accepted
    assert all(reason in REASONS for _, _, reason in rejects)
    # Each accepted row is the first of its kind in the file.
    first_row = {}
    for i, k in enumerate(keys):
        first_row.setdefault(k, i + 2)
    assert set(accepted_rows) <= set(first_row.values())
    # Accepted cases are complete.
    bad = con.execute("SELECT count(*) FROM cases WHERE case_id IS NULL OR dept IS NULL OR accepted_at IS NULL "
                      "OR status NOT IN ('completed', 'in_progress', 'rejected', 'withdrawn') "
                      "OR completed_at < accepted_at OR rating NOT BETWEEN 1 AND 5 "
                      "OR statutory_limit_days < 0 OR promised_limit_days < 0").fetchone()[0]
    assert bad == 0
    # The aggregates count every accepted case once.
    assert con.execute("SELECT coalesce(sum(accepted_cases), 0) FROM dept_daily").fetchone()[0] == ledger.accepted

    # No personal value anywhere in the store.
    for (table,) in con.execute("SELECT table_name FROM duckdb_tables() WHERE NOT internal").fetchall():
        hit = con.execute(f"SELECT count(*) FROM \"{table}\" t WHERE CAST(t AS VARCHAR) LIKE '%PII%'").fetchone()[0]
        assert hit == 0, table
