"""Generated warehouses shared by the synth tests (built once per run: tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest

CALIBRATION_N = 200_000
SEED = 7


@pytest.fixture(scope="session")
def synth_run(shared_synth: Callable[..., Path]) -> Callable[..., Path]:
    """``synth_run(*plants, n=..., seed=...)`` -> warehouse path, generated once per test run
    (shared with the audit suite's warehouses of the same plants)."""

    def make(*plants: str, n: int = CALIBRATION_N, seed: int = SEED) -> Path:
        return shared_synth(*plants, n=n, seed=seed)

    return make


def defendants(path: Path) -> pl.DataFrame:
    return pl.read_parquet(path / "defendants" / "**" / "*.parquet", hive_partitioning=True)


def events(path: Path) -> pl.DataFrame:
    return pl.read_parquet(path / "events" / "**" / "*.parquet", hive_partitioning=True)
