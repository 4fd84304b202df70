"""Read one export file (CSV, XLSX or Parquet) as a stream of all-text Arrow record batches.

This is the importer's only way into a file (spec 1.1): :func:`open_source` picks the format
by the file's extension and returns a :class:`Source`; the importer names the columns it
needs and gets back batches whose columns are all ``pa.string()``, in file order, so
personal-data columns are never even materialised. One module per format (``csv.py``,
``xlsx.py``, ``parquet.py``) says how its values become text; ``base.py`` holds what they
share.

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

Every problem with the file itself raises :class:`SourceError`, whose message is one line
naming the file and saying what to do.
"""

from __future__ import annotations

from pathlib import Path

from metrics.readers.base import Source, SourceError
from metrics.readers.csv import detect_encoding, open_csv
from metrics.readers.parquet import open_parquet
from metrics.readers.xlsx import open_xlsx

__all__ = ["Source", "SourceError", "detect_encoding", "open_source", "ACCEPTED_SUFFIXES"]

ACCEPTED_SUFFIXES: dict[str, str] = {
    ".csv": "csv", ".txt": "csv",
    ".xlsx": "xlsx",
    ".parquet": "parquet", ".pq": "parquet",
}

_OPENERS = {"csv": open_csv, "xlsx": open_xlsx, "parquet": open_parquet}


def open_source(path: Path, *, batch_rows: int = 500_000) -> Source:
    """Open one export file: format by extension, headers read, nothing else materialised."""
    path = Path(path)
    if batch_rows < 1:
        raise ValueError("batch_rows must be >= 1")
    # Checked before the extension: a folder named like a file ("exports.csv") is still a folder.
    if path.is_dir():
        raise SourceError(f"{path.name}: is a folder, not a file ({path}); give the export file inside it")
    fmt = ACCEPTED_SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        hint = " (an old .xls workbook: save it as .xlsx)" if path.suffix.lower() == ".xls" else ""
        raise SourceError(
            f"{path.name}: unsupported file type '{path.suffix or '(none)'}'{hint}; export the data as "
            f"CSV (.csv/.txt), Excel (.xlsx) or Parquet (.parquet/.pq) and import again")
    if not path.is_file():
        raise SourceError(f"{path.name}: file not found ({path}); check the path and try again")
    return _OPENERS[fmt](path, batch_rows)
