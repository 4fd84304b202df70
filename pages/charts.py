"""The one look of every chart: palette, fonts, sizes on the desk and on the wall, and the
cache that keeps a warm page from rebuilding its Plotly figures."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from metrics.registry import BY_NAME
from pages.formats import fmt_num
from pages.labels import t
from pages.presentation import scale
from pages.queries import data_version
from pages.targets import target_of

# One palette for every chart: calm, high-contrast on a shared screen, colour-blind safe.
PALETTE = {
    "primary": "#1f4e79", "secondary": "#5b8fc7", "good": "#2e7d32", "bad": "#c62828",
    "warn": "#ef8f00", "neutral": "#8a8f98", "centre": "#444b55", "target": "#c62828",
}
SEQUENCE = ["#1f4e79", "#ef8f00", "#2e7d32", "#8e44ad", "#c62828", "#5b8fc7", "#8a8f98"]
# Chinese glyphs in chart text (SVG) need a CJK font; the page itself falls back by itself.
CHART_FONT = '"Noto Sans CJK SC", "Noto Sans SC", "Source Sans Pro", "Microsoft YaHei", sans-serif'


def font_size(presentation: bool) -> int:
    # A wall slide is laid out for 1280×720 and drawn `scale()` times larger on larger walls.
    return round(17 * scale()) if presentation else 14


def style_figure(fig: go.Figure, height: int, presentation: bool) -> go.Figure:
    """White, CJK font, large type on the big screen; there `height` is for a 1280×720 wall and
    grows with the screen."""
    size = font_size(presentation)
    k = scale() if presentation else 1.0
    fig.update_layout(
        height=round(height * k), template="plotly_white", paper_bgcolor="white", plot_bgcolor="white",
        font=dict(family=CHART_FONT, size=size, color="#1b1f24"),
        margin=dict(l=round(10 * k), r=round(20 * k), t=round((50 if presentation else 40) * k), b=round(10 * k)),
        colorway=SEQUENCE,
        hoverlabel=dict(font=dict(family=CHART_FONT, size=size)),
        legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0, font=dict(size=size)),
    )
    fig.update_xaxes(gridcolor="#e3e6ea", zerolinecolor="#c9ced6", tickfont=dict(size=size),
                     linecolor="#8a8f98")
    fig.update_yaxes(gridcolor="#e3e6ea", zerolinecolor="#c9ced6", tickfont=dict(size=size),
                     linecolor="#8a8f98")
    fig.update_annotations(font=dict(family=CHART_FONT, size=size))
    return fig


def style_fig(fig: go.Figure, height: int, presentation: bool = False, legend: bool = True,
              top: int | None = None) -> go.Figure:
    """`style_figure` with or without a legend; `top` fixes the top margin so that charts side
    by side line up."""
    style_figure(fig, height, presentation)
    fig.update_layout(showlegend=legend)
    k = scale() if presentation else 1.0
    if top is not None:
        fig.update_layout(margin=dict(t=round(top * k)))
    elif not legend:
        fig.update_layout(margin=dict(t=round(16 * k)))
    return fig


def quarter_axis(fig: go.Figure, periods: list[str], step: int = 1, **where) -> None:
    """An x axis of quarters that stays legible from a 1280 px window up: short names (24Q4),
    on two lines (24 / Q4), and on a narrow chart only every `step`-th named (one line ran
    together as "24Q425Q1…" at 1366 px)."""
    fig.update_xaxes(type="category", tickangle=0, tickmode="array", tickvals=list(periods)[::step],
                     ticktext=[f"{p[2:4]}<br>{p[4:]}" if len(p) == 6 else p for p in list(periods)[::step]], **where)


def show_figure(fig: go.Figure, key: str) -> None:
    names_as_text(fig)
    st.plotly_chart(fig, theme=None, key=key, config={"displayModeBar": False, "responsive": True})


# Trace properties that carry data (department and item names among them). Plotly draws their
# strings as its own markup: `<a href=…>` became a link inside a chart, `<span style=…>` drew
# over it. Templates, tick texts and annotations are this code's own and keep their markup.
_DATA_PROPERTIES = ("x", "y", "text", "hovertext", "labels", "ids", "customdata", "name", "legendgroup")


def _as_text(value):
    if isinstance(value, str):
        return value.replace("<", "&lt;").replace(">", "&gt;")
    if isinstance(value, (list, tuple)):
        return type(value)(_as_text(v) for v in value)
    if hasattr(value, "dtype") and value.dtype == object:  # numpy arrays of strings
        import numpy as np
        return np.array([_as_text(v) for v in value.tolist()], dtype=object).reshape(value.shape)
    return value


def _has_markup(value) -> bool:
    if isinstance(value, str):
        return "<" in value or ">" in value
    if isinstance(value, (list, tuple)):
        return any(_has_markup(v) for v in value)
    if hasattr(value, "dtype") and value.dtype == object:
        return any(_has_markup(v) for v in value.tolist())
    return False


def names_as_text(fig: go.Figure) -> go.Figure:
    """Every data string of the figure as text, never markup: < and > as entities, which Plotly
    shows as the characters themselves. In place and idempotent (a cached figure is shown
    again and again); a figure without either character is left untouched, at no cost."""
    for trace in fig.data:
        for prop in _DATA_PROPERTIES:
            value = getattr(trace, prop, None)
            if value is not None and _has_markup(value):
                setattr(trace, prop, _as_text(value))
    return fig


@st.cache_resource(max_entries=256, show_spinner=False)
def _figure(version: int, name: str, parts: tuple, _build) -> go.Figure:
    return _build()


def cached_figure(name: str, parts: tuple, build) -> go.Figure:
    """A chart built once per data version and `parts` (period, departments, language,
    presentation …: everything `build` depends on). Building a Plotly figure takes
    100–200 ms of validation; a warm page must not pay that on every rerun. The figure is
    shared, so nobody may change it after it is built."""
    return _figure(data_version(), name, (*parts, scale()), build)


CHART_DEPTS = 60  # departments a chart of departments draws: more are bars no one can read


def first_depts(df: pd.DataFrame, lang: str | None = None) -> pd.DataFrame:
    """The departments a chart draws: the first CHART_DEPTS of `df`, which the page sorts with
    those needing attention first; says so when there are more (the table holds them all)."""
    if len(df) <= CHART_DEPTS:
        return df
    st.caption(t("chart_first_depts", lang, n=fmt_num(CHART_DEPTS), total=fmt_num(len(df))))
    return df.head(CHART_DEPTS)


def dept_chart_height(n_depts: int, presentation: bool) -> int:
    """One readable row per department; larger rows on the shared screen."""
    return max(320, 30 * n_depts + 100) if presentation else max(260, 26 * n_depts + 90)


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


def target_colours(name: str, values: pd.Series) -> list[str]:
    """Green where a value meets its target, red where it misses, grey where undefined."""
    m, target = BY_NAME[name], target_of(name)
    met = [m.meets(None if pd.isna(v) else float(v), target) for v in values]
    return [PALETTE["good"] if x else (PALETTE["bad"] if x is False else PALETTE["neutral"]) for x in met]
