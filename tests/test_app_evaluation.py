"""The evaluation cycle on the pages (spec 10), run through dashboard.py with AppTest:
categories and grades on Rankings, the quota table, the bulletin downloads, the departments
file and publishing on the Data page, and the published-revision notice above every page."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pandas as pd
import pytest
from docx import Document

from conftest import FIXTURES, build_small_store
from conftest_app import goto, no_exception, open_app
from test_app_data_page import click_import, ledger_shown, upload, url

Q3 = "2025Q3"
# A3 again with its rating corrected from 不满意 to 满意: 甲局 55.95 (较差) -> 64.29 (合格), as
# worked out in tests/test_publication.py.
LATE = ("办件编号,办理部门,事项编码,事项名称,办件类型,申报方式,受理时间,办结时间,法定时限,承诺时限,窗口签批,评价等级,评价时间,办件状态\n"
        "A3,甲局,I2,甲事项二,承诺件,网上申报,2025-07-03 09:00:00,2025-07-08 09:00:00,5,2,否,满意,2025-07-09 10:00:00,办结\n")


@pytest.fixture(scope="module")
def graded_db(app_db, tmp_path_factory) -> Path:
    """A copy of the demo store with the demo's departments in three categories (two left out)."""
    from metrics.ingest import import_file
    from metrics.store import connect
    path = tmp_path_factory.mktemp("graded") / "graded.duckdb"
    shutil.copy(app_db, path)
    con = connect(path)
    import_file(con, FIXTURES / "departments_demo.csv", kind="departments")
    con.close()
    return path


@pytest.fixture
def small_db(tmp_path, monkeypatch) -> Path:
    """The hand-computed fixture with categories, ranked with min_cases 3 by the pages."""
    from metrics.ingest import import_file
    from metrics.settings import Settings
    from metrics.store import connect
    from pages import queries
    path = build_small_store(tmp_path / "small.duckdb")
    (tmp_path / "d.csv").write_text("部门,类别\n甲局,审批类\n乙局,审批类\n丙局,服务类\n", encoding="utf-8")
    con = connect(path)
    import_file(con, tmp_path / "d.csv", kind="departments")
    con.close()
    settings = Settings(db_path=path, min_cases=3, centre_name="测试市政务服务中心")
    monkeypatch.setattr(queries, "settings", lambda: settings)
    return path


def engine_ranking(period_label: str) -> pd.DataFrame:
    """The engine's ranking through the app's own connection (DuckDB lets a process open a
    file once per configuration), with the settings the app uses."""
    from metrics.periods import parse_period
    from metrics.ranking import ranking
    from pages import queries
    s = queries.settings()
    return ranking(queries.con(), parse_period(period_label), s.weights, s.min_cases, grades=s.grades)


def rankings_page(db, monkeypatch, **query):
    at = open_app(db, monkeypatch, query=query or None, page="rankings")
    no_exception(at)
    return at


def test_rankings_show_category_grade_and_filter_by_category(graded_db, monkeypatch):
    from metrics.grades import category_summary
    from metrics.settings import GradeRules
    at = rankings_page(graded_db, monkeypatch)
    period = at.session_state["view"].period.label
    want = engine_ranking(period)
    shown = at.dataframe[0].value
    assert list(shown["部门"]) == list(want["dept"])
    assert list(shown["考核类别"]) == list(want["category"])
    assert list(shown["等次"]) == list(want["grade"])
    assert [None if pd.isna(r) else int(r) for r in shown["类别内排名"]] == \
        [None if pd.isna(r) else int(r) for r in want["category_rank"]]
    assert set(want["category"]) == {"审批类", "服务类", "综合类", "未分类"} and "优秀" in set(want["grade"])

    # the quota table: per category, ranked departments, the quota and the grades given
    quota = next(d.value for d in at.dataframe if "优秀名额" in d.value.columns)
    summary = category_summary(want, GradeRules())
    assert list(quota["考核类别"]) == list(summary["category"]) == ["审批类", "服务类", "综合类", "未分类"]
    assert list(quota["参加排名部门"]) == list(summary["ranked"])
    assert list(quota["优秀名额"]) == [int(n * 0.2) for n in summary["ranked"]]
    assert list(quota["优秀"]) == list(summary["优秀"])

    # filtering by category keeps that category's departments, in ranking order
    at.button_group(key="rk_categories").set_value(["服务类"]).run()
    no_exception(at)
    shown = at.dataframe[0].value
    assert list(shown["部门"]) == list(want.loc[want["category"] == "服务类", "dept"])
    # the quota table still covers every category
    quota = next(d.value for d in at.dataframe if "优秀名额" in d.value.columns)
    assert len(quota) == 4


