"""Rankings 排名: every department's score and four rates with their intervals, rank
changes, flags, a chart of the scores against the score target, and downloads (CSV as
shown, a formatted Excel workbook, the machine-readable table of spec 8)."""

from __future__ import annotations

import io
from datetime import datetime

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
import xlsxwriter

from metrics.exports import csv_bytes
from metrics.ranking import machine_table
from metrics.registry import FOUR_RATES, METRICS
from pages import frame
from pages.frame import t

RATE_NAMES = [m.name for m in FOUR_RATES]


def render() -> None:
    view = frame.current_view()
    lang = view.lang
    st.title(t("rk_title"))
    table = frame.ranking_table(view)
    if table.empty:
        if not frame.period_is_empty(view):
            st.info(t("rk_empty"))
        return
    s = frame.settings()
    if not view.presentation:
        st.caption(t("rk_rules", weights=frame.weights_text(), min_cases=s.min_cases))

    _chart(view, table)

    if view.presentation:  # the wall shows the bars; the table is for reading up close
        return
    shown = display_table(table, lang, s.min_cases)
    st.subheader(t("rk_table"))
    st.dataframe(shown, hide_index=True, column_config=column_config(lang), key="ranking_table",
                 height=min(36 * (len(shown) + 1) + 4, 1500), placeholder=frame.DASH)
    _downloads(view, table, shown)


# ---- the table as shown ----------------------------------------------------------------

def display_table(table: pd.DataFrame, lang: str, min_cases: int) -> pd.DataFrame:
    """The ranking as the reader sees it (and as the CSV download writes it)."""
    out = pd.DataFrame({
        t("rk_col_rank", lang): table["rank"].astype("Int64"),
        t("rk_col_change", lang): [frame.fmt_rank_change(c, r, lang)
                                   for c, r in zip(table["rank_change"], table["ranked"])],
        t("rk_col_dept", lang): table["dept"].astype(str),
        t("rk_col_score", lang): [frame.fmt_score_interval(v, lo, hi)
                                  for v, lo, hi in zip(table["score"], table["score_low"], table["score_high"])],
    })
    for name in RATE_NAMES:
        out[frame.metric_label(name, lang)] = [
            frame.fmt_pct_interval(v, lo, hi)
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
        t("rk_col_score", lang): cc.TextColumn(help=t("rk_help_score", lang)),
        t("rk_col_cases", lang): cc.NumberColumn(help=frame.metric_help("cases", lang), format="localized"),
        t("rk_col_partial", lang): cc.TextColumn(help=t("rk_help_partial", lang), width="small"),
        t("rk_col_note", lang): cc.TextColumn(),
        t("rk_col_sig", lang): cc.TextColumn(help=t("rk_help_sig", lang), width="small"),
    }
    for name in RATE_NAMES:
        cfg[frame.metric_label(name, lang)] = cc.TextColumn(
            help=frame.metric_help(name, lang) + "\n\n" + t("rk_help_rate", lang))
    return cfg


# ---- the chart ---------------------------------------------------------------------------

def _chart(view: frame.View, table: pd.DataFrame) -> None:
    lang = view.lang
    big = view.presentation
    ranked = table[table["ranked"]].sort_values(["rank", "dept"])
    if ranked.empty:
        return
    target = frame.score_target()
    lo = max(0.0, float(ranked["score_low"].min(skipna=True)) - 5) if ranked["score_low"].notna().any() else 0.0
    if big:
        # On the wall: two columns of bars, so every department's name stays large.
        half = (len(ranked) + 1) // 2
        for col, part, key in zip(st.columns(2, gap="large"), (ranked.iloc[:half], ranked.iloc[half:]),
                                  ("ranking_chart", "ranking_chart_2")):
            if len(part):
                with col:
                    fig = frame.cached_figure(key, (view.period.label, view.depts, lang, big, target),
                                              lambda part=part: _score_figure(part, target, lo, lang, big, rows=half))
                    frame.show_figure(fig, key=key)
        return
    st.subheader(t("rk_chart"))
    fig = frame.cached_figure("ranking_chart", (view.period.label, view.depts, lang, big, target),
                              lambda: _score_figure(ranked, target, lo, lang, big, rows=len(ranked)))
    frame.show_figure(fig, key="ranking_chart")
    note = t("rk_chart_caption")
    if target is not None:
        parts = ", ".join(f"{frame.metric_label(m.name, lang)} {frame.fmt_pct(frame.target_of(m.name))}"
                          for m in FOUR_RATES if frame.target_of(m.name) is not None)
        note += " " + t("rk_score_target_note", lang, v=frame.fmt_score(target), parts=parts)
    st.caption(note)


