"""Warehouses of the audit tests: generated ones (200,000 defendants, made once per test run and
shared with the synth suite) and small hand-built ones."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

N = 200_000
SEED = 7


@pytest.fixture(scope="session")
def synth_warehouse(shared_synth: Callable[..., Path]) -> Callable[..., Path]:
    """``synth_warehouse(*plants)`` -> a generated warehouse of N defendants (made once per test
    run, shared with the synth suite)."""

    def make(*plants: str) -> Path:
        return shared_synth(*plants, n=N, seed=SEED)

    return make
