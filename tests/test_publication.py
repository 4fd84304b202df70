"""Publication (spec 10): revisions freeze results; a late import leaves them as they were,
the drift names the departments that changed, republishing makes revision 2.

The store is the hand-computed fixture (tests/test_metrics_fixture.py) with min_cases 3:
in 2025Q3 乙局 and 丙局 score 100 (rank 1), 甲局 55.952380952 (rank 3): its rates are
entry 2/3, online 4/7, early 1/3, satisfaction 2/3, so (2/3 + 4/7 + 1/3 + 2/3) / 4 × 100.
"""

from __future__ import annotations

import json
import re
from datetime import datetime

import pandas as pd
import pytest

from metrics.ingest import import_file
from metrics.periods import parse_period
from metrics.publication import (PublicationError, changes, drift, load_revision, publish, revisions)
from metrics.results import RESULT_COLUMNS, live_results
from metrics.settings import Settings
from tests.conftest import FIXTURES, build_small_store
from tests.test_cli import cli, one_line_error

Q3 = parse_period("2025Q3")
SETTINGS = Settings(min_cases=3, centre_name="测试市政务服务中心")
JIA_BEFORE = (2 / 3 + 4 / 7 + 1 / 3 + 2 / 3) / 4 * 100    # 55.952380952
JIA_AFTER = (2 / 3 + 4 / 7 + 1 / 3 + 3 / 3) / 4 * 100     # 64.285714286: A3 re-rated 满意
# A3 again, its rating corrected from 不满意 to 满意 (a late correction from the department).
LATE = ("办件编号,办理部门,事项编码,事项名称,办件类型,申报方式,受理时间,办结时间,法定时限,承诺时限,窗口签批,评价等级,评价时间,办件状态\n"
        "A3,甲局,I2,甲事项二,承诺件,网上申报,2025-07-03 09:00:00,2025-07-08 09:00:00,5,2,否,满意,2025-07-09 10:00:00,办结\n")


@pytest.fixture
def db(tmp_path):
    from metrics.store import connect
    path = build_small_store(tmp_path / "s.duckdb")
    (tmp_path / "d.csv").write_text("部门,类别\n甲局,审批类\n乙局,审批类\n丙局,服务类\n", encoding="utf-8")
    con = connect(path)
    import_file(con, tmp_path / "d.csv", kind="departments")
    con.close()
    return path


@pytest.fixture
def con(db):
    from metrics.store import connect
    c = connect(db)
    yield c
    c.close()


def scores(results) -> dict[str, float]:
    return dict(zip(results.ranking["dept"], results.ranking["score"]))


def test_revision_one_holds_the_ranking_figures_and_rules(con):
    live = live_results(con, Q3, SETTINGS)
    rev = publish(con, Q3, SETTINGS, note="首次发布", at=datetime(2025, 10, 8, 9, 30))
    assert (rev.period, rev.revision, rev.note, rev.departments) == ("2025Q3", 1, "首次发布", 4)
    frozen = load_revision(con, Q3)
    assert (frozen.revision, frozen.published_at, frozen.note) == (1, datetime(2025, 10, 8, 9, 30), "首次发布")
    pd.testing.assert_frame_equal(frozen.ranking[RESULT_COLUMNS], live.ranking[RESULT_COLUMNS], check_dtype=False)
    assert scores(frozen)["甲局"] == pytest.approx(JIA_BEFORE, abs=1e-9)
    t = frozen.ranking.set_index("dept")
    assert t.loc["甲局", ["rank", "category", "category_rank", "grade"]].tolist() == [3, "审批类", 2, "较差"]
    # the figures of the period and of the one before, and the rules in force
    assert frozen.figures["satisfaction_rate"] == pytest.approx((10 / 11, 1.0))   # 10 of 11 ratings ≥ 3
    assert frozen.rules["min_cases"] == 3 and frozen.rules["centre_name"] == "测试市政务服务中心"
    assert frozen.rules["grades"] == {"excellent_share": 0.2, "excellent_min_score": 90.0,
                                      "good_min_score": 80.0, "pass_min_score": 60.0}
    assert frozen.rules["targets"]["entry_rate"] == 0.85 and frozen.rules["weights"]["online_rate"] == 25
    # the imports it was computed from: catalogue, cases, departments
    assert json.loads(con.execute("SELECT imports FROM publications").fetchone()[0]) == [1, 2, 3]


