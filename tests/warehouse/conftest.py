"""Fixtures of the import tests: files written from a small ``synth`` run, and the CLI runner."""

from __future__ import annotations

import csv
import os
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner, Result

from caseledger.cli import app
from caseledger.synth import plants
from caseledger.synth.generator import SynthRequest, run

N = 1_500


@pytest.fixture(scope="session")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic warehouse (every plant on, so the odd-looking rows are there too)."""
    path = tmp_path_factory.mktemp("source") / "wh"
    run(
        SynthRequest(
            defendants=N, years=2, seed=31, warehouse=path, plants=tuple(sorted(plants.PLANTS))
        )
    )
    return path


def read(path: Path, table: str) -> pl.DataFrame:
    return pl.read_parquet(path / table / "*" / "*.parquet", hive_partitioning=True)


def key(table: str) -> list[str]:
    return ["defendant_id", "seq"] if table == "events" else ["defendant_id"]


@pytest.fixture(scope="session")
def files(source: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The source warehouse as a facts CSV, a facts Parquet file and an events JSONL stream."""
    out = tmp_path_factory.mktemp("files")
    d = read(source, "defendants").drop("year")
    e = read(source, "events").drop("year")
    d.write_csv(out / "defendants.csv")
    d.write_parquet(out / "defendants.parquet")
    e.write_ndjson(out / "events.jsonl")
    return {
        "csv": out / "defendants.csv",
        "parquet": out / "defendants.parquet",
        "jsonl": out / "events.jsonl",
    }


def rows_of(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def write_rows(path: Path, rows: list[dict[str, str]], fields: list[str] | None = None) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=fields or list(rows[0]), extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
    return path


def rejects_of(path: Path) -> list[dict[str, str]]:
    return rows_of(path) if path.exists() else []


Cli = Callable[..., Result]


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    """``cli(*args, code=0)``: ``caseledger`` in-process (Typer's runner), exit code checked."""
    runner = CliRunner(env={"CASELEDGER_HOME": str(tmp_path / "home")})

    def invoke(*args: str | os.PathLike[str], code: int | None = 0) -> Result:
        result = runner.invoke(app, [str(a) for a in args])
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        if code is not None:
            assert result.exit_code == code, (result.stdout, result.stderr)
        assert "Traceback" not in result.stderr
        return result

    return invoke
