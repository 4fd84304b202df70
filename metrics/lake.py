"""A store's canonical cases as a lake of Parquet: the layout a province's platform holds.

    DIR/cases/month=2025-07/*.parquet   the canonical case fields, one folder per month of acceptance
    DIR/catalogue.parquet               the item catalogue (may have no rows)
    DIR/departments.parquet             departments and their evaluation categories (spec 10)
    DIR/calendar.parquet                the working-day calendar, the same table both engines use
    DIR/workdays.parquet                the n-th working day by its number
    DIR/calendar_meta.parquet           which calendar it is and the years it does not cover

Timestamps are written in microseconds without a time zone (Spark cannot read pandas'
nanoseconds), exactly as DuckDB stores them. No import bookkeeping (import ids, source
rows) and no personal data: the store never held any.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from metrics.store import has_table

CASES_DIR = "cases"
CASE_FIELDS = (
    "case_id", "dept", "item_code", "item_name", "item_type", "channel", "accepted_at", "completed_at",
    "statutory_limit_days", "promised_limit_days", "due_at", "window_signed", "rating", "rated_at", "status",
)
CATALOGUE_FIELDS = (
    "item_code", "item_name", "dept", "item_type", "statutory_limit_days", "promised_limit_days", "must_enter",
    "exempt", "entered_on", "online_enabled_on", "retired_on",
)
CALENDAR_TABLES = {"calendar": "calendar.parquet", "workdays": "workdays.parquet",
                   "calendar_meta": "calendar_meta.parquet"}
OTHER_TABLES = {"catalogue": "catalogue.parquet", "departments": "departments.parquet"}
# A million rows per file: few enough files per month for Spark to plan quickly.
_ROWS_PER_FILE = 1_000_000


class LakeError(Exception):
    """A folder that is not a lake, or a store with nothing to export (one line for the CLI)."""


def export_cases(con: duckdb.DuckDBPyConnection, out: Path) -> dict:
    """Write the store's cases, catalogue, departments and calendar under `out` (a new or
    empty folder). Returns what was written, for the CLI to print."""
    if not has_table(con, "calendar") or not con.execute("SELECT count(*) FROM cases").fetchone()[0]:
        raise LakeError("the store holds no imported cases: nothing to export")
    out.mkdir(parents=True, exist_ok=True)
    if any(out.iterdir()):
        raise LakeError(f"{out}: the folder is not empty; give a new one")
    cur = con.cursor()
    cases = cur.sql(
        f"SELECT {', '.join(CASE_FIELDS)}, strftime(accepted_at, '%Y-%m') AS month FROM cases "
        "ORDER BY accepted_at, case_id").to_arrow_reader(100_000)
    ds.write_dataset(cases, out / CASES_DIR, format="parquet", partitioning=["month"],
                     partitioning_flavor="hive", basename_template="part-{i}.parquet",
                     max_rows_per_file=_ROWS_PER_FILE, max_rows_per_group=100_000)
    tables = {
        "catalogue": f"SELECT {', '.join(CATALOGUE_FIELDS)} FROM catalogue ORDER BY item_code",
        "departments": "SELECT dept, category FROM departments ORDER BY dept",
        "calendar": "SELECT day, is_workday, workday_no, covered FROM calendar ORDER BY day",
        "workdays": "SELECT workday_no, day FROM workdays ORDER BY workday_no",
        "calendar_meta": "SELECT * FROM calendar_meta",
    }
    files = {**CALENDAR_TABLES, **OTHER_TABLES}
    written = {}
    for name, query in tables.items():
        table = cur.sql(query).to_arrow_table()
        pq.write_table(table, out / files[name])
        written[name] = table.num_rows
    months = sorted(p.name.removeprefix("month=") for p in (out / CASES_DIR).iterdir())
    written = {"cases": cur.execute("SELECT count(*) FROM cases").fetchone()[0], **written}
    return {"out": str(out), "rows": written, "months": [months[0], months[-1]] if months else []}


def check_lake(lake: Path) -> None:
    """A clear message when `lake` is not a folder export-cases wrote."""
    if not lake.is_dir():
        raise LakeError(f"{lake}: no such folder")
    missing = [name for name in (CASES_DIR, *CALENDAR_TABLES.values(), *OTHER_TABLES.values())
               if not (lake / name).exists()]
    if missing:
        raise LakeError(f"{lake}: not a case lake (missing {', '.join(missing)}); write one with export-cases")
    if not any((lake / CASES_DIR).rglob("*.parquet")):
        raise LakeError(f"{lake}: {CASES_DIR}/ holds no Parquet files")


def read_cases_sql() -> str:
    """The lake's cases for DuckDB; the path is a parameter ($cases)."""
    return f"SELECT {', '.join(CASE_FIELDS)} FROM read_parquet($cases, hive_partitioning = false)"


def cases_glob(lake: Path) -> str:
    return str(lake / CASES_DIR / "*" / "*.parquet")
