"""docs/warehouse.md documents exactly the columns and types of the schema."""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl

from caseledger.domains import load_all
from caseledger.ledger import registry
from caseledger.synth.generator import SynthRequest, run
from caseledger.warehouse import schema

DOC = Path(__file__).resolve().parents[2] / "docs" / "warehouse.md"
ROW = re.compile(r"^\| `(\w+)` \| (\w+) \| .+ \|$")


def _documented() -> dict[str, list[tuple[str, str]]]:
    tables: dict[str, list[tuple[str, str]]] = {}
    current, inside = None, False
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):  # the column tables are the sections of "## Tables"
            inside, current = line == "## Tables", None
        elif inside and line.startswith("### "):
            current = line[4:].strip()
            tables[current] = []
        elif current and (m := ROW.match(line)):
            tables[current].append((m.group(1), m.group(2)))
    return tables


def test_documented_columns_equal_the_schema() -> None:
    documented = _documented()
    assert set(documented) == set(schema.TABLES)
    for name, table in schema.TABLES.items():
        actual = [(f.name, str(f.type).replace("[day]", "")) for f in table.schema]
        assert documented[name] == actual, name


def test_documented_schema_version_is_current() -> None:
    assert f"Current version: **{schema.SCHEMA_VERSION}**" in DOC.read_text(encoding="utf-8")


def test_emitted_event_types_are_documented_ledger_types(tmp_path: Path) -> None:
    load_all()
    run(SynthRequest(defendants=3_000, years=1, seed=5, warehouse=tmp_path / "wh"))
    emitted = set(pl.read_parquet(tmp_path / "wh/events/**/*.parquet")["event_type"].unique())
    text = DOC.read_text(encoding="utf-8").split("Event types used:")[1].split("##")[0]
    documented = set(re.findall(r"`([a-z_]+\.[a-z_]+)`", text))
    assert emitted == documented
    assert documented <= {t.name for t in registry.all_types()}
