"""The Data page, run through dashboard.py: real files uploaded through the page, imported,
and checked against the engine's own ledger and figures; failures leave the data as it was."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from conftest import FIXTURES, build_small_store
from conftest_app import goto, no_exception, open_app

PAGES = FIXTURES / "pages"


@pytest.fixture
def empty_store(tmp_path) -> Path:
    from metrics.store import connect
    path = tmp_path / "store.duckdb"
    connect(path).close()
    return path


@pytest.fixture
def loaded_store(tmp_path) -> Path:
    """The hand-computed fixture, imported by the engine (2 imports, 22 cases)."""
    return build_small_store(tmp_path / "loaded.duckdb")


@pytest.fixture
def mappings_dir(tmp_path, monkeypatch) -> Path:
    """Saved mappings go to a temporary folder, not the project's data/mappings/."""
    from pages.screens import data_admin
    folder = tmp_path / "mappings"
    monkeypatch.setattr(data_admin, "MAPPINGS_DIR", folder)
    return folder


def url(module: str) -> str:
    from pages.navigation import PAGE_SPECS
    return {p.module: p.url_path for p in PAGE_SPECS}[f"pages.screens.{module}"]


def data_page(db, monkeypatch, lang: str = "zh"):
    from pages.view import LANG_NAMES
    at = open_app(db, monkeypatch, {"lang": LANG_NAMES[lang]}, page=url("data_admin"))
    no_exception(at)
    return at


def text(key: str, lang: str = "zh", **fmt) -> str:
    from pages.labels import t
    return t(key, lang, **fmt)


def reason(code: str, lang: str = "zh") -> str:
    from metrics.rejections import label
    return label(code, lang)


def upload(at, path: Path, kind: str = "cases", name: str | None = None, content: bytes | None = None):
    if at.button_group(key="data_kind").value != kind:
        at.button_group(key="data_kind").set_value(kind).run()
    at.file_uploader(key="data_upload").set_value(
        (name or path.name, path.read_bytes() if content is None else content, "text/csv")).run()
    no_exception(at)
    return at


def click_import(at):
    button = at.button(key="data_import")
    assert not button.disabled
    button.click().run()
    no_exception(at)
    return at


def tiles(at) -> dict[str, str]:
    return {m.label: m.value for m in at.main.metric}


def ledger_shown(at, lang: str = "zh") -> dict[str, int]:
    shown = tiles(at)
    return {k: int(shown[text(f"ledger_{k}", lang)].replace(",", ""))
            for k in ("rows_read", "accepted", "rejected", "repeats", "inserted", "updated")}


def table(at, *columns: str, nth: int | None = None) -> pd.DataFrame:
    """The one table with these headers (or the nth of several, in page order)."""
    found = [d.value for d in at.main.dataframe if set(columns) <= set(d.value.columns)]
    if nth is not None:
        return found[nth]
    assert len(found) == 1, [list(d.value.columns) for d in at.main.dataframe]
    return found[0]


def errors(at) -> str:
    """The error boxes' text as the reader sees it (Markdown escapes removed)."""
    import re
    return re.sub(r"\\(.)", r"\1", "\n".join(e.value for e in at.main.error))


def history_rows(at) -> int:
    return len(table(at, text("hist_file_name")))


def engine_ledger(path: Path, kind: str = "cases", mapping=None) -> dict:
    """The ledger the engine itself gives for the file, on a store of its own."""
    from metrics.ingest import import_file
    from metrics.store import connect
    con = connect(":memory:")
    ledger = import_file(con, path, kind, mapping).to_json()
    con.close()
    return ledger


def mapping_box(at, field: str):
    from metrics.fields import CASE_FIELDS
    f = next(f for f in CASE_FIELDS if f.name == field)
    label = f"{f.label_zh} · {f.name}" + (" *" if f.required else "")
    return next(s for s in at.main.selectbox if s.label == label)


# ---- a clean import ---------------------------------------------------------------------------

