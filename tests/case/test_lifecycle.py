"""Each legal act: the happy path; each refusal writes nothing and names case, defendant, rule."""

from __future__ import annotations

import pytest

from caseledger.case import lifecycle, queries, trial
from caseledger.errors import (
    InvalidInput,
    PermissionDenied,
    PreconditionFailed,
    TransitionNotAllowed,
)
from tests.factories import (
    COUNSEL,
    FAST_TRACK,
    JUDGE,
    POLICE,
    PROSECUTOR,
    day,
    judged,
    register,
    to_trial,
)
from tests.factories import (
    refused as _refused,
)


def _assess(db, number, sufficient: bool, at, no: int = 1) -> None:
    db.run(
        lambda s: lifecycle.assess_evidence(
            s,
            actor=PROSECUTOR,
            case_number=number,
            defendant_no=no,
            sufficient=sufficient,
            reasoning="assessment",
            at=at,
        )
    )


def _state(db, number, no=1):
    with db.read() as s:
        return queries.show_case(s, number).defendants[no - 1]


def test_full_path_to_execution(db):
    number = register(db)
    judged(db, number, term_months=8)
    db.run(
        lambda s: trial.declare_final(
            s, actor=JUDGE, case_number=number, defendant_no=1, at=day(61)
        )
    )
    db.run(
        lambda s: trial.start_execution(
            s, actor=JUDGE, case_number=number, defendant_no=1, at=day(62)
        )
    )
    d = _state(db, number)
    assert (d.stage, d.measure, d.verdict, d.term_months) == ("executing", "none", "convicted", 8)
    assert d.detained_days == 63  # criminal detention from day 0, arrest from day 5, to day 62


def test_judgment_before_trial_is_an_illegal_transition(db):
    number = register(db)
    err = _refused(
        db,
        TransitionNotAllowed,
        trial.render_judgment,
        actor=JUDGE,
        case_number=number,
        defendant_no=1,
        verdict="acquitted",
        at=day(1),
    )
    assert err.context["case"] == number and err.context["defendant"] == 1
    assert err.context["rule"] == "CPL art 200"


def test_wrong_role_is_refused(db):
    number = register(db)
    _refused(
        db,
        PermissionDenied,
        lifecycle.decide_arrest,
        actor=POLICE,
        case_number=number,
        defendant_no=1,
        approved=True,
        at=day(1),
    )


def test_judgment_dated_before_indictment_is_refused(db):
    number = register(db)
    to_trial(db, number)
    err = _refused(
        db,
        InvalidInput,
        trial.render_judgment,
        actor=JUDGE,
        case_number=number,
        defendant_no=1,
        verdict="acquitted",
        at=day(20),
    )
    assert "lifecycle order" in err.context["rule"]


def test_refused_arrest_needs_ground_and_releases(db):
    number = register(db)
    db.run(
        lambda s: lifecycle.impose_measure(
            s,
            actor=POLICE,
            case_number=number,
            defendant_no=1,
            measure="criminal_detention",
            at=day(0),
        )
    )
    db.run(
        lambda s: lifecycle.request_arrest(
            s, actor=POLICE, case_number=number, defendant_no=1, at=day(2)
        )
    )
    _refused(
        db,
        InvalidInput,
        lifecycle.decide_arrest,
        actor=PROSECUTOR,
        case_number=number,
        defendant_no=1,
        approved=False,
        at=day(4),
    )
    db.run(
        lambda s: lifecycle.decide_arrest(
            s,
            actor=PROSECUTOR,
            case_number=number,
            defendant_no=1,
            approved=False,
            ground="no_necessity",
            then_measure="bail",
            at=day(4),
        )
    )
    d = _state(db, number)
    assert (d.stage, d.measure, d.arrest_decision, d.arrest_refusal_ground) == (
        "investigation",
        "bail",
        "refused",
        "no_necessity",
    )
    assert d.detained_days == 5


