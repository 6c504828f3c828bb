"""The CLI through its real console script, as a user runs it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

EXE = Path(sys.executable).parent / "caseledger"
POLICE = {
    "CASELEDGER_ACTOR": "police-9",
    "CASELEDGER_ROLE": "investigator",
    "CASELEDGER_AGENCY": "PSB110105",
}


def cli(
    env: dict[str, str], *args: str, extra: dict[str, str] | None = None, code: int = 0
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(EXE), *args], env={**env, **(extra or {})}, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == code, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    return result


def test_init_is_idempotent_and_creates_the_key(env, home):
    first = json.loads(cli(env, "init", "--json").stdout)
    second = json.loads(cli(env, "init", "--json").stdout)
    assert first["revision"] == second["revision"] == second["revision_before"]
    assert (home / "keys" / "checkpoint-ed25519.pub").exists()


def test_register_act_show_verify_checkpoint(env):
    cli(env, "init")
    out = json.loads(
        cli(
            env,
            "case",
            "register",
            "--reported-on",
            "2026-03-01",
            "--at",
            "2026-03-02",
            "--summary",
            "phone stolen",
            "--defendant",
            "王五",
            "--age",
            "25",
            "--charge",
            "theft",
            "--json",
            extra=POLICE,
        ).stdout
    )
    number = out["case_number"]
    state = json.loads(
        cli(
            env, "case", "detain", number, "-d", "1", "--at", "2026-03-02", "--json", extra=POLICE
        ).stdout
    )
    assert state["measure"] == "criminal_detention"
    shown = json.loads(cli(env, "case", "show", number, "--json").stdout)
    assert [t["event_type"] for t in shown["timeline"]] == [
        "case.registered",
        "defendant.added",
        "charge.added",
        "measure.imposed",
    ]
    assert shown["timeline"][3]["legal_basis"] == "CPL art 82"
    human = cli(env, "case", "show", number).stdout
    assert "王五" in human and "criminal_detention" in human
    late = json.loads(cli(env, "overdue", "--as-of", "2026-03-10", "--json").stdout)
    assert [(r["limit_id"], r["due_on"]) for r in late] == [
        ("arrest_request_after_detention", "2026-03-05")
    ]
    cli(env, "checkpoint")
    assert json.loads(cli(env, "verify", "--json").stdout)["ok"] is True
    assert json.loads(cli(env, "rebuild", "--json").stdout)["events_replayed"] == 4


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["case", "judge", "{n}", "-d", "1", "--verdict", "acquitted", "--at", "2026-03-03"],
            "stage 'investigation'",
        ),
        (["case", "charge", "{n}", "-d", "1", "--crime", "stealing"], "unknown crime code"),
        (["case", "detain", "{n}", "-d", "1", "--at", "2026-02-30"], "malformed date"),
        (["case", "detain", "{n}", "-d", "1", "--at", "2099-01-01"], "future"),
        (["case", "detain", "{n}", "-d", "7"], "no defendant 7"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_writes_nothing(env, args, message):
    cli(env, "init")
    number = json.loads(
        cli(
            env,
            "case",
            "register",
            "--reported-on",
            "2026-03-01",
            "--at",
            "2026-03-02",
            "--summary",
            "x",
            "--defendant",
            "A",
            "--charge",
            "theft",
            "--json",
            extra=POLICE,
        ).stdout
    )["case_number"]
    before = json.loads(cli(env, "case", "show", number, "--json").stdout)["timeline"]
    role = {"CASELEDGER_ROLE": "judge"} if args[1] == "judge" else {}
    result = cli(env, *[a.format(n=number) for a in args], extra={**POLICE, **role}, code=2)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert message in result.stderr and lines[0].startswith("error:")
    assert number in result.stderr or "field=at" in result.stderr or "7" in result.stderr
    after = json.loads(cli(env, "case", "show", number, "--json").stdout)["timeline"]
    assert after == before


def test_uninitialised_database_is_a_clear_error(env, tmp_path):
    empty = {"CASELEDGER_DATABASE_URL": f"sqlite:///{tmp_path / 'empty.db'}"}
    result = cli(env, "case", "list", extra=empty, code=2)
    assert "caseledger init" in result.stderr
    unreachable = {"CASELEDGER_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"}
    result = cli(env, "case", "list", extra=unreachable, code=2)
    assert "cannot open the database" in result.stderr


def test_verify_fails_with_non_zero_exit_after_tampering(env, home, db_url):
    if not db_url.startswith("sqlite"):
        pytest.skip("tampering by hand is shown on the SQLite file")
    import sqlite3

    cli(env, "init")
    cli(
        env,
        "case",
        "register",
        "--reported-on",
        "2026-03-01",
        "--at",
        "2026-03-02",
        "--summary",
        "x",
        extra=POLICE,
    )
    cli(env, "checkpoint")
    path = db_url.removeprefix("sqlite:///")
    conn = sqlite3.connect(path)
    conn.execute("DROP TRIGGER events_no_update")
    conn.execute("UPDATE events SET actor_id = 'forger'")
    conn.commit()
    conn.close()
    result = cli(env, "verify", code=1)
    assert "BROKEN" in result.stdout and "seq 1" in result.stdout


def test_config_and_crimes(env):
    rows = json.loads(cli(env, "config", "--json").stdout)
    assert {r["setting"] for r in rows} >= {"CASELEDGER_DATABASE_URL", "CASELEDGER_HOME"}
    crimes = json.loads(cli(env, "crimes", "--json").stdout)
    assert any(c["code"] == "dangerous_driving" and c["cl_article"] == "133-1" for c in crimes)


def test_demo_builds_a_verified_ledger(env, home, db_url):
    if not db_url.startswith("sqlite"):
        pytest.skip("the demo always builds its own SQLite file")
    result = json.loads(cli(env, "demo", "--synthetic", "40", "--json").stdout)
    assert result["verified"] is True and result["cases"] >= 30
    part = result["synthetic"]
    assert part["defendants"] == 40 and part["warehouse_events"] > part["events"] > 800
    assert (Path(result["home"]) / "warehouse" / "_schema.json").exists()
    stages = result["by_stage"]
    assert stages.get("not_prosecuted", 0) >= 3 and stages.get("executing", 0) >= 5
    assert result["pleas"] == {"admitted": 2, "decided": 2, "withdrawn": 1}
    demo_env = {
        **env,
        "CASELEDGER_DATABASE_URL": result["database_url"],
        "CASELEDGER_HOME": result["home"],
    }
    assert json.loads(cli(demo_env, "verify", "--json").stdout)["ok"] is True
    shutil.rmtree(home / "demo")


def test_recording_add_and_verify_through_the_cli(env, home, tmp_path):
    cli(env, "init")
    number = json.loads(
        cli(
            env,
            "case",
            "register",
            "--reported-on",
            "2026-03-01",
            "--at",
            "2026-03-02",
            "--summary",
            "x",
            "--defendant",
            "A",
            "--charge",
            "robbery",
            "--json",
            extra=POLICE,
        ).stdout
    )["case_number"]
    video = tmp_path / "interrogation.mp4"
    video.write_bytes(os.urandom(300_000))
    args = [
        "recordings",
        "add",
        number,
        "-d",
        "1",
        str(video),
        "--purpose",
        "interrogation",
        "--media-type",
        "video/mp4",
        "--duration",
        "1200",
        "--participant",
        "investigator:police-9",
        "--at",
        "2026-03-03",
    ]
    bad = cli(env, *args, "--sha256", "0" * 64, extra=POLICE, code=2)
    assert "does not match" in bad.stderr
    assert not (home / "recordings" / "objects").exists() or not any(
        (home / "recordings" / "objects").rglob("*.*")
    )
    out = json.loads(cli(env, *args, "--json", extra=POLICE).stdout)
    assert json.loads(cli(env, "recordings", "verify", "--json").stdout)["ok"] is True
    stored = home / "recordings" / "objects" / out["sha256"][:2] / out["sha256"][2:]
    with open(stored, "r+b") as fh:
        fh.write(b"\x00\x00")
    result = cli(env, "recordings", "verify", code=1)
    assert "ALTERED" in result.stdout and out["sha256"] in result.stdout


def test_excluded_evidence_cannot_be_cited_through_the_cli(env):
    cli(env, "init")
    number = json.loads(
        cli(
            env,
            "case",
            "register",
            "--reported-on",
            "2026-03-01",
            "--at",
            "2026-03-02",
            "--summary",
            "x",
            "--defendant",
            "A",
            "--charge",
            "theft",
            "--json",
            extra=POLICE,
        ).stdout
    )["case_number"]
    item = json.loads(
        cli(
            env,
            "evidence",
            "collect",
            number,
            "-d",
            "1",
            "--category",
            "defendant_statement",
            "--description",
            "confession",
            "--method",
            "interrogation",
            "--at",
            "2026-03-03",
            "--json",
            extra=POLICE,
        ).stdout
    )["item_no"]
    cli(env, "case", "transfer", number, "-d", "1", "--at", "2026-03-04", extra=POLICE)
    pros = {"CASELEDGER_ROLE": "prosecutor", "CASELEDGER_AGENCY": "PRO110105"}
    out = json.loads(
        cli(
            env,
            "evidence",
            "exclusion",
            number,
            "-d",
            "1",
            "--item",
            str(item),
            "--exclude",
            "--stage",
            "prosecution_review",
            "--ground",
            "threats",
            "--at",
            "2026-03-05",
            "--json",
            extra={**POLICE, **pros},
        ).stdout
    )
    assert out["status"] == "excluded"
    result = cli(
        env,
        "case",
        "prosecute",
        number,
        "-d",
        "1",
        "--evidence",
        str(item),
        "--at",
        "2026-03-06",
        extra={**POLICE, **pros},
        code=2,
    )
    assert "excluded" in result.stderr and "CPL art 56" in result.stderr
