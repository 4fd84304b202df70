"""Grades under a quota, per category (spec 10), worked out by hand.

`add_grades` is fed literal ranking rows (dept, score, ranked); the expected category
ranks and grades below were computed on paper from the spec's rules. The last test runs
the whole engine on the hand-computed fixture store with a departments file imported.
"""

from __future__ import annotations

import pandas as pd
import pytest

from metrics.grades import UNCATEGORISED, add_grades, category_summary, excellent_quota
from metrics.ingest import import_file
from metrics.periods import parse_period
from metrics.ranking import ranking
from metrics.settings import GradeRules, Settings
from tests.conftest import build_small_store

RULES = GradeRules()  # 0.20, 90, 80, 60


def graded(rows, categories, rules=RULES):
    table = pd.DataFrame(rows, columns=["dept", "score", "ranked"])
    out = add_grades(table, categories, rules).set_index("dept")
    return {d: (r.category, None if pd.isna(r.category_rank) else int(r.category_rank), r.grade)
            for d, r in out.iterrows()}


def test_quota_is_floor_of_share_times_ranked_in_decimal():
    assert [excellent_quota(n, 0.2) for n in (0, 4, 5, 9, 10, 11)] == [0, 0, 1, 1, 2, 2]
    # 0.29 × 100 in binary floating point is 28.999999999999996: the quota is 29.
    assert excellent_quota(100, 0.29) == 29
    assert excellent_quota(7, 1.0) == 7


def test_tied_group_straddling_the_quota_gets_no_excellent():
    # 10 ranked in one category: quota floor(0.2 × 10) = 2. A leads alone; B and C tie on 93
    # at category rank 2 and would take places 2 and 3: the group straddles the quota, so
    # neither is excellent (the quota is never exceeded), though both are above 90.
    rows = [("A", 97.0, True), ("B", 93.0, True), ("C", 93.0, True), ("D", 91.0, True),
            ("E", 85.0, True), ("F", 80.0, True), ("G", 79.999999999, True), ("H", 60.0, True),
            ("I", 59.5, True), ("J", 10.0, True)]
    g = graded(rows, {d: "审批类" for d, *_ in rows})
    assert g == {
        "A": ("审批类", 1, "优秀"),
        "B": ("审批类", 2, "良好"), "C": ("审批类", 2, "良好"),
        "D": ("审批类", 4, "良好"),           # 91 ≥ 90 but fourth: outside the quota of 2
        "E": ("审批类", 5, "良好"), "F": ("审批类", 6, "良好"),   # 80 is good (≥)
        "G": ("审批类", 7, "合格"),           # 79.999999999 < 80 at 9 decimals
        "H": ("审批类", 8, "合格"),           # 60 is pass (≥)
        "I": ("审批类", 9, "较差"), "J": ("审批类", 10, "较差"),
    }


def test_tied_group_inside_the_quota_is_excellent_together():
    # 10 ranked, quota 2; A and B tie at the top and fill places 1 and 2 exactly.
    rows = [("A", 95.0, True), ("B", 95.0, True), *[(f"X{i}", 70.0 - i, True) for i in range(8)]]
    g = graded(rows, {})
    assert g["A"] == g["B"] == (UNCATEGORISED, 1, "优秀")
    assert g["X0"] == (UNCATEGORISED, 3, "合格")


def test_category_too_small_for_any_excellent():
    # 服务类 has 4 ranked departments: floor(0.2 × 4) = 0, so even 99.9 is only good.
    # 审批类 has 5: quota 1, and its best (92) is excellent. Unranked ones are left out of n.
    rows = [("S1", 99.9, True), ("S2", 98.0, True), ("S3", 50.0, True), ("S4", 81.0, True),
            ("S5", 100.0, False),
            ("P1", 92.0, True), ("P2", 91.0, True), ("P3", 88.0, True), ("P4", 70.0, True), ("P5", 65.0, True)]
    cats = {**{f"S{i}": "服务类" for i in range(1, 6)}, **{f"P{i}": "审批类" for i in range(1, 6)}}
    g = graded(rows, cats)
    assert [g[f"S{i}"] for i in range(1, 6)] == [
        ("服务类", 1, "良好"), ("服务类", 2, "良好"), ("服务类", 4, "较差"), ("服务类", 3, "良好"),
        ("服务类", None, "")]
    assert [g[f"P{i}"][2] for i in range(1, 6)] == ["优秀", "良好", "良好", "合格", "合格"]


