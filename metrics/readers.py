"""Read one export file (CSV, XLSX or Parquet) as a stream of all-text Arrow record batches.

This is the importer's only way into a file (spec 1.1): it names the columns it needs and
gets back batches whose columns are all ``pa.string()``, in file order, so personal-data
columns are never even materialised.

Contract of :meth:`Source.batches`:

* every column is ``pa.string()`` and never null: an empty cell is ``""`` (the importer
  decides what empty means; nothing here trims or drops values);
* row ``i`` of the stream (counting across batches from 0) is file row ``i + 2``, the
  header being row 1 (for CSV a "row" is a record, so a quoted value holding a newline
  does not shift the count; for XLSX rows count from the sheet's header row, the first
  non-empty row of the first sheet);
* blank rows in the middle of a file are kept (as all-``""`` rows, so numbering stays
  exact); in CSV and XLSX, blank rows at the very end of the file (what spreadsheets leave
  behind, e.g. ``,,,,`` lines) are dropped: a row counts as blank when every column read
  is empty after trimming whitespace. Parquet rows are all kept;
* every batch has exactly ``batch_rows`` rows except the last.

Values become text as follows. CSV: verbatim. XLSX: what a standard-width Excel cell
shows: date/datetime cells ``YYYY-MM-DD HH:MM:SS`` (rounded to the second), time-only cells
``HH:MM:SS``, whole numbers as integers (``12345``), other numbers with at most nine
decimals (fastexcel's Excel-like rendering, ``0.333333333``), booleans ``true``/``false``,
formula errors as Excel shows them (``#N/A``). Parquet: timestamps ``YYYY-MM-DD
HH:MM:SS`` (wall time in the column's own time zone), dates ``YYYY-MM-DD``, whole floats and
decimals as integers, other floats in shortest round-trip form, NaN and null ``""``.

Every problem with the file itself raises :class:`SourceError`, whose message is one line
naming the file and saying what to do.
"""

from __future__ import annotations

import codecs
import csv
import datetime as _dt
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from metrics.transcode import UndecodableLine, utf8_copy

__all__ = ["Source", "SourceError", "detect_encoding", "open_source", "ACCEPTED_SUFFIXES"]

ACCEPTED_SUFFIXES: dict[str, str] = {
    ".csv": "csv", ".txt": "csv",
    ".xlsx": "xlsx",
    ".parquet": "parquet", ".pq": "parquet",
}

HEAD_BYTES = 4 * 1024 * 1024          # how much of a CSV the encoding check decodes
CSV_BLOCK_BYTES = 4 * 1024 * 1024     # pyarrow's CSV block: one record must fit in it
_HEADER_STRIP = " \t\r\n\f\v\u3000\ufeff"  # incl. the ideographic space and a stray BOM


class SourceError(Exception):
    """A file that cannot be read. ``str(err)`` is one line naming the file and what to do.

    ``row`` is the file row number (header = row 1) of the first offending row, when the
    problem is a row.
    """

    def __init__(self, message: str, *, row: int | None = None):
        super().__init__(" ".join(str(message).split()))  # guaranteed one line
        self.row = row


def _one_line(exc: BaseException, limit: int = 200) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --------------------------------------------------------------------------- encoding

def detect_encoding(path: Path) -> str:
    """"utf-8-sig" (UTF-8 BOM), "utf-8" (the first few MB decode strictly) or "gb18030"."""
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            head = fh.read(HEAD_BYTES)
            at_end = not fh.read(1)
    except OSError as exc:
        raise SourceError(f"{path.name}: cannot be opened ({_one_line(exc)}); check the file and try again") from exc
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise SourceError(
            f"{path.name}: is UTF-16 text (Excel's 'Unicode text'); save it as 'CSV UTF-8' and import again")
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    try:
        # final=False leaves a multi-byte character cut at the end of the head undecided
        decoder.decode(head, final=at_end)
        return "utf-8"
    except UnicodeDecodeError:
        return "gb18030"


# --------------------------------------------------------------------------- helpers

def _strip_header(text: Any) -> str:
    return "" if text is None else str(text).strip(_HEADER_STRIP)


