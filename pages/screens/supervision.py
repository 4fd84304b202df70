"""Supervision 电子监察: the integrity alerts flagged in the period (metrics/alerts.py), each with
the department's share beside the centre's and the test, the cases behind any flag, and
downloads. Flags never change a score or a rank.

On a wall (presentation mode): the tiles with the flags by rule as a chart, then the flags a
few at a time; the cases behind them are for reading up close."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from metrics import alert_results, alerts
from metrics.periods import parse_period
from pages import access, charts, presentation, queries, tables
from pages import formats as fmt
from pages.labels import t
from pages.view import View, current_view

CASE_COLUMNS = ["case_id", "item_name", "item_type", "channel", "status", "accepted_at", "completed_at",
                "due_date", "deadline", "rating", "rated_at", "promised_limit_days"]
WALL_FLAGS = 8  # flags on a wall slide: a rule's name may wrap to two lines at 1280×720
WALL_CHART_HEIGHT = 340  # the rules chart below the tiles on a 1280×720 wall: six rows of bars


@st.cache_data(max_entries=64, show_spinner=False)
def _evaluate(version: int, period_text: str) -> pd.DataFrame:
    # Kept beside the store once computed (and computed after each import on the Data page).
    return alert_results.evaluate(queries.con(), queries.settings().db_path, parse_period(period_text),
                                  queries.settings().alerts)


@st.cache_data(max_entries=64, show_spinner=False)
def _cases(version: int, period_text: str, rule: str, dept: str, total: int) -> tuple[pd.DataFrame, int]:
    """The flag's first cases, as many as a page shows (the download fetches them all)."""
    return alerts.alert_cases(queries.con(), parse_period(period_text), rule, dept, queries.settings().alerts,
                              limit=tables.TABLE_ROWS, total=total)


def _every_case(period_text: str, rule: str, dept: str):
    """Every case of the flag, fetched when the download is clicked (outside the page's run)."""
    store, settings = queries.con(), queries.settings().alerts
    return lambda: alerts.alert_cases(store, parse_period(period_text), rule, dept, settings, limit=None)[0]


def _later(view: View):
    """The background count of the view's period when it is large and not kept yet
    (alert_results.COUNT_LATER_FROM_CASES), else None."""
    store, settings = queries.con(), queries.settings()
    if not alert_results.counts_later(store, settings.db_path, view.period, settings.alerts):
        return None
    return alert_results.evaluate_later(store, settings.db_path, view.period, settings.alerts)


def evaluated(view: View) -> pd.DataFrame | None:
    """Every rule for every department with base cases in the view's period (all departments:
    the centre's share is always the whole centre's); None while a large period is counted
    in the background."""
    later = _later(view)
    if later is not None:
        return later.result() if later.done() else None
    # A smaller period not yet kept takes a second or two: say what is happening. The spinner
    # shows only after half a second.
    with st.spinner(t("sv_evaluating", period=view.period.label), show_time=True):
        return _evaluate(queries.data_version(), view.period.label)


def _counting(view: View) -> None:
    """What the page shows while its period is counted: what is happening, and a look every
    two seconds that runs the page again once the count is done."""
    st.info(t("sv_counting", period=view.period.label), icon=":material/hourglass_top:")

    @st.fragment(run_every=2)
    def look() -> None:
        later = _later(view)
        if later is None or later.done():
            st.rerun(scope="app")

    look()


def flagged(view: View) -> pd.DataFrame | None:
    ev = evaluated(view)
    if ev is None:
        return None
    out = alerts.flagged_rows(ev, view.depts)
    # A department user reads the case numbers of its own department only (pages/access.py):
    # the flags of the others stay, without their example cases.
    return out.assign(example_case_ids=[ids if access.may_list_cases_of(d) else []
                                        for d, ids in zip(out["dept"], out["example_case_ids"])])


def render() -> None:
    view = current_view()
    st.title(t("nav_supervision"))
    if not queries.store_ready():
        st.info(t("no_data"))
        return
    if not view.presentation:
        st.caption(t("sv_caption"))
    flags = flagged(view)
    if flags is None:
        _counting(view)
        return
    if view.presentation:
        _wall(view, flags)
        return
    _tiles(flags)
    st.divider()
    _flag_table(view, flags)
    if view.presentation:
        return
    if len(flags):
        st.divider()
        _drilldown(view, flags)
    st.divider()
    _rules(view)


def _wall(view: View, flags: pd.DataFrame) -> None:
    """The wall's slides: the tiles and the rules chart, then the flags a few at a time (none:
    the tiles and the word that there are none)."""
    if flags.empty:
        _tiles(flags)
        st.success(t("sv_none", period=view.period.label), icon=":material/verified:")
        return
    lists = presentation.chunks(flags, WALL_FLAGS)
    slides = [lambda: (_tiles(flags), _rules_chart(view, flags)),
              *(lambda rows=rows: _wall_list(view, flags, rows) for rows in lists)]
    slides[presentation.part(view, len(slides))]()


