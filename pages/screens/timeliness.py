"""Timeliness 时效监察: time compression and working days by department, the overdue cases,
and an electronic-supervision board of open-case warnings (yellow 预警 / red 超期)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from pages import charts, presentation, queries, tables, targets
from pages import formats as fmt
from pages.labels import metric_help, metric_label, t
from pages.view import View, current_view

TILES = ["time_compression", "avg_actual_days", "avg_promised_days", "on_time_rate", "overdue_cases",
         "open_overdue_cases"]
TABLE = ["completed_cases", "avg_actual_days", "avg_promised_days", "avg_statutory_days", "time_compression",
         "promise_compression",
         "on_time_rate", "overdue_cases", "open_overdue_cases"]
OVERDUE_COLUMNS = ["case_id", "dept", "item_name", "item_type", "channel", "accepted_at", "due_date",
                   "completed_at", "elapsed_workdays", "promised_limit_days", "statutory_limit_days"]
WARNING_COLUMNS = ["level", "case_id", "dept", "item_name", "item_type", "accepted_at", "due_date",
                   "workdays_left", "promised_limit_days", "status"]
BOARD_COLUMNS = 5
BOARD_CARDS = 24  # cards on the board; with thousands of departments, the list below holds the rest
WALL_ROWS = 12                    # departments in a chart of a wall slide (1280×720)
WALL_CARDS = 2 * BOARD_COLUMNS    # department cards on the wall's board
# Actual against promised against statutory: the distance between them is the compression.
DAY_MEASURES = ("avg_actual_days", "avg_promised_days", "avg_statutory_days")
# Both department charts start at the same height, so their rows line up: room for the
# days chart's legend (two lines, three on the big screen) above either plot.
TOP_MARGIN = {False: 90, True: 130}


def render() -> None:
    view = current_view()
    st.title(t("nav_timeliness"))
    if not queries.store_ready():
        st.info(t("no_data"))
        return
    if view.presentation:  # on the wall one slide at a time: tiles, departments a dozen at a time, board
        depts = presentation.chunks(_dept_frame(view).head(charts.CHART_DEPTS), WALL_ROWS)
        slides = [lambda: _tiles(view), *(lambda d=d, i=i: _by_department(view, d, i) for i, d in enumerate(depts)),
                  lambda: _board(view)]
        slides[presentation.part(view, len(slides))]()
        return
    _tiles(view)
    st.divider()
    _by_department(view, _dept_frame(view))
    if not view.presentation:
        st.divider()
        _overdue_list(view)
    st.divider()
    _board(view)


def _tiles(view: View) -> None:
    centre = queries.centre_metrics(view)
    # Two rows of three: a value in working days needs the width of a third.
    for col, name in zip([*st.columns(3), *st.columns(3)], TILES):
        with col:
            value = centre.get(name)
            st.metric(metric_label(name), fmt.fmt_metric(name, value), help=targets.metric_help_full(name),
                      border=True)
            st.markdown(targets.target_note(name, value, lang=view.lang, show_centre=False))


def _dept_frame(view: View) -> pd.DataFrame:
    """The departments with a completed or overdue case: lowest compression first, where
    attention is needed; departments without a figure last."""
    df = queries.dept_metrics(view)
    df = df[(df["completed_cases"] > 0) | (df["open_overdue_cases"] > 0)]
    return df.sort_values(["time_compression", "dept"], ascending=[True, True], na_position="last",
                          ignore_index=True)


def _by_department(view: View, df: pd.DataFrame, slide: int = 0) -> None:
    """Days and compression per department of `df` (on the wall: one slide's departments)."""
    lang = view.lang
    st.subheader(t("tl_by_dept_title"))
    if df.empty:
        st.info(t("no_cases_in_period", period=view.period.label))
        return
    table_df, df = df, (df if view.presentation else charts.first_depts(df, lang))
    height = charts.dept_chart_height(WALL_ROWS if view.presentation else len(df), view.presentation)
    left, right = st.columns(2, gap="large")
    with left:
        st.markdown(f"**{t('tl_days_chart')}**",
                    help="\n\n".join(metric_help(n) for n in DAY_MEASURES))
        charts.show_figure(charts.cached_figure("tl_days", (*_figure_parts(view, height), slide),
                                          lambda: _days_figure(df, height, view)), key="tl_days_chart")
    with right:
        st.markdown(f"**{metric_label('time_compression')}**", help=metric_help("time_compression"))
        charts.show_figure(charts.cached_figure("tl_compression", (*_figure_parts(view, height), slide),
                                          lambda: _compression_figure(df, height, view)), key="tl_compression_chart")
    if view.presentation:
        return
    table, cfg = tables.metric_table(table_df, TABLE, lang, lead=["dept"])
    with st.expander(t("tl_table_title"), expanded=False):
        st.dataframe(table, column_config=cfg, hide_index=True, placeholder=fmt.DASH, key="tl_dept_table")
        tables.download(table, f"timeliness_{view.period.label}.csv", key="tl_dept_csv")


def _figure_parts(view: View, height: int) -> tuple:
    """Everything a chart of this page depends on besides the data version."""
    return (view.period.label, view.depts, view.lang, view.presentation, height)


def _days_figure(df: pd.DataFrame, height: int, view: View) -> go.Figure:
    fig = go.Figure()
    y = df["dept"]
    for name, colour, symbol in (("avg_statutory_days", charts.PALETTE["neutral"], "square"),
                                 ("avg_promised_days", charts.PALETTE["warn"], "diamond"),
                                 ("avg_actual_days", charts.PALETTE["primary"], "circle")):
        fig.add_trace(go.Scatter(
            x=df[name], y=y, mode="markers", name=metric_label(name),
            marker=dict(color=colour, size=12 if view.presentation else 10, symbol=symbol),
            hovertemplate="%{y}: %{x:.2f} " + t("unit_days") + "<extra></extra>"))
    for name in ("avg_actual_days", "avg_promised_days"):
        target = targets.target_of(name)
        if target is not None:
            line = dict(color=charts.PALETTE["primary"] if name == "avg_actual_days" else charts.PALETTE["warn"],
                        dash="dash", width=1.5)
            fig.add_vline(x=target, line=line)
            # The targets are named in the legend, in their line's colour: two labels on the
            # lines ran into each other, the department names or the legend.
            fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", line=line,
                                     name=f"{t('target')} ≤ {target:g}", hoverinfo="skip"))
    charts.category_rows(fig, len(df))
    fig.update_xaxes(rangemode="tozero")  # the unit is in the chart's heading
    fig = charts.style_fig(fig, height, view.presentation, top=TOP_MARGIN[view.presentation])
    # The legend sits inside the fixed top margin: placed above the plot, Plotly would
    # widen the margin for it and this chart's rows would no longer meet the other's.
    return fig.update_layout(legend=dict(yref="container", y=1, yanchor="top"))


