"""Importing case logs and item catalogues into the store (spec 1).

The file is staged and every row checked set-wise in DuckDB (`sql/cases_check.sql`) in
scratch tables; the accepted rows become cases (replacing earlier rows of the same case)
and what derives from them is prepared beside the live tables, where DuckDB can spill to
disk (`metrics/aggregates.py`): an update of the days and departments those cases fall on,
or, on a first import or a calendar change, a rebuild of everything (the ledger says why).
One short transaction then swaps them in with the rejects and the ledger, so a failure or
a kill at any point leaves the data imported before as it was.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
from pydantic import BaseModel

from metrics import aggregates, alert_results, reading_copy
from metrics.control_chars import has_control
from metrics.exports import write_csv
from metrics.fields import CASE_FIELDS, CATALOGUE_FIELDS, ENUM_VALUES, Field, is_personal, normalise_header
from metrics.mapping import Mapping
from metrics.readers import Source, SourceError, open_source
from metrics.readers.ahead import read_ahead
from metrics.rejections import REASONS, message
from metrics.store import data_version, has_table, params_for, run_script, sql

log = logging.getLogger(__name__)

Progress = Callable[[int, "int | None", str], None]

DEFAULT_TIMESTAMP_FORMATS = [
    f"{d}{t}"
    for d in ("%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日")
    for t in (" %H:%M:%S", " %H:%M:%S.%f", "T%H:%M:%S", "T%H:%M:%S.%f", " %H:%M", "")
]


class ImportError_(Exception):
    """An import that could not run at all (no data was changed)."""


class Ledger(BaseModel):
    """Where every row of one import went (spec 1.4): rows_read = accepted + rejected + repeats."""
    import_id: int
    kind: str
    file: str
    rows_read: int
    accepted: int
    rejected: int
    repeats: int
    inserted: int
    updated: int
    rejected_by_reason: dict[str, int] = {}
    columns_used: dict[str, str] = {}
    columns_dropped: dict[str, str] = {}
    rejects_file: str | None = None
    uncovered_years: list[int] = []
    # Why every case's figures were computed again (a first import, a calendar change);
    # None when the import only updated the days and departments its cases touch.
    full_rebuild: str | None = None

    def balances(self) -> bool:
        return self.rows_read == self.accepted + self.rejected + self.repeats

    def to_json(self) -> dict:
        return self.model_dump()


@dataclass
class ColumnPlan:
    used: dict[str, str]      # canonical field -> source header
    dropped: dict[str, str]   # source header -> why it is not stored


def plan_columns(headers: list[str], fields: tuple[Field, ...], mapping: Mapping, file_name: str) -> ColumnPlan:
    """Which source column feeds which field: the mapping file first, then the aliases."""
    by_norm: dict[str, str] = {}
    for h in headers:
        by_norm.setdefault(normalise_header(h), h)
    used: dict[str, str] = {}
    # Columns the mapping names are reserved first, so no other field can take them by alias.
    for f in fields:
        if f.name in mapping.columns:
            wanted = mapping.columns[f.name]
            src = by_norm.get(normalise_header(wanted))
            if src is None:
                raise ImportError_(
                    f"{file_name}: the mapping names column {wanted!r} for {f.name}, but the file has no such "
                    f"column (its columns: {', '.join(headers)}). Correct the mapping file.")
            used[f.name] = src
    for f in fields:
        if f.name in used:
            continue
        for alias in f.aliases:
            src = by_norm.get(normalise_header(alias))
            if src is not None and src not in used.values():
                used[f.name] = src
                break
    missing = [f for f in fields if f.required and f.name not in used]
    if missing:
        f = missing[0]
        raise ImportError_(
            f"{file_name}: no column for {f.label_zh} ({f.name}); expected a header such as "
            f"{', '.join(f.aliases[:4])}. Rename the column or name it under [columns] in a mapping file.")
    taken = set(used.values())
    dropped = {h: ("personal data, not stored" if is_personal(h) else "not used")
               for h in headers if h not in taken}
    return ColumnPlan(used, dropped)


def value_map_rows(mapping: Mapping) -> list[tuple[str, str, str]]:
    """(field, lowercased source value, canonical value): the mapping's values win over the defaults."""
    defaults = {
        "item_type": ENUM_VALUES["item_type"], "channel": ENUM_VALUES["channel"],
        "status": ENUM_VALUES["status"], "rating": ENUM_VALUES["rating"],
        "window_signed": ENUM_VALUES["boolean"], "must_enter": ENUM_VALUES["boolean"],
        "exempt": ENUM_VALUES["boolean"],
    }
    rows: dict[tuple[str, str], str] = {}
    for table in (mapping.values, defaults):  # first entry wins: the mapping's
        for field_name, targets in table.items():
            for target, sources in targets.items():
                for s in sources:
                    rows.setdefault((field_name, s.strip().lower()), target)
    return [(f, s, t) for (f, s), t in rows.items()]


