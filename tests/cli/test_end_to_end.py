"""Issue 4's end-to-end path, through the real console script: one defendant from registration
to a final judgment on an adopted plea recommendation, then tamper with a recording."""

from __future__ import annotations

import json
import os

from tests.cli.test_cli import POLICE, cli

PROS = {
    **POLICE,
    "CASELEDGER_ACTOR": "pros-1",
    "CASELEDGER_ROLE": "prosecutor",
    "CASELEDGER_AGENCY": "PRO110105",
}
JUDGE = {
    **POLICE,
    "CASELEDGER_ACTOR": "judge-1",
    "CASELEDGER_ROLE": "judge",
    "CASELEDGER_AGENCY": "CRT110105",
}


def test_registration_to_final_judgment_with_a_plea(env, home, tmp_path):
    def run(who, *args):  # type: ignore[no-untyped-def]
        return json.loads(cli(env, *args, "--json", extra=who).stdout)

    cli(env, "init")
    n = run(
        POLICE,
        "case",
        "register",
        "--reported-on",
        "2026-03-01",
        "--at",
        "2026-03-01",
        "--summary",
        "phone snatched at a bus stop",
        "--defendant",
        "李四",
        "--age",
        "24",
        "--charge",
        "theft",
    )["case_number"]
    run(POLICE, "case", "detain", n, "-d", "1", "--at", "2026-03-01")
    video = tmp_path / "interrogation.mp4"
    video.write_bytes(os.urandom(200_000))
    interrogation = run(
        POLICE,
        "recordings",
        "add",
        n,
        "-d",
        "1",
        str(video),
        "--purpose",
        "interrogation",
        "--media-type",
        "video/mp4",
        "--duration",
        "2400",
        "--participant",
        "investigator:police-9",
        "--at",
        "2026-03-02",
    )["sha256"]
    run(
        POLICE,
        "evidence",
        "collect",
        n,
        "-d",
        "1",
        "--category",
        "defendant_statement",
        "--description",
        "first interrogation",
        "--method",
        "detention centre",
        "--recording",
        interrogation,
        "--at",
        "2026-03-02",
    )
    run(
        POLICE,
        "plea",
        "notify",
        n,
        "-d",
        "1",
        "--item",
        "leniency_rules",
        "--item",
        "duty_lawyer",
        "--at",
        "2026-03-02",
    )
    run(POLICE, "plea", "admit", n, "-d", "1", "--at", "2026-03-02")
    run(POLICE, "case", "bail", n, "-d", "1", "--at", "2026-03-04")
    run(POLICE, "case", "transfer", n, "-d", "1", "--at", "2026-03-20")
    run(
        PROS,
        "plea",
        "counsel",
        n,
        "-d",
        "1",
        "--kind",
        "duty_lawyer",
        "--lawyer",
        "duty-7",
        "--office",
        "county legal aid centre",
        "--at",
        "2026-03-21",
    )
    consultation = tmp_path / "consultation.mp4"
    consultation.write_bytes(os.urandom(150_000))
    sha = run(
        PROS,
        "recordings",
        "add",
        n,
        "-d",
        "1",
        str(consultation),
        "--purpose",
        "plea_consultation",
        "--media-type",
        "video/mp4",
        "--duration",
        "1800",
        "--participant",
        "prosecutor:pros-1",
        "--participant",
        "duty_lawyer:duty-7",
        "--at",
        "2026-03-22",
    )["sha256"]
    run(
        PROS,
        "plea",
        "consult",
        n,
        "-d",
        "1",
        "--recording",
        sha,
        "--participant",
        "prosecutor:pros-1",
        "--participant",
        "duty_lawyer:duty-7",
        "--opinion",
        "agrees with the proposal",
        "--at",
        "2026-03-22",
    )
    signed = run(
        PROS,
        "plea",
        "sign",
        n,
        "-d",
        "1",
        "--counsel-present",
        "duty-7",
        "--sentencing",
        '{"crime": "theft", "facts": {"amount_yuan": 4800}}',
        "--at",
        "2026-03-23",
    )
    assert signed["status"] == "signed" and signed["definite_months"] is not None
    months = signed["definite_months"]
    run(
        PROS,
        "case",
        "assess-evidence",
        n,
        "-d",
        "1",
        "--sufficient",
        "--reasoning",
        "recorded confession, CCTV, the phone recovered",
        "--at",
        "2026-03-24",
    )
    run(PROS, "case", "prosecute", n, "-d", "1", "--evidence", "1", "--at", "2026-03-25")
    run(
        JUDGE,
        "case",
        "procedure",
        n,
        "-d",
        "1",
        "--procedure",
        "fast_track",
        "--expected-months",
        str(months),
        "--facts-clear",
        "--pleaded",
        "--admits",
        "--agrees",
        "--at",
        "2026-03-27",
    )
    adopted = run(
        JUDGE, "plea", "court-decision", n, "-d", "1", "--decision", "adopted", "--at", "2026-04-02"
    )
    assert adopted["court_decision"] == "adopted"
    penalty = "imprisonment" if months >= 6 else "criminal_detention"
    run(
        JUDGE,
        "case",
        "judge",
        n,
        "-d",
        "1",
        "--verdict",
        "convicted",
        "--penalty",
        penalty,
        "--months",
        str(months),
        "--evidence",
        "1",
        "--at",
        "2026-04-02",
    )
    final = run(JUDGE, "case", "final", n, "-d", "1", "--at", "2026-04-13")
    assert final["stage"] == "final"

    assert run({}, "verify")["ok"] is True
    assert run({}, "recordings", "verify")["ok"] is True
    stored = home / "recordings" / "objects" / sha[:2] / sha[2:]
    with open(stored, "r+b") as fh:
        fh.seek(1000)
        fh.write(b"tampered")
    result = cli(env, "recordings", "verify", code=1)
    assert "ALTERED" in result.stdout and sha in result.stdout
