"""``caseledger report`` through its real console script: HTML and JSON, and bad input."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from caseledger.analytics import cube as cubes
from caseledger.analytics import reporting, source
from caseledger.analytics.audit.runner import TESTS, run_audit

EXE = Path(sys.executable).parent / "caseledger"


def cli(
    env: dict[str, str], *args: str, code: int = 0, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(EXE), *args], env=env, capture_output=True, text=True, timeout=600, cwd=cwd
    )
    assert result.returncode == code, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    return result


@pytest.fixture
def env(home: Path) -> dict[str, str]:
    """A user's environment; the report reads only the warehouse (no database)."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("CASELEDGER_")}
    return {**base, "CASELEDGER_HOME": str(home)}


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small synthetic warehouse made by ``caseledger synth`` (2023 and 2024)."""
    path = tmp_path_factory.mktemp("report-cli") / "warehouse"
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASELEDGER_")}
    cli(env, "synth", "-n", "3000", "-y", "2", "--seed", "4", "--warehouse", str(path), "--quiet")
    return path


def test_html_report_from_the_default_warehouse(env, home, warehouse, tmp_path):
    (home / "warehouse").symlink_to(warehouse, target_is_directory=True)
    out = tmp_path / "report.html"
    done = cli(env, "report", "--out", str(out), "--level", "province", "--level", "county")
    assert "html report written to" in done.stdout and "year 2024" in done.stdout
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>") and page.rstrip().endswith("</html>")
    assert not re.search(r"<script|<link|<img|@import|url\(", page)
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    for heading in (
        "National overview, 2024",
        "Trends",
        "CUSUM monitoring by province",
        "Funnel plots, 2024",
        "By province",
        "By county",
        "Key case types, 2024",
        "Data-integrity audit",
    ):
        assert f">{heading}</h" in page, heading
    assert "By prefecture" not in page  # only the levels asked for
    assert page.count("<svg") > 0


def test_json_report_equals_the_python_api(env, warehouse, tmp_path):
    out = tmp_path / "report.json"
    args = ("--indicator", "plea_rate", "--indicator", "acquittal_rate", "--indicator")
    done = cli(
        env,
        "report",
        "--warehouse",
        str(warehouse),
        "--out",
        str(out),
        "--format",
        "json",
        "--year",
        "2023",
        *args,
        "disposition_days",
        "--json",
    )
    produced = json.loads(done.stdout)
    assert produced["year"] == 2023 and produced["format"] == "json" and produced["no_data"] is None
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["year"] == 2023 and [t["indicator"] for t in data["trends"]] == [
        "plea_rate",
        "acquittal_rate",
    ]
    wh = source.open_warehouse(warehouse)
    try:
        cube = cubes.build_cube(wh)
    finally:
        wh.close()
    options = reporting.ReportOptions(
        year=2023, indicators=("plea_rate", "acquittal_rate", "disposition_days")
    )
    api = json.loads(json.dumps(reporting.to_json(reporting.build_report(cube, options))))
    for key in ("generated",):
        data.pop(key), api.pop(key)
    audit = data["extra"].pop("audit")  # the report carries the whole audit, every cohort year
    assert data == api
    assert audit == run_audit(warehouse).to_json()
    assert audit["years"] == [2023, 2024] and {t["test"] for t in audit["tests"]} == set(TESTS)


def test_no_audit_leaves_the_audit_out(env, warehouse, tmp_path):
    out = tmp_path / "report.json"
    args = ("--warehouse", str(warehouse), "--out", str(out), "--format", "json", "--no-audit")
    cli(env, "report", *args, "--indicator", "plea_rate")
    assert json.loads(out.read_text(encoding="utf-8"))["extra"] == {}


def test_a_year_without_data_writes_an_explicit_no_data_report(env, warehouse, tmp_path):
    out = tmp_path / "empty.html"
    done = cli(env, "report", "--warehouse", str(warehouse), "--out", str(out), "--year", "2030")
    assert "no data: no defendants registered in 2030" in done.stdout
    page = out.read_text(encoding="utf-8")
    assert "no data" in page and "<svg" not in page


def _old_version(warehouse: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "future"
    shutil.copytree(warehouse, copy)
    manifest = json.loads((copy / "_schema.json").read_text())
    manifest["schema_version"] = 99
    (copy / "_schema.json").write_text(json.dumps(manifest))
    return copy


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--warehouse", "{missing}"], "warehouse not found"),
        (["--warehouse", "{future}"], "schema version 99"),
        (["--level", "investigator"], "unknown unit level 'investigator'"),
        (["--level", "national"], "compare units"),
        (["--indicator", "conviction_rank"], "unknown indicator 'conviction_rank'"),
        (["--monitor-level", "ward"], "unknown unit level 'ward'"),
        (["--format", "pdf"], "unknown format 'pdf'"),
        (["--engine", "pandas"], "unknown engine 'pandas'"),
        (["--method", "league"], "unknown funnel method 'league'"),
        (["--year", "12"], "year 12 is out of range"),
    ],
)
def test_bad_input_is_one_line_and_exit_code_2(env, warehouse, tmp_path, args, message):
    missing = tmp_path / "nowhere"
    future = _old_version(warehouse, tmp_path) if "{future}" in args else warehouse
    argv = [a.format(missing=missing, future=future) for a in args]
    if "--warehouse" not in argv:
        argv += ["--warehouse", str(warehouse)]
    out = tmp_path / "report.html"
    done = cli(env, "report", "--out", str(out), *argv, code=2)
    assert message in done.stderr and done.stderr.count("\n") == 1, done.stderr
    assert not out.exists() and not list(tmp_path.glob(".report.html.*"))


def test_an_output_directory_that_does_not_exist_is_refused(env, warehouse, tmp_path):
    out = tmp_path / "no" / "such" / "report.html"
    done = cli(env, "report", "--warehouse", str(warehouse), "--out", str(out), code=2)
    assert "the output's directory does not exist" in done.stderr
