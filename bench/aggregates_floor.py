"""How fast could the per-day aggregates be at best? A lower bound, beside the pandas baseline.

    .venv/bin/python bench/aggregates_floor.py STORE [--repeat 3]

The engine issue asks for the aggregates at least 10x faster than the pandas baseline. This
script measures, in one run on one store (e.g. the 10M store bench/engine.py --keep leaves):

  1. the production SQL: case_facts and sql/daily_aggregates.sql, as bench/engine.py times it;
  2. the four grouped passes alone, over a table in which every per-case value they sum is
     already computed and departments and days are small integers (the table is built first
     and not timed): what the aggregate updates cost once the calendar work, the deadline
     rules and the string keys are taken away;
  3. the pandas baseline (bench/pandas_baseline.py), computing only, cases already loaded.

(2) is not a way to build the aggregates, since building its table costs more than (1) saves.
It bounds what any rewrite of the SQL over these cases can reach on this machine: if (2) alone
needs a tenth of (3), 10x is out of reach. Its result is checked equal to the production
table, cell for cell, so the bound is for the same work.

Writes dept_daily again (same content): run it on a benchmark store, not on a live one.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.pandas_baseline import daily_aggregates, load_inputs  # noqa: E402
from metrics.store import sql  # noqa: E402

# Per case, every value the passes sum, as small integers; built once, untimed.
CASE_VALUES = """
CREATE OR REPLACE TEMP TABLE dept_codes AS
    SELECT dept, (row_number() OVER (ORDER BY dept))::USMALLINT AS dept_no
    FROM (SELECT DISTINCT dept FROM cases);
CREATE OR REPLACE TEMP TABLE case_values AS
SELECT k.dept_no,
    (f.accepted_date - c0.first_day)::SMALLINT                                AS accepted_day,
    (f.completed_date - c0.first_day)::SMALLINT                               AS completed_day,
    (CAST(coalesce(f.rated_at, f.completed_at) AS DATE) - c0.first_day)::SMALLINT AS rated_day,
    CASE WHEN f.deadline IS NOT NULL AND f.status NOT IN ('withdrawn', 'rejected')
         THEN (greatest(CAST(f.deadline AS DATE), f.accepted_date) - c0.first_day)::SMALLINT
    END                                                                       AS overdue_day,
    f.is_completion::UTINYINT                                                 AS completed,
    (f.channel = 'online')::UTINYINT                                          AS online,
    (f.item_type = 'instant')::UTINYINT                                       AS instant,
    (f.item_type = 'committed')::UTINYINT                                     AS committed,
    f.elapsed_workdays::SMALLINT                                              AS elapsed,
    f.statutory_limit_days                                                    AS statutory,
    f.promised_limit_days                                                     AS promised,
    (f.statutory_limit_days >= 1)::UTINYINT                                   AS stat_ok,
    coalesce(f.in_early_base, false)::UTINYINT                                AS early_base,
    coalesce(f.in_early_base AND f.is_early, false)::UTINYINT                 AS early,
    (f.deadline IS NOT NULL)::UTINYINT                                        AS has_deadline,
    coalesce(f.is_on_time, false)::UTINYINT                                   AS on_time,
    f.window_signed,
    f.rating
