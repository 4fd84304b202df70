"""Integrity alerts kept once computed (metrics/alert_results.py): a quarter's alerts come from
its three months' kept tallies and equal the evaluation of the quarter, they are used, they
follow the data and the settings, and they are never kept for data that changed while they were
computed. (What an import carries forward: tests/test_alert_months.py.)"""

from __future__ import annotations

import threading

import pandas as pd
import pytest

from metrics import alert_months, alert_results, alerts
from metrics.ingest import import_file
from metrics.periods import parse_period
from metrics.settings import Alerts
from metrics.store import data_version
from tests import alerts_data

Q3 = parse_period("2025Q3")


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    return alerts_data.build_store(tmp_path_factory.mktemp("kept"))


@pytest.fixture
def store(planted, tmp_path):
    yield from alerts_data.opened_copy(planted, tmp_path)


def kept(db) -> list[str]:
    folder = alert_results.folder_of(db)
    return sorted(p.name for p in folder.glob("*.parquet")) if folder.exists() else []


def test_the_kept_result_is_the_evaluation_and_is_read_back(store, monkeypatch):
    con, db = store
    direct = alerts.evaluate(con, Q3)
    first = alert_results.evaluate(con, db, Q3)
    pd.testing.assert_frame_equal(first, direct)
    assert [name.split("-", 1)[1].rsplit("-", 1)[0] for name in kept(db)] == ["m2025-07", "m2025-08", "m2025-09"]
    # The second time it comes from the files: the rules are not evaluated again.
    monkeypatch.setattr(alerts, "evaluate", lambda *a, **k: pytest.fail("evaluated again"))
    monkeypatch.setattr(alert_months, "month_tallies", lambda *a, **k: pytest.fail("counted again"))
    again = alert_results.evaluate(con, db, Q3)
    pd.testing.assert_frame_equal(again, direct)
    assert again.loc[again["rule"] == "rating_burst", "example_case_ids"].map(type).eq(list).all()
    assert set(again.loc[again["flagged"], "dept"]) == set(alerts_data.PLANTED)


def test_other_settings_and_new_data_are_evaluated_again(store):
    con, db = store
    alert_results.evaluate(con, db, Q3)
    stricter = alert_results.evaluate(con, db, Q3, Alerts(rating_burst=26))
    assert "rating_burst" not in set(stricter.loc[stricter["flagged"], "rule"])
    assert len(kept(db)) == 6  # one file per month and settings
    before = data_version(con, db)
    # An import of every case again (each replaced by itself): a new data version, every month
    # touched, so nothing of the old version is kept.
    extra = alerts_data.write_cases(db.parent / "again.csv")
    import_file(con, extra, kind="cases")
    assert data_version(con, db) != before
    assert kept(db) == []
    alert_results.evaluate(con, db, Q3)
    assert len(kept(db)) == 3 and all(name.startswith(f"{data_version(con, db):010d}-") for name in kept(db))


def test_nothing_is_kept_when_an_import_lands_during_the_evaluation(store, monkeypatch):
    con, db = store
    real = alert_months.month_tallies

    def count_while_importing(c, month, settings):
        out = real(c, month, settings)
        if month.label == "2025-07":
            import_file(con, alerts_data.write_cases(db.parent / "meanwhile.csv"), kind="cases")
        return out

    monkeypatch.setattr(alert_months, "month_tallies", count_while_importing)
    alert_results.evaluate(con, db, Q3)
    assert kept(db) == []


def test_a_damaged_file_is_evaluated_again(store):
    con, db = store
    alert_results.evaluate(con, db, Q3)
    path = alert_results.folder_of(db) / kept(db)[0]
    path.write_bytes(b"not parquet")
    pd.testing.assert_frame_equal(alert_results.evaluate(con, db, Q3), alerts.evaluate(con, Q3))


