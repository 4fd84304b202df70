"""Periods (spec 3): quarters, months, years and date ranges, and their predecessors."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

PeriodKind = Literal["quarter", "month", "year", "range"]


class PeriodError(ValueError):
    pass


# The years a case can carry (an import rejects any other: `timestamp_out_of_range`). A period
# outside them could hold no case, and its predecessor (rank change, trends) could fall before
# year 1, where Python's dates end: such a period is refused with a clear message instead.
FIRST_YEAR, LAST_YEAR = 1900, 2100


@dataclass(frozen=True)
class Period:
    kind: PeriodKind
    start: date
    end: date  # inclusive

    @property
    def label(self) -> str:
        if self.kind == "quarter":
            return f"{self.start.year}Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == "month":
            return f"{self.start.year}-{self.start.month:02d}"
        if self.kind == "year":
            return str(self.start.year)
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The previous period of the same length (for rank change and tile deltas)."""
        if self.kind == "quarter":
            return quarter_of(self.start - timedelta(days=1))
        if self.kind == "month":
            return month_of(self.start - timedelta(days=1))
        if self.kind == "year":
            return year_period(self.start.year - 1)
        end = self.start - timedelta(days=1)
        return Period("range", end - timedelta(days=self.days - 1), end)

    def __str__(self) -> str:
        return self.label


def quarter_of(d: date) -> Period:
    q0 = (d.month - 1) // 3 * 3 + 1
    start = date(d.year, q0, 1)
    end = (date(d.year + 1, 1, 1) if q0 == 10 else date(d.year, q0 + 3, 1)) - timedelta(days=1)
    return Period("quarter", start, end)


def month_of(d: date) -> Period:
    start = date(d.year, d.month, 1)
    end = (date(d.year + 1, 1, 1) if d.month == 12 else date(d.year, d.month + 1, 1)) - timedelta(days=1)
    return Period("month", start, end)


def year_period(y: int) -> Period:
    return Period("year", date(y, 1, 1), date(y, 12, 31))


def parse_period(text: str) -> Period:
    """`2025Q3`, `2025-07`, `2025`, or `2025-07-01..2025-09-30`."""
    t = text.strip()
    try:
        period = _parse(t, text)
    except ValueError as e:
        if isinstance(e, PeriodError):
            raise
        raise PeriodError(f"period {text!r}: {e}") from None
    if period is None:
        raise PeriodError(f"period {text!r} is not one of 2025Q3, 2025-07, 2025, 2025-07-01..2025-09-30")
    _check_years(period.start.year, period.end.year, text)
    return period


def _check_years(first: int, last: int, text: str) -> None:
    if first < FIRST_YEAR or last > LAST_YEAR:
        raise PeriodError(f"period {text!r} lies outside the years {FIRST_YEAR}-{LAST_YEAR}, which no case "
                          f"can have: choose a period within them")


def _parse(t: str, text: str) -> Period | None:
    # ASCII digits only: int() would also read other scripts' digits the patterns let through.
    if m := re.match(r"(\d{4})(?!\d)", t, re.ASCII):  # the year first: 9999Q4 ends after year 9999
        _check_years(int(m[1]), int(m[1]), text)
    if m := re.fullmatch(r"(\d{4})[Qq]([1-4])", t, re.ASCII):
        return quarter_of(date(int(m[1]), (int(m[2]) - 1) * 3 + 1, 1))
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})", t, re.ASCII):
        return month_of(date(int(m[1]), int(m[2]), 1))
    if re.fullmatch(r"\d{4}", t, re.ASCII):
        return year_period(int(t))
    if m := re.fullmatch(r"(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})", t, re.ASCII):
        start, end = date.fromisoformat(m[1]), date.fromisoformat(m[2])
        if end < start:
            raise PeriodError(f"period {text!r}: the end {end} is before the start {start}")
        return Period("range", start, end)
    return None


def quarters_back(last: Period, n: int) -> list[Period]:
    """`n` quarters ending with `last`, oldest first (for trends)."""
    out = [quarter_of(last.end)]
    while len(out) < n:
        out.append(out[-1].previous())
    return out[::-1]


def latest_complete_quarter(data_through: date) -> Period:
    """The last quarter whose final day the data has reached."""
    q = quarter_of(data_through)
    return q if data_through >= q.end else q.previous()


def default_period(kind: str, data_through: date) -> Period:
    """Quarter: the latest complete quarter; month and year likewise (the latest the data
    reaches when none is complete yet)."""
    if kind == "month":
        m = month_of(data_through)
        return m if data_through >= m.end else m.previous()
    if kind == "year":
        y = year_period(data_through.year)
        return y if data_through >= y.end else y.previous()
    return latest_complete_quarter(data_through)
