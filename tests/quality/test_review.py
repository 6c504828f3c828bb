"""Case-quality reviews: graded by a quality officer who did not handle the case, once the
handling reached a decision; every refusal writes nothing; the projection keeps every review."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from caseledger.auth.roles import Role
from caseledger.errors import InvalidInput, PermissionDenied, PreconditionFailed
from caseledger.ledger import projection
from caseledger.ledger.envelope import Actor
from caseledger.quality import service
from tests.factories import JUDGE, PROSECUTOR, day, judged, register
from tests.factories import refused as _refused

OFFICER = Actor("qo-0007", Role.quality_officer, "PRO110000")


def _review(db, number, grade="qualified", actor=OFFICER, at=None, reason="sound handling"):
    return db.run(
        lambda s: service.review_case(
            s,
            actor=actor,
            case_number=number,
            defendant_no=1,
            grade=grade,
            reason=reason,
            at=at or day(70),
        )
    )


def _reviews(db, number):
    from caseledger.case.service import get_case_defendant

    with db.read() as s:
        _, d = get_case_defendant(s, number, 1)
        return [(r.grade, r.reviewed_on, r.reviewer_id) for r in service.reviews_of(s, d)]


def test_reviews_are_recorded_and_kept(db):
    number = register(db)
    judged(db, number)
    _review(db, number, "flawed", reason="the arrest decision gave no reasons")
    _review(db, number, "qualified", at=day(80), reason="re-review after the file was completed")
    assert _reviews(db, number) == [
        ("flawed", day(70), "qo-0007"),
        ("qualified", day(80), "qo-0007"),
    ]
    with db.write() as s:
        projection.rebuild(s)
    assert len(_reviews(db, number)) == 2


def test_only_a_quality_officer_reviews(db):
    number = register(db)
    judged(db, number)
    other = Actor("pros-77", Role.prosecutor, "PRO110000")
    _refused(
        db,
        PermissionDenied,
        service.review_case,
        actor=other,
        case_number=number,
        defendant_no=1,
        grade="excellent",
        reason="fine",
        at=day(70),
    )


def test_no_review_before_a_decision(db):
    number = register(db)
    err = _refused(
        db,
        PreconditionFailed,
        service.review_case,
        actor=OFFICER,
        case_number=number,
        defendant_no=1,
        grade="excellent",
        reason="fine",
        at=day(3),
    )
    assert err.context["case"] == number and err.context["defendant"] == 1


def test_an_official_who_acted_in_the_case_may_not_review_it(db):
    number = register(db)
    judged(db, number)
    insider = Actor(PROSECUTOR.id, Role.quality_officer, "PRO110000")
    err = _refused(
        db,
        PreconditionFailed,
        service.review_case,
        actor=insider,
        case_number=number,
        defendant_no=1,
        grade="excellent",
        reason="fine",
        at=day(70),
    )
    assert PROSECUTOR.id in err.message
    judge_as_officer = Actor(JUDGE.id, Role.quality_officer, "CRT110000")
    _refused(
        db,
        PreconditionFailed,
        service.review_case,
        actor=judge_as_officer,
        case_number=number,
        defendant_no=1,
        grade="excellent",
        reason="fine",
        at=day(70),
    )


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"grade": "superb"}, InvalidInput),
        ({"reason": "   "}, InvalidInput),
        ({"at": day(10)}, InvalidInput),  # before the judgment (day 50)
    ],
)
def test_review_input_is_checked(db, kwargs, error):
    number = register(db)
    judged(db, number)
    args = {"grade": "qualified", "reason": "ok", "at": day(70), **kwargs}
    _refused(
        db, error, service.review_case, actor=OFFICER, case_number=number, defendant_no=1, **args
    )


EXE = Path(sys.executable).parent / "caseledger"


def test_review_through_the_cli(db, db_url, tmp_path):
    number = register(db)
    judged(db, number)
    env = {
        "CASELEDGER_DATABASE_URL": db_url,
        "CASELEDGER_HOME": str(tmp_path),
        "CASELEDGER_ACTOR": "qo-1",
        "CASELEDGER_ROLE": "quality_officer",
        "CASELEDGER_AGENCY": "PRO110000",
        "PATH": "/usr/bin:/bin",
    }

    def run(*args: str, code: int = 0) -> subprocess.CompletedProcess[str]:
        out = subprocess.run([str(EXE), *args], env=env, capture_output=True, text=True, timeout=60)
        assert out.returncode == code, out.stderr
        assert "Traceback" not in out.stderr
        return out

    run(
        "quality", "review", number, "-d", "1", "--grade", "unqualified",
        "--reason", "sentence outside the recommendation without reasons", "--at", "2026-03-20",
    )  # fmt: skip
    bad = run("quality", "review", number, "-d", "1", "--grade", "excellent", "--reason", " ",
              "--at", "2026-03-21", code=2)  # fmt: skip
    assert "reason" in bad.stderr and number in bad.stderr
    rows = json.loads(run("quality", "reviews", number, "-d", "1", "--json").stdout)
    assert [(r["grade"], r["reviewer"]) for r in rows] == [("unqualified", "qo-1")]
