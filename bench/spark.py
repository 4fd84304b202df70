"""Spark against DuckDB on the same lake: cases per second, growth, and the dashboard's memory.

    nice -n 10 .venv/bin/python bench/spark.py [--sizes 1000000,10000000,50000000] [--master local[2]]

For each size a lake is generated under `--workdir` (default /tmp/bench_spark): the cases of
a 200,000-case demo store, repeated with new case ids until the size is reached, Parquet by
month, with the demo's catalogue and calendar (the layout `export-cases` writes). Then, each
in its own process so that its peak memory is its own:

- duckdb: the per-day aggregates (case_facts + daily_aggregates.sql) over the lake's Parquet;
- spark: the same, rendered for Spark (metrics/sql/spark/), on `--master`; the session's start
  is timed apart from the aggregates, and the JVM's peak resident memory read from /proc;
- at `--dashboard-size`, the spark step builds the store through `aggregate`'s code on its
  session, and the dashboard step renders the Overview and Rankings pages on that store
  through AppTest: the peak memory of that process is what a dashboard reading Spark's
  aggregates needs.

On a machine others are using, wall time says more about them than about the engine: each
engine's CPU seconds are reported too (DuckDB's process; Spark's JVM, which in local mode
runs the executors), and cases per CPU second compare the engines' work.

Each lake is removed after its size is done. The machine is shared: run it with nice, and
read the figures with the load average printed beside them.
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
BASE_CASES = 200_000

STEPS = {
    "base": """
        from metrics.cli import build_demo
        from metrics.lake import export_cases
        from metrics.store import connect
        db = W / "base.duckdb"
        if not (W / "base_lake").exists():
            build_demo(db, BASE, 7)
            con = connect(db, read_only=True)
            export_cases(con, W / "base_lake")
            con.close()
        result = {}
    """,
    "lake": """
        import duckdb, shutil
        import pyarrow.dataset as ds
        from metrics.lake import CASE_FIELDS, CALENDAR_TABLES, OTHER_TABLES
        base, lake = W / "base_lake", W / f"lake_{N}"
        shutil.rmtree(lake, ignore_errors=True)
        lake.mkdir()
        for f in (*CALENDAR_TABLES.values(), *OTHER_TABLES.values()):
            shutil.copy(base / f, lake / f)
        con = duckdb.connect(config={"memory_limit": "3GB", "preserve_insertion_order": False})
        n_base = con.execute("SELECT count(*) FROM read_parquet($p)", {"p": str(base / "cases/*/*.parquet")}).fetchall()[0][0]
        copies = -(-N // n_base)
        fields = ", ".join(f if f != "case_id" else "case_id || '#' || k AS case_id" for f in CASE_FIELDS)
        t = time.perf_counter()
        reader = con.sql(
            f"SELECT {fields}, strftime(accepted_at, '%Y-%m') AS month "
            f"FROM read_parquet('{base}/cases/*/*.parquet', hive_partitioning = false), range({copies}) r(k) "
            f"LIMIT {N}").to_arrow_reader(100_000)
        ds.write_dataset(reader, lake / "cases", format="parquet", partitioning=["month"], partitioning_flavor="hive",
                         basename_template="part-{i}.parquet", max_rows_per_file=1_000_000,
                         max_rows_per_group=100_000)
        size = sum(p.stat().st_size for p in (lake / "cases").rglob("*.parquet"))
        result = {"seconds": time.perf_counter() - t, "parquet_mb": size / 2**20}
    """,
    "duckdb": """
        import duckdb, resource
        from metrics.lake import read_cases_sql, cases_glob
        from metrics.store import sql
        lake = W / f"lake_{N}"
        con = duckdb.connect(config={"memory_limit": "3GB", "preserve_insertion_order": False, "threads": 2})
        cpu = lambda: sum(resource.getrusage(resource.RUSAGE_SELF)[:2])
        t, c = time.perf_counter(), cpu()
        con.execute(f"CREATE VIEW cases AS {read_cases_sql().replace('$cases', repr(cases_glob(lake)))}")
        for table in ("calendar", "workdays"):
            con.execute(f"CREATE TABLE {table} AS SELECT * FROM read_parquet('{lake / (table + '.parquet')}')")
        con.execute(sql("case_facts"))
        con.execute(sql("daily_aggregates"))
        rows = con.execute("SELECT count(*), sum(accepted_cases) FROM dept_daily").fetchone()
        result = {"seconds": time.perf_counter() - t, "cpu_seconds": cpu() - c, "dept_daily_rows": rows[0],
                  "cases": rows[1]}
    """,
    "spark": """
        import os
        from metrics.engines import spark as se
        from metrics.engines.aggregate import build_store
        lake = W / f"lake_{N}"
        t = time.perf_counter()
        spark = se.session(MASTER)
        start = time.perf_counter() - t
        pid = spark.sparkContext._jvm.java.lang.ProcessHandle.current().pid()
        def jvm_cpu():  # utime + stime of the JVM, which runs the executors in local mode
            fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        t, c = time.perf_counter(), jvm_cpu()
        if N == DASHBOARD:  # the store the dashboard step reads, built by aggregate on this session
            built = build_store(lake, W / "spark_store.duckdb", "spark", MASTER, spark=spark)
            rows, cases = built["rows"]["dept_daily"], N
            seconds, store_load = built["aggregates_s"], built["load_s"]
        else:
            import pyarrow.compute as pc
            daily = se.daily_aggregates(spark, lake)
            seconds, store_load = time.perf_counter() - t, None
            rows, cases = daily.num_rows, pc.sum(daily["accepted_cases"]).as_py()
        cpu = jvm_cpu() - c
        hwm = next(int(l.split()[1]) for l in open(f"/proc/{pid}/status") if l.startswith("VmHWM"))
        spark.stop()
        result = {"seconds": seconds, "cpu_seconds": cpu, "session_start_seconds": start, "jvm_peak_mb": hwm / 1024,
                  "dept_daily_rows": rows, "cases": cases, "store_load_seconds": store_load}
    """,
    "dashboard": """
        import os
        sys.path.insert(0, str(ROOT / "tests"))
        os.environ["METRICS_DB"] = str(W / "spark_store.duckdb")
        from streamlit.testing.v1 import AppTest
        from conftest_app import DASHBOARD, goto
        t = time.perf_counter()
        at = AppTest.from_file(DASHBOARD, default_timeout=600)
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        goto(at, "rankings")
        assert not at.exception, [e.value for e in at.exception]
        result = {"seconds": time.perf_counter() - t, "ranked_rows": len(at.dataframe[0].value)}
    """,
}


def run_step(name: str, workdir: Path, n: int, master: str, dashboard_size: int = 0) -> dict:
    code = ("import sys, time, json\nfrom pathlib import Path\nROOT = Path(%r)\nsys.path.insert(0, str(ROOT))\n"
            "W = Path(%r)\nN = %d\nBASE = %d\nMASTER = %r\nDASHBOARD = %d\n" % (
                str(ROOT), str(workdir), n, BASE_CASES, master, dashboard_size)
            + textwrap.dedent(STEPS[name]) + "\nprint(json.dumps(result))\n")
    # Spark's log lines go to a file, read when a step fails.
    err = workdir / f"{name}.stderr"
    with err.open("wb") as fh:
        proc = subprocess.Popen([PY, "-c", code], stdout=subprocess.PIPE, stderr=fh, cwd=ROOT)
        out = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)
    if status != 0:
        raise SystemExit(f"step {name} at {n:,} failed (status {status}); see {err}")
    result = json.loads(out.decode().strip().splitlines()[-1])
    result["peak_mb"] = usage.ru_maxrss / 1024  # Linux reports KiB; the largest process of the step
    result["load_average"] = os.getloadavg()[0]
    return result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000000,10000000,50000000")
    ap.add_argument("--master", default="local[2]")
    ap.add_argument("--engines", default="duckdb,spark")
    ap.add_argument("--dashboard-size", type=int, default=10_000_000)
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/bench_spark"))
    args = ap.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    results: dict = {}
    out = args.workdir / "results.json"
    run_step("base", args.workdir, 0, args.master)
    for n in (int(s) for s in args.sizes.split(",")):
        results[n] = {}
        steps = ["lake", *args.engines.split(",")]
        if n == args.dashboard_size and "spark" in steps:
            steps.append("dashboard")
        for step in steps:
            t = time.perf_counter()
            r = results[n][step] = run_step(step, args.workdir, n, args.master, args.dashboard_size)
            if step in ("duckdb", "spark"):
                r["cases_per_second"] = n / r["seconds"]
                r["cases_per_cpu_second"] = n / r["cpu_seconds"]
            print(f"{n:,} {step}: {json.dumps(r)} ({time.perf_counter() - t:.1f} s wall)", flush=True)
            out.write_text(json.dumps(results, indent=2))
        shutil.rmtree(args.workdir / f"lake_{n}", ignore_errors=True)
        (args.workdir / "spark_store.duckdb").unlink(missing_ok=True)
    print_table(results)


def print_table(results: dict) -> None:
    print("| cases | engine | aggregates, wall | CPU seconds | cases per CPU second | peak memory | load average |")
    print("|---|---|---|---|---|---|---|")
    for n, steps in results.items():
        for engine in ("duckdb", "spark"):
            r = steps.get(engine)
            if not r:
                continue
            mem = f"{r['peak_mb']:,.0f} MB" if engine == "duckdb" else \
                f"{r['jvm_peak_mb']:,.0f} MB JVM + {r['peak_mb']:,.0f} MB Python"
            extra = f" (+{r['session_start_seconds']:.0f} s session start)" if engine == "spark" else ""
            print(f"| {int(n):,} | {engine} | {r['seconds']:.1f} s{extra} | {r['cpu_seconds']:.1f} "
                  f"| {r['cases_per_cpu_second']:,.0f} | {mem} | {r['load_average']:.1f} |")
        if "dashboard" in steps:
            d = steps["dashboard"]
            print(f"| {int(n):,} | dashboard on Spark's store | {d['seconds']:.1f} s (Overview, Rankings) | | "
                  f"| {d['peak_mb']:,.0f} MB | {d['load_average']:.1f} |")


if __name__ == "__main__":
    main()
