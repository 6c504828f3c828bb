"""The ``synth`` command through Typer's runner (until it is mounted on ``caseledger``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from caseledger.synth import plants
from caseledger.synth.commands import app
from caseledger.warehouse import writer

runner = CliRunner()


def test_list_plants_names_each_with_a_description() -> None:
    result = runner.invoke(app, ["--list-plants", "--json"])
    assert result.exit_code == 0
    assert json.loads(result.output) == dict(sorted(plants.PLANTS.items()))


def test_generates_quietly_with_json(tmp_path: Path) -> None:
    wh = tmp_path / "wh"
    args = ["-n", "3000", "--years", "2", "--seed", "9", "--warehouse", str(wh)]
    result = runner.invoke(app, [*args, "--plant", "confession_only", "--quiet", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["defendants"] == 6000 and report["years"] == [2023, 2024]
    assert set(report["plants"]) == {"confession_only"}
    assert writer.read_manifest(wh)["source"]["seed"] == 9


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--plant", "nope"], "unknown plant 'nope'"),
        (["-n", "0"], "--defendants must be between"),
        (["--years", "0"], "--years must be between"),
        (["--clean", "--plant", "confession_only"], "exclude each other"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    result = runner.invoke(app, [*args, "--warehouse", str(tmp_path / "wh"), "--quiet"])
    assert result.exit_code == 2
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "wh").exists()


def test_unwritable_directory_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a directory")
    result = runner.invoke(app, ["-n", "100", "--warehouse", str(tmp_path / "file/wh"), "--quiet"])
    assert result.exit_code == 2
    assert "cannot create the warehouse directory" in result.output
