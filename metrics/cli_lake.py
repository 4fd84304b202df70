"""`python -m metrics export-cases` and `python -m metrics aggregate`: a store's cases as a lake
of Parquet, and a new store built from such a lake on DuckDB or Apache Spark (docs/spark.md).

`metrics/cli.py` owns the parser and the error handling; these subcommands add their
arguments here and run here.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from metrics.engines import ENGINES
from metrics.settings import Settings
from metrics.store import connect

COMMANDS = ("export-cases", "aggregate")


def add_parsers(sub) -> None:
    e = sub.add_parser("export-cases", help="write a store's cases as Parquet by month, with its catalogue, "
                                            "departments and calendar (a lake)")
    e.add_argument("--db", type=Path)
    e.add_argument("--out", type=Path, required=True, help="a new or empty folder")
    a = sub.add_parser("aggregate", help="build a new store the dashboard reads from a lake, on DuckDB or Spark")
    a.add_argument("--cases", type=Path, dest="lake", required=True, help="the folder export-cases wrote")
    a.add_argument("--db", type=Path, required=True, help="the store to build (replaced if it exists)")
    a.add_argument("--engine", choices=ENGINES, default=None, help="default: engine in dashboard.toml, else duckdb")
    a.add_argument("--spark-master", default=None,
                   help="local[N], spark://host:7077, yarn, k8s://…, sc://host:15002 (default: dashboard.toml, "
                        "else local[*])")


def run(args: argparse.Namespace, settings: Settings, db: Path) -> int:
    from metrics.cli import UsageError
    if args.command == "export-cases":
        from metrics.lake import export_cases
        if not Path(db).is_file():
            raise UsageError(f"python -m metrics export-cases: {db}: no such database")
        con = connect(db, read_only=True)
        try:
            out = export_cases(con, args.out)
        finally:
            con.close()
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    from metrics.engines.aggregate import build_store
    if args.db.is_dir():
        raise UsageError(f"python -m metrics aggregate: {args.db}: is a folder; --db names the store's file")
    engine = args.engine or settings.engine
    master = args.spark_master or settings.spark_master
    out = build_store(args.lake, args.db, engine, master)
    from metrics import reading_copy
    reading_copy.write_for(args.db)  # built under another name: its copy goes beside the store now
    print(json.dumps(out, ensure_ascii=False, indent=2))
    return 0
