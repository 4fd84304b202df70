"""The departments file (spec 10): imported like a catalogue, from CSV, XLSX and Parquet,
with the same ledger and rejection rules, from the engine and from the CLI."""

from __future__ import annotations

import csv
import io
import json

import pandas as pd
import pytest

from metrics.departments import category_names, category_table
from metrics.ingest import ImportError_, import_file, rejects_frame
from tests.conftest import FIXTURES, build_small_store
from tests.test_cli import cli, one_line_error

GOOD = "部门名称,考核类别,联系电话\n甲局,审批类,0571-88880001\n乙局,服务类,0571-88880002\n"


def categories(con) -> dict[str, str]:
    t = category_table(con)
    return dict(zip(t["dept"], t["category"]))


def test_csv_with_aliases_and_personal_column_dropped(store, tmp_path):
    f = tmp_path / "d.csv"
    f.write_text(GOOD, encoding="utf-8")
    ledger = import_file(store, f, kind="departments")
    assert (ledger.rows_read, ledger.accepted, ledger.rejected, ledger.repeats) == (2, 2, 0, 0)
    assert ledger.columns_used == {"dept": "部门名称", "category": "考核类别"}
    assert ledger.columns_dropped == {"联系电话": "personal data, not stored"}
    assert categories(store) == {"甲局": "审批类", "乙局": "服务类"}
    # the departments table holds nothing but the department, its category and where it came from
    cols = [r[0] for r in store.execute("DESCRIBE departments").fetchall()]
    assert cols == ["dept", "category", "import_id", "source_row"]
    assert store.execute("SELECT kind, file_name FROM imports").fetchall() == [("departments", "d.csv")]


@pytest.mark.parametrize("header", ["部门,类别", "部门,分类", "department,category", "dept,考核类别"])
def test_each_alias_pair(store, tmp_path, header):
    f = tmp_path / "d.csv"
    f.write_text(f"{header}\n甲局,审批类\n", encoding="utf-8")
    assert import_file(store, f, kind="departments").accepted == 1
    assert categories(store) == {"甲局": "审批类"}


def test_rejections_repeats_and_the_ledger(tmp_path):
    from metrics.store import connect
    db = tmp_path / "s.duckdb"
    con = connect(db)
    f = tmp_path / "d.csv"
    f.write_text(
        "部门,考核类别\n"
        "甲局,审批类\n"      # row 2: accepted
        "乙局,\n"           # row 3: no category
        ",服务类\n"          # row 4: no department
        "甲局,审批类\n"      # row 5: identical repeat of row 2
        "丙局,服务类\n"      # row 6: 丙局 twice with two categories: both rejected
        "丙局,审批类\n"      # row 7
        " 丁局 , 综合类 \n",  # row 8: trimmed, accepted
        encoding="utf-8")
    ledger = import_file(con, f, kind="departments")
    assert (ledger.rows_read, ledger.accepted, ledger.rejected, ledger.repeats) == (7, 2, 4, 1)
    assert ledger.balances()
    assert ledger.rejected_by_reason == {"missing_required": 2, "duplicate_dept": 2}
    rejects = rejects_frame(con, ledger.import_id)
    assert list(zip(rejects["row"], rejects["field"], rejects["reason"])) == [
        (3, "category", "missing_required"), (4, "dept", "missing_required"),
        (6, "dept", "duplicate_dept"), (7, "dept", "duplicate_dept")]
    assert rejects["message"].iloc[0] == "缺少必填字段“考核类别”：补填后重新导入"
    assert rejects["message"].iloc[2] == "部门“丙局”在本文件中出现多次且类别不同：保留正确的一行后重新导入"
    assert categories(con) == {"甲局": "审批类", "丁局": "综合类"}
    # the rejected rows are written beside the store, like every other import's
    written = list(csv.DictReader(io.StringIO(open(ledger.rejects_file, encoding="utf-8-sig").read())))
    assert [r["row"] for r in written] == ["3", "4", "6", "7"]
    con.close()


def test_newest_file_wins_per_department(store, tmp_path):
    (tmp_path / "a.csv").write_text("部门,类别\n甲局,审批类\n乙局,服务类\n", encoding="utf-8")
    (tmp_path / "b.csv").write_text("部门,类别\n乙局,审批类\n丙局,综合类\n", encoding="utf-8")
    import_file(store, tmp_path / "a.csv", kind="departments")
    second = import_file(store, tmp_path / "b.csv", kind="departments")
    assert (second.inserted, second.updated) == (1, 1)
    assert categories(store) == {"甲局": "审批类", "乙局": "审批类", "丙局": "综合类"}
    assert category_names(store) == ["审批类", "综合类", "未分类"]


