"""DuckDB and Spark give identical cubes — hence identical indicators, funnels and trends — on
the same warehouse. Spark runs in local mode (Java 17); kept to two tiny warehouses."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from caseledger.analytics import cube as cubes
from caseledger.analytics import query, source
from caseledger.synth.generator import SynthRequest, run

pytestmark = pytest.mark.spark


def _build(path: Path, engine: str, spark: object = None) -> cubes.Cube:
    wh = source.open_warehouse(path, engine=engine, spark=spark)
    try:
        return cubes.build_cube(wh)
    finally:
        wh.close()


def _canonical(frame: pl.DataFrame) -> pl.DataFrame:
    frame = frame.with_columns(pl.col(pl.Categorical).cast(pl.String))
    keys = [c for c in frame.columns if c in (*cubes.KEYS, "value")] or frame.columns
    return frame.sort(keys, nulls_last=True)


def assert_same_cube(a: cubes.Cube, b: cubes.Cube) -> None:
    assert a.measure_family == b.measure_family
    assert set(a.counts) == set(b.counts)
    for family in a.counts:
        x, y = _canonical(a.counts[family]), _canonical(b.counts[family])
        assert x.schema == y.schema, family
        assert x.equals(y), family
    assert a.regions.equals(b.regions)


def test_spark_equals_duckdb_on_the_hand_made_warehouse(spark_session, hand_warehouse, hand_cube):
    spark = _build(hand_warehouse, "spark", spark_session)
    assert spark.source["engine"] == "spark"
    assert_same_cube(hand_cube, spark)
    for level in ("county", "court", "procedure"):
        for a, b in zip(
            query.tables(hand_cube, level=level, period="month"),
            query.tables(spark, level=level, period="month"),
            strict=True,
        ):
            assert a.rows.equals(b.rows), (a.indicator, level)


def test_spark_equals_duckdb_on_a_synthetic_warehouse(spark_session, tmp_path):
    path = tmp_path / "synth"
    run(SynthRequest(defendants=1500, years=2, seed=11, warehouse=path, plants=()))
    duck, spark = _build(path, "duckdb"), _build(path, "spark", spark_session)
    assert_same_cube(duck, spark)
    a = query.funnel_for(duck, "plea_rate", level="prefecture", method="additive")
    b = query.funnel_for(spark, "plea_rate", level="prefecture", method="additive")
    assert a == b
