"""`python -m metrics alerts --period P [--format csv|json] [--out FILE]`: the integrity
alerts' flags of a period (metrics/alerts.py), one row per flagged department and rule.

`metrics/cli.py` owns the parser and the error handling; this subcommand adds its arguments
here and runs here.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pandas as pd

from metrics import alert_results, alerts
from metrics.exports import csv_bytes
from metrics.periods import parse_period
from metrics.settings import Settings

COMMANDS = ("alerts",)


def add_parsers(sub) -> None:
    p = sub.add_parser("alerts", help="write the integrity alerts (电子监察) flagged in a period")
    p.add_argument("--db", type=Path)
    p.add_argument("--period", required=True)
    p.add_argument("--format", choices=["csv", "json"], default="csv")
    p.add_argument("--out", type=Path)


def run(args: argparse.Namespace, settings: Settings, db: Path) -> int:
    from metrics.cli import _write_bytes, reading_store
    period = parse_period(args.period)
    # "No flags" for a period the data never reached would read as a clean bill; the flags
    # are counted over the cases, which the store's reading copy does not hold. The months
    # the dashboard or an import counted are read as the Supervision page reads them.
    with reading_store(db, "alerts", period, needs_cases=True) as con:
        evaluated = alert_results.evaluate(con, db, period, settings.alerts)
        table = alerts.machine_table(alerts.flagged_rows(evaluated))
    data = render(table, args.format)
    if args.out:
        args.out.write_bytes(data)
    else:
        _write_bytes(sys.stdout, data)
    return 0


def render(table: pd.DataFrame, fmt: str) -> bytes:
    """JSON: the example case ids as a list, full float precision. CSV as every download:
    a byte-order mark for Excel, cells neutralised against formulas, the ids joined by
    semicolons."""
    if fmt == "json":
        records = table.astype(object).where(table.notna(), None).to_dict("records")
        return (json.dumps(records, ensure_ascii=False, indent=1, default=str) + "\n").encode("utf-8")
    return csv_bytes(table.assign(example_case_ids=[";".join(ids) for ids in table["example_case_ids"]]))
