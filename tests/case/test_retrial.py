"""Retrial of a final judgment (trial supervision) and withdrawal of one suspect: the happy
paths, and every refusal writes nothing and names the case, the defendant and the rule."""

from __future__ import annotations

import pytest

from caseledger.case import lifecycle, queries, retrial, trial
from caseledger.errors import (
    InvalidInput,
    PermissionDenied,
    PreconditionFailed,
    TransitionNotAllowed,
)
from tests.factories import JUDGE, POLICE, PROSECUTOR, day, judged, register
from tests.factories import refused as _refused


def _final(db, number, no=1, **judgment):
    judged(db, number, no, **judgment)
    db.run(
        lambda s: trial.declare_final(
            s, actor=JUDGE, case_number=number, defendant_no=no, at=day(61)
        )
    )


def _state(db, number, no=1):
    with db.read() as s:
        return queries.show_case(s, number).defendants[no - 1]


def _retry(db, number, **kwargs):
    args = {"initiated_by": "petition", "reason": "new evidence (CPL 253(1))", "at": day(90)}
    args.update(kwargs)
    return db.run(
        lambda s: retrial.decide_retrial(s, actor=JUDGE, case_number=number, defendant_no=1, **args)
    )


def test_acquittal_on_retrial_corrects_a_wrongful_conviction(db):
    number = register(db)
    _final(db, number)
    _retry(db, number, outcome="acquitted", reason="the confession was obtained illegally")
    d = _state(db, number)
    assert (d.stage, d.verdict, d.measure) == ("final", "acquitted", "none")
    with db.read() as s:
        timeline = [e.event_type for e in queries.show_case(s, number).timeline]
    # The original judgment stays in the chain; the retrial is a new act on top of it.
    assert timeline[-3:] == ["judgment.rendered", "judgment.final", "judgment.retrial_decided"]


def test_amended_on_retrial_and_no_heavier_sentence_without_protest(db):
    number = register(db)
    _final(db, number, term_months=12)
    err = _refused(
        db,
        PreconditionFailed,
        retrial.decide_retrial,
        actor=JUDGE,
        case_number=number,
        defendant_no=1,
        outcome="amended",
        initiated_by="petition",
        reason="re-assessed",
        verdict="convicted",
        penalty_type="imprisonment",
        term_months=18,
        at=day(90),
    )
    assert "heavier" in err.message and err.context["case"] == number
    _retry(
        db,
        number,
        outcome="amended",
        initiated_by="protest",
        verdict="convicted",
        penalty_type="imprisonment",
        term_months=18,
    )
    d = _state(db, number)
    assert (d.verdict, d.term_months, d.stage) == ("convicted", 18, "final")


def test_retrial_only_of_a_final_judgment_and_only_by_a_judge(db):
    number = register(db)
    judged(db, number)  # judged, not yet final: the appeal is the remedy
    _refused(
        db,
        TransitionNotAllowed,
        retrial.decide_retrial,
        actor=JUDGE,
        case_number=number,
        defendant_no=1,
        outcome="upheld",
        initiated_by="court",
        reason="review",
        at=day(55),
    )
    db.run(
        lambda s: trial.declare_final(
            s, actor=JUDGE, case_number=number, defendant_no=1, at=day(61)
        )
    )
    _refused(
        db,
        PermissionDenied,
        retrial.decide_retrial,
        actor=PROSECUTOR,
        case_number=number,
        defendant_no=1,
        outcome="upheld",
        initiated_by="protest",
        reason="review",
        at=day(70),
    )


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"outcome": "upheld", "term_months": 6}, "term_months"),
        ({"outcome": "amended"}, "verdict"),
        ({"outcome": "amended", "verdict": "acquitted"}, "outcome"),
        (
            {
                "outcome": "amended",
                "verdict": "convicted",
                "penalty_type": "imprisonment",
                "term_months": 400,
            },
            "term_months",
        ),
        ({"outcome": "upheld", "reason": "  "}, "reason"),
    ],
)
def test_retrial_input_is_checked(db, kwargs, field):
    number = register(db)
    _final(db, number)
    args = {"initiated_by": "court", "reason": "review", "at": day(90), **kwargs}
    err = _refused(
        db,
        InvalidInput,
        retrial.decide_retrial,
        actor=JUDGE,
        case_number=number,
        defendant_no=1,
        **args,
    )
    assert err.context.get("field") == field


def test_retrial_is_not_dated_before_the_judgment_took_effect(db):
    number = register(db)
    _final(db, number)
    _refused(
        db,
        InvalidInput,
        retrial.decide_retrial,
        actor=JUDGE,
        case_number=number,
        defendant_no=1,
        outcome="upheld",
        initiated_by="court",
        reason="review",
        at=day(60),
    )


def test_an_acquitted_defendant_cannot_be_acquitted_again(db):
    number = register(db)
    _final(db, number, verdict="acquitted", penalty_type=None, term_months=None)
    _refused(
        db,
        PreconditionFailed,
        retrial.decide_retrial,
        actor=JUDGE,
        case_number=number,
        defendant_no=1,
        outcome="acquitted",
        initiated_by="petition",
        reason="review",
        at=day(90),
    )


def test_withdrawing_one_suspect_leaves_the_case_and_the_others(db):
    number = register(db, defendants=2)
    db.run(
        lambda s: lifecycle.withdraw_defendant(
            s, actor=POLICE, case_number=number, defendant_no=2, reason="no_crime", at=day(3)
        )
    )
    with db.read() as s:
        case = queries.show_case(s, number)
    assert [d.stage for d in case.defendants] == ["investigation", "withdrawn"]
    assert case.status == "open"
    _refused(
        db,
        TransitionNotAllowed,
        lifecycle.withdraw_defendant,
        actor=POLICE,
        case_number=number,
        defendant_no=2,
        reason="no_crime",
        at=day(4),
    )
    _refused(
        db,
        InvalidInput,
        lifecycle.withdraw_defendant,
        actor=POLICE,
        case_number=number,
        defendant_no=1,
        reason="concluded",
        at=day(4),
    )
    _refused(
        db,
        PermissionDenied,
        lifecycle.withdraw_defendant,
        actor=PROSECUTOR,
        case_number=number,
        defendant_no=1,
        reason="no_crime",
        at=day(4),
    )