# A file of more rows than this is staged and checked in a database file beside the store
# (aggregates.STAGING_CATALOG) rather than in temporary tables. DuckDB writes a database's
# tables compressed but spills temporary tables to its temporary folder as they are: a
# 100M-row Parquet file (4 GB) had filled 30 GB of spill, still growing, before its rows were
# checked. Below it temporary tables are quicker (a month's file is read and checked in
# 1.8-2.0 s at 10M cases instead of 2.8 s).
LARGE_FILE_ROWS = 10_000_000
# Rows per batch handed to DuckDB while staging: a row group of DuckDB's, so the next batch is
# read while one is stored (metrics/readers/ahead.py) and the progress bar moves.
STAGING_BATCH_ROWS = 122_880
# Bytes a CSV row takes at the least, to tell a large CSV by its size (its rows are not
# known before it is read): the demo's UTF-8 rows take 207, GBK ones fewer.
_CSV_ROW_BYTES_MIN = 120


def _is_large(source: Source, path: Path) -> bool:
    rows = source.total_rows if source.total_rows is not None else path.stat().st_size // _CSV_ROW_BYTES_MIN
    return rows > LARGE_FILE_ROWS


def _stage(con: duckdb.DuckDBPyConnection, source: Source, plan: ColumnPlan, fields: tuple[Field, ...],
           blanks: list[str], progress: Progress | None, where: str = "temp") -> int:
    """Copy the used columns into the scratch table _import_staging: trimmed, blanks as NULL,
    with file row numbers and whether the row's names hold a control character. One bulk
    statement over a stream of batches, so DuckDB writes compressed row groups to disk
    instead of holding millions of rows in memory."""
    # One source column may feed several fields (a mapping can name it twice): read it once.
    src_cols = list(dict.fromkeys(plan.used.values()))
    position = {h: i for i, h in enumerate(src_cols)}
    names = ["row_no", *plan.used]
    schema = pa.schema([("row_no", pa.int64()), *((n, pa.string()) for n in names[1:]),
                        ("has_control", pa.bool_())])
    blank_set = pa.array(["", *blanks], pa.string())
    done = 0
    raised: list[BaseException] = []

    def trimmed(batch: pa.RecordBatch) -> tuple[int, list[pa.Array]]:
        # Trimming in Arrow is several times faster than in SQL on wide string batches.
        cleaned = []
        for col in batch.columns:
            stripped = pc.utf8_trim_whitespace(col)
            cleaned.append(pc.if_else(pc.is_in(stripped, value_set=blank_set), None, stripped))
        by_field = {f: cleaned[position[h]] for f, h in plan.used.items()}
        return batch.num_rows, [*by_field.values(), has_control(by_field, batch.num_rows)]

    def trimmed_stream():
        # Three stages on two cores: parsing, trimming, storing, each a batch apart.
        parsed = read_ahead(source.batches(columns=src_cols))
        try:
            for batch in parsed:
                yield trimmed(batch)
        finally:
            parsed.close()

    def trimmed_batches():
        nonlocal done
        ahead = read_ahead(trimmed_stream())
        try:
            for n, columns in ahead:
                row_no = pa.array(range(done + 2, done + 2 + n), pa.int64())  # header is row 1
                done += n
                yield pa.RecordBatch.from_arrays([row_no, *columns], schema=schema)
                if progress:
                    progress(done, source.total_rows, "read")
        except BaseException as e:
            # DuckDB wraps what a stream raises; keep the original for the caller.
            raised.append(e)
            raise
        finally:
            ahead.close()  # a stopped import stops reading now, not when the stream is collected

    reader = pa.RecordBatchReader.from_batches(schema, trimmed_batches())
    con.register("_batches", reader)
    try:
        missing = [f.name for f in fields if f.name not in names]
        table = "TEMP TABLE _import_staging" if where == "temp" else f"TABLE {where}.main._import_staging"
        con.execute(f"CREATE OR REPLACE {table} AS SELECT *"
                    + "".join(f", CAST(NULL AS VARCHAR) AS {m}" for m in missing) + " FROM _batches")
    except duckdb.Error:
        if raised:  # the reader's SourceError, or the progress callback's own exception
            raise raised[0] from None
        raise
    finally:
        con.unregister("_batches")
    return done