def test_thresholds_compared_at_nine_decimals():
    # Quota 1 in a category of 5. A's 89.9999999996 rounds to 90.000000000: excellent.
    # In the other category, 89.999999999 stays below 90 at 9 decimals: good, not excellent.
    one = [("A", 89.9999999996, True), *[(f"a{i}", 61.0, True) for i in range(4)]]
    two = [("B", 89.999999999, True), *[(f"b{i}", 59.9999999996, True) for i in range(4)]]
    cats = {**{d: "一类" for d, *_ in one}, **{d: "二类" for d, *_ in two}}
    g = graded(one + two, cats)
    assert g["A"] == ("一类", 1, "优秀")
    assert g["B"] == ("二类", 1, "良好")
    assert g["b0"][2] == "合格"   # 59.9999999996 is 60.000000000 at 9 decimals
    assert g["a0"] == ("一类", 2, "合格")


def test_scores_equal_at_nine_decimals_tie_on_category_rank():
    rows = [("A", 95.0000000001, True), ("B", 95.0000000004, True), ("C", 94.0, True), ("D", 80.0, True),
            ("E", 80.0, True), ("F", 70.0, True), ("G", 70.0, True), ("H", 70.0, True), ("I", 70.0, True),
            ("J", 70.0, True)]
    g = graded(rows, {})
    # A and B are equal at 9 decimals (95.000000000): both rank 1, both within the quota of 2.
    assert g["A"] == g["B"] == (UNCATEGORISED, 1, "优秀")
    assert g["C"] == (UNCATEGORISED, 3, "良好")


def test_unranked_departments_have_a_category_and_no_grade():
    rows = [("A", 100.0, False), ("B", float("nan"), False), ("C", 75.0, True)]
    g = graded(rows, {"A": "服务类"})
    assert g == {"A": ("服务类", None, ""), "B": (UNCATEGORISED, None, ""), "C": (UNCATEGORISED, 1, "合格")}


def test_configured_rules_change_quota_and_floors():
    rules = GradeRules(excellent_share=0.5, excellent_min_score=70, good_min_score=65, pass_min_score=50)
    rows = [("A", 72.0, True), ("B", 71.0, True), ("C", 69.0, True), ("D", 40.0, True)]
    g = graded(rows, {}, rules)
    assert [g[d][2] for d in "ABCD"] == ["优秀", "优秀", "良好", "较差"]


def test_grade_rules_must_descend():
    with pytest.raises(ValueError, match="excellent_min_score >= good_min_score"):
        Settings.model_validate({"grades": {"good_min_score": 95}})


def test_category_summary_counts_grades_and_quota():
    rows = [("S1", 99.9, True), ("S2", 98.0, True), ("S3", 50.0, True), ("S4", 81.0, True), ("S5", 1.0, False),
            ("P1", 92.0, True)]
    table = add_grades(pd.DataFrame(rows, columns=["dept", "score", "ranked"]),
                       {f"S{i}": "服务类" for i in range(1, 6)}, RULES)
    s = category_summary(table, RULES).set_index("category")
    assert list(s.index) == ["服务类", UNCATEGORISED]
    assert s.loc["服务类"].to_dict() == {"departments": 5, "ranked": 4, "excellent_quota": 0,
                                       "优秀": 0, "良好": 3, "合格": 0, "较差": 1}
    assert s.loc[UNCATEGORISED].to_dict() == {"departments": 1, "ranked": 1, "excellent_quota": 0,
                                             "优秀": 0, "良好": 1, "合格": 0, "较差": 0}


def test_engine_ranking_carries_category_rank_and_grade(tmp_path):
    """The hand-computed fixture (tests/test_metrics_fixture.py): with min_cases 3 in 2025Q3,
    乙局 and 丙局 score 100 (rank 1) and 甲局 55.952380952 (rank 3); 丁局 is listed, not ranked. With 甲局 and
    乙局 in one category (n = 2, quota 0) and 丙局 alone (n = 1, quota 0): no excellent at all."""
    from metrics.store import connect
    db = build_small_store(tmp_path / "s.duckdb")
    (tmp_path / "d.csv").write_text("部门,考核类别\n甲局,审批类\n乙局,审批类\n丙局,服务类\n", encoding="utf-8")
    con = connect(db)
    import_file(con, tmp_path / "d.csv", kind="departments")
    t = ranking(con, parse_period("2025Q3"), min_cases=3).set_index("dept")
    con.close()
    assert t.loc["乙局", ["category", "category_rank", "grade"]].tolist() == ["审批类", 1, "良好"]
    assert t.loc["甲局", ["category", "category_rank", "grade"]].tolist() == ["审批类", 2, "较差"]
    assert t.loc["丙局", ["category", "category_rank", "grade"]].tolist() == ["服务类", 1, "良好"]
    assert t.loc["丁局", "category"] == UNCATEGORISED and pd.isna(t.loc["丁局", "category_rank"])
    assert t.loc["丁局", "grade"] == ""
