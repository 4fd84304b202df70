"""Rankings 排名: the table is the engine's ranking, formatted; the downloads hold exactly
what is shown (CSV), the machine table (spec 8), and a formatted two-sheet workbook."""

from __future__ import annotations

import io
import json
from datetime import datetime

import openpyxl
import pandas as pd
import pytest

from conftest_app import LANG, goto, no_exception, open_app


@pytest.fixture(scope="module")
def engine(app_db):
    from metrics.store import connect
    con = connect(app_db)
    yield con
    con.close()


def _as_text(df: pd.DataFrame) -> list[list[str]]:
    return [["" if pd.isna(v) else str(v) for v in row] for row in df.itertuples(index=False)]


def _ranking_page(app_db, monkeypatch, **query):
    at = open_app(app_db, monkeypatch, query=query or None)
    goto(at, "rankings")
    no_exception(at)
    return at


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_table_is_the_engines_ranking(app_db, engine, monkeypatch, lang):
    from metrics.ranking import ranking
    from metrics.registry import FOUR_RATES
    at = _ranking_page(app_db, monkeypatch, lang=LANG[lang])
    assert at.title[0].value == ("部门排名" if lang == "zh" else "Department ranking")
    shown = at.dataframe[0].value
    want = ranking(engine, at.session_state["view"].period)
    dept, rank, score = {"zh": ("部门", "排名", "得分（区间）"), "en": ("Department", "Rank", "Score (interval)")}[lang]
    assert list(shown[dept]) == list(want["dept"])
    assert [None if pd.isna(r) else int(r) for r in shown[rank]] == \
        [None if pd.isna(r) else int(r) for r in want["rank"]]
    for (_, row), got in zip(want.iterrows(), shown[score]):
        if pd.isna(row["score"]):
            assert got == "—"
        else:
            assert got == f"{row['score']:.1f} ({row['score_low']:.1f}–{row['score_high']:.1f})"
    for m in FOUR_RATES:
        for (_, row), got in zip(want.iterrows(), shown[m.label(lang)]):
            v = row[m.name]
            assert got == ("—" if pd.isna(v) else
                           f"{v * 100:.1f}% ({row[m.name + '_low'] * 100:.1f}–{row[m.name + '_high'] * 100:.1f})")
    # Flags and marks are there where the engine sets them.
    change = shown["变化" if lang == "zh" else "Change"]
    for (_, row), got in zip(want.iterrows(), change):
        rc = row["rank_change"]
        if not row["ranked"]:
            assert got == ""
        elif pd.isna(rc):
            assert got == ("新" if lang == "zh" else "new")
        else:
            assert got == ("–" if rc == 0 else (f"↑{int(rc)}" if rc > 0 else f"↓{-int(rc)}"))
    sig = shown["与下一名" if lang == "zh" else "vs next"]
    assert [bool(s) for s in sig] == list(want["not_significant_with_next"])
    # Every column explains itself; the rates with the registry's definitions.
    config = json.loads(at.dataframe[0].proto.columns)
    for m in FOUR_RATES:
        assert m.description(lang) in config[m.label(lang)]["help"]


def test_changing_the_quarter_changes_the_table(app_db, engine, monkeypatch):
    from metrics.periods import parse_period
    from metrics.ranking import ranking
    at = _ranking_page(app_db, monkeypatch)
    before = _as_text(at.dataframe[0].value)
    older = at.selectbox(key="quarter").options[3]
    at.selectbox(key="quarter").select(older).run()
    no_exception(at)
    shown = at.dataframe[0].value
    assert _as_text(shown) != before
    assert list(shown["部门"]) == list(ranking(engine, parse_period(older))["dept"])


def test_csv_download_is_the_table_as_shown(app_db, monkeypatch, downloads):
    at = _ranking_page(app_db, monkeypatch)
    shown = at.dataframe[0].value
    button = next(b for b in at.download_button if b.label == "CSV（与表格一致）")
    raw = downloads.of(button)
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, for Excel and WPS
    back = pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(back.columns) == list(shown.columns)
    assert _as_text(back) == _as_text(shown)


def test_machine_csv_is_the_spec_table(app_db, engine, monkeypatch, downloads):
    from metrics.ranking import RANKING_COLUMNS, ranking
    at = _ranking_page(app_db, monkeypatch)
    button = next(b for b in at.download_button if b.label.startswith("CSV（机器可读"))
    back = pd.read_csv(io.BytesIO(downloads.of(button)), encoding="utf-8-sig")
    assert list(back.columns[:len(RANKING_COLUMNS)]) == RANKING_COLUMNS
    want = ranking(engine, at.session_state["view"].period)
    assert list(back["dept"]) == list(want["dept"])
    pd.testing.assert_series_equal(back["score"], want["score"].astype(float), check_names=False, rtol=1e-12)


def test_csv_neutralises_formula_like_cells(monkeypatch, downloads, gap_db):
    at = open_app(gap_db, monkeypatch, query={"quarter": "2025Q3"})
    goto(at, "rankings")
    no_exception(at)
    button = next(b for b in at.download_button if b.label == "CSV（与表格一致）")
    back = pd.read_csv(io.BytesIO(downloads.of(button)), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert "'=HYPERLINK(\"x\")" in list(back["部门"])
    assert '=HYPERLINK("x")' in list(at.dataframe[0].value["部门"])  # shown as it is


def test_xlsx_has_the_ranking_and_the_definitions(app_db, engine, monkeypatch):
    from metrics.ranking import ranking
    from metrics.registry import FOUR_RATES, METRICS
    from metrics.workbook import WorkbookMeta, ranking_workbook
    at = _ranking_page(app_db, monkeypatch)
    assert any(b.label.startswith("Excel") for b in at.download_button)
    period = at.session_state["view"].period
    table = ranking(engine, period)
    meta = WorkbookMeta(lang="zh", period=period, depts=(), targets={m.name: m.target for m in METRICS},
                        min_cases=30, generated=datetime(2026, 1, 2, 3, 4, 5))
    wb = openpyxl.load_workbook(io.BytesIO(ranking_workbook(table, meta)))
    assert wb.sheetnames == ["排名", "指标说明"]
    ws = wb["排名"]
    assert ws["A1"].value == "政务服务中心部门排名"
    assert ws["B2"].value == f"{period.label} ({period.start.isoformat()} – {period.end.isoformat()})"
    assert ws["B3"].value == "全部部门" and ws["B4"].value == "2026-01-02 03:04:05"
    header = [c.value for c in ws[6]]
    rows = list(ws.iter_rows(min_row=7, values_only=True))
    assert len(rows) == len(table)
    col = {h: i for i, h in enumerate(header)}
    assert [r[col["部门"]] for r in rows] == list(table["dept"])
    for m in FOUR_RATES:
        j = col[m.label("zh")]
        for r, v in zip(rows, table[m.name]):
            assert (r[j] is None) if pd.isna(v) else r[j] == pytest.approx(v, rel=1e-12)
        assert ws.cell(row=7, column=j + 1).number_format == "0.0%"
    assert [r[col["得分"]] for r in rows if r[col["得分"]] is not None] == \
        pytest.approx([s for s in table["score"] if not pd.isna(s)], rel=1e-12)
    wd = wb["指标说明"]
    labels = [r[0] for r in wd.iter_rows(min_row=2, values_only=True)]
    assert labels == [m.label("zh") for m in METRICS]


def test_presentation_shows_two_columns_of_bars_only(app_db, monkeypatch):
    at = _ranking_page(app_db, monkeypatch, present="true")
    assert len(at.main.get("plotly_chart")) == 2 and not at.dataframe and not at.download_button
