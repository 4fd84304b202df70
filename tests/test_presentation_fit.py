"""Presentation mode on the walls meeting rooms have: every slide of every page at 1280×720,
1366×768, 1920×1080 and 3840×2160, in Chinese and English, in a real browser.

A slide fails when a tile, badge, label, heading or table cuts its text (`scrollWidth >
clientWidth`) or when the page is taller than the window (a wall cannot scroll). Each slide
at 1280×720 and 1920×1080 is photographed into screenshots/ (gitignored) for a look by eye.

One page load per size and language: a slideshow of every page (`slides=` all of them, an
`advance` too long to fire), whose arrows step through every slide of every page, as a
presenter's would. The two languages load and step side by side.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from browser_util import CHROMIUM, browser, dashboard_server, page_url, shoot, wait_ready
from conftest_app import build_demo_store

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                reason=f"no Chromium at {CHROMIUM} (apt-get install chromium fonts-noto-cjk)")

SIZES = [(1280, 720), (1366, 768), (1920, 1080), (3840, 2160)]
LANGS = {"zh": "", "en": "&lang=English"}
LOOKED_AT = {(1280, 720), (1920, 1080)}  # screenshots for a look by eye (a 4K one takes seconds)

# The slide a tab shows: [page title, "2/3"]; a step of the show has landed when it differs.
WHERE = """() => {
  const h = document.querySelector('[data-testid="stMain"] h1');
  const pos = document.querySelector('.st-key-slide_position');
  return [h ? h.innerText.trim() : '', ((pos ? pos.innerText : '').match(/\\d+\\/\\d+/) || [''])[0]];
}"""
# What a slide shows that must not be cut, and whether anything runs below the window.
MEASURE = """() => {
  const sel = ['[data-testid="stMetricLabel"]', '[data-testid="stMetricLabel"] *', '[data-testid="stMetricValue"]',
               '[data-testid="stMetricValue"] *', '[data-testid="stMetricDelta"]', '[data-testid="stMetricDelta"] *',
               '[data-testid="stMetricDeltaDescription"]', '[data-testid="stMarkdownBadge"]',
               '[data-testid="stMarkdownContainer"] p', 'h1', 'h2', 'h3', '[data-testid="stCaptionContainer"]',
               '[data-testid="stTable"]', '[data-testid="stTable"] td', '[data-testid="stTable"] th',
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
  for (const el of document.querySelectorAll('[data-testid="stPlotlyChart"], [data-testid="stMetric"], [data-testid="stTable"], h1')) {
    const r = el.getBoundingClientRect();
    if (r.bottom > window.innerHeight + 1 || r.right > window.innerWidth + 1)
      tall.push(`${el.getAttribute('data-testid') || el.tagName} ends at ${Math.round(r.right)}×${Math.round(r.bottom)}`);
  }
  return {cut, tall, where: (WHERE)()};
}""".replace("WHERE", WHERE)
MOVED = f"before => JSON.stringify(({WHERE})()) !== JSON.stringify(before)"


def show_query(lang_query: str) -> str:
    """Every page as one slideshow; an hour a slide, so only the arrows move it."""
    from pages.presentation import WALL_PAGES
    return "?present=true&advance=3600" + "".join(f"&slides={p}" for p in WALL_PAGES) + lang_query


@pytest.fixture(scope="module")
def wall(tmp_path_factory):
    """A demo store of its own (the server holds it open for writing) and the running server."""
    db = build_demo_store(tmp_path_factory.mktemp("wall") / "wall.duckdb")
    with dashboard_server(db) as base, browser() as b:
        yield base, b, db


@pytest.mark.parametrize("width,height", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_every_wall_slide_fits_and_cuts_no_text(wall, width, height):
    from pages.presentation import WALL_PAGES
    base, b, _ = wall
    problems = []
    context = b.new_context(viewport={"width": width, "height": height})
    tabs = {lang: context.new_page() for lang in LANGS}
    for lang, query in LANGS.items():  # both languages load at once: half the waiting
        tabs[lang].goto(page_url(base, "overview", show_query(query)), wait_until="commit")
    slides = {lang: [] for lang in LANGS}  # (title, "k/n") in the order shown
    ticks = {lang: 0 for lang in LANGS}  # x-axis tick labels checked for overlap
    for step in range(80):  # the whole show is about thirty slides
        for tab in tabs.values():
            wait_ready(tab)
        for lang, tab in tabs.items():
            tab.wait_for_timeout(100 if step else 300)  # fonts and the chart's last layout pass
            m = tab.evaluate(MEASURE)
            title, position = m["where"]
            slides[lang].append((title, position))
            where = f"{lang} {width}×{height} {title} {position or '1/1'}"
            problems += [f"{where}: cut {c}" for c in m["cut"]] + [f"{where}: {x}" for x in m["tall"]]
            for axis in (a for a in tab.evaluate(TICKS) if len(a) >= 4):  # the trends' quarters among them
                problems += [f"{where}: tick labels overlap" for (_, right), (left, _) in zip(axis, axis[1:])
                             if right > left + 0.5]
                ticks[lang] += len(axis)
            pages = list(dict.fromkeys(t for t, _ in slides[lang]))
            if (width, height) in LOOKED_AT and not (step and slides[lang][-1] == slides[lang][0]):
                page = WALL_PAGES[min(pages.index(title), len(WALL_PAGES) - 1)]
                shoot(tab, f"wall_{page}_{lang}_{width}x{height}_{position.split('/')[0] or 1}")
        if step and slides["zh"][-1] == slides["zh"][0]:
            break  # round again to the first slide
        for tab in tabs.values():
            tab.locator(".st-key-slide_next button").first.click()
            tab.mouse.move(0, 0)  # off the arrow: its "Next slide" tooltip stayed in the screenshots
        for lang, tab in tabs.items():
            tab.wait_for_function(MOVED, arg=list(slides[lang][-1]), timeout=60_000)
    context.close()
    assert not problems, "\n".join(problems)

    # The show went round once, through every slide of every page, the same in both languages.
    for lang in LANGS:
        assert slides[lang][-1] == slides[lang][0], f"{lang}: the show did not come round: {slides[lang]}"
        assert ticks[lang] >= 4 * 8 + 4 * 8, ticks  # Overview's and Department's eight-quarter trends at least
    shown = {lang: slides[lang][:-1] for lang in LANGS}
    assert [p for _, p in shown["zh"]] == [p for _, p in shown["en"]]
    titles = list(dict.fromkeys(t for t, _ in shown["zh"]))
    assert len(titles) == len(WALL_PAGES), titles
    count = {page: sum(1 for t, _ in shown["zh"] if t == title) for page, title in zip(WALL_PAGES, titles)}
    for page, title in zip(WALL_PAGES, titles):  # each page's slides in order: 1/n … n/n
        mine = [p for t, p in shown["zh"] if t == title]
        assert mine == [f"{i}/{len(mine)}" for i in range(1, len(mine) + 1)], (page, mine)
    from metrics.registry import METRICS
    from pages.screens.definitions import WALL_MEASURES
    assert count["overview"] == 2 and count["department"] == 3
    assert count["timeliness"] >= 4  # tiles, the departments a dozen at a time, the board
    assert count["glossary"] == math.ceil(len(METRICS) / WALL_MEASURES) + 1  # the measures, the ranking rules
    assert count["supervision"] >= 2  # the tiles and the rules chart, then the flags
    assert count["data"] == 1  # the demo's two imports fit beside the tiles


# Tick labels of every chart on the page, by axis: [[left, right], …] in screen pixels. Angled
# labels (Satisfaction's percent axis) are left out: their boxes overlap where their text does not.
TICKS = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"] .xaxislayer-above')].map(
    layer => [...layer.querySelectorAll('g[class$="tick"] text')]
        .filter(t => !(t.getAttribute('transform') || '').includes('rotate'))
        .map(t => t.getBoundingClientRect())
        .filter(r => r.width > 0).map(r => [r.left, r.right]).sort((a, b) => a[0] - b[0]))"""


@pytest.mark.parametrize("width", [1280, 1366, 1400, 1920])
def test_quarter_axes_keep_their_labels_apart(wall, width):
    # The eight-quarter trends ran their labels together ("24Q425Q125Q2…") at 1366 and 1400 px.
    # On the wall the fit test above checks every chart's ticks at 1280, 1366 and 1920 px; here
    # the desk at each width, and the wall at 1400 px, which no wall size has.
    base, b, _ = wall
    context = b.new_context(viewport={"width": width, "height": 900})
    tabs = [context.new_page(), context.new_page()]  # two pages load side by side: half the waiting
    checked = 0
    modes = (("", 0), ("?present=true", 1)) if width == 1400 else (("", 0),)
    for query, steps in modes:  # the wall shows a trend on a slide of its own
        names = ("overview", "department")
        for tab, name in zip(tabs, names):
            tab.goto(page_url(base, name, query), wait_until="commit")
        for tab, name in zip(tabs, names):
            wait_ready(tab)
            for _ in range(steps):
                before = tab.evaluate(WHERE)
                tab.locator(".st-key-slide_next button").first.click()
                tab.wait_for_function(MOVED, arg=before, timeout=60_000)
                wait_ready(tab)
            axes = [a for a in tab.evaluate(TICKS) if len(a) >= 4]  # quarters: eight, or every other one
            # Three charts or more of eight (or four) quarters each (a rate may be undefined).
            assert sum(len(a) for a in axes) >= 12, f"{name}{query}: quarter axes at {width} px: {axes}"
            for ticks in axes:
                for (_, right), (left, _) in zip(ticks, ticks[1:]):
                    assert right <= left + 0.5, f"{name}{query} at {width} px: tick labels overlap"
                checked += len(ticks)
    context.close()
    assert checked >= len(modes) * 2 * 12
