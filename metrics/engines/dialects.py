"""The few SQL idioms in which DuckDB and Spark SQL differ, for `metrics/render.py`.

Everything else in the rendered SQL (the measures' filters, the period dates, the due-date
and deadline rules) is one text for both engines. Each idiom here was checked on both:
`tests/test_spark_parity.py` compares whole outputs.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Dialect:
    name: str
    # A view Spark keeps for the session only; DuckDB's lives in the store.
    create_view: str
    # `SELECT * EXCLUDE (c)` in DuckDB is `SELECT * EXCEPT (c)` in Spark.
    star_except: str

    def ordered_list(self, value: str, order_by: str) -> str:
        """An array of `value` ordered by `order_by`, as an aggregate."""
        if self.name == "duckdb":
            return f"list({value} ORDER BY {order_by})"
        # collect_list keeps no order: sort (key, value) pairs, then keep the values.
        return f"transform(array_sort(collect_list(struct({order_by}, {value}))), p -> p.{value})"

    def at(self, array: str, index: str) -> str:
        """The 1-based element of an array; NULL past its end (DuckDB's list index does that,
        Spark's element_at raises in ANSI mode, try_element_at does not)."""
        if self.name == "duckdb":
            return f"{array}[{index}]"
        return f"try_element_at({array}, {index})"

    def days_after(self, day: str, origin: str) -> str:
        """Whole days from origin to day, both DATE (never timestamps: DuckDB's date_diff on
        timestamps counts boundaries, Spark's whole units)."""
        if self.name == "duckdb":
            return f"{day} - {origin}"
        return f"datediff({day}, {origin})"


DUCKDB = Dialect("duckdb", create_view="VIEW", star_except="EXCLUDE")
SPARK = Dialect("spark", create_view="TEMPORARY VIEW", star_except="EXCEPT")
DIALECTS = {d.name: d for d in (DUCKDB, SPARK)}
