"""Integrity alerts kept once computed (metrics/alert_results.py): the kept result is the
evaluation's, it is used, it follows the data and the settings, and it is never kept for data
that changed while it was computed."""

from __future__ import annotations

import shutil
import threading

import pandas as pd
import pytest

from metrics import alert_results, alerts
from metrics.ingest import import_file
from metrics.periods import parse_period
from metrics.settings import Alerts
from metrics.store import connect, data_version
from tests import alerts_data

Q3 = parse_period("2025Q3")


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    return alerts_data.build_store(tmp_path_factory.mktemp("kept"))


@pytest.fixture
def store(planted, tmp_path):
    db = tmp_path / "store.duckdb"
    shutil.copy(planted, db)
    con = connect(db)
    yield con, db
    con.close()


def kept(db) -> list[str]:
    folder = alert_results.folder_of(db)
    return sorted(p.name for p in folder.glob("*.parquet")) if folder.exists() else []


def test_the_kept_result_is_the_evaluation_and_is_read_back(store, monkeypatch):
    con, db = store
    direct = alerts.evaluate(con, Q3)
    first = alert_results.evaluate(con, db, Q3)
    pd.testing.assert_frame_equal(first, direct)
    assert len(kept(db)) == 1 and kept(db)[0].endswith(".parquet") and "-2025Q3-" in kept(db)[0]
    # The second time it comes from the file: the rules are not evaluated again.
    monkeypatch.setattr(alerts, "evaluate", lambda *a, **k: pytest.fail("evaluated again"))
    again = alert_results.evaluate(con, db, Q3)
    pd.testing.assert_frame_equal(again, direct)
    assert again.loc[again["rule"] == "rating_burst", "example_case_ids"].map(type).eq(list).all()
    assert set(again.loc[again["flagged"], "dept"]) == set(alerts_data.PLANTED)


def test_other_settings_and_new_data_are_evaluated_again(store):
    con, db = store
    alert_results.evaluate(con, db, Q3)
    stricter = alert_results.evaluate(con, db, Q3, Alerts(rating_burst=26))
    assert "rating_burst" not in set(stricter.loc[stricter["flagged"], "rule"])
    assert len(kept(db)) == 2  # one file per settings
    before = data_version(con, db)
    # An import: a new data version; the files of the old one go when the next is written.
    extra = alerts_data.write_cases(db.parent / "again.csv")
    import_file(con, extra, kind="cases")
    assert data_version(con, db) != before
    alert_results.evaluate(con, db, Q3)
    assert len(kept(db)) == 1 and kept(db)[0].startswith(f"{data_version(con, db):010d}-")


def test_nothing_is_kept_when_an_import_lands_during_the_evaluation(store, monkeypatch):
    con, db = store
    real = alerts.evaluate

    def evaluate_while_importing(c, period, settings=None):
        out = real(c, period, settings)
        import_file(con, alerts_data.write_cases(db.parent / "meanwhile.csv"), kind="cases")
        return out

    monkeypatch.setattr(alerts, "evaluate", evaluate_while_importing)
    alert_results.evaluate(con, db, Q3)
    assert kept(db) == []


def test_a_damaged_file_is_evaluated_again(store):
    con, db = store
    alert_results.evaluate(con, db, Q3)
    path = alert_results.folder_of(db) / kept(db)[0]
    path.write_bytes(b"not parquet")
    pd.testing.assert_frame_equal(alert_results.evaluate(con, db, Q3), alerts.evaluate(con, Q3))


def test_warm_keeps_the_default_quarter_and_month(store):
    con, db = store
    # The planted data runs to 2025-09-01: the latest complete quarter is 2025Q2, the latest
    # complete month 2025-08 (what the pages open on, pages.view).
    assert [p.label for p in alert_results.default_periods(con)] == ["2025Q2", "2025-08"]
    thread = threading.Thread(target=alert_results.warm, args=(con, db))
    thread.start()
    thread.join(timeout=120)
    assert [name.split("-", 1)[1].rsplit("-", 1)[0] for name in kept(db)] == ["2025-08", "2025Q2"]


def test_a_store_in_memory_keeps_nothing():
    assert alert_results.folder_of(":memory:") is None


def test_a_second_session_waits_for_the_running_evaluation_instead_of_repeating_it(store, monkeypatch):
    con, db = store
    real, calls, started, release = alerts.evaluate, [], threading.Event(), threading.Event()

    def slow(c, period, settings=None):
        calls.append(period.label)
        started.set()
        release.wait(timeout=60)
        return real(c, period, settings)

    monkeypatch.setattr(alerts, "evaluate", slow)
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
    assert calls == ["2025Q3"] and len(results) == 2
    pd.testing.assert_frame_equal(results[0], results[1])
