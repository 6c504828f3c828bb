"""Layout, row groups, sort order, manifest and the atomic swap of the warehouse writer."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from caseledger.errors import InvalidInput
from caseledger.synth.generator import SynthRequest, run
from caseledger.warehouse import schema, writer


def _small(path: Path, seed: int = 1) -> None:
    run(SynthRequest(defendants=5_000, years=1, seed=seed, warehouse=path))


def test_layout_manifest_and_parquet_settings(tmp_path: Path) -> None:
    wh = tmp_path / "wh"
    _small(wh)
    manifest = writer.read_manifest(wh)
    assert manifest["schema_version"] == schema.SCHEMA_VERSION
    assert manifest["rows"]["defendants"] == {"2024": 5_000}
    assert manifest["source"]["synthetic"] is True
    f = pq.ParquetFile(wh / "events/year=2024/part-0.parquet")
    assert f.metadata.row_group(0).column(0).compression == "ZSTD"
    version = f.schema_arrow.metadata[b"caseledger.schema_version"]
    assert version == str(schema.SCHEMA_VERSION).encode()
    assert "year" not in f.schema_arrow.names
    ev = pl.read_parquet(wh / "events/**/*.parquet", hive_partitioning=True)
    assert ev["year"].unique().to_list() == [2024]
    keys = ev.select("county_code", "occurred_on")
    assert keys.equals(keys.sort("county_code", "occurred_on"))


def test_row_groups_are_full_except_the_last(tmp_path: Path) -> None:
    table = schema.Table("t", pa.schema([("x", pa.int64())]), ("x",), 1_000)
    part = writer._PartitionFile(tmp_path / "t.parquet", table.schema, table.row_group_rows)
    for start in range(0, 4_500, 700):
        part.add(pa.table({"x": pa.array(range(start, min(start + 700, 4_500)), pa.int64())}))
    part.close()
    meta = pq.ParquetFile(tmp_path / "t.parquet").metadata
    assert [meta.row_group(i).num_rows for i in range(meta.num_row_groups)] == [1000] * 4 + [500]
    assert pq.read_table(tmp_path / "t.parquet")["x"].to_pylist() == list(range(4_500))


def test_failure_leaves_the_previous_warehouse(tmp_path: Path) -> None:
    wh = tmp_path / "wh"
    _small(wh, seed=1)
    before = (wh / "defendants/year=2024/part-0.parquet").read_bytes()
    with pytest.raises(RuntimeError), writer.open_warehouse(wh, {}) as w:
        w.write(
            "defendants",
            2024,
            pq.read_table(wh / "defendants/year=2024/part-0.parquet").slice(0, 10),
        )
        raise RuntimeError("crash")
    assert (wh / "defendants/year=2024/part-0.parquet").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".wh.lock", "wh"]


def test_replacing_swaps_in_the_new_warehouse(tmp_path: Path) -> None:
    wh = tmp_path / "wh"
    _small(wh, seed=1)
    _small(wh, seed=2)
    assert writer.read_manifest(wh)["source"]["seed"] == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == [".wh.lock", "wh"]


def test_interrupted_swap_is_recovered(tmp_path: Path) -> None:
    wh = tmp_path / "wh"
    _small(wh)
    wh.rename(tmp_path / ".wh.old-123")
    writer.recover(wh)
    assert writer.is_warehouse(wh)


def test_refuses_to_replace_a_directory_that_is_not_a_warehouse(tmp_path: Path) -> None:
    (tmp_path / "home").mkdir()
    (tmp_path / "home" / "notes.txt").write_text("keep me")
    with pytest.raises(InvalidInput, match="not a caseledger warehouse"):
        _small(tmp_path / "home")
    assert (tmp_path / "home" / "notes.txt").exists()


def test_rows_must_match_the_schema(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput), writer.open_warehouse(tmp_path / "wh", {}) as w:
        w.write("events", 2024, pa.table({"x": [1]}))
    assert not (tmp_path / "wh").exists()


def test_manifest_is_plain_json(tmp_path: Path) -> None:
    _small(tmp_path / "wh")
    data = json.loads((tmp_path / "wh" / "_schema.json").read_text())
    assert set(data["tables"]) == {"defendants", "events"}
