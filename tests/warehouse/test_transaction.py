"""Warehouse transactions: append, replace, state, all-or-nothing on failure, the writers' lock."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from caseledger.errors import ConcurrencyConflict, InvalidInput
from caseledger.synth.generator import SynthRequest, run
from caseledger.warehouse import schema, transaction, writer


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("base") / "wh"
    run(SynthRequest(defendants=2_000, years=1, seed=4, warehouse=path))
    return path


@pytest.fixture
def wh(base: Path, tmp_path: Path) -> Path:
    path = tmp_path / "wh"
    shutil.copytree(base, path)
    return path


def snapshot(path: Path) -> dict[str, bytes]:
    """Every file of the warehouse tree with its bytes."""
    return {
        str(p.relative_to(path)): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()
    }


def read(path: Path, table: str) -> pl.DataFrame:
    return pl.read_parquet(path / table / "*" / "*.parquet", hive_partitioning=True)


def leftovers(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir() if p.name != path.name)


def test_create_makes_an_empty_warehouse_with_the_schema_version(tmp_path: Path) -> None:
    target = tmp_path / "new"
    with transaction.open(target, create=True) as tx:
        assert dict(tx.manifest) == {}
        tx.state["note"] = {"made": True}
    manifest = writer.read_manifest(target)
    assert manifest["schema_version"] == schema.SCHEMA_VERSION
    assert manifest["rows"] == {"defendants": {}, "events": {}}
    assert manifest["state"] == {"note": {"made": True}}
    assert transaction.verify(target) == []
    assert leftovers(target) == [".new.lock"]


def test_missing_warehouse_without_create_is_refused(tmp_path: Path) -> None:
    with (
        pytest.raises(InvalidInput, match="no warehouse at this path"),
        transaction.open(tmp_path / "nothing"),
    ):
        pass
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "keep.txt").write_text("mine")
    with (
        pytest.raises(InvalidInput, match="not a caseledger warehouse"),
        transaction.open(tmp_path / "notes", create=True),
    ):
        pass
    assert (tmp_path / "notes" / "keep.txt").read_text() == "mine"


def test_append_adds_a_sorted_file_and_keeps_the_old_ones(wh: Path) -> None:
    before = read(wh, "events")
    extra = pq.read_table(wh / "events/year=2024/part-0.parquet").slice(0, 3_000)
    extra = extra.set_column(2, "seq", pc.add(extra["seq"], pa.scalar(100, pa.int16())))
    with transaction.open(wh) as tx:
        assert tx.manifest["rows"]["events"] == {"2024": before.height}
        tx.append(table="events", year=2024, data=extra.select(list(reversed(extra.column_names))))
        tx.state["export"] = {"watermark": 7}
    after = read(wh, "events")
    assert after.height == before.height + 3_000
    assert after.select("defendant_id", "seq").is_unique().all()
    files = sorted((wh / "events/year=2024").iterdir())
    assert len(files) == 2 and files[0].name == "part-0.parquet"
    new = pl.read_parquet(files[1])
    keys = list(schema.EVENTS.sort_by)
    assert new.select(keys).equals(new.select(keys).sort(keys))
    meta = pq.ParquetFile(files[1])
    assert (
        meta.schema_arrow.metadata[b"caseledger.schema_version"]
        == str(schema.SCHEMA_VERSION).encode()
    )
    manifest = writer.read_manifest(wh)
    assert manifest["state"] == {"export": {"watermark": 7}}
    assert manifest["rows"]["events"] == {"2024": before.height + 3_000}
    assert manifest["source"]["synthetic"] is True
    assert transaction.verify(wh) == []
    assert leftovers(wh) == [".wh.lock"]


def test_appended_files_keep_the_row_group_rule(tmp_path: Path) -> None:
    n = 2_500_000
    cols = {f.name: pa.nulls(n, f.type) for f in schema.EVENTS.schema}
    cols["defendant_id"] = pa.array(range(n, 0, -1), pa.int64())
    cols["seq"] = pa.array([1] * n, pa.int16())
    cols["county_code"] = pa.array(["110101"] * n)
    with transaction.open(tmp_path / "wh", create=True) as tx:
        tx.append(table="events", year=2020, data=pa.table(cols))
    (f,) = (tmp_path / "wh/events/year=2020").iterdir()
    meta = pq.ParquetFile(f).metadata
    sizes = [meta.row_group(i).num_rows for i in range(meta.num_row_groups)]
    assert sizes == [1_000_000, 1_000_000, 500_000]
    assert pq.read_table(f, columns=["defendant_id"])["defendant_id"][0].as_py() == 1


def test_replace_swaps_one_partition_and_an_empty_replace_removes_it(wh: Path) -> None:
    old = pq.read_table(wh / "defendants/year=2024/part-0.parquet")
    with transaction.open(wh) as tx:
        tx.replace(table="defendants", year=2024, data=old.slice(0, 10))
        tx.replace(table="defendants", year=2024, data=old.slice(0, 20))  # the last one counts
        tx.append(table="defendants", year=2023, data=old.slice(20, 5))
    assert read(wh, "defendants").height == 25
    assert [p.name for p in (wh / "defendants/year=2024").iterdir()] != ["part-0.parquet"]
    assert writer.read_manifest(wh)["rows"]["defendants"] == {"2023": 5, "2024": 20}
    with transaction.open(wh) as tx:
        tx.replace(table="defendants", year=2023, data=old.slice(0, 0))
    assert not (wh / "defendants/year=2023").exists()
    assert writer.read_manifest(wh)["rows"]["defendants"] == {"2024": 20}
    assert transaction.verify(wh) == []


def test_other_files_in_the_warehouse_are_kept(wh: Path) -> None:
    (wh / "README.txt").write_text("notes")
    with transaction.open(wh) as tx:
        tx.state["x"] = 1
    assert (wh / "README.txt").read_text() == "notes"


def test_an_exception_leaves_the_previous_warehouse(wh: Path) -> None:
    before = snapshot(wh)
    data = pq.read_table(wh / "events/year=2024/part-0.parquet").slice(0, 100)
    with pytest.raises(RuntimeError), transaction.open(wh) as tx:
        tx.append(table="events", year=2024, data=data)
        tx.state["x"] = 1
        raise RuntimeError("crash")
    assert snapshot(wh) == before
    assert leftovers(wh) == [".wh.lock"]


@pytest.mark.parametrize(
    ("target", "nth"),
    [
        ("os.link", 1),
        ("os.link", 2),
        ("caseledger.warehouse.writer.write_manifest", 1),
        ("caseledger.warehouse.writer.fsync_tree", 1),
        ("caseledger.warehouse.writer.fsync_path", 5),
        ("caseledger.warehouse.writer._exchange", 1),
        ("pyarrow.parquet.ParquetWriter.write_table", 1),
    ],
)
def test_a_failure_at_each_step_leaves_the_previous_warehouse(
    wh: Path, monkeypatch: pytest.MonkeyPatch, target: str, nth: int
) -> None:
    (wh / "notes.txt").write_text("kept by every version")
    before = snapshot(wh)
    module, _, attr = target.rpartition(".")
    owner: object
    if module == "pyarrow.parquet.ParquetWriter":
        owner = pq.ParquetWriter
    else:
        owner = sys.modules[module] if module in sys.modules else __import__(module)
    real = getattr(owner, attr)
    calls = {"n": 0}

    def failing(*args: object, **kwargs: object) -> object:
        calls["n"] += 1
        if calls["n"] == nth:
            raise OSError(28, "No space left on device")
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, attr, failing)
    data = pq.read_table(wh / "events/year=2024/part-0.parquet").slice(0, 100)
    with pytest.raises(OSError), transaction.open(wh) as tx:
        tx.append(table="events", year=2024, data=data)
        tx.replace(
            table="defendants",
            year=2024,
            data=pq.read_table(wh / "defendants/year=2024/part-0.parquet").slice(0, 5),
        )
        tx.state["x"] = 1
    monkeypatch.undo()
    assert calls["n"] >= nth
    assert snapshot(wh) == before
    assert leftovers(wh) == [".wh.lock"]
    assert transaction.verify(wh) == []


def test_rows_must_match_the_schema(wh: Path) -> None:
    before = snapshot(wh)
    data = pq.read_table(wh / "events/year=2024/part-0.parquet").slice(0, 10)
    with (
        pytest.raises(InvalidInput, match="do not match the warehouse schema") as err,
        transaction.open(wh) as tx,
    ):
        tx.append(table="events", year=2024, data=data.drop_columns(["detail"]))
    assert err.value.context["missing"] == "detail"
    with pytest.raises(InvalidInput, match="do not match") as err, transaction.open(wh) as tx:
        tx.append(
            table="events", year=2024, data=data.set_column(2, "seq", data["seq"].cast("int64"))
        )
    assert err.value.context["column"] == "seq"
    with pytest.raises(InvalidInput, match="unknown warehouse table"), transaction.open(wh) as tx:
        tx.append(table="nope", year=2024, data=data)
    assert snapshot(wh) == before


def test_another_schema_version_is_refused(wh: Path) -> None:
    manifest = json.loads((wh / "_schema.json").read_text())
    manifest["schema_version"] = schema.SCHEMA_VERSION + 1
    (wh / "_schema.json").write_text(json.dumps(manifest))
    with (
        pytest.raises(InvalidInput, match=f"schema version {schema.SCHEMA_VERSION + 1}"),
        transaction.open(wh),
    ):
        pass


def test_scan_reads_committed_rows_by_defendant(wh: Path) -> None:
    ev = read(wh, "events")
    ids = ev["defendant_id"].unique().sort().head(7)
    with transaction.open(wh) as tx:
        got = pa.concat_tables(
            t for _, t in tx.scan("events", ["seq"], defendant_ids=ids.to_arrow())
        )
        years = {y for y, _ in tx.scan("defendants", ["defendant_id"])}
    assert got.column_names == ["seq"]
    assert got.num_rows == ev.filter(pl.col("defendant_id").is_in(ids.implode())).height
    assert years == {2024}


HOLDER = """
import sys, time
from pathlib import Path
from caseledger.warehouse import transaction
with transaction.open(Path(sys.argv[1])) as tx:
    print("locked", flush=True)
    time.sleep(float(sys.argv[2]))
    tx.state["holder"] = True
