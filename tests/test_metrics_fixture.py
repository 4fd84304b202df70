"""The hand-computed fixture (tests/fixtures/small_*.csv): every expected number below was
worked out by hand from the rows and the 2025 official calendar; see the comments."""

import math

import numpy as np
import pandas as pd
import pytest

from metrics.periods import parse_period
from metrics.rates import centre_metrics, dept_metrics
from metrics.ranking import RANKING_COLUMNS, ranking

Q3 = parse_period("2025Q3")


def by_dept(df):
    return df.set_index("dept")


def test_department_a_every_metric(small_store):
    a = by_dept(dept_metrics(small_store, Q3)).loc["甲局"]
    # accepted in Q3: A1..A7; online A1 A3 A5 A6; instant A4
    assert a["cases"] == 7
    assert a["online_rate"] == pytest.approx(4 / 7)
    assert a["instant_ratio"] == pytest.approx(1 / 7)
    # completed in Q3: A1 A2 A3 A4 (A5 completes 2025-10-09, in Q4; A6 open; A7 withdrawn)
    assert a["completed_cases"] == 4
    # committed with a deadline: A1 (due 07-04, done 07-02: early), A2 (due 07-04, done 07-04), A3 (due 07-07, done 07-08)
    assert a["early_completion_rate"] == pytest.approx(1 / 3)
    # on time: A1, A2 (07-04 16:00 before the end of 07-04), A4 (instant, same day); A3 overdue
    assert a["on_time_rate"] == pytest.approx(3 / 4)
    assert a["overdue_cases"] == 1
    # elapsed working days 1 + 3 + 3 + 0 = 7 over statutory 10 + 10 + 5 + 1 = 26
    assert a["time_compression"] == pytest.approx(1 - 7 / 26)
    assert a["promise_compression"] == pytest.approx(1 - 8 / 26)
    assert a["avg_actual_days"] == pytest.approx(7 / 4)
    assert a["avg_promised_days"] == pytest.approx(8 / 3)
    # statutory days of the four completions with a statutory limit: (10 + 10 + 5 + 1) / 4
    assert a["avg_statutory_days"] == pytest.approx(26 / 4)
    assert a["window_signoff_rate"] == pytest.approx(2 / 4)
    # ratings dated in Q3: 5 (A1), 4 (A2), 2 (A3)
    assert a["satisfaction_rate"] == pytest.approx(2 / 3)
    assert a["rating_coverage"] == pytest.approx(3 / 4)
    # A6: due 2025-09-08 (5 working days after 09-01), still open on 09-30; A7 withdrawn does not count
    assert a["open_overdue_cases"] == 1
    # catalogue on 09-30: I1 I2 I3 must enter (I4 exempt, I5 retired 06-30); I1 I2 entered
    assert a["entry_rate"] == pytest.approx(2 / 3)
    assert a["online_inclusion_rate"] == pytest.approx(1 / 2)


def test_undefined_rates_are_missing_not_zero(small_store):
    d = by_dept(dept_metrics(small_store, Q3))
    assert math.isnan(d.loc["乙局", "entry_rate"])          # no catalogue items
    assert math.isnan(d.loc["乙局", "window_signoff_rate"])  # window_signed never given
    assert math.isnan(d.loc["丁局", "satisfaction_rate"])    # no ratings
    assert d.loc["丁局", "early_completion_rate"] == 1.0     # due 08-06, done 08-04


def test_national_day_crossing_in_q4(small_store):
    # A5: accepted 2025-09-30, promised 1 working day -> due 2025-10-09 (Oct 1-8 are holidays);
    # completed 10-09 09:00: 1 working day, on time, not early.
    a = by_dept(dept_metrics(small_store, parse_period("2025Q4"))).loc["甲局"]
    assert a["completed_cases"] == 1
    assert a["avg_actual_days"] == 1
    assert a["on_time_rate"] == 1
    assert a["early_completion_rate"] == 0
    assert a["time_compression"] == pytest.approx(1 - 1 / 5)


def test_ranking_table(small_store):
    t = ranking(small_store, Q3, min_cases=3)
    assert list(t.columns[: len(RANKING_COLUMNS)]) == RANKING_COLUMNS
    assert list(t["dept"]) == ["丙局", "乙局", "甲局", "丁局"]
    # 乙局 and 丙局: online 1, early 1, satisfaction 1, entry undefined -> 100, partial, tied rank 1
    assert list(t["rank"].fillna(-1)) == [1, 1, 3, -1]
    assert list(t["score"][:3]) == pytest.approx([100, 100, 47 / 84 * 100])
    assert list(t["partial"]) == [True, True, False, True]
    assert list(t["ranked"]) == [True, True, True, False]
    assert t["note"].iloc[3] == "too few cases"
    # Q2 ranks: 甲局 1 (score 83.3), 乙局 2 (66.7); 丙局 new; 丁局 not ranked
    assert list(t["rank_change"].fillna(-99)) == [-99, 1, -2, -99]
    # 4/4 has the Wilson lower bound 4 / (4 + 1.96^2)
    low44 = 4 / (4 + 1.96 ** 2)
    assert t["score_low"].iloc[0] == pytest.approx(low44 * 100)
    assert t["score_high"].iloc[0] == pytest.approx(100)
    assert list(t["not_significant_with_next"]) == [True, True, False, False]


