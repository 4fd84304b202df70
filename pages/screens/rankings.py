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
# More departments than this (a centre of 50,000 once drew 50,000 bars and never finished):
# the chart shows the top and bottom N and the departments found by name, the table a page
# at a time.
MANY = 60
FOCUS_DEFAULT, FOCUS_MAX = 20, 50
FOUND_IN_CHART = 10   # found departments drawn in the chart besides the top and bottom N
TABLE_PAGE = 100      # rows of the table at a time when there are many


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
    many = len(table) > MANY
    n, query = _focus_controls(lang) if many and not view.presentation else (FOCUS_DEFAULT, "")
    found = _found(table, query)
    _chart(view, table, n if many else None, list(found["dept"][:FOUND_IN_CHART]))

    if view.presentation:  # the wall shows the bars; the table is for reading up close
        return
    st.subheader(t("rk_table"))
    rows = _table_rows(table, found, query, lang) if many else table
    shown = display_table(rows, lang, s.min_cases)
    st.dataframe(shown, hide_index=True, column_config=column_config(lang), key="ranking_table",
                 height=min(36 * (len(shown) + 1) + 4, 1500), placeholder=fmt.DASH)
    # Every department in the downloads, whatever page of the table is shown.
    _downloads(view, table, lambda: display_table(table, lang, s.min_cases))
    evaluation.quota_table(every, lang)
    st.subheader(t("ev_bulletin_title", lang))
    evaluation.bulletin_downloads(view)


# ---- many departments: top and bottom N, search, a page of the table at a time --------------

def _focus_controls(lang: str) -> tuple[int, str]:
    a, b = st.columns([1, 2])
    with a:
        n = st.number_input(t("rk_focus_n", lang), min_value=5, max_value=FOCUS_MAX, value=FOCUS_DEFAULT, step=5,
                            key="rk_focus_n", help=t("rk_focus_n_help", lang))
    with b:
        query = st.text_input(t("rk_search", lang), key="rk_search", placeholder=t("rk_search_placeholder", lang),
                              max_chars=200)
    return int(n), query.strip()


def _found(table: pd.DataFrame, query: str) -> pd.DataFrame:
    """The departments whose name holds `query` (as typed, letters in any case), in table order."""
    if not query:
        return table.iloc[0:0]
    return table[table["dept"].astype(str).str.contains(query, case=False, regex=False)]


def _table_rows(table: pd.DataFrame, found: pd.DataFrame, query: str, lang: str) -> pd.DataFrame:
    """The found departments (with their ranks), or one page of the whole table."""
    if query:
        if found.empty:
            st.info(t("rk_search_none", lang, q=fmt.md_escape(query)))
        else:
            st.caption(t("rk_search_count", lang, q=fmt.md_escape(query), k=f"{len(found):,}")
                       + (" " + t("rk_search_first", lang, m=TABLE_PAGE) if len(found) > TABLE_PAGE else ""))
        return found.head(TABLE_PAGE)
    pages = -(-len(table) // TABLE_PAGE)
    page = st.number_input(t("rk_page", lang, pages=f"{pages:,}"), min_value=1, max_value=pages, value=1,
                           step=1, key="rk_page")
    first = (int(page) - 1) * TABLE_PAGE
    rows = table.iloc[first:first + TABLE_PAGE]
    st.caption(t("rk_page_caption", lang, a=f"{first + 1:,}", b=f"{first + len(rows):,}", total=f"{len(table):,}"))
    return rows


def chart_rows(ranked: pd.DataFrame, n: int | None, found: list[str], lang: str,
               gaps: bool = True) -> pd.DataFrame:
    """The bars to draw: every ranked department, or (n given) the top n, the bottom n and
    the `found` ones, in rank order, with a `label` for each bar and (`gaps`) an empty row
    naming the ranks left out wherever some are. `found` marks the found ones."""
    ranked = ranked.reset_index(drop=True)
    keep = set(range(len(ranked))) if n is None else (
        set(range(min(n, len(ranked)))) | set(range(max(0, len(ranked) - n), len(ranked)))
        | set(ranked.index[ranked["dept"].isin(found)]))
    labels = [f"{r}. {d}" for r, d in zip(ranked["rank"], ranked["dept"])]
    out, previous, n_gaps = [], -1, 0
    for i in sorted(keep):
        if gaps and i > previous + 1:
            skipped = ranked["rank"].iloc[previous + 1:i]
            # Labels must be unique on a category axis: a zero-width space after the second
            # gap keeps it apart from the first when both hold the same tied rank.
            out.append({"label": t("rk_gap", lang, a=f"{int(skipped.min()):,}", b=f"{int(skipped.max()):,}")
                        + "\u200b" * n_gaps, "gap": True})
            n_gaps += 1
        out.append({**ranked.iloc[i].to_dict(), "label": labels[i], "gap": False})
        previous = i
    rows = pd.DataFrame(out)
    rows["found"] = rows["dept"].isin(found) if "dept" in rows else False
    for c in ("score", "score_low", "score_high"):
        rows[c] = pd.to_numeric(rows[c], errors="coerce")
    return rows


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

def _chart(view: View, table: pd.DataFrame, n: int | None = None, found: list[str] | None = None) -> None:
    """The scores as bars; `n`: only the top and bottom n and the `found` departments."""
    lang = view.lang
    big = view.presentation
    ranked = table[table["ranked"]].sort_values(["rank", "dept"])
    if ranked.empty:
        return
    target = targets.score_target()
    lo = max(0.0, float(ranked["score_low"].min(skipna=True)) - 5) if ranked["score_low"].notna().any() else 0.0
    many = n is not None and len(ranked) > 2 * n
    total = len(ranked)
    if many:  # the axis as for every department, so the bars compare as before
        ranked = chart_rows(ranked, n, [] if big else (found or []), lang, gaps=not big)
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
                                                 tuple(ranked.get("label", ranked["dept"])),
                                                 tuple(ranked.get("found", ()))),
                              lambda: _score_figure(ranked, target, lo, lang, big, rows=len(ranked)))
    charts.show_figure(fig, key="ranking_chart")
    note = t("rk_chart_caption")
    if many:
        found_here = int(ranked["found"].sum())
        note += " " + t("rk_chart_focus", lang, n=n, total=f"{total:,}") + (
            " " + t("rk_chart_found", lang, k=found_here) if found_here else "")
    if target is not None:
        parts = ", ".join(f"{metric_label(m.name, lang)} {fmt.fmt_pct(targets.target_of(m.name))}"
                          for m in FOUR_RATES if targets.target_of(m.name) is not None)
        note += " " + t("rk_score_target_note", lang, v=fmt.fmt_score(target), parts=parts)
    st.caption(note)


