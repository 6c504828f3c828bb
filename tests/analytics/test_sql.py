"""The SQL of every indicator and of the cube, for DuckDB and Spark, is kept as a snapshot: a
change to a definition shows up as a reviewed diff. Regenerate with
``python -m tests.analytics.test_sql``."""

from __future__ import annotations

from pathlib import Path

import pytest

from caseledger.analytics import cube, indicators, source

SNAPSHOTS = Path(__file__).with_name("snapshots")
DIALECTS = ("duckdb", "pyspark")


def render(dialect: str) -> dict[str, str]:
    out = {
        f"cube.v{v}.{dialect}.sql": cube.cube_sql(v, dialect=dialect) + "\n"
        for v in source.KNOWN_SCHEMA_VERSIONS
    }
    parts = []
    for i in indicators.all_indicators():
        parts.append(f"-- indicator: {i.id}\n{cube.indicator_sql(i.id, dialect=dialect)};\n")
    out[f"indicators.{dialect}.sql"] = "\n".join(parts)
    return out


@pytest.mark.parametrize("dialect", DIALECTS)
def test_sql_snapshots_are_current(dialect):
    for name, text in render(dialect).items():
        committed = (SNAPSHOTS / name).read_text(encoding="utf-8")
        assert committed == text, f"{name} changed: review, then python -m tests.analytics.test_sql"


def test_every_indicator_has_its_sql_in_the_snapshot():
    text = (SNAPSHOTS / "indicators.duckdb.sql").read_text(encoding="utf-8")
    for i in indicators.all_indicators():
        assert f"-- indicator: {i.id}\n" in text


if __name__ == "__main__":
    SNAPSHOTS.mkdir(exist_ok=True)
    for d in DIALECTS:
        for name, text in render(d).items():
            (SNAPSHOTS / name).write_text(text, encoding="utf-8")
            print(f"wrote {SNAPSHOTS / name}")
