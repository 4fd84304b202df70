"""Parquet files: typed columns turned into the text an export would have held.

Timestamps ``YYYY-MM-DD HH:MM:SS`` (wall time in the column's own time zone), dates
``YYYY-MM-DD``, whole floats and decimals as integers, other floats in shortest round-trip
form, NaN and null ``""``. Every row is kept, blank or not: a Parquet file is written by a
program, not left behind by a spreadsheet.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from metrics.readers.base import Source, SourceError, check_duplicates, one_line, strip_header


@dataclass
class ParquetSource(Source):
    _raw_names: list[str] = field(default_factory=list, repr=False, compare=False)  # as in the file

    format = "parquet"
    drops_trailing_blank = False

    def _read(self, positions: list[int], names: list[str]) -> Iterator[pa.RecordBatch]:
        import pyarrow.parquet as pq

        path = self.path
        unique = sorted(set(positions))
        raw = [self._raw_names[p] for p in unique]
        try:
            pf = pq.ParquetFile(path)
            it = pf.iter_batches(batch_size=max(1, self.batch_rows), columns=raw, use_threads=True)
        except Exception as exc:  # noqa: BLE001
            raise SourceError(f"{path.name}: cannot be read as Parquet: {one_line(exc)}") from exc
        while True:
            try:
                b = next(it)
            except StopIteration:
                break
            except Exception as exc:  # noqa: BLE001
                raise SourceError(f"{path.name}: cannot be read as Parquet: {one_line(exc)}") from exc
            by_pos = {}
            for p, col in zip(unique, b.columns):
                by_pos[p] = _arrow_to_text(col, path, self.headers[p])
            yield pa.RecordBatch.from_arrays([by_pos[p] for p in positions], names=names)


_WHOLE_DECIMAL = r"^(-?\d+)\.0+$"


def _empty_strings(n: int) -> pa.Array:
    return pa.repeat("", n) if hasattr(pa, "repeat") else pa.array([""] * n, pa.string())


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
            f"{path.name}: column '{header}' ({t}) cannot be turned into text: {one_line(exc)}") from exc


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


def open_parquet(path: Path, batch_rows: int) -> ParquetSource:
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
        names = list(pf.schema_arrow.names)
        total = pf.metadata.num_rows
    except Exception as exc:  # noqa: BLE001
        raise SourceError(
            f"{path.name}: cannot be read as Parquet ({one_line(exc)}); export it again") from exc
    headers = [strip_header(n) for n in names]
    check_duplicates(path, headers)
    return ParquetSource(path=path, headers=headers, total_rows=total, batch_rows=batch_rows,
                         _raw_names=names)
