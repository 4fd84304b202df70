"""Presentation mode: the dashboard on a shared screen, readable from five metres.

Turned on by the sidebar toggle or `?present=true`. No sidebar, header or toolbar; large
type; an unobtrusive button to leave. Every slide is laid out to fit a 1280×720 screen, its
type growing on larger ones (1366×768, 1920×1080, 3840×2160 …). A page longer than a screen
is a sequence of slides (its tiles, then each chart, then the lists, a long ranking as many
slides as it needs), shown one at a time with "2/3" and arrows in the corner. Every page has
a wall form: Supervision its tiles and its flags a few at a time, Data the store's freshness
and its import history, Definitions its measures a few at a time (no upload, SQL or download
on a wall). With `&advance=30&slides=overview&slides=rankings` (or the sidebar's
presentation settings) the show moves on every 30 seconds through every slide of every
chosen page, on the same address: a wall screen's link is the whole show with its filters.
The arrows step through the same show, page after page.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import streamlit as st

from pages.labels import t
from pages.navigation import PAGE_SPECS
from pages.view import View

# Screens larger than 1280×720 (width, height) and how much larger a slide is drawn there:
# its type through the CSS below, its charts through `scale()`. A slide that fits 1280×720
# then fits them all.
WALL_STEPS = ((1366, 768, 20 / 19), (1600, 900, 24 / 19), (1920, 1080, 28 / 19), (2560, 1440, 38 / 19),
              (3840, 2160, 56 / 19))

# Static CSS only: no value from the data or the URL is ever written into it.
_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
[data-testid="stSidebarNav"], header[data-testid="stHeader"], [data-testid="stToolbar"],
[data-testid="stDecoration"], [data-testid="stStatusWidget"], [data-testid="stMainMenu"] {
    display: none !important;
}
/* Laid out for the smallest wall, 1280×720; type grows with the screen (WALL_STEPS). */
html { font-size: 19px; }
%(steps)s
[data-testid="stAppViewContainer"] { background: #ffffff; }
[data-testid="stMainBlockContainer"] { padding: 0.4rem 1.2rem 0.4rem 1.2rem; max-width: 100%; }
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
/* Tiles wrap their words rather than cut them ("较…", "目标 ≥ 90.…" at 1366 px). */
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] * {
    white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
}
[data-testid="stMetricLabel"] p { font-size: 1rem !important; font-weight: 600; color: #1b1f24; }
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * {
    font-size: 2.3rem !important; font-weight: 700; color: #102a43; line-height: 1.15;
    white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
}
[data-testid="stMetricDelta"], [data-testid="stMetricDelta"] * {
    font-size: 0.8rem !important; white-space: normal !important; overflow: visible !important;
    text-overflow: clip !important; flex-wrap: wrap;
}
[data-testid="stMetricDeltaDescription"], [data-testid="stMetricDeltaDescription"] * {
    white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
}
[data-testid="stMetric"] div:has(> [data-testid="stMetricDeltaDescription"]) { flex-wrap: wrap; }
[data-testid="stMarkdownBadge"] { white-space: normal !important; font-size: 0.8rem !important; }
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p {
    font-size: 0.75rem !important; color: #3b4450 !important;
}
[data-testid="stTable"] td, [data-testid="stTable"] th { font-size: 0.95rem !important; padding: 0.2rem 0.5rem; }
.st-key-exit_present { position: fixed; top: 0.3rem; right: 0.6rem; z-index: 1000; width: auto !important; }
.st-key-exit_present button, .st-key-exit_present p { font-size: 0.55rem !important; }
.st-key-exit_present button { opacity: 0.45; min-height: 0; padding: 0.1rem 0.4rem; }
.st-key-exit_present button:hover { opacity: 1; }
.st-key-wall_screen { position: fixed; left: -10px; top: -10px; width: 1px !important; overflow: hidden; }
.st-key-slide_position { position: fixed; bottom: 0.2rem; right: 0.6rem; z-index: 1000; width: auto !important;
    background: rgba(255, 255, 255, 0.85); border-radius: 0.3rem; align-items: center; }
.st-key-slide_position p { font-size: 0.7rem !important; color: #3b4450; margin: 0; }
.st-key-slide_position button { min-height: 0; padding: 0 0.35rem; opacity: 0.6; }
.st-key-slide_position button:hover { opacity: 1; }
</style>
""".replace("%(steps)s", "\n".join(
    f"@media (min-width: {w}px) and (min-height: {h}px) {{ html {{ font-size: {19 * k:.0f}px; }} }}"
    for w, h, k in WALL_STEPS))

# The wall's window size, reported by the browser: the one thing CSS cannot tell the charts.
_SCREEN_JS = """
export default function (component) {
  const { data, setStateValue } = component;
  const report = () => {
    const size = [window.innerWidth, window.innerHeight];
    if (!data || data[0] !== size[0] || data[1] !== size[1]) setStateValue("size", size);
  };
  report();
  window.addEventListener("resize", report);
  return () => window.removeEventListener("resize", report);
}
"""
_screen = st.components.v2.component("dashboard_wall_screen", js=_SCREEN_JS)

