"""Factories: actors and a defendant walked through the lifecycle with the real commands."""

from __future__ import annotations

import datetime as dt

from caseledger.auth.roles import Role
from caseledger.case import lifecycle, service, trial
from caseledger.db import Database
from caseledger.ledger.envelope import Actor

POLICE = Actor("police-1", Role.investigator, "PSB110105")
PROSECUTOR = Actor("pros-1", Role.prosecutor, "PRO110105")
JUDGE = Actor("judge-1", Role.judge, "CRT110105")
COUNSEL = Actor("lawyer-1", Role.defence_counsel, "BAR110000")

D0 = dt.date(2026, 1, 5)


def day(n: int) -> dt.date:
    return D0 + dt.timedelta(days=n)


def register(
    db: Database,
    *,
    crime: str = "theft",
    age: int | None = 30,
    defendants: int = 1,
    on: dt.date = D0,
) -> str:
    people = [
        service.NewDefendant(name=f"嫌疑人{i}", age_at_offence=age, charges=[crime])
        for i in range(defendants)
    ]
    return db.run(
        lambda s: (
            service.register_case(
                s,
                actor=POLICE,
                reported_on=on,
                summary="a reported theft",
                at=on,
                defendants=people,
            ).case_number
        )
    )


FAST_TRACK = trial.ProcedureFacts(
    expected_sentence_months=8,
    facts_clear_evidence_sufficient=True,
    pleaded=True,
    admits_crime=True,
    agrees_to_procedure=True,
)


def to_trial(db: Database, number: str, no: int = 1, procedure: str = "fast_track") -> None:
    """Detain, arrest, transfer, prosecute and assign a procedure, on fixed past days."""
    steps = [
        (lifecycle.impose_measure, POLICE, {"measure": "criminal_detention"}, 0),
        (lifecycle.request_arrest, POLICE, {}, 2),
        (lifecycle.decide_arrest, PROSECUTOR, {"approved": True}, 5),
        (lifecycle.transfer_for_prosecution, POLICE, {}, 30),
        (
            lifecycle.assess_evidence,
            PROSECUTOR,
            {"sufficient": True, "reasoning": "sufficient"},
            39,
        ),
        (lifecycle.decide_prosecution, PROSECUTOR, {"prosecute": True}, 40),
        (trial.assign_procedure, JUDGE, {"procedure": procedure, "facts": FAST_TRACK}, 42),
    ]
    for fn, actor, kwargs, offset in steps:
        db.run(
            lambda s, fn=fn, actor=actor, kwargs=kwargs, offset=offset: fn(
                s, actor=actor, case_number=number, defendant_no=no, at=day(offset), **kwargs
            )
        )


def judged(db: Database, number: str, no: int = 1, **judgment: object) -> None:
    to_trial(db, number, no)
    kwargs = {"verdict": "convicted", "penalty_type": "imprisonment", "term_months": 8}
    kwargs.update(judgment)
    db.run(
        lambda s: trial.render_judgment(
            s, actor=JUDGE, case_number=number, defendant_no=no, at=day(50), **kwargs
        )
    )


def event_count(db: Database) -> int:
    from sqlalchemy import func, select

    from caseledger.ledger.models import Event

    with db.read() as s:
        return s.execute(select(func.count()).select_from(Event)).scalar_one()


def refused(db: Database, error: type[Exception], fn, **kwargs):  # type: ignore[no-untyped-def]
    """Run a command that must be refused with ``error``; check that it wrote nothing."""
    import pytest

    before = event_count(db)
    with pytest.raises(error) as info:
        db.run(lambda s: fn(s, **kwargs))
    assert event_count(db) == before, "a refused act wrote something"
    return info.value
