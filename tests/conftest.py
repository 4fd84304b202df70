import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"


@pytest.fixture
def store(tmp_path):
    """A fresh on-disk store."""
    from metrics.store import connect
    con = connect(tmp_path / "store.duckdb")
    yield con
    con.close()


@pytest.fixture
def small_store(store):
    """The hand-computed fixture: small_catalogue.csv then small_cases.csv."""
    from metrics.ingest import import_file
    import_file(store, FIXTURES / "small_catalogue.csv", kind="catalogue")
    import_file(store, FIXTURES / "small_cases.csv", kind="cases")
    return store
