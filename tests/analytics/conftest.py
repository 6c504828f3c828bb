"""Warehouses and cubes shared by the analytics tests (built once per test session and worker),
and the one local Spark session of the Spark tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from caseledger.analytics import cube as cubes
from caseledger.analytics import source
from tests.analytics import warehouse_fixture as wf

FIXTURE_ROWS = 600


@pytest.fixture(scope="session")
def hand_rows() -> list[wf.Row]:
    return wf.random_rows(FIXTURE_ROWS)


@pytest.fixture(scope="session")
def hand_warehouse(tmp_path_factory: pytest.TempPathFactory, hand_rows: list[wf.Row]) -> Path:
    return wf.write(tmp_path_factory.mktemp("hand") / "warehouse", hand_rows)


@pytest.fixture(scope="session")
def hand_cube(hand_warehouse: Path) -> cubes.Cube:
    wh = source.open_warehouse(hand_warehouse)
    try:
        return cubes.build_cube(wh)
    finally:
        wh.close()


@pytest.fixture(scope="session")
def synth_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small clean synthetic warehouse: 6,000 defendants a year, 2023 and 2024."""
    from caseledger.synth.generator import SynthRequest, run

    path = tmp_path_factory.mktemp("synth") / "warehouse"
    run(SynthRequest(defendants=6000, years=2, seed=7, warehouse=path, plants=()))
    return path


@pytest.fixture(scope="session")
def spark_session() -> Iterator[object]:
    """One local Spark session per test run (JVM start-up takes seconds)."""
    from caseledger.analytics import engine

    session = engine.local_spark_session(cores=2, app_name="caseledger-tests")
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
