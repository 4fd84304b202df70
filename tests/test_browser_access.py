"""In a real browser, by direct URL (issue 11, parts 1 and 4): an anonymous visitor sees only
the sign-in, a viewer cannot reach the Data page (import, publish, mapping), a department
user cannot read another department's cases; and department and item names written as markup
are drawn as text in every chart.

Debian's Chromium driven by Playwright against `serve.py` (tests/browser_util.py);
screenshots in screenshots/.
"""

from __future__ import annotations

import urllib.parse

import pytest

from metrics import audit, auth
from metrics.ingest import import_file
from metrics.store import connect
from tests.browser_util import VIEWPORT, browser, dashboard_server, goto, main_text, page_url, shoot, wait_ready
from tests.conftest_app import build_demo_store

PASSWORD = "correct horse battery"
LINK = '<a href="http://evil.example/">点我</a>'
BIG = '<span style="font-size:80px">大</span>'
PAGES = ["overview", "rankings", "department", "timeliness", "satisfaction"]


@pytest.fixture(scope="module")
def accounts(tmp_path_factory):
    """A demo store in accounts mode with a viewer and a department user."""
    d = tmp_path_factory.mktemp("browser_accounts")
    db = build_demo_store(d / "demo.duckdb", cases=20_000)
    con = connect(db)
    depts = [r[0] for r in con.execute(
        "SELECT dept FROM cases GROUP BY dept ORDER BY count(*) DESC LIMIT 2").fetchall()]
    con.close()
    access = audit.open_access(db)
    auth.add_user(access, "vera", "viewer", PASSWORD, actor="test")
    auth.add_user(access, "dora", "department", PASSWORD, depts[0], actor="test")
    access.close()
    config = d / "dashboard.toml"
    config.write_text('[auth]\nmode = "accounts"\n', encoding="utf-8")
    return {"db": db, "config": config, "own": depts[0], "other": depts[1]}


def sign_in(page, name: str) -> None:
    page.get_by_role("textbox", name="User name").fill(name)
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    # Hashing the password takes a second or more on a busy machine: wait for the form to go.
    page.get_by_role("textbox", name="Password").wait_for(state="detached", timeout=60_000)
    wait_ready(page)


@pytest.fixture(scope="module")
def accounts_server(accounts):
    mp = pytest.MonkeyPatch()
    mp.setenv("METRICS_CONFIG", str(accounts["config"]))
    try:
        with dashboard_server(accounts["db"]) as base:
            yield base
    finally:
        mp.undo()


@pytest.mark.parametrize("url_path", ["overview", "rankings", "department", "timeliness", "data"])
def test_an_anonymous_visitor_sees_only_the_sign_in(accounts_server, url_path):
    with browser() as b:
        page = b.new_page(viewport=VIEWPORT)
        goto(page, page_url(accounts_server, url_path, "?lang=English&period=2025"))
        text = main_text(page)
        assert "Sign in · Service-centre performance dashboard" in text
        assert page.locator('[data-testid="stPlotlyChart"], [data-testid="stDataFrame"], '
                            '[data-testid="stMetric"], [data-testid="stFileUploader"]').count() == 0
        assert page.locator('[data-testid="stSidebarNav"] a').count() == 0
        if url_path == "data":
            shoot(page, "access_anonymous_data")


def test_a_viewer_cannot_reach_the_data_page(accounts_server):
    with browser() as b:
        page = b.new_page(viewport=VIEWPORT)
        goto(page, page_url(accounts_server, "data", "?lang=English"))
        sign_in(page, "vera")
        # Signed in on /data: the page is not the viewer's, so the default page is shown instead.
        assert page.locator('[data-testid="stFileUploader"]').count() == 0
        assert "Choose a file" not in main_text(page)
        links = page.locator('[data-testid="stSidebarNav"] a').all_inner_texts()
        assert links and not any("Data" in link for link in links), links
        goto(page, page_url(accounts_server, "data", "?lang=English"))  # asked for again, directly
        sign_in(page, "vera")
        assert page.locator('[data-testid="stFileUploader"]').count() == 0
        assert "Publish" not in main_text(page)
        shoot(page, "access_viewer_data_url")


