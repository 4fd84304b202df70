"""Integrity alerts kept once computed, in a folder beside the store, `<store>.alerts/`: one
Parquet file per (data version, month, alert settings) holding the month's tallies, from which
a month's, quarter's or year's alerts are summed (metrics/alert_months.py); one per (data
version, period, settings) for any other period.

Evaluating the six rules reads every case of the period: a quarter of a 100M-case store is
12 million cases and took most of a minute. Their result changes only when the data or the
settings do, so the Supervision page reads the kept result when there is one (every session's
first view, and after a restart), and the dashboard computes the default periods' alerts in
the background right after an import (`warm`), before anyone asks.

A result is kept only if the store's data version is the same after the evaluation as
before it: an import committed half-way would otherwise be kept under the older version.
After an import, the months it did not touch keep their tallies under the new version
(`carry_forward`): a month's import costs the alerts of that month, not of the whole store.
Files of other versions are removed when a new one is written. The folder is a cache:
deleting it loses nothing.
"""

from __future__ import annotations

import atexit
import hashlib
import logging
import os
import tempfile
import threading
from concurrent.futures import Future
from pathlib import Path

import duckdb
import pandas as pd

from metrics import alert_months, alerts
from metrics.drilldown import data_freshness
from metrics.periods import Period, default_period
from metrics.settings import Alerts
from metrics.store import canonical_path, data_version

log = logging.getLogger(__name__)


def folder_of(db_path: Path | str) -> Path | None:
    """Where a store's kept alerts go; None for a store in memory."""
    text = canonical_path(db_path)  # an import and the pages name the store differently
    return None if not text or text == ":memory:" else Path(text + ".alerts")


def _file(folder: Path, version: int, label: str, settings: Alerts) -> Path:
    """A period's result (label "2026Q3"), or a month's tallies (label "m2026-09")."""
    settings_key = hashlib.sha1(settings.model_dump_json().encode()).hexdigest()[:12]
    return folder / f"{version:010d}-{label}-{settings_key}.parquet"


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
    """`alerts.evaluate` for the period. A month, quarter or year is summed from its months'
    tallies (metrics/alert_months.py), each read from its kept file when there is one for the
    store's data version and these settings, otherwise counted and kept; another period is
    evaluated whole and kept whole."""
    settings = settings or Alerts()
    folder = folder_of(db_path)
    if folder is None:
        return alerts.evaluate(con, period, settings)
    version = data_version(con, db_path)
    months = alert_months.months_of(period)
    if months is not None and alert_months.composable(settings):
        frames = [_month_tallies(con, db_path, folder, version, m, settings) for m in months]
        return alert_months.evaluate(period, settings, frames)
    return _kept(con, db_path, folder, version, _file(folder, version, period.label, settings),
                 lambda: alerts.evaluate(con, period, settings), _read)


def is_kept(con: duckdb.DuckDBPyConnection, db_path: Path | str, period: Period, settings: Alerts | None = None) -> bool:
    """Whether `evaluate` would only read kept files (a few file lookups, no query)."""
    settings = settings or Alerts()
    folder = folder_of(db_path)
    if folder is None:
        return False
    version = data_version(con, db_path)
    months = alert_months.months_of(period)
    if months is not None and alert_months.composable(settings):
        return all(_file(folder, version, "m" + m.label, settings).exists() for m in months)
    return _file(folder, version, period.label, settings).exists()


# A period not kept yet with this many cases accepted in it or more is counted in the
# background while the Supervision page says so and looks again every few seconds: 15 s for
# a quarter of 12M cases, 36 s for 18M (docs/benchmarks.md), too long for a page to stand
# still on a shared screen. A smaller period takes a second or two, and the page waits.
COUNT_LATER_FROM_CASES = 2_000_000


def counts_later(con: duckdb.DuckDBPyConnection, db_path: Path | str, period: Period,
                 settings: Alerts | None = None) -> bool:
    """Whether the page should have this period counted in the background (`evaluate_later`)."""
    if is_kept(con, db_path, period, settings) or folder_of(db_path) is None:
        return False
    cases = con.cursor().execute(
        "SELECT coalesce(sum(accepted_cases), 0) FROM dept_daily WHERE day BETWEEN $first AND $last",
        {"first": period.start, "last": period.end}).fetchone()[0]
    return cases >= COUNT_LATER_FROM_CASES


_LATER: dict[tuple, Future] = {}
_LATER_LOCK = threading.Lock()


def evaluate_later(con: duckdb.DuckDBPyConnection, db_path: Path | str, period: Period,
                   settings: Alerts | None = None) -> Future:
    """`evaluate` on a thread of its own, once per store, data version, period and settings
    however many sessions ask: its Future (the result, or the error it raised)."""
    settings = settings or Alerts()
    version = data_version(con, db_path)
    key = (canonical_path(db_path), version, period.label, settings.model_dump_json())
    with _LATER_LOCK:
        for old in [k for k in _LATER if k[0] == key[0] and k[1] != version]:
            del _LATER[old]  # results of data since replaced
        future = _LATER.get(key)
        if future is None:
            future = _LATER[key] = Future()

            def run() -> None:
                try:
                    future.set_result(evaluate(con, db_path, period, settings))
                except BaseException as e:  # noqa: BLE001 - handed to the page that waits for it
                    future.set_exception(e)

            thread = threading.Thread(target=run, name=f"alerts-later {period.label}", daemon=True)
            _WARMING[:] = [t for t in _WARMING if t.is_alive()] + [thread]
            thread.start()
    return future


