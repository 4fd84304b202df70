"""The dashboard's pages and their addresses: `/` (Overview), `/rankings`, `/department`,
`/timeliness`, `/satisfaction`, `/supervision`, `/data`, `/glossary` (Definitions); older and
guessed addresses (`/home`, `/ranking`, `/definitions` …) open the same pages, and an
address that names no page opens Overview. Every address takes the view's parameters
(README, "Pages and addresses").

A page is a module of `pages.screens` with a `render()` that lays it out; `dashboard.py`
lists them with `st.navigation`.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

import streamlit as st

from pages.labels import t


@dataclass(frozen=True)
class PageSpec:
    url_path: str
    title_key: str
    icon: str
    module: str          # a module of the `pages` package exposing `render()`


PAGE_SPECS: tuple[PageSpec, ...] = (
    PageSpec("overview", "nav_overview", ":material/dashboard:", "pages.screens.overview"),  # the default: at `/`
    PageSpec("rankings", "nav_rankings", ":material/leaderboard:", "pages.screens.rankings"),
    PageSpec("department", "nav_department", ":material/apartment:", "pages.screens.department"),
    PageSpec("timeliness", "nav_timeliness", ":material/timer:", "pages.screens.timeliness"),
    PageSpec("satisfaction", "nav_satisfaction", ":material/sentiment_satisfied:", "pages.screens.satisfaction"),
    PageSpec("supervision", "nav_supervision", ":material/policy:", "pages.screens.supervision"),
    PageSpec("data", "nav_data", ":material/database:", "pages.screens.data_admin"),
    PageSpec("glossary", "nav_definitions", ":material/menu_book:", "pages.screens.definitions"),
)
SPEC_BY_PATH = {p.url_path: p for p in PAGE_SPECS}
# Other addresses of the same pages: the url paths of earlier versions (links on wall screens
# and in messages still carry them) and the obvious guesses. Hidden from the navigation.
ALIASES = {
    "home": "overview", "ranking": "rankings", "dept": "department", "monitoring": "timeliness",
    "ratings": "satisfaction", "definitions": "glossary",
}
# No address may be the name of a file in `pages/`: Streamlit's folder-of-pages mode (the first
# request of a bare `streamlit run dashboard.py`, every AppTest run) would run that file instead
# of dashboard.py. Page modules live in `pages/screens/` (tests/test_addresses.py).
DEFAULT_SLIDES = ("overview", "rankings")
# Streamlit serves the default page at `/` and tells pages apart by the url path they were
# given: the default is given this one, so that `/overview` can be a (hidden) page of its own.
_DEFAULT_KEY = "start"


def canonical(url_path: str) -> str | None:
    """The page an address (or a slide name) means, in any case; None when it names none."""
    url_path = url_path.strip("/").lower()
    return url_path if url_path in SPEC_BY_PATH else ALIASES.get(url_path)


def page(url_path: str, lang: str | None = None) -> st.Page:
    """The `st.Page` of one of the dashboard's pages (for navigation, links, switching).

    Built afresh each time: Streamlit identifies a page by its url path and callable.
    """
    spec = SPEC_BY_PATH[url_path]
    default = spec is PAGE_SPECS[0]
    return st.Page(_render_of(spec), title=t(spec.title_key, lang), icon=spec.icon,
                   url_path=_DEFAULT_KEY if default else spec.url_path, default=default)


def all_pages(lang: str) -> list[st.Page]:
    """Every page for `st.navigation`, the aliases last and hidden (the default page's own
    name among them), and the address of this request when it names no page: Overview, as a
    hidden page of that address (see `unknown_address`)."""
    names = {**ALIASES, PAGE_SPECS[0].url_path: PAGE_SPECS[0].url_path}
    unknown = unknown_address()
    if unknown is not None:  # `/Rankings` opens Rankings; `/nonsense` Overview
        names[unknown] = canonical(unknown) or PAGE_SPECS[0].url_path
    aliases = [st.Page(_render_of(SPEC_BY_PATH[target]), title=t(SPEC_BY_PATH[target].title_key, lang),
                       icon=SPEC_BY_PATH[target].icon, url_path=alias, visibility="hidden")
               for alias, target in names.items()]
    return [page(p.url_path, lang) for p in PAGE_SPECS] + aliases


# What Streamlit accepts as a page's url path (one segment, no slash) and we are willing to
# take as one: a mistyped or truncated address, not arbitrary text.
_ADDRESS = re.compile(r"[A-Za-z0-9_.\-]{1,64}")


def unknown_address() -> str | None:
    """The address of this request when Streamlit knows no page by it (`/nonsense`,
    `/Rankings`), else None.

    Streamlit answers an address that no page of `st.navigation` has with its "Page not
    found" dialog, then runs the default page. The way out it documents is that the pages
    may differ from run to run: so this request's own address (the public `st.context.url`)
    is listed as one more hidden page, running the page it names in another case, else
    Overview, and nothing is "not found". What cannot be a page's url path (`/a/b`, `/总览`)
    and the default page's own key are left to Streamlit.
    """
    url = st.context.url
    if not url:
        return None
    path = unquote(urlsplit(url).path)
    base = "/" + str(st.get_option("server.baseUrlPath") or "").strip("/")
    if base != "/" and (path + "/").startswith(base + "/"):
        path = path[len(base):]
    name = path.strip("/")
    known = name in SPEC_BY_PATH or name in ALIASES or name == _DEFAULT_KEY
    if not name.strip(".") or known or not _ADDRESS.fullmatch(name):
        return None
    return name


def _render_of(spec: PageSpec):
    return importlib.import_module(spec.module).render


def render_page(url_path: str) -> None:
    """Run a page's `render()` on the current address (presentation slideshows)."""
    _render_of(SPEC_BY_PATH[url_path])()


def page_link(url_path: str, label: str | None = None, lang: str | None = None) -> None:
    st.page_link(page(url_path, lang), label=label, icon=SPEC_BY_PATH[url_path].icon)
