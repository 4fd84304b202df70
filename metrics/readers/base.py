"""What every format's reader shares: the error type, the `Source` interface, and the steps
applied to any format's batches (column selection, dropping trailing blank rows, re-batching).

A format module (`csv.py`, `xlsx.py`, `parquet.py`) subclasses :class:`Source`, fills in
``format`` and ``_read`` and opens its files; the contract of the batches is in
``metrics/readers/__init__.py``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import pyarrow as pa
import pyarrow.compute as pc

# Stripped around header texts: incl. the ideographic space and a stray BOM.
_HEADER_STRIP = " \t\r\n\f\v\u3000\ufeff"


class SourceError(Exception):
    """A file that cannot be read. ``str(err)`` is one line naming the file and what to do.

    ``row`` is the file row number (header = row 1) of the first offending row, when the
    problem is a row.
    """

    def __init__(self, message: str, *, row: int | None = None):
        super().__init__(" ".join(str(message).split()))  # guaranteed one line
        self.row = row


def one_line(exc: BaseException, limit: int = 200) -> str:
    """An exception's message on one line, cut to `limit` characters."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"


def strip_header(text: Any) -> str:
    return "" if text is None else str(text).strip(_HEADER_STRIP)


def check_duplicates(path: Path, headers: list[str]) -> None:
    """A header named twice would make "the column 受理时间" ambiguous: refuse the file."""
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


# --------------------------------------------------------------------------- the interface

@dataclass
class Source:
    """One opened export file. Made by :func:`metrics.readers.open_source`, never directly."""

    path: Path
    headers: list[str]              # header texts in file order, surrounding whitespace stripped
    total_rows: int | None          # parquet: exact; xlsx: rows below the header in the used range
    batch_rows: int = 500_000
    encoding: str | None = None     # csv only: "utf-8", "utf-8-sig" or "gb18030"

    format: ClassVar[str]           # "csv" | "xlsx" | "parquet"
    # Spreadsheets leave blank rows at the end of a sheet or a CSV export; a Parquet
    # file's rows are data written by a program and are kept exactly.
    drops_trailing_blank: ClassVar[bool] = True

    def batches(self, columns: list[str] | None = None) -> Iterator[pa.RecordBatch]:
        """Stream the named columns (original header texts as in ``headers``; None = all),
        in the order given, as all-string batches (see ``metrics/readers/__init__.py``)."""
        positions = select(self.headers, columns)
        names = [self.headers[i] for i in positions]
        if not self.headers:
            return iter(())
        raw = self._read(positions, names)
        if self.drops_trailing_blank:
            raw = drop_trailing_blank(raw)
        return rebatch(raw, self.batch_rows)

    def _read(self, positions: list[int], names: list[str]) -> Iterator[pa.RecordBatch]:
        """Batches of any size holding the columns at `positions` (file order of the
        headers), named `names`, all ``pa.string()`` without nulls."""
        raise NotImplementedError


# --------------------------------------------------------------------------- batch steps

def select(headers: list[str], columns: list[str] | None) -> list[int]:
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


def _is_blank(batch: pa.RecordBatch) -> pa.Array:
    """Boolean per row: every column empty after trimming whitespace."""
    blank = None
    for col in batch.columns:
        empty = pc.equal(pc.utf8_length(pc.utf8_trim_whitespace(col)), 0)
        blank = empty if blank is None else pc.and_(blank, empty)
    return blank


def _row_is_blank(batch: pa.RecordBatch, i: int) -> bool:
    return all(not (v.as_py() or "").strip() for v in (col[i] for col in batch.columns))


def drop_trailing_blank(batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
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


def rebatch(batches: Iterable[pa.RecordBatch], n: int) -> Iterator[pa.RecordBatch]:
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
