"""Overview 总览: the four rates against their targets, their last eight quarters, the
centre's totals, and the departments at the top and bottom of the ranking."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from plotly.subplots import make_subplots

from metrics.registry import BY_NAME, FOUR_RATES
from pages import charts, navigation, presentation, projection_panel, queries, targets
from pages import formats as fmt
from pages.labels import metric_label, t
from pages.view import View, current_view

RATE_NAMES = [m.name for m in FOUR_RATES]
# Centre totals, in reading order; open overdue cases sit beside the on-time rate (spec 5).
TOTALS = [
    ["cases", "instant_ratio", "time_compression", "window_signoff_rate", "avg_actual_days"],
    ["on_time_rate", "open_overdue_cases", "overdue_cases", "completed_cases", "avg_promised_days"],
]
# On the wall: four tiles, as wide as the rates above. At five, "平均实际办理时长（个工作日）" and
# its target were cut off at 5 metres; the case count stays on the normal page.
WALL_TOTALS = ["on_time_rate", "open_overdue_cases", "time_compression", "avg_actual_days"]
TOP_N = 5


def render() -> None:
    view = current_view()
    st.title(t("nav_overview"))
    if queries.period_is_empty(view):
        return  # the frame has said so above
    current = queries.centre_metrics(view)
    previous = queries.previous_centre_metrics(view)

    if view.presentation:  # on the wall two slides: the tiles, then the rates' trend
        if presentation.part(view, 2) == 0:
            _rate_tiles(view, current, previous)
            _totals(view, current, previous)
        else:
            _trend_chart(view)
        return
    _rate_tiles(view, current, previous)
    projection_panel.show(view)  # a period still in progress: where it is heading
    _trend_chart(view)
    _totals(view, current, previous)
    if not view.presentation:  # on the wall, the ranking has a slide of its own
        _top_bottom(view)


def _target_badge(name: str, value, lang: str) -> str:
    """Met / missed / no target."""
    return targets.target_badge(name, value, lang) or f":gray-badge[{t('fr_no_target', lang)}]"


def _tile(name: str, current: dict, previous: dict, view: View, border: bool = True) -> None:
    lang = view.lang
    value = current.get(name)
    m = BY_NAME[name]
    delta = fmt.fmt_delta(name, value, previous.get(name), lang)
    label, shown = metric_label(name), fmt.fmt_metric(name, value, lang)
    if m.format == "days":  # the unit goes to the label, so the big number fits its tile
        if not view.presentation:  # there the label would be cut off; the delta and target show the unit
            label = f"{label}（{t('unit_days', lang)}）" if lang == "zh" else f"{label} ({t('unit_days', lang)})"
        shown = fmt.DASH if value is None else f"{value:.2f}"
    flat = fmt.is_flat(delta)
    st.metric(
        label, shown,
        delta=delta, delta_color="off" if flat else ("normal" if m.better == "higher" else "inverse"),
        delta_arrow="off" if flat else "auto",
        delta_description=(t("vs_previous", lang) if delta is not None else None),
        help=targets.metric_help_full(name, lang), border=border,
    )


def _rate_tiles(view: View, current: dict, previous: dict) -> None:
    lang = view.lang
    if not view.presentation:
        st.subheader(t("ov_four_rates"))
    for col, name in zip(st.columns(len(RATE_NAMES)), RATE_NAMES):
        with col, st.container(border=True, height="stretch"):
            _tile(name, current, previous, view, border=False)
            st.markdown(_target_badge(name, current.get(name), lang))
            if name == "entry_rate" and current.get(name) is None and not queries.has_catalogue():
                st.caption(t("fr_needs_catalogue", lang))


def _trend_chart(view: View) -> None:
    big = view.presentation
    if not big:
        st.subheader(t("ov_trend"))
    fig = charts.cached_figure("overview_trend", (view.period.label, view.depts, view.lang, big),
                              lambda: _trend_figure(view))
    charts.show_figure(fig, key="overview_trend")
    if not big:
        st.caption(t("ov_trend_caption"))


def _trend_figure(view: View) -> go.Figure:
    lang = view.lang
    big = view.presentation
    data = queries.trend(view, 8)
    fig = make_subplots(rows=1, cols=len(RATE_NAMES), shared_yaxes=False, horizontal_spacing=0.05,
                        subplot_titles=[metric_label(n, lang) for n in RATE_NAMES])
    for i, name in enumerate(RATE_NAMES, start=1):
        values = pd.to_numeric(data[name], errors="coerce") * 100
        fig.add_trace(go.Scatter(
            x=data["period"], y=values, mode="lines+markers", name=metric_label(name, lang),
            line=dict(color=charts.SEQUENCE[i - 1], width=5 if big else 3), marker=dict(size=12 if big else 8),
            hovertemplate="%{x}: %{y:.1f}%<extra></extra>", showlegend=False), row=1, col=i)
        target = targets.target_of(name)
        lows = [v for v in values.dropna()] + ([target * 100] if target is not None else [])
        if target is not None:
            fig.add_hline(y=target * 100, line=dict(color=charts.PALETTE["target"], dash="dash", width=3 if big else 2),
                          annotation_text=f"{t('target', lang)} {fmt.fmt_pct(target)}",
                          annotation_position="bottom right",
                          annotation_font_color=charts.PALETTE["target"], row=1, col=i)
        lo = min(lows) if lows else 0
        fig.update_yaxes(range=[max(0, lo - 6), 101], ticksuffix="%", row=1, col=i)
        charts.quarter_axis(fig, list(data["period"]), row=1, col=i)
    charts.style_figure(fig, 460 if big else 340, big)  # on the wall the trend is a slide of its own
    fig.update_annotations(yshift=4)
    return fig


def _totals(view: View, current: dict, previous: dict) -> None:
    lang = view.lang
    if not view.presentation:
        st.subheader(t("ov_totals"))
    for names in [WALL_TOTALS] if view.presentation else TOTALS:
        for col, name in zip(st.columns(len(names)), names):
            with col, st.container(border=True, height="stretch"):
                _tile(name, current, previous, view, border=False)
                if name == "cases":
                    online = queries.sums(current).get("accepted_online", 0)
                    st.caption(t("ov_online_cases", lang, n=fmt.fmt_num(online)) + " · "
                               + f"{metric_label('online_rate', lang)} {fmt.fmt_pct(current.get('online_rate'))}")
                elif targets.target_of(name) is not None:
                    st.markdown(_target_badge(name, current.get(name), lang))


def _top_bottom(view: View) -> None:
    lang = view.lang
    table = queries.ranking_table(view)
    ranked = table[table["ranked"]].sort_values(["rank", "dept"])
    if ranked.empty:
        st.info(t("ov_no_ranked", lang, n=queries.settings().min_cases))
        return
    left, right = st.columns(2)
    for col, title, rows in ((left, t("ov_top"), ranked.head(TOP_N)),
                             (right, t("ov_bottom"), ranked.tail(TOP_N))):
        with col:
            st.subheader(title)
            shown = pd.DataFrame({
                t("rk_col_rank"): rows["rank"].astype(int).to_list(),
                t("rk_col_dept"): [fmt.md_escape(d) for d in rows["dept"]],
                t("rk_chart"): [fmt.fmt_score(v) for v in rows["score"]],
                t("rk_col_change"): [fmt.fmt_rank_change(c, True, lang) for c in rows["rank_change"]],
            })
            st.table(shown, hide_index=True, border="horizontal")
    if not view.presentation:
        navigation.page_link("rankings", t("ov_to_rankings"), lang)