def _rules_chart(view: View, flags: pd.DataFrame) -> None:
    st.subheader(t("sv_by_rule"))
    fig = charts.cached_figure("sv_rules", (view.period.label, view.depts, view.lang, len(flags)),
                               lambda: _rules_figure(flags, view.lang))
    charts.show_figure(fig, key="sv_rules_chart")


def _rules_figure(flags: pd.DataFrame, lang: str) -> go.Figure:
    """Departments flagged under each rule, every rule listed (0 too), in the rules' order."""
    counts = flags.groupby("rule")["dept"].nunique()
    names = [r.label(lang) for r in alerts.RULES]
    values = [int(counts.get(r.name, 0)) for r in alerts.RULES]
    fig = go.Figure(go.Bar(x=values, y=names, orientation="h", marker_color=charts.PALETTE["primary"],
                           text=values, textposition="outside", cliponaxis=False,
                           hovertemplate="%{y}: %{x}<extra></extra>"))
    charts.style_fig(fig, WALL_CHART_HEIGHT, True, legend=False)
    charts.category_rows(fig, len(names))
    fig.update_xaxes(range=[0, max(values + [1]) * 1.15], dtick=max(1, math.ceil(max(values + [1]) / 5)))
    fig.update_yaxes(automargin=True)
    return fig


def _wall_list(view: View, flags: pd.DataFrame, rows: pd.DataFrame) -> None:
    """A slide of flags: the figures a room reads (no case numbers, no thresholds)."""
    lang = view.lang
    st.subheader(t("sv_flags_title", n=fmt.fmt_num(len(flags))))
    # A static table: it wraps a long rule's name where a data grid would cut it.
    st.table(pd.DataFrame({
        t("col_dept", lang): [fmt.md_escape(d) for d in rows["dept"]],
        t("sv_col_rule", lang): [alerts.BY_NAME[r].label(lang) for r in rows["rule"]],
        t("sv_col_cases", lang): [fmt.fmt_num(v) for v in rows["cases"]],
        t("sv_col_base", lang): [fmt.fmt_num(v) for v in rows["base"]],
        t("sv_col_share", lang): [fmt.fmt_pct(v) for v in rows["share"]],
        t("sv_col_centre_share", lang): [fmt.fmt_pct(v) for v in rows["centre_share"]],
        t("sv_col_test", lang): [_test_text(r, lang) for _, r in rows.iterrows()],
    }), hide_index=True, border="horizontal")


def _tiles(flags: pd.DataFrame) -> None:
    c1, c2, c3 = st.columns(3)
    c1.metric(t("sv_flags"), fmt.fmt_num(len(flags)), help=t("sv_flags_help"), border=True)
    c2.metric(t("sv_depts_flagged"), fmt.fmt_num(flags["dept"].nunique()), border=True)
    c3.metric(t("sv_cases_flagged"), fmt.fmt_num(int(flags["cases"].sum()) if len(flags) else 0), border=True)


def _test_text(row, lang: str) -> str:
    if alerts.BY_NAME[row["rule"]].kind == "burst":
        return t("sv_test_burst", lang)
    p = row["p_value"]
    return t("sv_test_value", lang, p=f"= {p:.2g}" if p >= 1e-4 else "< 0.0001")


def _threshold_text(row, lang: str) -> str:
    if alerts.BY_NAME[row["rule"]].kind == "burst":
        return t("sv_threshold_burst", lang, n=int(row["threshold"]), minutes=queries.settings().alerts.rating_burst_minutes)
    return fmt.fmt_pct(row["threshold"])


