"""Cached engine calls and table/chart helpers of the Department, Timeliness, Satisfaction
and Data pages.

Every engine call is cached with `st.cache_data`, keyed by `frame.data_version()`, so an
import clears these caches as it clears the frame's. Nothing here computes a metric: values
come from `metrics.rates` / `metrics.drilldown`; this module only shapes them for display
(labels, value words, percent columns shown as numbers ×100 so that tables still sort).
"""

from __future__ import annotations

import re
from datetime import date

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from metrics import drilldown, ingest, rates
from metrics.exports import csv_bytes
from metrics.periods import Period, parse_period, quarters_back
from metrics.registry import BY_NAME, METRICS
from pages import frame
from pages.i18n import TEXT

TABLE_ROWS = 1_000           # rows a case table shows (formatting more costs every rerun); the download holds all
TREND_QUARTERS = 8

# Metrics that have a case list (catalogue measures have an item list instead).
CASE_METRICS = tuple(m.name for m in METRICS if m.period_date != "catalogue")


# ---- cached engine calls ------------------------------------------------------------------

@st.cache_data(max_entries=256, show_spinner=False)
def _dept_quarters(version: int, dept: str, last: str, n: int) -> pd.DataFrame:
    quarters = quarters_back(parse_period(last), n)
    rows = []
    for q, df in zip(quarters, rates.dept_metrics_over(frame.con(), quarters, [dept])):
        row = df.iloc[0].to_dict() if len(df) else {}
        row["period"] = q.label
        rows.append(row)
    return pd.DataFrame(rows)


def dept_quarters(dept: str, last: Period, n: int = TREND_QUARTERS) -> pd.DataFrame:
    """One row per quarter (oldest first): every metric of one department."""
    return _dept_quarters(frame.data_version(), dept, last.label, n)


def centre_quarters(last: Period, n: int = TREND_QUARTERS) -> pd.DataFrame:
    """One row per quarter: the whole centre's figures (all departments)."""
    return frame.centre_trend(last, (), n)


@st.cache_data(max_entries=256, show_spinner=False)
def _dept_items(version: int, period: str, dept: str) -> pd.DataFrame:
    return drilldown.dept_items(frame.con(), parse_period(period), dept)


def dept_items(period: Period, dept: str) -> pd.DataFrame:
    return _dept_items(frame.data_version(), period.label, dept)


@st.cache_data(max_entries=128, show_spinner=False)
def _cases_behind(version: int, period: str, metric: str, part: str, depts: tuple[str, ...]):
    return drilldown.cases_behind(frame.con(), parse_period(period), metric, part, list(depts) or None,
                                  limit=None)


def cases_behind(period: Period, metric: str, part: str, depts: tuple[str, ...] | list[str] = ()
                 ) -> tuple[pd.DataFrame, int]:
    """(every case, total count) behind a figure's numerator or denominator."""
    return _cases_behind(frame.data_version(), period.label, metric, part, tuple(depts or ()))


@st.cache_data(max_entries=128, show_spinner=False)
def _open_warnings(version: int, as_of: date, depts: tuple[str, ...]) -> pd.DataFrame:
    return drilldown.open_warnings(frame.con(), as_of, list(depts) or None)


def open_warnings(as_of: date, depts: tuple[str, ...] = ()) -> pd.DataFrame:
    return _open_warnings(frame.data_version(), as_of, tuple(depts))


def warning_counts(warnings: pd.DataFrame) -> pd.DataFrame:
    """Red and yellow counts per department of an open-warnings list (most red first)."""
    if warnings.empty:
        return pd.DataFrame({"dept": [], "red": [], "yellow": []})
    counts = (warnings.groupby(["dept", "level"]).size().unstack("level", fill_value=0)
              .reindex(columns=["red", "yellow"], fill_value=0).reset_index())
    return counts.sort_values(["red", "yellow", "dept"], ascending=[False, False, True], ignore_index=True)


@st.cache_data(max_entries=128, show_spinner=False)
def _poor_ratings(version: int, period: str, depts: tuple[str, ...]) -> pd.DataFrame:
    return drilldown.poor_ratings(frame.con(), parse_period(period), list(depts) or None)


def poor_ratings(period: Period, depts: tuple[str, ...] = ()) -> pd.DataFrame:
    return _poor_ratings(frame.data_version(), period.label, tuple(depts))


@st.cache_data(max_entries=16, show_spinner=False)
def _import_history(version: int) -> pd.DataFrame:
    return ingest.import_history(frame.con())


def import_history() -> pd.DataFrame:
    return _import_history(frame.data_version())


@st.cache_data(max_entries=64, show_spinner=False)
def _rejects(version: int, import_id: int, lang: str) -> pd.DataFrame:
    return ingest.rejects_frame(frame.con(), import_id, lang)


