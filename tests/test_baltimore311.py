"""The real Baltimore 311 export (../shared/data/baltimore311) through the committed mapping.

The reference on-time figures in its PROVENANCE.md count every case with both dates
(close <= due as timestamps). Our mapping leaves out, on purpose, the closures that are no
completion (Closed (Duplicate), Closed (Transferred): docs/baltimore311.md); over the same
cases the engine must agree with the reference rule exactly.
"""

import csv
from collections import Counter
from datetime import datetime

import pytest

from metrics.ingest import import_file
from metrics.mapping import load_mapping
from metrics.periods import parse_period
from metrics.rates import dept_metrics
from tests.conftest import ROOT, SHARED

CSV = SHARED / "data" / "baltimore311" / "311_sample.csv"
MAPPING = ROOT / "data" / "mappings" / "baltimore311.toml"
ALL_YEARS = parse_period("2014-01-01..2019-12-31")

pytestmark = pytest.mark.skipif(not CSV.exists(), reason="../shared/data/baltimore311 is not beside the checkout")

# PROVENANCE.md, "On-time reference": agency -> (on time, with both dates)
REFERENCE = {
    "Solid Waste": (4140, 4705), "Transportation": (1228, 1542), "Housing": (1035, 1158),
    "Water Wastewater": (474, 780), "BGE": (311, 353), "Finance": (249, 287), "Health": (251, 280),
    "Call Center": (136, 159), "Recreation & Parks": (50, 154), "Fire Department": (96, 116),
}


def reference_counts(statuses=None):
    """The PROVENANCE rule, in plain Python over the raw file."""
    fmt = "%m/%d/%Y %I:%M:%S %p"
    on_time, both = Counter(), Counter()
    with CSV.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if not row["CloseDate"] or not row["DueDate"]:
                continue
            if statuses is not None and row["SRStatus"] not in statuses:
                continue
            both[row["Agency"]] += 1
            if datetime.strptime(row["CloseDate"], fmt) <= datetime.strptime(row["DueDate"], fmt):
                on_time[row["Agency"]] += 1
    return on_time, both


@pytest.fixture(scope="module")
def baltimore(tmp_path_factory):
    from metrics.store import connect
    con = connect(tmp_path_factory.mktemp("balt") / "b.duckdb")
    ledger = import_file(con, CSV, "cases", load_mapping(MAPPING))
    yield con, ledger
    con.close()


def test_reference_rule_reproduces_provenance():
    on_time, both = reference_counts()
    assert sum(both.values()) == 9555 and sum(on_time.values()) == 7988
    for agency, (k, n) in REFERENCE.items():
        assert (on_time[agency], both[agency]) == (k, n)


def test_import_ledger(baltimore):
    _, ledger = baltimore
    assert ledger.rows_read == 10000 and ledger.accepted == 10000
    assert ledger.rejected == 0 and ledger.repeats == 0
    # location columns are personal data here (they locate a resident's home) and are never stored
    for col in ("Address", "ZipCode", "Latitude", "Longitude", "GeoLocation", "Zip Codes"):
        assert ledger.columns_dropped[col] == "personal data, not stored"


def test_statuses_mapped(baltimore):
    con, _ = baltimore
    got = dict(con.execute("SELECT status, count(*) FROM cases GROUP BY 1").fetchall())
    # Closed 9,567; duplicates 207 + 8 + 2 and transfers 18 withdrawn; Open/New/Pending/In Progress 198
    assert got == {"completed": 9567, "withdrawn": 235, "in_progress": 198}


def test_on_time_per_agency_matches_reference_over_completions(baltimore):
    con, _ = baltimore
    d = dept_metrics(con, ALL_YEARS).set_index("dept")
    on_time, both = reference_counts(statuses={"Closed"})
    for agency in both:
        assert d.loc[agency, "on_time_cases"] == on_time[agency], agency
        assert d.loc[agency, "deadline_cases"] == both[agency], agency
    # The difference to PROVENANCE is exactly the duplicates and transfers left out on purpose.
    assert d.loc["Solid Waste", "on_time_rate"] == pytest.approx(4103 / 4650)


def test_counting_every_closure_reproduces_provenance(tmp_path):
    """With duplicates and transfers counted as completions, the engine gives PROVENANCE's figures."""
    from metrics.mapping import parse_mapping
    from metrics.store import connect
    text = MAPPING.read_text(encoding="utf-8").replace(
        'completed = ["Closed"]', 'completed = ["Closed", "Closed (Duplicate)", "Closed (Transferred)"]').replace(
        '"Closed (Duplicate)", "Open (Duplicate)", "New (Duplicate)", "Closed (Transferred)"]',
        '"Open (Duplicate)", "New (Duplicate)"]')
    con = connect(tmp_path / "all.duckdb")
    import_file(con, CSV, "cases", parse_mapping(text))
    d = dept_metrics(con, ALL_YEARS).set_index("dept")
    for agency, (k, n) in REFERENCE.items():
        assert (d.loc[agency, "on_time_cases"], d.loc[agency, "deadline_cases"]) == (k, n), agency
    assert d["on_time_cases"].sum() == 7988 and d["deadline_cases"].sum() == 9555
    con.close()
