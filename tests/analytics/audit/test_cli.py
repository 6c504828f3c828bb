"""``caseledger audit`` through the real console script, as a user runs it: findings are not
errors (exit 0), bad input is one line and exit code 2."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.analytics.audit import small

EXE = Path(sys.executable).parent / "caseledger"


def cli(*args: str, code: int = 0, home: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASELEDGER_")}
    if home is not None:
        env["CASELEDGER_HOME"] = str(home)
    result = subprocess.run(
        [str(EXE), "audit", *args], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == code, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    return result


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return small.build(
        tmp_path_factory.mktemp("cli") / "warehouse", frozenset({"deadline_bunching"})
    )


def test_findings_exit_zero_and_json_lists_units_by_code(planted):
    out = json.loads(cli("--warehouse", str(planted), "--json").stdout)
    assert out["findings"] == 1
    (test,) = [t for t in out["tests"] if t["status"] == "finding"]
    (finding,) = test["findings"]
    assert finding["units"] == [f"CRT{small.code(small.PLANTED)}"]
    assert finding["action"].startswith("audit a sample of these records")
    assert {t["test"] for t in out["tests"]} == {
        "deadline_bunching", "underdispersion", "under_recording", "guideline_deviation",
        "confession_only",
    }  # fmt: skip


def test_human_output_says_what_ran_and_what_was_found(planted):
    text = cli("--warehouse", str(planted)).stdout
    assert "ran, nothing found" in text
    assert f"CRT{small.code(small.PLANTED)}" in text
    assert "1 finding." in text


def test_default_warehouse_is_under_home_and_tests_and_years_select(planted, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    shutil.copytree(planted, home / "warehouse")
    out = json.loads(cli("--json", "--test", "confession_only", "--year", "2024", home=home).stdout)
    assert [t["test"] for t in out["tests"]] == ["confession_only"]
    assert out["years"] == [2024] and out["findings"] == 0


def test_a_year_without_data_is_an_explicit_no_data_result(planted):
    out = json.loads(cli("--warehouse", str(planted), "--year", "2031", "--json").stdout)
    assert out["tests"] == [] and "no defendants in the selected years (2031)" in out["no_data"]
    assert "2024" in out["no_data"]
    assert "no data" in cli("--warehouse", str(planted), "--year", "2031").stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--test", "conviction_rank"], "unknown audit test 'conviction_rank'"),
        (["--year", "1700"], "a year is a cohort year between 1980 and 2100"),
        (["--engine", "oracle"], "unknown engine 'oracle'"),
    ],
)
def test_bad_options_are_one_line_and_exit_2(planted, args, message):
    err = cli("--warehouse", str(planted), *args, code=2).stderr
    assert message in err and len(err.strip().splitlines()) <= 2


def test_missing_warehouse_or_unknown_schema_version_exit_2(planted, tmp_path):
    err = cli("--warehouse", str(tmp_path / "nowhere"), code=2).stderr
    assert "warehouse not found" in err
    future = tmp_path / "future"
    shutil.copytree(planted, future)
    manifest = json.loads((future / "_schema.json").read_text())
    manifest["schema_version"] = 99
    (future / "_schema.json").write_text(json.dumps(manifest))
    err = cli("--warehouse", str(future), code=2).stderr
    assert "schema version 99" in err


def test_the_json_output_has_no_rank_like_field(planted):
    from tests.analytics.test_query import rank_like

    def keys(value: object) -> set[str]:
        if isinstance(value, dict):
            return set(value) | {k for v in value.values() for k in keys(v)}
        if isinstance(value, list):
            return {k for v in value for k in keys(v)}
        return set()

    out = json.loads(cli("--warehouse", str(planted), "--json").stdout)
    assert not [k for k in keys(out) if rank_like(k)]