def test_a_department_user_cannot_read_another_departments_cases(accounts, accounts_server):
    other = urllib.parse.quote(accounts["other"])
    with browser() as b:
        page = b.new_page(viewport=VIEWPORT)
        goto(page, page_url(accounts_server, "department", f"?lang=English&period=2025&dept_detail={other}"))
        sign_in(page, "dora")
        text = main_text(page)
        assert accounts["other"] in text  # the other department's figures: allowed
        shoot(page, "access_department_other")
        assert case_count(page) == "0"
        own = urllib.parse.quote(accounts["own"])
        # A new address loads a new session: signed in again (the sign-in lives in the session).
        goto(page, page_url(accounts_server, "department", f"?lang=English&period=2025&dept_detail={own}"))
        sign_in(page, "dora")
        shoot(page, "access_department_own")
        assert case_count(page) not in ("0", "")


def case_count(page) -> str:
    """The count above the list of the cases behind a figure (its tile is labelled exactly "Cases")."""
    tiles = page.locator('[data-testid="stMetric"]')
    for i in range(tiles.count()):
        tile = tiles.nth(i)
        if tile.locator('[data-testid="stMetricLabel"]').inner_text().strip() == "Cases":
            return tile.locator('[data-testid="stMetricValue"]').inner_text().strip()
    raise AssertionError([tiles.nth(i).inner_text() for i in range(tiles.count())])


@pytest.fixture(scope="module")
def markup_db(tmp_path_factory):
    """A store whose departments and items are named like markup, 40 cases each in 2025Q3."""
    d = tmp_path_factory.mktemp("markup")
    names = [LINK, BIG, "甲局", "乙局"]
    rows = ["办件编号,办理部门,事项编码,事项名称,办件类型,申报方式,受理时间,办结时间,法定时限,承诺时限,评价等级,评价时间,办件状态"]
    n = 0
    for i, dept in enumerate(names):
        for k in range(40):
            n += 1
            day = 1 + k % 28
            item = names[(i + 1) % 4]
            done = f"2025-07-{day:02d} 16:00:00" if k % 5 else ""
            status = "办结" if done else "在办"
            rating = "非常满意" if k % 3 else "不满意"
            rated = f"2025-07-{day:02d} 17:00:00" if done else ""
            quoted = [f'"{v.replace(chr(34), chr(34) * 2)}"' for v in (
                f"M{n}", dept, f"I{i}", item, "承诺件", "网上申报" if k % 2 else "窗口", f"2025-07-{day:02d} 09:00:00",
                done, "10", "3" if k % 7 else "0", rating if done else "", rated, status)]
            rows.append(",".join(quoted))
    path = d / "markup.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    db = d / "markup.duckdb"
    con = connect(db)
    ledger = import_file(con, path)
    con.close()
    assert ledger.accepted == 160, ledger
    return db


def test_markup_names_are_drawn_as_text_in_every_chart(markup_db, monkeypatch):
    monkeypatch.delenv("METRICS_CONFIG", raising=False)  # open mode: the charts are what is tested here
    link_text = '<a href="http://evil.example/">点我</a>'
    with dashboard_server(markup_db) as base, browser() as b:
        page = b.new_page(viewport=VIEWPORT)
        charts = 0
        for url_path in PAGES:
            query = "?lang=English&period=2025Q3"
            if url_path == "department":
                query += "&dept_detail=" + urllib.parse.quote(LINK)
            goto(page, page_url(base, url_path, query))
            svgs = page.locator('[data-testid="stPlotlyChart"] .main-svg')
            charts += page.locator('[data-testid="stPlotlyChart"]').count()
            # No link and no styled span came out of a name; the names are there as text.
            assert page.locator('[data-testid="stPlotlyChart"] svg a').count() == 0, url_path
            sizes = page.locator('[data-testid="stPlotlyChart"] svg tspan').evaluate_all(
                "els => els.map(e => e.getAttribute('style') || '').filter(s => s.includes('80px'))")
            assert sizes == [], url_path
            text = " ".join(svgs.all_text_contents())
            if url_path in ("rankings", "timeliness"):  # their charts have a bar per department
                assert link_text in text or "<a href=" in text, (url_path, text[:300])
            shoot(page, f"markup_names_{url_path}")
        assert charts >= 5
