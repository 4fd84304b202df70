"""The shared frame of every page: the current view (filters), the store, cached engine
calls, labels in two languages and number formats.

Pages are layout only: they read `current_view()` and call the cached engine functions
here; they never compute a metric themselves. `dashboard.py` builds the view from the
sidebar (`sidebar_view`) and sets it before the page runs.
"""

from __future__ import annotations

import functools
import importlib
import math
import os
import zlib
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from metrics import aggregates, drilldown, rates, ranking
from metrics.periods import (Period, latest_complete_quarter, month_of, parse_period, quarter_of, quarters_back,
                             year_period)
from metrics.registry import BY_NAME, FOUR_RATES
from metrics.settings import Settings, load_settings
from metrics.store import connect, is_ready
from metrics.store import sql as _sql
from pages.i18n import TEXT

# One palette for every chart: calm, high-contrast on a shared screen, colour-blind safe.
PALETTE = {
    "primary": "#1f4e79", "secondary": "#5b8fc7", "good": "#2e7d32", "bad": "#c62828",
    "warn": "#ef8f00", "neutral": "#8a8f98", "centre": "#444b55", "target": "#c62828",
}
SEQUENCE = ["#1f4e79", "#ef8f00", "#2e7d32", "#8e44ad", "#c62828", "#5b8fc7", "#8a8f98"]
# Chinese glyphs in chart text (SVG) need a CJK font; the page itself falls back by itself.
CHART_FONT = '"Noto Sans CJK SC", "Noto Sans SC", "Source Sans Pro", "Microsoft YaHei", sans-serif'


@dataclass(frozen=True)
class View:
    """What the sidebar filters say; a copied URL reproduces it."""
    period: Period
    depts: tuple[str, ...]      # empty: all departments
    lang: str                   # "zh" | "en"
    presentation: bool
    db_path: Path
    advance: int = 0            # presentation: seconds per page, 0 = stay
    slides: tuple[str, ...] = ()  # presentation: url paths to cycle through

    @property
    def dept_list(self) -> list[str] | None:
        return list(self.depts) or None


# ---- pages --------------------------------------------------------------------------

@dataclass(frozen=True)
class PageSpec:
    url_path: str
    title_key: str
    icon: str
    module: str          # a module of the `pages` package exposing `render()`


# A url path must not equal the name of a file in `pages/`: while a `pages/` folder sits
# beside the entry script, Streamlit starts a fresh process in its old folder-of-pages mode,
# where url path `rankings` means the file `pages/rankings.py` run *instead of*
# dashboard.py (no sidebar, no view). tests/test_app_frame.py checks this.
PAGE_SPECS: tuple[PageSpec, ...] = (
    PageSpec("home", "nav_overview", ":material/dashboard:", "pages.overview"),
    PageSpec("ranking", "nav_rankings", ":material/leaderboard:", "pages.rankings"),
    PageSpec("dept", "nav_department", ":material/apartment:", "pages.department"),
    PageSpec("monitoring", "nav_timeliness", ":material/timer:", "pages.timeliness"),
    PageSpec("ratings", "nav_satisfaction", ":material/sentiment_satisfied:", "pages.satisfaction"),
    PageSpec("data", "nav_data", ":material/database:", "pages.data_admin"),
    PageSpec("glossary", "nav_definitions", ":material/menu_book:", "pages.definitions"),
)
SPEC_BY_PATH = {p.url_path: p for p in PAGE_SPECS}
DEFAULT_SLIDES = ("home", "ranking")


def page(url_path: str, lang: str | None = None) -> st.Page:
    """The `st.Page` of one of the dashboard's pages (for navigation, links, switching).

    Built afresh each time: Streamlit identifies a page by its url path and callable.
    """
    spec = SPEC_BY_PATH[url_path]
    return st.Page(_render_of(spec), title=t(spec.title_key, lang), icon=spec.icon, url_path=spec.url_path,
                   default=spec is PAGE_SPECS[0])


def _render_of(spec: PageSpec):
    return importlib.import_module(spec.module).render


def render_page(url_path: str) -> None:
    """Run a page's `render()` on the current address (presentation slideshows)."""
    _render_of(SPEC_BY_PATH[url_path])()


def page_link(url_path: str, label: str | None = None, lang: str | None = None) -> None:
    st.page_link(page(url_path, lang), label=label, icon=SPEC_BY_PATH[url_path].icon)


