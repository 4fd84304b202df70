"""The dashboard: `streamlit run dashboard.py`.

The frame every page shares: the sidebar filters (bound to the URL), the view they make,
the data's freshness above every page, the guide to the Data page while the store is
empty, and presentation mode. Pages are `render()` callables of the `pages` package; each
is layout only and reads the view from `frame.current_view()`.
"""

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from pages import frame, presentation

# Because a folder named `pages/` sits beside this file, the first run of a fresh server
# process (and every AppTest run) starts in Streamlit's old folder-of-pages mode, where
# this script runs as a page of its own and its widgets get other ids than in later runs:
# the first filter change would be lost. `st.navigation` ends that mode for the process;
# one immediate rerun then puts every widget on its lasting id.
_FOLDER_MODE = bool(PagesManager.uses_pages_directory)

st.set_page_config(page_title="政务服务中心绩效看板", page_icon=":material/account_balance:", layout="wide")

view = frame.sidebar_view()
frame.set_view(view)

nav = st.navigation([frame.page(p.url_path, view.lang) for p in frame.PAGE_SPECS])
if _FOLDER_MODE:
    st.rerun()
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
