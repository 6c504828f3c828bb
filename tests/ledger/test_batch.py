"""Group commit (``Database.batch``): live results, refusals undone alone, one transaction."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from caseledger.case import lifecycle, service
from caseledger.case.models import Case
from caseledger.errors import CaseledgerError, InvalidInput, PermissionDenied
from caseledger.ledger import verify as verifier
from tests.factories import D0, POLICE, PROSECUTOR, day


def _types(db) -> list[tuple[str, int, str]]:
    with db.read() as s:
        return [
            tuple(r)
            for r in s.execute(
                text(
                    "SELECT c.case_number, e.seq, e.event_type FROM events e "
                    "JOIN cases c ON c.case_id = e.case_id ORDER BY c.case_number, e.seq"
                )
            )
        ]


def test_a_batch_acts_on_what_it_registered_and_undoes_refusals_alone(db, home):
    with db.batch() as b:
        case = b.run(
            service.register_case,
            actor=POLICE,
            reported_on=D0,
            summary="theft",
            at=D0,
            defendants=[service.NewDefendant(name="甲", charges=["theft"])],
        )
        assert isinstance(case, Case)
        number = case.case_number
        refused = b.run(
            lifecycle.decide_arrest,
            actor=POLICE,  # wrong role
            case_number=number,
            defendant_no=1,
            approved=True,
            at=day(1),
        )
        # refused after two of its events were appended: the whole command is undone
        half = b.run(
            service.register_case,
            actor=POLICE,
            reported_on=D0,
            summary="two suspects",
            at=D0,
            defendants=[
                service.NewDefendant(name="乙", charges=["theft"]),
                service.NewDefendant(name=" ", charges=["theft"]),
            ],
        )
        d = b.run(
            lifecycle.impose_measure,
            actor=POLICE,
            case_number=number,
            defendant_no=1,
            measure="criminal_detention",
            at=day(1),
        )
        assert d.measure == "criminal_detention"
        assert isinstance(refused, PermissionDenied) and isinstance(half, InvalidInput)
        assert [(i, type(e)) for i, e in b.errors] == [(1, PermissionDenied), (2, InvalidInput)]
        third = b.run(service.register_case, actor=POLICE, reported_on=D0, summary="later", at=D0)
    # the refused registration did not use up a case number
    assert third.case_number.endswith("000002")
    assert _types(db) == [
        (number, 1, "case.registered"),
        (number, 2, "defendant.added"),
        (number, 3, "charge.added"),
        (number, 4, "measure.imposed"),
        (third.case_number, 1, "case.registered"),
    ]
    with db.read() as s:
        assert s.execute(text("SELECT count(*) FROM personal_data")).scalar_one() == 1
        assert s.execute(text("SELECT count(*) FROM defendants")).scalar_one() == 1
        report = verifier.verify(s, key_path=home / "k.pem", checkpoint_dir=home / "c")
    assert report.ok


def test_an_exception_escaping_the_block_rolls_back_the_whole_batch(db):
    with pytest.raises(RuntimeError), db.batch() as b:
        b.run(service.register_case, actor=POLICE, reported_on=D0, summary="x", at=D0)
        raise RuntimeError("boom")
    assert _types(db) == []


def test_commit_makes_what_ran_durable_and_the_batch_goes_on(db):
    with pytest.raises(RuntimeError), db.batch() as b:
        b.run(service.register_case, actor=POLICE, reported_on=D0, summary="kept", at=D0)
        b.commit()
        b.run(service.register_case, actor=PROSECUTOR, reported_on=D0, summary="lost", at=D0)
        raise RuntimeError("boom")
    assert [t[2] for t in _types(db)] == ["case.registered"]


def test_run_batch_returns_one_result_or_error_per_command(db):
    number = db.run(
        lambda s: (
            service.register_case(
                s,
                actor=POLICE,
                reported_on=D0,
                summary="x",
                at=D0,
                defendants=[service.NewDefendant(name="甲", charges=["theft"])],
            ).case_number
        )
    )
    out = db.run_batch(
        [
            lambda s: lifecycle.request_arrest(
                s, actor=PROSECUTOR, case_number=number, defendant_no=1, at=day(1)
            ),
            lambda s: lifecycle.request_arrest(
                s, actor=POLICE, case_number=number, defendant_no=1, at=day(1)
            ),
            lambda s: lifecycle.request_arrest(
                s, actor=POLICE, case_number=number, defendant_no=1, at=day(1)
            ),
        ],
        stop_on_error=False,
    )
    assert [type(r).__name__ for r in out] == [
        "PermissionDenied",
        "Defendant",
        "TransitionNotAllowed",
    ]
    assert all(isinstance(r, CaseledgerError) for r in (out[0], out[2]))
