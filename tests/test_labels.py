"""Every string a page shows has a label in Chinese and in English: page labels, metric
names and definitions, rejection reasons. Read from all page modules, so a page added or
changed cannot ask for a label that is not there (the Data page once raised a KeyError for
`timestamp_out_of_range`)."""

from __future__ import annotations

import re
import string

import pytest

from conftest import ROOT

SOURCES = [ROOT / "dashboard.py", *sorted((ROOT / "pages").rglob("*.py"))]
LITERAL = re.compile(r"""\bt\(\s*["']([a-z0-9_]+)["']""")
BUILT = re.compile(r"""\bt\(\s*f["']([a-z0-9_]*)\{""")  # t(f"period_{kind}") -> "period_"


def _sources() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in SOURCES)


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_label_has_both_languages_and_the_same_placeholders():
    from pages.labels import TEXT
    for key, pair in TEXT.items():
        assert isinstance(pair, tuple) and len(pair) == 2, key
        zh, en = pair
        assert zh.strip() and en.strip(), key
        assert _placeholders(zh) == _placeholders(en), key


def test_every_label_a_page_asks_for_exists(store):
    from metrics.ingest import Ledger, import_history
    from metrics.registry import METRICS
    from pages.screens.definitions import SQL_FILES
    from pages.labels import TEXT
    from pages.navigation import PAGE_SPECS
    from pages.view import PERIOD_KINDS
    src = _sources()
    literal = set(LITERAL.findall(src))
    assert len(literal) > 150  # the pattern still finds the pages' calls
    # Keys built from a prefix and a value: every prefix in use, with the values it takes.
    counts = [f for f, info in Ledger.model_fields.items() if info.annotation is int and f != "import_id"]
    assert counts == ["rows_read", "accepted", "rejected", "repeats", "inserted", "updated"]
    families = {
        "period_": PERIOD_KINDS,
        "pd_": {m.period_date for m in METRICS},
        "df_sql_": SQL_FILES,
        "data_kind_": ("cases", "catalogue"),
        "data_progress_": ("checked", "aggregated"),
        "hist_": list(import_history(store).columns),
        "ledger_": [*counts, *(f"{k}_help" for k in counts)],
        "part_": ("numerator", "denominator"),
        "sat_scale_": ("share", "count"),
        "val_rating_": range(1, 6),
    }
    built = set(BUILT.findall(src))
    assert built <= set(families), f"a page builds label keys from {sorted(built - set(families))}: list its values here"
    used = literal | {f"{prefix}{v}" for prefix, values in families.items() for v in values}
    used |= {s.title_key for s in PAGE_SPECS}
    missing = sorted(k for k in used if k not in TEXT)
    assert not missing, missing


def test_every_rejection_reason_has_a_label_and_a_message_in_both_languages():
    from metrics.rejections import LABELS, REASONS, label, message
    assert set(LABELS) == set(REASONS)
    for code in REASONS:
        for lang in ("zh", "en"):
            assert label(code, lang).strip() and label(code, lang) != code, (code, lang)
            assert message(code, "accepted_at", "9999-01-01", lang).strip(), (code, lang)
    assert label("timestamp_out_of_range", "en") == "time outside the years 1900-2100"
    assert label("a_newer_code", "zh") == "a_newer_code"  # shown as itself, no KeyError


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_metric_has_its_words_in_both_languages(lang):
    from metrics.registry import METRICS
    from pages.labels import metric_help, metric_label
    for m in METRICS:
        assert metric_label(m.name, lang).strip(), m.name
        assert m.description(lang).strip() and m.formula(lang).strip(), m.name
        assert metric_help(m.name, lang) == f"{m.description(lang)}\n\n{m.formula(lang)}"
    labels = [metric_label(m.name, lang) for m in METRICS]
    assert len(set(labels)) == len(labels)  # no two metrics read alike


def test_column_headers_are_distinct_in_each_language():
    """A case list may show any of these columns side by side: two with one header make a
    table that cannot be drawn (pyarrow refuses duplicate column names)."""
    from pages.labels import TEXT
    for i, lang in enumerate(("zh", "en")):
        headers = [v[i] for k, v in TEXT.items() if k.startswith("col_")]
        assert len(headers) == len(set(headers)), (lang, sorted(h for h in headers if headers.count(h) > 1))