def test_at_most_two_supplementary_investigations(db):
    number = register(db)
    db.run(
        lambda s: lifecycle.transfer_for_prosecution(
            s, actor=POLICE, case_number=number, defendant_no=1, at=day(1)
        )
    )
    for r in range(2):
        db.run(
            lambda s, r=r: lifecycle.return_for_supplementary_investigation(
                s,
                actor=PROSECUTOR,
                case_number=number,
                defendant_no=1,
                reason="more",
                at=day(2 + r * 2),
            )
        )
        db.run(
            lambda s, r=r: lifecycle.resubmit(
                s, actor=POLICE, case_number=number, defendant_no=1, at=day(3 + r * 2)
            )
        )
    err = _refused(
        db,
        PreconditionFailed,
        lifecycle.return_for_supplementary_investigation,
        actor=PROSECUTOR,
        case_number=number,
        defendant_no=1,
        reason="more",
        at=day(8),
    )
    assert err.context["rule"].startswith("CPL art 175")
    _assess(db, number, False, day(9))
    db.run(
        lambda s: lifecycle.decide_prosecution(
            s,
            actor=PROSECUTOR,
            case_number=number,
            defendant_no=1,
            prosecute=False,
            ground="insufficient_evidence",
            at=day(9),
        )
    )
    d = _state(db, number)
    assert (d.stage, d.prosecution_decision, d.non_prosecution_ground, d.returns) == (
        "not_prosecuted",
        "not_prosecuted",
        "insufficient_evidence",
        2,
    )


def test_non_prosecution_needs_a_known_ground(db):
    number = register(db)
    db.run(
        lambda s: lifecycle.transfer_for_prosecution(
            s, actor=POLICE, case_number=number, defendant_no=1, at=day(1)
        )
    )
    _refused(
        db,
        InvalidInput,
        lifecycle.decide_prosecution,
        actor=PROSECUTOR,
        case_number=number,
        defendant_no=1,
        prosecute=False,
        at=day(2),
    )
    with pytest.raises(ValueError):
        db.run(
            lambda s: lifecycle.decide_prosecution(
                s,
                actor=PROSECUTOR,
                case_number=number,
                defendant_no=1,
                prosecute=False,
                ground="tired",
                at=day(2),
            )
        )


def test_fast_track_conditions_are_checked(db):
    number = register(db, age=16)
    steps = [
        (lifecycle.transfer_for_prosecution, POLICE, {}),
        (lifecycle.assess_evidence, PROSECUTOR, {"sufficient": True, "reasoning": "r"}),
        (lifecycle.decide_prosecution, PROSECUTOR, {"prosecute": True}),
    ]
    for i, (fn, actor, kw) in enumerate(steps):
        db.run(
            lambda s, fn=fn, actor=actor, kw=kw, i=i: fn(
                s, actor=actor, case_number=number, defendant_no=1, at=day(i + 1), **kw
            )
        )
    err = _refused(
        db,
        PreconditionFailed,
        trial.assign_procedure,
        actor=JUDGE,
        case_number=number,
        defendant_no=1,
        procedure="fast_track",
        facts=FAST_TRACK,
        at=day(4),
    )
    assert "minor" in err.message and "CPL art 223(2)" in err.message
    too_long = FAST_TRACK.model_copy(update={"expected_sentence_months": 48, "minor": False})
    err = _refused(
        db,
        PreconditionFailed,
        trial.assign_procedure,
        actor=JUDGE,
        case_number=number,
        defendant_no=1,
        procedure="fast_track",
        facts=too_long,
        at=day(4),
    )
    assert "3 years or less" in err.message
    db.run(
        lambda s: trial.assign_procedure(
            s, actor=JUDGE, case_number=number, defendant_no=1, procedure="ordinary", at=day(4)
        )
    )


def test_sentence_frame_and_probation(db):
    number = register(db)
    to_trial(db, number)
    bad = [
        ({"penalty_type": "imprisonment", "term_months": 3}, "outside 6-180"),
        ({"penalty_type": "criminal_detention", "term_months": 7}, "outside 1-6"),
        (
            {
                "penalty_type": "imprisonment",
                "term_months": 48,
                "probation": True,
                "probation_months": 60,
            },
            "3 years or less",
        ),
        (
            {
                "penalty_type": "imprisonment",
                "term_months": 24,
                "probation": True,
                "probation_months": 12,
            },
            "24-60",
        ),
        ({}, "penalty type"),
    ]
    for kwargs, message in bad:
        err = _refused(
            db,
            InvalidInput,
            trial.render_judgment,
            actor=JUDGE,
            case_number=number,
            defendant_no=1,
            verdict="convicted",
            at=day(50),
            **kwargs,
        )
        assert message in err.message
    _refused(
        db,
        InvalidInput,
        trial.render_judgment,
        actor=JUDGE,
        case_number=number,
        defendant_no=1,
        verdict="acquitted",
        penalty_type="imprisonment",
        term_months=8,
        at=day(50),
    )


