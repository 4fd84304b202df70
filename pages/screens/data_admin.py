"""Data 数据管理: upload a case log or an item catalogue, check how its columns map, adjust and
save the mapping, import with a progress bar, and read the ledger, the rejected rows and the
import history.

The import itself is `metrics.ingest.import_file`: one transaction, so a failed import leaves
the data as it was. Every page's cache key holds `queries.data_version()`, so the other pages
show the new data on their next run.

On a wall (presentation mode) the page is what a room can read: the store's freshness with
the latest imports, then the older ones a few a slide; nothing to upload or click.
"""

from __future__ import annotations

import dataclasses
import hashlib
import threading
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import add_script_run_ctx, get_script_run_ctx

from metrics import alert_results
from metrics.departments import DEPARTMENT_FIELDS
from metrics.fields import CASE_FIELDS, CATALOGUE_FIELDS, Field, is_personal
from metrics.ingest import ImportError_, Ledger, import_file, plan_columns
from metrics.mapping import Mapping, MappingError, load_mapping, parse_mapping
from metrics.readers import ACCEPTED_SUFFIXES, SourceError, open_source
from metrics.readers.csv import approx_rows
from metrics.settings import PROJECT_DIR
from metrics.uploads import SavedUpload, remove_stale_uploads, save_upload
from pages import access, presentation, queries
from pages.formats import DASH, fmt_datetime, fmt_num, md_escape, safe_name
from pages import evaluation
from pages.labels import reason_label, t
from pages.tables import download
from pages.view import View, current_view

MAPPINGS_DIR = PROJECT_DIR / "data" / "mappings"
PREVIEW_ROWS = 10
NONE = ""  # the "no column" choice of a mapping selectbox
LEDGER_KEY = "data_last_ledger"
ERROR_KEY = "data_last_error"
UPLOAD_KEY = "data_saved_upload"
IMPORT_REQUEST = "data_import_requested"
SAVED_KEY = "data_mapping_saved_path"
# Imports on a wall slide at 1280×720, where a file name may wrap to two lines: beside the
# tiles, then on a slide of their own.
WALL_FIRST, WALL_IMPORTS = 4, 8
WALL_HISTORY = ("import_id", "kind", "file_name", "imported_at", "rows_read", "accepted", "rejected", "repeats")


def render() -> None:
    view = current_view()
    lang = view.lang
    # Clerks and admins only: the navigation hides the page from other roles, and this stops
    # any other way in (an address, a slideshow's slide).
    access.require("data_page", lang)
    st.title(t("nav_data"))
    if view.presentation:
        _wall(view)
        return
    _store_summary()

    st.subheader(t("data_upload_title"))
    kind = st.segmented_control(t("data_kind"), ["cases", "catalogue", "departments"], default="cases",
                                required=True,
                                format_func=lambda k: t(f"data_kind_{k}", lang), key="data_kind") or "cases"
    limit_mb = queries.settings().upload_limit_mb
    upload = st.file_uploader(
        t("data_file"), type=sorted(s.lstrip(".") for s in ACCEPTED_SUFFIXES), key="data_upload",
        max_upload_size=limit_mb, help=t("data_file_help", mb=limit_mb))
    # The result of the last import comes first: after an import that is what the reader looks for.
    _last_import(view)
    if upload is not None:
        _with_upload(view, kind, upload, limit_mb)
    st.divider()
    evaluation.publish_form(view)  # spec 10: freeze the period once its imports are right
    st.divider()
    _history(view)


def _wall(view: View) -> None:
    """The wall's slides: the store's freshness and the latest imports, then the older ones."""
    if not queries.store_ready():
        st.info(t("no_data"))
        return
    history = queries.import_history()
    # The newest beside the tiles; the older ones on slides of their own.
    older = presentation.chunks(history[WALL_FIRST:], WALL_IMPORTS) if len(history) > WALL_FIRST else []
    slides = [history[:WALL_FIRST], *older]
    index = presentation.part(view, len(slides))
    if index == 0:
        _store_summary(wall=True)
    st.subheader(t("data_history_title"))
    shown = slides[index][list(WALL_HISTORY)]
    if shown.empty:
        st.caption(t("data_history_empty"))
        return
    # A static table: it wraps a long file name where a data grid would cut it.
    st.table(pd.DataFrame({
        t(f"hist_{c}"): (shown[c].map(lambda k: t(f"data_kind_{k}")) if c == "kind"
                         else shown[c].map(fmt_datetime) if c == "imported_at"
                         else shown[c].map(lambda i: f"#{int(i)}") if c == "import_id"
                         else shown[c].map(md_escape) if c == "file_name" else shown[c].map(fmt_num))
        for c in WALL_HISTORY}), hide_index=True, border="horizontal")


