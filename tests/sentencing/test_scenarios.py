"""Worked examples from ``scenarios.yaml``: hand arithmetic from the guideline packs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from caseledger.sentencing import engine

SCENARIOS = yaml.safe_load((Path(__file__).parent / "scenarios.yaml").read_text(encoding="utf-8"))


def _check(got: Any, want: Any, path: str) -> None:
    if isinstance(want, dict):
        assert isinstance(got, dict), path
        for key, value in want.items():
            _check(got[key], value, f"{path}.{key}")
    elif isinstance(want, list):
        assert len(got) == len(want), path
        for i, (g, w) in enumerate(zip(got, want, strict=True)):
            _check(g, w, f"{path}[{i}]")
    elif isinstance(want, bool) or want is None or isinstance(want, str):
        assert got == want, f"{path}: {got!r} != {want!r}"
    else:
        assert got == pytest.approx(want, abs=1e-9), f"{path}: {got!r} != {want!r}"


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s["name"] for s in SCENARIOS])
def test_scenario(scenario: dict[str, Any]) -> None:
    result = engine.compute(scenario["input"])
    flat = {**result, **result["recommendation"], "tier": result["tier"]["id"]}
    _check(flat, scenario["expect"], scenario["name"])


def test_every_crime_has_a_worked_example(lib):
    covered = {s["input"]["crime"] for s in SCENARIOS}
    view = lib.select(None, __import__("datetime").date(2024, 9, 1))
    assert set(view.crimes) <= covered
    assert len(view.crimes) >= 15
