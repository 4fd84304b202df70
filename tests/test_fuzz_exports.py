"""Fuzzing the importer with generated exports (issue 11, part 4): 1,000 files, seed 1101.

Each example writes one small export as bytes: a random encoding (UTF-8, UTF-8 with BOM,
GB18030, and byte strings that are none of these), random quoting, line endings and embedded
newlines, extra, missing and duplicated columns, ragged rows, huge fields, formula- and
markup-like names, control characters, and dates in many forms. Every file must end in one of
two ways: a balanced ledger, or `ImportError_` with a one-line message (what the CLI prints
before exit 2). Every example imports into the same on-disk store, which must stay consistent
throughout: each committed import's ledger balances, every case is stored once, the aggregates
count every case, no control character is in a stored key, and the store reopens.

The count and the seed are fixed (docs/security.md): a failure reproduces with the same run.
"""

from __future__ import annotations

import csv
import os
import random
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from metrics.fields import CASE_FIELDS
from metrics.ingest import ImportError_, import_file
from metrics.store import connect, has_table

# FUZZ_EXAMPLES: fewer while working on the generator; the suite and CI run 1,000.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", 1_000))
SEED = 1101

FIELDS = {f.name: f for f in CASE_FIELDS}
HEADERS = {f.name: list(f.aliases[:3]) for f in CASE_FIELDS}

NAMES = st.sampled_from([
    "甲局", "乙局", "市场监督管理局", "=HYPERLINK(\"http://x\")", "+1+1", "-2", "@SUM(A1)",
    '<a href="http://evil.example">点我</a>', '<span style="font-size:80px">大</span>', "<script>x</script>",
    "a,b", 'say "hi"', "two\nlines", "cr\rlf", "tab\tinside", "nul\x00byte", "bell\x07", "del\x7f",
    "\u202eevil", "zero\u200bwidth", "  padded  ", "", "NULL", "名" * 300,
])
IDS = st.one_of(st.sampled_from(["C1", "C2", "C3", "C\x001", "=C4", "", "C-5"]),
                st.text(alphabet="ABC123-", min_size=1, max_size=6))


@st.composite
def when(draw):
    forms = ["2025-07-01 09:30:00", "2025/07/01 09:30", "2025年7月1日 9:30", "2025-07-01T09:30:00",
             "2025-07-01", "25-07-01 09:30", "07/01/2025", "1.7.2025", "2025-13-01", "2025-02-30",
             "9999-12-31", "0001-01-01", "1899-12-31 23:59", "2101-01-01", "45474", "45474.5",
             "2025-07-01 24:00", "明天", "", "2025-07-01 09:30:00.123456", "2025-07-01 09:30:00+08:00"]
    return draw(st.sampled_from(forms))


VALUE = {
    "case_id": IDS, "dept": NAMES, "item_code": st.sampled_from(["I1", "I2", "=I3", "I\x1b4", ""]),
    "item_name": NAMES, "item_type": st.sampled_from(["即办件", "承诺件", "1", "2", "x", ""]),
    "channel": st.sampled_from(["网上申报", "窗口", "其他", ""]),
    "statutory_limit_days": st.sampled_from(["0", "5", "5.0", "-1", "1e9", "9" * 30, "", "x"]),
    "promised_limit_days": st.sampled_from(["0", "3", "2.5", "", "∞"]),
    "window_signed": st.sampled_from(["是", "否", "1", "0", "maybe", ""]),
    "rating": st.sampled_from(["非常满意", "满意", "1", "5", "6", "0", ""]),
    "status": st.sampled_from(["办结", "在办", "不予受理", "撤件", "已归档", ""]),
}


def value(draw, name: str) -> str:
    if FIELDS[name].type == "timestamp":
        return draw(when())
    return draw(VALUE[name])


