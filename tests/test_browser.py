"""The dashboard in a real browser: `streamlit run dashboard.py` and Debian's Chromium.

What only a browser shows: filters that survive a widget change and a page switch (the
URL carries them), every page drawn in both languages and in presentation mode, the CSV a
click downloads, presentation mode advancing by itself. Screenshots at 1920×1080 go to
screenshots/ (gitignored) for a look by eye.
"""

from __future__ import annotations

import io
import re
import shutil
import time
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pandas as pd
import pytest

from browser_util import (CHROMIUM, VIEWPORT, browser, chosen_tags, dashboard_server, main_text, page_url,
                          select_option, selected_text, shoot, wait_ready)
from conftest_app import build_demo_store

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                reason=f"no Chromium at {CHROMIUM} (apt-get install chromium fonts-noto-cjk)")

EXCEPTION = '[data-testid="stException"]'
SIDEBAR = '[data-testid="stSidebar"]'


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A demo store of its own (the server holds it open for writing), the figures the
    pages must show, computed before the server starts, and the running server."""
    from metrics.drilldown import data_freshness, departments
    from metrics.periods import latest_complete_quarter
    from metrics.rates import centre_metrics
    from metrics.ranking import ranking
    from metrics.store import connect
    d = tmp_path_factory.mktemp("browser")
    db = build_demo_store(d / "browser.duckdb")
    con = connect(db)
    q = latest_complete_quarter(data_freshness(con)["data_through"])
    older = q.previous().previous()
    facts = {
        "quarter": q, "older": older,
        "entry_rate": {p.label: centre_metrics(con, p)["entry_rate"] for p in (q, older)},
        "ranking": {p.label: ranking(con, p) for p in (q, older)},
        "depts": departments(con),
    }
    con.close()
    shutil.copy(db, d / "fresh.duckdb")  # for a second, untouched server
    with dashboard_server(db) as base:
        yield {"base": base, "db": db, "fresh_db": d / "fresh.duckdb", **facts}


@pytest.fixture(scope="module")
def chromium():
    with browser() as b:
        yield b


@pytest.fixture
def page(chromium):
    context = chromium.new_context(viewport=VIEWPORT, accept_downloads=True, locale="zh-CN")
    p = context.new_page()
    yield p
    context.close()


def _query(page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def _first_tile(page) -> str:
    return page.locator('[data-testid="stMetricValue"]').first.inner_text().strip()


def _nav(page, title: str) -> None:
    page.locator(f'[data-testid="stSidebarNavLink"]:has(span[label="{title}"])').click()
    page.wait_for_timeout(300)
    wait_ready(page)


# The first test is the server's first visitor: the first filter change after a fresh start
# is the one Streamlit's folder-of-pages mode used to lose.
def test_quarter_change_changes_figures_and_survives_page_switches(site, page):
    base, q, older = site["base"], site["quarter"], site["older"]
    page.goto(page_url(base, "overview"))
    wait_ready(page)
    assert selected_text(page, "quarter") == q.label
    assert _first_tile(page) == f"{site['entry_rate'][q.label] * 100:.1f}%"

    select_option(page, "quarter", older.label)
    assert _first_tile(page) == f"{site['entry_rate'][older.label] * 100:.1f}%"
    assert _first_tile(page) != f"{site['entry_rate'][q.label] * 100:.1f}%"
    assert _query(page).get("quarter") == [older.label]

    dept = site["depts"][0]
    select_option(page, "depts", dept)
    assert _query(page).get("depts") == [dept]

    for title in ("排名", "指标说明", "数据管理", "总览"):
        _nav(page, title)
        assert not page.locator(EXCEPTION).count(), title
        assert selected_text(page, "quarter") == older.label, title
        assert dept in chosen_tags(page, "depts"), title
        assert _query(page).get("quarter") == [older.label], title
        assert older.label in main_text(page), title

    # The language changes every label, not the view.
    select_option(page, "lang", "English")
    assert selected_text(page, "kind") == "Quarter" and selected_text(page, "quarter") == older.label
    assert "Data through" in main_text(page) and _query(page).get("quarter") == [older.label]

    # A copied link reproduces the view in a new tab.
    other = page.context.new_page()
    other.goto(page.url)
    wait_ready(other)
    assert selected_text(other, "quarter") == older.label and dept in chosen_tags(other, "depts")


def test_every_page_in_both_languages_and_presentation_mode(site, page):
    from pages.navigation import PAGE_SPECS
    base = site["base"]
    views = (("zh", ""), ("en", "?lang=English"), ("present", "?present=true"))
    # Three tabs load at once (three sessions on the server): a third of the waiting.
    tabs = [page] + [page.context.new_page() for _ in views[1:]]
    for spec in PAGE_SPECS:
        for tab, (_, query) in zip(tabs, views):
            tab.goto(page_url(base, spec.url_path, query), wait_until="commit")
        for tab, (tag, _) in zip(tabs, views):
            wait_ready(tab)
            where = f"{spec.url_path} {tag}"
            assert not tab.locator(EXCEPTION).count(), where
            assert tab.locator("h1").count(), where
            assert ("Data through" if tag == "en" else "数据截至") in main_text(tab), where
            if tag == "present":
                assert not tab.locator(SIDEBAR).is_visible(), where
                assert not tab.locator('header[data-testid="stHeader"]').is_visible(), where
                assert tab.locator(".st-key-exit_present button").is_visible(), where
            else:
                assert tab.locator(SIDEBAR).is_visible(), where
            shoot(tab, f"page_{spec.url_path}_{tag}")


def test_csv_download_is_the_ranking(site, page):
    base, q = site["base"], site["quarter"]
    page.goto(page_url(base, "rankings"))
    wait_ready(page)
    with page.expect_download() as dl:
        page.get_by_role("button", name=re.compile("CSV（与表格一致）")).click()
    raw = Path(dl.value.path()).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    shown = pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    want = site["ranking"][q.label]
    assert list(shown["部门"]) == list(want["dept"])
    assert list(shown["排名"]) == ["" if pd.isna(r) else str(int(r)) for r in want["rank"]]
    assert dl.value.suggested_filename == f"ranking_{q.label}.csv"

    with page.expect_download() as dl:
        page.get_by_role("button", name=re.compile("Excel")).click()
    import openpyxl
    wb = openpyxl.load_workbook(io.BytesIO(Path(dl.value.path()).read_bytes()))
    assert dl.value.suggested_filename.endswith(".xlsx")
    assert len(wb.sheetnames) == 2


def _wait_for_title(page, title: str) -> float:
    page.wait_for_function(f"() => document.querySelector('h1') && document.querySelector('h1').innerText === '{title}'",
                           timeout=30_000)
    return time.monotonic()


def test_presentation_advances_through_the_chosen_pages(site, page):
    base, older = site["base"], site["older"]
    url = page_url(base, "overview", f"?present=true&advance=6&quarter={older.label}")
    page.goto(url)
    wait_ready(page)
    shown_at = _wait_for_title(page, "部门排名")
    wait_ready(page)
    assert not page.locator(SIDEBAR).is_visible()
    assert older.label in main_text(page)  # the view travels with the slides
    assert page.url == url                  # the address is the slideshow's own
    shoot(page, "page_slideshow_advanced_to_ranking")
    back_at = _wait_for_title(page, "总览")
    assert back_at - shown_at > 4           # each slide has its time
    assert older.label in main_text(page) and page.url == url


def test_leaving_presentation_mode(site, page):
    page.goto(page_url(site["base"], "rankings", "?present=true"))
    wait_ready(page)
    assert not page.locator(SIDEBAR).is_visible()
    page.locator(".st-key-exit_present button").click()
    page.wait_for_timeout(300)
    wait_ready(page)
    assert page.locator(SIDEBAR).is_visible()
    assert "present" not in _query(page)
    assert page.get_by_role("button", name=re.compile("CSV")).count()


def test_a_fresh_server_opens_a_direct_page_link(site, page):
    # The first request a new server gets is a deep link (a wall screen after a restart,
    # a link in a message): it opens that page, with its view, and no "Page not found".
    # `?period=` is what people guess; the older and guessed addresses open their pages too.
    older = site["older"]
    with dashboard_server(site["fresh_db"]) as base:
        page.goto(f"{base}/rankings?period={older.label}")
        wait_ready(page)
        assert page.locator("h1", has_text="部门排名").count()
        assert selected_text(page, "quarter") == older.label
        assert _query(page).get("quarter") == [older.label] and "period" not in _query(page)
        assert not page.get_by_text("Page not found").count()
        for address, title in (("home?lang=English", "Overview"), ("overview", "总览"), ("ranking", "部门排名"),
                               ("definitions", "指标说明")):
            page.goto(f"{base}/{address}")
            wait_ready(page)
            assert page.locator("h1", has_text=title).count(), address
            assert not page.get_by_text("Page not found").count(), address
        # An address that names no page opens Overview (Streamlit also says it found no such page).
        page.goto(f"{base}/no-such-page")
        wait_ready(page)
        assert page.locator("h1", has_text="总览").count()