"""


def test_a_second_writer_fails_clearly_or_waits(wh: Path) -> None:
    with subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(wh), "1.5"], stdout=subprocess.PIPE, text=True
    ) as proc:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
        with (
            pytest.raises(ConcurrencyConflict, match="being written by another process") as err,
            transaction.open(wh),
        ):
            pass
        assert err.value.context["pid"] == str(proc.pid)
        # the whole-warehouse writer takes the same lock
        with pytest.raises(ConcurrencyConflict), writer.open_warehouse(wh, {}):
            pass
        with transaction.open(wh, wait=30) as tx:
            assert tx.manifest["state"] == {"holder": True}


CRASHER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    import pyarrow as pa, pyarrow.compute as pc, pyarrow.parquet as pq
    from caseledger.warehouse import transaction
    wh = Path(sys.argv[1])
    events = pq.read_table(sys.argv[2])
    defendants = pq.read_table(sys.argv[3])
    print("ready", flush=True)
    while True:
        with transaction.open(wh, wait=5) as tx:
            k = tx.manifest["state"].get("k", 0) + 1
            batch = events.slice((k * 97) % 1000, 500)
            seq = pc.add(batch["seq"], pa.scalar(100 * k, pa.int16()))
            batch = batch.set_column(2, "seq", seq)
            tx.append(table="events", year=2024, data=batch)
            flags = pa.array([k] * defendants.num_rows, pa.int16())
            i = defendants.schema.get_field_index("flag_count")
            data = defendants.set_column(i, "flag_count", flags)
            tx.replace(table="defendants", year=2024, data=data)
            tx.state["k"] = k
    """
)


