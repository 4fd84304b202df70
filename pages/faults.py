"""What a visitor sees when the store fails (issue 11, part 3): a missing, truncated, damaged or
locked store, or a query that failed. Each gets one message saying what happened and what to do
(wait, reload, restore, import again); the exception and its traceback go to the server's log
only. An admin can set a damaged store aside from here and start an empty one, so the Data page
is a way back without a shell.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

import duckdb
import streamlit as st

from metrics.auth import User
from pages import access, queries

LOG = logging.getLogger("dashboard.faults")

# Words of DuckDB's messages for a file it cannot read as a store.
DAMAGED = ("not a valid duckdb", "corrupt", "checksum", "truncated", "serialization", "could not read",
           "unable to read", "invalid database", "failed to read", "is not a database")

TEXT: dict[str, tuple[str, str]] = {
    "locked": ("数据库正被另一个程序写入（多半是命令行导入）：请等它结束后刷新本页。",
               "The store is being written by another program (most likely a command-line import): wait until "
               "it ends, then reload this page."),
    "damaged": ("数据库文件 {name} 无法读取：文件已损坏或不完整。请从备份恢复，或由系统管理员把它移到一旁后重新导入办件数据。",
                "The store file {name} cannot be read: it is damaged or incomplete. Restore it from a backup, or "
                "have an admin set it aside and import the case logs again."),
    "missing": ("无法打开数据库文件 {name}（{why}）：请检查 dashboard.toml 中的 db_path 或 METRICS_DB。",
                "The store file {name} cannot be opened ({why}): check db_path in dashboard.toml or METRICS_DB."),
    "query": ("有一项数据未能算出（查询失败）：请刷新本页；如仍出现，请告知管理员，详细信息已写入服务器日志。",
              "A figure could not be computed (its query failed): reload the page; if it happens again, tell the "
              "administrator. The details are in the server's log."),
    "set_aside": ("把损坏的文件移到一旁并新建空数据库", "Set the damaged file aside and start an empty store"),
    "set_aside_done": ("已移到 {name}。请在“数据管理”页重新导入。", "Moved to {name}. Import the case logs again on the Data page."),
}


def say(key: str, lang: str, **fmt) -> str:
    zh, en = TEXT[key]
    return (zh if lang == "zh" else en).format(**fmt)


def kind_of(error: BaseException) -> str:
    """locked | damaged | missing | query."""
    text = str(error).lower()
    if "could not set lock" in text or "conflicting lock" in text:
        return "locked"
    if isinstance(error, OSError) and not isinstance(error, duckdb.Error):
        return "missing"
    if any(word in text for word in DAMAGED):
        return "damaged"
    return "query"


def store_failure(error: BaseException, user: User) -> None:
    """Say what happened and what to do; log the details."""
    LOG.error("store failure", exc_info=error)
    lang = access.url_lang()
    kind = kind_of(error)
    if kind == "query" and not _store_opens():
        kind = "damaged"
    path = Path(queries.settings().db_path)
    why = getattr(error, "strerror", None) or type(error).__name__
    st.error(say(kind, lang, name=path.name, why=why), icon=":material/error:")
    if kind == "damaged":
        queries.store_changed()  # drop the cached connection: the next run opens the file again
        if user.can("settings"):
            st.button(say("set_aside", lang), key="set_aside_store", icon=":material/move_item:",
                      on_click=_set_aside, args=(path, user, lang))


def _store_opens() -> bool:
    try:
        queries.con().cursor().execute("SELECT count(*) FROM imports").fetchone()
        return True
    except Exception:  # noqa: BLE001 - any failure here means the store itself is unusable
        return False


def _set_aside(path: Path, user: User, lang: str) -> None:
    queries.store_changed()
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    moved = path.with_name(f"{path.name}.damaged-{stamp}")
    path.rename(moved)
    wal = path.with_name(path.name + ".wal")
    if wal.exists():
        wal.rename(moved.with_name(moved.name + ".wal"))
    access.record("settings", actor=user.name, change="store_set_aside", store=str(path), moved_to=str(moved))
    st.toast(say("set_aside_done", lang, name=moved.name), icon=":material/check:")