def rejects(import_id: int, lang: str) -> pd.DataFrame:
    return _rejects(frame.data_version(), import_id, lang)


# ---- labels and display frames --------------------------------------------------------------

def value_word(column: str, value, lang: str) -> str:
    """A stored code shown as a word: committed -> 承诺件 / Committed."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return frame.DASH
    key = f"val_{column}_{str(value).lower()}"
    return frame.t(key, lang) if key in TEXT else str(value)


WORD_COLUMNS = ("item_type", "channel", "status", "level", "window_signed")

DATETIME_COLUMNS = ("accepted_at", "completed_at", "rated_at", "imported_at")
DATE_COLUMNS = ("due_date",)


def case_display(df: pd.DataFrame, lang: str, columns: list[str] | None = None) -> pd.DataFrame:
    """A case list as people read it: chosen columns, words for codes, headers in `lang`.

    The same frame is shown and downloaded, so the download equals the table.
    """
    cols = [c for c in (columns or list(df.columns)) if c in df.columns]
    out = df[cols].copy()
    for c in cols:
        if c in WORD_COLUMNS:
            out[c] = _words(out[c], lambda v, c=c: value_word(c, v, lang))
        elif c == "rating":
            out[c] = _words(out[c], lambda v: f"{int(v)} · {frame.t(f'val_rating_{int(v)}', lang)}")
        elif c in DATE_COLUMNS:
            out[c] = pd.to_datetime(out[c]).dt.date
    out.columns = [col_label(c, lang) for c in cols]
    return out


def _words(codes: pd.Series, word) -> pd.Series:
    """Each code replaced by its word, missing by a dash; one lookup per distinct code."""
    numbers, uniques = pd.factorize(codes)  # missing -> -1, the dash at the end
    words = np.array([word(u) for u in uniques] + [frame.DASH], dtype=object)
    return pd.Series(words[numbers], index=codes.index, dtype=object)


def col_label(column: str, lang: str) -> str:
    key = f"col_{column}"
    if key in TEXT:
        return frame.t(key, lang)
    if column in BY_NAME:
        return frame.metric_label(column, lang)
    return column


def case_column_config(lang: str) -> dict:
    cfg = {}
    for c in DATETIME_COLUMNS:
        cfg[col_label(c, lang)] = st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm")
    for c in DATE_COLUMNS:
        cfg[col_label(c, lang)] = st.column_config.DateColumn(format="YYYY-MM-DD")
    for c in ("elapsed_workdays", "statutory_limit_days", "promised_limit_days", "workdays_left"):
        cfg[col_label(c, lang)] = st.column_config.NumberColumn(format="%d")
    return cfg


def metric_table(df: pd.DataFrame, names: list[str], lang: str, lead: list[str] | None = None
                 ) -> tuple[pd.DataFrame, dict]:
    """(display frame, column_config) for per-row metric values.

    Percent metrics are shown as numbers ×100 with one decimal (so columns still sort);
    undefined values stay empty and the table shows them as "—". Every metric column carries
    its registry definition as help. Headers are the registry labels (percent columns end in
    "%" so the downloaded CSV says what its numbers are).
    """
    lead = lead or []
    out = pd.DataFrame(index=df.index)
    cfg: dict = {}
    for c in lead:
        label = col_label(c, lang)
        out[label] = df[c]
        if c == "period":
            cfg[label] = st.column_config.TextColumn(pinned=True)
    for name in names:
        if name not in BY_NAME:  # a summed part or a list count, e.g. ratings, rating_1, early_cases
            label = col_label(name, lang)
            out[label] = pd.to_numeric(df[name]).astype("Int64")
            hint = f"help_{name}"
            cfg[label] = st.column_config.NumberColumn(
                label, help=frame.t(hint, lang) if hint in TEXT else None, format="%,d")
            continue
        m = BY_NAME[name]
        label = m.label(lang)
        if m.format == "percent":
            label = f"{label} %"
            out[label] = df[name].astype(float) * 100
            cfg[label] = st.column_config.NumberColumn(label, help=frame.metric_help(name, lang), format="%.1f%%")
        elif m.format == "days":
            label = f"{label} ({frame.t('unit_days_short', lang)})"
            out[label] = df[name].astype(float)
            cfg[label] = st.column_config.NumberColumn(label, help=frame.metric_help(name, lang), format="%.2f")
        else:
            out[label] = pd.to_numeric(df[name]).astype("Int64")
            cfg[label] = st.column_config.NumberColumn(label, help=frame.metric_help(name, lang), format="%,d")
    return out.reset_index(drop=True), cfg


def download(df: pd.DataFrame, file_name: str, key: str, lang: str | None = None) -> None:
    """A CSV download of exactly this frame (UTF-8 BOM, formula cells neutralised)."""
    download_built(lambda: df, file_name, key, lang)


def download_built(build, file_name: str, key: str, lang: str | None = None) -> None:
    """A CSV download of the frame `build()` returns. The file is made when the button is
    clicked, not on every run of the page: a list of 100,000 cases takes a second."""
    st.download_button(frame.t("download_csv", lang), lambda: csv_bytes(build()), file_name=file_name,
                       mime="text/csv", key=key, icon=":material/download:", on_click="ignore")


def case_list(rows: pd.DataFrame, total: int, lang: str, columns: list[str], key: str, file_name: str,
              max_height: int = 460, chips: dict[str, dict[str, str]] | None = None) -> None:
    """The cases behind a figure: the first TABLE_ROWS on screen, all of them in the download.

    `chips` shows a column's words as coloured labels ({column: {word: colour}}), where a
    pandas Styler would take half a second per thousand rows on every run."""
    shown = case_display(rows.head(TABLE_ROWS), lang, columns)
    if total > TABLE_ROWS:
        st.caption(frame.t("table_first_rows", n=frame.fmt_num(TABLE_ROWS), total=frame.fmt_num(total)))
    table, cfg = shown, case_column_config(lang)
    for column, colours in (chips or {}).items():
        label = col_label(column, lang)
        table = table.assign(**{label: [[v] for v in shown[label]]})
        cfg[label] = st.column_config.MultiselectColumn(label, options=list(colours), color=list(colours.values()))
    st.dataframe(table, column_config=cfg, hide_index=True, placeholder=frame.DASH,
                 key=f"{key}_table", height=min(38 + 35 * len(shown), max_height))
    download_built(lambda: shown if total <= TABLE_ROWS else case_display(rows, lang, columns),
                   file_name, key=f"{key}_csv")


def dept_chart_height(n_depts: int, presentation: bool) -> int:
    """One readable row per department; larger rows on the shared screen."""
    return max(320, 34 * n_depts + 110) if presentation else max(260, 26 * n_depts + 90)


def target_colours(name: str, values: pd.Series) -> list[str]:
    """Green where a value meets its target, red where it misses, grey where undefined."""
    m, target = BY_NAME[name], frame.target_of(name)
    met = [m.meets(None if pd.isna(v) else float(v), target) for v in values]
    return [frame.PALETTE["good"] if x else (frame.PALETTE["bad"] if x is False else frame.PALETTE["neutral"])
            for x in met]


def safe_name(text: str) -> str:
    """A file-name fragment: letters, digits, CJK, dash and underscore only."""
    return re.sub(r"[^\w\-]+", "_", str(text)).strip("_") or "data"


md_escape = frame.md_escape  # user text (department names, file names) inside Markdown, inert


# ---- charts ---------------------------------------------------------------------------------

def style_fig(fig: go.Figure, height: int, presentation: bool = False, legend: bool = True,
              top: int | None = None) -> go.Figure:
    """The frame's one look for every chart, with or without a legend; `top` fixes the top
    margin so that charts side by side line up."""
    frame.style_figure(fig, height, presentation)
    fig.update_layout(showlegend=legend)
    if top is not None:
        fig.update_layout(margin=dict(t=top))
    elif not legend:
        fig.update_layout(margin=dict(t=16))
    return fig


def category_rows(fig: go.Figure, n: int) -> None:
    """One row per category, first at the top, with no padding: charts side by side that list
    the same departments in the same order then line up row for row."""
    fig.update_yaxes(type="category", range=[n - 0.5, -0.5], autorange=False)


def percent_ticks(low: float, high: float = 100.0) -> list[float]:
    """Round tick positions from `low` to at most 100%: the axis may run past 100% to make room
    for value labels, but never shows a tick above it."""
    span = max(high - low, 1e-9)
    step = next(s for s in (0.5, 1, 2, 5, 10, 20, 25) if span / s <= 6)
    first = step * -(-low // step)
    return [round(first + i * step, 6) for i in range(int((high - first) / step + 1e-9) + 1)]


@st.cache_data(max_entries=256, show_spinner=False)
def _dept_period(version: int, period: str, dept: str) -> dict:
    df = rates.dept_metrics(frame.con(), parse_period(period), [dept])
    return {} if df.empty else df.iloc[0].to_dict()


def dept_period(period: Period, dept: str) -> dict:
    """Every metric of one department in one period ({} when it had nothing)."""
    return _dept_period(frame.data_version(), period.label, dept)


def target_note(name: str, value, centre_value=None, lang: str | None = None, show_centre: bool = True) -> str:
    """Markdown under a tile (static words and formatted numbers only): the centre's value,
    and a badge saying whether the target is met."""
    bits = []
    if show_centre:
        bits.append(f":gray-badge[{frame.t('centre', lang)} {frame.fmt_metric(name, centre_value, lang)}]")
    badge = frame.target_badge(name, value, lang)
    if badge is not None:
        bits.append(badge)
    return " ".join(bits)
