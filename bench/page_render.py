"""Page render times of every page on a large store.

    .venv/bin/python bench/page_render.py /tmp/p1big.duckdb [--repeat 5]
    .venv/bin/python bench/page_render.py STORE --during-import month.csv [--page home]

Each page is run through Streamlit's AppTest (the whole dashboard script: frame, sidebar,
page), which measures the server side of a run: what a browser waits for before it can
draw. Columns:

- cold: first render with empty caches (engine queries run), the integrity alerts' months
  kept beside the store as the store has them (metrics/alert_results.py: counted after each
  import by the Data page or the command line, and when the dashboard starts): a first view
  after a restart or an import;
- cold, none kept: the same with the kept months set aside for the run (and put back after),
  so Supervision counts its period's months: a first view right after the alert settings
  changed, or before any count finished;
- warm: the same view again (cached engine results; layout only);
- new quarter: the quarter changed to one not seen yet (its queries run);
- seen quarter: changed back to a quarter already seen;
- language: the language switched (cached data, all labels change);
- page switch: arriving from another page with the same view.

Warm figures are medians of `--repeat` runs.

`--during-import FILE` measures instead what another session sees while the Data page
imports FILE: the import runs on a thread of this process on the dashboard's own
connection (as the Data page runs it), and a new session opens `--page` again and again
until the import has committed; their render times are printed beside those of the same
page before the import. The store is opened in this process; no
dashboard may hold it open meanwhile. AppTest starts every run in Streamlit's old
folder-of-pages mode (a `pages/` folder sits beside dashboard.py); a running server is in
that mode only for its very first run, so this script runs in the server's steady state
instead (see `_steady_state`).
"""

from __future__ import annotations

import argparse
from contextlib import contextmanager
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

PAGES = [("overview", "Overview 总览"), ("rankings", "Rankings 排名"), ("department", "Department 部门详情"),
         ("timeliness", "Timeliness 时效监察"), ("satisfaction", "Satisfaction 好差评"),
         ("supervision", "Supervision 电子监察"), ("data", "Data 数据管理"), ("glossary", "Definitions 指标说明")]
TARGET_WARM_MS = 300
TARGET_COLD_MS = 2000


def _steady_state() -> None:
    """Leave Streamlit's folder-of-pages mode, as a server does after its first run."""
    from streamlit.runtime.pages_manager import PagesManager
    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = init


def _quiet() -> None:
    import logging
    for name in ("streamlit", "streamlit.runtime.caching.cache_data_api",
                 "streamlit.runtime.scriptrunner_utils.script_run_context"):
        logging.getLogger(name).setLevel(logging.ERROR)


def _timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1000


def _clear_caches() -> None:
    """Forget every engine result and built chart (the connection stays open)."""
    import streamlit as st

    from pages import charts
    st.cache_data.clear()
    charts._figure.clear()


@contextmanager
def _alerts_set_aside():
    """The store's kept alert months out of the way meanwhile, and back afterwards (what the
    run counted and kept is removed): the bench leaves the store's cache as it found it."""
    import shutil

    from metrics.alert_results import folder_of
    folder = folder_of(os.environ["METRICS_DB"])
    aside = folder.with_name(folder.name + ".bench-aside")
    if folder.exists():
        folder.rename(aside)
    try:
        yield
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        if aside.exists():
            aside.rename(folder)


def _wait_for_start_up_count() -> float:
    """Seconds spent waiting for the dashboard's start-up count of the months not kept
    (alert_results.warm_in_background): measured pages do not share the machine with it."""
    from metrics import alert_results
    t0 = time.perf_counter()
    for thread in list(alert_results._WARMING):
        thread.join()
    return time.perf_counter() - t0


def _app(page: str):
    """A new session opening `page` directly: one run of the script."""
    from conftest_app import DASHBOARD
    from streamlit.testing.v1 import AppTest
    from streamlit.util import calc_hash
    at = AppTest.from_file(DASHBOARD, default_timeout=120)
    at._page_hash = calc_hash(page)  # as a browser asks for /<page>
    at.run()
    assert at._finished_page_script_hash == calc_hash(page), page
    assert not at.exception, [e.value for e in at.exception]
    return at


def bench_page(page: str, repeat: int, only_cold_warm: bool = False) -> dict[str, float]:
    from conftest_app import goto
    out: dict[str, float] = {}
    _clear_caches()
    out["cold"] = _timed(lambda: _app(page))
    _clear_caches()
    with _alerts_set_aside():
        t0 = time.perf_counter()
        out["cold, none kept"] = _timed(lambda: _app(page))
        # A large period is counted in the background while Supervision says so
        # (alert_results.evaluate_later): when its flags were ready, and nothing else measured
        # while it runs.
        from metrics import alert_results
        if any(t.is_alive() for t in alert_results._WARMING):
            _wait_for_start_up_count()
            out["none kept: flags ready"] = (time.perf_counter() - t0) * 1000
    at = _app(page)
    out["warm"] = statistics.median(_timed(at.run) for _ in range(repeat))
    if only_cold_warm:
        return out

    quarters = at.selectbox(key="quarter").options
    first = at.selectbox(key="quarter").value
    fresh = [q for q in quarters if q != first][3]  # an older quarter, not in any cache yet

    def pick(q):
        at.selectbox(key="quarter").select(q)
        at.run()

    _clear_caches()
    at.run()  # the first quarter is cached again; `fresh` is not
    out["new quarter"] = _timed(lambda: pick(fresh))
    out["seen quarter"] = statistics.median(_timed(lambda q=q: pick(q)) for q in [first, fresh] * repeat)
    pick(first)

    def lang(name):
        at.selectbox(key="lang").select(name)
        at.run()

    out["language"] = statistics.median(_timed(lambda n=n: lang(n)) for n in ["English", "中文"] * repeat)
    other = "glossary" if page != "glossary" else "overview"
    times = []
    for _ in range(repeat):
        goto(at, other)
        times.append(_timed(lambda: goto(at, page)))
    out["page switch"] = statistics.median(times)
    return out


