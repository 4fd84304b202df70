"""Which staged rows hold a control character, told in Arrow while the file is read.

A control character (U+0000-U+001F, U+007F) inside a name makes a look-alike key ("甲局" and
"甲局<NUL>"), so the checks (`sql/*_check.sql`) reject it with a regular expression per field.
Those expressions cost about a third of a second of a core per month of 450,000 rows at
10M cases, on rows that hardly ever hold one. In UTF-8 each of these characters is one byte
that no other character's bytes contain, so a column's bytes are tested at once (numpy) and
the few hits mapped back to their rows: the staged column `has_control` says which rows the
checks need to test at all, and the checks still decide which field and what it shows.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

# The fields whose control characters the checks reject (cases_check.sql, catalogue_check.sql,
# departments_check.sql; tests/test_ingest_control_chars.py keeps the two in step).
CHECKED_FIELDS = ("case_id", "dept", "item_code", "item_name", "category")


def control_rows(col: pa.Array) -> np.ndarray:
    """Per value of a string array: whether it holds a control character (False for null)."""
    n = len(col)
    out = np.zeros(n, dtype=bool)
    if n == 0 or col.null_count == n:
        return out
    _, offsets_buf, data_buf = col.buffers()
    width = np.int64 if pa.types.is_large_string(col.type) else np.int32
    offsets = np.frombuffer(offsets_buf, dtype=width, count=n + 1, offset=col.offset * np.dtype(width).itemsize)
    start, end = int(offsets[0]), int(offsets[-1])
    if data_buf is None or end == start:
        return out
    data = np.frombuffer(data_buf, dtype=np.uint8, count=end - start, offset=start)
    hits = np.flatnonzero((data < 0x20) | (data == 0x7F))
    if hits.size:
        # The value whose bytes hold the hit: the last offset at or before it.
        out[np.searchsorted(offsets, hits + start, side="right") - 1] = True
        if col.null_count:
            out &= col.is_valid().to_numpy(zero_copy_only=False)
    return out


def has_control(columns: dict[str, pa.Array], length: int) -> pa.Array:
    """Per row: whether any of the checked fields among `columns` (name -> values) holds a
    control character."""
    rows = np.zeros(length, dtype=bool)
    for name in CHECKED_FIELDS:
        if name in columns:
            rows |= control_rows(columns[name])
    return pa.array(rows, pa.bool_())