def _ledger_counts(con: duckdb.DuckDBPyConnection) -> tuple[int, int, int, dict[str, int]]:
    rows_read = con.execute("SELECT count(*) FROM _import_staging").fetchone()[0]
    checked, rejected = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE problem IS NOT NULL) FROM _import_checked").fetchone()
    by_reason = dict(con.execute(
        "SELECT problem.reason, count(*) FROM _import_checked WHERE problem IS NOT NULL GROUP BY 1 ORDER BY 2 DESC"
    ).fetchall())
    return rows_read, rows_read - checked, rejected, by_reason


# Accepted rows whose key is already stored: they replace it (reported as updates).
_UPDATED_SQL = {
    "catalogue": "SELECT count(*) FROM _import_checked c WHERE c.problem IS NULL "
                 "AND c.item_code IN (SELECT item_code FROM catalogue)",
    "departments": "SELECT count(*) FROM _import_checked c WHERE c.problem IS NULL "
                   "AND c.dept IN (SELECT dept FROM departments)",
}
_IMPORT_LOCK = threading.Lock()
SCRATCH_TABLES = ("_import_staging", "_import_checked", aggregates.NEXT_CASES, aggregates.NEW_CASES,
                  aggregates.OLD_CASES)


def _drop_scratch(con: duckdb.DuckDBPyConnection) -> None:
    for t in SCRATCH_TABLES:
        con.execute(f"DROP TABLE IF EXISTS main.{t}")
        con.execute(f"DROP TABLE IF EXISTS temp.main.{t}")
    con.execute("DROP TABLE IF EXISTS temp._value_map")
    aggregates.drop_next(con)


def _next_import_id(con: duckdb.DuckDBPyConnection) -> int:
    return con.execute("SELECT coalesce(max(import_id), 0) + 1 FROM imports").fetchone()[0]


def staging_file(db_path: str | None) -> Path | None:
    """Where a large import stages its rows: `<store>.import.duckdb`; None for a store in memory."""
    return None if not db_path or db_path == ":memory:" else Path(db_path + ".import.duckdb")


def _rejects_path(db_path: str | None, import_id: int, file_name: str) -> Path | None:
    if not db_path or db_path == ":memory:":
        return None
    base = Path(db_path)
    return base.parent / f"{base.stem}-rejects" / f"import-{import_id:04d}-{Path(file_name).stem}.csv"


def import_file(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    kind: str = "cases",
    mapping: Mapping | None = None,
    progress: Progress | None = None,
    calendar_kind: str | None = None,
    calendar_overrides: Path | None = None,
    display_name: str | None = None,
    default_calendar: str = "cn",
) -> Ledger:
    """Import one case log (kind="cases"), catalogue (kind="catalogue") or departments file
    (kind="departments", spec 10). Atomic.

    `progress(rows_done, total_rows_or_None, stage)` is called as rows are read (stage
    "read"), then with rows_done -1 for "checked" and "aggregated" (the ledger's
    `full_rebuild` says whether every case's figures were computed again, and why). While reading it runs
    on the thread DuckDB pulls the file's batches with, not the caller's; an exception it
    raises cancels the import and reaches the caller unchanged.
    """
    # Imports share scratch tables: the dashboard's sessions must take turns.
    with _IMPORT_LOCK:
        return _import_file(con, path, kind, mapping, progress, calendar_kind, calendar_overrides, display_name,
                            default_calendar)