def test_import_catalogue_and_case_log_through_the_page(empty_store, monkeypatch):
    at = data_page(empty_store, monkeypatch)
    assert at.title[0].value == text("nav_data")
    assert [i.value for i in at.main.info] == [text("no_data")]

    upload(at, FIXTURES / "small_catalogue.csv", kind="catalogue")
    click_import(at)
    assert ledger_shown(at)["accepted"] == 5 and ledger_shown(at)["rows_read"] == 5

    upload(at, FIXTURES / "small_cases.csv", kind="cases")
    # The preview never shows the personal-data columns; the plan says they are not stored.
    preview = at.main.dataframe[0].value
    assert "办件编号" in preview.columns and len(preview) == 10
    assert not {"申请人姓名", "联系电话"} & set(preview.columns)
    dropped = table(at, text("data_why_dropped")).set_index(text("data_source_column"))
    assert dropped.loc["申请人姓名", text("data_why_dropped")] == text("data_dropped_personal")
    assert dropped.loc["联系电话", text("data_why_dropped")] == text("data_dropped_personal")
    used = table(at, text("data_field")).set_index(text("data_field"))
    assert used.loc["受理时间 · accepted_at", text("data_source_column")] == "受理时间"

    click_import(at)
    expected = engine_ledger(FIXTURES / "small_cases.csv")
    shown = ledger_shown(at)
    assert shown == {k: expected[k] for k in shown}
    assert shown["rows_read"] == shown["accepted"] + shown["rejected"] + shown["repeats"] == 22
    assert [s.value for s in at.main.success][0].startswith(
        text("data_balance", read="22", acc="22", rej="0", rep="0"))
    assert history_rows(at) == 2
    assert tiles(at)[text("data_cases_stored")] == "22"

    # The other pages read the new data: 甲局's figures are the hand-computed ones.
    goto(at, url("department"))
    no_exception(at)
    at.selectbox(key="dept_detail").set_value("甲局").run()
    from metrics.registry import BY_NAME
    assert tiles(at)[BY_NAME["on_time_rate"].label_zh] == "75.0%"
    assert tiles(at)[BY_NAME["entry_rate"].label_zh] == "66.7%"


def test_the_page_says_when_an_import_computed_every_case_again(empty_store, monkeypatch):
    at = data_page(empty_store, monkeypatch, lang="en")
    upload(at, FIXTURES / "small_cases.csv", kind="cases")
    click_import(at)
    rebuilt = text("data_full_rebuild", "en", reason="the store holds no cases yet")
    assert rebuilt in [i.value for i in at.main.info]
    # The same file again replaces every case by itself: an update of its days, said nowhere.
    upload(at, FIXTURES / "small_cases.csv", kind="cases", name="again.csv")
    click_import(at)
    assert (ledger_shown(at, "en")["updated"], ledger_shown(at, "en")["inserted"]) == (22, 0)
    assert not [i.value for i in at.main.info if i.value.startswith(rebuilt.split("(")[0])]


def test_an_import_computes_the_supervision_defaults_in_the_background(empty_store, monkeypatch):
    """After a case-log import the page starts the alerts of the Supervision page's default
    quarter and month, then of every other month of the data (metrics/alert_results.py); their
    months' tallies are kept beside the store."""
    import threading
    from metrics import alert_results
    at = data_page(empty_store, monkeypatch, lang="en")
    upload(at, FIXTURES / "small_cases.csv", kind="cases")
    click_import(at)
    warming = [th for th in threading.enumerate() if th.name == "alerts-after-import"]
    assert len(warming) == 1
    warming[0].join(timeout=120)
    # small_cases.csv runs from June to 2025-10-09: the defaults are 2025Q3 and 2025-09.
    kept = sorted(p.name.split("-", 1)[1].rsplit("-", 1)[0]
                  for p in alert_results.folder_of(empty_store).glob("*.parquet"))
    assert kept == ["m2025-06", "m2025-07", "m2025-08", "m2025-09", "m2025-10"]


def test_gbk_case_log_in_english(empty_store, monkeypatch):
    at = data_page(empty_store, monkeypatch, "en")
    upload(at, PAGES / "small_cases_gbk.csv")
    assert any("gb18030" in m.value for m in at.main.markdown)
    assert "办理部门" in at.main.dataframe[0].value.columns  # decoded, not mojibake
    click_import(at)
    shown = ledger_shown(at, "en")
    assert shown["accepted"] == 22 and shown["rejected"] == 0
    hist = table(at, text("hist_file_name", "en"))
    assert list(hist[text("hist_file_name", "en")]) == ["small_cases_gbk.csv"]
    assert list(hist[text("hist_encoding", "en")]) == ["gb18030"]

    goto(at, url("department"))
    assert "甲局" in at.selectbox(key="dept_detail").options
    at.selectbox(key="dept_detail").set_value("甲局").run()
    from metrics.registry import BY_NAME
    assert tiles(at)[BY_NAME["satisfaction_rate"].label_en] == "66.7%"


# ---- bad input --------------------------------------------------------------------------------

