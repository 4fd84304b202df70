"""The engine's answers, cached for the pages: the store, the data version every cache key
holds, and one cached call per question a page asks (rankings, figures of a period, trends,
case lists, import history).

Every call is keyed by `data_version()`, so an import clears them all. Nothing here computes
a metric: values come from `metrics.rates`, `metrics.ranking` and `metrics.drilldown`.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Mapping
from datetime import date
from typing import TYPE_CHECKING

import duckdb
import pandas as pd
import streamlit as st

from metrics import aggregates, alert_results, drilldown, ingest, rates, ranking, reading_copy, registry
from metrics.periods import Period, parse_period, quarters_back
from metrics.rates import CentreFigures
from metrics.settings import GradeRules, Settings, Weights, load_settings
from metrics.store import connect, is_ready
from metrics.store import data_version as store_version
from pages import access, tables

if TYPE_CHECKING:  # the view's module reads the sidebar's data from here
    from pages.view import View

TREND_QUARTERS = 8


# ---- store and settings ----------------------------------------------------------------

def settings() -> Settings:
    # Keyed by METRICS_DB and METRICS_CONFIG so that a process (a test run) can point at
    # another store or settings file.
    return _settings(os.environ.get("METRICS_DB", ""), os.environ.get("METRICS_CONFIG", ""))


@functools.cache  # read hundreds of times a run: a plain memo, not st.cache_resource
def _settings(metrics_db_env: str, metrics_config_env: str = "") -> Settings:
    return load_settings()


@st.cache_resource
def _connection(db_path: str) -> duckdb.DuckDBPyConnection:
    # One connection per server process; each query takes its own cursor (not thread-safe).
    con = connect(db_path)
    reading_copy.ensure(con)  # what the command line reads while this server holds the store
    # The integrity alerts of every month not kept yet (a first start, other alert settings,
    # an import from the command line while the dashboard was stopped), counted before anyone
    # opens the Supervision page: a quarter of 100M cases takes 13-16 s, once.
    alert_results.warm_in_background(con, db_path, settings().alerts, name=f"alerts-on-start {db_path}")
    return con


def con() -> duckdb.DuckDBPyConnection:
    return _connection(str(settings().db_path))


_VERSION_KEY = "_data_version"


def data_version() -> int:
    """Changes with every import and with a replaced store (metrics.store.data_version): part
    of every cache key, so new data clears the caches.

    Read once per run of the script (`begin_run`): a page asks for it a score of times. An
    import reruns the script, so the next run reads the new version."""
    version = st.session_state.get(_VERSION_KEY)
    if version is None:
        version = st.session_state[_VERSION_KEY] = store_version(con(), settings().db_path)
    return version


def begin_run() -> None:
    """At the top of every run: the data may have changed since the last one."""
    st.session_state.pop(_VERSION_KEY, None)


def store_changed() -> None:
    """Call after the store file was replaced (a rebuilt demo) or written by another process:
    closes the cached connection so the next query opens the new file, and drops cached data."""
    try:
        con().close()
    except duckdb.Error:
        pass
    _connection.clear()
    st.cache_data.clear()
    begin_run()


@st.cache_data(max_entries=16, show_spinner=False)
def _store_ready(version: int) -> bool:
    return is_ready(con().cursor())


def store_ready() -> bool:
    """Whether the store holds imported cases (else every page but Data guides there)."""
    return _store_ready(data_version())


# ---- the centre and the departments in a period --------------------------------------------

def sums(figures: CentreFigures) -> Mapping[str, int]:
    """The summed numerators and denominators behind a `centre_metrics` result."""
    return figures.sums


@st.cache_data(max_entries=512, show_spinner=False)
def _ranking(version: int, period_text: str, depts: tuple[str, ...], weights: tuple, min_cases: int,
             grades: tuple = ()) -> pd.DataFrame:
    w = Weights(**dict(weights))
    return ranking.ranking(con(), parse_period(period_text), w, min_cases, list(depts) or None,
                           grades=GradeRules(**dict(grades)))


def ranking_table(view: View) -> pd.DataFrame:
    s = settings()
    return _ranking(data_version(), view.period.label, view.depts,
                    tuple(s.weights.model_dump().items()), s.min_cases, tuple(s.grades.model_dump().items()))


@st.cache_data(max_entries=512, show_spinner=False)
def _dept_metrics(version: int, period_text: str, depts: tuple[str, ...]) -> pd.DataFrame:
    return rates.dept_metrics(con(), parse_period(period_text), list(depts) or None)


def dept_metrics(view: View, period: Period | None = None) -> pd.DataFrame:
    return _dept_metrics(data_version(), (period or view.period).label, view.depts)


@st.cache_data(max_entries=512, show_spinner=False)
def _centre(version: int, period_text: str, depts: tuple[str, ...]) -> dict:
    return rates.centre_metrics(con(), parse_period(period_text), list(depts) or None)


def centre_metrics(view: View, period: Period | None = None, depts: tuple[str, ...] | None = None) -> dict:
    return _centre(data_version(), (period or view.period).label, view.depts if depts is None else depts)


def previous_centre_metrics(view: View) -> dict:
    """The centre's figures for the previous period of the same length (tile deltas)."""
    return centre_metrics(view, view.period.previous())


