"""Users and roles (issue 11, part 1).

Roles, each able to do what the one before it can:
- viewer: every page but Data;
- department: as a viewer, but the case lists only of its own department;
- clerk: also the Data page: imports, the departments file, mapping files, publishing;
- admin: also users and settings, and the audit trail on the Data page.

In `accounts` mode a user signs in with a name and a password; the password is kept only as an
argon2id hash (argon2-cffi, the reference implementation's maintained binding), never in clear.
In `oidc` mode the identity provider signs the user in and the role comes from a claim or from
this table by e-mail. Users live in the access file beside the store (`metrics.audit`), so the
CLI can add one while the dashboard runs.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from metrics import audit

ROLES = ("viewer", "department", "clerk", "admin")

# What each role may do beyond reading the pages. A department user reads like a viewer, but
# its case lists are restricted (`case_depts`).
_CLERK = frozenset({"data_page", "import", "departments_file", "mapping", "publish"})
PERMISSIONS: dict[str, frozenset[str]] = {
    "viewer": frozenset(),
    "department": frozenset(),
    "clerk": _CLERK,
    "admin": _CLERK | {"users", "settings", "audit"},
}

MIN_PASSWORD = 10
# Failed sign-ins of one name within the window after which it is refused until the window
# has passed: guessing a password through the sign-in form stays slow.
MAX_FAILURES, FAILURE_WINDOW = 5, timedelta(minutes=15)

_hasher = PasswordHasher()  # argon2id, RFC 9106 low-memory profile (64 MiB, 3 passes)
# Verified against when the name is unknown, so a wrong name takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash("no such user: a constant-time stand-in")


class AuthError(ValueError):
    """A refused sign-in or an invalid user; the message can be shown as it is."""


@dataclass(frozen=True)
class User:
    name: str
    role: str
    dept: str | None = None
    email: str | None = None

    def can(self, action: str) -> bool:
        return action in PERMISSIONS[self.role]

    def case_depts(self) -> list[str] | None:
        """The departments whose case lists this user may read; None for all of them."""
        return [self.dept] if self.role == "department" else None


# The user of `open` mode: one machine, no sign-in, everything allowed (the server listens on
# 127.0.0.1 only, so only that machine's own browser reaches it).
LOCAL_ADMIN = User("local", "admin")

_NAME = re.compile(r"[^\x00-\x1f\x7f]{1,64}")


def validate_name(name: str) -> str:
    if name != name.strip() or not _NAME.fullmatch(name):
        raise AuthError(f"user name {name!r}: 1 to 64 characters, no control characters, no spaces at the ends")
    return name


def validate_user(name: str, role: str, dept: str | None) -> None:
    validate_name(name)
    if role not in ROLES:
        raise AuthError(f"role {role!r} is not one of {', '.join(ROLES)}")
    if role == "department" and not (dept and dept.strip()):
        raise AuthError("a department user needs --dept: the department whose cases it may read")
    if role != "department" and dept:
        raise AuthError(f"--dept is only for the department role (a {role} reads every department)")


def validate_password(name: str, password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AuthError(f"the password needs at least {MIN_PASSWORD} characters")
    if password.strip().lower() == name.strip().lower():
        raise AuthError("the password must not be the user name")


def add_user(con: sqlite3.Connection, name: str, role: str, password: str | None, dept: str | None = None,
             email: str | None = None, *, actor: str) -> User:
    """Create a user; `password` None makes an OIDC-only user (found by `email`)."""
    validate_user(name, role, dept)
    if password is None and not email:
        raise AuthError("a user without a password signs in through OIDC and needs an e-mail address")
    if password is not None:
        validate_password(name, password)
    digest = _hasher.hash(password) if password is not None else None
    try:
        con.execute("INSERT INTO users (name, role, dept, email, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                    (name, role, dept, email, digest, _now()))
    except sqlite3.IntegrityError as e:
        raise AuthError(f"user {name!r} exists already (or its e-mail is another user's): {e}") from None
    audit.record(con, actor, "user_add", name=name, role=role, dept=dept, email=email)
    return User(name, role, dept, email)


def remove_user(con: sqlite3.Connection, name: str, *, actor: str) -> None:
    if con.execute("DELETE FROM users WHERE name = ?", (name,)).rowcount == 0:
        raise AuthError(f"no user {name!r}")
    audit.record(con, actor, "user_remove", name=name)


def list_users(con: sqlite3.Connection) -> list[User]:
    return [User(*row) for row in con.execute("SELECT name, role, dept, email FROM users ORDER BY name")]


def has_users(con: sqlite3.Connection) -> bool:
    return con.execute("SELECT count(*) FROM users").fetchone()[0] > 0


def user_by_email(con: sqlite3.Connection, email: str) -> User | None:
    row = con.execute("SELECT name, role, dept, email FROM users WHERE lower(email) = lower(?)", (email,)).fetchone()
    return User(*row) if row else None


def recent_failures(con: sqlite3.Connection, name: str, now: datetime | None = None) -> int:
    since = ((now or datetime.now(timezone.utc)) - FAILURE_WINDOW).isoformat(timespec="seconds")
    return con.execute(
        "SELECT count(*) FROM audit WHERE action = 'sign_in_refused' AND at >= ? "
        "AND json_extract(detail, '$.name') = ? AND json_extract(detail, '$.why') = 'password'",
        (since, name)).fetchone()[0]


def authenticate(con: sqlite3.Connection, name: str, password: str) -> User:
    """The user signing in with this name and password, recorded in the audit trail either way.

    Raises AuthError with one message for an unknown name and a wrong password alike, so the
    form does not tell which names exist."""
    name = name.strip()
    if recent_failures(con, name) >= MAX_FAILURES:
        audit.record(con, name or "anonymous", "sign_in_refused", name=name, why="too_many_failures")
        raise AuthError(f"too many failed sign-ins for this name: wait {FAILURE_WINDOW.seconds // 60} minutes")
    row = con.execute("SELECT name, role, dept, email, password_hash FROM users WHERE name = ?", (name,)).fetchone()
    stored = row[4] if row and row[4] else _DUMMY_HASH
    try:
        ok = _hasher.verify(stored, password) and row is not None and row[4] is not None
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok:
        audit.record(con, "anonymous", "sign_in_refused", name=name, why="password")
        raise AuthError("wrong user name or password")
    if _hasher.check_needs_rehash(stored):  # parameters raised since it was set: upgrade silently
        con.execute("UPDATE users SET password_hash = ? WHERE name = ?", (_hasher.hash(password), name))
    user = User(*row[:4])
    audit.record(con, user.name, "sign_in", method="password", role=user.role)
    return user


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
