"""The query engines behind the indicators: DuckDB (default, embedded) and Spark (scale-out).

Both are reached through Ibis, so one indicator definition compiles to either engine's SQL.
DuckDB runs in this process; Spark runs a local session (``local[N]``) unless the caller passes
its own ``SparkSession`` (a cluster's). Settings follow ``shared/analytics.md`` §4.2: few shuffle
partitions, no UI, UTC, loopback address.

Must never: be imported at module import time by code that does not query (Ibis and PySpark
are heavy), or read a warehouse (that is :mod:`.source`).
"""

from __future__ import annotations

import os
from typing import Any, Literal

from caseledger.errors import ConfigurationError, InvalidInput

Engine = Literal["duckdb", "spark"]
ENGINES: tuple[str, ...] = ("duckdb", "spark")


def check_engine(engine: str) -> Engine:
    if engine not in ENGINES:
        raise InvalidInput(f"unknown engine {engine!r}", field="engine", allowed=",".join(ENGINES))
    return engine  # type: ignore[return-value]


def local_spark_session(*, cores: int = 2, app_name: str = "caseledger") -> Any:
    """A local Spark session for one machine and for tests (JVM start-up takes seconds: make
    one per process and reuse it)."""
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    os.environ.setdefault("PYSPARK_PYTHON", os.environ.get("PYSPARK_PYTHON", "python3"))
    try:
        from pyspark.sql import SparkSession
    except ImportError:  # pragma: no cover - depends on the installation
        raise ConfigurationError(
            "the Spark engine needs PySpark: pip install 'caseledger[spark]'", engine="spark"
        ) from None
    try:
        return (
            SparkSession.builder.master(f"local[{cores}]")
            .appName(app_name)
            .config("spark.sql.shuffle.partitions", str(cores))
            .config("spark.default.parallelism", str(cores))
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.driver.extraJavaOptions", "-Duser.timezone=UTC")
            .config("spark.executor.extraJavaOptions", "-Duser.timezone=UTC")
            .getOrCreate()
        )
    except Exception as exc:  # the JVM is missing or would not start
        raise ConfigurationError(
            "cannot start a local Spark session (is Java 17 installed?)",
            engine="spark",
            reason=str(exc).splitlines()[0] if str(exc) else type(exc).__name__,
        ) from None


def connect(
    engine: str = "duckdb",
    *,
    threads: int | None = None,
    memory_limit: str | None = None,
    spark: Any = None,
) -> Any:
    """An Ibis backend for ``engine``. ``threads``/``memory_limit`` tune DuckDB; ``spark`` is an
    existing SparkSession (default: a local one)."""
    check_engine(engine)
    import ibis

    if engine == "duckdb":
        config: dict[str, Any] = {}
        if threads is not None:
            config["threads"] = threads
        if memory_limit is not None:
            config["memory_limit"] = memory_limit
        return ibis.duckdb.connect(**config)
    session = spark if spark is not None else local_spark_session()
    return ibis.pyspark.connect(session)


def record_batches(backend: Any, engine: str, expr: Any, *, rows: int = 500_000) -> Any:
    """Iterate over the result of ``expr`` as Arrow record batches.

    DuckDB streams them from the compiled SQL (Ibis 12's own batch reader calls a method that
    DuckDB 2.0 no longer has); Spark's result comes through Ibis, which collects it first — keep
    Spark results to aggregates.
    """
    if engine == "duckdb":
        sql = str(backend.compile(expr))
        return backend.con.sql(sql).to_arrow_reader(rows)
    return backend.to_pyarrow_batches(expr, chunk_size=rows)