def _import_file(con, path, kind, mapping, progress, calendar_kind, calendar_overrides, display_name,
                 default_calendar) -> Ledger:
    mapping = mapping or Mapping()
    path = Path(path)
    file_name = display_name or path.name
    fields = _fields_of(kind)
    try:
        source = open_source(path, batch_rows=STAGING_BATCH_ROWS)
    except SourceError as e:
        raise ImportError_(str(e)) from None
    plan = plan_columns(source.headers, fields, mapping, file_name)
    formats = ([mapping.options.datetime_format] if mapping.options.datetime_format else []) \
        + DEFAULT_TIMESTAMP_FORMATS
    blanks = [b.strip() for b in mapping.options.blank if b.strip()]

    large = _is_large(source, path)
    db_path = _database_path(con)
    staging_path = staging_file(db_path)
    _drop_scratch(con)  # left behind by an import that was killed
    aggregates.close_staging(con, staging_path)  # likewise
    # A large file's rows go to a staging file beside the store (deleted after the import),
    # or for a store in memory to the store itself; a small file's to temporary tables.
    where = "temp" if not large else aggregates.STAGING_CATALOG if staging_path else "main"
    try:
        if where == aggregates.STAGING_CATALOG:
            aggregates.open_staging(con, staging_path)
        try:
            _stage(con, source, plan, fields, blanks, progress, where=where)
        except SourceError as e:
            raise ImportError_(str(e)) from None
        # One statement for the hundred-odd values: executemany ran one per row (25-40 ms).
        fields_, sources, targets = zip(*value_map_rows(mapping))
        con.execute("CREATE OR REPLACE TEMP TABLE _value_map AS SELECT unnest($f) AS field, unnest($s) AS source, "
                    "unnest($t) AS target", {"f": list(fields_), "s": list(sources), "t": list(targets)})
        check = sql(f"{kind}_check")
        if where != "temp":
            check = check.replace("CREATE OR REPLACE TEMP TABLE _import_checked",
                                  f"CREATE OR REPLACE TABLE {where}.main._import_checked")
        con.execute(check, params_for(check, {"formats": formats}))  # a departments file has no dates
        if progress:
            progress(-1, None, "checked")
        rows_read, repeats, rejected, by_reason = _ledger_counts(con)
        accepted = rows_read - repeats - rejected
        con.execute("DROP TABLE _import_staging")  # _import_checked holds every row still needed
        import_id = _next_import_id(con)
        calendar = {"calendar_kind": calendar_kind or mapping.options.calendar, "overrides": calendar_overrides,
                    "default_calendar": default_calendar}
        uncovered: list[int] = []
        full_rebuild: str | None = None
        if kind == "cases":
            # What derives from the cases is built beside the live tables: outside a
            # transaction DuckDB can spill millions of rows to disk.
            full_rebuild = aggregates.update_blocker(con)
            aggregates.create_next_cases(con, aggregates.NEW_CASES, temporary=full_rebuild is None and not large,
                                         staging=where == aggregates.STAGING_CATALOG)
            run_script(con, "cases_new", {"import_id": import_id})
            if full_rebuild is None:
                aggregates.ensure_case_keys(con)
            aggregates.find_replaced(con, use_keys=full_rebuild is None)
            updated = con.execute(f"SELECT count(*) FROM {aggregates.OLD_CASES}").fetchone()[0]
            if full_rebuild is None:
                update = aggregates.build_update(con, **calendar)
                full_rebuild, uncovered = update.rebuild_reason, update.uncovered_years
        else:
            updated = con.execute(_UPDATED_SQL[kind]).fetchone()[0]
        # A catalogue-only store gets its (empty) derived tables too, so every page has its columns.
        rebuild = full_rebuild is not None or not has_table(con, "dept_daily")
        if rebuild:
            aggregates.create_next_cases(con)
            if kind == "cases":
                run_script(con, "cases_next")
            else:
                con.execute(f"INSERT INTO {aggregates.NEXT_CASES} SELECT * FROM cases")
            uncovered = aggregates.build_next(con, **calendar)
        if progress and (rebuild or kind == "cases"):
            progress(-1, None, "aggregated")
        rejects_path = _rejects_path(db_path, import_id, file_name) if rejected else None
        # The months whose kept alerts this import may change: after a rebuild any case's
        # facts may have (the calendar); a catalogue or departments file changes none.
        touched = None if rebuild else aggregates.touched_months(con) if kind == "cases" else set()
        version_before = data_version(con, db_path)

        # Everything that changes what the dashboard shows happens in this one transaction.
        con.execute("BEGIN TRANSACTION")
        try:
            if kind != "cases":  # catalogue, departments: the newest file wins per key
                run_script(con, f"{kind}_upsert", {"import_id": import_id})
            if rebuild:
                aggregates.swap_in(con)
            elif kind == "cases":
                aggregates.apply_update(con)
            con.execute(
                "INSERT INTO rejects SELECT $id, $file, row_no, problem.field, problem.value, problem.reason "
                "FROM _import_checked WHERE problem IS NOT NULL ORDER BY row_no",
                {"id": import_id, "file": file_name})
            con.execute(
                "INSERT INTO imports VALUES ($id, $kind, $file, $format, $encoding, $at, $read, $accepted, "
                "$rejected, $repeats, $inserted, $updated, $used, $dropped, $rejects_file)",
                {"id": import_id, "kind": kind, "file": file_name, "format": source.format,
                 "encoding": source.encoding, "at": datetime.now().replace(microsecond=0),
                 "read": rows_read, "accepted": accepted, "rejected": rejected, "repeats": repeats,
                 "inserted": accepted - updated, "updated": updated,
                 "used": json.dumps(plan.used, ensure_ascii=False),
                 "dropped": json.dumps(plan.dropped, ensure_ascii=False),
                 "rejects_file": str(rejects_path) if rejects_path else None})
            if kind == "cases":
                aggregates.case_keys_cover(con, import_id)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        try:
            alert_results.carry_forward(db_path, version_before, data_version(con, db_path), touched)
        except OSError as e:  # a cache: the alerts are computed again when next viewed
            log.warning("kept alerts not carried forward after import %s: %s", import_id, e)
    finally:
        _drop_scratch(con)
        aggregates.close_staging(con, staging_path)
    ledger = Ledger(import_id=import_id, kind=kind, file=file_name, rows_read=rows_read, accepted=accepted,
                    rejected=rejected, repeats=repeats, inserted=accepted - updated, updated=updated,
                    rejected_by_reason=by_reason, columns_used=plan.used, columns_dropped=plan.dropped,
                    rejects_file=str(rejects_path) if rejects_path else None, uncovered_years=uncovered,
                    full_rebuild=full_rebuild)
    if rejects_path:
        write_rejects_file(con, import_id, rejects_path)
    reading_copy.refresh(con)  # what the command line reads while the dashboard holds the store
    return ledger