# ---- store and settings ----------------------------------------------------------------

def settings() -> Settings:
    # Keyed by METRICS_DB so that a process (a test run) can point at another store.
    return _settings(os.environ.get("METRICS_DB", ""))


@functools.cache  # read hundreds of times a run: a plain memo, not st.cache_resource
def _settings(metrics_db_env: str) -> Settings:
    return load_settings()


@st.cache_resource
def _connection(db_path: str) -> duckdb.DuckDBPyConnection:
    # One connection per server process; each query takes its own cursor (not thread-safe).
    return connect(db_path)


def con() -> duckdb.DuckDBPyConnection:
    return _connection(str(settings().db_path))


def data_version() -> int:
    """Changes with every import and with a replaced store: part of every cache key, so new
    data clears the caches. (Import ids restart at 1 in a rebuilt store, so the store path and
    the time of the last import are part of it too.)

    Read once per run of the script (`begin_run`): a page asks for it a score of times. An
    import reruns the script, so the next run reads the new version."""
    version = st.session_state.get(_VERSION_KEY)
    if version is None:
        row = con().cursor().execute(
            "SELECT coalesce(max(import_id), 0), max(imported_at) FROM imports").fetchone()
        version = st.session_state[_VERSION_KEY] = zlib.crc32(f"{settings().db_path}|{row[0]}|{row[1]}".encode())
    return version


_VERSION_KEY = "_data_version"


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


def metric_help_full(name: str, lang: str | None = None) -> str:
    """`metric_help` plus the target and the date that puts a case into the period."""
    lang = lang or current_view().lang
    m = BY_NAME[name]
    parts = [metric_help(name, lang)]
    target = target_of(name)
    if target is not None:
        parts.append(f"{t('target', lang)}: {target_text(name, lang)}")
    parts.append(t("ov_period_date", lang, what=t(f"pd_{m.period_date}", lang)))
    return "\n\n".join(parts)


def md_escape(text: str) -> str:
    """Text from the data (department names, file names) shown inside Markdown, inert."""
    return "".join("\\" + c if c in "\\`*_{}[]()#+-.!|<>~$:=" else c for c in str(text))


# ---- number formats -------------------------------------------------------------------

DASH = "—"


def _undefined(v) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v))


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


def _with_interval(v, low, high, scale: float, unit: str, alone) -> str:
    if _undefined(v):
        return DASH
    if _undefined(low) or _undefined(high):
        return alone(v)
    return f"{v * scale:.1f}{unit} ({low * scale:.1f}–{high * scale:.1f})"


def fmt_pct_interval(v, low, high) -> str:
    """`92.3% (88.1–95.2)`: a rate with its 95% interval, in percent."""
    return _with_interval(v, low, high, 100, "%", fmt_pct)


def fmt_score_interval(v, low, high) -> str:
    """`93.4 (90.1–96.2)`."""
    return _with_interval(v, low, high, 1, "", fmt_score)


def fmt_rank_change(change, ranked: bool, lang: str | None = None) -> str:
    """↑3, ↓1, – (same rank), new (ranked now, not then); empty when not ranked now."""
    if not ranked:
        return ""
    if _undefined(change):
        return t("fr_new", lang)
    change = int(change)
    return "–" if change == 0 else (f"↑{change}" if change > 0 else f"↓{-change}")


def fmt_datetime(v) -> str:
    if _undefined(v) or v is None:
        return DASH
    if isinstance(v, datetime):
        return v.strftime("%Y-%m-%d %H:%M")
    return str(v)


def fmt_delta(name: str, value, previous, lang: str | None = None) -> str | None:
    """Change against the previous period, for `st.metric(delta=...)`: percentage points for
    rates, plain differences otherwise; `±0…` when unchanged at the shown precision (see
    `is_flat`); None when either value is undefined."""
    if _undefined(value) or _undefined(previous):
        return None
    fmt = BY_NAME[name].format
    if fmt == "percent":
        d = round((value - previous) * 100, 1)
        text, unit = f"{abs(d):.1f}", f" {t('fr_pp', lang)}"
    elif fmt == "count":
        d = int(round(value - previous))
        text, unit = f"{abs(d):,}", ""
    else:
        d = round(value - previous, 2)
        text, unit = f"{abs(d):.2f}", f" {t('unit_days', lang)}"
    sign = "±" if d == 0 else ("+" if d > 0 else "-")
    return f"{sign}{text}{unit}"


