"""Engine benchmark: import, aggregates against a pandas baseline, ranking; time and peak memory.

    .venv/bin/python bench/engine.py --cases 10000000 [--workdir bench/out]

Each step runs in its own process so that its peak resident memory is its own (wait4).
Figures go to stdout as a Markdown table and to <workdir>/results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable

_IMPORT = """
        from metrics.store import connect
        from metrics.ingest import import_file
        db = Path(W) / "{name}.duckdb"; db.unlink(missing_ok=True)
        con = connect(db)
        import_file(con, Path(W) / "{name}" / "demo_catalogue{suffix}.csv", "catalogue")
        t = time.perf_counter()
        ledger = import_file(con, Path(W) / "{name}" / "demo_cases{suffix}.csv", "cases")
        result = {{"seconds": time.perf_counter() - t, "rows": ledger.rows_read, "accepted": ledger.accepted}}
"""

STEPS = {
    "generate": """
        from data.demo import write_demo_files
        out = Path(W)
        t = time.perf_counter()
        write_demo_files(out / "utf8", n_cases=N, seed=7, encoding="utf-8")
        t1 = time.perf_counter()
        write_demo_files(out / "gb18030", n_cases=N, seed=7, encoding="gb18030")
        result = {"utf8_s": t1 - t, "gb18030_s": time.perf_counter() - t1}
    """,
    "import_utf8": _IMPORT.format(name="utf8", suffix=""),
    "import_gb18030": _IMPORT.format(name="gb18030", suffix="_gb18030"),
    "aggregates_duckdb": """
        from metrics.store import connect, sql
        con = connect(Path(W) / "utf8.duckdb")
        t = time.perf_counter()
        con.execute(sql("case_facts"))
        con.execute(sql("daily_aggregates"))
        result = {"seconds": time.perf_counter() - t,
                  "rows": con.execute("SELECT count(*) FROM dept_daily").fetchone()[0]}
    """,
    "aggregates_pandas": """
        import duckdb
        from bench.pandas_baseline import load_inputs, load_parquet, daily_aggregates
        con = duckdb.connect(str(Path(W) / "utf8.duckdb"), read_only=True)
        t = time.perf_counter()
        cases, cal = load_inputs(con)
        t1 = time.perf_counter()
        out = daily_aggregates(cases, cal)
        t2 = time.perf_counter()
        # pandas' fastest way in: the same columns from a Parquet file (written first, untimed).
        pq = Path(W) / "cases.parquet"
        con.execute(f"COPY (SELECT {', '.join(cases.columns)} FROM cases) TO '{pq}' (FORMAT parquet)")
        del cases
        t3 = time.perf_counter()
        from_parquet = load_parquet(pq)
        parquet_s = time.perf_counter() - t3
        del from_parquet
        pq.unlink()
        # Same table as the SQL's, cell for cell (an independent check of daily_aggregates.sql).
        d = con.execute("SELECT * FROM dept_daily").df()
        key = ["day", "dept"]
        out["dept"] = out["dept"].astype(str)
        d["day"] = d["day"].astype("datetime64[ns]"); out["day"] = out["day"].astype("datetime64[ns]")
        same = d.sort_values(key, ignore_index=True).equals(out[d.columns].sort_values(key, ignore_index=True))
        result = {"seconds": t2 - t1, "load_seconds": t1 - t, "load_parquet_seconds": parquet_s, "rows": len(out),
                  "equal_to_sql": bool(same)}
    """,
    "rank": """
        import statistics
        from metrics.store import connect
        from metrics.periods import parse_period, quarters_back
        from metrics.ranking import ranking
        con = connect(Path(W) / "utf8.duckdb", read_only=True)
        q = parse_period("2026Q3")
        ranking(con, q)  # first query opens the file's blocks
        runs = []
        for _ in range(7):
            t = time.perf_counter(); ranking(con, q); runs.append(time.perf_counter() - t)
        t = time.perf_counter()
        for p in quarters_back(q, 8):
            ranking(con, p)
        result = {"quarter_ms": statistics.median(runs) * 1000, "eight_quarters_ms": (time.perf_counter() - t) * 1000}
    """,
}


def run_step(name: str, workdir: Path, n: int) -> dict:
    code = "import sys, time, json\nfrom pathlib import Path\nsys.path.insert(0, %r)\nW = %r\nN = %d\n" % (
        str(ROOT), str(workdir), n) + textwrap.dedent(STEPS[name]) + "\nprint(json.dumps(result))\n"
    proc = subprocess.Popen([PY, "-c", code], stdout=subprocess.PIPE, cwd=ROOT)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    if status != 0:
        raise SystemExit(f"step {name} failed (status {status})")
    result = json.loads(out.decode().strip().splitlines()[-1])
    result["peak_mb"] = usage.ru_maxrss / 1024  # Linux reports KiB
    return result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=10_000_000)
    ap.add_argument("--workdir", type=Path, default=ROOT / "bench" / "out")
    ap.add_argument("--keep", action="store_true", help="keep the generated files and stores")
    ap.add_argument("--steps", default=",".join(STEPS))
    args = ap.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    results = {}
    for name in args.steps.split(","):
        t = time.perf_counter()
        results[name] = run_step(name, args.workdir, args.cases)
        print(f"{name}: {results[name]} ({time.perf_counter() - t:.1f} s wall)", flush=True)
    (args.workdir / "results.json").write_text(json.dumps(results, indent=2))
    print_table(results, args.cases)
    if not args.keep:
        for p in args.workdir.iterdir():
            if p.name != "results.json":
                shutil.rmtree(p) if p.is_dir() else p.unlink()


def print_table(r: dict, n: int) -> None:
    def row(what, secs, mb, target=""):
        print(f"| {what} | {secs} | {mb:,.0f} MB | {target} |")
    print(f"\n{n:,} cases, {os.cpu_count()} cores\n")
    print("| step | time | peak memory | target |\n|---|---|---|---|")
    if "import_utf8" in r:
        row("import CSV, UTF-8", f"{r['import_utf8']['seconds']:.1f} s", r["import_utf8"]["peak_mb"], "< 60 s, < 4 GB")
    if "import_gb18030" in r:
        row("import CSV, GB18030", f"{r['import_gb18030']['seconds']:.1f} s", r["import_gb18030"]["peak_mb"],
            "< 60 s, < 4 GB")
    if "aggregates_duckdb" in r:
        row("per-day aggregates, DuckDB", f"{r['aggregates_duckdb']['seconds']:.2f} s",
            r["aggregates_duckdb"]["peak_mb"], "< 1 GB")
    if "aggregates_pandas" in r:
        p = r["aggregates_pandas"]
        row("per-day aggregates, pandas baseline", f"{p['seconds']:.2f} s (+{p['load_seconds']:.1f} s load from "
            f"the store, or +{p['load_parquet_seconds']:.1f} s from Parquet)", p["peak_mb"],
            f"equal to SQL: {p['equal_to_sql']}")
    if "aggregates_duckdb" in r and "aggregates_pandas" in r:
        d, p = r["aggregates_duckdb"]["seconds"], r["aggregates_pandas"]
        print(f"| speed-up of the aggregates over pandas, computing | {p['seconds'] / d:.1f}× | | ≥ 10× |")
        print(f"| speed-up from the cases at rest (pandas reading Parquet) | "
              f"{(p['seconds'] + p['load_parquet_seconds']) / d:.1f}× | | |")
    if "rank" in r:
        row("ranking, one quarter (median of 7)", f"{r['rank']['quarter_ms']:.1f} ms", r["rank"]["peak_mb"], "< 50 ms")
        row("ranking, eight quarters", f"{r['rank']['eight_quarters_ms']:.0f} ms", r["rank"]["peak_mb"])


if __name__ == "__main__":
    main()