FROM case_facts f
JOIN dept_codes k USING (dept)
CROSS JOIN (SELECT min(day) AS first_day FROM calendar) c0;
"""

# The four passes of daily_aggregates.sql over case_values: plain sums on integer keys.
PASSES = """
CREATE OR REPLACE TEMP TABLE floor_daily AS
WITH accepted AS (
    SELECT dept_no, accepted_day AS day_no,
        count(*) AS accepted_cases, sum(online) AS accepted_online, sum(instant) AS accepted_instant
    FROM case_values GROUP BY ALL
),
completed AS (
    SELECT dept_no, completed_day AS day_no,
        count(*)                                   AS completed_cases,
        sum(elapsed)                               AS elapsed_sum,
        sum(early_base)                            AS early_base,
        sum(early)                                 AS early_cases,
        sum(has_deadline)                          AS deadline_cases,
        sum(on_time)                               AS on_time_cases,
        sum(stat_ok)                               AS compression_cases,
        sum(stat_ok * elapsed)                     AS compression_elapsed,
        sum(stat_ok * statutory)                   AS compression_statutory,
        sum(stat_ok * promised)                    AS promise_promised,
        sum(CASE WHEN promised IS NOT NULL THEN stat_ok * statutory END) AS promise_statutory,
        count(promised) FILTER (WHERE committed = 1)  AS committed_promised_cases,
        sum(committed * promised)                  AS committed_promised_sum,
        count(window_signed)                       AS window_known,
        sum(window_signed::UTINYINT)               AS window_signed,
        count(rating)                              AS completed_rated
    FROM case_values WHERE completed = 1 GROUP BY ALL
),
rated AS (
    SELECT dept_no, rated_day AS day_no,
        count(*) AS ratings, sum((rating >= 3)::UTINYINT) AS ratings_satisfied,
        sum((rating = 1)::UTINYINT) AS rating_1, sum((rating = 2)::UTINYINT) AS rating_2,
        sum((rating = 3)::UTINYINT) AS rating_3, sum((rating = 4)::UTINYINT) AS rating_4,
        sum((rating = 5)::UTINYINT) AS rating_5
    FROM case_values WHERE completed = 1 AND rating IS NOT NULL GROUP BY ALL
),
overdue_events AS (
    SELECT dept_no, day_no, sum(delta) AS open_overdue_delta
    FROM (
        SELECT dept_no, unnest([overdue_day, completed_day]) AS day_no, unnest([1, -1]) AS delta
        FROM case_values
        WHERE overdue_day IS NOT NULL AND (completed_day IS NULL OR completed_day > overdue_day)
    )
    WHERE day_no IS NOT NULL
    GROUP BY ALL
)
SELECT k.dept, c0.first_day + s.day_no::INTEGER AS day, s.* EXCLUDE (dept_no, day_no)
FROM (
    SELECT dept_no, day_no, coalesce(COLUMNS(* EXCLUDE (dept_no, day_no)), 0)::BIGINT
    FROM (
        SELECT dept_no, day_no, sum(COLUMNS(* EXCLUDE (dept_no, day_no)))
        FROM (
            SELECT * FROM accepted
            UNION ALL BY NAME SELECT * FROM completed
            UNION ALL BY NAME SELECT * FROM rated
            UNION ALL BY NAME SELECT * FROM overdue_events
        )
        GROUP BY ALL
    )
) s
JOIN dept_codes k USING (dept_no)
CROSS JOIN (SELECT min(day) AS first_day FROM calendar) c0
ORDER BY day, dept;
"""


def best_of(repeat: int, run) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        run()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("store", type=Path)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    con = duckdb.connect(str(args.store))

    def production():
        con.execute(sql("case_facts"))
        con.execute(sql("daily_aggregates"))

    production_s = best_of(args.repeat, production)
    con.execute(CASE_VALUES)
    floor_s = best_of(args.repeat, lambda: con.execute(PASSES))
    differing = con.execute("""
        SELECT count(*) FROM ((FROM dept_daily EXCEPT ALL FROM floor_daily)
                              UNION ALL (FROM floor_daily EXCEPT ALL FROM dept_daily))""").fetchone()[0]
    con.execute("DROP TABLE case_values")

    cases, cal = load_inputs(con)
    t = time.perf_counter()
    daily_aggregates(cases, cal)
    pandas_s = time.perf_counter() - t

    n = con.execute("SELECT count(*) FROM cases").fetchone()[0]
    print(f"\n{n:,} cases; DuckDB best of {args.repeat}, pandas once; "
          f"floor table equal to dept_daily: {differing == 0} ({differing} rows differ)\n")
    print("| what | time | pandas ÷ this |\n|---|---|---|")
    print(f"| production SQL (case_facts + daily_aggregates.sql) | {production_s:.2f} s | {pandas_s / production_s:.1f}× |")
    print(f"| the four grouped passes alone, values precomputed, integer keys | {floor_s:.2f} s "
          f"| {pandas_s / floor_s:.1f}× |")
    print(f"| pandas baseline, computing | {pandas_s:.2f} s | 1× |")
    print(f"\n10× the pandas baseline needs {pandas_s / 10:.2f} s for the whole build.")


if __name__ == "__main__":
    main()