def _kept(con, db_path, folder: Path, version: int, path: Path, compute, read) -> pd.DataFrame:
    """The kept frame at `path`, or `compute()` kept there if the data version held meanwhile."""
    # One computation per file at a time in this process: a session that opens the page while
    # the import's background computation runs waits for its result instead of doing it again.
    with _lock_for(path):
        if path.exists():
            try:
                return read(path)
            except Exception as e:  # noqa: BLE001 - a damaged cache file is computed again
                log.warning("kept alerts %s unreadable (%s): computing again", path, e)
        result = compute()
        # Checked and written under the folder's lock: an import that commits after the check
        # carries the months forward only after this write, which would otherwise remove them
        # as another version's files.
        with _FOLDER_LOCK:
            if data_version(con, db_path) == version:
                try:
                    _write(folder, path, result, version)
                except OSError as e:  # a read-only folder: the page still gets its result
                    log.warning("could not keep alerts in %s: %s", folder, e)
    return result


def _month_tallies(con, db_path, folder: Path, version: int, month: Period, settings: Alerts) -> pd.DataFrame:
    """A month's tallies (alert_months.month_tallies), kept or counted and kept."""
    return _kept(con, db_path, folder, version, _file(folder, version, "m" + month.label, settings),
                 lambda: alert_months.month_tallies(con, month, settings),
                 lambda path: alert_months.tidy(pd.read_parquet(path)))


def carry_forward(db_path: Path | str, before: int, after: int, touched: set[str] | None) -> int:
    """After an import committed (data version `before` -> `after`): the kept month tallies of
    the months it did not touch become the new version's; everything else kept under the old
    version goes. `touched`: the months ("2026-09") of the import's cases and of the stored
    versions they replaced, by any of their times; None when any case's facts may have changed
    (a rebuild: the calendar). Returns how many files were carried."""
    folder = folder_of(db_path)
    if folder is None or not folder.is_dir() or before == after:
        return 0
    if touched is not None:  # a month's start is counted with the previous month's last minutes
        touched = touched | {_next_month(m) for m in touched}
    carried = 0
    prefix = f"{before:010d}-"
    with _FOLDER_LOCK:
        for f in folder.glob(prefix + "*.parquet"):
            rest = f.name[len(prefix):]
            if touched is not None and rest.startswith("m") and rest[1:8] not in touched:
                os.replace(f, folder / f"{after:010d}-{rest}")
                carried += 1
            else:
                f.unlink(missing_ok=True)
    return carried


def _next_month(label: str) -> str:
    year, month = int(label[:4]), int(label[5:7])
    return f"{year + month // 12:04d}-{month % 12 + 1:02d}"


# Writing a kept file (which removes other versions' files) and carrying months forward
# after an import take turns (in this process; an import by another process is a command-line
# one, while a count of this process may still write: the count of that month is lost, and
# made again when asked for).
_FOLDER_LOCK = threading.Lock()
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


def data_months(con: duckdb.DuckDBPyConnection) -> list[Period]:
    """The months from the first case's to the last day of the data."""
    fresh = data_freshness(con)
    if fresh["data_through"] is None:
        return []
    return alert_months.months_between(fresh["first_day"], fresh["data_through"])


def warm(con: duckdb.DuckDBPyConnection, db_path: Path | str, settings: Alerts | None = None) -> list[str]:
    """Compute and keep the default periods' alerts, then every other month's tallies, newest
    first, so that any month, quarter or year opens at once (after an import, in a background
    thread: every query takes its own cursor). An import carries the months it did not touch
    forward: after a month's import this is that month's work, after a first import every
    month's. Stops when the data changes meanwhile. Returns the periods and months done; never
    raises, since nothing depends on it but the speed of a first view."""
    settings = settings or Alerts()
    folder = folder_of(db_path)
    done = []
    try:
        version = data_version(con, db_path)
        for period in default_periods(con):
            if _STOPPING.is_set():
                return done
            evaluate(con, db_path, period, settings)
            done.append(period.label)
        if folder is None or not alert_months.composable(settings):
            return done
        for month in reversed(data_months(con)):
            if _STOPPING.is_set() or data_version(con, db_path) != version:
                break
            _month_tallies(con, db_path, folder, version, month, settings)
            done.append("m" + month.label)
    except Exception:  # noqa: BLE001
        log.exception("computing the alerts after an import failed; the page will compute them")
    return done


_STOPPING = threading.Event()
_WARMING: list[threading.Thread] = []


def warm_in_background(con: duckdb.DuckDBPyConnection, db_path: Path | str, settings: Alerts | None,
                       name: str) -> threading.Thread:
    """`warm` on a daemon thread. At the process's exit it is asked to stop after the month it
    is counting and waited for: a thread left inside DuckDB while the interpreter shuts down
    can bring the process down with it."""
    thread = threading.Thread(target=warm, args=(con, db_path, settings), name=name, daemon=True)
    _WARMING[:] = [t for t in _WARMING if t.is_alive()] + [thread]
    thread.start()
    return thread


@atexit.register
def _stop_warming() -> None:
    _STOPPING.set()
    for thread in _WARMING:
        thread.join(timeout=120)