def _compression_figure(df: pd.DataFrame, height: int, view: View) -> go.Figure:
    target = targets.target_of("time_compression")
    colours = charts.target_colours("time_compression", df["time_compression"])
    fig = go.Figure(go.Bar(
        x=df["time_compression"] * 100, y=df["dept"], orientation="h", marker_color=colours,
        # Values inside the bar's end (outside only when a bar is too short to hold one), so the
        # target line, drawn behind the bars, never runs through a value.
        text=[fmt.fmt_pct(v) for v in df["time_compression"]], textposition="auto", insidetextanchor="end",
        insidetextfont=dict(color="white"), outsidetextfont=dict(color="#1b1f24"), constraintext="none",
        cliponaxis=False, name=metric_label("time_compression"),
        hovertemplate="%{y}: %{x:.1f}%<extra></extra>"))
    if target is not None:
        fig.add_vline(x=target * 100, line=dict(color=charts.PALETTE["target"], dash="dash", width=1.5),
                      layer="below", annotation_text=f"{t('target')} ≥ {fmt.fmt_pct(target)}", annotation_position="top",
                      annotation_font_color=charts.PALETTE["target"])
    charts.category_rows(fig, len(df))
    ticks = [0, 20, 40, 60, 80, 100]
    fig.update_xaxes(range=[0, 115], tickvals=ticks, ticktext=[f"{v}%" for v in ticks])
    return charts.style_fig(fig, height, view.presentation, legend=False, top=TOP_MARGIN[view.presentation])