def _score_figure(ranked: pd.DataFrame, target: float | None, lo: float, lang: str, big: bool,
                  rows: int) -> go.Figure:
    """Horizontal bars of scores, best on top, with their 95% intervals and the target."""
    colours = [frame.PALETTE["primary"] if target is None or s >= target else frame.PALETTE["secondary"]
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
        text=[frame.fmt_score(s) for s in ranked["score"]], textposition="inside", insidetextanchor="start",
        textfont=dict(color="white", size=22 if big else 13), constraintext="none",
        hovertemplate="%{y}: %{customdata:.1f}<extra></extra>",
    ))
    if target is not None:
        fig.add_vline(x=target, line=dict(color=frame.PALETTE["target"], dash="dash", width=3 if big else 2),
                      annotation_text=t("rk_score_target", lang, v=frame.fmt_score(target)),
                      annotation_position="top", annotation_font_color=frame.PALETTE["target"])
    fig.update_yaxes(autorange="reversed", automargin=True)
    fig.update_xaxes(range=[lo, 100.5], title=None)
    row_px = 46 if big else 21
    frame.style_figure(fig, height=max(260, row_px * rows + 90), presentation=big)
    fig.update_layout(bargap=0.25)
    return fig


# ---- downloads ----------------------------------------------------------------------------

def _downloads(view: frame.View, table: pd.DataFrame, shown: pd.DataFrame) -> None:
    lang = view.lang
    st.subheader(t("rk_downloads"))
    stem = f"ranking_{view.period.label.replace('..', '_')}"
    meta = {
        "lang": lang, "period": view.period.label,
        "period_span": f"{view.period.start.isoformat()} – {view.period.end.isoformat()}",
        "depts": ", ".join(view.depts) if view.depts else t("all_departments", lang),
        "targets": {m.name: frame.target_of(m.name) for m in METRICS},
        "min_cases": frame.settings().min_cases,
    }
    a, b, c = st.columns(3)
    with a:
        st.download_button(t("rk_download_csv"), lambda: csv_bytes(shown), file_name=f"{stem}.csv",
                           mime="text/csv", key="dl_ranking_csv", icon=":material/download:", on_click="ignore")
    with b:
        # Built when clicked, so the "generated" time is the download's own.
        st.download_button(t("rk_download_xlsx"), lambda: ranking_xlsx(table, meta), file_name=f"{stem}.xlsx",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           key="dl_ranking_xlsx", icon=":material/table_view:", on_click="ignore")
    with c:
        st.download_button(t("rk_download_machine"), lambda: csv_bytes(machine_table(table)),
                           file_name=f"{stem}_machine.csv", mime="text/csv", key="dl_ranking_machine",
                           icon=":material/data_object:", on_click="ignore")


