"""Rankings 排名: every department's score and four rates with their intervals, rank
changes, flags, a chart of the scores against the score target, and downloads (CSV as
shown, a formatted Excel workbook, the machine-readable table of spec 8)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from metrics.exports import csv_bytes
from metrics.ranking import machine_table
from metrics.workbook import WorkbookMeta, ranking_workbook
from metrics.registry import FOUR_RATES, METRICS
from pages import charts, presentation, queries, targets
from pages import evaluation
from pages import formats as fmt
from pages.labels import metric_help, metric_label, t
from pages.view import View, current_view

RATE_NAMES = [m.name for m in FOUR_RATES]
WALL_ROWS = 12  # bars in a column of a wall slide: 12 rows and the title fit 720 px


def render() -> None:
    view = current_view()
    lang = view.lang
    st.title(t("rk_title"))
    table = queries.ranking_table(view)
    if table.empty:
        if not queries.period_is_empty(view):
            st.info(t("rk_empty"))
        return
    s = queries.settings()
    if not view.presentation:
        st.caption(t("rk_rules", weights=targets.weights_text(), min_cases=s.min_cases))

    every = table
    if not view.presentation:
        table = evaluation.category_filter(table, lang)
    _chart(view, table)

    if view.presentation:  # the wall shows the bars; the table is for reading up close
        return
    shown = display_table(table, lang, s.min_cases)
    st.subheader(t("rk_table"))
    st.dataframe(shown, hide_index=True, column_config=column_config(lang), key="ranking_table",
                 height=min(36 * (len(shown) + 1) + 4, 1500), placeholder=fmt.DASH)
    _downloads(view, table, shown)
    evaluation.quota_table(every, lang)
    st.subheader(t("ev_bulletin_title", lang))
    evaluation.bulletin_downloads(view)


# ---- the table as shown ----------------------------------------------------------------

def display_table(table: pd.DataFrame, lang: str, min_cases: int) -> pd.DataFrame:
    """The ranking as the reader sees it (and as the CSV download writes it)."""
    out = pd.DataFrame({
        t("rk_col_rank", lang): table["rank"].astype("Int64"),
        t("rk_col_change", lang): [fmt.fmt_rank_change(c, r, lang)
                                   for c, r in zip(table["rank_change"], table["ranked"])],
        t("rk_col_dept", lang): table["dept"].astype(str),
        t("rk_col_category", lang): table["category"].astype(str),
        t("rk_col_score", lang): [fmt.fmt_score_interval(v, lo, hi)
                                  for v, lo, hi in zip(table["score"], table["score_low"], table["score_high"])],
    })
    out[t("rk_col_grade", lang)] = [evaluation.grade_label(g, lang) for g in table["grade"]]
    out[t("rk_col_category_rank", lang)] = table["category_rank"].astype("Int64")
    for name in RATE_NAMES:
        out[metric_label(name, lang)] = [
            fmt.fmt_pct_interval(v, lo, hi)
            for v, lo, hi in zip(table[name], table[f"{name}_low"], table[f"{name}_high"])]
    out[t("rk_col_cases", lang)] = table["cases"].astype("int64")
    out[t("rk_col_partial", lang)] = [t("rk_yes", lang) if p else "" for p in table["partial"]]
    out[t("rk_col_note", lang)] = [_note(n, lang, min_cases) for n in table["note"]]
    out[t("rk_col_sig", lang)] = [t("rk_not_significant", lang) if x else "" for x in table["not_significant_with_next"]]
    return out


def _note(note: str, lang: str, min_cases: int) -> str:
    return {"too few cases": t("rk_note_too_few", lang, n=min_cases),
            "no defined rate": t("rk_note_no_rate", lang)}.get(note, "")


def column_config(lang: str) -> dict:
    cc = st.column_config
    cfg = {
        t("rk_col_rank", lang): cc.NumberColumn(help=t("rk_help_rank", lang), format="%d", width="small"),
        t("rk_col_change", lang): cc.TextColumn(help=t("rk_help_change", lang), width="small"),
        t("rk_col_dept", lang): cc.TextColumn(pinned=True),
        t("rk_col_category", lang): cc.TextColumn(help=t("rk_help_category", lang)),
        t("rk_col_grade", lang): cc.TextColumn(help=t("rk_help_grade", lang), width="small"),
        t("rk_col_category_rank", lang): cc.NumberColumn(help=t("rk_help_category_rank", lang), format="%d",
                                                         width="small"),
        t("rk_col_score", lang): cc.TextColumn(help=t("rk_help_score", lang)),
        t("rk_col_cases", lang): cc.NumberColumn(help=metric_help("cases", lang), format="localized"),
        t("rk_col_partial", lang): cc.TextColumn(help=t("rk_help_partial", lang), width="small"),
        t("rk_col_note", lang): cc.TextColumn(),
        t("rk_col_sig", lang): cc.TextColumn(help=t("rk_help_sig", lang), width="small"),
    }
    for name in RATE_NAMES:
        cfg[metric_label(name, lang)] = cc.TextColumn(
            help=metric_help(name, lang) + "\n\n" + t("rk_help_rate", lang))
    return cfg


# ---- the chart ---------------------------------------------------------------------------

def _chart(view: View, table: pd.DataFrame) -> None:
    lang = view.lang
    big = view.presentation
    ranked = table[table["ranked"]].sort_values(["rank", "dept"])
    if ranked.empty:
        return
    target = targets.score_target()
    lo = max(0.0, float(ranked["score_low"].min(skipna=True)) - 5) if ranked["score_low"].notna().any() else 0.0
    if big:
        # On the wall: slides of two columns of bars, so every department's name stays large
        # and no slide runs below the screen (40 departments: two slides, "1/2").
        slides = presentation.chunks(ranked, 2 * WALL_ROWS)
        index = presentation.part(view, len(slides))
        shown = slides[index]
        for col, column, key in zip(st.columns(2, gap="large"), presentation.chunks(shown, WALL_ROWS),
                                    ("ranking_chart", "ranking_chart_2")):
            if len(column):
                with col:
                    fig = charts.cached_figure(key, (view.period.label, view.depts, lang, big, target, index),
                                               lambda column=column: _score_figure(column, target, lo, lang, big,
                                                                                   rows=WALL_ROWS))
                    charts.show_figure(fig, key=key)
        return
    st.subheader(t("rk_chart"))
    fig = charts.cached_figure("ranking_chart", (view.period.label, view.depts, lang, big, target,
                                                 tuple(ranked["dept"])),
                              lambda: _score_figure(ranked, target, lo, lang, big, rows=len(ranked)))
    charts.show_figure(fig, key="ranking_chart")
    note = t("rk_chart_caption")
    if target is not None:
        parts = ", ".join(f"{metric_label(m.name, lang)} {fmt.fmt_pct(targets.target_of(m.name))}"
                          for m in FOUR_RATES if targets.target_of(m.name) is not None)
        note += " " + t("rk_score_target_note", lang, v=fmt.fmt_score(target), parts=parts)
    st.caption(note)


def _score_figure(ranked: pd.DataFrame, target: float | None, lo: float, lang: str, big: bool,
                  rows: int) -> go.Figure:
    """Horizontal bars of scores, best on top, with their 95% intervals and the target."""
    colours = [charts.PALETTE["primary"] if target is None or s >= target else charts.PALETTE["secondary"]
               for s in ranked["score"]]
    # Bars start at the axis' left end (`base`), so each score can be written at the bar's
    # start, clear of the interval whiskers at its end.
    fig = go.Figure(go.Bar(
        x=ranked["score"] - lo, base=lo, customdata=ranked["score"],
        y=[f"{r}. {d}" for r, d in zip(ranked["rank"], ranked["dept"])], orientation="h",
        marker_color=colours,
        error_x=dict(type="data", symmetric=False, array=ranked["score_high"] - ranked["score"],
                     arrayminus=ranked["score"] - ranked["score_low"], color="#5f6670",
                     thickness=2 if big else 1.5, width=4 if big else 3),
        text=[fmt.fmt_score(s) for s in ranked["score"]], textposition="inside", insidetextanchor="start",
        textfont=dict(color="white", size=charts.font_size(big) if big else 13), constraintext="none",
        hovertemplate="%{y}: %{customdata:.1f}<extra></extra>",
    ))
    if target is not None:
        fig.add_vline(x=target, line=dict(color=charts.PALETTE["target"], dash="dash", width=3 if big else 2),
                      annotation_text=t("rk_score_target", lang, v=fmt.fmt_score(target)),
                      annotation_position="top", annotation_font_color=charts.PALETTE["target"])
    fig.update_yaxes(autorange="reversed", automargin=True)
    fig.update_xaxes(range=[lo, 100.5], title=None)
    row_px = 36 if big else 21
    charts.style_figure(fig, max(260, row_px * rows + 90), big)
    fig.update_layout(bargap=0.25)
    return fig


# ---- downloads ----------------------------------------------------------------------------

def _downloads(view: View, table: pd.DataFrame, shown: pd.DataFrame) -> None:
    lang = view.lang
    st.subheader(t("rk_downloads"))
    stem = f"ranking_{view.period.label.replace('..', '_')}"

    def workbook() -> bytes:  # built when clicked, so the "generated" time is the download's own
        return ranking_workbook(table, WorkbookMeta(
            lang=lang, period=view.period, depts=view.depts, min_cases=queries.settings().min_cases,
            targets={m.name: targets.target_of(m.name) for m in METRICS}))

    a, b, c = st.columns(3)
    with a:
        st.download_button(t("rk_download_csv"), lambda: csv_bytes(shown), file_name=f"{stem}.csv",
                           mime="text/csv", key="dl_ranking_csv", icon=":material/download:", on_click="ignore")
    with b:
        st.download_button(t("rk_download_xlsx"), workbook, file_name=f"{stem}.xlsx",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           key="dl_ranking_xlsx", icon=":material/table_view:", on_click="ignore")
    with c:
        st.download_button(t("rk_download_machine"), lambda: csv_bytes(machine_table(table)),
                           file_name=f"{stem}_machine.csv", mime="text/csv", key="dl_ranking_machine",
                           icon=":material/data_object:", on_click="ignore")

