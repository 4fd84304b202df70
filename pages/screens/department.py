"""Department 部门详情: one department's figures, their trend against the centre and the
targets, its items, and the cases behind any figure."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from metrics.registry import BY_NAME, FOUR_RATES
from pages import charts, presentation, projection_panel, queries, tables, targets
from pages import formats as fmt
from pages.labels import metric_help, metric_label, t
from pages.view import View, current_view

KEY_MEASURES = ["on_time_rate", "time_compression", "avg_actual_days", "open_overdue_cases"]
TREND_METRICS = [m.name for m in FOUR_RATES] + ["on_time_rate", "time_compression", "avg_actual_days", "cases"]
TREND_TABLE = ["cases", "completed_cases", *[m.name for m in FOUR_RATES], "on_time_rate", "overdue_cases",
               "open_overdue_cases", "time_compression", "avg_actual_days", "avg_promised_days",
               "window_signoff_rate", "rating_coverage"]
ITEM_COLUMNS = ["cases", "completed_cases", "early_cases", "early_completion_rate", "overdue_cases",
                "avg_actual_days", "time_compression"]
CASE_LIST_COLUMNS = ["case_id", "item_code", "item_name", "item_type", "channel", "status", "accepted_at",
                     "completed_at", "due_date", "elapsed_workdays", "statutory_limit_days",
                     "promised_limit_days", "window_signed", "rating", "rated_at"]


def render() -> None:
    view = current_view()
    depts = queries.departments()
    if not depts:
        st.title(t("nav_department"))
        st.info(t("no_data"))
        return
    default = depts.index(view.depts[0]) if view.depts and view.depts[0] in depts else 0

    head, pick = st.columns([3, 2], vertical_alignment="bottom")
    head.title(t("nav_department"))
    dept = pick.selectbox(t("dept_choose"), depts, index=default, key="dept_detail", bind="query-params")
    if dept is None:
        dept = depts[default]
    if not view.presentation:  # on the big screen the tiles speak for themselves
        st.caption(t("dept_caption", dept=fmt.md_escape(dept), period=view.period.label))

    if view.presentation:  # on the wall one slide at a time: the tiles, then the trends four at a time
        slides = (lambda: _tiles(view, dept), lambda: _trend(view, dept, TREND_METRICS[:4]),
                  lambda: _trend(view, dept, TREND_METRICS[4:]))
        slides[presentation.part(view, len(slides))]()
        return
    _tiles(view, dept)
    projection_panel.show(view, dept)  # a period still in progress: where it is heading
    st.divider()
    _trend(view, dept)
    if view.presentation:
        return
    st.divider()
    _items(view, dept)
    st.divider()
    _cases_behind(view, dept)


def _tiles(view: View, dept: str) -> None:
    lang = view.lang
    mine = queries.dept_period(view.period, dept)
    centre = queries.centre_metrics(view, depts=())
    # A value in working days ("3.73 个工作日") needs a wider tile than a percentage.
    for names in ([m.name for m in FOUR_RATES], KEY_MEASURES):
        spec = [1.5 if BY_NAME[n].format == "days" else 1 for n in names]
        for col, name in zip(st.columns(spec), names):
            value = mine.get(name)
            with col:
                st.metric(metric_label(name), fmt.fmt_metric(name, value), help=targets.metric_help_full(name),
                          border=True)
                st.markdown(targets.target_note(name, value, centre.get(name), lang))
    if not mine.get("entry_base"):
        st.caption(t("dept_no_catalogue"))


def _trend(view: View, dept: str, names: list[str] | None = None) -> None:
    """The department's quarters against the centre's: `names` only (a wall slide), or all."""
    lang = view.lang
    mine = queries.dept_quarters(dept, view.period)
    centre = queries.centre_trend(view.period)
    st.subheader(t("dept_trend_title", n=len(mine)))
    if not view.presentation:
        st.caption(t("dept_trend_caption"))
    height = 420 if view.presentation else 250
    legend_shown = False
    for row in [names] if names else (TREND_METRICS[:4], TREND_METRICS[4:]):
        for col, name in zip(st.columns(len(row)), row):
            with col:
                goal = f" · {t('target')} {targets.target_text(name)}" if targets.target_of(name) is not None \
                    and BY_NAME[name].kind != "count" else ""
                st.markdown(f"**{metric_label(name)}**{goal}", help=targets.metric_help_full(name))
                if mine[name].isna().all():
                    st.caption(t("undefined"))
                    continue
                # On the big screen the first chart drawn carries the legend instead of the caption.
                legend = view.presentation and not legend_shown
                legend_shown = legend_shown or legend
                fig = charts.cached_figure(
                    f"dept_trend_{name}", (dept, view.period.label, view.lang, view.presentation, height, legend),
                    lambda: _trend_figure(name, mine, centre, dept, height, view, legend))
                charts.show_figure(fig, key=f"dept_trend_{name}")
    if view.presentation:
        return
    table, cfg = tables.metric_table(mine, TREND_TABLE, lang, lead=["period"])
    with st.expander(t("dept_trend_table"), expanded=False):
        st.dataframe(table, column_config=cfg, hide_index=True, placeholder=fmt.DASH, key="dept_trend_table")
        tables.download(table, f"{fmt.safe_name(dept)}_{view.period.label}_trend.csv", key="dept_trend_csv")


def _trend_figure(name: str, mine, centre, dept: str, height: int, view: View,
                  legend: bool = False) -> go.Figure:
    m = BY_NAME[name]
    pct = m.format == "percent"
    scale = 100 if pct else 1
    fig = go.Figure()
    if m.kind != "count":  # a count of the whole centre is not comparable to one department's
        fig.add_trace(go.Scatter(
            x=centre["period"], y=centre[name] * scale, name=t("centre"), mode="lines+markers",
            line=dict(color=charts.PALETTE["centre"], dash="dot", width=2), marker=dict(size=6),
            hovertemplate="%{x}: %{y:.1f}" + ("%" if pct else "") + "<extra></extra>"))
    fig.add_trace(go.Scatter(
        x=mine["period"], y=mine[name] * scale, name=dept, mode="lines+markers",
        line=dict(color=charts.PALETTE["primary"], width=3), marker=dict(size=8),
        hovertemplate="%{x}: %{y:" + (".1f}%" if pct else (".2f}" if m.format == "days" else ",d}"))
                      + "<extra></extra>"))
    target = targets.target_of(name)
    values = [*(mine[name] * scale).dropna(), *((centre[name] * scale).dropna() if m.kind != "count" else [])]
    if target is not None and m.kind != "count":
        fig.add_hline(y=target * scale, line=dict(color=charts.PALETTE["target"], dash="dash", width=2))
        values.append(target * scale)
    if values and m.kind != "count":  # the axis spans the lines and the target, with a margin
        lo, hi = min(values), max(values)
        pad = max((hi - lo) * 0.12, 1.0 if pct else 0.1)
        fig.update_yaxes(range=[max(0, lo - pad), min(100.5, hi + pad) if pct else hi + pad])
    fig.update_yaxes(ticksuffix="%" if pct else "", rangemode="tozero" if m.kind == "count" else "normal")
    # Four charts a row: on the desk, beside the sidebar, a chart is too narrow for eight names.
    charts.quarter_axis(fig, list(mine["period"]), step=1 if view.presentation else 2)
    return charts.style_fig(fig, height, view.presentation, legend=legend)


def _items(view: View, dept: str) -> None:
    lang = view.lang
    st.subheader(t("dept_items_title", period=view.period.label))
    items = queries.dept_items(view.period, dept)
    if items.empty:
        st.info(t("no_cases_in_period", period=view.period.label))
        return
    table, cfg = tables.metric_table(items, ITEM_COLUMNS, lang, lead=["item_code", "item_name"])
    st.dataframe(table, column_config=cfg, hide_index=True, placeholder=fmt.DASH, key="dept_items_table",
                 height=min(38 + 35 * len(table), 420))
    tables.download(table, f"{fmt.safe_name(dept)}_{view.period.label}_items.csv", key="dept_items_csv")


def _cases_behind(view: View, dept: str) -> None:
    lang = view.lang
    st.subheader(t("cases_behind_title"))
    left, right = st.columns([2, 3], vertical_alignment="bottom")
    name = left.selectbox(t("cases_behind_metric"), tables.CASE_METRICS, format_func=lambda n: metric_label(n, lang),
                          key="dept_cases_metric")
    m = BY_NAME[name]
    parts = (["numerator"] if m.cases_numerator else []) + (["denominator"] if m.cases_denominator else [])
    part = right.segmented_control(t("cases_behind_part"), parts, default=parts[0],
                                   format_func=lambda p: t(f"part_{p}", lang), key=f"dept_cases_part_{name}",
                                   required=True)
    part = part or parts[0]
    st.caption(f"{m.formula(lang)} — {m.description(lang)}")
    rows, total = queries.cases_behind(view.period, name, part, (dept,))
    st.metric(t("cases_behind_count"), fmt.fmt_num(total), help=metric_help(name))
    if not total:
        return
    tables.case_list(rows, total, lang, CASE_LIST_COLUMNS, key="dept_cases",
                     file_name=f"{fmt.safe_name(dept)}_{view.period.label}_{name}_{part}.csv",
                     everything=queries.every_case_behind(view.period, name, part, (dept,)))

