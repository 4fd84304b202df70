"""The quarter-end projection (metrics/projection.py) on a hand-built case log whose projection
is worked out by hand, step by step as the module's docstring states the method."""

from __future__ import annotations

import csv
import math
from datetime import date
from pathlib import Path

import pytest

from metrics.ingest import import_file
from metrics.periods import parse_period
from metrics.projection import CENTRE, is_partial, project
from metrics.store import connect

# Online cases out of all accepted, in the first 10 days and in the rest of each month.
# 2025-03 is the period, as of 2025-03-10 (day 10); 2025-01 and 2025-02 its history
# (2024-12 and 2024-11, the other two earlier months, have no cases).
MONTHS = {
    # month: (first-days cases, online among them, rest cases, online among them)
    "2025-01": (10, 5, 20, 12),
    "2025-02": (10, 5, 20, 14),
    "2025-03": (20, 12, 0, 0),
}


def _rows(dept: str):
    for month, (n_first, on_first, n_rest, on_rest) in MONTHS.items():
        for part, n, online, days in (("f", n_first, on_first, range(1, 11)), ("r", n_rest, on_rest, range(11, 29))):
            days = list(days)
            for i in range(n):
                ts = f"{month}-{days[i % len(days)]:02d} 10:00:00"
                yield [f"{dept}{month}{part}{i:02d}", dept, "即办件", "网上申报" if i < online else "窗口受理", ts, ts,
                       "1", "0", "办结"]


def build_store(folder: Path) -> Path:
    """The two departments' log imported through the real importer (also the page tests')."""
    path = folder / "cases.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["办件编号", "办理部门", "办件类型", "申报方式", "受理时间", "办结时间", "法定时限", "承诺时限", "办件状态"])
        for dept in ("甲局", "乙局"):
            w.writerows(_rows(dept))
    con = connect(folder / "p.duckdb")
    import_file(con, path, kind="cases")
    con.close()
    return folder / "p.duckdb"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    con = connect(build_store(tmp_path_factory.mktemp("projection")), read_only=True)
    yield con
    con.close()


def test_projection_by_hand(store):
    got = project(store, parse_period("2025-03"), date(2025, 3, 10)).set_index(["dept", "metric"])
    row = got.loc[("甲局", "online_rate")]
    # 1. So far: 12 of 20 online.
    assert row["so_far"] == pytest.approx(0.6)
    # 2. Earlier months: first days 10 + 10 cases, rest 20 + 20: g = 40 / 20 = 2. Rates:
    #    first (5 + 5) / 20 = 0.5, rest (12 + 14) / 40 = 0.65: shift s = 0.15.
    # 3. The rest: 2 × 20 = 40 cases at 0.6 + 0.15 = 0.75: (12 + 30) / 60 = 0.7.
    assert row["projected"] == pytest.approx(0.7)
    # 4. σ² = 0.75 × 0.25 / 20 + 0.75 × 0.25 / 40 + var(0.1, 0.2) = 0.009375 + 0.0046875 + 0.005;
    #    half = 1.2816 × (40 / 60) × σ.
    half = 1.2815515655446004 * (40 / 60) * math.sqrt(0.009375 + 0.0046875 + 0.005)
    assert half == pytest.approx(0.11796, abs=1e-5)
    assert (row["low"], row["high"]) == (pytest.approx(0.7 - half), pytest.approx(0.7 + half))
    # Target 90%: the whole interval is below it.
    assert row["target"] == pytest.approx(0.9) and row["verdict"] == "missed"


def test_score_is_the_weighted_mean_of_the_defined_rates(store):
    got = project(store, parse_period("2025-03"), date(2025, 3, 10)).set_index(["dept", "metric"])
    # No catalogue, no committed case, no rating: the online rate is the only defined rate,
    # so the score is it × 100, and so are its bounds (weights renormalised, spec 7).
    for col in ("projected", "low", "high"):
        assert got.loc[("甲局", "score"), col] == pytest.approx(got.loc[("甲局", "online_rate"), col] * 100)
    assert math.isnan(got.loc[("甲局", "satisfaction_rate"), "projected"])
    # The score's target: entry 85, online 90, satisfaction 98 (early completion has none).
    assert got.loc[("甲局", "score"), "target"] == pytest.approx((85 + 90 + 98) / 3)
    assert got.loc[("甲局", "score"), "verdict"] == "missed"


