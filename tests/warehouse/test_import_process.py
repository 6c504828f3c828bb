"""The import as a process: the real console script, exit codes, the progress bar, a kill."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from caseledger.warehouse import transaction, writer
from tests.warehouse.conftest import read, rows_of, write_rows

EXE = Path(sys.executable).parent / "caseledger"


def run(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(EXE), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


def test_console_script_exit_codes_and_one_line(files: dict[str, Path], tmp_path: Path) -> None:
    ok = run("import", files["csv"], "--warehouse", tmp_path / "wh", "--json")
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["rejected"] == 0
    rows = rows_of(files["csv"])[:20]
    rows[3]["verdict"] = "guilty"
    write_rows(tmp_path / "bad.csv", rows)
    bad = run("import", tmp_path / "bad.csv", "--warehouse", tmp_path / "wh2")
    assert bad.returncode == 2
    assert bad.stderr.strip().splitlines() == [
        f"error: 1 of 20 rows rejected, 19 imported [rejects={tmp_path / 'bad.rejects.csv'}]"
    ]
    assert "Traceback" not in bad.stderr and "guilty" not in bad.stderr
    assert "verdict: vocabulary" in bad.stdout  # the summary names field and check


def test_progress_bar_on_a_terminal(files: dict[str, Path], tmp_path: Path) -> None:
    shown = run(
        "import",
        files["jsonl"],
        files["csv"],
        "--warehouse",
        tmp_path / "wh",
        "--json",
        env={"FORCE_COLOR": "1", "TTY_INTERACTIVE": "1", "COLUMNS": "120"},
    )
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)["rejected"] == 0  # stdout stays clean JSON
    assert "import" in shown.stderr and "ETA" in shown.stderr and "%" in shown.stderr
    plain = run("import", files["csv"], "--warehouse", tmp_path / "wh")  # stderr not a terminal
    assert plain.returncode == 0 and plain.stderr == ""
    quiet = run(
        "import",
        files["csv"],
        "--warehouse",
        tmp_path / "wh",
        "--quiet",
        env={"FORCE_COLOR": "1", "TTY_INTERACTIVE": "1"},
    )
    assert quiet.returncode == 0 and quiet.stderr == "" and quiet.stdout == ""


@pytest.mark.slow
def test_killed_imports_leave_all_or_nothing_and_the_rerun_completes(
    files: dict[str, Path], source: Path, tmp_path: Path
) -> None:
    rng = random.Random(5)
    n_def, n_ev = read(source, "defendants").height, read(source, "events").height
    for i in range(5):
        wh = tmp_path / f"wh{i}"
        proc = subprocess.Popen(
            [
                str(EXE),
                "import",
                str(files["csv"]),
                str(files["jsonl"]),
                "--warehouse",
                str(wh),
                "-q",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(0.2 if i == 0 else rng.uniform(0.5, 4.0))  # the first: before any commit
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
        proc.wait()
        done = writer.is_warehouse(wh) and writer.read_manifest(wh)["rows"]["defendants"]
        if done:  # committed: everything is there, exactly once
            assert read(wh, "defendants").height == n_def
            assert read(wh, "events").height == n_ev
        else:  # not committed: no row is there
            assert not (wh / "defendants").exists() and not (wh / "events").exists()
        assert not (done and i == 0)
        rerun = run("import", files["csv"], files["jsonl"], "--warehouse", wh, "--json")
        assert rerun.returncode == 0, rerun.stderr
        statuses = {f["status"] for f in json.loads(rerun.stdout)["files"]}
        assert statuses == ({"already imported"} if done else {"imported"})
        d, e = read(wh, "defendants"), read(wh, "events")
        assert d.height == n_def and d["defendant_id"].is_unique().all()
        assert e.height == n_ev and e.select("defendant_id", "seq").is_unique().all()
        assert transaction.verify(wh) == []
        assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(f".wh{i}.")) == [
            f".wh{i}.lock"
        ]
