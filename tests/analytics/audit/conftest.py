"""Warehouses of the audit tests: generated ones (200,000 defendants, made once per session
and worker) and small hand-built ones."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from caseledger.synth.generator import SynthRequest, run

N = 200_000
SEED = 7


@pytest.fixture(scope="session")
def synth_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Path]:
    """``synth_warehouse(*plants)`` -> a generated warehouse of N defendants (made once)."""
    built: dict[tuple[str, ...], Path] = {}

    def make(*plants: str) -> Path:
        key = tuple(sorted(plants))
        if key not in built:
            path = tmp_path_factory.mktemp("audit") / "warehouse"
            run(SynthRequest(defendants=N, years=1, seed=SEED, warehouse=path, plants=key))
            built[key] = path
        return built[key]

    return make