def _score_figure(ranked: pd.DataFrame, target: float | None, lo: float, lang: str, big: bool,
                  rows: int) -> go.Figure:
    """Horizontal bars of scores, best on top, with their 95% intervals and the target.
    Rows of `chart_rows` bring their own labels; a gap row has no bar; a found department
    is drawn in the warning colour."""
    found = ranked["found"] if "found" in ranked else pd.Series(False, index=ranked.index)
    colours = [charts.PALETTE["warn"] if f else
               charts.PALETTE["primary"] if target is None or s >= target else charts.PALETTE["secondary"]
               for s, f in zip(ranked["score"], found)]
    labels = ranked["label"] if "label" in ranked else [f"{r}. {d}" for r, d in zip(ranked["rank"], ranked["dept"])]
    # Bars start at the axis' left end (`base`), so each score can be written at the bar's
    # start, clear of the interval whiskers at its end.
    fig = go.Figure(go.Bar(
        x=ranked["score"] - lo, base=lo, customdata=ranked["score"],
        y=list(labels), orientation="h",
        marker_color=colours,
        error_x=dict(type="data", symmetric=False, array=ranked["score_high"] - ranked["score"],
                     arrayminus=ranked["score"] - ranked["score_low"], color="#5f6670",
                     thickness=2 if big else 1.5, width=4 if big else 3),
        text=["" if pd.isna(s) else fmt.fmt_score(s) for s in ranked["score"]], textposition="inside",
        insidetextanchor="start",
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

def _downloads(view: View, table: pd.DataFrame, shown) -> None:
    """`shown`: builds the table as shown (every department), when the CSV is clicked."""
    lang = view.lang
    st.subheader(t("rk_downloads"))
    stem = f"ranking_{view.period.label.replace('..', '_')}"

    def workbook() -> bytes:  # built when clicked, so the "generated" time is the download's own
        return ranking_workbook(table, WorkbookMeta(
            lang=lang, period=view.period, depts=view.depts, min_cases=queries.settings().min_cases,
            targets={m.name: targets.target_of(m.name) for m in METRICS}))

    a, b, c = st.columns(3)
    with a:
        st.download_button(t("rk_download_csv"), lambda: csv_bytes(shown()), file_name=f"{stem}.csv",
                           mime="text/csv", key="dl_ranking_csv", icon=":material/download:", on_click="ignore")
    with b:
        st.download_button(t("rk_download_xlsx"), workbook, file_name=f"{stem}.xlsx",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           key="dl_ranking_xlsx", icon=":material/table_view:", on_click="ignore")
    with c:
        st.download_button(t("rk_download_machine"), lambda: csv_bytes(machine_table(table)),
                           file_name=f"{stem}_machine.csv", mime="text/csv", key="dl_ranking_machine",
                           icon=":material/data_object:", on_click="ignore")