def test_centre_pools_its_departments(store):
    got = project(store, parse_period("2025-03"), date(2025, 3, 10)).set_index(["dept", "metric"])
    centre = got.loc[(CENTRE, "online_rate")]
    # Twice the cases at the same rates: the same projection, a narrower interval.
    assert centre["projected"] == pytest.approx(0.7)
    half = 1.2815515655446004 * (80 / 120) * math.sqrt(0.1875 / 40 + 0.1875 / 80 + 0.005)
    assert centre["high"] - centre["projected"] == pytest.approx(half)
    only = project(store, parse_period("2025-03"), date(2025, 3, 10), depts=["乙局"])
    assert set(only["dept"]) == {"乙局", CENTRE}


def test_targets_from_settings_change_the_verdict(store):
    got = project(store, parse_period("2025-03"), date(2025, 3, 10), targets={"online_rate": 0.5})
    row = got.set_index(["dept", "metric"]).loc[("甲局", "online_rate")]
    assert row["verdict"] == "met"      # low 0.582 >= 0.5
    got = project(store, parse_period("2025-03"), date(2025, 3, 10), targets={"online_rate": 0.7})
    assert got.set_index(["dept", "metric"]).loc[("甲局", "online_rate"), "verdict"] == "open"


def test_without_history_the_rate_so_far_stands(store):
    # 2025-01 has no earlier month with cases: no shift, and the rest brings cases in
    # proportion to its days: 21 days to come after 10, so 2.1 × 10 = 21 cases at 0.5.
    got = project(store, parse_period("2025-01"), date(2025, 1, 10)).set_index(["dept", "metric"])
    row = got.loc[("甲局", "online_rate")]
    assert row["projected"] == pytest.approx(0.5)
    half = 1.2815515655446004 * (21 / 31) * math.sqrt(0.25 / 10 + 0.25 / 21)
    assert (row["low"], row["high"]) == (pytest.approx(0.5 - half), pytest.approx(0.5 + half))


def test_at_the_period_end_the_projection_is_the_final_value(store):
    got = project(store, parse_period("2025-02"), date(2025, 2, 28)).set_index(["dept", "metric"])
    row = got.loc[("甲局", "online_rate")]
    assert row["so_far"] == row["projected"] == row["low"] == row["high"] == pytest.approx(19 / 30)


def test_is_partial():
    q = parse_period("2025Q3")
    assert is_partial(q, date(2025, 8, 1))
    assert not is_partial(q, date(2025, 9, 30)) and not is_partial(q, date(2025, 6, 30))
    assert not is_partial(q, None)


def test_bulletin_of_a_partial_period_carries_the_projection(store):
    import io

    from docx import Document

    from metrics.bulletin import build_docx
    from metrics.results import live_results
    from metrics.settings import Settings

    r = live_results(store, parse_period("2025-03"), Settings())
    assert r.as_of == date(2025, 3, 10)
    text = [p.text for p in Document(io.BytesIO(build_docx(r))).paragraphs]
    assert "五、期末预计" in text
    # The centre: 70.0% expected, interval 0.7 ∓ 0.0834 (test_centre_pools_its_departments).
    half = 1.2815515655446004 * (80 / 120) * math.sqrt(0.1875 / 40 + 0.1875 / 80 + 0.005)
    line = next(p for p in text if p.startswith("网上审批率预计"))
    assert line == (f"网上审批率预计 70.0%（区间 {(0.7 - half) * 100:.1f}%—{(0.7 + half) * 100:.1f}%，目前 60.0%），"
                    f"目标 ≥90.0%，预计未达标。")
    assert any(p.startswith("本期尚未结束：数据截至2025年3月10日（本期第 10 天，共 31 天）") for p in text)
    # A complete period has no such section.
    done = live_results(store, parse_period("2025-02"), Settings())
    assert done.projection is None
    assert "五、期末预计" not in [p.text for p in Document(io.BytesIO(build_docx(done))).paragraphs]
