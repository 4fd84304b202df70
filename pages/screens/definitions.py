"""Definitions 指标说明: every metric as the registry declares it — label, definition,
formula, target and direction, the date that puts a case into a period, its numerator and
denominator with their case filters — the ranking rules, and the SQL rendered from those
declarations (the per-day aggregates, the per-item table, each figure's case predicate).

On a wall (presentation mode) the measures are slides of a few each, the four rates first,
then the ranking rules; the SQL is for reading up close.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from metrics.registry import METRICS
from metrics.render import part_text
from pages import frame, presentation
from pages.frame import t

# The SQL behind the figures: the last three are rendered from the registry's declarations.
SQL_FILES = ("daily_aggregates", "dept_period", "catalogue_period", "item_parts", "case_facts")
# Measures on a wall slide, two rows of two: the longest English definitions (open overdue
# cases, 226 characters) still fit a 1280×720 slide. The registry lists the four rates first,
# so they make the first slide.
WALL_MEASURES = 4


def render() -> None:
    view = frame.current_view()
    lang = view.lang
    st.title(t("df_title"))
    if view.presentation:
        slides = [*(lambda ms=ms: _measure_cards(ms, lang) for ms in presentation.chunks(METRICS, WALL_MEASURES)),
                  lambda: _ranking_rules(lang)]
        slides[presentation.part(view, len(slides))]()
        return
    st.markdown(t("df_intro"))

    st.subheader(t("df_summary"))
    # A static table: it wraps the long formulas and dates, where a data grid cut them off.
    st.table(summary_table(lang).set_index(t("df_col_metric", lang)))

    st.subheader(t("df_details"))
    for m in METRICS:
        with st.expander(f"{m.label(lang)} · `{m.name}`", expanded=False):
            st.markdown(f"**{t('df_definition')}**　{m.description(lang)}")
            st.markdown(f"**{t('df_formula')}**　{m.formula(lang)}")
            st.markdown(f"**{t('df_col_target')}**　{frame.target_text(m.name, lang)}"
                        f"　·　**{t('df_col_better')}**　{t('df_higher' if m.better == 'higher' else 'df_lower')}")
            st.markdown(f"**{t('df_col_period_date')}**　{t(f'pd_{m.period_date}')}")
            st.markdown(f"**{t('df_numerator')}**　{part_text(m.numerator, lang)}")
            if m.denominator:
                st.markdown(f"**{t('df_denominator')}**　{part_text(m.denominator, lang)}")
            numerator = frame.case_predicate(m.name, "numerator")
            if numerator is None:
                st.caption(t("df_catalogue_sql"))
                continue
            st.markdown(f"**{t('df_cases_numerator')}**")
            st.code(numerator, language="sql", wrap_lines=True)
            denominator = frame.case_predicate(m.name, "denominator")
            if m.denominator and denominator != numerator:
                st.markdown(f"**{t('df_cases_denominator')}**")
                st.code(denominator, language="sql", wrap_lines=True)

    _ranking_rules(lang)

    st.subheader(t("df_sql"))
    st.caption(t("df_sql_intro"))
    for tab, name in zip(st.tabs([f"{name}.sql" for name in SQL_FILES], key="definitions_sql"), SQL_FILES):
        with tab:
            st.caption(t(f"df_sql_{name}"))
            st.code(frame.sql_text(name), language="sql", line_numbers=True)


def _measure_cards(measures, lang: str) -> None:
    """A wall slide: each measure's definition, formula, target and direction, in a card."""
    for row in presentation.chunks(measures, 2):
        for col, m in zip(st.columns(2), row):
            with col, st.container(border=True, height="stretch"):
                st.markdown(f"**{m.label(lang)}**")
                st.markdown(m.description(lang))
                st.markdown(f"**{t('df_formula', lang)}**　{m.formula(lang)}")
                st.markdown(f"**{t('df_col_target', lang)}**　{frame.target_text(m.name, lang)}"
                            f"　·　**{t('df_col_better', lang)}**　"
                            f"{t('df_higher' if m.better == 'higher' else 'df_lower', lang)}")


def _ranking_rules(lang: str) -> None:
    st.subheader(t("df_ranking_rules", lang))
    s = frame.settings()
    st.markdown(t("df_ranking_text", lang, weights=frame.weights_text(lang), min_cases=s.min_cases,
                  score_target=frame.fmt_score(frame.score_target())))


def summary_table(lang: str) -> pd.DataFrame:
    return pd.DataFrame({
        t("df_col_metric", lang): [m.label(lang) for m in METRICS],
        t("df_col_name", lang): [m.name for m in METRICS],
        t("df_col_four", lang): ["✓" if m.four_rate else "" for m in METRICS],
        t("df_col_target", lang): [frame.target_text(m.name, lang) for m in METRICS],
        t("df_col_better", lang): [t("df_higher" if m.better == "higher" else "df_lower", lang) for m in METRICS],
        t("df_col_period_date", lang): [t(f"pd_{m.period_date}", lang) for m in METRICS],
        t("df_formula", lang): [m.formula(lang) for m in METRICS],
    })