def _store_summary(wall: bool = False) -> None:
    if not queries.store_ready():
        st.info(t("no_data"))
        return
    fresh = queries.freshness()
    c1, c2, c3 = st.columns(3)
    c1.metric(t("data_cases_stored"), fmt_num(fresh["cases"]), border=True)
    c2.metric(t("data_through_label"), str(fresh["data_through"] or DASH), border=True)
    # On the wall to the minute: seconds and their fraction ran out of the tile.
    c3.metric(t("data_last_import"), fmt_datetime(fresh["last_import_at"]) if wall
              else str(fresh["last_import_at"] or DASH), border=True)


# ---- upload -> preview -> mapping -> import ----------------------------------------------------

def _with_upload(view: View, kind: str, upload, limit_mb: int) -> None:
    if upload.size > limit_mb * 1024 * 1024:
        st.error(t("data_too_big", name=upload.name, size=f"{upload.size / 1024 / 1024:,.1f}", mb=limit_mb))
        return
    path = _saved_upload(upload)
    try:
        source = open_source(path, batch_rows=PREVIEW_ROWS)
        headers = source.headers
        preview_cols = [h for h in headers if h and not is_personal(h)]
        first = next(iter(source.batches(columns=preview_cols)), None) if preview_cols else None
    except SourceError as e:
        _error(t("data_unreadable"), str(e))
        return
    fields = {"cases": CASE_FIELDS, "catalogue": CATALOGUE_FIELDS, "departments": DEPARTMENT_FIELDS}[kind]

    about = t("data_format", fmt=source.format, enc=source.encoding or DASH)
    if source.total_rows is not None:
        about += " · " + t("data_rows", rows=fmt_num(source.total_rows))
    st.markdown(f"**{t('data_preview')}** · {md_escape(upload.name)} · {about}")
    if first is not None:
        st.dataframe(first.to_pandas().head(PREVIEW_ROWS), hide_index=True, key="data_preview_table",
                     height=38 + 35 * min(PREVIEW_ROWS, first.num_rows))
    personal = [h for h in headers if is_personal(h)]
    if personal:
        st.caption(t("data_personal_hidden", cols="、".join(md_escape(h) for h in personal)))

    base = _base_mapping(kind)
    mapping = _adjust_mapping(kind, upload, headers, fields, base)
    plan_error = None
    try:
        plan = plan_columns(headers, fields, mapping, upload.name)
    except ImportError_ as e:
        plan, plan_error = None, str(e)
    if plan is not None:
        _show_plan(plan, fields)
    _save_mapping(mapping, upload.name)

    st.markdown(f"#### {t('data_import_title')}")
    if plan_error:
        _error(t("data_cannot_import"), plan_error)
    # The click is recorded by a callback and acted on here: a callback survives an immediate
    # rerun of the script (dashboard.py reruns once on a fresh process), a button's True does not.
    requested = st.session_state.pop(IMPORT_REQUEST, None)
    st.button(t("data_import_button", kind=t(f"data_kind_{kind}")), type="primary", key="data_import",
              disabled=plan_error is not None, icon=":material/upload:", on_click=_request,
              args=(IMPORT_REQUEST, upload.file_id))
    if requested == upload.file_id and plan_error is None:
        _run_import(kind, path, mapping, upload.name)


def _saved_upload(upload) -> Path:
    """The upload as a file on disk (`metrics.uploads`), saved once per uploaded file."""
    saved: SavedUpload | None = st.session_state.get(UPLOAD_KEY)
    if saved is not None and saved.is_current(upload.file_id):
        saved.touch()
        return saved.path
    if saved is not None:
        saved.remove()
    if saved is None or saved.file_id != upload.file_id:
        # A new file: what was said about the previous one no longer applies.
        st.session_state.pop(LEDGER_KEY, None)
        st.session_state.pop(ERROR_KEY, None)
    remove_stale_uploads()
    saved = st.session_state[UPLOAD_KEY] = save_upload(upload, upload.name, upload.file_id)
    return saved.path


