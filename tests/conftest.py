"""Fixtures shared by the whole suite: a fresh, migrated store per test, on SQLite always and on
PostgreSQL when it is reachable (required when ``CI=true``)."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from hypothesis import HealthCheck, settings

from caseledger import migrate
from caseledger.config import Settings
from caseledger.db import Database
from caseledger.domains import load_all

load_all()

settings.register_profile(
    "default", max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

PG_ADMIN = os.environ.get("CASELEDGER_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() == "true"


def _pg_reachable() -> bool:
    try:
        with psycopg.connect(PG_ADMIN, connect_timeout=3):
            return True
    except psycopg.Error:
        return False


PG_OK = _pg_reachable()
if IN_CI and not PG_OK:
    raise pytest.UsageError(
        f"CI=true but PostgreSQL is not reachable at {PG_ADMIN}; the PostgreSQL suite is required"
    )


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    db = Database(f"sqlite:///{path}")
    migrate.upgrade(db.engine)
    db.dispose()
    return path


def _pg_schema_url(schema: str) -> str:
    return (
        PG_ADMIN.replace("postgresql://", "postgresql+psycopg://", 1)
        + f"?options=-csearch_path%3D{schema}"
    )


@pytest.fixture(
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
)
def db_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> Iterator[str]:
    """A URL of a fresh, migrated database (one SQLite file or one PostgreSQL schema)."""
    if request.param == "sqlite":
        path = tmp_path / "caseledger.db"
        shutil.copy(sqlite_template, path)
        yield f"sqlite:///{path}"
        return
    if not PG_OK:
        pytest.skip("PostgreSQL is not reachable (required under CI=true)")
    schema = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    url = _pg_schema_url(schema)
    db = Database(url)
    migrate.upgrade(db.engine)
    db.dispose()
    try:
        yield url
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = Database(db_url)
    yield database
    database.dispose()


@pytest.fixture
def home(tmp_path: Path) -> Path:
    path = tmp_path / "home"
    path.mkdir()
    return path


@pytest.fixture
def app_settings(db_url: str, home: Path) -> Settings:
    return Settings(database_url=db_url, home=home)


@pytest.fixture(scope="session")
def shared_synth(tmp_path_factory: pytest.TempPathFactory, worker_id: str):  # type: ignore[no-untyped-def]
    """``shared_synth(*plants, n=..., seed=...)`` -> a generated one-year warehouse, made once
    per test run and shared by every xdist worker (the synth and audit suites ask for the same
    200,000-defendant warehouses). A file lock serialises the first build; readers only ever
    see a complete warehouse (it is renamed into place). Tests must not write into it."""
    import fcntl

    from caseledger.synth.generator import SynthRequest, run

    base = tmp_path_factory.getbasetemp()
    root = (base if worker_id == "master" else base.parent) / "shared-synth"
    root.mkdir(exist_ok=True)

    def make(*plants: str, n: int, seed: int) -> Path:
        chosen = tuple(sorted(plants))
        key = "-".join([*(chosen or ("clean",)), str(n), str(seed)])
        done = root / key
        with open(root / f"{key}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not done.exists():
                building = root / f"{key}.building"
                shutil.rmtree(building, ignore_errors=True)
                run(
                    SynthRequest(
                        defendants=n,
                        years=1,
                        seed=seed,
                        warehouse=building / "warehouse",
                        plants=chosen,
                    )
                )
                building.rename(done)
        return done / "warehouse"

    return make