def test_xlsx_and_parquet(store, tmp_path):
    frame = pd.DataFrame({"部门": ["甲局", "乙局"], "考核类别": ["审批类", "服务类"]})
    frame.to_excel(tmp_path / "d.xlsx", index=False)
    assert import_file(store, tmp_path / "d.xlsx", kind="departments").accepted == 2
    pd.DataFrame({"dept": ["丙局"], "category": ["综合类"]}).to_parquet(tmp_path / "d.parquet")
    assert import_file(store, tmp_path / "d.parquet", kind="departments").accepted == 1
    assert categories(store) == {"甲局": "审批类", "乙局": "服务类", "丙局": "综合类"}


def test_a_file_without_a_category_column_is_refused_and_changes_nothing(store, tmp_path):
    (tmp_path / "a.csv").write_text("部门,类别\n甲局,审批类\n", encoding="utf-8")
    import_file(store, tmp_path / "a.csv", kind="departments")
    (tmp_path / "b.csv").write_text("部门,负责科室\n甲局,综合科\n", encoding="utf-8")
    with pytest.raises(ImportError_, match=r"b\.csv: no column for 考核类别 \(category\); expected a header "
                                           r"such as 类别, 分类, 考核类别"):
        import_file(store, tmp_path / "b.csv", kind="departments")
    assert categories(store) == {"甲局": "审批类"}
    assert store.execute("SELECT count(*) FROM imports").fetchone()[0] == 1


def test_departments_file_before_any_case_then_cases(tmp_path):
    """A departments file may come first; the cases imported later are ranked in its categories."""
    from metrics.periods import parse_period
    from metrics.ranking import ranking
    from metrics.store import connect
    db = tmp_path / "s.duckdb"
    con = connect(db)
    (tmp_path / "d.csv").write_text("部门,类别\n甲局,审批类\n", encoding="utf-8")
    import_file(con, tmp_path / "d.csv", kind="departments")
    import_file(con, FIXTURES / "small_catalogue.csv", kind="catalogue")
    import_file(con, FIXTURES / "small_cases.csv", kind="cases")
    t = ranking(con, parse_period("2025Q3"), min_cases=3).set_index("dept")
    con.close()
    assert t.loc["甲局", "category"] == "审批类" and t.loc["乙局", "category"] == "未分类"


# ---------------------------------------------------------------- CLI

def test_cli_departments_alone_and_with_cases(tmp_path):
    db = tmp_path / "s.duckdb"
    build_small_store(db)
    d = tmp_path / "d.csv"
    d.write_text(GOOD, encoding="utf-8")
    p = cli("ingest", "--db", db, "--departments", d, tmp=tmp_path)
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert (out["rows_read"], out["accepted"], out["rejected"], out["repeats"]) == (2, 2, 0, 0)
    d.write_text("部门,类别\n丙局,综合类\n", encoding="utf-8")
    p = cli("ingest", "--db", db, "--cases", FIXTURES / "small_cases.csv", "--departments", d, tmp=tmp_path)
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert (out["updated"], out["departments"]["accepted"]) == (22, 1)
    # the ranking's machine output carries the categories
    p = cli("rank", "--db", db, "--period", "2025Q3", "--format", "json", tmp=tmp_path)
    rows = {r["dept"]: r for r in json.loads(p.stdout)}
    assert {d: rows[d]["category"] for d in rows} == {"甲局": "审批类", "乙局": "服务类", "丙局": "综合类",
                                                      "丁局": "未分类"}
    assert all(r["grade"] == "" and r["category_rank"] is None for r in rows.values())  # min_cases 30


def test_cli_departments_missing_file(tmp_path):
    line = one_line_error(cli("ingest", "--db", tmp_path / "s.duckdb", "--departments", tmp_path / "no.csv",
                              tmp=tmp_path))
    assert line == f"python -m metrics ingest: --departments {tmp_path / 'no.csv'}: no such file"
    line = one_line_error(cli("ingest", "--db", tmp_path / "s.duckdb", tmp=tmp_path))
    assert "--departments FILE" in line
