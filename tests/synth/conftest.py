"""Generated warehouses shared by the synth tests (built once per test session and worker)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest

from caseledger.synth.generator import SynthRequest, run

CALIBRATION_N = 200_000
SEED = 7


@pytest.fixture(scope="session")
def synth_run(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Path]:
    """``synth_run(*plants, n=..., seed=...)`` -> warehouse path, generated at most once."""
    built: dict[tuple[tuple[str, ...], int, int], Path] = {}

    def make(*plants: str, n: int = CALIBRATION_N, seed: int = SEED) -> Path:
        key = (tuple(sorted(plants)), n, seed)
        if key not in built:
            path = tmp_path_factory.mktemp("wh") / "warehouse"
            run(SynthRequest(defendants=n, years=1, seed=seed, warehouse=path, plants=key[0]))
            built[key] = path
        return built[key]

    return make


def defendants(path: Path) -> pl.DataFrame:
    return pl.read_parquet(path / "defendants" / "**" / "*.parquet", hive_partitioning=True)


def events(path: Path) -> pl.DataFrame:
    return pl.read_parquet(path / "events" / "**" / "*.parquet", hive_partitioning=True)