def test_bad_rows_are_listed_with_their_row_numbers(empty_store, monkeypatch, downloads):
    at = data_page(empty_store, monkeypatch)
    path = PAGES / "cases_bad_rows.csv"
    upload(at, path)
    click_import(at)
    expected = engine_ledger(path)
    shown = ledger_shown(at)
    assert shown == {k: expected[k] for k in shown}
    # X1 and X6 accepted; row 7 repeats row 2; X2..X5 and both X7 rows rejected.
    assert shown == {"rows_read": 9, "accepted": 2, "rejected": 6, "repeats": 1, "inserted": 2, "updated": 0}

    reasons = table(at, text("data_reason")).set_index(text("data_reason"))
    assert reasons.loc[reason("duplicate_case_id"), text("ledger_rejected")] == 2
    assert reasons[text("ledger_rejected")].sum() == 6

    # The ledger's list comes first; the history offers the same import's rows again below.
    rejects = table(at, text("rej_row"), nth=0)
    assert table(at, text("rej_row"), nth=1).equals(rejects)
    assert list(rejects[text("rej_row")]) == [3, 4, 5, 6, 9, 10]
    assert list(rejects[text("rej_field")]) == ["dept", "accepted_at", "completed_at", "rating", "case_id",
                                                "case_id"]
    assert "2025-13-45" in rejects[text("rej_message")].iloc[1]
    button = next(b for b in at.main.get("download_button") if b.key == "data_rejects_csv")
    csv = pd.read_csv(io.BytesIO(downloads.of(button)), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(csv.columns) == list(rejects.columns)
    assert list(csv[text("rej_row")]) == [str(r) for r in rejects[text("rej_row")]]
    assert list(csv[text("rej_message")]) == list(rejects[text("rej_message")])


def test_failures_leave_the_data_as_it_was(loaded_store, monkeypatch):
    at = data_page(loaded_store, monkeypatch)
    stored = tiles(at)[text("data_cases_stored")]
    assert stored == "22" and history_rows(at) == 2

    # A required column is missing: a clear error, and the import cannot start.
    upload(at, PAGES / "cases_missing_accepted.csv")
    message = errors(at)
    assert text("data_cannot_import") in message and "accepted_at" in message and "受理时间" in message
    assert text("data_unchanged") in message
    assert at.button(key="data_import").disabled

    # A row with one field too many: the file cannot be read.
    upload(at, PAGES / "cases_ragged.csv")
    assert "row 16" in errors(at) and text("data_unreadable") in errors(at)
    assert not [b for b in at.main.button if b.key == "data_import"]

    # The store fails in the middle of the import: all of it is rolled back.
    import duckdb

    from metrics import ingest

    def broken(*args, **kwargs):  # after the file is staged and checked, before anything is kept
        raise duckdb.IOException("No space left on device")

    monkeypatch.setattr(ingest, "run_script", broken)
    upload(at, PAGES / "cases_bad_rows.csv")
    click_import(at)
    assert text("data_import_failed") in errors(at) and "No space left on device" in errors(at)
    assert not [m for m in at.main.metric if m.label == text("ledger_rows_read")]
    monkeypatch.undo()

    at = data_page(loaded_store, monkeypatch)
    assert tiles(at)[text("data_cases_stored")] == stored
    assert history_rows(at) == 2
    from metrics.ingest import import_history
    from pages import queries
    assert len(import_history(queries.con())) == 2
    assert queries.con().execute("SELECT count(*) FROM cases WHERE case_id LIKE 'X%'").fetchone()[0] == 0


def test_upload_over_the_limit_is_refused(empty_store, monkeypatch):
    from metrics.settings import Settings
    from pages import queries
    monkeypatch.setattr(queries, "settings", lambda: Settings(db_path=empty_store, upload_limit_mb=1))
    at = data_page(empty_store, monkeypatch)
    big = (FIXTURES / "small_cases.csv").read_bytes() * 600  # about 1.7 MB
    upload(at, FIXTURES / "small_cases.csv", name="big.csv", content=big)
    assert text("data_too_big", name="big.csv", size=f"{len(big) / 1024 / 1024:,.1f}", mb=1) in errors(at)
    assert not [b for b in at.main.button if b.key == "data_import"]


# ---- mapping ----------------------------------------------------------------------------------

OWN = {"case_id": "ticket", "dept": "agency", "item_name": "service", "accepted_at": "opened",
       "completed_at": "closed", "promised_limit_days": "promise_days", "rating": "stars", "status": "state"}


def test_mapping_adjusted_saved_and_used_again(empty_store, monkeypatch, mappings_dir, downloads):
    from metrics.mapping import Mapping, parse_mapping
    path = PAGES / "cases_own_headers.csv"
    at = data_page(empty_store, monkeypatch)
    upload(at, path)
    assert "case_id" in errors(at) and at.button(key="data_import").disabled
    # The personal-data column is not even offered.
    assert "caller_phone" not in mapping_box(at, "case_id").options

    for field, column in OWN.items():
        mapping_box(at, field).set_value(column)
    at.run()
    no_exception(at)
    assert not errors(at)
    used = table(at, text("data_field")).set_index(text("data_source_column"))
    assert set(used.index) == set(OWN.values())

    at.text_input(key="data_mapping_name").set_value("own_system").run()
    at.button(key="data_mapping_save").click().run()
    no_exception(at)
    saved = mappings_dir / "own_system.toml"
    assert saved.is_file()
    assert parse_mapping(saved.read_text(encoding="utf-8")).columns == OWN
    button = next(b for b in at.main.get("download_button") if b.key == "data_mapping_download")
    assert downloads.of(button).decode("utf-8") == saved.read_text(encoding="utf-8")

    click_import(at)
    expected = engine_ledger(path, mapping=Mapping(columns=OWN))
    assert ledger_shown(at) == {k: expected[k] for k in ledger_shown(at)}
    assert ledger_shown(at)["accepted"] == 3

    # A new session: the saved mapping, chosen on the page, maps the same file again.
    at = data_page(empty_store, monkeypatch)
    upload(at, path)
    assert "case_id" in errors(at)
    at.selectbox(key="data_mapping_choice").set_value("own_system.toml").run()
    assert not errors(at)
    assert mapping_box(at, "accepted_at").value == "opened"
    click_import(at)
    assert ledger_shown(at)["updated"] == 3  # the same three cases, imported again


def test_invalid_pasted_mapping_is_reported(empty_store, monkeypatch):
    at = data_page(empty_store, monkeypatch, "en")
    upload(at, FIXTURES / "small_cases.csv")
    at.text_area(key="data_mapping_text").set_value("[columns]\nnot_a_field = \"x\"\n").run()
    no_exception(at)
    assert text("data_mapping_invalid", "en") in errors(at) and "not_a_field" in errors(at)
    # The aliases still match every column, so the file can be imported as it is.
    assert not at.button(key="data_import").disabled


def test_copies_of_uploads_unused_for_a_day_are_removed(empty_store, monkeypatch, tmp_path):
    # Sessions end without telling the page, and each upload's copy on disk may be 200 MB: an
    # upload removes copies no page has used for a day, and keeps recent ones (another session
    # may be importing from it). A session whose copy was removed saves it again on its next run.
    import os
    import tempfile
    import time

    from metrics import uploads
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    stale, recent = scratch / f"{uploads.PREFIX}stale", scratch / f"{uploads.PREFIX}recent"
    for folder, age in ((stale, uploads.STALE_SECONDS + 60), (recent, uploads.STALE_SECONDS - 600)):
        folder.mkdir()
        (folder / "cases.csv").write_bytes(b"x" * 1000)
        os.utime(folder, (time.time() - age, time.time() - age))

    at = data_page(empty_store, monkeypatch)
    upload(at, FIXTURES / "small_catalogue.csv", kind="catalogue")
    assert not stale.exists() and recent.exists()
    ours = [p for p in scratch.glob(uploads.PREFIX + "*") if p != recent]
    assert len(ours) == 1 and (ours[0] / "small_catalogue.csv").read_bytes() == \
        (FIXTURES / "small_catalogue.csv").read_bytes()

    # Another session removed this one's copy as stale: the import still reads the whole file.
    import shutil
    shutil.rmtree(ours[0])
    click_import(at)
    assert ledger_shown(at)["accepted"] == 5 and ledger_shown(at)["rows_read"] == 5


def test_the_dashboard_counts_the_alerts_of_a_store_it_opens_in_the_background(loaded_store, monkeypatch):
    """A store imported while no dashboard ran (the command line) or alerts under other
    settings: the first run of the server process counts every month not kept yet."""
    import threading
    from metrics import alert_results
    assert not alert_results.folder_of(loaded_store).exists()
    data_page(loaded_store, monkeypatch, lang="en")
    starting = [th for th in threading.enumerate() if th.name == f"alerts-on-start {loaded_store}"]
    assert len(starting) == 1
    starting[0].join(timeout=120)
    kept = sorted(p.name.split("-", 1)[1].rsplit("-", 1)[0]
                  for p in alert_results.folder_of(loaded_store).glob("*.parquet"))
    assert kept == ["m2025-06", "m2025-07", "m2025-08", "m2025-09", "m2025-10"]
