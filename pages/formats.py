"""How numbers, dates and changes read on the pages: `92.3%`, `1,234`, `3.44 个工作日`,
`↑3`, `+1.2 个百分点`. An undefined value (NULL, NaN) always reads "—", never 0."""

from __future__ import annotations

import math
import re
from datetime import datetime

import pandas as pd

from metrics.registry import BY_NAME
from pages.labels import t

DASH = "—"


def undefined(v) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v))


def fmt_pct(v, digits: int = 1) -> str:
    return DASH if undefined(v) else f"{v * 100:.{digits}f}%"


def fmt_num(v) -> str:
    return DASH if undefined(v) else f"{int(round(v)):,}"


def fmt_days(v, lang: str | None = None) -> str:
    if undefined(v):
        return DASH
    return f"{v:.2f} {t('unit_days', lang)}"


def fmt_score(v) -> str:
    return DASH if undefined(v) else f"{v:.1f}"


def fmt_metric(name: str, v, lang: str | None = None) -> str:
    f = BY_NAME[name].format
    return {"percent": fmt_pct, "count": fmt_num}.get(f, lambda x: fmt_days(x, lang))(v)


def _with_interval(v, low, high, scale: float, unit: str, alone) -> str:
    if undefined(v):
        return DASH
    if undefined(low) or undefined(high):
        return alone(v)
    return f"{v * scale:.1f}{unit} ({low * scale:.1f}–{high * scale:.1f})"


def fmt_pct_interval(v, low, high) -> str:
    """`92.3% (88.1–95.2)`: a rate with its 95% interval, in percent."""
    return _with_interval(v, low, high, 100, "%", fmt_pct)


def fmt_score_interval(v, low, high) -> str:
    """`93.4 (90.1–96.2)`."""
    return _with_interval(v, low, high, 1, "", fmt_score)


def fmt_rank_change(change, ranked: bool, lang: str | None = None) -> str:
    """↑3, ↓1, – (same rank), new (ranked now, not then); empty when not ranked now."""
    if not ranked:
        return ""
    if undefined(change):
        return t("fr_new", lang)
    change = int(change)
    return "–" if change == 0 else (f"↑{change}" if change > 0 else f"↓{-change}")


def fmt_datetime(v) -> str:
    if undefined(v):
        return DASH
    if isinstance(v, datetime):
        return v.strftime("%Y-%m-%d %H:%M")
    return str(v)


def fmt_delta(name: str, value, previous, lang: str | None = None) -> str | None:
    """Change against the previous period, for `st.metric(delta=...)`: percentage points for
    rates, plain differences otherwise; `±0…` when unchanged at the shown precision (see
    `is_flat`); None when either value is undefined."""
    if undefined(value) or undefined(previous):
        return None
    fmt = BY_NAME[name].format
    if fmt == "percent":
        d = round((value - previous) * 100, 1)
        text, unit = f"{abs(d):.1f}", f" {t('fr_pp', lang)}"
    elif fmt == "count":
        d = int(round(value - previous))
        text, unit = f"{abs(d):,}", ""
    else:
        d = round(value - previous, 2)
        text, unit = f"{abs(d):.2f}", f" {t('unit_days', lang)}"
    sign = "±" if d == 0 else ("+" if d > 0 else "-")
    return f"{sign}{text}{unit}"


def is_flat(delta: str | None) -> bool:
    """A delta from `fmt_delta` that shows no change (drawn grey, without an arrow)."""
    return bool(delta) and delta.startswith("±")


def md_escape(text: str) -> str:
    """Text from the data (department names, file names) shown inside Markdown, inert."""
    return "".join("\\" + c if c in "\\`*_{}[]()#+-.!|<>~$:=" else c for c in str(text))


def safe_name(text: str) -> str:
    """A file-name fragment: letters, digits, CJK, dash and underscore only."""
    return re.sub(r"[^\w\-]+", "_", str(text)).strip("_") or "data"
