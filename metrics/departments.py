"""The departments file (spec 10): which evaluation category (考核类别) each department is in.

Imported like a catalogue (`metrics.ingest.import_file(kind="departments")`): every row is
accepted, rejected with a reason or counted as a repeat, and the newest file wins per
department. A department that no file names is in the category `未分类`.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from metrics.fields import Field
from metrics.grades import UNCATEGORISED
from metrics.store import has_table

DEPARTMENT_FIELDS: tuple[Field, ...] = (
    Field("dept", "text", True, "部门",
          ("部门", "部门名称", "办理部门", "实施部门", "department", "dept")),
    Field("category", "text", True, "考核类别",
          ("类别", "分类", "考核类别", "考核分类", "category")),
)


def category_table(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every department a departments file named, with its category and the import it came from."""
    cur = con.cursor()
    if not has_table(cur, "departments"):
        return pd.DataFrame({"dept": [], "category": [], "import_id": []})
    return cur.execute("SELECT dept, category, import_id FROM departments ORDER BY category, dept").df()


def category_names(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The categories in use, in name order, `未分类` last (always present: a department no
    file names is in it)."""
    names = sorted(set(category_table(con)["category"]) - {UNCATEGORISED})
    return [*names, UNCATEGORISED]
