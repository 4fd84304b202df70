"""What stands above every page: the period, the departments and the data's freshness; the
guide to the Data page while the store is empty; the notice of a period without cases.

`dashboard.py` puts these around whichever page runs. The pages themselves read the view
(`pages.view`), the engine's answers (`pages.queries`), labels (`pages.labels`), formats and
targets (`pages.formats`, `pages.targets`) and the chart style (`pages.charts`).
"""

from __future__ import annotations

import streamlit as st

from pages import evaluation, queries
from pages.formats import DASH, fmt_datetime, fmt_score, md_escape
from pages.labels import t
from pages.navigation import page_link
from pages.view import View

# The Definitions page reads these through `frame` (its rewrite is under way elsewhere); they
# live in the modules named above.
from pages.queries import case_predicate, settings, sql_text  # noqa: F401
from pages.targets import score_target, target_text, weights_text  # noqa: F401
from pages.view import current_view  # noqa: F401

def top_bar(view: View) -> None:
    """The period, the departments and the data's freshness: above every page, always."""
    bits = []
    ready = queries.store_ready()
    if ready:
        fresh = queries.freshness()
        p = view.period
        bits.append(t("fr_view_range" if p.kind == "range" else "fr_view_period", view.lang, period=p.label,
                      start=p.start.isoformat(), end=p.end.isoformat()))
        if view.depts:
            bits.append(", ".join(md_escape(d) for d in view.depts) if len(view.depts) <= 3
                        else t("fr_selected_depts", view.lang, n=len(view.depts)))
        else:
            bits.append(t("all_departments", view.lang))
        imported = fmt_datetime(fresh["last_import_at"]) if fresh["last_import_at"] else t("fr_never_imported")
        bits.append(t("data_through", view.lang, date=fresh["data_through"].isoformat(), imported=imported))
    else:
        bits.append(t("data_through", view.lang, date=DASH, imported=t("fr_never_imported", view.lang)))
    st.caption(" · ".join(bits))
    years = [y for y in queries.uncovered_years() if view.period.start.year <= y <= view.period.end.year] \
        if ready else []
    if years:
        st.warning(t("fr_uncovered", view.lang, years="、".join(map(str, years))), icon=":material/event_busy:")
    if ready:  # spec 10: which revision of the period is published, and what changed since
        evaluation.publication_notice(view)


def empty_store_guide(view: View) -> None:
    """Shown instead of any page but Data while the store holds no cases."""
    st.title(t("app_title", view.lang))
    st.info(t("no_data", view.lang), icon=":material/info:")
    page_link("data", t("fr_go_data", view.lang), view.lang)


def no_cases_notice(view: View) -> bool:
    """Say so when the period holds no case; True when it is empty (the page can stop)."""
    if queries.period_is_empty(view):
        st.info(t("no_cases_in_period", view.lang, period=view.period.label), icon=":material/info:")
        return True
    return False
