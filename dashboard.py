"""The dashboard: `streamlit run dashboard.py`.

The frame every page shares: the sidebar filters (bound to the URL), the view they make,
the data's freshness above every page, the guide to the Data page while the store is
empty, and presentation mode. Pages are `render()` callables of the `pages` package; each
is layout only and reads the view from `frame.current_view()`.
"""

import streamlit as st

from pages import frame, presentation

# A folder named `pages/` sits beside this file, so Streamlit starts a process in its old
# folder-of-pages mode, running this script as one page of that folder until
# `st.navigation` below ends the mode. `serve.py` (what ./run.sh runs) ends it before the
# server starts; AppTest starts every run in it, and so does a bare `streamlit run
# dashboard.py` on its first request. Hence no url path may equal the name of a file in
# `pages/` (that file would run instead of this script): tests/test_app_frame.py checks it.
# (An immediate `st.rerun()` out of the mode was tried: it made the first session's filter
# changes miss the URL now and then.)

st.set_page_config(page_title="政务服务中心绩效看板", page_icon=":material/account_balance:", layout="wide")

frame.begin_run()
view = frame.sidebar_view()
frame.set_view(view)

nav = st.navigation([frame.page(p.url_path, view.lang) for p in frame.PAGE_SPECS])
current = nav.url_path or frame.PAGE_SPECS[0].url_path
shown = presentation.slide(view, current)  # a slideshow shows its slides on one address

if view.presentation:
    presentation.apply(view)
frame.top_bar(view)

if not frame.store_ready() and shown != "data":
    frame.empty_store_guide(view)
else:
    if shown not in ("data", "glossary") and frame.period_is_empty(view):
        frame.no_cases_notice(view)
    if shown == current:
        nav.run()
    else:
        frame.render_page(shown)
