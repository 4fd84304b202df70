"""Presentation mode: the dashboard on a shared screen, readable from five metres.

Turned on by the sidebar toggle or `?present=true`. No sidebar, header or toolbar; large
type; an unobtrusive button to leave. With `&advance=30&slides=home&slides=ranking` (or the
sidebar's presentation settings) it shows the next chosen page every 30 seconds, on the
same address: a wall screen's link is the whole slideshow with its filters.
"""

from __future__ import annotations

import time

import streamlit as st

from pages.labels import t
from pages.view import View

# Static CSS only: no value from the data or the URL is ever written into it.
_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
[data-testid="stSidebarNav"], header[data-testid="stHeader"], [data-testid="stToolbar"],
[data-testid="stDecoration"], [data-testid="stStatusWidget"], [data-testid="stMainMenu"] {
    display: none !important;
}
html { font-size: 28px; }
[data-testid="stAppViewContainer"] { background: #ffffff; }
[data-testid="stMainBlockContainer"] { padding: 0.6rem 1.4rem 0.6rem 1.4rem; max-width: 100%; }
[data-testid="stMain"] p, [data-testid="stMain"] li, [data-testid="stMain"] td, [data-testid="stMain"] th {
    font-size: 1rem; line-height: 1.35;
}
[data-testid="stMain"] [data-testid="stVerticalBlock"] { gap: 0.45rem; }
[data-testid="stMain"] [data-testid="stHorizontalBlock"] { gap: 0.6rem; }
h1 { font-size: 1.6rem !important; padding: 0 0 0.1rem 0 !important; color: #102a43; }
h2, h3 { font-size: 1.2rem !important; padding: 0.3rem 0 0.2rem 0 !important; color: #102a43; }
h1, h2, h3, h1 *, h2 *, h3 * { line-height: 1.3 !important; }
/* Streamlit pulls headings up by one block gap (1rem); the gap here is smaller. */
[data-testid="stHeading"] [data-testid="stMarkdownContainer"] { margin-bottom: 0 !important; }
[data-testid="stMetricLabel"] p { font-size: 1rem !important; font-weight: 600; color: #1b1f24; }
[data-testid="stMetricValue"], [data-testid="stMetricValue"] p {
    font-size: 2.5rem !important; font-weight: 700; color: #102a43; line-height: 1.15;
}
[data-testid="stMetricDelta"], [data-testid="stMetricDelta"] p { font-size: 0.85rem !important; }
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p {
    font-size: 0.75rem !important; color: #3b4450 !important;
}
[data-testid="stTable"] td, [data-testid="stTable"] th { font-size: 0.95rem !important; padding: 0.2rem 0.5rem; }
.st-key-exit_present { position: fixed; top: 0.3rem; right: 0.6rem; z-index: 1000; }
.st-key-exit_present button, .st-key-exit_present p { font-size: 0.55rem !important; }
.st-key-exit_present button { opacity: 0.45; min-height: 0; padding: 0.1rem 0.4rem; }
.st-key-exit_present button:hover { opacity: 1; }
</style>
"""


def _exit() -> None:
    st.session_state["present"] = False


def apply(view: View) -> None:
    """Style the page for the big screen, offer the way out, keep the slideshow moving."""
    st.markdown(_CSS, unsafe_allow_html=True)
    st.button(t("fr_exit_present", view.lang), key="exit_present", on_click=_exit, type="tertiary",
              icon=":material/close_fullscreen:")
    if _advancing(view):
        _tick(view)


def _advancing(view: View) -> bool:
    return view.presentation and view.advance > 0 and bool(view.slides)


def slide(view: View, current: str) -> str:
    """The page to show: the one asked for, or in a slideshow the slide whose turn it is.

    The slideshow stays on the page the link opened (so the address, with its filters,
    is the slideshow's own and survives a reload); it starts at that page when it is
    one of the slides.
    """
    if not _advancing(view):
        return current
    ss = st.session_state
    show = (view.slides, view.advance)
    if ss.get("_show") != show:
        ss["_show"] = show
        ss["_slide"] = view.slides.index(current) if current in view.slides else 0
        ss["_slide_t0"] = time.monotonic()
    return view.slides[ss["_slide"] % len(view.slides)]


def _tick(view: View) -> None:
    @st.fragment(run_every=view.advance)
    def tick() -> None:
        ss = st.session_state
        # Also runs with every full run: only move on once the slide has had its time.
        if time.monotonic() - ss.get("_slide_t0", 0.0) >= view.advance - 0.5:
            ss["_slide"] = ss.get("_slide", 0) + 1
            ss["_slide_t0"] = time.monotonic()
            st.rerun(scope="app")

    tick()
