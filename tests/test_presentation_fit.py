"""Presentation mode on the walls meeting rooms have: every slide of every wall page at
1280×720, 1366×768, 1920×1080 and 3840×2160, in Chinese and English, in a real browser.

A slide fails when a tile, badge, label or heading cuts its text (`scrollWidth >
clientWidth`) or when the page is taller than the window (a wall cannot scroll). Each slide
at 1280×720 and 1920×1080 is photographed into screenshots/ (gitignored) for a look by eye.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from browser_util import CHROMIUM, browser, dashboard_server, page_url, shoot, wait_ready
from conftest_app import build_demo_store

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                reason=f"no Chromium at {CHROMIUM} (apt-get install chromium fonts-noto-cjk)")

SIZES = [(1280, 720), (1366, 768), (1920, 1080), (3840, 2160)]
LANGS = {"zh": "", "en": "&lang=English"}
LOOKED_AT = {(1280, 720), (1920, 1080)}  # screenshots for a look by eye (a 4K one takes seconds)

# What a slide shows that must not be cut, and whether anything runs below the window.
MEASURE = """() => {
  const sel = ['[data-testid="stMetricLabel"]', '[data-testid="stMetricLabel"] *', '[data-testid="stMetricValue"]',
               '[data-testid="stMetricValue"] *', '[data-testid="stMetricDelta"]', '[data-testid="stMetricDelta"] *',
               '[data-testid="stMetricDeltaDescription"]', '[data-testid="stMarkdownBadge"]',
               '[data-testid="stMarkdownContainer"] p', 'h1', 'h2', 'h3', '[data-testid="stCaptionContainer"]',
               '.st-key-slide_position'].join(', ');
  const cut = [];
  for (const el of document.querySelectorAll(sel)) {
    if (!el.offsetParent || !el.innerText.trim()) continue;
    if (el.scrollWidth > el.clientWidth + 1)
      cut.push(`${el.getAttribute('data-testid') || el.tagName} ${el.scrollWidth}>${el.clientWidth}: ${el.innerText.trim().slice(0, 40)}`);
  }
  const tall = [];
  for (const el of [document.scrollingElement, ...document.querySelectorAll('[data-testid="stMain"], [data-testid="stAppViewContainer"]')]) {
    if (el && el.scrollHeight > el.clientHeight + 1) tall.push(`${el.getAttribute('data-testid') || 'page'} ${el.scrollHeight}>${el.clientHeight}`);
  }
  for (const el of document.querySelectorAll('[data-testid="stPlotlyChart"], [data-testid="stMetric"], h1')) {
    const r = el.getBoundingClientRect();
    if (r.bottom > window.innerHeight + 1 || r.right > window.innerWidth + 1)
      tall.push(`${el.getAttribute('data-testid') || el.tagName} ends at ${Math.round(r.right)}×${Math.round(r.bottom)}`);
  }
  const pos = document.querySelector('.st-key-slide_position');
  return {cut, tall, position: pos ? pos.innerText.replace(/\\s+/g, ' ').trim() : ''};
}"""


@pytest.fixture(scope="module")
def wall(tmp_path_factory):
    """A demo store of its own (the server holds it open for writing) and the running server."""
    db = build_demo_store(tmp_path_factory.mktemp("wall") / "wall.duckdb")
    with dashboard_server(db) as base, browser() as b:
        yield base, b


@pytest.mark.parametrize("width,height", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_every_wall_slide_fits_and_cuts_no_text(wall, width, height):
    from pages.presentation import WALL_PAGES
    base, b = wall
    problems, seen = [], {}
    context = b.new_context(viewport={"width": width, "height": height})
    tabs = {lang: context.new_page() for lang in LANGS}
    for name in WALL_PAGES:
        for lang, query in LANGS.items():  # both languages load at once: half the waiting
            tabs[lang].goto(page_url(base, name, f"?present=true{query}"), wait_until="commit")
        for lang, tab in tabs.items():
            wait_ready(tab)
            tab.wait_for_timeout(300)  # fonts and the chart's last layout pass
            slide = 1
            while True:
                m = tab.evaluate(MEASURE)
                where = f"{name} {lang} {width}×{height} slide {slide}"
                problems += [f"{where}: cut {c}" for c in m["cut"]] + [f"{where}: {x}" for x in m["tall"]]
                if (width, height) in LOOKED_AT:
                    shoot(tab, f"wall_{name}_{lang}_{width}x{height}_{slide}")
                of = re.search(r"(\d+)/(\d+)", m["position"])
                if of is None or of.group(1) == of.group(2):
                    break
                assert int(of.group(1)) == slide, where
                tab.locator(".st-key-slide_next button").first.click()
                tab.wait_for_timeout(250)
                wait_ready(tab)
                slide += 1
            seen[(name, lang)] = slide
    context.close()
    assert not problems, "\n".join(problems)
    # The same slides in both languages; a long page is more than one.
    for name in WALL_PAGES:
        assert seen[(name, "zh")] == seen[(name, "en")], name
    assert seen[("overview", "zh")] == 2 and seen[("department", "zh")] == 3
    assert seen[("timeliness", "zh")] >= 4  # tiles, the departments a dozen at a time, the board


# Tick labels of every chart on the page, by axis: [[left, right], …] in screen pixels.
TICKS = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"] .xaxislayer-above')].map(
    layer => [...layer.querySelectorAll('g[class$="tick"] text')].map(t => t.getBoundingClientRect())
        .filter(r => r.width > 0).map(r => [r.left, r.right]).sort((a, b) => a[0] - b[0]))"""


@pytest.mark.parametrize("width", [1280, 1366, 1400, 1920])
def test_quarter_axes_keep_their_labels_apart(wall, width):
    # The eight-quarter trends ran their labels together ("24Q425Q125Q2…") at 1366 and 1400 px.
    base, b = wall
    context = b.new_context(viewport={"width": width, "height": 900})
    tab = context.new_page()
    checked = 0
    for name, query, steps in (("overview", "", 0), ("department", "", 0), ("overview", "?present=true", 1),
                               ("department", "?present=true", 1)):
        tab.goto(page_url(base, name, query))
        wait_ready(tab)
        for _ in range(steps):  # the wall shows a trend on a slide of its own
            tab.locator(".st-key-slide_next button").first.click()
            tab.wait_for_timeout(250)
            wait_ready(tab)
        axes = [a for a in tab.evaluate(TICKS) if len(a) >= 4]  # quarters: eight, or every other one
        # Three charts or more of eight (or four) quarters each (a rate may be undefined).
        assert sum(len(a) for a in axes) >= 12, f"{name}{query}: quarter axes at {width} px: {axes}"
        for ticks in axes:
            for (_, right), (left, _) in zip(ticks, ticks[1:]):
                assert right <= left + 0.5, f"{name}{query} at {width} px: tick labels overlap"
            checked += len(ticks)
    context.close()
    assert checked >= 4 * 12
