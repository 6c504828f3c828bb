"""The report is the same whichever engine scanned the warehouse (Spark in local mode)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from caseledger.analytics import report_run, reporting

pytestmark = pytest.mark.spark


def test_report_json_is_the_same_on_duckdb_and_spark(spark_session, synth_warehouse, tmp_path):
    options = reporting.ReportOptions(levels=("province", "county", "court"))
    runs = {}
    for engine, spark in (("duckdb", None), ("spark", spark_session)):
        out = report_run.produce(
            synth_warehouse,
            tmp_path / f"{engine}.json",
            fmt="json",
            engine=engine,
            spark=spark,
            options=options,
            workers=1,
        )
        runs[engine] = json.loads(Path(out.out).read_text(encoding="utf-8"))
    duck, spark = runs["duckdb"], runs["spark"]
    assert duck["source"].pop("engine") == "duckdb" and spark["source"].pop("engine") == "spark"
    duck.pop("generated"), spark.pop("generated")
    assert duck["funnels"] and duck["monitoring"] and duck["case_types"]
    assert duck == spark