def period_is_empty(view: View, period: Period | None = None) -> bool:
    """No case accepted, completed or rated in the period, and none open and overdue at its end."""
    s = sums(centre_metrics(view, period))
    return not (s.get("accepted_cases") or s.get("completed_cases") or s.get("ratings")
                or s.get("open_overdue_cases"))


@st.cache_data(max_entries=256, show_spinner=False)
def _dept_period(version: int, period: str, dept: str) -> dict:
    df = rates.dept_metrics(con(), parse_period(period), [dept])
    return {} if df.empty else df.iloc[0].to_dict()


def dept_period(period: Period, dept: str) -> dict:
    """Every metric of one department in one period ({} when it had nothing)."""
    return _dept_period(data_version(), period.label, dept)


# ---- trends -----------------------------------------------------------------------------------

@st.cache_data(max_entries=64, show_spinner=False)
def _trend(version: int, period_text: str, depts: tuple[str, ...], n: int) -> pd.DataFrame:
    quarters = quarters_back(parse_period(period_text), n)
    rows = []
    for q, c in zip(quarters, rates.centre_metrics_over(con(), quarters, list(depts) or None)):  # one query
        rows.append({"period": q.label, "start": q.start, **c})
    return pd.DataFrame(rows)


def centre_trend(last: Period, depts: tuple[str, ...] = (), n: int = TREND_QUARTERS) -> pd.DataFrame:
    """One row per quarter, the `n` quarters ending with `last`: every metric's value for the
    centre, or for the departments `depts` together."""
    return _trend(data_version(), last.label, depts, n)


def trend(view: View, n: int = TREND_QUARTERS) -> pd.DataFrame:
    """`centre_trend` of the view's period and departments."""
    return centre_trend(view.period, view.depts, n)


@st.cache_data(max_entries=256, show_spinner=False)
def _dept_quarters(version: int, dept: str, last: str, n: int) -> pd.DataFrame:
    quarters = quarters_back(parse_period(last), n)
    rows = []
    for q, df in zip(quarters, rates.dept_metrics_over(con(), quarters, [dept])):
        row = df.iloc[0].to_dict() if len(df) else {}
        row["period"] = q.label
        rows.append(row)
    return pd.DataFrame(rows)


def dept_quarters(dept: str, last: Period, n: int = TREND_QUARTERS) -> pd.DataFrame:
    """One row per quarter (oldest first): every metric of one department."""
    return _dept_quarters(data_version(), dept, last.label, n)


# ---- what the data holds ------------------------------------------------------------------------

@st.cache_data(max_entries=64, show_spinner=False)
def _freshness(version: int) -> dict:
    return drilldown.data_freshness(con())


def freshness() -> dict:
    return _freshness(data_version())


@st.cache_data(max_entries=64, show_spinner=False)
def _departments(version: int) -> list[str]:
    return drilldown.departments(con())


def departments() -> list[str]:
    return _departments(data_version())


@st.cache_data(max_entries=64, show_spinner=False)
def _has_catalogue(version: int) -> bool:
    return bool(con().cursor().execute("SELECT count(*) FROM catalogue").fetchone()[0])


def has_catalogue() -> bool:
    """Whether an item catalogue was imported (entry rate and online inclusion need it)."""
    return _has_catalogue(data_version())


@st.cache_data(max_entries=64, show_spinner=False)
def _uncovered_years(version: int) -> list[int]:
    return aggregates.uncovered_years(con().cursor())


def uncovered_years() -> list[int]:
    """Years with cases that the holiday calendar does not cover (weekends only there)."""
    return _uncovered_years(data_version())


# ---- the cases and items behind a figure ----------------------------------------------------------

@st.cache_data(max_entries=256, show_spinner=False)
def _dept_items(version: int, period: str, dept: str) -> pd.DataFrame:
    return drilldown.dept_items(con(), parse_period(period), dept)


def dept_items(period: Period, dept: str) -> pd.DataFrame:
    return _dept_items(data_version(), period.label, dept)


@st.cache_data(max_entries=128, show_spinner=False)
def _cases_behind(version: int, period: str, metric: str, part: str, depts: tuple[str, ...], limit: int | None):
    return drilldown.cases_behind(con(), parse_period(period), metric, part, list(depts) or None, limit=limit,
                                  total=_counted(version, period, metric, part, depts))