def _check_duplicates(path: Path, headers: list[str]) -> None:
    seen: dict[str, int] = {}
    for h in headers:
        if h:
            seen[h] = seen.get(h, 0) + 1
    dups = [h for h, n in seen.items() if n > 1]
    if dups:
        listed = ", ".join(f"'{h}'" for h in dups)
        raise SourceError(
            f"{path.name}: the header names {listed} more than once; rename or delete the repeated "
            f"column(s) and import again")


def _empty_strings(n: int) -> pa.Array:
    return pa.repeat("", n) if hasattr(pa, "repeat") else pa.array([""] * n, pa.string())


def _is_blank(batch: pa.RecordBatch) -> pa.Array:
    """Boolean per row: every column empty after trimming whitespace."""
    blank = None
    for col in batch.columns:
        empty = pc.equal(pc.utf8_length(pc.utf8_trim_whitespace(col)), 0)
        blank = empty if blank is None else pc.and_(blank, empty)
    return blank


def _row_is_blank(batch: pa.RecordBatch, i: int) -> bool:
    return all(not (v.as_py() or "").strip() for v in (col[i] for col in batch.columns))


def _drop_trailing_blank(batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """Pass batches through, holding back blank rows until a non-blank row follows them;
    blank rows still held at the end of the stream are dropped."""
    pending: list[pa.RecordBatch] = []
    for b in batches:
        n = b.num_rows
        if n == 0:
            continue
        if not _row_is_blank(b, n - 1):       # the common case: nothing to hold back
            yield from pending
            pending.clear()
            yield b
            continue
        nonblank = pc.indices_nonzero(pc.invert(_is_blank(b)))
        if len(nonblank) == 0:
            pending.append(b)
            continue
        last = nonblank[-1].as_py()
        yield from pending
        pending.clear()
        yield b.slice(0, last + 1)
        pending.append(b.slice(last + 1))


def _rebatch(batches: Iterable[pa.RecordBatch], n: int) -> Iterator[pa.RecordBatch]:
    """Exactly ``n`` rows per batch except the last, order kept."""
    buf: list[pa.RecordBatch] = []
    count = 0
    for b in batches:
        if b.num_rows == 0:
            continue
        if not buf and b.num_rows == n:
            yield b
            continue
        buf.append(b)
        count += b.num_rows
        if count < n:
            continue
        table = pa.Table.from_batches(buf).combine_chunks()
        off = 0
        while count - off >= n:
            yield table.slice(off, n).to_batches()[0]
            off += n
        rest = table.slice(off)
        buf = rest.to_batches() if rest.num_rows else []
        count -= off
    if count:
        table = pa.Table.from_batches(buf).combine_chunks()
        yield table.to_batches()[0]


def _select(headers: list[str], columns: list[str] | None) -> list[int]:
    """Positions (in file order) of the requested header names; ValueError when a name is
    unknown or names a blank / ambiguous header (a programming error, not a file error)."""
    if columns is None:
        return list(range(len(headers)))
    if isinstance(columns, str):
        raise TypeError("columns must be a list of header names, not a string")
    if len(columns) == 0:
        raise ValueError("columns is empty: name at least one header (or pass None for all)")
    where: dict[str, int] = {}
    for i, h in enumerate(headers):
        where.setdefault(h, i)
    out = []
    for c in columns:
        if c not in where:
            raise ValueError(f"no column {c!r} in this file; its headers are {headers!r}")
        if c == "" and headers.count("") > 1:
            raise ValueError("the file has several blank headers; a blank header cannot be selected")
        out.append(where[c])
    return out


# --------------------------------------------------------------------------- Source

@dataclass
class Source:
    path: Path
    format: str                     # "csv" | "xlsx" | "parquet"
    encoding: str | None            # csv only: "utf-8", "utf-8-sig" or "gb18030"
    headers: list[str]              # header texts in file order, surrounding whitespace stripped
    total_rows: int | None          # parquet: exact; xlsx: rows below the header in the used range
    batch_rows: int = 500_000
    delimiter: str = ","            # csv only: "," or "\t" (sniffed from the header line)
    _raw_names: list[str] = field(default_factory=list, repr=False, compare=False)
    _sheet_cols: list[int] = field(default_factory=list, repr=False, compare=False)  # xlsx: column A=0

    def batches(self, columns: list[str] | None = None) -> Iterator[pa.RecordBatch]:
        """Stream the named columns (original header texts as in ``headers``; None = all),
        in the order given, as all-string batches. See the module docstring."""
        positions = _select(self.headers, columns)
        names = [self.headers[i] for i in positions]
        if not self.headers:
            return iter(())
        if self.format == "csv":
            raw = self._csv_batches(positions, names)
        elif self.format == "xlsx":
            raw = self._xlsx_batches(positions, names)
        else:
            raw = self._parquet_batches(positions, names)
        if self.format != "parquet":     # spreadsheet leftovers; Parquet rows are kept exactly
            raw = _drop_trailing_blank(raw)
        return _rebatch(raw, self.batch_rows)

    # ---- CSV
    def _csv_batches(self, positions: list[int], names: list[str]) -> Iterator[pa.RecordBatch]:
        if self.encoding in ("utf-8", "utf-8-sig"):
            yield from self._utf8_batches(self.path, positions, names)
            return
        # pyarrow would decode on one thread; a UTF-8 copy made on every core reads faster.
        try:
            with utf8_copy(self.path, self.encoding) as copy:
                yield from self._utf8_batches(copy, positions, names)
        except UndecodableLine as e:
            raise SourceError(
                f"{self.path.name}: line {e.line} is neither valid UTF-8 nor GB18030/GBK text; "
                f"save the file as 'CSV UTF-8' and import again", row=e.line) from None

    def _utf8_batches(self, path: Path, positions: list[int], names: list[str]) -> Iterator[pa.RecordBatch]:
        """Batches of `path`: the file itself, or its UTF-8 copy (a BOM is skipped by pyarrow)."""
        ncols = len(self.headers)
        unique = sorted(set(positions))
        last = ncols - 1
        # The last column is always parsed so an unclosed quote at the end of the file shows.
        read = sorted(set(unique) | {last})
        gen_names = [f"f{i}" for i in range(ncols)]
        bad: list[tuple[int | None, int]] = []

        def on_invalid(row) -> str:
            if len(bad) < 5:
                bad.append((row.number, row.actual_columns))
            return "skip"

        try:
            reader = pacsv.open_csv(
                path,
                read_options=pacsv.ReadOptions(
                    encoding="utf8",
                    autogenerate_column_names=True,   # the header row is data row 0: parsed like the rest
                    use_threads=False,                # keeps InvalidRow.number; as fast on 2 cores
                    block_size=CSV_BLOCK_BYTES,
                ),
                parse_options=pacsv.ParseOptions(
                    delimiter=self.delimiter,
                    newlines_in_values=True,
                    ignore_empty_lines=False,         # a blank line is a row: numbering stays exact
                    invalid_row_handler=on_invalid,
                ),
                convert_options=pacsv.ConvertOptions(
                    column_types={gen_names[i]: pa.string() for i in read},
                    include_columns=[gen_names[i] for i in read],
                    null_values=[], strings_can_be_null=False, quoted_strings_can_be_null=False,
                ),
            )
        except Exception as exc:  # noqa: BLE001 - every reader failure becomes a SourceError
            if "cannot infer number of columns" in str(exc):
                return      # pyarrow quirk: a header line without a final newline, i.e. no rows
            raise self._csv_error(exc) from exc

        first = True
        last_row_last_value: str | None = None
        while True:
            try:
                batch = reader.read_next_batch()
            except StopIteration:
                break
            except SourceError:
                raise
            except Exception as exc:  # noqa: BLE001
                raise self._csv_error(exc) from exc
            if bad:
                raise self._ragged_error(bad, ncols)
            if first:
                batch = batch.slice(1)     # the header row
                first = False
            if batch.num_rows == 0:
                continue
            last_row_last_value = batch.column(read.index(last))[batch.num_rows - 1].as_py()
            by_pos = dict(zip(read, batch.columns))
            yield pa.RecordBatch.from_arrays([by_pos[p] for p in positions], names=names)
        if last_row_last_value and ("\n" in last_row_last_value or "\r" in last_row_last_value):
            if not _ends_with_quote(path):
                raise SourceError(
                    f"{path.name}: a quoted value in the last column of the last row is never closed "
                    f"(a '\"' is missing, or the file was cut off); fix the file and import again")

    def _csv_error(self, exc: BaseException) -> SourceError:
        name = self.path.name
        if isinstance(exc, SourceError):
            return exc
        if isinstance(exc, UnicodeDecodeError):
            return SourceError(
                f"{name}: is neither valid UTF-8 nor GB18030/GBK text (read as {self.encoding}); "
                f"save it as 'CSV UTF-8' and import again")
        msg = _one_line(exc)
        if "invalid UTF8" in msg or "invalid utf8" in msg.lower():
            m = re.search(r"Row #(\d+)", msg)
            row = int(m.group(1)) if m else None
            where = f" at row {row}" if row else ""
            return SourceError(
                f"{name}: is not valid UTF-8{where} although its first {HEAD_BYTES // 2**20} MB are "
                f"(read as {self.encoding}); the file mixes encodings: save it again as 'CSV UTF-8' "
                f"and import again", row=row)
        if "straddling" in msg or "block size" in msg:
            return SourceError(
                f"{name}: has a record longer than {CSV_BLOCK_BYTES // 2**20} MB, usually a quote '\"' "
                f"that is never closed; fix the file and import again")
        return SourceError(f"{name}: cannot be read as CSV ({self.encoding}): {msg}")

    def _ragged_error(self, bad: list[tuple[int | None, int]], ncols: int) -> SourceError:
        name = self.path.name
        first_row, first_n = bad[0]
        if first_row is None:
            return SourceError(
                f"{name}: a row has {first_n} fields but the header has {ncols}; fix the row "
                f"(a missing or extra delimiter, or an unclosed quote) and import again")
        more = [r for r, _ in bad[1:] if r is not None]
        also = f" (also row{'s' if len(more) > 1 else ''} {', '.join(map(str, more))})" if more else ""
        return SourceError(
            f"{name}: row {first_row} has {first_n} field{'s' if first_n != 1 else ''} but the header "
            f"has {ncols}{also}; fix the row (a missing or extra delimiter, or an unclosed quote) "
            f"and import again", row=first_row)

    # ---- XLSX
    def _xlsx_batches(self, positions: list[int], names: list[str]) -> Iterator[pa.RecordBatch]:
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
            raise SourceError(f"{path.name}: cannot be read as an Excel workbook: {_one_line(exc)}") from exc

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

    # ---- Parquet
    def _parquet_batches(self, positions: list[int], names: list[str]) -> Iterator[pa.RecordBatch]:
        import pyarrow.parquet as pq

        path = self.path
        unique = sorted(set(positions))
        raw = [self._raw_names[p] for p in unique]
        try:
            pf = pq.ParquetFile(path)
            it = pf.iter_batches(batch_size=max(1, self.batch_rows), columns=raw, use_threads=True)
        except Exception as exc:  # noqa: BLE001
            raise SourceError(f"{path.name}: cannot be read as Parquet: {_one_line(exc)}") from exc
        while True:
            try:
                b = next(it)
            except StopIteration:
                break
            except Exception as exc:  # noqa: BLE001
                raise SourceError(f"{path.name}: cannot be read as Parquet: {_one_line(exc)}") from exc
            by_pos = {}
            for p, col in zip(unique, b.columns):
                by_pos[p] = _arrow_to_text(col, path, self.headers[p])
            yield pa.RecordBatch.from_arrays([by_pos[p] for p in positions], names=names)


def _ends_with_quote(path: Path) -> bool:
    with open(path, "rb") as fh:
        fh.seek(0, io.SEEK_END)
        size = fh.tell()
        fh.seek(max(0, size - 64))
        tail = fh.read().rstrip(b" \t\r\n")
    return tail.endswith(b'"')


# --------------------------------------------------------------------------- XLSX text

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


# --------------------------------------------------------------------------- Parquet text

_WHOLE_DECIMAL = r"^(-?\d+)\.0+$"


def _arrow_to_text(col: pa.Array | pa.ChunkedArray, path: Path, header: str) -> pa.Array:
    if isinstance(col, pa.ChunkedArray):
        col = col.combine_chunks()
    t = col.type
    try:
        if pa.types.is_dictionary(t):
            return _arrow_to_text(col.dictionary_decode(), path, header)
        if pa.types.is_null(t):
            return _empty_strings(len(col))
        if pa.types.is_string(t):
            return col.fill_null("")
        if pa.types.is_large_string(t) or str(t) == "string_view":
            return col.cast(pa.string()).fill_null("")
        if pa.types.is_timestamp(t):
            secs = pc.cast(col, pa.timestamp("s", tz=t.tz), safe=False)
            return pc.strftime(secs, format="%Y-%m-%d %H:%M:%S").cast(pa.string()).fill_null("")
        if pa.types.is_date(t):
            return pc.strftime(col.cast(pa.date32()), format="%Y-%m-%d").cast(pa.string()).fill_null("")
        if pa.types.is_floating(t):
            return _float_text(col)
        if pa.types.is_decimal(t):
            text = col.cast(pa.string())
            return pc.replace_substring_regex(text, pattern=_WHOLE_DECIMAL, replacement=r"\1").fill_null("")
        if pa.types.is_time(t):
            text = col.cast(pa.string())
            return pc.replace_substring_regex(text, pattern=r"\.0+$", replacement="").fill_null("")
        if pa.types.is_nested(t):
            raise SourceError(
                f"{path.name}: column '{header}' holds nested values ({t}); export it as plain text "
                f"columns and import again")
        if pa.types.is_binary(t) or pa.types.is_large_binary(t) or pa.types.is_fixed_size_binary(t):
            try:
                return col.cast(pa.string()).fill_null("")
            except pa.ArrowInvalid as exc:
                raise SourceError(
                    f"{path.name}: column '{header}' holds binary data that is not UTF-8 text; "
                    f"export it as text and import again") from exc
        return col.cast(pa.string()).fill_null("")      # bool → true/false, integers, durations
    except SourceError:
        raise
    except Exception as exc:  # noqa: BLE001
        raise SourceError(
            f"{path.name}: column '{header}' ({t}) cannot be turned into text: {_one_line(exc)}") from exc


def _float_text(col: pa.Array) -> pa.Array:
    d = col.cast(pa.float64())
    text = col.cast(pa.string())                      # shortest round-trip form of the original type
    finite = pc.fill_null(pc.is_finite(d), False)
    whole = pc.and_(finite, pc.and_(pc.equal(pc.floor(d), d), pc.less(pc.abs(d), 2.0 ** 63)))
    whole = pc.fill_null(whole, False)
    if pc.any(whole).as_py():
        ints = pc.cast(pc.if_else(whole, d, 0.0), pa.int64()).cast(pa.string())
        text = pc.if_else(whole, ints, text)
    nan = pc.fill_null(pc.is_nan(d), False)
    text = pc.if_else(nan, pa.scalar(None, pa.string()), text)   # NaN is pandas' missing value
    return text.fill_null("")


# --------------------------------------------------------------------------- open_source

def open_source(path: Path, *, batch_rows: int = 500_000) -> Source:
    """Open one export file: format by extension, headers read, nothing else materialised."""
    path = Path(path)
    if batch_rows < 1:
        raise ValueError("batch_rows must be >= 1")
    fmt = ACCEPTED_SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        hint = " (an old .xls workbook: save it as .xlsx)" if path.suffix.lower() == ".xls" else ""
        raise SourceError(
            f"{path.name}: unsupported file type '{path.suffix or '(none)'}'{hint}; export the data as "
            f"CSV (.csv/.txt), Excel (.xlsx) or Parquet (.parquet/.pq) and import again")
    if not path.is_file():
        raise SourceError(f"{path.name}: file not found ({path}); check the path and try again")
    if fmt == "csv":
        return _open_csv(path, batch_rows)
    if fmt == "xlsx":
        return _open_xlsx(path, batch_rows)
    return _open_parquet(path, batch_rows)


def _sniff_delimiter(path: Path) -> str:
    """Tab when the first line has tabs and no commas (tab-separated .txt exports), else comma.
    Both bytes are ASCII and never part of a GB18030 or UTF-8 multi-byte character."""
    with open(path, "rb") as fh:
        head = fh.read(64 * 1024)
    line = head.split(b"\n", 1)[0]
    return "\t" if b"\t" in line and b"," not in line else ","


def _open_csv(path: Path, batch_rows: int) -> Source:
    encoding = detect_encoding(path)
    delimiter = _sniff_delimiter(path)
    src = Source(path=path, format="csv", encoding=encoding, headers=[], total_rows=None,
                 batch_rows=batch_rows, delimiter=delimiter)
    if path.stat().st_size == 0:
        return src
    try:
        reader = pacsv.open_csv(
            path,
            read_options=pacsv.ReadOptions(
                encoding="utf8" if encoding in ("utf-8", "utf-8-sig") else encoding,
                autogenerate_column_names=True, use_threads=False, block_size=1024 * 1024),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter, newlines_in_values=True, ignore_empty_lines=False,
                invalid_row_handler=lambda row: "skip"),
        )
        ncols = len(reader.schema)
        first = reader.read_next_batch()
        header_row = [first.column(i)[0].as_py() for i in range(ncols)] if first.num_rows else []
    except StopIteration:
        header_row = []
    except Exception as exc:  # noqa: BLE001
        msg = _one_line(exc)
        if "cannot infer number of columns" in msg or "Empty CSV file" in msg:
            # pyarrow quirk: a one-line file without a final newline; parse that line here.
            header_row = _header_by_hand(path, encoding, delimiter)
        else:
            raise src._csv_error(exc) from exc
    header_row = ["" if v is None else str(v) for v in header_row]
    headers = [_strip_header(h) for h in header_row]
    if headers and not any(headers):
        raise SourceError(
            f"{path.name}: the first line has no column names; put the header on line 1 and import again")
    _check_duplicates(path, headers)
    src.headers = headers
    src._raw_names = header_row
    return src