def is_flat(delta: str | None) -> bool:
    """A delta from `fmt_delta` that shows no change (drawn grey, without an arrow)."""
    return bool(delta) and delta.startswith("±")


def target_text(name: str, lang: str | None = None) -> str:
    """`≥ 90.0%`, `≤ 1.50 working days`; the target of the deployment (settings override)."""
    target = target_of(name)
    if target is None:
        return t("fr_no_target", lang)
    sign = "≥" if BY_NAME[name].better == "higher" else "≤"
    return f"{sign} {fmt_metric(name, target, lang)}"


def target_badge(name: str, value, lang: str | None = None) -> str | None:
    """Markdown badge (static words and formatted numbers only) saying whether `value` meets
    the metric's target; None when the metric has no target."""
    target = target_of(name)
    if target is None:
        return None
    goal = f"{t('target', lang)} {target_text(name, lang)}"
    met = BY_NAME[name].meets(None if _undefined(value) else float(value), target)
    if met is None:
        return f":gray-badge[{goal}]"
    return (f":green-badge[✓ {t('target_met', lang)} · {goal}]" if met
            else f":red-badge[✗ {t('target_missed', lang)} · {goal}]")


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


def previous_centre_metrics(view: View) -> dict:
    """The centre's figures for the previous period of the same length (tile deltas)."""
    return centre_metrics(view, view.period.previous())


@st.cache_data(max_entries=64, show_spinner=False)
def _trend(version: int, period_text: str, depts: tuple[str, ...], n: int) -> pd.DataFrame:
    quarters = quarters_back(parse_period(period_text), n)
    rows = []
    for q, c in zip(quarters, rates.centre_metrics_over(con(), quarters, list(depts) or None)):  # one query
        rows.append({"period": q.label, "start": q.start, **{k: v for k, v in c.items() if k != "_sums"}})
    return pd.DataFrame(rows)


def centre_trend(last: Period, depts: tuple[str, ...] = (), n: int = 8) -> pd.DataFrame:
    """One row per quarter, the `n` quarters ending with `last`: every metric's value for the
    centre, or for the departments `depts` together."""
    return _trend(data_version(), last.label, depts, n)


def trend(view: View, n: int = 8) -> pd.DataFrame:
    """`centre_trend` of the view's period and departments."""
    return centre_trend(view.period, view.depts, n)


def period_is_empty(view: View, period: Period | None = None) -> bool:
    """No case accepted, completed or rated in the period, and none open and overdue at its end."""
    s = centre_metrics(view, period)["_sums"]
    return not (s.get("accepted_cases") or s.get("completed_cases") or s.get("ratings")
                or s.get("open_overdue_cases"))


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


def sql_text(name: str) -> str:
    """A named SQL file of the engine (`metrics/sql/<name>.sql`), for the definitions page."""
    return _sql(name)


def case_predicate(name: str, part: str = "numerator") -> str | None:
    """The `case_facts` predicate selecting a figure's cases; None for catalogue measures."""
    if BY_NAME[name].period_date == "catalogue":
        return None
    return drilldown.case_predicate(name, part)


def target_of(name: str) -> float | None:
    return settings().targets.get(name, BY_NAME[name].target)


def score_target() -> float | None:
    """A reference line for scores: the rates' targets, where defined, weighted as the score
    weighs the rates, × 100. (The early-completion rate has no target and is left out.)"""
    w = settings().weights
    parts = [(getattr(w, m.name), target_of(m.name)) for m in FOUR_RATES]
    parts = [(wi, ti) for wi, ti in parts if ti is not None and wi > 0]
    if not parts:
        return None
    return sum(wi * ti for wi, ti in parts) / sum(wi for wi, _ in parts) * 100


def weights_text(lang: str | None = None) -> str:
    """`事项进驻率 25，网上审批率 25，…`: the ranking weights of the deployment."""
    lang = lang or current_view().lang
    w = settings().weights
    sep = "，" if lang == "zh" else ", "
    return sep.join(f"{metric_label(m.name, lang)} {getattr(w, m.name):g}" for m in FOUR_RATES)


def today() -> date:
    return date.today()


# ---- charts ---------------------------------------------------------------------------

