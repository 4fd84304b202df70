"""The per-day aggregates on Apache Spark, from a lake of Parquet cases (`metrics/lake.py`).

Spark runs the SQL that `metrics/render.py` renders from the declarations
(`metrics/sql/spark/case_facts.sql`, then `metrics/sql/spark/daily_aggregates.sql`); only
the result, one row per department and day, comes back to this process, as Arrow.

The master is `local[N]` (this machine), `spark://host:7077`, `yarn`, `k8s://…` (the
driver runs here, the executors on the cluster) or `sc://host:15002` (Spark Connect: the
driver runs on the cluster too). `docs/spark.md` says how to run it against a cluster.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pyarrow as pa

from metrics.lake import CALENDAR_TABLES, CASES_DIR
from metrics.store import SQL_DIR

SPARK_SQL_DIR = SQL_DIR / "spark"

# Settings that make Spark read the lake as DuckDB does. Timestamps in the cases carry no
# time zone (TIMESTAMP in DuckDB): Spark must not shift them by the session's zone, so
# CAST(... AS TIMESTAMP) means TIMESTAMP_NTZ and the zone is pinned for anything left.
SESSION_CONF = {
    "spark.sql.timestampType": "TIMESTAMP_NTZ",
    "spark.sql.session.timeZone": "UTC",
    # ANSI mode (Spark 4's default) stays on: overflow and bad casts fail, as in DuckDB.
    "spark.sql.ansi.enabled": "true",
    "spark.ui.showConsoleProgress": "false",
}
# On one machine a few shuffle partitions beat the default 200 (each is a task).
LOCAL_CONF = {"spark.sql.shuffle.partitions": "4", "spark.ui.enabled": "false"}


class SparkError(Exception):
    """Spark could not be started or could not run the aggregates (one line for the CLI)."""


def spark_sql(name: str) -> str:
    """A rendered Spark statement, without the `;` the checked-in file ends with."""
    return (SPARK_SQL_DIR / f"{name}.sql").read_text(encoding="utf-8").strip().removesuffix(";")


def active_session():
    """The SparkSession this process already runs (spark-submit's, or a test module's), if any."""
    from pyspark.sql import SparkSession
    return SparkSession.getActiveSession()


def session(master: str):
    """A new SparkSession on `master` with the lake's settings."""
    # pyspark warns that it does not fully support pandas 3; results come back as Arrow
    # (toArrow), never through pandas, so the warning would only bury the CLI's own lines.
    warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas", category=FutureWarning)
    from pyspark.sql import SparkSession
    if master.startswith("sc://"):
        builder = SparkSession.builder.remote(master)
    else:
        builder = SparkSession.builder.master(master).appName("service-centre metrics")
        for k, v in (LOCAL_CONF if master.startswith("local") else {}).items():
            builder = builder.config(k, v)
    for k, v in SESSION_CONF.items():
        builder = builder.config(k, v)
    try:
        spark = builder.getOrCreate()
    except Exception as e:  # Java missing, master unreachable …: say which, in one line
        first = str(e).splitlines()[0].strip("'\" ") if str(e) else repr(e)
        raise SparkError(f"cannot start Spark on {master}: {first}") from e
    if not master.startswith("sc://"):
        # Quiet: Spark's WARN lines would bury the CLI's own output.
        spark.sparkContext.setLogLevel("ERROR")
    return spark


def register_lake(spark, lake: str | Path) -> None:
    """The lake's cases and calendar as the views the rendered SQL reads."""
    root = str(lake).rstrip("/")
    # The month folders (month=2025-07) are for pruning; the month is not a case field.
    spark.read.parquet(f"{root}/{CASES_DIR}").drop("month").createOrReplaceTempView("cases")
    for table in ("calendar", "workdays"):
        spark.read.parquet(f"{root}/{CALENDAR_TABLES[table]}").createOrReplaceTempView(table)


def daily_aggregates(spark, lake: str | Path) -> pa.Table:
    """`dept_daily` of the lake's cases, computed by Spark, as an Arrow table."""
    try:
        register_lake(spark, lake)
        spark.sql(spark_sql("case_facts"))
        return spark.sql(spark_sql("daily_aggregates")).toArrow()
    except Exception as e:  # an executor that cannot read the lake, out of memory …: one line
        raise SparkError(f"Spark could not compute the aggregates of {lake}: {_reason(e)}") from e


def _reason(e: Exception) -> str:
    """The first line that says what went wrong: for an error raised in the JVM, its root
    cause (py4j's own first line only names the Java method that was called)."""
    cause = getattr(e, "java_exception", None)
    if cause is not None:
        while cause.getCause() is not None:
            cause = cause.getCause()
        text = f"{cause.getClass().getSimpleName()}: {cause.getMessage()}"
    else:
        text = str(e)
    lines = text.strip().splitlines()
    return lines[0] if lines else repr(e)
