"""A real dashboard server and a real browser, for tests/test_browser.py and for looking
at the pages by hand (`python tests/browser_util.py STORE.duckdb` writes screenshots).

Uses Debian's Chromium (Playwright cannot download its own here; never `playwright
install`). A page is ready when Streamlit says its script is not running, every Plotly
chart on it has drawn its SVG and no element still shows a loading placeholder.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update"]
SCREENSHOTS = ROOT / "screenshots"
VIEWPORT = {"width": 1920, "height": 1080}
READY = '[data-testid="stApp"][data-test-script-state="notRunning"]'


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def dashboard_server(db: Path, timeout: float = 60, bare: bool = False):
    """The dashboard as `./run.sh dashboard` serves it (`serve.py`, i.e. `streamlit run
    dashboard.py` with Streamlit's folder-of-pages mode settled first) on a free port
    against store `db`; yields its base URL. `bare`: a plain `streamlit run dashboard.py`.

    The server opens the store for writing, so `db` must not be open in this process.
    """
    port = free_port()
    env = {**os.environ, "METRICS_DB": str(db)}
    log = open(Path(db).with_suffix(".server.log"), "w")
    start = [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard.py")] if bare else \
        [sys.executable, str(ROOT / "serve.py")]
    proc = subprocess.Popen(
        [*start, "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"streamlit exited ({proc.returncode}); see {log.name}")
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                    if r.read().strip() == b"ok":
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"streamlit not healthy after {timeout}s; see {log.name}")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@contextmanager
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


# Drawn: every chart has its SVG, and no element still shows the grey placeholder that
# Streamlit puts up while the code of a widget or a metric tile loads (on a busy machine
# that outlasts the script run itself: screenshots of grey boxes passed for pages).
DRAWN = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
                     .every(c => c.querySelector('.main-svg'))
          && !document.querySelector('[data-testid="stSkeleton"], [data-testid="stAppSkeleton"]')"""


def wait_ready(page, timeout: float = 60_000) -> None:
    """Until the script has finished and everything on the page is drawn; twice, because a
    run can start again right after (a rerun, a page switch)."""
    for _ in range(2):
        page.wait_for_selector(READY, timeout=timeout)
        page.wait_for_function(DRAWN, timeout=timeout)
        page.wait_for_timeout(150)
    page.wait_for_selector(READY, timeout=timeout)
    page.wait_for_function(DRAWN, timeout=timeout)


def page_url(base: str, url_path: str, query: str = "") -> str:
    """The address of a page: the default page lives at the root."""
    from pages.navigation import PAGE_SPECS
    path = "" if url_path == PAGE_SPECS[0].url_path else url_path
    return f"{base}/{path}{query}"


def goto(page, url: str) -> None:
    page.goto(url)
    wait_ready(page)


def shoot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


def select_option(page, widget_key: str, option: str) -> None:
    """Pick `option` in the selectbox or multiselect whose key is `widget_key`; wait for the rerun."""
    page.locator(f".st-key-{widget_key} button[aria-label='Open']").click()
    page.get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")
    page.wait_for_timeout(300)
    wait_ready(page)


def selected_text(page, widget_key: str) -> str:
    """The value a selectbox shows."""
    return page.locator(f".st-key-{widget_key} input[role='combobox']").input_value().strip()


def chosen_tags(page, widget_key: str) -> str:
    """The chosen values a multiselect shows, as text."""
    return page.locator(f".st-key-{widget_key} [data-testid='stMultiSelectTagsContainer']").inner_text()


def main_text(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


if __name__ == "__main__":  # screenshots of every page, for a look by eye
    sys.path.insert(0, str(ROOT))
    from pages.navigation import PAGE_SPECS
    db = Path(sys.argv[1])
    height = int(sys.argv[2]) if len(sys.argv) > 2 else VIEWPORT["height"]
    with dashboard_server(db) as base, browser() as b:
        page = b.new_page(viewport={"width": VIEWPORT["width"], "height": height})
        for spec in PAGE_SPECS:
            for query, tag in (("", "zh"), ("?lang=English", "en"), ("?present=true", "present")):
                goto(page, page_url(base, spec.url_path, query))
                print(shoot(page, f"manual_{spec.url_path}_{tag}"))