def style_figure(fig: go.Figure, height: int, presentation: bool | None = None) -> go.Figure:
    """The one look of every chart: white, CJK font, large type on the big screen."""
    big = current_view().presentation if presentation is None else presentation
    size = 22 if big else 14
    fig.update_layout(
        height=height, template="plotly_white", paper_bgcolor="white", plot_bgcolor="white",
        font=dict(family=CHART_FONT, size=size, color="#1b1f24"),
        margin=dict(l=10, r=20, t=50 if big else 40, b=10), colorway=SEQUENCE,
        hoverlabel=dict(font=dict(family=CHART_FONT, size=size)),
        legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0, font=dict(size=size)),
    )
    fig.update_xaxes(gridcolor="#e3e6ea", zerolinecolor="#c9ced6", tickfont=dict(size=size),
                     linecolor="#8a8f98")
    fig.update_yaxes(gridcolor="#e3e6ea", zerolinecolor="#c9ced6", tickfont=dict(size=size),
                     linecolor="#8a8f98")
    fig.update_annotations(font=dict(family=CHART_FONT, size=size))
    return fig


def show_figure(fig: go.Figure, key: str) -> None:
    st.plotly_chart(fig, theme=None, key=key, config={"displayModeBar": False, "responsive": True})


@st.cache_resource(max_entries=256, show_spinner=False)
def _figure(version: int, name: str, parts: tuple, _build) -> go.Figure:
    return _build()


def cached_figure(name: str, parts: tuple, build) -> go.Figure:
    """A chart built once per data version and `parts` (period, departments, language,
    presentation …: everything `build` depends on). Building a Plotly figure takes
    100–200 ms of validation; a warm page must not pay that on every rerun. The figure is
    shared, so nobody may change it after it is built."""
    return _figure(data_version(), name, parts, build)


# ---- the sidebar: filters bound to the URL ---------------------------------------------

PERIOD_KINDS = ("quarter", "month", "year", "range")
# A bound widget writes its option's *label* into the URL and sends it back on the next run;
# labels that change with the language would go stale on a language switch. The language
# picker and the slides therefore show labels that never change; the period kind maps a
# label of either language (or the code itself) back to its code.
LANG_NAMES = {"zh": "中文", "en": "English"}
LANG_CODES = {v: k for k, v in LANG_NAMES.items()}


def _code(value, codes, label_key) -> str | None:
    """The code behind a widget value: a code, or its label in either language."""
    if value in codes:
        return value
    for code in codes:
        if value in TEXT[label_key(code)]:
            return code
    return None


def _language_changed() -> None:
    # The period kind's shown label is about to change language; hand the widget its code
    # again, or it would keep showing (and sending back) the old language's label.
    kind = st.session_state.get("kind")
    code = _code(kind, PERIOD_KINDS, lambda k: f"period_{k}")
    if code is not None:
        st.session_state["kind"] = code


def period_choices(kind: str, first: date, last: date) -> list[Period]:
    """The periods of one kind that the data touches, newest first."""
    make = {"quarter": quarter_of, "month": month_of, "year": lambda d: year_period(d.year)}[kind]
    out = [make(last)]
    while out[-1].start > first:
        out.append(out[-1].previous())
    return out


def default_period(kind: str, data_through: date) -> Period:
    """Quarter: the latest complete quarter; month and year likewise (the latest the data
    reaches when none is complete yet)."""
    if kind == "month":
        m = month_of(data_through)
        return m if data_through >= m.end else m.previous()
    if kind == "year":
        y = year_period(data_through.year)
        return y if data_through >= y.end else y.previous()
    return latest_complete_quarter(data_through)


def _period_widget(kind: str, fresh: dict, lang: str) -> Period:
    first, last = fresh["first_day"], fresh["data_through"]
    help_ = t("fr_period_help", lang)
    if kind == "range":
        q = default_period("quarter", last)
        lo, hi = min(first, q.start), max(last, q.end)
        picked = st.date_input(t("period_range", lang), value=(q.start, q.end), min_value=lo, max_value=hi,
                               key="range", bind="query-params", help=help_, format="YYYY-MM-DD")
        picked = tuple(picked) if isinstance(picked, (tuple, list)) else (picked,)
        if len(picked) == 0:
            return q
        if len(picked) == 1:
            st.caption(t("fr_range_pick_end", lang))
            return Period("range", picked[0], picked[0])
        return parse_period(f"{picked[0].isoformat()}..{picked[1].isoformat()}")
    choices = period_choices(kind, first, last)
    labels = [p.label for p in choices]
    default = default_period(kind, last).label
    index = labels.index(default) if default in labels else 0
    picked = st.selectbox(t(f"period_{kind}", lang), labels, index=index, key=kind, bind="query-params",
                          help=help_)
    return parse_period(picked or labels[index])


