"""`python -m metrics aggregate`: a new store the dashboard reads, built from a lake alone.

The per-department per-day numerators and denominators (`dept_daily`) come from the chosen
engine: DuckDB over the store's own copy of the cases, or Spark over the lake's Parquet.
The store also holds the cases themselves (the drill-downs list them), the catalogue, the
departments and the lake's calendar, so every page, `rank` and the downloads work on it
as on a store built by imports. Built beside the target and moved into place, so a running
dashboard never sees half a store; when the target exists, its published revisions (spec 10)
are carried into the new store, since a monthly rebuild must not unpublish anything.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from datetime import datetime
from pathlib import Path

import duckdb

from metrics.lake import CALENDAR_TABLES, CASE_FIELDS, CATALOGUE_FIELDS, CASES_DIR, OTHER_TABLES, cases_glob, \
    check_lake, read_cases_sql
from metrics.render import daily_columns
from metrics.store import connect, has_table, sql

# Import ids of the three ledger rows a lake store starts with: one per file it read.
_IMPORTS = {"catalogue": 1, "departments": 2, "cases": 3}
# What a rebuild keeps from the store it replaces: published revisions never change (spec 10).
KEPT_TABLES = ("publications", "published_rankings", "published_figures")


def build_store(lake: Path, db: Path, engine: str = "duckdb", spark_master: str = "local[*]",
                spark=None) -> dict:
    """Build `db` from the lake at `lake`; `spark`, when given, is a running SparkSession to use
    (tests share one). Returns the counts and timings the CLI prints."""
    check_lake(lake)
    db.parent.mkdir(parents=True, exist_ok=True)
    kept = _kept_from(db)
    timings: dict[str, float] = {}
    with tempfile.TemporaryDirectory(dir=db.parent) as tmp:
        tmp_db = Path(tmp) / db.name
        con = connect(tmp_db)
        try:
            t = time.perf_counter()
            counts = _load(con, lake)
            for table, rows in kept.items():
                con.register("kept_rows", rows)
                con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM kept_rows")
                con.unregister("kept_rows")
                counts[table] = rows.num_rows
            timings["load_s"] = time.perf_counter() - t
            t = time.perf_counter()
            if engine == "spark":
                from metrics.engines import spark as spark_engine
                spark = spark or spark_engine.active_session()
                own = spark is None  # a session this call starts, it stops
                spark = spark or spark_engine.session(spark_master)
                try:
                    daily = spark_engine.daily_aggregates(spark, lake)
                finally:
                    if own:
                        spark.stop()
                _store_daily(con, daily)
            else:
                con.execute(sql("daily_aggregates"))
            timings["aggregates_s"] = time.perf_counter() - t
            counts["dept_daily"] = con.execute("SELECT count(*) FROM dept_daily").fetchone()[0]
            con.execute("CHECKPOINT")
        finally:
            con.close()
        for old in (db, db.with_name(db.name + ".wal")):
            old.unlink(missing_ok=True)
        shutil.move(str(tmp_db), db)
    return {"db": str(db), "engine": engine, "rows": counts,
            **{k: round(v, 2) for k, v in timings.items()}}


def _kept_from(db: Path) -> dict:
    """The published revisions of the store being replaced, if there is one. Read before
    anything is built: a store the dashboard holds open fails here, with DuckDB's message."""
    if not db.exists():
        return {}
    old = connect(db, read_only=True)
    try:
        return {t: old.cursor().sql(f"SELECT * FROM {t}").to_arrow_table() for t in KEPT_TABLES if has_table(old, t)}
    finally:
        old.close()


def _load(con: duckdb.DuckDBPyConnection, lake: Path) -> dict:
    """Cases, catalogue, departments and calendar from the lake, each with its ledger row."""
    counts = {}
    for kind, query in (
        ("catalogue", f"SELECT {', '.join(CATALOGUE_FIELDS)} FROM read_parquet($path)"),
        ("departments", "SELECT dept, category FROM read_parquet($path)"),
        ("cases", read_cases_sql()),
    ):
        path = cases_glob(lake) if kind == "cases" else str(lake / OTHER_TABLES[kind])
        key = "cases" if kind == "cases" else "path"
        # source_row: the row's place in the lake's read order (a lake has no header row).
        con.execute(f"INSERT INTO {kind} SELECT *, $import_id, row_number() OVER () FROM ({query})",
                    {key: path, "import_id": _IMPORTS[kind]})
        n = con.execute(f"SELECT count(*) FROM {kind} WHERE import_id = $id", {"id": _IMPORTS[kind]}).fetchone()[0]
        counts[kind] = n
        if n or kind == "cases":
            _ledger(con, kind, n, CASES_DIR + "/" if kind == "cases" else OTHER_TABLES[kind])
    for table, file in CALENDAR_TABLES.items():
        con.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT * FROM read_parquet($path)",
                    {"path": str(lake / file)})
    con.execute(sql("case_facts"))
    # The years the cases use, as an import keeps them: a later import into this store then
    # updates it rather than rebuilding everything (metrics/aggregates.py).
    con.execute(sql("case_years"))
    con.execute(sql("case_days"))
    # The Department page's item table, from the cases by DuckDB: Spark's part is the figures.
    con.execute(sql("item_daily"))
    return counts


def _ledger(con: duckdb.DuckDBPyConnection, kind: str, n: int, file_name: str) -> None:
    """A lake's rows were checked by the imports of the store they came from: all accepted."""
    columns = {"cases": CASE_FIELDS, "catalogue": CATALOGUE_FIELDS, "departments": ("dept", "category")}[kind]
    con.execute(
        "INSERT INTO imports VALUES ($id, $kind, $file, 'parquet', NULL, $at, $n, $n, 0, 0, $n, 0, $used, '{}', NULL)",
        {"id": _IMPORTS[kind], "kind": kind, "file": f"lake: {file_name}", "at": datetime.now().replace(microsecond=0),
         "n": n, "used": json.dumps({c: c for c in columns})})


def _store_daily(con: duckdb.DuckDBPyConnection, daily) -> None:
    """Spark's rows as `dept_daily`, with the column names, types and order DuckDB's own has."""
    want = ["dept", "day", *daily_columns()]
    if daily.column_names != want:
        raise ValueError(f"Spark returned columns {daily.column_names}, expected {want}")
    cols = ", ".join(["dept", "day", *(f"CAST({c} AS BIGINT) AS {c}" for c in want[2:])])
    con.register("spark_daily", daily)
    try:
        con.execute(f"CREATE OR REPLACE TABLE dept_daily AS SELECT {cols} FROM spark_daily ORDER BY day, dept")
    finally:
        con.unregister("spark_daily")
