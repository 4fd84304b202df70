"""The dashboard: `python serve.py` (what `./run.sh dashboard` runs; see there why not a bare
`streamlit run dashboard.py`).

The frame every page shares: the sidebar filters (bound to the URL), the view they make,
the data's freshness above every page, the guide to the Data page while the store is
empty, and presentation mode. Pages are `render()` callables of `pages/screens/`, listed
with their addresses in `pages/navigation.py`; each is layout only and reads the view from
`pages.view.current_view()`.
"""

import streamlit as st

from pages import frame, navigation, presentation, queries
from pages import view as views

st.set_page_config(page_title="政务服务中心绩效看板", page_icon=":material/account_balance:", layout="wide")

queries.begin_run()
view = views.sidebar_view()
views.set_view(view)

nav = st.navigation(navigation.all_pages(view.lang))
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
