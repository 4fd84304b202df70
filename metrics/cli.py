"""The command line (spec 9): the same engine as the pages, for scheduled jobs and checks."""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from metrics import alert_results, cli_access, cli_alerts, cli_evaluation, cli_lake, reading_copy
from metrics.audit import access_path
from metrics.auth import AuthError
from metrics.exports import csv_bytes
from metrics.engines.spark import SparkError
from metrics.ingest import ImportError_, import_file
from metrics.lake import LakeError
from metrics.mapping import Mapping, MappingError, load_mapping
from metrics.periods import Period, PeriodError, parse_period
from metrics.publication import PublicationError
from metrics.ranking import machine_table, ranking
from metrics.settings import load_settings
from metrics.store import connect


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one clear line, exit status 2
        raise UsageError(f"{self.prog}: {message}")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="python -m metrics", description="Service-centre metrics engine")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    d = sub.add_parser("demo", help="build a demo database")
    d.add_argument("--db", type=Path)
    d.add_argument("--cases", type=int, default=None)
    d.add_argument("--seed", type=int, default=7)
    i = sub.add_parser("ingest", help="import a case log, an item catalogue and/or a departments file")
    i.add_argument("--db", type=Path)
    i.add_argument("--cases", type=Path, dest="cases_file")
    i.add_argument("--catalogue", type=Path)
    i.add_argument("--departments", type=Path, help="dept and category per row (spec 10)")
    i.add_argument("--mapping", type=Path)
    i.add_argument("--alerts", choices=["auto", "now", "later"], default="auto",
                   help="count the integrity alerts of every month before exiting (now), leave them to "
                        f"the dashboard (later), or count them when the store holds at least "
                        f"{ALERTS_NOW_FROM_CASES:,} cases (auto, the default)")
    r = sub.add_parser("rank", help="write the ranking table of a period")
    r.add_argument("--db", type=Path)
    r.add_argument("--period", required=True)
    r.add_argument("--format", choices=["csv", "json"], default="csv")
    r.add_argument("--out", type=Path)
    cli_evaluation.add_parsers(sub)
    cli_alerts.add_parsers(sub)
    cli_access.add_parsers(sub)
    cli_lake.add_parsers(sub)
    return p


# From this many cases a month's integrity alerts take seconds to count (about 1 s at 10M
# cases, 5 s at 100M): an import from the command line counts the months it changed before it
# exits, so the dashboard opened afterwards shows any period's alerts at once instead of
# counting a quarter's months on its first view (15 s at 100M). Below it they are counted in
# well under a second when first asked for, or by the dashboard when it starts.
ALERTS_NOW_FROM_CASES = 1_000_000


def _count_alerts_now(con: duckdb.DuckDBPyConnection, choice: str) -> bool:
    if choice != "auto":
        return choice == "now"
    return con.execute("SELECT count(*) FROM cases").fetchone()[0] >= ALERTS_NOW_FROM_CASES


def build_demo(db: Path, n_cases: int, seed: int, progress=None) -> dict:
    """Generate demo exports and import them through the real importer into a new store.

    Built beside the target and moved into place, so a running dashboard never sees half a store.
    """
    from data.demo import write_demo_files
    settings = load_settings()
    db.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=db.parent) as tmp:
        cases_csv, catalogue_csv = write_demo_files(Path(tmp), n_cases=n_cases, seed=seed)
        tmp_db = Path(tmp) / db.name
        con = connect(tmp_db)
        try:
            calendar = {"calendar_overrides": settings.calendar_overrides, "default_calendar": settings.calendar}
            cat = import_file(con, catalogue_csv, kind="catalogue", display_name="demo_catalogue.csv", **calendar)
            cases = import_file(con, cases_csv, kind="cases", progress=progress, display_name="demo_cases.csv",
                                **calendar)
        finally:
            con.close()
        for old in (db, db.with_name(db.name + ".wal")):
            old.unlink(missing_ok=True)
        shutil.move(str(tmp_db), db)
        rejects_dir = db.parent / f"{db.stem}-rejects"
        tmp_rejects = Path(tmp) / f"{db.stem}-rejects"
        if tmp_rejects.exists():
            shutil.rmtree(rejects_dir, ignore_errors=True)
            shutil.move(str(tmp_rejects), rejects_dir)
            cases.rejects_file = str(rejects_dir / Path(cases.rejects_file).name) if cases.rejects_file else None
    reading_copy.write_for(db)  # the imports wrote theirs beside the temporary store
    out = cases.to_json()
    out["catalogue"] = cat.to_json()
    return out


def _ledger_json(ledger) -> dict:
    keys = ("rows_read", "accepted", "rejected", "repeats", "inserted", "updated", "rejected_by_reason",
            "rejects_file", "columns_dropped", "uncovered_years", "full_rebuild")
    d = ledger.to_json()
    return {k: d[k] for k in keys}


