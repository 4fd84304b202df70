"""Categories and grades (spec 10): rank within category and the grade (等次) under a quota.

The centres evaluate departments of similar work together (按工作相近度分类评优): each
category gets its own excellent quota, floor(excellent_share × ranked departments), and a
department's grade depends on its score and its place in its category only.
"""

from __future__ import annotations

import math
from decimal import Decimal

import duckdb
import numpy as np
import pandas as pd

from metrics.settings import GradeRules
from metrics.store import has_table

EXCELLENT, GOOD, PASS, POOR = "优秀", "良好", "合格", "较差"
GRADES = (EXCELLENT, GOOD, PASS, POOR)
GRADE_LABELS_EN = {EXCELLENT: "Excellent", GOOD: "Good", PASS: "Pass", POOR: "Poor"}
UNCATEGORISED = "未分类"
GRADE_COLUMNS = ["category", "category_rank", "grade"]

SCORE_DECIMALS = 9  # spec 7 and 10: scores are compared at 9 decimals


def categories(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Department -> category, from the newest departments file of each department."""
    cur = con.cursor()  # the pages share one connection across threads: a cursor per query
    if not has_table(cur, "departments"):
        return {}
    return dict(cur.execute("SELECT dept, category FROM departments").fetchall())


def excellent_quota(n: int, share: float) -> int:
    """floor(share × n), in decimal arithmetic: 0.29 × 100 is 29, not 28.999999999999996."""
    return math.floor(Decimal(str(share)) * n)


def _at(value: float) -> float:
    return round(float(value), SCORE_DECIMALS)


def add_grades(table: pd.DataFrame, category_of: dict[str, str], rules: GradeRules) -> pd.DataFrame:
    """The ranking table with `category`, `category_rank` and `grade` filled in.

    `table` needs dept, score and ranked. Unranked departments get their category, no
    category rank and an empty grade.
    """
    n_rows = len(table)
    dept = table["dept"].to_numpy(dtype=object)
    cat = np.array([category_of.get(d) or UNCATEGORISED for d in dept], dtype=object)
    ranked = table["ranked"].to_numpy(dtype=bool)
    key = np.round(table["score"].to_numpy(dtype=float), SCORE_DECIMALS)
    cat_rank = np.zeros(n_rows, dtype="int64")
    grade = np.full(n_rows, "", dtype=object)
    excellent_floor, good_floor, pass_floor = (_at(rules.excellent_min_score), _at(rules.good_min_score),
                                               _at(rules.pass_min_score))
    for c in pd.unique(cat[ranked]):
        rows = np.flatnonzero(ranked & (cat == c))
        scores = key[rows]
        quota = excellent_quota(len(rows), rules.excellent_share)
        for i, s in zip(rows, scores):
            higher = int((scores > s).sum())
            tied = int((scores == s).sum())
            cat_rank[i] = higher + 1
            # The whole tied group must fit inside the quota, or none of it is excellent.
            if higher + tied <= quota and s >= excellent_floor:
                grade[i] = EXCELLENT
            elif s >= good_floor:
                grade[i] = GOOD
            elif s >= pass_floor:
                grade[i] = PASS
            else:
                grade[i] = POOR
    out = table.copy()
    out["category"] = cat
    out["category_rank"] = pd.arrays.IntegerArray(cat_rank, ~ranked)
    out["grade"] = grade
    return out


def category_summary(table: pd.DataFrame, rules: GradeRules) -> pd.DataFrame:
    """Per category: departments listed, ranked, the excellent quota and how many got each
    grade. Categories in name order, `未分类` last."""
    rows = []
    cats = sorted(set(table["category"]), key=lambda c: (c == UNCATEGORISED, c))
    for c in cats:
        part = table[table["category"] == c]
        n = int(part["ranked"].sum())
        counts = part["grade"].value_counts()
        rows.append({"category": c, "departments": len(part), "ranked": n,
                     "excellent_quota": excellent_quota(n, rules.excellent_share),
                     **{g: int(counts.get(g, 0)) for g in GRADES}})
    return pd.DataFrame(rows, columns=["category", "departments", "ranked", "excellent_quota", *GRADES])
