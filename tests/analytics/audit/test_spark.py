"""The same audit on Spark (local session) gives the same checks and findings as on DuckDB."""

from __future__ import annotations

from pathlib import Path

import pytest

from caseledger.analytics.audit import AuditResult, run_audit
from tests.analytics.audit import small

pytestmark = pytest.mark.spark


def signature(result: AuditResult) -> list[object]:
    return [
        (t.test, t.status, [(c.check, c.units_tested, c.records, c.events, c.units_flagged)
                            for c in t.checks],
         [(f.check, f.units) for f in t.findings])
        for t in result.tests
    ]  # fmt: skip


def test_spark_and_duckdb_agree(tmp_path: Path, spark_session: object) -> None:
    path = small.build(tmp_path / "warehouse", frozenset({"deadline_bunching", "steady_zero"}))
    on_spark = run_audit(path, engine="spark", spark=spark_session)
    on_duckdb = run_audit(path)
    assert signature(on_spark) == signature(on_duckdb)
    assert len(on_spark.findings) == 2
