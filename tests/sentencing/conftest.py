"""Fixtures for the sentencing tests: the shipped library and a helper to compute one case."""

from __future__ import annotations

from typing import Any

import pytest

from caseledger.sentencing import engine
from caseledger.sentencing.compiled import Library, default_library


@pytest.fixture(scope="session")
def lib() -> Library:
    return default_library()


def calc(**case: Any) -> dict[str, Any]:
    """Compute one case given as keyword arguments (``as_of`` defaults to 2024-09-01)."""
    case.setdefault("as_of", "2024-09-01")
    return engine.compute(case)
