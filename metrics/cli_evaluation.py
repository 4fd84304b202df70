"""The evaluation cycle on the command line (spec 10): publish, published, bulletin, export-public.

`metrics/cli.py` owns the parser and the error handling; these subcommands add their
arguments here and run here. The bulletin's modules (python-docx, matplotlib) load only
when a bulletin is asked for, so `rank` and `ingest` start as fast as before.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from metrics.periods import parse_period
from metrics.publication import load_revision, publish, results_for, revisions
from metrics.settings import Settings
from metrics.store import connect

COMMANDS = ("publish", "published", "bulletin", "export-public")


class EvaluationError(Exception):
    """A bulletin or bundle that could not be written; one line saying why."""


def add_parsers(sub) -> None:
    p = sub.add_parser("publish", help="freeze the next revision of a period's results (spec 10)")
    p.add_argument("--db", type=Path)
    p.add_argument("--period", required=True)
    p.add_argument("--note", help="why this revision, e.g. 补录7月办件")
    p = sub.add_parser("published", help="list the published revisions")
    p.add_argument("--db", type=Path)
    p.add_argument("--period")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p = sub.add_parser("bulletin", help="write the bulletin (通报) of a period as .docx or .pdf")
    p.add_argument("--db", type=Path)
    p.add_argument("--period", required=True)
    p.add_argument("--out", type=Path, required=True)
    which = p.add_mutually_exclusive_group()
    which.add_argument("--revision", type=int, help="a published revision (default: the latest, if any)")
    which.add_argument("--live", action="store_true", help="the live figures even if the period is published")
    p = sub.add_parser("export-public", help="write the public bundle (五公开) of a period's latest revision")
    p.add_argument("--db", type=Path)
    p.add_argument("--period", required=True)
    p.add_argument("--out", type=Path, required=True, help="a folder: index.html, results.csv, bulletin.pdf")


def _usage(message: str):
    from metrics.cli import UsageError
    return UsageError(message)


def run(args: argparse.Namespace, settings: Settings, db: Path) -> int:
    cmd = f"python -m metrics {args.command}"
    if not Path(db).exists():
        raise _usage(f"{cmd}: {db}: no such database (run demo or ingest first)")
    if args.command == "publish":
        period = parse_period(args.period)
        con = connect(db)
        try:
            rev = publish(con, period, settings, args.note)
        finally:
            con.close()
        from metrics.cli_access import record_publish  # the audit trail (docs/security.md)
        record_publish(db, rev)
        print(json.dumps({"period": rev.period, "revision": rev.revision,
                          "published_at": rev.published_at.isoformat(sep=" "), "note": rev.note,
                          "departments": rev.departments}, ensure_ascii=False, indent=2))
        return 0
    from metrics.cli import reading_store  # the store, or its reading copy while the dashboard runs
    with reading_store(db, args.command) as con:
        if args.command == "published":
            return _published(con, parse_period(args.period) if args.period else None, args.format)
        if args.command == "bulletin":
            return _bulletin(con, args, settings, cmd)
        return _export_public(con, args, cmd)


def _published(con, period, fmt: str) -> int:
    revs = revisions(con, period)
    if fmt == "json":
        rows = [{"period": r.period, "revision": r.revision, "published_at": r.published_at.isoformat(sep=" "),
                 "note": r.note, "departments": r.departments} for r in revs]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if not revs:
        print("no revision published" + (f" for {period.label}" if period else ""))
        return 0
    for r in revs:
        note = f"  {r.note}" if r.note else ""
        print(f"{r.period}  revision {r.revision}  {r.published_at:%Y-%m-%d %H:%M:%S}  "
              f"{r.departments} departments{note}")
    return 0


def _bulletin(con, args, settings: Settings, cmd: str) -> int:
    if args.out.suffix.lower() not in (".docx", ".pdf"):
        raise _usage(f"{cmd}: --out {args.out}: write the bulletin as .docx or .pdf")
    if not args.out.parent.exists():
        raise _usage(f"{cmd}: --out {args.out}: the folder {args.out.parent} does not exist")
    results = results_for(con, args.period, settings, args.revision, args.live)
    from metrics.bulletin import BulletinError, write_bulletin
    try:
        write_bulletin(results, args.out)
    except BulletinError as e:
        raise EvaluationError(f"{cmd}: {e}") from None
    which = f"revision {results.revision}" if results.revision else "live figures (not published)"
    print(f"{args.out}: bulletin of {results.period.label}, {which}", file=sys.stderr)
    return 0


def _export_public(con, args, cmd: str) -> int:
    results = load_revision(con, parse_period(args.period))  # published material only
    from metrics.bulletin import BulletinError
    from metrics.public_bundle import write_bundle
    try:
        files = write_bundle(results, args.out)
    except BulletinError as e:
        raise EvaluationError(f"{cmd}: {e}") from None
    print(json.dumps({"period": results.period.label, "revision": results.revision,
                      "files": [str(f) for f in files]}, ensure_ascii=False, indent=2))
    return 0