def sidebar_view() -> View:
    """Render the filters in the sidebar and return the view they describe.

    Every filter has a key and is bound to the URL (`?lang=en&kind=month&month=2026-09`
    …), so a copied link reproduces the view and the values survive a page switch.
    """
    s = settings()
    ready = store_ready()
    fresh = freshness() if ready else None
    with st.sidebar:
        names = list(LANG_NAMES.values())
        picked = st.selectbox("语言 / Language", names, index=names.index(LANG_NAMES[s.language]), key="lang",
                              bind="query-params", on_change=_language_changed)
        lang = LANG_CODES.get(picked, s.language)
        if fresh and fresh["data_through"]:
            kind = st.selectbox(t("filter_period_kind", lang), PERIOD_KINDS,
                                format_func=lambda k: t(f"period_{k}", lang), key="kind", bind="query-params")
            kind = _code(kind, PERIOD_KINDS, lambda k: f"period_{k}") or "quarter"
            period = _period_widget(kind, fresh, lang)
            depts = st.multiselect(t("filter_departments", lang), departments(), key="depts",
                                   bind="query-params", placeholder=t("all_departments", lang),
                                   help=t("fr_depts_help", lang))
        else:
            period, depts = latest_complete_quarter(today()), []
        present = st.toggle(t("presentation_mode", lang), key="present", bind="query-params",
                            help=t("fr_present_help", lang))
        with st.expander(t("fr_present_settings", lang)):
            advance = st.number_input(t("fr_advance", lang), min_value=0, max_value=3600, value=0, step=5,
                                      key="advance", bind="query-params")
            # Options are the pages' url paths, so that `&slides=home&slides=ranking` reads the
            # same in either language.
            slides = st.multiselect(t("fr_slides", lang), [p.url_path for p in PAGE_SPECS],
                                    default=list(DEFAULT_SLIDES), key="slides", bind="query-params",
                                    help="  \n".join(f"{p.url_path} = {t(p.title_key, lang)}" for p in PAGE_SPECS))
            slides = [v for v in slides if v in SPEC_BY_PATH]
        st.caption(t("fr_share_link", lang))
    return View(period=period, depts=tuple(depts), lang=lang, presentation=bool(present),
                db_path=Path(s.db_path), advance=int(advance or 0), slides=tuple(slides))


# ---- above every page -------------------------------------------------------------------

def top_bar(view: View) -> None:
    """The period, the departments and the data's freshness: above every page, always."""
    bits = []
    if store_ready():
        fresh = freshness()
        p = view.period
        bits.append(t("fr_view_range" if p.kind == "range" else "fr_view_period", view.lang, period=p.label,
                      start=p.start.isoformat(), end=p.end.isoformat()))
        if view.depts:
            bits.append(", ".join(md_escape(d) for d in view.depts) if len(view.depts) <= 3
                        else t("fr_selected_depts", view.lang, n=len(view.depts)))
        else:
            bits.append(t("all_departments", view.lang))
        imported = fmt_datetime(fresh["last_import_at"]) if fresh["last_import_at"] else t("fr_never_imported")
        bits.append(t("data_through", view.lang, date=fresh["data_through"].isoformat(), imported=imported))
    else:
        bits.append(t("data_through", view.lang, date=DASH, imported=t("fr_never_imported", view.lang)))
    st.caption(" · ".join(bits))
    years = [y for y in uncovered_years() if view.period.start.year <= y <= view.period.end.year] \
        if store_ready() else []
    if years:
        st.warning(t("fr_uncovered", view.lang, years="、".join(map(str, years))), icon=":material/event_busy:")


def empty_store_guide(view: View) -> None:
    """Shown instead of any page but Data while the store holds no cases."""
    st.title(t("app_title", view.lang))
    st.info(t("no_data", view.lang), icon=":material/info:")
    page_link("data", t("fr_go_data", view.lang), view.lang)


def no_cases_notice(view: View) -> bool:
    """Say so when the period holds no case; True when it is empty (the page can stop)."""
    if period_is_empty(view):
        st.info(t("no_cases_in_period", view.lang, period=view.period.label), icon=":material/info:")
        return True
    return False