def check_version(path: Path, base_events: int, base_defendants: int) -> int:
    """The warehouse at ``path`` is exactly version k of the crasher; returns k."""
    k = writer.read_manifest(path)["state"].get("k", 0)
    ev = read(path, "events")
    assert ev.height == base_events + 500 * k
    assert ev.select("defendant_id", "seq").is_unique().all()
    batches = ev.filter(pl.col("seq") > 100).group_by(pl.col("seq") // 100).len().sort("seq")
    assert batches["seq"].to_list() == list(range(1, k + 1))
    assert set(batches["len"].to_list()) <= {500}
    d = read(path, "defendants")
    assert d.height == base_defendants
    if k:
        assert d["flag_count"].unique().to_list() == [k]
    assert transaction.verify(path) == []
    return k


@pytest.mark.slow
def test_kill_at_random_moments_leaves_exactly_one_version(
    wh: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    import random

    rng = random.Random(20261124)
    inputs = tmp_path_factory.mktemp("in")
    events, defendants = inputs / "events.parquet", inputs / "defendants.parquet"
    pq.write_table(pq.read_table(wh / "events/year=2024/part-0.parquet").slice(0, 2_000), events)
    pq.write_table(pq.read_table(wh / "defendants/year=2024/part-0.parquet"), defendants)
    base_events = read(wh, "events").height
    base_defendants = read(wh, "defendants").height
    seen, interrupted = set(), 0
    for _ in range(12):
        with subprocess.Popen(
            [sys.executable, "-c", CRASHER, str(wh), str(events), str(defendants)],
            stdout=subprocess.PIPE,
            text=True,
        ) as proc:
            assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
            try:
                proc.wait(timeout=rng.uniform(0.0, 0.8))
            except subprocess.TimeoutExpired:
                os.kill(proc.pid, 9)
                proc.wait()
        # Before any recovery the path holds one complete version ...
        k = check_version(wh, base_events, base_defendants)
        seen.add(k)
        interrupted += any(".tmp-" in name for name in leftovers(wh))
        # ... and the next writer removes what the killed one left behind.
        with transaction.open(wh):
            pass
        assert leftovers(wh) == [".wh.lock"]
        assert check_version(wh, base_events, base_defendants) == k
    assert len(seen) > 3  # the kills landed after different numbers of commits
    assert interrupted  # and some in the middle of a transaction
