"""Satisfaction 好差评: the distribution of ratings by department, satisfaction rate and
rating coverage, and every poor rating (<= 2) with its case."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from pages import charts, presentation, queries, tables, targets
from pages import formats as fmt
from pages.labels import metric_label, t
from pages.view import View, current_view

RATINGS = [1, 2, 3, 4, 5]
# 1 and 2 (poor) in the alarm colours, 3 neutral, 4 and 5 in the calm blues.
RATING_COLOURS = {1: charts.PALETTE["bad"], 2: charts.PALETTE["warn"], 3: charts.PALETTE["neutral"],
                  4: charts.PALETTE["secondary"], 5: charts.PALETTE["primary"]}
TABLE = ["ratings", "satisfaction_rate", "rating_coverage", "completed_cases",
         "rating_5", "rating_4", "rating_3", "rating_2", "rating_1"]
WALL_ROWS = 12  # departments in a chart of a wall slide (1280×720)
TOP_MARGIN = 70
WALL_TOP = 100  # on the wall: room for the distribution's legend (three lines) above both charts  # both department charts start at the same height, so their rows line up
POOR_COLUMNS = ["case_id", "dept", "item_name", "rating", "rated_at", "completed_at", "accepted_at", "channel",
                "item_type", "elapsed_workdays", "promised_limit_days"]


def render() -> None:
    view = current_view()
    st.title(t("nav_satisfaction"))
    if not queries.store_ready():
        st.info(t("no_data"))
        return
    poor = queries.poor_ratings(view.period, view.depts)  # (first rows, count)
    if view.presentation:  # on the wall one slide at a time: the tiles, then departments a dozen at a time
        depts = presentation.chunks(_dept_frame(view).head(charts.CHART_DEPTS), WALL_ROWS)
        slides = [lambda: _tiles(view, poor), *(lambda d=d, i=i: _by_department(view, d, i) for i, d in enumerate(depts))]
        slides[presentation.part(view, len(slides))]()
        return
    _tiles(view, poor)
    st.divider()
    _by_department(view, _dept_frame(view))
    if not view.presentation:
        st.divider()
        _poor_list(view, poor)


def _tiles(view: View, poor: tuple[pd.DataFrame, int]) -> None:
    centre = queries.centre_metrics(view)
    c1, c2, c3, c4 = st.columns(4)
    with c1:
        v = centre.get("satisfaction_rate")
        st.metric(metric_label("satisfaction_rate"), fmt.fmt_pct(v),
                  help=targets.metric_help_full("satisfaction_rate"), border=True)
        st.markdown(targets.target_note("satisfaction_rate", v, lang=view.lang, show_centre=False))
    with c2:
        v = centre.get("rating_coverage")
        st.metric(metric_label("rating_coverage"), fmt.fmt_pct(v),
                  help=targets.metric_help_full("rating_coverage"), border=True)
    c3.metric(t("col_ratings"), fmt.fmt_num(queries.sums(centre).get("ratings", 0)), help=t("help_ratings"),
              border=True)
    c4.metric(t("sat_poor_count"), fmt.fmt_num(poor[1]), help=t("sat_poor_help"), border=True)


def _dept_frame(view: View) -> pd.DataFrame:
    """The departments with a rating or a completed case: lowest satisfaction first, where
    attention is needed; departments without ratings last."""
    df = queries.dept_metrics(view)
    df = df[(df["ratings"] > 0) | (df["completed_cases"] > 0)]
    return df.sort_values(["satisfaction_rate", "ratings", "dept"], ascending=[True, False, True],
                          na_position="last", ignore_index=True)


def _by_department(view: View, df: pd.DataFrame, slide: int = 0) -> None:
    """Ratings and satisfaction per department of `df` (on the wall: one slide's departments)."""
    lang = view.lang
    st.subheader(t("sat_by_dept_title"))
    if df.empty:
        st.info(t("no_cases_in_period", period=view.period.label))
        return
    table_df, df = df, (df if view.presentation else charts.first_depts(df, lang))
    height = charts.dept_chart_height(WALL_ROWS if view.presentation else len(df), view.presentation)
    mode = "share" if view.presentation else st.segmented_control(  # the wall shows shares: no room for a switch
        t("sat_scale"), ["share", "count"], default="share", required=True,
        format_func=lambda s: t(f"sat_scale_{s}", lang), key="sat_scale")
    parts = (view.period.label, view.depts, view.lang, view.presentation, height, slide)  # what the charts depend on
    left, right = st.columns([3, 2], gap="large")
    with left:
        st.markdown(f"**{t('sat_distribution')}**", help=t("sat_distribution_help"))
        charts.show_figure(charts.cached_figure("sat_distribution", (*parts, mode or "share"),
                                          lambda: _distribution_figure(df, height, view, mode or "share")),
                      key="sat_distribution_chart")
    with right:
        goal = f" · {t('target')} {targets.target_text('satisfaction_rate')}" \
            if targets.target_of("satisfaction_rate") is not None else ""
        st.markdown(f"**{metric_label('satisfaction_rate')}**{goal}",
                    help=targets.metric_help_full("satisfaction_rate"))
        charts.show_figure(charts.cached_figure("sat_rate", parts, lambda: _rate_figure(df, height, view)),
                      key="sat_rate_chart")
    if view.presentation:
        return
    table, cfg = tables.metric_table(table_df, TABLE, lang, lead=["dept"])
    with st.expander(t("sat_table_title"), expanded=False):
        st.dataframe(table, column_config=cfg, hide_index=True, placeholder=fmt.DASH, key="sat_dept_table")
        tables.download(table, f"satisfaction_{view.period.label}.csv", key="sat_dept_csv")


def _distribution_figure(df: pd.DataFrame, height: int, view: View, mode: str) -> go.Figure:
    fig = go.Figure()
    for r in RATINGS:
        fig.add_trace(go.Bar(
            x=df[f"rating_{r}"], y=df["dept"], orientation="h", name=f"{r} {t(f'val_rating_{r}')}",
            marker_color=RATING_COLOURS[r],
            hovertemplate="%{y} · " + f"{r} {t(f'val_rating_{r}')}" + ": %{x:,.1f}"
                          + ("%" if mode == "share" else "") + "<extra></extra>"))
    # The share is drawn by Plotly from the counts (barnorm); nothing is computed here.
    fig.update_layout(barmode="stack", barnorm="percent" if mode == "share" else None,
                      legend=dict(traceorder="normal"))
    charts.category_rows(fig, len(df))
    fig.update_xaxes(ticksuffix="%" if mode == "share" else "",
                     range=[0, 100] if mode == "share" else None)
    if view.presentation:  # the legend inside a fixed top margin, so the rows meet the other chart's
        charts.style_fig(fig, height, True, top=WALL_TOP)
        return fig.update_layout(legend=dict(yref="container", y=1, yanchor="top"))
    return charts.style_fig(fig, height, view.presentation)


def _rate_figure(df: pd.DataFrame, height: int, view: View) -> go.Figure:
    target = targets.target_of("satisfaction_rate")
    colours = charts.target_colours("satisfaction_rate", df["satisfaction_rate"])
    fig = go.Figure(go.Scatter(
        x=df["satisfaction_rate"] * 100, y=df["dept"], mode="markers+text",
        marker=dict(color=colours, size=13 if view.presentation else 11),
        text=[fmt.fmt_pct(v) if not pd.isna(v) else "" for v in df["satisfaction_rate"]],
        textposition="middle right", cliponaxis=False,
        hovertemplate="%{y}: %{x:.1f}%<extra></extra>", name=metric_label("satisfaction_rate")))
    if target is not None:
        fig.add_vline(x=target * 100, line=dict(color=charts.PALETTE["target"], dash="dash", width=2),
                      layer="below")  # behind the dots and their value labels
    charts.category_rows(fig, len(df))
    rates = (df["satisfaction_rate"] * 100).dropna()
    low = min([*rates, (target or 1) * 100]) if len(rates) else 0
    ticks = charts.percent_ticks(max(0.0, low - 2))
    fig.update_xaxes(range=[max(0.0, low - 2), 104], tickvals=ticks, ticktext=[f"{v:g}%" for v in ticks])
    return charts.style_fig(fig, height, view.presentation, legend=False,
                            top=WALL_TOP if view.presentation else TOP_MARGIN)


def _poor_list(view: View, poor: tuple[pd.DataFrame, int]) -> None:
    lang = view.lang
    rows, total = poor
    st.subheader(t("list_title", title=t("sat_poor_title"), n=fmt.fmt_num(total)), help=t("sat_poor_help"))
    if not total:
        return
    tables.case_list(rows, total, lang, POOR_COLUMNS, key="sat_poor", file_name=f"poor_ratings_{view.period.label}.csv",
                     everything=queries.every_poor_rating(view.period, view.depts))