def test_rankings_in_english_name_the_grades_in_english(graded_db, monkeypatch):
    from pages.view import LANG_NAMES
    at = rankings_page(graded_db, monkeypatch, lang=LANG_NAMES["en"])
    want = engine_ranking(at.session_state["view"].period.label)
    words = {"优秀": "Excellent", "良好": "Good", "合格": "Pass", "较差": "Poor", "": ""}
    assert list(at.dataframe[0].value["Grade"]) == [words[g] for g in want["grade"]]


def test_bulletin_downloads(small_db, monkeypatch, downloads):
    at = rankings_page(small_db, monkeypatch, period=Q3)
    assert "本期尚未发布：通报按当前数据生成" in " ".join(c.value for c in at.caption)
    docx_button = next(b for b in at.download_button if b.label == "下载通报（Word）")
    doc = Document(io.BytesIO(downloads.of(docx_button)))
    assert doc.paragraphs[0].text == "测试市政务服务中心2025年第三季度绩效考核情况通报"
    assert doc.paragraphs[1].text == "（实时数据，尚未发布）"
    rows = [[c.text for c in r.cells] for r in doc.tables[0].rows]
    assert [r[1] for r in rows[1:]] == ["丙局", "乙局", "甲局", "丁局"]
    pdf_button = next(b for b in at.download_button if b.label == "下载通报（PDF）")
    assert downloads.of(pdf_button).startswith(b"%PDF-")


def test_departments_file_through_the_data_page(small_db, monkeypatch, tmp_path):
    from metrics.departments import category_table
    at = open_app(small_db, monkeypatch, page=url("data_admin"))
    f = tmp_path / "考核类别.csv"
    f.write_text("部门名称,考核类别\n丁局,综合类\n甲局,服务类\n戊局,\n", encoding="utf-8")
    upload(at, f, kind="departments")
    click_import(at)
    assert ledger_shown(at) == {"rows_read": 3, "accepted": 2, "rejected": 1, "repeats": 0, "inserted": 1,
                                "updated": 1}
    from pages import queries
    t = category_table(queries.con())  # the store is open in the app: its own connection reads it
    assert dict(zip(t["dept"], t["category"])) == {"甲局": "服务类", "乙局": "审批类", "丙局": "服务类",
                                                   "丁局": "综合类"}


def _publish(at, note: str = ""):
    if note:
        at.text_input(key="publish_note").input(note)
    submit = next(b for b in at.button if b.label.startswith("发布 "))
    submit.click().run()
    no_exception(at)
    return at


def _notice(at) -> str:
    return " ".join([c.value for c in at.caption] + [w.value for w in at.warning])


def test_publish_late_import_banner_and_republish(small_db, monkeypatch):
    from metrics.publication import revisions
    from pages import queries
    at = open_app(small_db, monkeypatch, query={"period": Q3}, page=url("data_admin"))
    no_exception(at)
    _publish(at, "首次发布")
    assert any(s.value.startswith("2025Q3 第 1 版已发布") for s in at.success)
    assert [(r.revision, r.note) for r in revisions(queries.con())] == [(1, "首次发布")]
    assert "本期已发布第 1 版" in _notice(at) and "当前数据与之一致" in _notice(at)

    # every page says so
    goto(at, "rankings")
    no_exception(at)
    assert "本期已发布第 1 版" in _notice(at)

    # a late correction through the Data page: the revision stays, the banner names 甲局
    goto(at, url("data_admin"))
    late = small_db.parent / "late.csv"
    late.write_text(LATE, encoding="utf-8")
    upload(at, late)
    click_import(at)
    warning = " ".join(w.value for w in at.warning)
    assert "本期已发布第 1 版" in warning and "改变了 1 个部门的排名、等次或得分：甲局" in warning
    details = next(d.value for d in at.dataframe if "已发布等次" in d.value.columns)
    assert details.to_dict("records") == [{"部门": "甲局", "已发布排名": "3", "当前排名": "3", "已发布等次": "较差",
                                           "当前等次": "合格", "已发布得分": "55.95", "当前得分": "64.29"}]
    goto(at, "overview")
    no_exception(at)
    assert "甲局" in " ".join(w.value for w in at.warning)

    # publishing again makes revision 2; the live figures match it; revision 1 still reads
    goto(at, url("data_admin"))
    _publish(at)
    assert [r.revision for r in revisions(queries.con())] == [1, 2]
    assert "本期已发布第 2 版" in _notice(at) and "甲局" not in " ".join(w.value for w in at.warning)
    from metrics.periods import parse_period
    from metrics.publication import load_revision
    first = load_revision(queries.con(), parse_period(Q3), 1).ranking.set_index("dept")
    assert first.loc["甲局", "grade"] == "较差"
