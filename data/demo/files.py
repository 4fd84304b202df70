"""The demo exports written as CSV files, the way an approval system writes them."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

import pyarrow as pa
import pyarrow.csv as pacsv

from data.demo.base import BLOCK_ROWS, CASE_COLUMNS, CATALOGUE_COLUMNS
from data.demo.cases import iter_case_batches
from data.demo.catalogue import generate_catalogue
from metrics.readers.ahead import read_ahead

_CSV_OPTIONS = pacsv.WriteOptions(include_header=False, quoting_style="none")


def _write_csv(path: Path, tables: Iterator[pa.Table], columns: tuple[str, ...], encoding: str) -> None:
    header = ",".join(columns) + "\n"
    tmp = path.with_name(path.name + ".part")
    try:
        if encoding in ("utf-8", "utf-8-sig"):
            with pa.OSFile(str(tmp), "wb") as f:
                f.write((header.encode("utf-8-sig") if encoding == "utf-8-sig" else header.encode()))
                writer = None
                for table in tables:
                    if writer is None:
                        writer = pacsv.CSVWriter(f, table.schema, write_options=_CSV_OPTIONS)
                    writer.write_table(table)
                if writer is not None:
                    writer.close()
        else:
            with open(tmp, "wb") as f:
                f.write(header.encode(encoding))
                for table in tables:
                    buf = pa.BufferOutputStream()
                    pacsv.write_csv(table, buf, write_options=_CSV_OPTIONS)
                    f.write(buf.getvalue().to_pybytes().decode("utf-8").encode(encoding))
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def write_demo_files(out_dir: Path, n_cases: int = 200_000, seed: int = 7,
                     encoding: str = "utf-8") -> tuple[Path, Path]:
    """Write the case log and the catalogue as CSV with a header row.

    encoding: "utf-8" (also "utf-8-sig", with a BOM) or "gb18030". Returns
    (cases_csv, catalogue_csv): demo_cases.csv / demo_catalogue.csv for UTF-8, with a
    _gb18030 suffix before .csv for GB18030."""
    enc = encoding.lower().replace("_", "-")
    if enc in ("utf8", "utf-8"):
        enc, suffix = "utf-8", ""
    elif enc in ("utf-8-sig", "utf8-sig"):
        enc, suffix = "utf-8-sig", "_utf8bom"
    elif enc == "gb18030":
        suffix = "_gb18030"
    else:
        raise ValueError(f"unsupported encoding {encoding!r}: use 'utf-8' or 'gb18030'")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    cases = out_dir / f"demo_cases{suffix}.csv"
    catalogue = out_dir / f"demo_catalogue{suffix}.csv"
    _write_csv(catalogue, iter([generate_catalogue(seed)]), CATALOGUE_COLUMNS, enc)
    _write_csv(cases, read_ahead(iter_case_batches(n_cases, seed, batch_rows=BLOCK_ROWS)), CASE_COLUMNS, enc)
    return cases, catalogue

