"""Tables as people read them: stored codes as words, headers in the reader's language,
percent columns as numbers ×100 (so that they still sort), the first rows of a long case
list on screen and all of them in its CSV download."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import streamlit as st

from metrics.exports import csv_bytes
from metrics.registry import BY_NAME, METRICS
from pages.formats import DASH, fmt_num
from pages.labels import TEXT, metric_help, metric_label, t

TABLE_ROWS = 1_000           # rows a case table shows (formatting more costs every rerun); the download holds all

# Metrics that have a case list (catalogue measures have an item list instead).
CASE_METRICS = tuple(m.name for m in METRICS if m.period_date != "catalogue")
WORD_COLUMNS = ("item_type", "channel", "status", "level", "window_signed")
DATETIME_COLUMNS = ("accepted_at", "completed_at", "rated_at", "imported_at")
DATE_COLUMNS = ("due_date",)


def value_word(column: str, value, lang: str) -> str:
    """A stored code shown as a word: committed -> 承诺件 / Committed."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return DASH
    key = f"val_{column}_{str(value).lower()}"
    return t(key, lang) if key in TEXT else str(value)


def col_label(column: str, lang: str) -> str:
    key = f"col_{column}"
    if key in TEXT:
        return t(key, lang)
    if column in BY_NAME:
        return metric_label(column, lang)
    return column


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
            out[c] = _words(out[c], lambda v: f"{int(v)} · {t(f'val_rating_{int(v)}', lang)}")
        elif c in DATE_COLUMNS:
            out[c] = pd.to_datetime(out[c]).dt.date
    out.columns = [col_label(c, lang) for c in cols]
    return out


def _words(codes: pd.Series, word) -> pd.Series:
    """Each code replaced by its word, missing by a dash; one lookup per distinct code."""
    numbers, uniques = pd.factorize(codes)  # missing -> -1, the dash at the end
    words = np.array([word(u) for u in uniques] + [DASH], dtype=object)
    return pd.Series(words[numbers], index=codes.index, dtype=object)


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
                label, help=t(hint, lang) if hint in TEXT else None, format="%,d")
            continue
        m = BY_NAME[name]
        label = m.label(lang)
        if m.format == "percent":
            label = f"{label} %"
            out[label] = df[name].astype(float) * 100
            cfg[label] = st.column_config.NumberColumn(label, help=metric_help(name, lang), format="%.1f%%")
        elif m.format == "days":
            label = f"{label} ({t('unit_days_short', lang)})"
            out[label] = df[name].astype(float)
            cfg[label] = st.column_config.NumberColumn(label, help=metric_help(name, lang), format="%.2f")
        else:
            out[label] = pd.to_numeric(df[name]).astype("Int64")
            cfg[label] = st.column_config.NumberColumn(label, help=metric_help(name, lang), format="%,d")
    return out.reset_index(drop=True), cfg


def download(df: pd.DataFrame, file_name: str, key: str, lang: str | None = None) -> None:
    """A CSV download of exactly this frame (UTF-8 BOM, formula cells neutralised)."""
    download_built(lambda: df, file_name, key, lang)


def download_built(build, file_name: str, key: str, lang: str | None = None) -> None:
    """A CSV download of the frame `build()` returns. The file is made when the button is
    clicked, not on every run of the page: a list of 100,000 cases takes a second."""
    st.download_button(t("download_csv", lang), lambda: csv_bytes(build()), file_name=file_name,
                       mime="text/csv", key=key, icon=":material/download:", on_click="ignore")


def case_list(rows: pd.DataFrame, total: int, lang: str, columns: list[str], key: str, file_name: str,
              max_height: int = 460, chips: dict[str, dict[str, str]] | None = None,
              everything: Callable[[], pd.DataFrame] | None = None) -> None:
    """The cases behind a figure: the first TABLE_ROWS on screen, all of them in the download
    (`rows` itself, or what `everything()` fetches when the download is clicked).

    `chips` shows a column's words as coloured labels ({column: {word: colour}}), where a
    pandas Styler would take half a second per thousand rows on every run."""
    shown = case_display(rows.head(TABLE_ROWS), lang, columns)
    if total > TABLE_ROWS:
        st.caption(t("table_first_rows", n=fmt_num(TABLE_ROWS), total=fmt_num(total)))
    table, cfg = shown, case_column_config(lang)
    for column, colours in (chips or {}).items():
        label = col_label(column, lang)
        table = table.assign(**{label: [[v] for v in shown[label]]})
        cfg[label] = st.column_config.MultiselectColumn(label, options=list(colours), color=list(colours.values()))
    st.dataframe(table, column_config=cfg, hide_index=True, placeholder=DASH,
                 key=f"{key}_table", height=min(38 + 35 * len(shown), max_height))
    download_built(lambda: shown if total <= len(shown) else case_display(everything() if everything else rows,
                                                                         lang, columns),
                   file_name, key=f"{key}_csv")