def test_warm_keeps_the_default_quarter_and_month_then_every_month(store, monkeypatch):
    con, db = store
    # The planted data runs to 2025-09-01: the latest complete quarter is 2025Q2, the latest
    # complete month 2025-08 (what the pages open on, pages.view).
    assert [p.label for p in alert_results.default_periods(con)] == ["2025Q2", "2025-08"]
    done = []
    thread = threading.Thread(target=lambda: done.extend(alert_results.warm(con, db)))
    thread.start()
    thread.join(timeout=120)
    # The defaults first, then the data's months newest first (2025-08 was kept already).
    assert done == ["2025Q2", "2025-08", "m2025-09", "m2025-08", "m2025-07"]
    assert [name.split("-", 1)[1].rsplit("-", 1)[0] for name in kept(db)] == [
        "m2025-04", "m2025-05", "m2025-06", "m2025-07", "m2025-08", "m2025-09"]
    # Any period of those months now opens without counting anything.
    monkeypatch.setattr(alert_months, "month_tallies", lambda *a, **k: pytest.fail("counted again"))
    for text in ("2025Q3", "2025-07", "2025Q2"):
        pd.testing.assert_frame_equal(alert_results.evaluate(con, db, parse_period(text)),
                                      alerts.evaluate(con, parse_period(text)))


def test_a_store_in_memory_keeps_nothing():
    assert alert_results.folder_of(":memory:") is None


def test_a_second_session_waits_for_the_running_evaluation_instead_of_repeating_it(store, monkeypatch):
    con, db = store
    real, calls, started, release = alert_months.month_tallies, [], threading.Event(), threading.Event()

    def slow(c, month, settings):
        calls.append(month.label)
        started.set()
        release.wait(timeout=60)
        return real(c, month, settings)

    monkeypatch.setattr(alert_months, "month_tallies", slow)
    results = []
    first = threading.Thread(target=lambda: results.append(alert_results.evaluate(con, db, Q3)))
    first.start()
    assert started.wait(timeout=60)
    second = threading.Thread(target=lambda: results.append(alert_results.evaluate(con, db, Q3)))
    second.start()
    second.join(timeout=0.5)
    assert second.is_alive()  # waiting for the first, not evaluating
    release.set()
    first.join(timeout=60)
    second.join(timeout=60)
    assert sorted(calls) == ["2025-07", "2025-08", "2025-09"] and len(results) == 2
    pd.testing.assert_frame_equal(results[0], results[1])


def test_a_background_count_stops_when_the_process_exits(store, monkeypatch):
    con, db = store
    # The exit hook asks running counts to stop after their current month and waits for them.
    monkeypatch.setattr(alert_results, "_STOPPING", threading.Event())
    alert_results._STOPPING.set()
    thread = alert_results.warm_in_background(con, db, None, name="test-warm")
    thread.join(timeout=60)
    assert not thread.is_alive() and kept(db) == []
    alert_results._stop_warming()  # nothing left running: returns at once


def test_a_month_written_while_an_import_carries_months_forward_removes_none_of_them(store, monkeypatch):
    """A background count passed its version check, then an import committed and carried the
    kept months to the new version before the count wrote its file: the write removed every
    file of another version, i.e. the months just carried. Now the carry waits for the write."""
    con, db = store
    alert_results.evaluate(con, db, parse_period("2025-07"))
    v1 = data_version(con, db)
    writing, release = threading.Event(), threading.Event()
    real_write = alert_results._write

    def slow_write(*args):
        writing.set()
        release.wait(5)  # the import's carry-over is called meanwhile
        real_write(*args)

    monkeypatch.setattr(alert_results, "_write", slow_write)
    counting = threading.Thread(target=alert_results.evaluate, args=(con, db, parse_period("2025-08")))
    counting.start()
    assert writing.wait(60)
    carrying = threading.Thread(target=alert_results.carry_forward, args=(db, v1, v1 + 1, {"2025-12"}))
    carrying.start()
    carrying.join(0.3)
    release.set()
    counting.join(60)
    carrying.join(60)
    names = [name.split("-", 1) for name in kept(db)]
    assert sorted((int(v), rest.rsplit("-", 1)[0]) for v, rest in names) == [(v1 + 1, "m2025-07"), (v1 + 1, "m2025-08")]