def test_appeal_window_and_finality(db):
    number = register(db)
    judged(db, number)
    _refused(
        db,
        PreconditionFailed,
        trial.declare_final,
        actor=JUDGE,
        case_number=number,
        defendant_no=1,
        at=day(60),
    )
    _refused(
        db,
        PreconditionFailed,
        trial.file_appeal,
        actor=COUNSEL,
        case_number=number,
        defendant_no=1,
        kind="appeal",
        at=day(61),
    )
    db.run(
        lambda s: trial.file_appeal(
            s, actor=COUNSEL, case_number=number, defendant_no=1, kind="appeal", at=day(60)
        )
    )
    err = _refused(
        db,
        PreconditionFailed,
        trial.decide_appeal,
        actor=JUDGE,
        case_number=number,
        defendant_no=1,
        outcome="amended",
        verdict="convicted",
        penalty_type="imprisonment",
        term_months=12,
        at=day(70),
    )
    assert err.context["rule"] == "CPL art 237"
    db.run(
        lambda s: trial.decide_appeal(
            s,
            actor=JUDGE,
            case_number=number,
            defendant_no=1,
            outcome="amended",
            verdict="convicted",
            penalty_type="imprisonment",
            term_months=6,
            at=day(70),
        )
    )
    d = _state(db, number)
    assert (d.stage, d.term_months) == ("final", 6)


def test_remand_returns_to_an_ordinary_trial(db):
    number = register(db)
    judged(db, number)
    db.run(
        lambda s: trial.file_appeal(
            s, actor=PROSECUTOR, case_number=number, defendant_no=1, kind="protest", at=day(55)
        )
    )
    db.run(
        lambda s: trial.decide_appeal(
            s, actor=JUDGE, case_number=number, defendant_no=1, outcome="remanded", at=day(80)
        )
    )
    d = _state(db, number)
    assert (d.stage, d.procedure) == ("trial", "ordinary")


def test_acquittal_releases_and_cannot_be_executed(db):
    number = register(db)
    to_trial(db, number)
    db.run(
        lambda s: trial.render_judgment(
            s, actor=JUDGE, case_number=number, defendant_no=1, verdict="acquitted", at=day(50)
        )
    )
    assert _state(db, number).measure == "none"
    db.run(
        lambda s: trial.declare_final(
            s, actor=JUDGE, case_number=number, defendant_no=1, at=day(61)
        )
    )
    _refused(
        db,
        PreconditionFailed,
        trial.start_execution,
        actor=JUDGE,
        case_number=number,
        defendant_no=1,
        at=day(62),
    )


def test_conversion_only_to_a_fuller_procedure(db):
    number = register(db)
    to_trial(db, number, procedure="summary")
    _refused(
        db,
        PreconditionFailed,
        trial.convert_procedure,
        actor=JUDGE,
        case_number=number,
        defendant_no=1,
        to="fast_track",
        ground="x",
        at=day(45),
    )
    db.run(
        lambda s: trial.convert_procedure(
            s,
            actor=JUDGE,
            case_number=number,
            defendant_no=1,
            to="ordinary",
            ground="denies the facts",
            at=day(45),
        )
    )
    assert _state(db, number).procedure == "ordinary"


def test_arrest_only_through_a_decision(db):
    number = register(db)
    _refused(
        db,
        InvalidInput,
        lifecycle.impose_measure,
        actor=POLICE,
        case_number=number,
        defendant_no=1,
        measure="arrest",
        at=day(1),
    )


