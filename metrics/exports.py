"""Files people download: CSV that Excel and WPS open correctly and safely."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

# A cell starting with one of these is run as a formula by spreadsheet programs.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Prefix text that a spreadsheet would treat as a formula with an apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise)
    out.columns = [neutralise(str(c)) for c in out.columns]
    return out


def csv_bytes(df: pd.DataFrame) -> bytes:
    """UTF-8 with a BOM, so Excel and WPS show Chinese text correctly."""
    buf = io.StringIO()
    safe_frame(df).to_csv(buf, index=False)
    return buf.getvalue().encode("utf-8-sig")


def write_csv(df: pd.DataFrame, path: Path) -> None:
    Path(path).write_bytes(csv_bytes(df))
