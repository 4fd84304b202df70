"""A period's integrity alerts summed from its months (metrics/alert_months.py) equal the
evaluation of the whole period, bursts across month and period edges included; an import
carries the kept months it did not touch forward and only those (metrics/alert_results.py).

On top of the planted 2025Q3 log (tests/alerts_data.py), 癸局 has two bursts of 20 top ratings
30 seconds apart (9.5 minutes, inside the default 10-minute window), each half on either side
of a midnight: Jul 31 / Aug 1, inside 2025Q3, and Sep 30 / Oct 1, across the quarter's end.
By hand, its flagged ratings: none in 2025-07 or 2025-08 alone (10 each side), 20 in 2025Q3
(the first burst; the second has only its 10 September ratings there), none in 2025Q4, 40 in
2025."""

from __future__ import annotations

import csv
from datetime import datetime, timedelta

import pandas as pd
import pytest

from metrics import alert_months, alert_results, alerts
from metrics.ingest import import_file
from metrics.periods import parse_period
from metrics.settings import Alerts
from metrics.store import connect, data_version
from tests import alerts_data

DEPT = "癸局"
PERIODS = ("2025-07", "2025-08", "2025-09", "2025-10", "2025Q3", "2025Q4", "2025")
BY_HAND = {"2025-07": 0, "2025-08": 0, "2025Q3": 20, "2025Q4": 0, "2025": 40}


def _burst_rows(prefix: str, start: datetime, n: int = 20) -> list[list[str]]:
    rows = []
    for i in range(n):
        rated = start + timedelta(seconds=30 * i)
        accepted = datetime.combine(start.date() - timedelta(days=3), datetime.min.time()) + timedelta(hours=10)
        rows.append([f"{prefix}-{i:03d}", DEPT, "承诺件", "网上申报", accepted.strftime("%Y-%m-%d %H:%M:%S"),
                     (accepted + timedelta(hours=2)).strftime("%Y-%m-%d %H:%M:%S"), "10", "5", "5",
                     rated.strftime("%Y-%m-%d %H:%M:%S"), "办结"])
    return rows


def _write(path, rows):
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(alerts_data.HEADER)
        w.writerows(rows)
    return path


@pytest.fixture(scope="module")
def edged(tmp_path_factory):
    folder = tmp_path_factory.mktemp("months")
    db = alerts_data.build_store(folder)
    rows = _burst_rows("癸-A", datetime(2025, 7, 31, 23, 55)) + _burst_rows("癸-B", datetime(2025, 9, 30, 23, 55))
    con = connect(db)
    import_file(con, _write(folder / "edges.csv", rows), kind="cases")
    con.close()
    return db


@pytest.fixture
def store(edged, tmp_path):
    yield from alerts_data.opened_copy(edged, tmp_path)


@pytest.mark.parametrize("settings", [Alerts(), Alerts(rating_burst=4, rating_burst_minutes=3,
                                                       instant_closure_seconds=120)], ids=["default", "other"])
def test_every_period_summed_from_its_months_equals_its_whole_evaluation(store, settings):
    con, _ = store
    tallies = {}
    for text in PERIODS:
        period = parse_period(text)
        frames = [tallies.setdefault(m.label, alert_months.month_tallies(con, m, settings))
                  for m in alert_months.months_of(period)]
        summed = alert_months.evaluate(period, settings, frames)
        whole = alerts.evaluate(con, period, settings)
        pd.testing.assert_frame_equal(summed, whole)
        if settings == Alerts() and text in BY_HAND:
            burst = whole[(whole["rule"] == "rating_burst") & (whole["dept"] == DEPT)]
            assert int(burst["cases"].sum()) == BY_HAND[text], text


def test_the_burst_across_the_quarter_end_is_counted_at_the_edges(store):
    con, _ = store
    sep, oct_ = (alert_months.month_tallies(con, parse_period(m), Alerts()) for m in ("2025-09", "2025-10"))

    def cases(frame, part):
        row = frame[(frame["rule"] == "rating_burst") & (frame["part"] == part) & (frame["dept"] == DEPT)]
        return int(row["cases"].sum())

    # Its 20 ratings lie within 10 minutes of midnight: none in either month's interior.
    assert cases(sep, "interior") == 0 and cases(oct_, "interior") == 0
    assert cases(oct_, "start_joined") == 20   # both months in the period (the year)
    assert cases(sep, "end_cut") == 0 and cases(oct_, "start_cut") == 0  # a period ends or starts there


