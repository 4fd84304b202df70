"""The dashboard: `python serve.py` (what `./run.sh dashboard` runs; see there why not a bare
`streamlit run dashboard.py`).

The frame every page shares: the sidebar filters (bound to the URL), the view they make,
the data's freshness above every page, the guide to the Data page while the store is
empty, and presentation mode. Pages are `render()` callables of `pages/screens/`, listed
with their addresses in `pages/navigation.py`; each is layout only and reads the view from
`pages.view.current_view()`.
"""

import duckdb
import streamlit as st

from pages import access, faults, frame, navigation, presentation, queries, timing
from pages import view as views

st.set_page_config(page_title="政务服务中心绩效看板", page_icon=":material/account_balance:", layout="wide")
timing.begin()  # off unless METRICS_TIMING_LOG is set (bench/load.py)

# Before anything of the data: a visitor who is not signed in sees the sign-in only, whatever
# the address (docs/security.md).
user = access.gate()

queries.begin_run()
try:
    view = views.sidebar_view()
    views.set_view(view)
    access.sidebar(user, view.lang)

    # Pages a role may not use are not in the navigation, so their address opens the default page.
    pages = [p for p in navigation.all_pages(view.lang)
             if navigation.canonical(p.url_path) != "data" or user.can("data_page")]
    nav = st.navigation(pages)
    current = navigation.canonical(nav.url_path) or navigation.PAGE_SPECS[0].url_path
    shown = presentation.slide(view, current)  # a slideshow shows its slides on one address

    if view.presentation:
        presentation.apply(view)
    frame.top_bar(view)

    if not queries.store_ready() and shown != "data":
        frame.empty_store_guide(view)
    else:
        if shown not in ("data", "glossary") and queries.period_is_empty(view):
            frame.no_cases_notice(view)
        if shown == current:
            nav.run()
        else:
            navigation.render_page(shown)
        presentation.finish(view)
except (duckdb.Error, OSError) as e:
    # A missing, damaged or locked store, or a query that failed: what happened and what to do;
    # the details go to the server's log, never to the visitor.
    timing.end(None, e)
    faults.store_failure(e, user)
except BaseException as e:  # st.rerun / st.stop too: the run ends here either way
    timing.end(locals().get("shown"), e)
    raise
else:
    timing.end(shown)
