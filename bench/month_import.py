"""A month's import into a store, one file after another, with its phases (issue 12).

    .venv/bin/python bench/month_import.py STORE.duckdb MONTH.csv [MONTH2.csv …]

Opens STORE once (for writing: it changes), then imports each file as a case log and prints
one JSON line per import: wall and CPU seconds (all threads of this process), the time at
which the rows were checked and at which the figures were updated, and the ledger's counts.
The same file twice measures a re-import (every case replacing itself); for a second "new"
month give the file again with its case ids changed. Not a test: the figures depend on the
machine (docs/benchmarks.md, "A month's import against the size of the store").
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from metrics.ingest import import_file  # noqa: E402
from metrics.store import connect  # noqa: E402


def main(store: str, files: list[str]) -> int:
    started = time.perf_counter()
    con = connect(store)
    opened = time.perf_counter() - started
    for f in files:
        marks = []
        t0, c0 = time.perf_counter(), time.process_time()

        def progress(done: int, total: int | None, stage: str) -> None:
            if stage != "read":
                marks.append((stage, round(time.perf_counter() - t0, 2), round(time.process_time() - c0, 2)))

        ledger = import_file(con, Path(f), "cases", progress=progress)
        print(json.dumps({"file": f, "open_s": round(opened, 1), "wall": round(time.perf_counter() - t0, 2),
                          "cpu": round(time.process_time() - c0, 2), "marks": marks,
                          "inserted": ledger.inserted, "updated": ledger.updated,
                          "full_rebuild": ledger.full_rebuild}), flush=True)
    con.close()
    return 0


if __name__ == "__main__":
    if len(sys.argv) < 3:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2:]))