def test_deadlines_follow_the_state_and_extensions_apply_once(db):
    from caseledger.case import queries as q

    number = register(db)
    db.run(
        lambda s: lifecycle.impose_measure(
            s,
            actor=POLICE,
            case_number=number,
            defendant_no=1,
            measure="criminal_detention",
            at=day(0),
        )
    )
    limits = _state(db, number).deadlines
    assert [(x.limit_id, x.due_on) for x in limits] == [("arrest_request_after_detention", day(3))]
    db.run(
        lambda s: lifecycle.extend_deadline(
            s,
            actor=POLICE,
            case_number=number,
            defendant_no=1,
            limit_id="arrest_request_after_detention",
            extension_id="roving_multiple_gang",
            approver="county police chief",
            at=day(1),
        )
    )
    assert _state(db, number).deadlines[0].due_on == day(30)
    _refused(
        db,
        PreconditionFailed,
        lifecycle.extend_deadline,
        actor=POLICE,
        case_number=number,
        defendant_no=1,
        limit_id="arrest_request_after_detention",
        extension_id="roving_multiple_gang",
        approver="x",
        at=day(2),
    )
    _refused(
        db,
        InvalidInput,
        lifecycle.extend_deadline,
        actor=POLICE,
        case_number=number,
        defendant_no=1,
        limit_id="arrest_request_after_detention",
        extension_id="nope",
        approver="x",
        at=day(2),
    )
    with db.read() as s:
        assert q.overdue(s, as_of=day(20)) == []
        assert [o.limit_id for o in q.overdue(s, as_of=day(31))] == [
            "arrest_request_after_detention"
        ]
    db.run(
        lambda s: lifecycle.request_arrest(
            s, actor=POLICE, case_number=number, defendant_no=1, at=day(25)
        )
    )
    limits = _state(db, number).deadlines
    assert [(x.limit_id, x.due_on) for x in limits] == [("arrest_decision", day(32))]


def test_no_lower_standard_of_proof(db):
    """Seed 002: suspects who pleaded guilty but whose evidence was insufficient were not
    prosecuted. A decision needs an assessment; insufficient evidence means non-prosecution."""
    number = register(db)
    db.run(
        lambda s: lifecycle.transfer_for_prosecution(
            s, actor=POLICE, case_number=number, defendant_no=1, at=day(1)
        )
    )
    err = _refused(
        db,
        PreconditionFailed,
        lifecycle.decide_prosecution,
        actor=PROSECUTOR,
        case_number=number,
        defendant_no=1,
        prosecute=True,
        at=day(2),
    )
    assert "assessment" in err.message
    _assess(db, number, False, day(2))
    err = _refused(
        db,
        PreconditionFailed,
        lifecycle.decide_prosecution,
        actor=PROSECUTOR,
        case_number=number,
        defendant_no=1,
        prosecute=True,
        at=day(3),
    )
    assert "even after admitting guilt" in err.message
    _refused(
        db,
        PreconditionFailed,
        lifecycle.decide_prosecution,
        actor=PROSECUTOR,
        case_number=number,
        defendant_no=1,
        prosecute=False,
        ground="minor",
        at=day(3),
    )
    db.run(
        lambda s: lifecycle.decide_prosecution(
            s,
            actor=PROSECUTOR,
            case_number=number,
            defendant_no=1,
            prosecute=False,
            ground="insufficient_evidence",
            at=day(3),
        )
    )
    assert _state(db, number).non_prosecution_ground == "insufficient_evidence"


def test_a_new_review_needs_a_new_assessment(db):
    number = register(db)
    db.run(
        lambda s: lifecycle.transfer_for_prosecution(
            s, actor=POLICE, case_number=number, defendant_no=1, at=day(1)
        )
    )
    _assess(db, number, True, day(2))
    db.run(
        lambda s: lifecycle.return_for_supplementary_investigation(
            s, actor=PROSECUTOR, case_number=number, defendant_no=1, reason="more", at=day(3)
        )
    )
    db.run(
        lambda s: lifecycle.resubmit(s, actor=POLICE, case_number=number, defendant_no=1, at=day(4))
    )
    _refused(
        db,
        PreconditionFailed,
        lifecycle.decide_prosecution,
        actor=PROSECUTOR,
        case_number=number,
        defendant_no=1,
        prosecute=True,
        at=day(5),
    )
