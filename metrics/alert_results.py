"""Integrity alerts kept once computed: one Parquet file per (data version, period, alert
settings) in a folder beside the store, `<store>.alerts/`.

Evaluating the six rules reads every case of the period: a quarter of a 100M-case store is
12 million cases and took most of a minute. Their result changes only when the data or the
settings do, so the Supervision page reads the kept result when there is one (every session's
first view, and after a restart), and the dashboard computes the default periods' alerts in
the background right after an import (`warm`), before anyone asks.

A result is kept only if the store's data version is the same after the evaluation as
before it: an import committed half-way would otherwise be kept under the older version.
Files of other versions are removed when a new one is written. The folder is a cache:
deleting it loses nothing.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import threading
from pathlib import Path

import duckdb
import pandas as pd

from metrics import alerts
from metrics.drilldown import data_freshness
from metrics.periods import Period, default_period
from metrics.settings import Alerts
from metrics.store import data_version

log = logging.getLogger(__name__)


def folder_of(db_path: Path | str) -> Path | None:
    """Where a store's kept alerts go; None for a store in memory."""
    text = str(db_path)
    return None if not text or text == ":memory:" else Path(text + ".alerts")


def _file(folder: Path, version: int, period: Period, settings: Alerts) -> Path:
    settings_key = hashlib.sha1(settings.model_dump_json().encode()).hexdigest()[:12]
    return folder / f"{version:010d}-{period.label}-{settings_key}.parquet"


def _read(path: Path) -> pd.DataFrame:
    df = pd.read_parquet(path)
    # Parquet gives the example lists back as arrays; every reader expects lists of ids.
    df["example_case_ids"] = [list(x) if x is not None else [] for x in df["example_case_ids"]]
    return df


def _write(folder: Path, path: Path, ev: pd.DataFrame, version: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
    os.close(fd)
    try:
        ev.to_parquet(tmp, index=False)
        os.replace(tmp, path)  # whole or not at all: a reader never sees half a file
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    for old in folder.glob("*.parquet"):
        if not old.name.startswith(f"{version:010d}-"):
            old.unlink(missing_ok=True)


def evaluate(con: duckdb.DuckDBPyConnection, db_path: Path | str, period: Period,
             settings: Alerts | None = None) -> pd.DataFrame:
    """`alerts.evaluate` for the period, read from the kept file when there is one for the
    store's data version and these settings; otherwise evaluated and kept."""
    settings = settings or Alerts()
    folder = folder_of(db_path)
    version = data_version(con, db_path)
    if folder is None:
        return alerts.evaluate(con, period, settings)
    path = _file(folder, version, period, settings)
    # One evaluation per file at a time in this process: a session that opens the page while
    # the import's background computation runs waits for its result instead of doing it again.
    with _lock_for(path):
        if path.exists():
            try:
                return _read(path)
            except Exception as e:  # noqa: BLE001 - a damaged cache file is evaluated again
                log.warning("kept alerts %s unreadable (%s): evaluating again", path, e)
        ev = alerts.evaluate(con, period, settings)
        if data_version(con, db_path) == version:
            try:
                _write(folder, path, ev, version)
            except OSError as e:  # a read-only folder: the page still gets its result
                log.warning("could not keep alerts in %s: %s", folder, e)
    return ev


_LOCKS: dict[Path, threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()


def _lock_for(path: Path) -> threading.Lock:
    with _LOCKS_GUARD:
        return _LOCKS.setdefault(path, threading.Lock())


def default_periods(con: duckdb.DuckDBPyConnection) -> list[Period]:
    """The periods the Supervision page opens on: the latest complete quarter and month of
    the data (the pages' own default_period and freshness)."""
    through = data_freshness(con)["data_through"]
    return [] if through is None else [default_period("quarter", through), default_period("month", through)]


def warm(con: duckdb.DuckDBPyConnection, db_path: Path | str, settings: Alerts | None = None) -> list[str]:
    """Compute and keep the default periods' alerts (after an import, in a background thread:
    every query takes its own cursor). Returns the periods done; never raises, since nothing
    depends on it but the speed of a first view."""
    done = []
    try:
        for period in default_periods(con):
            evaluate(con, db_path, period, settings)
            done.append(period.label)
    except Exception:  # noqa: BLE001
        log.exception("computing the alerts after an import failed; the page will compute them")
    return done