def ranking_xlsx(table: pd.DataFrame, meta: dict, generated: datetime | None = None) -> bytes:
    """A formatted workbook: sheet 1 the ranking (numbers with percent formats), sheet 2 the
    definitions from the registry. Text is written as text cells, never as formulas."""
    lang = meta["lang"]
    generated = generated or datetime.now()
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                   "nan_inf_to_errors": False})
    f_title = wb.add_format({"bold": True, "font_size": 16})
    f_label = wb.add_format({"bold": True, "font_color": "#444b55"})
    f_head = wb.add_format({"bold": True, "bg_color": "#1f4e79", "font_color": "white", "text_wrap": True,
                            "valign": "vcenter", "border": 1})
    f_pct = wb.add_format({"num_format": "0.0%"})
    f_score = wb.add_format({"num_format": "0.0"})
    f_int = wb.add_format({"num_format": "#,##0"})
    f_text = wb.add_format({})
    f_wrap = wb.add_format({"text_wrap": True, "valign": "top"})

    ws = wb.add_worksheet(t("rk_xlsx_sheet_ranking", lang))
    ws.write(0, 0, t("rk_xlsx_title", lang), f_title)
    ws.write(1, 0, t("rk_xlsx_period", lang), f_label)
    ws.write(1, 1, f"{meta['period']} ({meta['period_span']})")
    ws.write(2, 0, t("rk_xlsx_depts", lang), f_label)
    ws.write_string(2, 1, meta["depts"])
    ws.write(3, 0, t("rk_xlsx_generated", lang), f_label)
    ws.write(3, 1, generated.strftime("%Y-%m-%d %H:%M:%S"))

    cols: list[tuple[str, str, object]] = [
        (t("rk_col_rank", lang), "rank", f_int),
        (t("rk_col_change", lang), "_change", f_text),
        (t("rk_col_dept", lang), "dept", f_text),
        (t("rk_chart", lang), "score", f_score),
        (f"{t('rk_chart', lang)} {t('rk_low', lang)}", "score_low", f_score),
        (f"{t('rk_chart', lang)} {t('rk_high', lang)}", "score_high", f_score),
    ]
    for m in FOUR_RATES:
        label = m.label(lang)
        cols += [(label, m.name, f_pct), (f"{label} {t('rk_low', lang)}", f"{m.name}_low", f_pct),
                 (f"{label} {t('rk_high', lang)}", f"{m.name}_high", f_pct)]
    cols += [(t("rk_col_cases", lang), "cases", f_int),
             (t("rk_col_partial", lang), "_partial", f_text),
             (t("rk_col_note", lang), "_note", f_text),
             (t("rk_col_sig", lang), "_sig", f_text)]
    derived = {
        "_change": [frame.fmt_rank_change(c, r, lang) for c, r in zip(table["rank_change"], table["ranked"])],
        "_partial": [t("rk_yes", lang) if p else "" for p in table["partial"]],
        "_note": [_note(n, lang, meta["min_cases"]) for n in table["note"]],
        "_sig": [t("rk_not_significant", lang) if x else "" for x in table["not_significant_with_next"]],
    }
    head = 5
    ws.set_row(head, 36)
    for j, (label, _, _) in enumerate(cols):
        ws.write(head, j, label, f_head)
    for i in range(len(table)):
        for j, (_, key, fmt) in enumerate(cols):
            v = derived[key][i] if key in derived else table[key].iloc[i]
            r = head + 1 + i
            if v is None or v is pd.NA or (isinstance(v, float) and v != v):
                ws.write_blank(r, j, None, fmt)
            elif isinstance(v, str):
                ws.write_string(r, j, v, fmt)  # a text cell: never run as a formula
            else:
                ws.write_number(r, j, float(v), fmt)
    ws.set_column(0, 1, 7)
    ws.set_column(2, 2, 24)
    ws.set_column(3, len(cols) - 5, 11)
    ws.set_column(len(cols) - 4, len(cols) - 1, 14)
    ws.freeze_panes(head + 1, 3)
    ws.autofilter(head, 0, head + len(table), len(cols) - 1)

    wd = wb.add_worksheet(t("rk_xlsx_sheet_definitions", lang))
    dhead = [t("df_col_metric", lang), t("df_col_name", lang), t("df_definition", lang), t("df_formula", lang),
             t("df_col_target", lang), t("df_col_better", lang), t("df_col_period_date", lang)]
    for j, label in enumerate(dhead):
        wd.write(0, j, label, f_head)
    for i, m in enumerate(METRICS, start=1):
        target = meta["targets"].get(m.name)
        wd.write(i, 0, m.label(lang), f_wrap)
        wd.write(i, 1, m.name, f_wrap)
        wd.write(i, 2, m.description(lang), f_wrap)
        wd.write(i, 3, m.formula(lang), f_wrap)
        if target is None:
            wd.write_blank(i, 4, None)
        else:
            wd.write_number(i, 4, target, f_pct if m.format == "percent" else f_score)
        wd.write(i, 5, t("df_higher" if m.better == "higher" else "df_lower", lang), f_wrap)
        wd.write(i, 6, t(f"pd_{m.period_date}", lang), f_wrap)
    wd.set_column(0, 1, 22)
    wd.set_column(2, 2, 60)
    wd.set_column(3, 3, 40)
    wd.set_column(4, 5, 10)
    wd.set_column(6, 6, 36)
    wd.freeze_panes(1, 1)
    wb.close()
    return buf.getvalue()
