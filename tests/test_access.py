"""Users, roles and the audit trail (issue 11, parts 1 and 2), on real files: the access file
beside a real store, the real argon2 hasher, and the CLI run as a user runs it."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
from datetime import datetime, timedelta, timezone

import pytest

from metrics import audit, auth
from metrics.store import connect
from tests.conftest import FIXTURES
from tests.test_cli import PY, ROOT, one_line_error

PASSWORD = "correct horse battery"


def cli(*args, tmp, input: str = ""):
    """`python -m metrics …` in a subprocess, standard input given (not a terminal)."""
    env = {**os.environ, "METRICS_DB": str(tmp / "default.duckdb")}
    return subprocess.run([PY, "-m", "metrics", *map(str, args)], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120, input=input)


@pytest.fixture
def access(tmp_path):
    con = audit.open_access(tmp_path / "s.duckdb")
    yield con
    con.close()


def test_access_file_sits_beside_the_store(tmp_path):
    assert audit.access_path(tmp_path / "s.duckdb") == tmp_path / "s.duckdb.access.sqlite"


def test_password_is_kept_only_as_an_argon2id_hash(tmp_path, access):
    auth.add_user(access, "alice", "admin", PASSWORD, actor="test")
    (stored,) = access.execute("SELECT password_hash FROM users").fetchone()
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    access.close()
    raw = audit.access_path(tmp_path / "s.duckdb").read_bytes()
    assert PASSWORD.encode() not in raw
    for wal in tmp_path.glob("*-wal"):
        assert PASSWORD.encode() not in wal.read_bytes()


def test_sign_in_right_and_wrong(access):
    auth.add_user(access, "dora", "department", PASSWORD, dept="甲局", actor="test")
    user = auth.authenticate(access, "dora", PASSWORD)
    assert user == auth.User("dora", "department", "甲局", None)
    assert user.case_depts() == ["甲局"] and not user.can("import")
    with pytest.raises(auth.AuthError, match="^wrong user name or password$"):
        auth.authenticate(access, "dora", PASSWORD + "x")
    with pytest.raises(auth.AuthError, match="^wrong user name or password$"):  # same words: names stay secret
        auth.authenticate(access, "nobody", PASSWORD)
    trail = [(e.actor, e.action, e.detail.get("name"), e.detail.get("why")) for e in audit.entries(access)]
    assert trail == [
        ("anonymous", "sign_in_refused", "nobody", "password"),
        ("anonymous", "sign_in_refused", "dora", "password"),
        ("dora", "sign_in", None, None),
        ("test", "user_add", "dora", None),
    ]


def test_five_failures_lock_the_name_for_the_window(access):
    auth.add_user(access, "carl", "clerk", PASSWORD, actor="test")
    for _ in range(auth.MAX_FAILURES):
        with pytest.raises(auth.AuthError, match="wrong user name"):
            auth.authenticate(access, "carl", "not the password")
    with pytest.raises(auth.AuthError, match="too many failed sign-ins"):
        auth.authenticate(access, "carl", PASSWORD)  # even the right password, until the window passes
    later = datetime.now(timezone.utc) + auth.FAILURE_WINDOW + timedelta(seconds=5)
    assert auth.recent_failures(access, "carl", now=later) == 0


@pytest.mark.parametrize("role, allowed", [
    ("viewer", set()),
    ("department", set()),
    ("clerk", {"data_page", "import", "departments_file", "mapping", "publish"}),
    ("admin", {"data_page", "import", "departments_file", "mapping", "publish", "users", "settings", "audit"}),
])
def test_what_each_role_may_do(role, allowed):
    everything = {"data_page", "import", "departments_file", "mapping", "publish", "users", "settings", "audit"}
    user = auth.User("u", role, "甲局" if role == "department" else None)
    assert {a for a in everything if user.can(a)} == allowed
    assert user.case_depts() == (["甲局"] if role == "department" else None)


@pytest.mark.parametrize("name, role, password, dept, message", [
    ("bob", "viewer", "short", None, "at least 10 characters"),
    ("bob", "viewer", "BOB", None, "at least 10"),
    ("bobbobbobbob", "viewer", "bobbobbobbob", None, "must not be the user name"),
    ("dora", "department", PASSWORD, None, "needs --dept"),
    ("vic", "viewer", PASSWORD, "甲局", "only for the department role"),
    ("bad\x00name", "viewer", PASSWORD, None, "no control characters"),
    (" pad", "viewer", PASSWORD, None, "no spaces at the ends"),
    ("bob", "boss", PASSWORD, None, "is not one of viewer, department, clerk, admin"),
])
def test_invalid_users_are_refused_with_a_reason(access, name, role, password, dept, message):
    with pytest.raises(auth.AuthError, match=message):
        auth.add_user(access, name, role, password, dept, actor="test")
    assert auth.list_users(access) == []


def test_audit_rows_cannot_be_changed_or_removed(access):
    audit.record(access, "alice", "settings", key="min_cases", old=30, new=20)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        access.execute("UPDATE audit SET actor = 'mallory'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        access.execute("DELETE FROM audit")
    assert audit.verify(access) is None


def test_a_row_changed_behind_the_triggers_breaks_the_chain(access):
    for n in range(3):
        audit.record(access, "alice", "settings", key="min_cases", new=n)
    access.execute("DROP TRIGGER audit_no_update")
    access.execute("UPDATE audit SET actor = 'mallory' WHERE seq = 2")
    assert audit.verify(access) == 2


def test_cli_users_and_audit(tmp_path):
    db = tmp_path / "store.duckdb"
    p = cli("users", "add", "alice", "--role", "admin", "--db", db, tmp=tmp_path, input=PASSWORD + "\n")
    assert (p.returncode, p.stdout) == (0, "added alice (admin)\n"), p.stderr
    p = cli("users", "add", "dora", "--role", "department", "--dept", "甲局", "--db", db, tmp=tmp_path,
            input=PASSWORD + "\n")
    assert p.returncode == 0, p.stderr
    assert "at least 10 characters" in one_line_error(
        cli("users", "add", "bob", "--role", "viewer", "--db", db, tmp=tmp_path, input="short\n"))
    assert "no password on standard input" in one_line_error(
        cli("users", "add", "bob", "--role", "viewer", "--db", db, tmp=tmp_path, input=""))
    assert "exists already" in one_line_error(
        cli("users", "add", "alice", "--role", "viewer", "--db", db, tmp=tmp_path, input=PASSWORD + "\n"))
    p = cli("users", "list", "--db", db, tmp=tmp_path)
    assert p.stdout == "alice\tadmin\t\t\ndora\tdepartment\t甲局\t\n"
    assert "$argon2" not in p.stdout
    assert cli("users", "remove", "dora", "--db", db, tmp=tmp_path).stdout == "removed dora\n"
    assert "no user 'dora'" in one_line_error(cli("users", "remove", "dora", "--db", db, tmp=tmp_path))
    p = cli("audit", "--db", db, "--format", "json", tmp=tmp_path)
    assert p.returncode == 0, p.stderr
    rows = json.loads(p.stdout)
    assert [(r["action"], r["detail"]["name"]) for r in rows] == [
        ("user_remove", "dora"), ("user_add", "dora"), ("user_add", "alice")]
    assert all(r["actor"].startswith("cli:") for r in rows)


def test_cli_import_is_audited_with_size_and_sha256(tmp_path):
    db = tmp_path / "store.duckdb"
    src = FIXTURES / "small_cases.csv"
    p = cli("ingest", "--db", db, "--cases", src, tmp=tmp_path)
    assert p.returncode == 0, p.stderr
    ledger = json.loads(p.stdout)
    data = src.read_bytes()
    p = cli("audit", "--db", db, "--format", "json", tmp=tmp_path)
    (entry,) = json.loads(p.stdout)
    assert entry["action"] == "import"
    assert entry["detail"]["file"] == "small_cases.csv"
    assert entry["detail"]["size"] == len(data)
    assert entry["detail"]["sha256"] == hashlib.sha256(data).hexdigest()
    assert entry["detail"]["ledger"]["rows_read"] == ledger["rows_read"]
    assert entry["detail"]["ledger"]["accepted"] == ledger["accepted"]


def test_cli_reads_users_and_audit_while_another_process_holds_the_store(tmp_path):
    # The dashboard keeps the DuckDB store open for writing; the access file is another file.
    db = tmp_path / "store.duckdb"
    holder = connect(db)
    try:
        p = cli("users", "add", "alice", "--role", "admin", "--db", db, tmp=tmp_path, input=PASSWORD + "\n")
        assert p.returncode == 0, p.stderr
        p = cli("audit", "--db", db, tmp=tmp_path)
        assert p.returncode == 0 and "\tuser_add\t" in p.stdout, p.stderr
    finally:
        holder.close()


def test_cli_audit_exits_1_on_a_broken_chain(tmp_path):
    db = tmp_path / "store.duckdb"
    con = audit.open_access(db)
    audit.record(con, "alice", "settings", key="language", new="en")
    audit.record(con, "alice", "settings", key="language", new="zh")
    con.execute("DROP TRIGGER audit_no_delete")
    con.execute("DELETE FROM audit WHERE seq = 1")
    con.close()
    p = cli("audit", "--db", db, tmp=tmp_path)
    assert p.returncode == 1
    assert "chain is broken at entry 2" in p.stderr


def test_cli_publish_is_audited(small_db, tmp_path):
    import shutil
    db = tmp_path / "store.duckdb"
    shutil.copy(small_db, db)
    p = cli("publish", "--db", db, "--period", "2025Q3", "--note", "季度通报", tmp=tmp_path)
    assert p.returncode == 0, p.stderr
    published = json.loads(p.stdout)
    (entry,) = json.loads(cli("audit", "--db", db, "--format", "json", tmp=tmp_path).stdout)
    assert entry["action"] == "publish" and entry["actor"].startswith("cli:")
    assert entry["detail"] == {"period": "2025Q3", "revision": published["revision"],
                               "departments": published["departments"], "note": "季度通报"}
