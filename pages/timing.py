"""Server-side time of each script run, for bench/load.py (docs/benchmarks.md, "Load").

Off unless METRICS_TIMING_LOG names a file: then every run of dashboard.py appends one JSON
line (session, page, language, period, milliseconds, and the error type if the run failed).
Measured on the server, so the browsers' own work does not count.
"""

from __future__ import annotations

import json
import os
import threading
import time

import streamlit as st

_KEY = "_run_started"
_LOCK = threading.Lock()


def _session_id() -> str | None:
    from streamlit.runtime.scriptrunner import get_script_run_ctx
    ctx = get_script_run_ctx(suppress_warning=True)
    return ctx.session_id if ctx else None


def begin() -> None:
    if os.environ.get("METRICS_TIMING_LOG"):
        st.session_state[_KEY] = time.perf_counter()


def end(page: str | None, error: BaseException | None = None) -> None:
    path = os.environ.get("METRICS_TIMING_LOG")
    started = st.session_state.get(_KEY)
    if not path or started is None:
        return
    from streamlit.runtime.scriptrunner_utils.exceptions import ScriptControlException
    view = st.session_state.get("view")
    line = {
        "at": time.time(), "ms": round((time.perf_counter() - started) * 1000, 1),
        "session": _session_id(),
        "page": page, "lang": getattr(view, "lang", None),
        "period": getattr(getattr(view, "period", None), "label", None),
        "error": None if error is None or isinstance(error, ScriptControlException) else type(error).__name__,
    }
    with _LOCK, open(path, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(line) + "\n")