def bench_engine(db: Path, repeat: int) -> dict[str, float]:
    """The engine calls behind the pages, uncached, for scale."""
    from metrics.drilldown import data_freshness
    from metrics.periods import latest_complete_quarter, quarters_back
    from metrics.rates import centre_metrics, centre_metrics_over
    from metrics.ranking import ranking
    from metrics.store import connect
    con = connect(db)
    q = latest_complete_quarter(data_freshness(con)["data_through"])
    out = {
        "ranking (with previous period)": statistics.median(_timed(lambda: ranking(con, q)) for _ in range(repeat)),
        "centre_metrics, one quarter": statistics.median(_timed(lambda: centre_metrics(con, q)) for _ in range(repeat)),
        "centre_metrics, 8-quarter trend": statistics.median(
            _timed(lambda: centre_metrics_over(con, quarters_back(q, 8))) for _ in range(repeat)),
        "cases in store": con.execute("SELECT count(*) FROM cases").fetchone()[0],
    }
    con.close()
    return out


def bench_during_import(page: str, path: Path, repeat: int) -> int:
    """Render times of `page` in new sessions before and while the Data page's import runs."""
    import threading

    from metrics.ingest import import_file
    from pages import queries
    _app(page)  # imports, connection and this page's queries, outside the figures
    before = [_timed(lambda: _app(page)) for _ in range(repeat)]
    phases: list[tuple[float, str]] = []
    outcome: dict = {}
    t0 = time.perf_counter()

    def run() -> None:
        def progress(done, total, stage):
            if not phases or phases[-1][1] != stage:
                phases.append((time.perf_counter() - t0, stage))
        try:
            outcome["ledger"] = import_file(queries.con(), path, progress=progress)
        finally:
            outcome["seconds"] = time.perf_counter() - t0

    worker = threading.Thread(target=run, name="import")
    worker.start()
    during: list[tuple[float, float]] = []  # (started at, ms)
    while worker.is_alive():
        started = time.perf_counter() - t0
        during.append((started, _timed(lambda: _app(page))))
    worker.join()
    if "ledger" not in outcome:
        return 1
    led = outcome["ledger"]
    print(f"import of {path.name}: {led.rows_read:,} rows in {outcome['seconds']:.1f} s "
          f"(full rebuild: {led.full_rebuild}); phases began at "
          + ", ".join(f"{stage} {at:.1f} s" for at, stage in phases))
    ms = [m for _, m in during]
    print(f"{page}: before the import, new session: median {statistics.median(before):.0f} ms "
          f"(max {max(before):.0f}) of {len(before)}")
    print(f"{page}: during the import, new session: median {statistics.median(ms):.0f} ms, "
          f"max {max(ms):.0f} ms, {len(ms)} renders")
    for at, m in during:
        print(f"  at {at:6.1f} s: {m:6.0f} ms")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("db", type=Path)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--during-import", type=Path, metavar="FILE",
                    help="measure --page in new sessions while FILE is imported into the store")
    ap.add_argument("--page", default="overview", choices=[p for p, _ in PAGES])
    ap.add_argument("--cold-warm", action="store_true", help="only the cold and warm columns (a third of the time)")
    args = ap.parse_args()
    if not args.db.exists():
        print(f"{args.db}: no such store (python -m metrics demo --db PATH --cases 1000000)", file=sys.stderr)
        return 2
    os.environ["METRICS_DB"] = str(args.db)
    _quiet()
    _steady_state()
    if args.during_import:
        return bench_during_import(args.page, args.during_import, args.repeat)

    engine = bench_engine(args.db, args.repeat)
    print(f"store: {args.db} ({engine.pop('cases in store'):,} cases)\n")
    print("engine call (uncached)            ms")
    for k, v in engine.items():
        print(f"  {k:<32}{v:8.0f}")

    _app("overview")  # imports and first connection, outside the figures
    print(f"\nthe dashboard's start-up count of alert months not kept: {_wait_for_start_up_count():.1f} s")
    cols = ["cold", "cold, none kept", "warm"] if args.cold_warm else [
        "cold", "cold, none kept", "warm", "new quarter", "seen quarter", "language", "page switch"]
    print(f"\n{'page':<24}" + "".join(f"{c:>17}" for c in cols) + "   (ms, AppTest run of the whole script)")
    worst_warm, worst_cold = 0.0, 0.0
    failed = []
    for page, name in PAGES:
        try:
            r = bench_page(page, args.repeat, args.cold_warm)
        except AssertionError as e:  # the page raised: say so and measure the others
            print(f"{name:<24}  failed: {str(e)[:120]}")
            failed.append(page)
            continue
        print(f"{name:<24}" + "".join(f"{r[c]:>17.0f}" for c in cols))
        if "none kept: flags ready" in r:
            print(f"{'':<24}  none kept: the page said it was counting; its flags were ready after "
                  f"{r['none kept: flags ready']:.0f} ms")
        worst_warm = max(worst_warm, *(r[c] for c in ("warm", "seen quarter", "language", "page switch") if c in r))
        worst_cold = max(worst_cold, *(r[c] for c in ("cold", "new quarter") if c in r))
    ok = worst_warm < TARGET_WARM_MS and worst_cold < TARGET_COLD_MS and not failed
    print(f"\nslowest warm interaction {worst_warm:.0f} ms (target < {TARGET_WARM_MS}); "
          f"slowest cold {worst_cold:.0f} ms (target < {TARGET_COLD_MS}): {'OK' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