def _overdue_list(view: View) -> None:
    lang = view.lang
    rows, total = queries.cases_behind(view.period, "overdue_cases", "numerator", view.depts)
    st.subheader(t("list_title", title=t("tl_overdue_title"), n=fmt.fmt_num(total)),
                 help=metric_help("overdue_cases"))
    if not total:
        return
    tables.case_list(rows, total, lang, OVERDUE_COLUMNS, key="tl_overdue", file_name=f"overdue_{view.period.label}.csv",
                     max_height=420,
                     everything=queries.every_case_behind(view.period, "overdue_cases", "numerator", view.depts))


def _board(view: View) -> None:
    lang = view.lang
    fresh = queries.freshness()
    through = fresh["data_through"]
    today = date.today()
    default = min(today, through) if through else today
    head, pick = st.columns([3, 1], vertical_alignment="bottom")
    head.subheader(t("tl_board_title"), help=t("tl_board_help"))
    as_of = pick.date_input(t("tl_as_of"), value=default, min_value=fresh["first_day"] or default,
                            max_value=max(today, through or today), key="as_of", bind="query-params",
                            format="YYYY-MM-DD")
    warnings, counts = queries.warning_board(as_of, view.depts)
    red = int(counts["red"].sum()) if len(counts) else 0
    yellow = int(counts["yellow"].sum()) if len(counts) else 0
    c1, c2, c3 = st.columns([1, 1, 2])
    c1.metric(f":red[:material/error: {t('tl_red')}]", fmt.fmt_num(red), help=t("tl_red_help"), border=True)
    c2.metric(f":orange[:material/warning: {t('tl_yellow')}]", fmt.fmt_num(yellow), help=t("tl_yellow_help"),
              border=True)
    c3.caption(t("tl_board_caption", date=as_of.isoformat(), through=through.isoformat() if through else "—"))
    if as_of > (through or as_of):
        c3.warning(t("tl_after_data"))
    if counts.empty:
        st.success(t("tl_no_warnings", date=as_of.isoformat()))
        return
    if view.presentation:  # the wall's board: the departments with most warnings, as many as fit
        _cards(counts.head(WALL_CARDS))
        if len(counts) > WALL_CARDS:
            st.caption(t("tl_more_depts", n=len(counts) - WALL_CARDS))
        return
    _cards(counts.head(BOARD_CARDS))  # the most red first; every warning is in the list below
    if len(counts) > BOARD_CARDS:
        st.caption(t("tl_more_depts_below", n=fmt.fmt_num(len(counts) - BOARD_CARDS)))
    colours = {tables.value_word("level", "red", lang): charts.PALETTE["bad"],
               tables.value_word("level", "yellow", lang): charts.PALETTE["warn"]}
    with st.expander(t("tl_warning_list", n=fmt.fmt_num(red + yellow)), expanded=True):
        tables.case_list(warnings, red + yellow, lang, WARNING_COLUMNS, key="tl_warning",
                         file_name=f"warnings_{as_of.isoformat()}.csv", max_height=420, chips={"level": colours},
                         everything=queries.every_warning(as_of, view.depts))


def _cards(counts: pd.DataFrame) -> None:
    """One card per department with warnings: red and yellow as big coloured numbers (grey when 0)."""
    rows = [counts.iloc[i:i + BOARD_COLUMNS] for i in range(0, len(counts), BOARD_COLUMNS)]
    for chunk in rows:
        for col, (_, r) in zip(st.columns(BOARD_COLUMNS), chunk.iterrows()):
            with col.container(border=True):
                st.markdown(f"**{fmt.md_escape(r['dept'])}**")
                a, b = st.columns(2)
                for box, n, colour, word in ((a, int(r["red"]), "red", t("tl_red")),
                                             (b, int(r["yellow"]), "orange", t("tl_yellow"))):
                    box.markdown(f"## :{colour if n else 'gray'}[{fmt.fmt_num(n)}]")
                    box.caption(word)