def test_late_import_then_republish(con, tmp_path):
    publish(con, Q3, SETTINGS, at=datetime(2025, 10, 8, 9, 30))
    (tmp_path / "late.csv").write_text(LATE, encoding="utf-8")
    ledger = import_file(con, tmp_path / "late.csv", kind="cases")
    assert (ledger.accepted, ledger.updated) == (1, 1)

    # the revision is unchanged ...
    assert scores(load_revision(con, Q3))["甲局"] == pytest.approx(JIA_BEFORE, abs=1e-9)
    # ... the live figures moved, and the drift names 甲局 only: score and grade, not rank
    published, changed = drift(con, Q3, SETTINGS)
    assert published.revision == 1
    assert list(changed["dept"]) == ["甲局"]
    row = changed.iloc[0]
    assert row["changed"] == ["grade", "score"]
    assert (row["rank_published"], row["rank_live"]) == (3, 3)
    assert (row["grade_published"], row["grade_live"]) == ("较差", "合格")
    assert row["score_published"] == pytest.approx(JIA_BEFORE) and row["score_live"] == pytest.approx(JIA_AFTER)

    second = publish(con, Q3, SETTINGS, note="补录评价更正", at=datetime(2025, 10, 9, 10, 0))
    assert second.revision == 2
    assert drift(con, Q3, SETTINGS)[1].empty          # live equals the latest revision again
    assert scores(load_revision(con, Q3))["甲局"] == pytest.approx(JIA_AFTER, abs=1e-9)
    assert scores(load_revision(con, Q3, 1))["甲局"] == pytest.approx(JIA_BEFORE, abs=1e-9)   # still readable
    assert [(r.revision, r.note) for r in revisions(con, Q3)] == [(1, None), (2, "补录评价更正")]


def test_changes_list_departments_that_appear_or_disappear_and_rank_moves(con):
    publish(con, Q3, SETTINGS)
    frozen = load_revision(con, Q3)
    # With min_cases 5, 乙局 and 丙局 (4 cases each) drop out of the ranking; 甲局 moves to rank 1.
    live = live_results(con, Q3, Settings(min_cases=5))
    changed = changes(frozen, live).set_index("dept")
    assert sorted(changed.index) == ["丙局", "乙局", "甲局"]
    assert changed.loc["甲局", "changed"] == ["rank"] and changed.loc["甲局", "rank_live"] == 1
    assert changed.loc["乙局", "changed"] == ["rank", "grade"] and changed.loc["乙局", "grade_live"] == ""
    # a department only in one of them is listed with every field changed
    gone = frozen.ranking[frozen.ranking["dept"] != "丁局"].reset_index(drop=True)
    frozen.ranking = gone
    assert changes(frozen, live_results(con, Q3, SETTINGS)).set_index("dept").loc["丁局", "changed"] == [
        "rank", "grade", "score"]


def test_nothing_to_publish_and_no_revision(con):
    # 2030Q1: 甲局's catalogue items are still active, but no case was accepted or completed
    with pytest.raises(PublicationError, match="2030Q1: no case was accepted or completed in this period"):
        publish(con, parse_period("2030Q1"), SETTINGS)
    with pytest.raises(PublicationError, match=r"2025Q2: no revision published \(publish it first"):
        load_revision(con, parse_period("2025Q2"))
    assert drift(con, Q3, SETTINGS) is None


def test_published_tables_hold_no_case_ids_and_no_personal_data(con):
    publish(con, Q3, SETTINGS)
    case_ids = {r[0] for r in con.execute("SELECT case_id FROM cases").fetchall()}
    for table in ("publications", "published_rankings", "published_figures"):
        text = con.execute(f"SELECT * FROM {table}").df().to_csv()
        assert not any(re.search(rf"\b{re.escape(c)}\b", text) for c in case_ids), table
        assert not re.search(r"(?<![\d.])1[3-9]\d{9}(?!\d)", text), table   # mobile numbers (the fixture has them)
        for name in ("张三", "李四", "王五"):                           # applicants in the fixture
            assert name not in text


# ---------------------------------------------------------------- CLI

def test_cli_publish_and_published(db, tmp_path):
    p = cli("publish", "--db", db, "--period", "2025Q3", "--note", "首次发布", tmp=tmp_path)
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert (out["period"], out["revision"], out["note"], out["departments"]) == ("2025Q3", 1, "首次发布", 4)
    assert cli("publish", "--db", db, "--period", "2025Q3", tmp=tmp_path).returncode == 0
    p = cli("published", "--db", db, tmp=tmp_path)
    lines = p.stdout.splitlines()
    assert len(lines) == 2 and lines[0].startswith("2025Q3  revision 1  ") and lines[0].endswith("4 departments  首次发布")
    assert lines[1].startswith("2025Q3  revision 2  ")
    p = cli("published", "--db", db, "--period", "2025Q2", "--format", "json", tmp=tmp_path)
    assert json.loads(p.stdout) == []


def test_cli_errors_are_one_line(db, tmp_path):
    line = one_line_error(cli("publish", "--db", db, "--period", "2030Q1", tmp=tmp_path))
    assert line.startswith("2030Q1: no case was accepted or completed in this period")
    line = one_line_error(cli("publish", "--db", db, "--period", "2025Q5", tmp=tmp_path))
    assert "2025Q5" in line
    line = one_line_error(cli("publish", "--db", tmp_path / "none.duckdb", "--period", "2025Q3", tmp=tmp_path))
    assert line.endswith("none.duckdb: no such database (run demo or ingest first)")
    line = one_line_error(cli("export-public", "--db", db, "--period", "2025Q3", "--out", tmp_path / "pub",
                              tmp=tmp_path))
    assert line == "2025Q3: no revision published (publish it first: python -m metrics publish --period 2025Q3)"
