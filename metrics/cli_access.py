"""`python -m metrics users add|list|remove` and `python -m metrics audit`: the dashboard's users
(metrics/auth.py) and the audit trail (metrics/audit.py), from the command line.

Both live in the access file beside the store (SQLite), so these commands run while the
dashboard is up. `metrics/cli.py` owns the parser and the error handling; these subcommands add
their arguments here and run here.

A password is read from the terminal (asked twice, not echoed) or, when standard input is not a
terminal, from its first line (`printf '%s\\n' "$PW" | python -m metrics users add …`), never
from the command line, where other users of the machine could read it in the process list.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path

from metrics import audit, auth
from metrics.settings import Settings

COMMANDS = ("users", "audit")


def add_parsers(sub) -> None:
    u = sub.add_parser("users", help="add, list or remove the dashboard's users (accounts and oidc modes)")
    verbs = u.add_subparsers(dest="users_command", required=True, parser_class=sub._parser_class)
    a = verbs.add_parser("add", help="add a user; the password is read from the terminal or standard input")
    a.add_argument("name")
    a.add_argument("--role", required=True, choices=auth.ROLES)
    a.add_argument("--dept", help="the department a 'department' user may read the cases of")
    a.add_argument("--email", help="for an OIDC sign-in: the e-mail address the provider reports")
    a.add_argument("--no-password", action="store_true", help="OIDC only: the user signs in at the provider")
    a.add_argument("--db", type=Path)
    ls = verbs.add_parser("list", help="list the users (no password hashes)")
    ls.add_argument("--db", type=Path)
    r = verbs.add_parser("remove", help="remove a user")
    r.add_argument("name")
    r.add_argument("--db", type=Path)
    au = sub.add_parser("audit", help="print the audit trail, newest first, and check its chain")
    au.add_argument("--db", type=Path)
    au.add_argument("--limit", type=int, default=100)
    au.add_argument("--action", choices=audit.ACTIONS)
    au.add_argument("--format", choices=["text", "json"], default="text")


def read_password(stdin=None) -> str:
    stdin = stdin or sys.stdin
    if stdin.isatty():
        first = getpass.getpass("Password: ")
        if getpass.getpass("Repeat the password: ") != first:
            raise auth.AuthError("the two passwords differ: nothing was changed")
        return first
    line = stdin.readline()
    if not line:
        raise auth.AuthError("no password on standard input: give it on the first line, or run in a terminal")
    return line.rstrip("\r\n")


def run(args: argparse.Namespace, settings: Settings, db: Path) -> int:
    con = audit.open_access(db)
    try:
        if args.command == "audit":
            return _print_audit(con, args)
        actor = audit.cli_actor()
        if args.users_command == "add":
            password = None if args.no_password else read_password()
            user = auth.add_user(con, args.name, args.role, password, args.dept, args.email, actor=actor)
            print(f"added {user.name} ({user.role}{', ' + user.dept if user.dept else ''})")
        elif args.users_command == "remove":
            auth.remove_user(con, args.name, actor=actor)
            print(f"removed {args.name}")
        else:
            for u in auth.list_users(con):
                print("\t".join([u.name, u.role, u.dept or "", u.email or ""]))
        return 0
    finally:
        con.close()


def _print_audit(con, args) -> int:
    rows = audit.entries(con, limit=args.limit, action=args.action)
    broken = audit.verify(con)
    if args.format == "json":
        print(json.dumps([{"seq": e.seq, "at": e.at, "actor": e.actor, "action": e.action, "detail": e.detail}
                          for e in rows], ensure_ascii=False, indent=1))
    else:
        for e in rows:
            detail = json.dumps(e.detail, ensure_ascii=False, sort_keys=True)
            print(f"{e.seq}\t{e.at}\t{e.actor}\t{e.action}\t{detail}")
    if broken is not None:
        # The rows were printed; the exit status tells a scheduled check that they were tampered with.
        print(f"python -m metrics audit: the audit chain is broken at entry {broken}: rows were changed or "
              f"removed outside the dashboard and the CLI; restore the access file from a backup", file=sys.stderr)
        return 1
    return 0


def record_import(db: Path, path: Path, ledger) -> None:
    """The CLI's imports go into the audit trail like the dashboard's."""
    con = audit.open_access(db)
    try:
        audit.record_import(con, audit.cli_actor(), path, ledger)
    finally:
        con.close()


def record_publish(db: Path, revision) -> None:
    """A publication from the command line, like one from the Data page."""
    con = audit.open_access(db)
    try:
        audit.record(con, audit.cli_actor(), "publish", period=revision.period, revision=revision.revision,
                     departments=revision.departments, note=revision.note)
    finally:
        con.close()