def _header_by_hand(path: Path, encoding: str, delimiter: str) -> list[str]:
    with open(path, encoding=encoding, newline="", errors="strict") as fh:
        text = fh.read(1024 * 1024)
    if not text.strip():
        return []
    return next(csv.reader(io.StringIO(text), delimiter=delimiter), [])


def _open_xlsx(path: Path, batch_rows: int) -> Source:
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
            f"{path.name}: cannot be read as an Excel .xlsx workbook ({_one_line(exc)}); open it in "
            f"Excel, save it as .xlsx and import again") from exc
    if not width or row is None or row.num_rows == 0:
        if len(sheet_names) > 1:
            raise SourceError(
                f"{path.name}: its first sheet '{sheet_names[0]}' is empty; move the case log to the "
                f"first sheet and import again")
        return Source(path=path, format="xlsx", encoding=None, headers=[], total_rows=0,
                      batch_rows=batch_rows)
    raw = [row.column(i)[0].as_py() for i in range(row.num_columns)]
    headers = [_strip_header(h) for h in raw]
    _check_duplicates(path, headers)
    # fastexcel reports 2**64-1 for an empty sheet; anything absurd means "unknown".
    total = total_height - 1 if 0 < total_height < 2 ** 32 else None
    return Source(path=path, format="xlsx", encoding=None, headers=headers, total_rows=total,
                  batch_rows=batch_rows, _raw_names=["" if h is None else str(h) for h in raw],
                  _sheet_cols=sheet_cols)


def _open_parquet(path: Path, batch_rows: int) -> Source:
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
        names = list(pf.schema_arrow.names)
        total = pf.metadata.num_rows
    except Exception as exc:  # noqa: BLE001
        raise SourceError(
            f"{path.name}: cannot be read as Parquet ({_one_line(exc)}); export it again") from exc
    headers = [_strip_header(n) for n in names]
    _check_duplicates(path, headers)
    return Source(path=path, format="parquet", encoding=None, headers=headers, total_rows=total,
                  batch_rows=batch_rows, _raw_names=names)
