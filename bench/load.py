"""Load: concurrent browser sessions against one dashboard server (issue 11, part 6).

    .venv/bin/python bench/load.py STORE.duckdb [--sessions 20] [--minutes 5] [--seed 1]

Starts `serve.py` on STORE with METRICS_TIMING_LOG set (pages/timing.py: every script run's
server-side time), then drives SESSIONS browser sessions (one headless Chromium, a context
each) for MINUTES, each changing quarters, departments, languages and pages at random. After
every interaction the session checks that no filter was lost: the address still carries its
quarter, departments and language, the language picker shows that language, and no error or
exception element is on the page. The server's resident memory is sampled every 5 seconds.

Prints one JSON summary: interactions, errors and lost filters, the server-side time of each
script run (p50, p95, max; per page), and the server's memory (first, last, peak). A script,
not a test: the figures depend on the machine (docs/benchmarks.md, "Load").
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser_util import CHROMIUM, CHROMIUM_ARGS, DRAWN, READY, free_port  # noqa: E402

PAGES = ["Overview", "Rankings", "Department", "Timeliness", "Satisfaction", "Definitions",
         "总览", "排名", "部门", "时效", "满意度", "指标说明"]
LANGS = {"zh": "中文", "en": "English"}


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def ready(page, timeout=300_000) -> None:
    for _ in range(2):
        await page.wait_for_selector(READY, timeout=timeout)
        # Polled on a timer: the default polls on animation frames, which a page that is not
        # in front (nineteen of twenty here) may never get.
        await page.wait_for_function(DRAWN, timeout=timeout, polling=200)
        await page.wait_for_timeout(150)


async def pick(page, key: str, option: str) -> None:
    await page.locator(f".st-key-{key} button[aria-label='Open']").click()
    await page.get_by_role("option", name=option, exact=True).click()
    await page.keyboard.press("Escape")
    await page.wait_for_timeout(300)
    await ready(page)


async def options(page, key: str) -> list[str]:
    await page.locator(f".st-key-{key} button[aria-label='Open']").click()
    found = await page.get_by_role("option").all_inner_texts()
    await page.keyboard.press("Escape")
    return [o.strip() for o in found if o.strip() and o.strip() not in ("Select all", "全选")]


async def session(no: int, browser, base: str, deadline: float, rnd: random.Random, out: dict) -> None:
    context = await browser.new_context(viewport={"width": 1600, "height": 1000})
    page = await context.new_page()
    page.set_default_timeout(180_000)  # a loaded 2-core machine: slow is measured, not failed
    page.set_default_navigation_timeout(180_000)
    lang = "en" if no % 2 else "zh"
    await asyncio.sleep(no * 1.5)  # sessions arrive one after another, as people do
    for attempt in range(3):
        try:
            await page.goto(f"{base}/?lang={LANGS[lang]}")
            await ready(page)
            quarters = await options(page, "quarter")
            depts = await options(page, "depts")
            break
        except Exception as e:  # noqa: BLE001 - counted, then tried again
            out["errors"].append({"session": no, "after": "open", "text": f"{type(e).__name__}: {str(e)[:200]}"})
    else:
        await context.close()
        return
    state = {"lang": lang, "quarter": None, "depts": []}
    while time.monotonic() < deadline:
        kind = rnd.choice(["quarter", "dept", "lang", "page"])
        started = time.monotonic()
        try:
            if kind == "quarter" and quarters:
                state["quarter"] = rnd.choice(quarters)
                await pick(page, "quarter", state["quarter"])
            elif kind == "dept" and depts:
                if state["depts"] and rnd.random() < 0.5:
                    await page.locator(".st-key-depts [aria-label='Clear all']").click()
                    await page.wait_for_timeout(300)
                    await ready(page)
                    state["depts"] = []
                else:
                    d = rnd.choice([x for x in depts if x not in state["depts"]] or depts)
                    await pick(page, "depts", d)
                    state["depts"] = sorted({*state["depts"], d})
            elif kind == "lang":
                state["lang"] = "zh" if state["lang"] == "en" else "en"
                await pick(page, "lang", LANGS[state["lang"]])
            else:
                links = page.locator('[data-testid="stSidebarNav"] a')
                n = await links.count()
                await links.nth(rnd.randrange(n)).click()
                await page.wait_for_timeout(300)
                await ready(page)
            out["interactions"] += 1
            out["client_ms"].setdefault(kind, []).append((time.monotonic() - started) * 1000)
            lost = await check(page, state)
            if lost:
                out["lost"].append({"session": no, "after": kind, "lost": lost})
            errors = await page.locator('[data-testid="stException"], [data-testid="stAlertContentError"]').count()
            if errors:
                out["errors"].append({"session": no, "after": kind, "text": (await page.locator(
                    '[data-testid="stException"], [data-testid="stAlertContentError"]').first.inner_text())[:200]})
        except Exception as e:  # noqa: BLE001 - a timeout or a vanished element is an error of the run
            out["errors"].append({"session": no, "after": kind, "text": f"{type(e).__name__}: {str(e)[:200]}"})
            try:  # start the session again from the Overview; a failure here is one more error
                await page.goto(f"{base}/?lang={LANGS[state['lang']]}")
                await ready(page)
            except Exception as again:  # noqa: BLE001
                out["errors"].append({"session": no, "after": "reopen",
                                      "text": f"{type(again).__name__}: {str(again)[:200]}"})
            state.update(quarter=None, depts=[])
    await context.close()


async def check(page, state) -> list[str]:
    """The filters this session set and the ones the page shows, where they differ."""
    query = urllib.parse.parse_qs(urllib.parse.urlparse(page.url).query)
    lost = []
    if query.get("lang", [LANGS["zh"]])[0] != LANGS[state["lang"]]:
        lost.append(f"lang in URL {query.get('lang')} != {LANGS[state['lang']]}")
    shown = (await page.locator(".st-key-lang input[role='combobox']").input_value()).strip()
    if shown != LANGS[state["lang"]]:
        lost.append(f"language picker shows {shown!r}")
    if state["quarter"]:
        # The address leaves out a quarter equal to the default (the latest): then the picker
        # must show it.
        in_url = query.get("quarter", [None])[0]
        shown_q = (await page.locator(".st-key-quarter input[role='combobox']").input_value()).strip()
        if (in_url or shown_q) != state["quarter"]:
            lost.append(f"quarter in URL {in_url}, shown {shown_q!r} != {state['quarter']}")
    if sorted(query.get("depts", [])) != state["depts"]:
        lost.append(f"depts in URL {query.get('depts')} != {state['depts']}")
    return lost


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, max(0, round(q * (len(values) - 1))))] if values else float("nan")


async def drive(base: str, sessions: int, minutes: float, seed: int, out: dict) -> None:
    from playwright.async_api import async_playwright
    async with async_playwright() as p:
        # Twenty pages share one window system: without these, the pages not in front get no
        # animation frames and slowed timers, and Playwright's clicks (which wait for a frame
        # to see the element stable) wait minutes: one interaction in five minutes, 2026-12-01.
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=[
            *CHROMIUM_ARGS, "--disable-renderer-backgrounding", "--disable-background-timer-throttling",
            "--disable-backgrounding-occluded-windows"])
        deadline = time.monotonic() + minutes * 60
        await asyncio.gather(*(session(i, browser, base, deadline, random.Random(seed * 1000 + i), out)
                               for i in range(sessions)))
        await browser.close()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("store", type=Path)
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--minutes", type=float, default=5)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-pin", dest="pin", action="store_false",
                    help="do not give the server a core of its own (the default on 2+ cores)")
    args = ap.parse_args()
    timing = Path(os.environ.get("LOAD_TIMING_LOG") or Path(tempfile.mkdtemp()) / "timing.jsonl")
    port = free_port()
    env = {**os.environ, "METRICS_DB": str(args.store), "METRICS_TIMING_LOG": str(timing)}
    env.pop("METRICS_CONFIG", None)
    # The server on its own core, the browsers on the others: twenty Chromium pages drawing
    # charts would otherwise take the server's CPU, and its times would measure the browsers.
    cpus = sorted(os.sched_getaffinity(0))
    server_cpus, browser_cpus = ({cpus[0]}, set(cpus[1:])) if args.pin and len(cpus) > 1 else (set(cpus), set(cpus))
    server = subprocess.Popen([sys.executable, str(ROOT / "serve.py"), "--server.headless", "true", "--server.port",
                               str(port), "--server.fileWatcherType", "none"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=open(timing.with_name("server.log"), "w"),
                              preexec_fn=lambda: os.sched_setaffinity(0, server_cpus))
    os.sched_setaffinity(0, browser_cpus)  # Chromium, started below, inherits it
    base = f"http://127.0.0.1:{port}"
    out: dict = {"interactions": 0, "errors": [], "lost": [], "client_ms": {}, "memory_mb": []}
    try:
        for _ in range(600):
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2):
                    break
            except OSError:
                time.sleep(0.5)

        async def with_memory():
            async def sample():
                while True:
                    out["memory_mb"].append(round(rss_mb(server.pid), 1))
                    await asyncio.sleep(5)
            sampler = asyncio.create_task(sample())
            try:
                await drive(base, args.sessions, args.minutes, args.seed, out)
            finally:
                sampler.cancel()
        asyncio.run(with_memory())
    finally:
        server.terminate()
        server.wait(30)
    runs = [json.loads(line) for line in timing.read_text().splitlines()] if timing.exists() else []
    ms = [r["ms"] for r in runs if r["error"] is None]
    by_page: dict[str, list[float]] = {}
    for r in runs:
        if r["error"] is None:
            by_page.setdefault(r["page"] or "?", []).append(r["ms"])
    mem = out["memory_mb"]
    summary = {
        "server_log": str(timing.with_name("server.log")),
        "store": str(args.store), "sessions": args.sessions, "minutes": args.minutes,
        "server_cpus": sorted(server_cpus), "browser_cpus": sorted(browser_cpus),
        "interactions": out["interactions"], "errors": len(out["errors"]), "lost_filters": len(out["lost"]),
        "server_runs": len(runs), "server_run_errors": sum(1 for r in runs if r["error"]),
        "server_ms": {"p50": percentile(ms, 0.5), "p95": percentile(ms, 0.95), "max": max(ms, default=None)},
        "server_ms_by_page": {p: {"runs": len(v), "p50": percentile(v, 0.5), "p95": percentile(v, 0.95)}
                              for p, v in sorted(by_page.items())},
        "client_ms_p50_by_kind": {k: round(statistics.median(v)) for k, v in out["client_ms"].items()},
        "memory_mb": {"first": mem[0] if mem else None, "last": mem[-1] if mem else None,
                      "peak": max(mem, default=None), "samples": len(mem),
                      # one sample a minute (every 12th of one each 5 s): flat, or still growing?
                      "by_minute": mem[::12]},
        "error_examples": out["errors"][:5], "lost_examples": out["lost"][:5],
        "server_error_types": sorted({r["error"] for r in runs if r["error"]}),
    }
    print(json.dumps(summary, ensure_ascii=False, indent=1))
    return 0 if not out["errors"] and not out["lost"] and not summary["server_run_errors"] else 1


if __name__ == "__main__":
    sys.exit(main())
