"""The evaluation cycle on the pages (spec 10): the published-revision notice above every
page, the category filter and quota table of Rankings, the bulletin downloads, and the
Data page's publishing form. Layout only: the engine is `metrics.publication`,
`metrics.grades` and `metrics.bulletin`.
"""

from __future__ import annotations

import functools

import pandas as pd
import streamlit as st

from metrics.grades import GRADE_LABELS_EN, GRADES, UNCATEGORISED, category_summary
from metrics.periods import parse_period
from metrics.publication import drift, results_for, revisions
from metrics.results import Results
from metrics.settings import Settings
from pages import queries
from pages.formats import DASH, fmt_datetime, md_escape
from pages.labels import t
from pages.view import View


# ---- cached engine calls: keyed by the data version and the number of revisions ----------

def _published_count() -> int:
    """Publishing changes no import, so the data version misses it: one cheap count per call."""
    return queries.con().cursor().execute("SELECT count(*) FROM publications").fetchone()[0]


@st.cache_data(max_entries=64, show_spinner=False)
def _publication_state(version: int, published: int, period_text: str, settings_json: str):
    return drift(queries.con(), parse_period(period_text), Settings.model_validate_json(settings_json))


def publication_state(view: View) -> tuple[Results, pd.DataFrame] | None:
    """The period's latest revision and the departments changed since; None if unpublished."""
    return _publication_state(queries.data_version(), _published_count(), view.period.label,
                              queries.settings().model_dump_json())


@st.cache_data(max_entries=32, show_spinner=False)
def _bulletin_results(version: int, published: int, period_text: str, settings_json: str) -> Results:
    return results_for(queries.con(), period_text, Settings.model_validate_json(settings_json))


def bulletin_results(view: View) -> Results:
    """What the bulletin of the view's period reports: its latest revision, else live figures."""
    return _bulletin_results(queries.data_version(), _published_count(), view.period.label,
                             queries.settings().model_dump_json())


def publication_notice(view: View) -> None:
    """Which revision of the period is published and when; when the live figures have moved
    since (a late import), a warning naming the departments whose rank, grade or score
    changed, with both values."""
    state = publication_state(view)
    if state is None:
        return
    published, changed = state
    when = fmt_datetime(published.published_at)
    note = f" · {md_escape(published.note)}" if published.note else ""
    if changed.empty:
        st.caption(t("pub_current", view.lang, revision=published.revision, at=when) + note)
        return
    names = "、".join(md_escape(d) for d in changed["dept"])
    st.warning(t("pub_drift", view.lang, revision=published.revision, at=when, n=len(changed), depts=names),
               icon=":material/published_with_changes:")
    with st.expander(t("pub_drift_details", view.lang)):
        st.dataframe(_changes_table(changed, view.lang), hide_index=True, placeholder=DASH)


def _changes_table(changed: pd.DataFrame, lang: str) -> pd.DataFrame:
    def grade(g):
        return "" if g is None else (g if lang == "zh" else GRADE_LABELS_EN.get(g, g))
    return pd.DataFrame({
        t("rk_col_dept", lang): changed["dept"],
        t("pub_col_rank_published", lang): [_int(r) for r in changed["rank_published"]],
        t("pub_col_rank_live", lang): [_int(r) for r in changed["rank_live"]],
        t("pub_col_grade_published", lang): [grade(g) for g in changed["grade_published"]],
        t("pub_col_grade_live", lang): [grade(g) for g in changed["grade_live"]],
        t("pub_col_score_published", lang): [_score(s) for s in changed["score_published"]],
        t("pub_col_score_live", lang): [_score(s) for s in changed["score_live"]],
    })


def _int(v) -> str:
    return DASH if v is None or pd.isna(v) else str(int(v))


def _score(v) -> str:
    return DASH if v is None or pd.isna(v) else f"{v:.2f}"


# ---- Rankings: categories and grades -----------------------------------------------------

