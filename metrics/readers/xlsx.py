"""Excel .xlsx workbooks, first sheet, header on its first non-empty row, read by fastexcel.

A cell becomes the text a standard-width Excel cell shows: date/datetime cells
``YYYY-MM-DD HH:MM:SS`` (rounded to the second), time-only cells ``HH:MM:SS``, whole numbers
as integers (``12345``), other numbers with at most nine decimals (fastexcel's Excel-like
rendering, ``0.333333333``), booleans ``true``/``false``, formula errors as Excel shows
them (``#N/A``).
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from metrics.readers.base import Source, SourceError, check_duplicates, one_line, strip_header


@dataclass
class XlsxSource(Source):
    _sheet_cols: list[int] = field(default_factory=list, repr=False, compare=False)  # column A = 0

    format = "xlsx"

    def _read(self, positions: list[int], names: list[str]) -> Iterator[pa.RecordBatch]:
        import fastexcel

        path = self.path
        unique = sorted(set(positions))
        sheet_col = {p: self._sheet_cols[p] for p in unique}   # use_columns takes sheet columns
        try:
            reader = fastexcel.read_excel(str(path))
            sheet = reader.load_sheet(0, header_row=0, dtypes="string",
                                      use_columns=[sheet_col[p] for p in unique])
            data, errors = sheet.to_arrow_with_errors()
            selected = sheet.selected_columns
            index_of = {c.absolute_index: k for k, c in enumerate(selected)}
            cols = {p: data.column(index_of[sheet_col[p]]) for p in unique}
            # cell errors name the column by its index within the sheet's used range
            range_index = {c.index: c.absolute_index for c in selected}
        except Exception as exc:  # noqa: BLE001
            raise SourceError(f"{path.name}: cannot be read as an Excel workbook: {one_line(exc)}") from exc

        # Formula errors arrive as nulls plus a list of cell errors: show them as Excel does.
        fixes: dict[int, dict[int, str]] = {}
        pos_of = {c: p for p, c in sheet_col.items()}
        for err in errors.errors if errors is not None else ():
            row, col = err.offset_position
            p = pos_of.get(range_index.get(col, -1))
            if p is not None:
                fixes.setdefault(p, {})[row] = _excel_error_text(err.detail)
        out = {}
        for p in unique:
            arr = cols[p]
            if isinstance(arr, pa.ChunkedArray):
                arr = arr.combine_chunks()
            if p in fixes:
                values = arr.to_pylist()
                for r, text in fixes[p].items():
                    if 0 <= r < len(values):
                        values[r] = text
                arr = pa.array(values, pa.string())
            out[p] = _tidy_excel_text(arr.cast(pa.string()))
        n = data.num_rows
        batch = pa.RecordBatch.from_arrays([out[p] for p in positions], names=names)
        step = max(1, self.batch_rows)
        for off in range(0, n, step):
            yield batch.slice(off, step)


_EXCEL_ERRORS = {
    "Div0": "#DIV/0!", "NA": "#N/A", "Name": "#NAME?", "Null": "#NULL!", "Num": "#NUM!",
    "Ref": "#REF!", "Value": "#VALUE!", "GettingData": "#GETTING_DATA",
}


def _excel_error_text(detail: str) -> str:
    m = re.search(r"Error\((\w+)\)", detail or "")
    return _EXCEL_ERRORS.get(m.group(1), f"#{m.group(1).upper()}") if m else "#ERROR"


_FRACTION = r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d+$"


def _round_second(text: str) -> str:
    whole, frac = text.split(".", 1)
    t = _dt.datetime.strptime(whole, "%Y-%m-%d %H:%M:%S")
    if frac and frac[0] >= "5":
        t += _dt.timedelta(seconds=1)
    return t.strftime("%Y-%m-%d %H:%M:%S")


def _tidy_excel_text(arr: pa.Array) -> pa.Array:
    """fastexcel renders datetime cells with milliseconds when there are any, and time-only
    cells on Excel's day 0 (1899-12-31): make both what the cell shows."""
    if len(arr) == 0:
        return arr.fill_null("")
    frac = pc.fill_null(pc.match_substring_regex(arr, _FRACTION), False)
    if pc.any(frac).as_py():
        picked = pc.filter(arr, frac).to_pylist()
        arr = pc.replace_with_mask(arr, frac, pa.array([_round_second(s) for s in picked], pa.string()))
    day0 = pc.fill_null(pc.starts_with(arr, "1899-12-31 "), False)
    if pc.any(day0).as_py():
        arr = pc.replace_substring_regex(arr, pattern=r"^1899-12-31 (\d{2}:\d{2}:\d{2})$", replacement=r"\1")
    return arr.fill_null("")


def open_xlsx(path: Path, batch_rows: int) -> XlsxSource:
    import fastexcel

    try:
        reader = fastexcel.read_excel(str(path))
        sheet_names = reader.sheet_names
        if not sheet_names:
            raise SourceError(f"{path.name}: the workbook has no sheets; export the data again")
        head = reader.load_sheet(0, header_row=None, n_rows=1, dtypes="string")
        width = head.width
        total_height = head.total_height
        sheet_cols = [c.absolute_index for c in head.available_columns()]
        row = head.to_arrow() if width else None
    except SourceError:
        raise
    except Exception as exc:  # noqa: BLE001
        raise SourceError(
            f"{path.name}: cannot be read as an Excel .xlsx workbook ({one_line(exc)}); open it in "
            f"Excel, save it as .xlsx and import again") from exc
    if not width or row is None or row.num_rows == 0:
        if len(sheet_names) > 1:
            raise SourceError(
                f"{path.name}: its first sheet '{sheet_names[0]}' is empty; move the case log to the "
                f"first sheet and import again")
        return XlsxSource(path=path, headers=[], total_rows=0, batch_rows=batch_rows)
    raw = [row.column(i)[0].as_py() for i in range(row.num_columns)]
    headers = [strip_header(h) for h in raw]
    check_duplicates(path, headers)
    # fastexcel reports 2**64-1 for an empty sheet; anything absurd means "unknown".
    total = total_height - 1 if 0 < total_height < 2 ** 32 else None
    return XlsxSource(path=path, headers=headers, total_rows=total, batch_rows=batch_rows,
                      _sheet_cols=sheet_cols)