# Every page has a wall form (tests/test_presentation_fit.py measures each of its slides).
WALL_PAGES = tuple(p.url_path for p in PAGE_SPECS)


def _exit() -> None:
    st.session_state["present"] = False


def apply(view: View) -> None:
    """Style the page for the big screen, offer the way out, keep the slideshow moving."""
    st.markdown(_CSS, unsafe_allow_html=True)
    with st.container(key="wall_screen", height=1, border=False):
        known = st.session_state.get("_screen")
        got = _screen(key="screen_size", data=known, default={"size": None}, on_size_change=_noop, height=1)
        if got.size and list(got.size) != known:
            st.session_state["_screen"] = [int(v) for v in got.size][:2]
    st.button(t("fr_exit_present", view.lang), key="exit_present", on_click=_exit, type="tertiary",
              icon=":material/close_fullscreen:")
    if _advancing(view):
        _tick(view)


def _noop() -> None:
    pass


def scale() -> float:
    """How much larger than on a 1280×720 wall this screen draws a slide (1 until the browser
    has said, and off the wall); charts multiply their sizes by it."""
    view = st.session_state.get("view")
    size = st.session_state.get("_screen")
    if view is None or not view.presentation or not size:
        return 1.0
    return max([1.0] + [k for w, h, k in WALL_STEPS if size[0] >= w and size[1] >= h])


def _advancing(view: View) -> bool:
    return view.presentation and view.advance > 0 and bool(view.slides)


def slide(view: View, current: str) -> str:
    """The page to show: the one asked for, or in a slideshow the page whose turn it is.

    The slideshow stays on the page the link opened (so the address, with its filters,
    is the slideshow's own and survives a reload); it starts at that page when it is
    one of the slides.
    """
    ss = st.session_state
    shown = current
    if _advancing(view):
        show = (view.slides, view.advance)
        if ss.get("_show") != show:
            ss["_show"] = show
            ss["_slide"] = view.slides.index(current) if current in view.slides else 0
            ss["_slide_t0"] = time.monotonic()
        shown = view.slides[ss["_slide"] % len(view.slides)]
    if ss.get("_part_page") != shown:  # another page: from its first slide
        ss["_part_page"], ss["_part"] = shown, 0
    ss["_part_asked"] = False  # until the page asks `part()` which of its slides to show
    return shown


def finish(view: View) -> None:
    """After the page: in a slideshow, a page that made no slides of its own (one screen, an
    empty period) still gets the arrows, so a presenter can go on by hand."""
    if _advancing(view) and not st.session_state.get("_part_asked"):
        part(view, 1)


def part(view: View, count: int) -> int:
    """Which of a page's `count` slides this run shows; with more than one, "2/3" and arrows
    in the bottom corner step through them (so does the slideshow, whose arrows also step
    from page to page). Off the wall: 0, and the page shows everything instead."""
    ss = st.session_state
    ss["_parts"] = (ss.get("_part_page"), count)  # for the slideshow: this page's slides
    ss["_part_asked"] = True
    show = view.slides if _advancing(view) else ()
    if not view.presentation or (count <= 1 and not show):
        return 0
    index = ss["_part"] = ss.get("_part", 0) % count  # -1: the last slide (stepped back to)
    with st.container(key="slide_position", horizontal=True, gap="small"):
        st.button("‹", key="slide_prev", on_click=_step, args=(-1, count, show), type="tertiary",
                  help=t("pr_previous", view.lang))
        st.markdown(f"{index + 1}/{count}")
        st.button("›", key="slide_next", on_click=_step, args=(1, count, show), type="tertiary",
                  help=t("pr_next", view.lang))
    return index


def _step(by: int, count: int, show: tuple[str, ...] = ()) -> None:
    """One slide on or back; in a slideshow, past a page's last slide to the next page's
    first (back: to the previous page's last), else round the page's own slides."""
    ss = st.session_state
    at = ss.get("_part", 0) + by
    if show and not 0 <= at < count:
        ss["_slide"] = (ss.get("_slide", 0) + by) % len(show)
        # slide() starts a page it has not shown at its first slide; stepping back, the last.
        ss["_part_page"], ss["_part"] = show[ss["_slide"]], (0 if by > 0 else -1)
    else:
        ss["_part"] = at % count
    ss["_slide_t0"] = time.monotonic()  # a slide stepped to by hand has its full time


def chunks(items: Sequence, size: int) -> list:
    """`items` in slides of at most `size` (at least one slide, possibly empty)."""
    return [items[i:i + size] for i in range(0, len(items), size)] or [items[:0]]


def _tick(view: View) -> None:
    @st.fragment(run_every=view.advance)
    def tick() -> None:
        ss = st.session_state
        # Also runs with every full run: only move on once the slide has had its time.
        if time.monotonic() - ss.get("_slide_t0", 0.0) >= view.advance - 0.5:
            page, count = ss.get("_parts", (None, 1))
            if page == ss.get("_part_page") and ss.get("_part", 0) + 1 < count:
                ss["_part"] = ss.get("_part", 0) + 1
            else:
                ss["_slide"] = ss.get("_slide", 0) + 1
                ss["_part"] = 0
            ss["_slide_t0"] = time.monotonic()
            st.rerun(scope="app")

    tick()