def _base_mapping(kind: str) -> Mapping:
    """The mapping file given on the page: an uploaded or pasted one, else a saved one, else none."""
    lang = current_view().lang
    with st.expander(t("data_mapping_file"), expanded=False):
        saved = sorted(p.name for p in MAPPINGS_DIR.glob("*.toml")) if MAPPINGS_DIR.is_dir() else []
        choice = st.selectbox(t("data_mapping_saved"), [NONE, *saved], key="data_mapping_choice",
                              format_func=lambda s: s or t("data_mapping_none", lang))
        uploaded = st.file_uploader(t("data_mapping_upload"), type=["toml"], key="data_mapping_upload")
        pasted = st.text_area(t("data_mapping_paste"), key="data_mapping_text", height=120,
                              placeholder='[columns]\ncase_id = "..."')
    try:
        if uploaded is not None:
            return parse_mapping(uploaded.getvalue().decode("utf-8-sig"), uploaded.name)
        if pasted and pasted.strip():
            return parse_mapping(pasted, t("data_mapping_pasted"))
        if choice:
            return load_mapping(MAPPINGS_DIR / choice)
    except (MappingError, UnicodeDecodeError) as e:
        _error(t("data_mapping_invalid"), str(e))
    return Mapping()


def _adjust_mapping(kind: str, upload, headers: list[str], fields: tuple[Field, ...], base: Mapping) -> Mapping:
    """A selectbox per field, starting from what the mapping file and the aliases find."""
    none_label = t("data_mapping_none")
    relaxed = tuple(dataclasses.replace(f, required=False) for f in fields)
    known = {f.name for f in fields}
    try:
        auto = plan_columns(headers, relaxed, base, upload.name).used
    except ImportError_ as e:  # the mapping names a column the file does not have
        _error(t("data_mapping_mismatch"), str(e))
        base = base.model_copy(update={"columns": {}})
        auto = plan_columns(headers, relaxed, base, upload.name).used
    choices = [NONE] + [h for h in headers if h and not is_personal(h)]
    # A new file or a new mapping file starts the selectboxes afresh.
    stamp = hashlib.sha1(f"{upload.file_id}|{kind}|{base.model_dump_json()}".encode()).hexdigest()[:10]
    chosen: dict[str, str] = {}
    with st.expander(t("data_mapping_adjust"), expanded=False):
        st.caption(t("data_mapping_adjust_help"))
        cols = st.columns(4)
        for i, f in enumerate(fields):
            default = auto.get(f.name, NONE)
            label = f"{f.label_zh} · {f.name}" + (" *" if f.required else "")
            with cols[i % 4]:
                chosen[f.name] = st.selectbox(
                    label, choices, index=choices.index(default) if default in choices else 0,
                    format_func=lambda h: h or none_label, key=f"map_{stamp}_{f.name}")
    columns = {k: v for k, v in chosen.items() if v and k in known}
    return Mapping(columns=columns, values=base.values, options=base.options)


def _show_plan(plan, fields: tuple[Field, ...]) -> None:
    labels = {f.name: f"{f.label_zh} · {f.name}" for f in fields}
    used = pd.DataFrame({t("data_field"): [labels[k] for k in plan.used],
                         t("data_source_column"): list(plan.used.values())})
    dropped = pd.DataFrame({
        t("data_source_column"): list(plan.dropped),
        t("data_why_dropped"): [t("data_dropped_personal") if why.startswith("personal") else t("data_dropped_unused")
                                for why in plan.dropped.values()]})
    left, right = st.columns(2)
    with left:
        st.markdown(f"**{t('data_columns_used')}**")
        st.dataframe(used, hide_index=True, key="data_plan_used", height=38 + 35 * max(1, len(used)))
    with right:
        st.markdown(f"**{t('data_columns_dropped')}**")
        if dropped.empty:
            st.caption(t("data_nothing_dropped"))
        else:
            st.dataframe(dropped, hide_index=True, key="data_plan_dropped", height=38 + 35 * len(dropped))


def _save_mapping(mapping: Mapping, upload_name: str) -> None:
    text = mapping.to_toml()
    with st.expander(t("data_mapping_save"), expanded=False):
        st.code(text, language="toml")
        name = st.text_input(t("data_mapping_name"), value=safe_name(Path(upload_name).stem),
                             key="data_mapping_name")
        file_name = f"{safe_name(name)}.toml"
        target = MAPPINGS_DIR / file_name
        left, right = st.columns(2)
        with left:
            st.download_button(t("data_mapping_download"), text.encode("utf-8"), file_name=file_name,
                               mime="application/toml", key="data_mapping_download", icon=":material/download:")
        with right:
            overwrite = st.checkbox(t("data_mapping_overwrite"), key="data_mapping_overwrite") \
                if target.exists() else True
            st.button(t("data_mapping_save_button", path=f"data/mappings/{file_name}"), key="data_mapping_save",
                      disabled=not overwrite, icon=":material/save:", on_click=_write_mapping, args=(target, text))
            if st.session_state.get(SAVED_KEY) == str(target):
                st.success(t("data_mapping_saved_ok", path=f"data/mappings/{file_name}"))


