"""Every period the parser accepts is computed; every other is refused with PeriodError (exit 2).

`rank --period 0001-01-01..9999-12-31` used to end in an OverflowError: the ranking asks for
the previous period too, which fell before year 1. Periods are now held to the years a case
can carry (1900-2100, the import's own bound).
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings, strategies as st

from metrics.periods import FIRST_YEAR, LAST_YEAR, PeriodError, parse_period, quarters_back
from metrics.ranking import ranking
from tests.test_cli import cli, one_line_error


@pytest.mark.parametrize("text", [
    "0001-01-01..9999-12-31", "0001Q1", "9999Q4", "0001", "9999", "9999-12", "0001-01",
    "1899-12-31..1900-01-31", "2100-12-01..2101-01-01",
])
def test_periods_outside_the_case_years_are_refused(text):
    with pytest.raises(PeriodError, match="outside the years 1900-2100"):
        parse_period(text)


@pytest.mark.parametrize("text, start, end", [
    ("1900Q1", date(1900, 1, 1), date(1900, 3, 31)),
    ("2100Q4", date(2100, 10, 1), date(2100, 12, 31)),
    ("1900-01-01..2100-12-31", date(1900, 1, 1), date(2100, 12, 31)),
])
def test_the_bounds_themselves_are_accepted(text, start, end):
    p = parse_period(text)
    assert (p.start, p.end) == (start, end)


def test_other_scripts_digits_are_not_read_as_a_year():
    # int("２０２５") is 2025: the patterns hold to ASCII digits so the message names the forms.
    with pytest.raises(PeriodError, match="is not one of 2025Q3"):
        parse_period("２０２５Q3")


# Texts of every form the parser knows, with years on both sides of the bounds and invalid
# months and days mixed in.
# Mostly years around the bounds, so most texts parse and reach the ranking.
years = st.one_of(st.integers(1895, 2105), st.integers(1895, 2105), st.integers(0, 9999)).map(lambda y: f"{y:04d}")
two = st.integers(0, 40).map(lambda n: f"{n:02d}")
period_texts = st.one_of(
    st.builds(lambda y, q: f"{y}Q{q}", years, st.integers(1, 4)),
    st.builds(lambda y, m: f"{y}-{m}", years, st.integers(0, 13)),
    years,
    st.builds(lambda y1, m1, d1, y2, m2, d2: f"{y1}-{m1}-{d1}..{y2}-{m2}-{d2}", years, two, two, years, two, two),
)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(text=period_texts)
def test_every_accepted_period_is_computed(small_db, text):
    from metrics.store import connect
    try:
        p = parse_period(text)
    except PeriodError:
        return
    assert FIRST_YEAR <= p.start.year and p.end.year <= LAST_YEAR
    con = connect(small_db, read_only=True)
    try:
        table = ranking(con, p)  # with the previous period: the step that overflowed
    finally:
        con.close()
    assert list(table.columns)  # computed, possibly with no department in it
    assert len(quarters_back(p, 8)) == 8


def test_cli_refuses_the_all_time_range_with_one_line(small_db, tmp_path):
    line = one_line_error(cli("rank", "--db", small_db, "--period", "0001-01-01..9999-12-31", tmp=tmp_path))
    assert "outside the years 1900-2100" in line


def test_cli_computes_the_widest_allowed_range(small_db, tmp_path):
    p = cli("rank", "--db", small_db, "--period", "1900-01-01..2100-12-31", "--format", "json", tmp=tmp_path)
    assert p.returncode == 0, p.stderr
    assert '"dept"' in p.stdout