def category_filter(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Pills of the categories in the table; the table cut to the chosen ones."""
    cats = sorted(set(table["category"]), key=lambda c: (c == UNCATEGORISED, c))
    if len(cats) < 2:
        return table
    chosen = st.pills(t("ev_category_filter", lang), cats, selection_mode="multi", key="rk_categories",
                      help=t("ev_category_filter_help", lang))
    return table[table["category"].isin(chosen)] if chosen else table


def grade_label(grade: str, lang: str) -> str:
    if not grade:
        return ""
    return grade if lang == "zh" else GRADE_LABELS_EN[grade]


def quota_table(table: pd.DataFrame, lang: str) -> None:
    """Per category: departments ranked, the excellent quota, and how many got each grade."""
    rules = queries.settings().grades
    s = category_summary(table, rules)
    shown = pd.DataFrame({
        t("ev_col_category", lang): s["category"],
        t("ev_col_ranked", lang): s["ranked"],
        t("ev_col_quota", lang): s["excellent_quota"],
        **{grade_label(g, lang): s[g] for g in GRADES},
    })
    st.subheader(t("ev_quota_title", lang))
    st.caption(t("ev_quota_rules", lang, share=f"{rules.excellent_share * 100:g}",
                 excellent=f"{rules.excellent_min_score:g}", good=f"{rules.good_min_score:g}",
                 passing=f"{rules.pass_min_score:g}"))
    st.dataframe(shown, hide_index=True, key="quota_table")


def bulletin_downloads(view: View) -> None:
    """The bulletin of the view's period, DOCX and PDF, made when clicked (the PDF takes
    LibreOffice a few seconds)."""
    from metrics.publication import latest_revision
    revision = latest_revision(queries.con(), view.period)
    which = (t("ev_bulletin_revision", view.lang, revision=revision) if revision
             else t("ev_bulletin_live", view.lang))
    st.caption(which)
    left, right = st.columns(2)
    name = f"bulletin-{view.period.label}"
    # The results too are read when clicked: live results count every open overdue case of the
    # store, seconds on a large one, for a button most views of the page never press.
    settings_json = queries.settings().model_dump_json()
    cached = functools.partial(_bulletin_results, queries.data_version(), _published_count(), view.period.label,
                               settings_json)
    left.download_button(t("ev_bulletin_docx", view.lang), lambda: _bulletin(cached(), "docx"),
                         file_name=f"{name}.docx", icon=":material/description:", key="bulletin_docx",
                         mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    right.download_button(t("ev_bulletin_pdf", view.lang), lambda: _bulletin(cached(), "pdf"),
                          file_name=f"{name}.pdf", icon=":material/picture_as_pdf:", key="bulletin_pdf",
                          mime="application/pdf")


def _bulletin(results, fmt: str) -> bytes:
    from metrics.bulletin import bulletin_bytes
    return bulletin_bytes(results, fmt)


# ---- Data: publishing ----------------------------------------------------------------------

PUBLISHED_KEY = "evaluation_published"


def publish_form(view: View) -> None:
    """Publish the view's period as its next revision; the revisions so far below."""
    from metrics.publication import PublicationError, publish
    from pages import access
    if not access.can("publish"):  # clerks and admins publish (docs/security.md)
        return
    lang = view.lang
    st.subheader(t("pub_title", lang))
    st.caption(t("pub_explain", lang))
    if done := st.session_state.pop(PUBLISHED_KEY, None):
        st.success(done, icon=":material/check_circle:")
    with st.form("publish_form", clear_on_submit=True):
        st.markdown(t("pub_period", lang, period=view.period.label))
        note = st.text_input(t("pub_note", lang), max_chars=200, key="publish_note")
        if st.form_submit_button(t("pub_button", lang, period=view.period.label), type="primary"):
            try:
                rev = publish(queries.con().cursor(), view.period, queries.settings(), note.strip() or None)
            except PublicationError as e:
                st.error(str(e), icon=":material/error:")
            else:
                access.record("publish", period=rev.period, revision=rev.revision, departments=rev.departments,
                              note=note.strip() or None)
                # Run the page again: the notice above every page reads the new revision.
                st.session_state[PUBLISHED_KEY] = t("pub_done", lang, period=rev.period, revision=rev.revision,
                                                    at=fmt_datetime(rev.published_at), n=rev.departments)
                st.rerun()
    revs = revisions(queries.con())
    if revs:
        st.dataframe(pd.DataFrame({
            t("pub_col_period", lang): [r.period for r in revs],
            t("pub_col_revision", lang): [r.revision for r in revs],
            t("pub_col_at", lang): [fmt_datetime(r.published_at) for r in revs],
            t("pub_col_note", lang): [r.note or "" for r in revs],
            t("pub_col_depts", lang): [r.departments for r in revs],
        }), hide_index=True, key="revisions_table")
