"""Scale benchmark (issue 12): a month's import into stores of growing size, and stores up to 100M cases.

    nice -n 10 .venv/bin/python bench/scale.py --sizes 1000000,10000000,30000000 --workdir /tmp/scale
    nice -n 10 .venv/bin/python bench/scale.py --sizes 100000000 --monthly --no-baseline --workdir /tmp/scale

For each size N: the demo generator writes N cases to one Parquet file (seed 7; with
--monthly also one Parquet file per month of acceptance), the store is built from it (and,
with --monthly, a second store from the monthly files, one import each), then:

- month: the same month file is imported into the store: the demo's 2026-09 cases of a
  10M-case log (~420,000 rows, CSV, UTF-8) with sequence numbers from 9,000,000 up in their
  case ids, so they are new in every store; then the same file again (every case replaced
  by itself);
- baseline (unless --no-baseline): the same new month imported into a copy of the store
  the way every import worked before issue 12, rebuilding every case's figures (the
  incremental update is switched off for that one import);
- rank: one quarter's ranking from the store, median of 7;
- size: the store's file after a checkpoint;
- pages: bench/page_render.py on the store (every page cold and warm).

With --replicate-from STORE, each store is made instead by repeating STORE's cases with
changed ids (step "replicate") and building its derived tables as a first import does.

Every step runs in its own process so that its peak resident memory is its own (wait4).
Imports also report their CPU time (all threads of the process): on a machine shared with
other work, wall time stretches with the load while CPU time mostly does not.
Results go to stdout and <workdir>/scale-<N>.json. Generated files and stores are removed
at the end unless --keep.
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
MONTH = "2026-09"
MONTH_SOURCE_CASES = 10_000_000

STEPS = {
    # One Parquet file of N cases (and, with MONTHLY, one per month), and the catalogue.
    "generate": """
        import pyarrow as pa, pyarrow.parquet as pq, pyarrow.compute as pc
        from data.demo import CATALOGUE_COLUMNS, generate_catalogue, iter_case_batches
        from data.demo.files import _write_csv
        out = Path(W); out.mkdir(parents=True, exist_ok=True)
        t = time.perf_counter()
        _write_csv(out / "catalogue.csv", iter([generate_catalogue(7)]), CATALOGUE_COLUMNS, "utf-8")
        whole = None
        months = {}
        for batch in iter_case_batches(N, seed=7, batch_rows=1_000_000):
            if whole is None:
                whole = pq.ParquetWriter(out / "cases.parquet", batch.schema)
            whole.write_table(batch)
            if MONTHLY:
                month = pc.utf8_slice_codeunits(batch.column("受理时间"), 0, 7)
                for m in pc.unique(month).to_pylist():
                    part = batch.filter(pc.equal(month, m))
                    if m not in months:
                        months[m] = pq.ParquetWriter(out / f"month-{m}.parquet", batch.schema)
                    months[m].write_table(part)
        whole.close()
        for w in months.values():
            w.close()
        result = {"seconds": time.perf_counter() - t, "months": len(months),
                  "parquet_mb": (out / "cases.parquet").stat().st_size / 2**20}
    """,
    # The month every store receives: new case ids, the same rows for every size.
    "month_file": """
        import pyarrow as pa, pyarrow.compute as pc, pyarrow.csv as pacsv
        from data.demo import CASE_COLUMNS, iter_case_batches
        from data.demo.files import _write_csv
        out = Path(W) / "month.csv"
        if not out.exists():
            def rows():
                for batch in iter_case_batches(MONTH_SOURCE_CASES, seed=7, batch_rows=1_000_000):
                    part = batch.filter(pc.starts_with(batch.column("受理时间"), MONTH))
                    if len(part):
                        # 2026 + department code + a sequence number from 9,000,000 up: ids the
                        # stores do not hold, shaped like theirs (so min/max statistics of the
                        # case ids can skip no more of the store than they would in real life).
                        old = part.column("办件编号")
                        ids = pc.binary_join_element_wise(pc.utf8_slice_codeunits(old, 0, 7), "9",
                                                          pc.utf8_slice_codeunits(old, 8), "")
                        yield part.set_column(0, "办件编号", ids)
            _write_csv(out, rows(), CASE_COLUMNS, "utf-8")
        result = {"rows": sum(1 for _ in open(out, encoding="utf-8")) - 1, "mb": out.stat().st_size / 2**20}
    """,
    "build": """
        from metrics.store import connect
        from metrics.ingest import import_file
        db = Path(W) / "store.duckdb"; db.unlink(missing_ok=True)
        con = connect(db)
        import_file(con, Path(W) / "catalogue.csv", "catalogue")
        t = time.perf_counter()
        ledger = import_file(con, Path(W) / "cases.parquet", "cases")
        result = {"seconds": time.perf_counter() - t, "rows": ledger.rows_read, "accepted": ledger.accepted}
        con.close()
    """,
    # A store of N cases made from a built store of fewer (SOURCE): its cases repeated with
    # the eighth character of their ids (the sequence's first digit, 0 in the demo) set to
    # A, B, … and
    # every derived table built as a first import builds it. Far quicker than generating and
    # importing N rows, for measuring what happens once a store is that large.
    "replicate": """
        import shutil
        from metrics import aggregates
        from metrics.store import connect
        Path(W).mkdir(parents=True, exist_ok=True)
        db = Path(W) / "store.duckdb"; db.unlink(missing_ok=True)
        shutil.copy(SOURCE, db)
        con = connect(db)
        # The source's own cases only: not the month file's, if it was imported there.
        have = con.execute("SELECT count(*) FROM cases WHERE substr(case_id, 8, 1) = '0'").fetchone()[0]
        copies = round(N / have)
        t = time.perf_counter()
        aggregates.create_next_cases(con)
        for k in range(copies):
            # copy 0 is the store's own; then A, B, …: the month file's ids have a 9 there
            digit = "0" if k == 0 else chr(ord("A") + k - 1)
            con.execute(f"INSERT INTO {aggregates.NEXT_CASES} SELECT * REPLACE ("
                        "substr(case_id, 1, 7) || $d || substr(case_id, 9) AS case_id) FROM cases "
                        "WHERE substr(case_id, 8, 1) = '0'", {"d": digit})
        t1 = time.perf_counter()
        aggregates.build_next(con)
        t2 = time.perf_counter()
        con.execute("BEGIN TRANSACTION"); aggregates.swap_in(con); con.execute("COMMIT")
        con.execute("CHECKPOINT")
        result = {"copies": copies, "cases": con.execute("SELECT count(*) FROM cases").fetchone()[0],
                  "insert_s": t1 - t, "derived_s": t2 - t1, "swap_s": time.perf_counter() - t2}
        con.close()
    """,
    "build_monthly": """
        from metrics.store import connect
        from metrics.ingest import import_file
        db = Path(W) / "monthly.duckdb"; db.unlink(missing_ok=True)
        con = connect(db)
        import_file(con, Path(W) / "catalogue.csv", "catalogue")
        per_month = []
        t = time.perf_counter()
        for f in sorted(Path(W).glob("month-*.parquet")):
            t1 = time.perf_counter()
            ledger = import_file(con, f, "cases")
            per_month.append({"file": f.name, "rows": ledger.rows_read, "seconds": time.perf_counter() - t1,
                              "full_rebuild": ledger.full_rebuild})
            print(json.dumps(per_month[-1]), file=sys.stderr, flush=True)
        result = {"seconds": time.perf_counter() - t, "months": per_month}
        con.close()
    """,
    "month": """
        from metrics.store import connect
        from metrics.ingest import import_file
        con = connect(Path(W) / "store.duckdb")
        month = Path(W).parent / "month.csv"
        result = {}
        for run in ("new", "again"):
            marks, cpu_marks = {}, {}
            def progress(done, total, stage):
                # the last call of each stage: when it ended
                marks[stage], cpu_marks[stage] = time.perf_counter(), time.process_time()
            t, cpu = time.perf_counter(), time.process_time()
            ledger = import_file(con, month, "cases", progress=progress)
            end, cpu_end = time.perf_counter(), time.process_time()
            result[run] = {"seconds": end - t, "cpu_s": cpu_end - cpu,
                           "inserted": ledger.inserted, "updated": ledger.updated,
                           "full_rebuild": ledger.full_rebuild,
                           # reading and staging the file; checking its rows; then everything that
                           # touches the store (new cases, the update of the sums, the transaction)
                           "read_s": marks["read"] - t, "check_s": marks["checked"] - marks["read"],
                           "store_s": end - marks["checked"], "store_cpu_s": cpu_end - cpu_marks["checked"]}
        con.close()
    """,
    # The same import as "month", rebuilding every case's figures as every import did before.
    "baseline": """
        import shutil
        from metrics import aggregates
        from metrics.store import connect
        from metrics.ingest import import_file
        src, db = Path(W) / "store.duckdb", Path(W) / "baseline.duckdb"
        shutil.copy(src, db)
        aggregates.update_blocker = lambda con: "benchmark: the rebuild every import did before"
        con = connect(db)
        marks, cpu_marks = {}, {}
        def progress(done, total, stage):
            marks[stage], cpu_marks[stage] = time.perf_counter(), time.process_time()
        t, cpu = time.perf_counter(), time.process_time()
        ledger = import_file(con, Path(W).parent / "month.csv", "cases", progress=progress)
        end, cpu_end = time.perf_counter(), time.process_time()
        result = {"seconds": end - t, "cpu_s": cpu_end - cpu, "full_rebuild": ledger.full_rebuild,
                  "read_s": marks["read"] - t, "check_s": marks["checked"] - marks["read"],
                  "store_s": end - marks["checked"], "store_cpu_s": cpu_end - cpu_marks["checked"]}
        con.close(); db.unlink()
    """,
    "rank": """
        import statistics
        from metrics.store import connect
        from metrics.periods import parse_period
        from metrics.ranking import ranking
        con = connect(Path(W) / "store.duckdb")
        con.execute("CHECKPOINT")
        q = parse_period("2026Q2")
        ranking(con, q)  # first query opens the file's blocks
        runs = []
        for _ in range(7):
            t = time.perf_counter(); ranking(con, q); runs.append(time.perf_counter() - t)
        cases = con.execute("SELECT count(*) FROM cases").fetchone()[0]
        block, used = con.execute("SELECT block_size, used_blocks FROM pragma_database_size()").fetchone()
        con.close()
        result = {"quarter_ms": statistics.median(runs) * 1000, "cases": cases,
                  "store_mb": (Path(W) / "store.duckdb").stat().st_size / 2**20, "used_mb": block * used / 2**20}
    """,
}


class StepFailed(RuntimeError):
    pass


def run_step(name: str, workdir: Path, n: int, monthly: bool = False, source: Path | None = None) -> dict:
    code = ("import sys, time, json\nfrom pathlib import Path\nsys.path.insert(0, %r)\nW = %r\nN = %d\n"
            "MONTHLY = %r\nMONTH = %r\nMONTH_SOURCE_CASES = %d\nSOURCE = %r\n") % (
        str(ROOT), str(workdir), n, monthly, MONTH, int(os.environ.get("SCALE_MONTH_SOURCE", MONTH_SOURCE_CASES)),
        str(source)) \
        + textwrap.dedent(STEPS[name]) + "\nprint(json.dumps(result))\n"
    proc = subprocess.Popen([PY, "-c", code], stdout=subprocess.PIPE, cwd=ROOT)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    if status != 0:
        raise StepFailed(f"step {name} failed (status {status}, peak {usage.ru_maxrss // 1024} MB)")
    result = json.loads(out.decode().strip().splitlines()[-1])
    result["peak_mb"] = usage.ru_maxrss / 1024  # Linux reports KiB
    return result


def run_pages(store: Path) -> dict:
    """bench/page_render.py on the store: its table as printed, and its process's peak memory."""
    t = time.perf_counter()
    proc = subprocess.run([PY, str(ROOT / "bench" / "page_render.py"), str(store), "--repeat", "3"],
                          capture_output=True, text=True, cwd=ROOT)
    return {"output": proc.stdout + proc.stderr, "status": proc.returncode, "seconds": time.perf_counter() - t}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000000,10000000,30000000")
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/scale"))
    ap.add_argument("--monthly", action="store_true", help="also build a store from one file per month")
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument("--no-pages", action="store_true")
    ap.add_argument("--keep", action="store_true", help="keep the generated files and stores")
    ap.add_argument("--steps", help="only these steps, comma-separated (e.g. build,rank,month on files "
                                    "generated by an earlier run with --keep)")
    ap.add_argument("--replicate-from", type=Path, metavar="STORE",
                    help="make each store by repeating the cases of STORE instead of generating and importing")
    args = ap.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    print("month file:", run_step("month_file", args.workdir, 0), flush=True)
    for n in (int(s) for s in args.sizes.split(",")):
        w = args.workdir / f"n{n}"
        results: dict = {"cases": n, "started": time.strftime("%Y-%m-%d %H:%M %Z"),
                         "load_before": os.getloadavg()}
        # The monthly build first: it is how a centre's store grows, and at 100M the one-file
        # build is the step most likely to run out of time or memory.
        steps = (["replicate"] if args.replicate_from else ["generate"]) \
            + (["build_monthly"] if args.monthly else []) + ([] if args.replicate_from else ["build"]) \
            + ["rank", "month"] + ([] if args.no_baseline else ["baseline"])
        if args.steps:
            steps = [name for name in args.steps.split(",") if name in STEPS]
        report = args.workdir / f"scale-{n}.json"
        if report.exists():  # an earlier run's figures for this size stay: these are added
            results = {**json.loads(report.read_text()), **{k: v for k, v in results.items() if k == "load_before"}}
        for name in steps:
            t = time.perf_counter()
            try:
                results[name] = run_step(name, w, n, args.monthly, args.replicate_from)
            except StepFailed as failed:
                results[name] = {"failed": str(failed)}
            results[name]["load"] = os.getloadavg()
            results[name]["wall_s"] = time.perf_counter() - t
            print(f"{n:,} {name}: {results[name]}", flush=True)
            # written after every step: a run of hours cut short still leaves its figures
            report.write_text(json.dumps(results, indent=2))
            if "failed" in results[name] and name in ("generate", "replicate"):
                break
        if not args.no_pages:
            results["pages"] = run_pages(w / "store.duckdb")
            print(results["pages"]["output"], flush=True)
        results["disk_mb"] = sum(p.stat().st_size for p in w.iterdir() if p.is_file()) / 2**20
        report.write_text(json.dumps(results, indent=2))
        if not args.keep:
            shutil.rmtree(w)


if __name__ == "__main__":
    main()