# DuckDB lets one process write a store; the dashboard keeps it open while it runs. What to
# do instead depends on the command: the read commands use the store's reading copy
# (metrics/reading_copy.py) and end here only when they need the cases themselves.
IN_USE_HINTS = {
    "ingest": "import through its Data page (数据管理), or stop it and run this again.",
    "publish": "publish on its Data page (数据管理 → 发布考核结果), or stop it and run this again.",
}
IN_USE_OTHER = "stop it and run this again, or use its pages."


def in_use_hint(command: str) -> str:
    return ("The store is open in another program, most likely the dashboard: "
            + IN_USE_HINTS.get(command, IN_USE_OTHER))


def main(argv: list[str] | None = None) -> int:
    db = "the database"
    args = None
    try:
        args = build_parser().parse_args(argv)
        settings = load_settings()
        db = args.db or settings.db_path
        if getattr(args, "db", None) is not None and Path(args.db).is_dir():
            # Caught before any work: demo would generate its files first, ingest would
            # get DuckDB's less helpful message.
            raise UsageError(f"python -m metrics {args.command}: --db {db}: is a folder; name the store's "
                             f"file, e.g. {Path(db) / 'dashboard.duckdb'}")
        if args.command == "demo":
            print(json.dumps(build_demo(db, args.cases or settings.demo_cases, args.seed),
                             ensure_ascii=False, indent=2))
            return 0
        if args.command == "ingest":
            if not args.cases_file and not args.catalogue and not args.departments:
                raise UsageError("python -m metrics ingest: give --cases FILE, --catalogue FILE and/or "
                                 "--departments FILE")
            for option, f in (("--cases", args.cases_file), ("--catalogue", args.catalogue),
                              ("--departments", args.departments), ("--mapping", args.mapping)):
                _check_is_file(option, f)
            mapping = load_mapping(args.mapping)
            con = connect(db)
            out: dict = {}
            calendar = {"calendar_overrides": settings.calendar_overrides, "default_calendar": settings.calendar}
            if args.catalogue:
                # --mapping describes the case log; the catalogue keeps its own headers and
                # shares only the mapping's options (blank values, timestamp format).
                ledger = import_file(con, args.catalogue, "catalogue", Mapping(options=mapping.options), **calendar)
                cli_access.record_import(db, args.catalogue, ledger)
                out["catalogue"] = _ledger_json(ledger)
            if args.departments:  # keeps its own headers too, like the catalogue
                ledger = import_file(con, args.departments, "departments", Mapping(options=mapping.options), **calendar)
                cli_access.record_import(db, args.departments, ledger)
                out["departments"] = _ledger_json(ledger)
            if args.cases_file:
                ledger = import_file(con, args.cases_file, "cases", mapping, **calendar)
                cli_access.record_import(db, args.cases_file, ledger)
                cases = _ledger_json(ledger)
                if _count_alerts_now(con, args.alerts):
                    print("python -m metrics ingest: counting the integrity alerts of each month not counted yet "
                          "(Ctrl-C leaves them to the dashboard; the import is done)", file=sys.stderr, flush=True)
                    try:
                        done = alert_results.warm(con, db, settings.alerts)
                        cases["alert_months_kept"] = sum(1 for label in done if label.startswith("m"))
                    except KeyboardInterrupt:  # a cache: what was counted is kept, the rest later
                        print("python -m metrics ingest: stopped counting the alerts; the dashboard counts "
                              "the rest", file=sys.stderr, flush=True)
                out = {**cases, **out}
            elif len(out) == 1:
                out = next(iter(out.values()))
            con.close()
            print(json.dumps(out, ensure_ascii=False, indent=2))
            return 0
        if args.command == "rank":
            period = parse_period(args.period)
            # Departments with catalogue items are listed in any period (spec 7), so a period
            # the data never reached would come out as rows of plausible-looking scores.
            with reading_store(db, "rank", period) as con:
                table = machine_table(ranking(con, period, settings.weights, settings.min_cases))
            data = _render(table, args.format)
            if args.out:
                args.out.write_bytes(data)
            else:
                _write_bytes(sys.stdout, data)
            return 0
        if args.command in cli_alerts.COMMANDS:
            return cli_alerts.run(args, settings, db)
        if args.command in cli_access.COMMANDS:
            return cli_access.run(args, settings, db)
        if args.command in cli_evaluation.COMMANDS:
            return cli_evaluation.run(args, settings, db)
        if args.command in cli_lake.COMMANDS:
            return cli_lake.run(args, settings, db)
    except (UsageError, PeriodError, MappingError, ImportError_, PublicationError,
            cli_evaluation.EvaluationError, AuthError, LakeError, SparkError) as e:
        print(str(e).splitlines()[0] if str(e) else type(e).__name__, file=sys.stderr)
        return 2
    except duckdb.Error as e:  # e.g. --db names a file that is not a DuckDB store, or one in use
        message = str(e).splitlines()[0]
        if "Could not set lock" in message:
            message += f" {in_use_hint(getattr(args, 'command', ''))}"
        print(f"python -m metrics: {db}: {message}", file=sys.stderr)
        return 2
    except sqlite3.Error as e:  # the access file (users, audit trail) is damaged or not SQLite
        print(f"python -m metrics: {access_path(db)}: {str(e).splitlines()[0]}", file=sys.stderr)
        return 2
    except OSError as e:  # e.g. --out into a folder that does not exist
        print(f"python -m metrics: {e.filename or ''}: {e.strerror}", file=sys.stderr)
        return 2
    return 2