def _counted(version: int, period: str, metric: str, part: str, depts: tuple[str, ...]) -> int | None:
    """How many cases a part that counts cases holds, from the per-day sums the page's figures
    come from (equal to its case list's length: tests/test_drilldown.py); None for a part
    that sums a column. Spares the case list its counting pass over the period's cases."""
    m = registry.BY_NAME[metric]
    chosen = m.numerator if part == "numerator" or m.denominator is None else m.denominator
    return None if chosen.sums else _centre(version, period, depts).sums[chosen.name]


def cases_behind(period: Period, metric: str, part: str, depts: tuple[str, ...] | list[str] = (),
                 every: bool = False) -> tuple[pd.DataFrame, int]:
    """(the cases a page shows, or every case; total count) behind a figure's numerator or
    denominator; a department user's own department only (pages.access). A page shows the
    first rows: a quarter of a large store holds millions of cases, and fetching them all
    took seconds on every first view (`every_case_behind` for the download)."""
    return _cases_behind(data_version(), period.label, metric, part, access.case_depts(depts),
                         None if every else tables.TABLE_ROWS)


def every_case_behind(period: Period, metric: str, part: str, depts: tuple[str, ...] | list[str] = ()
                      ) -> Callable[[], pd.DataFrame]:
    """A function that fetches every case behind the figure, for a download made when it is
    clicked. Who may read which department is settled now, in the page's run, where the
    signed-in user is known; the click runs outside it."""
    allowed, store = access.case_depts(depts), con()
    return lambda: drilldown.cases_behind(store, period, metric, part, list(allowed) or None, limit=None)[0]


@st.cache_data(max_entries=128, show_spinner=False)
def _warning_board(version: int, as_of: date, depts: tuple[str, ...], limit: int | None
                   ) -> tuple[pd.DataFrame, pd.DataFrame]:
    return drilldown.warning_board(con(), as_of, list(depts) or None, limit=limit)


def warning_board(as_of: date, depts: tuple[str, ...] = ()) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the open warnings a page shows, red and yellow counts per department, most red first)."""
    return _warning_board(data_version(), as_of, access.case_depts(depts), tables.TABLE_ROWS)


def every_warning(as_of: date, depts: tuple[str, ...] = ()) -> Callable[[], pd.DataFrame]:
    """As `every_case_behind`, for the open warnings of a day."""
    allowed, store = access.case_depts(depts), con()
    return lambda: drilldown.warning_board(store, as_of, list(allowed) or None)[0]


@st.cache_data(max_entries=128, show_spinner=False)
def _poor_ratings(version: int, period: str, depts: tuple[str, ...], limit: int | None) -> tuple[pd.DataFrame, int]:
    return drilldown.poor_ratings(con(), parse_period(period), list(depts) or None, limit=limit)


def poor_ratings(period: Period, depts: tuple[str, ...] = ()) -> tuple[pd.DataFrame, int]:
    """(the poor ratings a page shows, their count)."""
    return _poor_ratings(data_version(), period.label, access.case_depts(depts), tables.TABLE_ROWS)


def every_poor_rating(period: Period, depts: tuple[str, ...] = ()) -> Callable[[], pd.DataFrame]:
    """As `every_case_behind`, for the poor ratings."""
    allowed, store = access.case_depts(depts), con()
    return lambda: drilldown.poor_ratings(store, period, list(allowed) or None, limit=None)[0]


# ---- imports -----------------------------------------------------------------------------------------

@st.cache_data(max_entries=16, show_spinner=False)
def _import_history(version: int) -> pd.DataFrame:
    return ingest.import_history(con().cursor())  # a cursor: an import may hold con() itself


def import_history() -> pd.DataFrame:
    return _import_history(data_version())


@st.cache_data(max_entries=64, show_spinner=False)
def _rejects(version: int, import_id: int, lang: str) -> pd.DataFrame:
    return ingest.rejects_frame(con().cursor(), import_id, lang)


def rejects(import_id: int, lang: str) -> pd.DataFrame:
    return _rejects(data_version(), import_id, lang)


# ---- the engine's own text (the Definitions page) ---------------------------------------------

def sql_text(name: str) -> str:
    """A named SQL file of the engine (`metrics/sql/<name>.sql`)."""
    from metrics.store import sql
    return sql(name)


def case_predicate(name: str, part: str = "numerator") -> str | None:
    """The `case_facts` predicate selecting a figure's cases; None for catalogue measures."""
    from metrics.registry import BY_NAME
    if BY_NAME[name].period_date == "catalogue":
        return None
    return drilldown.case_predicate(name, part)