def test_an_import_carries_the_months_it_does_not_touch(store, monkeypatch):
    con, db = store
    for text in ("2025Q3", "2025Q4"):
        alert_results.evaluate(con, db, parse_period(text))
    before = data_version(con, db)
    # New cases accepted, completed and rated in November only.
    rows = [[f"新-{i}", "辛局", "承诺件", "网上申报", "2025-11-03 10:00:00", "2025-11-04 10:00:00", "10", "5", "5",
             "2025-11-04 12:00:00", "办结"] for i in range(3)]
    import_file(con, _write(db.parent / "november.csv", rows), kind="cases")
    after = data_version(con, db)
    names = sorted(p.name for p in alert_results.folder_of(db).glob("*.parquet"))
    # Jul-Oct carried to the new version; November (touched) and December (its start follows
    # November's last minutes) gone.
    assert names == [f"{after:010d}-m2025-{m:02d}-{names[0].rsplit('-', 1)[1]}" for m in (7, 8, 9, 10)]
    assert before != after
    counted = []
    real = alert_months.month_tallies
    monkeypatch.setattr(alert_months, "month_tallies", lambda c, m, s: counted.append(m.label) or real(c, m, s))
    for text in ("2025Q3", "2025Q4"):
        pd.testing.assert_frame_equal(alert_results.evaluate(con, db, parse_period(text)),
                                      alerts.evaluate(con, parse_period(text)))
    assert counted == ["2025-11", "2025-12"]


def test_a_rating_moved_within_july_recounts_july_and_the_start_of_august(store, monkeypatch):
    con, db = store
    alert_results.evaluate(con, db, parse_period("2025"))
    # The first burst's last July rating (23:59:30) moves to 29 July 09:00: only July's cases
    # change, but August's start is counted with July's last minutes, so August is counted
    # again too. The 19 ratings left across Jul 31 / Aug 1 are no burst (20 needed): only the
    # second burst's 20 count in the year.
    moved = _burst_rows("癸-A", datetime(2025, 7, 31, 23, 55))[9]
    assert moved[9] == "2025-07-31 23:59:30"
    moved[9] = "2025-07-29 09:00:00"
    import_file(con, _write(db.parent / "moved.csv", [moved]), kind="cases")
    counted = []
    real = alert_months.month_tallies
    monkeypatch.setattr(alert_months, "month_tallies", lambda c, m, s: counted.append(m.label) or real(c, m, s))
    year = parse_period("2025")
    ev = alert_results.evaluate(con, db, year)
    pd.testing.assert_frame_equal(ev, alerts.evaluate(con, year))
    assert sorted(counted) == ["2025-07", "2025-08"]
    burst = ev[(ev["rule"] == "rating_burst") & (ev["dept"] == DEPT)]
    assert int(burst["cases"].iloc[0]) == 20


def test_a_rebuild_carries_nothing(tmp_path):
    folder = tmp_path / "s.duckdb.alerts"
    folder.mkdir()
    for name in ("0000000001-m2025-07-abc.parquet", "0000000001-2025Q3-abc.parquet"):
        (folder / name).write_bytes(b"x")
    assert alert_results.carry_forward(tmp_path / "s.duckdb", 1, 2, None) == 0
    assert list(folder.iterdir()) == []


def test_months_of_a_period():
    assert [m.label for m in alert_months.months_of(parse_period("2025Q4"))] == ["2025-10", "2025-11", "2025-12"]
    assert len(alert_months.months_of(parse_period("2024"))) == 12
    assert alert_results._next_month("2025-12") == "2026-01" and alert_results._next_month("2025-01") == "2025-02"


def test_the_pages_and_an_import_name_the_same_version_and_folder_however_the_path_is_written(store, tmp_path):
    con, db = store
    other = tmp_path / "sub" / ".." / db.name  # as a settings file might write it
    (tmp_path / "sub").mkdir()
    link = tmp_path / "link.duckdb"
    link.symlink_to(db)
    assert data_version(con, other) == data_version(con, db) == data_version(con, link)
    assert alert_results.folder_of(other) == alert_results.folder_of(db) == alert_results.folder_of(link)
