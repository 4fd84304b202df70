"""Deterministic demo data: an item catalogue (事项目录) and a case log (办件日志).

The tables look like the exports of a municipal approval system: every column is text with
a Chinese header, empty values are nulls (empty cells in the CSV files), and the case log
carries two personal-data columns (申请人姓名, 联系电话) with fake values that the importer
must drop. About one row in 2,000 is deliberately bad (see ``BAD_ROW_KINDS``).

The story (departments, their items and performance, the applicants, the bad rows) is data
in ``scenario.toml``, read by ``scenario.py``; working days come from the engine's own
calendar (``metrics/calendar.py``). The modules here turn them into rows:

    base.py       the scenario loaded, the export's columns, calendar and label look-ups
    catalogue.py  the item catalogue
    cases.py      the case log, in blocks, with the planted bad rows
    files.py      both written as CSV (UTF-8, UTF-8 with BOM or GB18030)

Everything is vectorised with numpy and pyarrow. Cases are generated in fixed blocks of
``BLOCK_ROWS`` rows, each from its own random stream derived from (seed, block number), so
the output does not depend on ``batch_rows`` and the same seed always gives the same bytes.
Cases are ordered by acceptance time.

    from data.demo import generate_catalogue, iter_case_batches, write_demo_files
"""

from data.demo.base import (BAD_ROW_EVERY, BAD_ROW_KINDS, BLOCK_ROWS, CASE_COLUMNS, CASE_SCHEMA,
                            CATALOGUE_COLUMNS, CATALOGUE_SCHEMA, DEMO_END, DEMO_EXPORTED_AT, DEMO_START,
                            DEPARTMENTS, TINY_DEPARTMENTS)
from data.demo.cases import bad_row_positions, iter_case_batches
from data.demo.catalogue import generate_catalogue
from data.demo.files import write_demo_files
from data.demo.scenario import Dept

__all__ = [
    "DEMO_START", "DEMO_END", "DEMO_EXPORTED_AT", "BLOCK_ROWS", "BAD_ROW_EVERY", "BAD_ROW_KINDS",
    "CASE_COLUMNS", "CATALOGUE_COLUMNS", "CASE_SCHEMA", "CATALOGUE_SCHEMA", "DEPARTMENTS",
    "TINY_DEPARTMENTS", "Dept", "generate_catalogue", "iter_case_batches", "write_demo_files",
    "bad_row_positions",
]
