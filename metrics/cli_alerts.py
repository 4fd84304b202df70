"""`python -m metrics alerts --period P [--format csv|json] [--out FILE]`: the integrity
alerts' flags of a period (metrics/alerts.py), one row per flagged department and rule.

`metrics/cli.py` owns the parser and the error handling; this subcommand adds its arguments
here and runs here.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from pathlib import Path

import pandas as pd

from metrics import alerts
from metrics.exports import safe_frame
from metrics.periods import parse_period
from metrics.settings import Settings
from metrics.store import connect

COMMANDS = ("alerts",)


def add_parsers(sub) -> None:
    p = sub.add_parser("alerts", help="write the integrity alerts (电子监察) flagged in a period")
    p.add_argument("--db", type=Path)
    p.add_argument("--period", required=True)
    p.add_argument("--format", choices=["csv", "json"], default="csv")
    p.add_argument("--out", type=Path)


def run(args: argparse.Namespace, settings: Settings, db: Path) -> int:
    from metrics.cli import UsageError
    period = parse_period(args.period)
    if Path(db).is_dir():
        raise UsageError(f"python -m metrics alerts: {db}: is a folder; --db names the store's file")
    if not Path(db).exists():
        raise UsageError(f"python -m metrics alerts: {db}: no such database (run demo or ingest first)")
    con = connect(db, read_only=True)
    try:
        table = alerts.machine_table(alerts.flags(con, period, settings.alerts))
    finally:
        con.close()
    text = render(table, args.format)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.flush()
    return 0


def render(table: pd.DataFrame, fmt: str) -> str:
    """JSON: the example case ids as a list, full float precision. CSV: the ids joined by
    semicolons, every cell neutralised against spreadsheet formulas."""
    if fmt == "json":
        records = table.astype(object).where(table.notna(), None).to_dict("records")
        return json.dumps(records, ensure_ascii=False, indent=1, default=str) + "\n"
    out = table.assign(example_case_ids=[";".join(ids) for ids in table["example_case_ids"]])
    buf = io.StringIO()
    safe_frame(out).to_csv(buf, index=False)
    return buf.getvalue()
