"""The README's "Pages and addresses" cannot drift from the pages: every page, every older
address, every URL parameter a widget is bound to and every one the view reads by hand is
listed there, and its example addresses are ones the view understands."""

from __future__ import annotations

import ast

from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def section(title: str) -> str:
    parts = README.split(f"\n## {title}\n", 1)
    assert len(parts) == 2, f"README has no section '## {title}'"
    return parts[1].split("\n## ", 1)[0]


def bound_parameters() -> set[str]:
    """The keys of the widgets bound to the address (`bind="query-params"`) in pages/."""
    from pages.view import PERIOD_KINDS

    keys: set[str] = set()
    for path in sorted((ROOT / "pages").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            kw = {k.arg: k.value for k in node.keywords}
            bind = kw.get("bind")
            if not (isinstance(bind, ast.Constant) and bind.value == "query-params"):
                continue
            key = kw.get("key")
            if isinstance(key, ast.Constant):
                keys.add(key.value)
            else:
                # The one computed key: the period picker of the chosen kind (quarter, month,
                # year; the range has its own). Any other must be listed here and in the README.
                assert path.name == "view.py" and isinstance(key, ast.Name) and key.id == "kind", \
                    f"{path.name}:{node.lineno}: a URL-bound widget with a computed key"
                keys.update(k for k in PERIOD_KINDS if k != "range")
    return keys


def test_every_page_and_address_is_listed():
    from pages.labels import t
    from pages.navigation import ALIASES, PAGE_SPECS

    text = section("Pages and addresses")
    for spec in PAGE_SPECS:
        assert f"`/{spec.url_path}`" in text, spec.url_path
        assert t(spec.title_key, "zh") in text and t(spec.title_key, "en") in text, spec.title_key
    for alias in ALIASES:
        assert f"`/{alias}`" in text, alias


def test_every_url_parameter_is_listed():
    from pages.view import ADDRESS_PARAMS
    keys = bound_parameters()
    # the sidebar's and two pages' own: a list that cannot be empty by accident
    assert {"lang", "quarter", "depts", "present", "advance", "dept_detail", "as_of"} <= keys
    assert set(ADDRESS_PARAMS) == {"period", "kind", "slides"} and not keys & set(ADDRESS_PARAMS)
    text = section("Pages and addresses")
    for key in sorted(keys | set(ADDRESS_PARAMS)):  # bound, or read by hand (pages/view.py)
        assert f"`{key}`" in text, f"URL parameter {key} missing from the README"


def test_the_examples_name_kinds_and_slides_the_view_understands():
    import re

    from pages.navigation import SPEC_BY_PATH
    from pages.view import kind_code, slide_codes
    text = section("Pages and addresses")
    kinds = re.findall(r"kind=([^&`\s]+)", text)
    slides = re.findall(r"slides=([^&`\s]+)", text)
    assert len(kinds) >= 2 and len(slides) >= 2
    assert all(kind_code(k) == k for k in kinds), kinds  # written as the page writes them: codes
    assert all(slide_codes([s]) == [s] and s in SPEC_BY_PATH for s in slides), slides


def test_every_command_is_listed():
    import argparse

    from metrics.cli import build_parser

    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    assert {"demo", "ingest", "rank"} <= set(sub.choices)
    text = section("Command line")
    for name in sub.choices:
        assert f"python -m metrics {name} " in text or f"`{name}`" in text, f"command {name} missing"