@st.composite
def exports(draw) -> tuple[bytes, str]:
    # The file's shape is decided with plain probabilities (hypothesis draws small integers and
    # edge values far more often than uniform ones); the values themselves are hypothesis's.
    rnd = random.Random(draw(st.integers(0, 2**32)))  # a uniform stream, replayed from its seed
    # Each column present most of the time: a required one 49 times in 50, another 5 in 6.
    names = [n for n in FIELDS if rnd.random() < (0.98 if FIELDS[n].required else 0.83)]
    rnd.shuffle(names)
    header = [rnd.choice(HEADERS[n]) for n in names]
    extra = rnd.sample(["备注", "申请人", "联系电话", "", "Unnamed: 9"], rnd.randint(0, 2))
    if header and rnd.random() < 0.05:
        extra.append(rnd.choice(header))  # a header named twice
    header += extra  # unknown, personal, blank and duplicated headers
    rows = [[value(draw, n) for n in names] + [draw(NAMES) for _ in extra] for _ in range(rnd.randint(0, 12))]
    if rows:
        row = rnd.choice(rows)
        shape = rnd.random()
        if shape < 0.05:
            del row[rnd.randint(0, len(row)):]                  # missing trailing cells
        elif shape < 0.10:
            row.append(draw(NAMES))                             # one cell too many
        elif shape < 0.20 and row:
            row[rnd.randrange(len(row))] = "x" * rnd.choice([10_000, 200_000])  # a huge field
    if rows and rnd.random() < 0.3:
        rows.append(list(rnd.choice(rows)))                     # an identical repeat
    quoting = rnd.choice([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC])
    newline = rnd.choice(["\n", "\r\n", "\r"])
    buf = io.StringIO()
    csv.writer(buf, quoting=quoting, lineterminator=newline).writerows([header, *rows])
    text = buf.getvalue()
    encoding = rnd.choice(["utf-8", "utf-8", "utf-8-sig", "gb18030", "gb18030", "broken"])
    if encoding == "broken":  # bytes that no supported encoding reads
        data = text.encode("utf-8")
        cut = rnd.randint(0, len(data))
        return data[:cut] + rnd.choice([b"\xff\xfe\xfa", b"\x80", b"\xc3", b"\x00\x00"]) + data[cut:], encoding
    try:
        return text.encode(encoding), encoding
    except UnicodeEncodeError:  # a character GB18030 cannot hold does not occur, but be safe
        return text.encode("utf-8"), "utf-8"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    d = tmp_path_factory.mktemp("fuzz")
    return d


@pytest.fixture(scope="module")
def con(store):
    # One connection for every example, as the dashboard holds one: opening and closing the
    # store a thousand times would double the run for nothing.
    c = connect(store / "store.duckdb")
    yield c
    c.close()


OUTCOMES: dict[str, int] = {"ledger": 0, "refused": 0}
REFUSALS: list[str] = []


@settings(max_examples=EXAMPLES, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.function_scoped_fixture])
@seed(SEED)
@given(export=exports())
def test_every_export_ends_in_a_balanced_ledger_or_one_line(store, con, export):
    data, encoding = export
    path = store / "export.csv"
    path.write_bytes(data)
    before = con.execute("SELECT count(*) FROM imports").fetchone()[0]
    try:
        ledger = import_file(con, path)
    except ImportError_ as e:
        message = str(e)
        assert message.strip() and "\n" not in message.strip() and "Traceback" not in message, message
        assert con.execute("SELECT count(*) FROM imports").fetchone()[0] == before  # nothing changed
        OUTCOMES["refused"] += 1
        REFUSALS.append(message)
    else:
        assert ledger.balances(), ledger
        assert sum(ledger.rejected_by_reason.values()) == ledger.rejected
        OUTCOMES["ledger"] += 1
    assert_consistent(con)


def assert_consistent(con) -> None:
    unbalanced = con.execute("SELECT count(*) FROM imports WHERE rows_read <> accepted + rejected + repeats"
                             ).fetchone()[0]
    assert unbalanced == 0
    cases, ids = con.execute("SELECT count(*), count(DISTINCT case_id) FROM cases").fetchone()
    assert cases == ids
    if has_table(con, "dept_daily"):  # built by the first import that commits
        assert con.execute("SELECT coalesce(sum(accepted_cases), 0) FROM dept_daily").fetchone()[0] == cases
    assert con.execute("SELECT count(*) FROM cases WHERE regexp_matches(case_id || dept || coalesce(item_code, ''), "
                       "'[\\x00-\\x1f\\x7f]')").fetchone()[0] == 0
    rejects = con.execute("SELECT count(*) FROM rejects").fetchone()[0]
    assert rejects == con.execute("SELECT coalesce(sum(rejected), 0) FROM imports").fetchone()[0]


def test_the_store_reopens_after_the_fuzzing(store, con):
    # Runs after the fuzz test (file order): the store it left, closed, opens read-only and is consistent.
    con.close()
    con = connect(store / "store.duckdb", read_only=True)
    try:
        assert_consistent(con)
    finally:
        con.close()
    assert OUTCOMES["ledger"] + OUTCOMES["refused"] == EXAMPLES
    assert OUTCOMES["ledger"] > EXAMPLES // 2 and OUTCOMES["refused"] > 0, (OUTCOMES, "\n".join(REFUSALS[:40]))
