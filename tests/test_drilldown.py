"""The cases behind each figure are exactly the cases the figure counts."""

import shutil
from datetime import date

import duckdb
import pandas as pd
import pytest

from metrics import drilldown
from metrics.periods import parse_period
from metrics.rates import centre_metrics
from metrics.registry import METRICS

CASE_METRICS = [m for m in METRICS if m.period_date != "catalogue"]


@pytest.mark.parametrize("period_text", ["2025Q2", "2025Q3", "2025Q4", "2025"])
@pytest.mark.parametrize("m", CASE_METRICS, ids=lambda m: m.name)
def test_case_lists_match_sums(small_store, m, period_text):
    """A part that counts cases counts its case list; a part that sums a column sums it."""
    period = parse_period(period_text)
    sums = centre_metrics(small_store, period).sums
    for side, part in (("numerator", m.numerator), ("denominator", m.denominator)):
        if part is None:
            continue
        rows, n = drilldown.cases_behind(small_store, period, m.name, side, limit=None)
        got = rows[part.sums].sum() if part.sums else n
        assert got == sums[part.name], (side, part.name)


def test_case_list_for_one_department(small_store):
    rows, n = drilldown.cases_behind(small_store, parse_period("2025Q3"), "overdue_cases", depts=["甲局"])
    assert n == 1 and list(rows["case_id"]) == ["A3"]
    assert rows["due_date"].iloc[0].date() == date(2025, 7, 7)
    rows, n = drilldown.cases_behind(small_store, parse_period("2025Q3"), "open_overdue_cases")
    assert list(rows["case_id"]) == ["A6"]


def test_open_warnings(small_store):
    # As of 2025-09-05 (Fri): A6 (accepted 09-01, due 09-08 Mon) is 1 working day away: yellow.
    w = drilldown.open_warnings(small_store, date(2025, 9, 5))
    assert list(zip(w["case_id"], w["level"], w["workdays_left"])) == [("A6", "yellow", 1)]
    # As of 09-09 it is past due: red. A7 is withdrawn and never shows.
    w = drilldown.open_warnings(small_store, date(2025, 9, 9))
    assert list(zip(w["case_id"], w["level"])) == [("A6", "red")]
    # As of 09-03 it is 3 working days away: no warning.
    assert drilldown.open_warnings(small_store, date(2025, 9, 3)).empty


def test_warning_board_counts_every_warning_and_shows_the_first(small_store):
    rows, counts = drilldown.warning_board(small_store, date(2025, 9, 5))
    assert list(rows["case_id"]) == ["A6"]
    assert counts.to_dict("records") == [{"dept": "甲局", "red": 0, "yellow": 1}]
    rows, counts = drilldown.warning_board(small_store, date(2025, 9, 9), limit=0)
    assert rows.empty and counts.to_dict("records") == [{"dept": "甲局", "red": 1, "yellow": 0}]
    rows, counts = drilldown.warning_board(small_store, date(2025, 9, 3))
    assert rows.empty and counts.empty


@pytest.fixture
def demo_store_con(app_db, tmp_path):
    # A copy: the page tests of this process hold app_db open under another configuration.
    shutil.copy(app_db, tmp_path / "demo.duckdb")
    con = duckdb.connect(str(tmp_path / "demo.duckdb"), read_only=True)
    yield con
    con.close()


def test_warning_board_on_the_demo_equals_the_whole_list(demo_store_con):
    # Many warnings in many departments: the board's counts are the whole list's, its rows
    # the list's first, in the list's order.
    day = date(2025, 6, 30)
    every = drilldown.open_warnings(demo_store_con, day)
    assert len(every) >= 8 and every["dept"].nunique() >= 3
    rows, counts = drilldown.warning_board(demo_store_con, day, limit=4)
    pd.testing.assert_frame_equal(rows, every.head(4), check_dtype=False)
    by_hand = every.groupby("dept")["level"].value_counts().unstack(fill_value=0)
    assert {d: (r.get("red", 0), r.get("yellow", 0)) for d, r in by_hand.iterrows()} == \
        {r["dept"]: (r["red"], r["yellow"]) for r in counts.to_dict("records")}
    assert list(counts["red"]) == sorted(counts["red"], reverse=True)


def test_poor_ratings_and_items(small_store):
    q3 = parse_period("2025Q3")
    poor, n = drilldown.poor_ratings(small_store, q3)
    assert list(poor["case_id"]) == ["A3"] and n == 1
    items = drilldown.dept_items(small_store, q3, "甲局").set_index("item_code")
    # I1: A1 A2 A7 accepted; A1 A2 completed, A1 early; I2: A3 A5 A6 accepted, A3 completed overdue
    assert items.loc["I1", "cases"] == 3 and items.loc["I1", "early_cases"] == 1
    assert items.loc["I2", "overdue_cases"] == 1
    assert items.loc["I1", "time_compression"] == pytest.approx(1 - 4 / 20)
    assert drilldown.instant_items(small_store, q3) == 1


def test_catalogue_items_entry_status(small_store):
    items = drilldown.catalogue_items(small_store, parse_period("2025Q3")).set_index("item_code")
    assert list(items.index) == ["I1", "I2", "I3", "I4", "I5"]
    assert items["in_entry_base"].sum() == 3 and items.loc[["I1", "I2"], "entered"].all()
    assert not items.loc["I5", "active"]


@pytest.mark.parametrize("period_text", ["2025Q2", "2025-06", "2025"])
def test_rated_case_lists_read_in_two_parts_equal_the_single_predicate(demo_store_con, monkeypatch, period_text):
    # The satisfaction lists read their period as two disjoint parts (rated in the period;
    # not rated, completed in it) so that DuckDB can skip row groups; the same cases as the
    # one predicate with its OR, in the same order.
    period = parse_period(period_text)
    split = {part: drilldown.cases_behind(demo_store_con, period, "satisfaction_rate", part, limit=None)
             for part in ("numerator", "denominator")}
    assert "UNION ALL" in drilldown._period_source("rated")
    monkeypatch.setattr(drilldown, "_period_source", lambda period_date: "case_facts")
    for part, (rows, n) in split.items():
        one_rows, one_n = drilldown.cases_behind(demo_store_con, period, "satisfaction_rate", part, limit=None)
        assert n == one_n > 0
        pd.testing.assert_frame_equal(rows, one_rows)