def test_renormalised_weights(small_store):
    from metrics.settings import Weights
    # Only satisfaction weighs: 甲局 2/3, 乙局 and 丙局 1, 丁局 undefined (no rating)
    t = by_dept(ranking(small_store, Q3, Weights(entry_rate=0, online_rate=0, early_completion_rate=0,
                                                 satisfaction_rate=1), min_cases=3))
    assert t.loc["甲局", "score"] == pytest.approx(200 / 3)
    assert t.loc["乙局", "score"] == pytest.approx(100)
    assert math.isnan(t.loc["丁局", "score"])
    assert t.loc["丁局", "note"] == "no defined rate"
    assert not t.loc["甲局", "partial"]
    # 甲局 entry 2/3, online 4/7, weights 3:1 -> (3*2/3 + 4/7) / 4
    t2 = by_dept(ranking(small_store, Q3, Weights(entry_rate=3, online_rate=1, early_completion_rate=0,
                                                  satisfaction_rate=0), min_cases=3))
    assert t2.loc["甲局", "score"] == pytest.approx((3 * 2 / 3 + 4 / 7) / 4 * 100)


def test_default_min_cases_leaves_everyone_unranked(small_store):
    t = ranking(small_store, Q3)  # min_cases 30
    assert not t["ranked"].any()
    assert set(t["note"]) == {"too few cases"}


def test_centre_totals(small_store):
    c = centre_metrics(small_store, Q3)
    # accepted: 7 (甲) + 4 (乙) + 4 (丙) + 1 (丁) = 16; online 4 + 4 + 4 + 1 = 13
    assert c["cases"] == 16
    assert c["online_rate"] == pytest.approx(13 / 16)
    # ratings: 甲 3 (2 satisfied) + 乙 4 + 丙 4 = 11, 10 satisfied
    assert c["satisfaction_rate"] == pytest.approx(10 / 11)
    sel = centre_metrics(small_store, Q3, depts=["乙局", "丁局"])
    assert sel["cases"] == 5


def test_wilson_intervals_by_hand():
    from metrics.rates import wilson
    low, high = wilson(np.array([4.0, 0.0, 0.0, 2.0]), np.array([4.0, 4.0, 0.0, 4.0]))
    z2 = 1.96 ** 2
    # 4 of 4: [4 / (4 + z²), 1]; 0 of 4: [0, z² / (4 + z²)]; 0 of 0: undefined
    assert low[:2] == pytest.approx([4 / (4 + z2), 0])
    assert high[:2] == pytest.approx([1, z2 / (4 + z2)])
    assert np.isnan(low[2]) and np.isnan(high[2])
    # 2 of 4: centred on 1/2, half-width z·sqrt(1/16 + z²/64) / (1 + z²/4)
    half = 1.96 * np.sqrt(1 / 16 + z2 / 64) / (1 + z2 / 4)
    assert (low[3], high[3]) == pytest.approx((0.5 - half, 0.5 + half))


def test_several_periods_in_one_query_equal_one_by_one(small_store):
    # A trend asks for eight quarters at once: each must be what asking for it alone gives.
    from metrics.rates import centre_metrics_over, dept_metrics_over
    quarters = [parse_period(q) for q in ("2025Q2", "2025Q3", "2025Q4")]
    for q, together in zip(quarters, dept_metrics_over(small_store, quarters)):
        pd.testing.assert_frame_equal(together, dept_metrics(small_store, q))
    assert centre_metrics_over(small_store, quarters, ["甲局"]) == [centre_metrics(small_store, q, ["甲局"])
                                                                   for q in quarters]
    assert centre_metrics_over(small_store, quarters)[1].sums["accepted_cases"] == 7 + 4 + 4 + 1  # Q3


def test_same_day_completion_rate(small_store):
    """当日办结率: cases completed on their acceptance date ÷ cases completed, by completion date.
    Q3 completions: 甲局 A1 (07-01→07-02), A2 (07-01→07-04), A3 (07-03→07-08), A4 (07-10→07-10):
    1 of 4; 乙局 B1–B4 and 丙局 C1–C4 all on 07-07 / 08-04 themselves: 4 of 4 each; 丁局 D1
    (08-01→08-04): 0 of 1. The centre: 9 of 13. Q2: AQ1–3 and BQ1–3 all finish on a later day:
    0 of 6. Q4: A5 (09-30→10-09) 0 of 1, dated by completion, not acceptance."""
    from metrics import drilldown
    d = by_dept(dept_metrics(small_store, Q3))
    assert d.loc["甲局", "same_day_completion_rate"] == pytest.approx(1 / 4)
    assert d.loc["乙局", "same_day_completion_rate"] == 1.0
    assert d.loc["丙局", "same_day_completion_rate"] == 1.0
    assert d.loc["丁局", "same_day_completion_rate"] == 0.0
    assert centre_metrics(small_store, Q3)["same_day_completion_rate"] == pytest.approx(9 / 13)
    assert centre_metrics(small_store, parse_period("2025Q2"))["same_day_completion_rate"] == 0.0
    q4 = by_dept(dept_metrics(small_store, parse_period("2025Q4")))
    assert q4.loc["甲局", "same_day_completion_rate"] == 0.0 and q4.loc["甲局", "completed_cases"] == 1
    rows, n = drilldown.cases_behind(small_store, Q3, "same_day_completion_rate", "numerator")
    assert n == 9 and sorted(rows["case_id"]) == ["A4", "B1", "B2", "B3", "B4", "C1", "C2", "C3", "C4"]
