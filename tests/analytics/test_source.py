"""Opening a warehouse: every problem is one clear error naming the path, never a crash."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from caseledger.analytics import engine, source
from caseledger.errors import CaseledgerError, InvalidInput


def refused(path: Path, match: str, **kw: object) -> CaseledgerError:
    with pytest.raises(InvalidInput, match=match) as info:
        source.open_warehouse(path, **kw)  # type: ignore[arg-type]
    assert info.value.context.get("path") or info.value.context.get("field")
    assert "\n" not in info.value.one_line()
    return info.value


def test_a_path_that_does_not_exist(tmp_path):
    err = refused(tmp_path / "nowhere", "warehouse not found")
    assert str(tmp_path / "nowhere") in err.one_line()


def test_a_file_is_not_a_warehouse(tmp_path):
    f = tmp_path / "file"
    f.write_text("x")
    refused(f, "not a directory")


def test_a_directory_without_manifest(tmp_path):
    refused(tmp_path, "not a caseledger warehouse")


def _copy(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst)
    return dst


def _set_version(path: Path, version: object) -> None:
    manifest = json.loads((path / "_schema.json").read_text())
    manifest["schema_version"] = version
    (path / "_schema.json").write_text(json.dumps(manifest))


@pytest.mark.parametrize("version", [99, 0, "1", None])
def test_an_unknown_schema_version_is_refused(hand_warehouse, tmp_path, version):
    wh = _copy(hand_warehouse, tmp_path / "wh")
    _set_version(wh, version)
    err = refused(wh, "schema version")
    assert "reads 1, 2" in err.one_line()


def test_no_defendants_files(hand_warehouse, tmp_path):
    wh = _copy(hand_warehouse, tmp_path / "wh")
    shutil.rmtree(wh / "defendants")
    refused(wh, "no defendants files")


def test_files_missing_a_column_of_their_version(hand_warehouse, tmp_path):
    import pyarrow.parquet as pq

    wh = _copy(hand_warehouse, tmp_path / "wh")
    for f in (wh / "defendants").glob("year=*/*.parquet"):
        pq.write_table(pq.read_table(f).drop_columns(["verdict", "plea"]), f)
    err = refused(wh, "lack columns")
    assert "verdict" in err.one_line() and "plea" in err.one_line()


def test_unreadable_files(hand_warehouse, tmp_path):
    wh = _copy(hand_warehouse, tmp_path / "wh")
    for f in (wh / "defendants").glob("year=*/*.parquet"):
        f.write_bytes(b"not parquet")
    refused(wh, "cannot read")


def test_an_unknown_engine(hand_warehouse):
    with pytest.raises(InvalidInput, match="unknown engine"):
        source.open_warehouse(hand_warehouse, engine="pandas")
    with pytest.raises(InvalidInput, match="unknown engine"):
        engine.connect("sqlite")


def test_a_good_warehouse_opens(hand_warehouse, hand_rows):
    wh = source.open_warehouse(hand_warehouse, threads=1, memory_limit="1GB")
    try:
        assert wh.schema_version == 2
        assert wh.rows == len(hand_rows)
        assert wh.engine == "duckdb"
    finally:
        wh.close()


def test_a_version_1_warehouse_still_opens_without_the_version_2_indicators(
    hand_warehouse, hand_rows, tmp_path
):
    import pyarrow.parquet as pq

    from caseledger.analytics import cube as cubes
    from caseledger.analytics import query
    from tests.analytics import warehouse_fixture as wf

    wh = _copy(hand_warehouse, tmp_path / "wh")
    new = [c for c in source.KNOWN_SCHEMA_VERSIONS[2] if c not in source.KNOWN_SCHEMA_VERSIONS[1]]
    for f in (wh / "defendants").glob("year=*/*.parquet"):
        pq.write_table(pq.read_table(f).drop_columns(new), f)
    _set_version(wh, 1)
    opened = source.open_warehouse(wh)
    cube = cubes.build_cube(opened)
    opened.close()
    assert cube.schema_version == 1
    table = query.compute(cube, "acquittal_rate", level="court")
    counts = wf.oracle_rate(hand_rows, "acquittal_rate", "court", "all", "court_id")
    assert {(r[0], r[1]): (r[2], r[3]) for r in table.rows.rows()} == counts
    later = query.compute(cube, "corrected_conviction_rate")
    assert later.no_data and "schema version 2" in later.no_data
