"""Docs cannot drift from the registry and the settings."""

import re

from metrics.registry import METRICS
from metrics.settings import Settings
from tests.conftest import ROOT

DOC = (ROOT / "docs" / "metrics.md").read_text(encoding="utf-8")
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_metric_is_documented_with_its_target():
    for m in METRICS:
        section = DOC.split(f"## `{m.name}`", 1)
        assert len(section) == 2, f"{m.name} missing from docs/metrics.md"
        body = section[1].split("\n## ", 1)[0]
        assert m.label_zh in section[1][:200] and m.formula_en in body
        if m.target is not None:
            shown = f"{m.target * 100:g}%" if m.format == "percent" else f"{m.target:g}"
            assert re.search(rf"target: [≥≤] {re.escape(shown)}", body), m.name


def test_every_setting_is_documented():
    for name in Settings.model_fields:
        assert f"`{name}`" in README, f"setting {name} missing from README"


def test_readme_names_the_two_commands():
    assert "./run.sh dashboard" in README and "./run.sh test" in README