def _fields_of(kind: str) -> tuple[Field, ...]:
    if kind == "departments":
        from metrics.departments import DEPARTMENT_FIELDS
        return DEPARTMENT_FIELDS
    return CASE_FIELDS if kind == "cases" else CATALOGUE_FIELDS


def _database_path(con: duckdb.DuckDBPyConnection) -> str | None:
    row = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchone()
    return row[0] if row and row[0] else None


def rejects_frame(con: duckdb.DuckDBPyConnection, import_id: int, lang: str = "zh"):
    """The rejected rows of one import, with a message a person can act on."""
    df = con.execute(
        "SELECT file_name AS file, row_no AS row, field, value, reason FROM rejects "
        "WHERE import_id = ? ORDER BY row_no", [import_id]).df()
    kind_row = con.execute("SELECT kind FROM imports WHERE import_id = ?", [import_id]).fetchone()
    kind = kind_row[0] if kind_row else "cases"
    df["message"] = [message(r, f, v, lang, kind) for r, f, v in zip(df["reason"], df["field"], df["value"])]
    return df


def write_rejects_file(con: duckdb.DuckDBPyConnection, import_id: int, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_csv(rejects_frame(con, import_id, "zh"), path)
    return path


def import_history(con: duckdb.DuckDBPyConnection):
    return con.execute(
        "SELECT import_id, kind, file_name, file_format, encoding, imported_at, rows_read, accepted, rejected, "
        "repeats, inserted, updated FROM imports ORDER BY import_id DESC").df()


__all__ = ["import_file", "Ledger", "ImportError_", "plan_columns", "rejects_frame", "import_history",
           "REASONS", "DEFAULT_TIMESTAMP_FORMATS"]