def _check_is_file(option: str, path: Path | None) -> None:
    if path is None:
        return
    if path.is_dir():
        raise UsageError(f"python -m metrics ingest: {option} {path}: is a folder, not a file; "
                         f"name a file inside it")
    if not path.is_file():
        raise UsageError(f"python -m metrics ingest: {option} {path}: no such file")


@contextmanager
def reading_store(db: Path, command: str, period: Period | None = None,
                  needs_cases: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """The store opened read-only for a command that reads it, closed after.

    A store held by another process (the dashboard) is read from its reading copy instead,
    said in one line on stderr, unless the command `needs_cases` (the copy holds no case).
    With `period`, a period in which no case was accepted, completed or rated is refused
    with the dates the cases cover."""
    cmd = f"python -m metrics {command}"
    if Path(db).is_dir():
        raise UsageError(f"{cmd}: {db}: is a folder; --db names the store's file")
    if not Path(db).exists():
        raise UsageError(f"{cmd}: {db}: no such database (run demo or ingest first)")
    on_copy = False
    try:
        con = connect(db, read_only=True)
    except duckdb.IOException as e:
        if "Could not set lock" not in str(e):
            raise
        in_use = f"{cmd}: {db}: the store is in use (the dashboard?)"
        if needs_cases:
            raise UsageError(f"{in_use} and this command reads its cases, which only the store holds: "
                             f"{IN_USE_OTHER}") from None
        try:
            con, info = reading_copy.open_copy(db)
        except reading_copy.NoCopy as why:
            raise UsageError(f"{in_use}, and {why}: {IN_USE_OTHER}") from None
        on_copy = True
        print(f"{cmd}: the store is in use (the dashboard?): reading its copy of {info.made_at:%Y-%m-%d %H:%M:%S}",
              file=sys.stderr, flush=True)
    try:
        if period is not None:
            empty = _no_cases_in(con, period, db)
            if empty:
                raise UsageError(f"{cmd}: {empty}")
        yield con
    except duckdb.CatalogException:
        if not on_copy:
            raise
        # e.g. the bulletin of an unpublished period: its figures come from the cases.
        raise UsageError(f"{cmd}: {db}: the store is in use (the dashboard?) and this needs its cases, which "
                         f"its reading copy does not hold: {IN_USE_OTHER}") from None
    finally:
        con.close()


def _no_cases_in(con: duckdb.DuckDBPyConnection, period, db) -> str | None:
    """None when some case was accepted, completed or rated in the period; else why not,
    naming the dates the store's cases cover (from the store or its reading copy)."""
    hit, span = reading_copy.case_activity(con, period.start, period.end)
    if hit:
        return None
    if span is None:
        return f"{db} holds no cases yet; import a case log first (python -m metrics ingest --cases FILE)"
    first, last = span
    span_text = "" if period.kind == "range" else f" ({period.start} to {period.end})"
    return (f"no case was accepted, completed or rated in {period.label}{span_text}; "
            f"the cases in {db} run from {first} to {last}")


def _write_bytes(stream, data: bytes) -> None:
    """The UTF-8 bytes as they are, whatever the locale: department names are Chinese, and
    a Latin-1 or ASCII terminal setting would otherwise stop the output with an encoding error."""
    binary = getattr(stream, "buffer", None)
    if binary is None:      # a text-only stream (e.g. io.StringIO in a caller)
        stream.write(data.decode("utf-8"))
        return
    stream.flush()
    binary.write(data)
    binary.flush()


def _render(table, fmt: str) -> bytes:
    if fmt == "json":
        # Full float precision (pandas' own JSON writer stops at 15 digits).
        records = table.astype(object).where(table.notna(), None).to_dict("records")
        return (json.dumps(records, ensure_ascii=False, indent=1, default=str) + "\n").encode("utf-8")
    # The CSV every download gets: a byte-order mark first (without it Excel reads the file
    # in the local code page and shows the Chinese names as garbage), formulas neutralised,
    # spec 8's header row unchanged.
    return csv_bytes(table)
