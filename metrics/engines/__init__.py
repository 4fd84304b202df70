"""The engines that compute the per-day aggregates: DuckDB (the default, inside the store)
and Apache Spark (a province's lake of Parquet cases, on a cluster).

Both run SQL rendered by `metrics/render.py` from the same declarations (`metrics/registry.py`
for the measures, `metrics/render.py` for the per-case rules), so there is no second
implementation of any rule; `metrics/engines/dialects.py` holds the few idioms in which the
two SQL dialects differ. `docs/spark.md` says why this was chosen over sqlglot or Ibis.
"""

ENGINES = ("duckdb", "spark")
