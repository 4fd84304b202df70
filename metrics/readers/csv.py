"""CSV and tab-separated text: encoding detected (UTF-8, UTF-8 with BOM, GB18030/GBK),
delimiter sniffed from the header line, values verbatim.

pyarrow's streaming reader does the parsing; a GB18030 file is first turned into a UTF-8
copy on every core (`metrics/transcode.py`), because pyarrow would decode it on one
thread through Python's codec.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv

from metrics.readers.base import Source, SourceError, check_duplicates, one_line, strip_header
from metrics.transcode import UndecodableLine, utf8_copy

HEAD_BYTES = 4 * 1024 * 1024          # how much of a CSV the encoding check decodes
CSV_BLOCK_BYTES = 4 * 1024 * 1024     # pyarrow's CSV block: one record must fit in it


def detect_encoding(path: Path) -> str:
    """"utf-8-sig" (UTF-8 BOM), "utf-8" (the first few MB decode strictly) or "gb18030"."""
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            head = fh.read(HEAD_BYTES)
            at_end = not fh.read(1)
    except OSError as exc:
        raise SourceError(f"{path.name}: cannot be opened ({one_line(exc)}); check the file and try again") from exc
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


@dataclass
class CsvSource(Source):
    delimiter: str = ","            # "," or "\t" (sniffed from the header line)

    format = "csv"

    def _read(self, positions: list[int], names: list[str]) -> Iterator[pa.RecordBatch]:
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
            raise self._error(exc) from exc

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
                raise self._error(exc) from exc
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

    def _error(self, exc: BaseException) -> SourceError:
        name = self.path.name
        if isinstance(exc, SourceError):
            return exc
        if isinstance(exc, UnicodeDecodeError):
            return SourceError(
                f"{name}: is neither valid UTF-8 nor GB18030/GBK text (read as {self.encoding}); "
                f"save it as 'CSV UTF-8' and import again")
        msg = one_line(exc)
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


def approx_rows(path: Path) -> int:
    """About how many data rows a CSV file holds: its line breaks less the header's. An
    estimate for a progress bar only (a quoted value may hold line breaks); a pass over the
    bytes, about 0.1 s per 100 MB."""
    lines = 0
    last = b"\n"
    with open(path, "rb") as fh:
        while chunk := fh.read(8 * 2**20):
            lines += chunk.count(b"\n") or chunk.count(b"\r")  # CR-only files: old Mac exports
            last = chunk[-1:]
    if last not in (b"\n", b"\r"):
        lines += 1  # the last line has no line break
    return max(lines - 1, 0)


def _ends_with_quote(path: Path) -> bool:
    with open(path, "rb") as fh:
        fh.seek(0, io.SEEK_END)
        size = fh.tell()
        fh.seek(max(0, size - 64))
        tail = fh.read().rstrip(b" \t\r\n")
    return tail.endswith(b'"')


def _sniff_delimiter(path: Path) -> str:
    """Tab when the first line has tabs and no commas (tab-separated .txt exports), else comma.
    Both bytes are ASCII and never part of a GB18030 or UTF-8 multi-byte character."""
    with open(path, "rb") as fh:
        head = fh.read(64 * 1024)
    line = head.split(b"\n", 1)[0]
    return "\t" if b"\t" in line and b"," not in line else ","


def open_csv(path: Path, batch_rows: int) -> CsvSource:
    encoding = detect_encoding(path)
    delimiter = _sniff_delimiter(path)
    src = CsvSource(path=path, headers=[], total_rows=None, batch_rows=batch_rows, encoding=encoding,
                    delimiter=delimiter)
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
        msg = one_line(exc)
        if "cannot infer number of columns" in msg or "Empty CSV file" in msg:
            # pyarrow quirk: a one-line file without a final newline; parse that line here.
            header_row = _header_by_hand(path, encoding, delimiter)
        else:
            raise src._error(exc) from exc
    header_row = ["" if v is None else str(v) for v in header_row]
    headers = [strip_header(h) for h in header_row]
    if headers and not any(headers):
        raise SourceError(
            f"{path.name}: the first line has no column names; put the header on line 1 and import again")
    check_duplicates(path, headers)
    src.headers = headers
    return src


def _header_by_hand(path: Path, encoding: str, delimiter: str) -> list[str]:
    with open(path, encoding=encoding, newline="", errors="strict") as fh:
        text = fh.read(1024 * 1024)
    if not text.strip():
        return []
    return next(csv.reader(io.StringIO(text), delimiter=delimiter), [])