def _display(flags: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The flags as people read them: the rule's label, shares as percent numbers that sort."""
    return pd.DataFrame({
        t("col_dept", lang): flags["dept"],
        t("sv_col_rule", lang): [alerts.BY_NAME[r].label(lang) for r in flags["rule"]],
        t("sv_col_cases", lang): flags["cases"],
        t("sv_col_base", lang): flags["base"],
        t("sv_col_share", lang): flags["share"] * 100,
        t("sv_col_centre_share", lang): flags["centre_share"] * 100,
        t("sv_col_threshold", lang): [_threshold_text(r, lang) for _, r in flags.iterrows()],
        t("sv_col_test", lang): [_test_text(r, lang) for _, r in flags.iterrows()],
        t("sv_col_examples", lang): [" ".join(ids) for ids in flags["example_case_ids"]],
    })


def _flag_table(view: View, flags: pd.DataFrame) -> None:
    lang = view.lang
    st.subheader(t("sv_flags_title", n=fmt.fmt_num(len(flags))), help=t("sv_flags_help"))
    if flags.empty:
        st.success(t("sv_none", period=view.period.label), icon=":material/verified:")
        return
    shown = _display(flags, lang)
    if view.presentation:  # read from across a room: the figures, not the case numbers
        shown = shown.drop(columns=[t("sv_col_examples", lang), t("sv_col_threshold", lang)])
    cfg = {t("sv_col_share", lang): st.column_config.NumberColumn(format="%.1f%%", help=t("sv_share_help", lang)),
           t("sv_col_centre_share", lang): st.column_config.NumberColumn(format="%.1f%%",
                                                                         help=t("sv_centre_help", lang)),
           t("sv_col_test", lang): st.column_config.TextColumn(help=t("sv_test_help", lang)),
           t("sv_col_cases", lang): st.column_config.NumberColumn(format="%,d"),
           t("sv_col_base", lang): st.column_config.NumberColumn(format="%,d", help=t("sv_base_help", lang))}
    st.dataframe(shown, column_config=cfg, hide_index=True, placeholder=fmt.DASH, key="sv_flag_table")
    if not view.presentation:
        # The machine table (spec-style snake_case columns), as `python -m metrics alerts` writes it.
        machine = alerts.machine_table(flags).assign(
            example_case_ids=lambda d: [";".join(ids) for ids in d["example_case_ids"]])
        tables.download(machine, f"alerts_{view.period.label}.csv", key="sv_flags_csv")


def _drilldown(view: View, flags: pd.DataFrame) -> None:
    lang = view.lang
    st.subheader(t("sv_cases_title"))
    options = list(range(len(flags)))
    pick = st.selectbox(t("sv_pick"), options, key="sv_pick",
                        format_func=lambda i: f"{flags.loc[i, 'dept']} · {alerts.BY_NAME[flags.loc[i, 'rule']].label(lang)}")
    row = flags.loc[pick if pick is not None else 0]
    rule = alerts.BY_NAME[row["rule"]]
    st.markdown(alerts.describe(rule, queries.settings().alerts, lang))
    c1, c2, c3 = st.columns(3)
    c1.metric(t("sv_dept_share", dept=fmt.md_escape(row["dept"])), fmt.fmt_pct(row["share"]),
              help=t("sv_share_of", base=rule.base_text(lang), cases=fmt.fmt_num(row["cases"]),
                     n=fmt.fmt_num(row["base"])), border=True)
    c2.metric(t("sv_centre_share"), fmt.fmt_pct(row["centre_share"]), help=t("sv_centre_help"), border=True)
    if rule.kind == "share":
        low = row["share_low"]
        c3.metric(t("sv_col_test"), _test_text(row, lang), border=True,
                  help=t("sv_test_detail", low=fmt.fmt_pct(low) if not math.isnan(low) else fmt.DASH,
                         threshold=fmt.fmt_pct(row["threshold"])))
    else:
        c3.metric(t("sv_col_threshold"), _threshold_text(row, lang), border=True, help=t("sv_test_burst"))
    if not access.may_list_cases_of(row["dept"]):  # a department user reads its own cases only
        st.info(access.say("own_dept_only", lang, dept=", ".join(access.user().case_depts())))
        return
    rows, total = _cases(queries.data_version(), view.period.label, rule.name, row["dept"], int(row["cases"]))
    columns = [c for c in ["case_id", *rule.evidence, *CASE_COLUMNS] if c != "dept"]
    columns = list(dict.fromkeys(columns))
    tables.case_list(rows, total, lang, columns, key=f"sv_cases_{rule.name}",
                     file_name=f"alert_{rule.name}_{fmt.safe_name(row['dept'])}_{view.period.label}.csv",
                     everything=_every_case(view.period.label, rule.name, row["dept"]))


def _rules(view: View) -> None:
    lang = view.lang
    ev = evaluated(view)
    s = queries.settings().alerts
    with st.expander(t("sv_rules_title"), expanded=False):
        st.caption(t("sv_rules_caption"))
        for rule in alerts.RULES:
            mine = ev[ev["rule"] == rule.name]
            centre = mine["cases"].sum() / mine["base"].sum() if len(mine) and mine["base"].sum() else None
            st.markdown(f"**{rule.label(lang)}** (`{rule.name}`)  \n{alerts.describe(rule, s, lang)}  \n"
                        + t("sv_rule_figures", base=rule.base_text(lang), depts=fmt.fmt_num(len(mine)),
                            centre=fmt.fmt_pct(centre), flagged=fmt.fmt_num(int(mine["flagged"].sum()))))
