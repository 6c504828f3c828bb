"""Same seed, byte-identical Parquet files; another seed, other data."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq

from caseledger.synth.generator import SynthRequest, run


def _files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_same_seed_gives_byte_identical_files(tmp_path: Path) -> None:
    req = dict(defendants=20_000, years=2, plants=("deadline_bunching",))
    a = run(SynthRequest(seed=3, warehouse=tmp_path / "a", **req))  # type: ignore[arg-type]
    run(SynthRequest(seed=3, warehouse=tmp_path / "b", **req))  # type: ignore[arg-type]
    run(SynthRequest(seed=4, warehouse=tmp_path / "c", **req))  # type: ignore[arg-type]
    fa, fb, fc = _files(tmp_path / "a"), _files(tmp_path / "b"), _files(tmp_path / "c")
    assert fa == fb
    assert set(fa) == set(fc)
    assert fa["defendants/year=2024/part-0.parquet"] != fc["defendants/year=2024/part-0.parquet"]
    assert sorted(fa) == [
        "_schema.json",
        "defendants/year=2023/part-0.parquet",
        "defendants/year=2024/part-0.parquet",
        "events/year=2023/part-0.parquet",
        "events/year=2024/part-0.parquet",
    ]
    assert a.defendants == 40_000
    assert (
        pq.ParquetFile(tmp_path / "a/defendants/year=2023/part-0.parquet").metadata.num_rows
        == 20_000
    )