def _write_mapping(target: Path, text: str) -> None:
    access.record("settings", change="mapping_saved", path=str(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    st.session_state[SAVED_KEY] = str(target)


def _request(flag: str, value) -> None:
    st.session_state[flag] = value


def _run_import(kind: str, path: Path, mapping: Mapping, display_name: str) -> None:
    lang = current_view().lang
    bar = st.progress(0.0, text=t("data_progress_start", lang))
    # The engine reports progress from the thread that streams the file into DuckDB: the
    # callback lends that thread this run's context, reads no session state, and never raises.
    ctx = get_script_run_ctx()
    # A CSV file does not say how many rows it has: its line breaks tell about how many.
    about = approx_rows(path) if ACCEPTED_SUFFIXES.get(path.suffix.lower()) == "csv" else 0

    def progress(done: int, total: int | None, stage: str) -> None:
        try:
            if ctx is not None and get_script_run_ctx(suppress_warning=True) is not ctx:
                add_script_run_ctx(threading.current_thread(), ctx)
            if stage == "read":
                of = total or about
                share = min(done / of, 1.0) * 0.8 if of else 0.4
                bar.progress(share, text=t("data_progress_read", lang, n=fmt_num(done), total=fmt_num(total))
                             if total else t("data_progress_read_about", lang, n=fmt_num(done), total=fmt_num(about)))
            elif stage in ("checked", "aggregated"):
                bar.progress(0.85 if stage == "checked" else 0.95, text=t(f"data_progress_{stage}", lang))
        except Exception:  # noqa: BLE001 - a progress bar must never break an import
            pass

    st.session_state.pop(LEDGER_KEY, None)
    st.session_state.pop(ERROR_KEY, None)
    if ingest_lock_held():
        # Another session's import holds the store's scratch tables: refused, not queued behind
        # it, so this page does not hang for minutes without saying why.
        bar.empty()
        st.session_state[ERROR_KEY] = BUSY[0 if lang == "zh" else 1]
        st.rerun()
    try:
        # A cursor of its own: the other sessions' queries go on beside the import.
        ledger = import_file(queries.con().cursor(), path, kind, mapping, progress=progress,
                             display_name=display_name, calendar_overrides=queries.settings().calendar_overrides,
                             default_calendar=queries.settings().calendar)
    except (ImportError_, MappingError, SourceError, duckdb.Error, OSError) as e:
        # import_file is one transaction: whatever failed, it rolled back.
        bar.empty()
        st.session_state[ERROR_KEY] = f"{display_name}: {e}" if display_name not in str(e) else str(e)
        _audit_import(path, display_name, error=str(e).splitlines()[0] if str(e) else type(e).__name__)
    else:
        bar.progress(1.0, text=t("data_progress_done", lang))
        st.session_state[LEDGER_KEY] = ledger.to_json()
        _audit_import(path, display_name, ledger=ledger)
        if kind == "cases" and ledger.accepted:
            # The Supervision page's default periods, then every month the import left without
            # kept alerts, computed before anyone opens them: at 100M cases a quarter's take
            # 13-16 s (metrics/alert_results.py).
            settings = queries.settings()
            alert_results.warm_in_background(queries.con(), settings.db_path, settings.alerts,
                                             name="alerts-after-import")
    # Run the page again: the outcome is shown at the top, and everything above the page
    # (freshness, the departments in the sidebar) reads the new data.
    st.rerun()


BUSY = ("另一个导入正在进行（来自另一个会话或窗口）：请等它结束后再导入。在此期间其他页面照常可用。",
        "Another import is running (from another session or window): wait until it ends, then import again. "
        "The other pages keep working meanwhile.")


def ingest_lock_held() -> bool:
    from metrics import ingest
    return ingest._IMPORT_LOCK.locked()


def _audit_import(path: Path, display_name: str, ledger: Ledger | None = None, error: str | None = None) -> None:
    """File name, size, SHA-256 and ledger (or why it failed) into the audit trail."""
    from metrics import audit
    try:
        con = audit.open_access(queries.settings().db_path)
        try:
            audit.record_import(con, access.user().name, path, ledger, display_name=display_name, error=error)
        finally:
            con.close()
    except Exception:  # noqa: BLE001 - the import itself is done; the log keeps the failure
        access.LOG.exception("writing the audit trail (import)")


# ---- results ---------------------------------------------------------------------------------

def _last_import(view: View) -> None:
    if ERROR_KEY in st.session_state:
        _error(t("data_import_failed"), st.session_state[ERROR_KEY])
    raw = st.session_state.get(LEDGER_KEY)
    if not raw:
        return
    ledger = Ledger(**raw)
    st.markdown(f"#### {t('data_ledger_title', id=ledger.import_id, file=md_escape(ledger.file))}")
    parts = [("rows_read", ledger.rows_read), ("accepted", ledger.accepted), ("rejected", ledger.rejected),
             ("repeats", ledger.repeats), ("inserted", ledger.inserted), ("updated", ledger.updated)]
    for col, (k, v) in zip(st.columns(len(parts)), parts):
        col.metric(t(f"ledger_{k}"), fmt_num(v), help=t(f"ledger_{k}_help"), border=True)
    balance = t("data_balance", read=fmt_num(ledger.rows_read), acc=fmt_num(ledger.accepted),
                rej=fmt_num(ledger.rejected), rep=fmt_num(ledger.repeats))
    if ledger.balances():
        st.success(balance + " ✓", icon=":material/balance:")
    else:
        st.error(balance + " ✗")
    if ledger.uncovered_years:
        st.warning(t("data_uncovered", years=", ".join(str(y) for y in ledger.uncovered_years)))
    if ledger.full_rebuild:
        st.info(t("data_full_rebuild", reason=ledger.full_rebuild), icon=":material/autorenew:")
    if ledger.rejected_by_reason:
        reasons = pd.DataFrame({t("data_reason"): [reason_label(r) for r in ledger.rejected_by_reason],
                                t("ledger_rejected"): list(ledger.rejected_by_reason.values())})
        st.dataframe(reasons, hide_index=True, key="data_reasons_table", width=640)
    if ledger.rejected:
        _rejects_table(ledger.import_id, view.lang, key="data_rejects")
    st.caption(t("data_other_pages"))


def _rejects_table(import_id: int, lang: str, key: str) -> None:
    rej = queries.rejects(import_id, lang)
    shown = rej[["row", "field", "value", "message"]].rename(columns={
        "row": t("rej_row"), "field": t("rej_field"), "value": t("rej_value"), "message": t("rej_message")})
    st.markdown(f"**{t('data_rejects_title', n=fmt_num(len(rej)))}**", help=t("data_rejects_help"))
    st.dataframe(shown, hide_index=True, key=f"{key}_table", height=min(38 + 35 * len(shown), 420),
                 placeholder=DASH,
                 # The message says what to do: it gets the room.
                 column_config={t("rej_row"): st.column_config.NumberColumn(format="%d", width=70),
                                t("rej_field"): st.column_config.TextColumn(width=140),
                                t("rej_value"): st.column_config.TextColumn(width=220),
                                t("rej_message"): st.column_config.TextColumn(width=1100)})
    download(shown, f"rejects_import_{import_id}.csv", key=f"{key}_csv")


def _history(view: View) -> None:
    st.subheader(t("data_history_title"))
    hist = queries.import_history()
    if hist.empty:
        st.caption(t("data_history_empty"))
        return
    shown = hist.copy()
    shown["kind"] = [t(f"data_kind_{k}") for k in shown["kind"]]
    shown = shown.rename(columns={c: t(f"hist_{c}") for c in shown.columns})
    count_cols = ("rows_read", "accepted", "rejected", "repeats", "inserted", "updated")
    st.dataframe(shown, hide_index=True, key="data_history_table", height=min(38 + 35 * len(shown), 320),
                 column_config={t(f"hist_{c}"): st.column_config.NumberColumn(format="%,d") for c in count_cols}
                 | {t("hist_imported_at"): st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm:ss")})
    with_rejects = [int(i) for i in hist.loc[hist["rejected"] > 0, "import_id"]]
    if with_rejects:
        with st.expander(t("data_history_rejects"), expanded=False):
            pick = st.selectbox(t("data_history_pick"), with_rejects, key="data_history_pick",
                                format_func=lambda i: f"#{i} · {hist.set_index('import_id').loc[i, 'file_name']}")
            _rejects_table(pick, view.lang, key="data_history_rejects")


def _error(title: str, detail: str) -> None:
    """An error people can act on: what happened, the engine's precise message, and that no data changed."""
    st.error(f"**{title}**\n\n{md_escape(detail)}\n\n{t('data_unchanged')}", icon=":material/error:")
