"""The shared frame of every page: the current view (filters), the store, cached engine
calls, labels in two languages and number formats.

Pages are layout only: they read `current_view()` and call the cached engine functions
here; they never compute a metric themselves.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from metrics import drilldown, rates, ranking
from metrics.periods import Period, parse_period
from metrics.registry import BY_NAME
from metrics.settings import Settings, load_settings
from metrics.store import connect, is_ready
from pages.i18n import TEXT

# One palette for every chart: calm, high-contrast on a shared screen, colour-blind safe.
PALETTE = {
    "primary": "#1f4e79", "secondary": "#5b8fc7", "good": "#2e7d32", "bad": "#c62828",
    "warn": "#ef8f00", "neutral": "#8a8f98", "centre": "#444b55", "target": "#c62828",
}
SEQUENCE = ["#1f4e79", "#ef8f00", "#2e7d32", "#8e44ad", "#c62828", "#5b8fc7", "#8a8f98"]


@dataclass(frozen=True)
class View:
    """What the sidebar filters say; a copied URL reproduces it."""
    period: Period
    depts: tuple[str, ...]      # empty: all departments
    lang: str                   # "zh" | "en"
    presentation: bool
    db_path: Path

    @property
    def dept_list(self) -> list[str] | None:
        return list(self.depts) or None


@st.cache_resource
def settings() -> Settings:
    return load_settings()


@st.cache_resource
def _connection(db_path: str) -> duckdb.DuckDBPyConnection:
    # One connection per server process; each query takes its own cursor (not thread-safe).
    return connect(db_path)


def con() -> duckdb.DuckDBPyConnection:
    return _connection(str(settings().db_path))


def data_version() -> int:
    """Changes with every import: part of every cache key, so new data clears the caches."""
    row = con().cursor().execute("SELECT coalesce(max(import_id), 0) FROM imports").fetchone()
    return int(row[0])


def store_ready() -> bool:
    return is_ready(con().cursor())


def current_view() -> View:
    return st.session_state["view"]


def set_view(view: View) -> None:
    st.session_state["view"] = view


def t(key: str, lang: str | None = None, **fmt) -> str:
    """A UI label in the current language."""
    lang = lang or current_view().lang
    zh, en = TEXT[key]
    s = zh if lang == "zh" else en
    return s.format(**fmt) if fmt else s


def metric_label(name: str, lang: str | None = None) -> str:
    return BY_NAME[name].label(lang or current_view().lang)


def metric_help(name: str, lang: str | None = None) -> str:
    """Definition and formula of a metric, for `help=` on every tile and column."""
    m = BY_NAME[name]
    lang = lang or current_view().lang
    return f"{m.description(lang)}\n\n{m.formula(lang)}"


# ---- number formats -------------------------------------------------------------------

DASH = "—"


def _undefined(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA


def fmt_pct(v, digits: int = 1) -> str:
    return DASH if _undefined(v) else f"{v * 100:.{digits}f}%"


def fmt_num(v) -> str:
    return DASH if _undefined(v) else f"{int(round(v)):,}"


def fmt_days(v, lang: str | None = None) -> str:
    if _undefined(v):
        return DASH
    return f"{v:.2f} {t('unit_days', lang)}"


def fmt_score(v) -> str:
    return DASH if _undefined(v) else f"{v:.1f}"


def fmt_metric(name: str, v, lang: str | None = None) -> str:
    f = BY_NAME[name].format
    return {"percent": fmt_pct, "count": fmt_num}.get(f, lambda x: fmt_days(x, lang))(v)


# ---- cached engine calls (keyed by the data version) --------------------------------

@st.cache_data(max_entries=512, show_spinner=False)
def _ranking(version: int, period_text: str, depts: tuple[str, ...], weights: tuple, min_cases: int) -> pd.DataFrame:
    from metrics.settings import Weights
    w = Weights(**dict(weights))
    return ranking.ranking(con(), parse_period(period_text), w, min_cases, list(depts) or None)


def ranking_table(view: View) -> pd.DataFrame:
    s = settings()
    return _ranking(data_version(), view.period.label, view.depts,
                    tuple(s.weights.model_dump().items()), s.min_cases)


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


def target_of(name: str) -> float | None:
    return settings().targets.get(name, BY_NAME[name].target)


def today() -> date:
    return date.today()
