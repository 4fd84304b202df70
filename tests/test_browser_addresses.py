"""Addresses in a real browser, on the first request a fresh server gets (where Streamlit
decides what an address means): an unknown address lands on Overview without Streamlit's
"Page not found" dialog, a page's name in other capitals opens that page, `kind` in any form
is written back as its code, and a bare `streamlit run dashboard.py` (no serve.py) opens
/definitions as the dashboard's Definitions page, not as a file of pages/."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from browser_util import CHROMIUM, browser, dashboard_server, selected_text, wait_ready
from conftest import build_small_store

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                reason=f"no Chromium at {CHROMIUM} (apt-get install chromium fonts-noto-cjk)")

NOT_FOUND = "Page not found"  # Streamlit's dialog


@pytest.fixture(scope="module")
def tab(tmp_path_factory):
    with browser() as b:
        page = b.new_page(viewport={"width": 1280, "height": 800})
        yield page


def _open(tab, url: str):
    tab.goto(url)
    wait_ready(tab)
    tab.wait_for_timeout(300)  # the dialog, if any, comes with the first run's messages
    return tab


def _title(tab) -> str:
    return tab.locator('[data-testid="stMain"] h1').first.inner_text().strip()


def test_an_unknown_address_lands_on_overview_without_the_dialog(tmp_path, tab):
    db = build_small_store(tmp_path / "small.duckdb")
    with dashboard_server(db) as base:
        _open(tab, f"{base}/no-such-page?lang=English&kind=MONTH")  # the server's first request
        assert _title(tab) == "Overview"
        assert not tab.get_by_text(NOT_FOUND).count()
        url = urlparse(tab.url)
        assert url.path == "/no-such-page"  # the address stays, like an older address
        assert parse_qs(url.query).get("kind") == ["month"]  # written back as its code
        assert selected_text(tab, "kind") == "Month"
        _open(tab, f"{base}/Rankings")
        assert _title(tab) == "部门排名" and not tab.get_by_text(NOT_FOUND).count()
        _open(tab, f"{base}/definitions?slides=home")
        assert _title(tab) == "指标说明" and not tab.get_by_text(NOT_FOUND).count()
        assert parse_qs(urlparse(tab.url).query).get("slides") == ["overview"]  # today's name


def test_a_bare_streamlit_run_opens_definitions_as_the_dashboards_page(tmp_path, tab):
    # pages/definitions.py once ran as a script of its own here: no sidebar, no view, no page.
    db = build_small_store(tmp_path / "small.duckdb")
    with dashboard_server(db, bare=True) as base:
        _open(tab, f"{base}/definitions")  # the first request: Streamlit's folder-of-pages mode
        assert _title(tab) == "指标说明"
        assert tab.locator('[data-testid="stSidebar"] .st-key-lang').count()  # the dashboard's frame
        assert tab.locator('[data-testid="stTable"]').count()  # the page itself: the measures' summary
        # (This first request also shows the dialog, over the right page: README says so.)
        _open(tab, f"{base}/no-such-page")
        assert _title(tab) == "总览" and not tab.get_by_text(NOT_FOUND).count()
