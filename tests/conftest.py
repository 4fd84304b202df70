import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"


# The longest files first (minutes each, `--durations`): ./run.sh test hands whole files to
# two processes in this order, and a long file handed out last kept one process busy alone
# for its last five minutes.
_LONGEST_FIRST = ("test_presentation_fit.py", "test_fuzz_exports.py", "test_browser.py", "test_spark_parity.py",
                  "test_browser_access.py", "test_reading_copy.py")


def pytest_collection_modifyitems(items):
    rank = {name: i for i, name in enumerate(_LONGEST_FIRST)}
    # Stable: a file's own tests keep their order (test_fuzz_exports' last test reads what its first left).
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))


@pytest.fixture
def store(tmp_path):
    """A fresh on-disk store."""
    from metrics.store import connect
    con = connect(tmp_path / "store.duckdb")
    yield con
    con.close()


def build_small_store(path: Path) -> Path:
    """The hand-computed fixture imported by the engine: small_catalogue.csv, then small_cases.csv."""
    from metrics.ingest import import_file
    from metrics.store import connect
    con = connect(path)
    import_file(con, FIXTURES / "small_catalogue.csv", kind="catalogue")
    import_file(con, FIXTURES / "small_cases.csv", kind="cases")
    con.close()
    return path


@pytest.fixture(scope="session")
def small_db(tmp_path_factory):
    """The hand-computed fixture store, imported once for read-only tests."""
    return build_small_store(tmp_path_factory.mktemp("small") / "small.duckdb")


@pytest.fixture
def small_store(small_db):
    """A read-only connection to the hand-computed fixture store."""
    from metrics.store import connect
    con = connect(small_db, read_only=True)
    yield con
    con.close()



# Dashboard page tests (AppTest, browser): demo and empty stores, captured downloads.
from tests.conftest_app import app_db, downloads, empty_db, gap_db  # noqa: E402,F401
