"""The plea procedure: the happy path and each safeguard's refusal (which writes nothing)."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from caseledger.case import lifecycle, trial
from caseledger.errors import (
    InvalidInput,
    NotFound,
    PermissionDenied,
    PreconditionFailed,
    SafeguardViolation,
)
from caseledger.evidence import service as recordings
from caseledger.evidence.recordings import RecordingStore
from caseledger.ledger import projection
from caseledger.ledger.models import Event
from caseledger.plea import service as plea
from caseledger.plea import statement
from caseledger.plea.models import Plea
from tests.factories import FAST_TRACK, JUDGE, POLICE, PROSECUTOR, day, register
from tests.factories import refused as _refused

THEFT = {"crime": "theft", "facts": {"amount_yuan": 12000}}


def _run(db, fn, **kwargs):
    return db.run(lambda s: fn(s, **kwargs))


@pytest.fixture
def store(tmp_path) -> RecordingStore:
    return RecordingStore(tmp_path / "recordings")


def _record(
    db, store, number, purpose="plea_consultation", content=b"consultation video", at=None
) -> str:
    sha = store.ingest(io.BytesIO(content)).sha256
    _run(
        db,
        recordings.register_recording,
        actor=PROSECUTOR,
        store=store,
        case_number=number,
        defendant_no=1,
        sha256=sha,
        media_type="video/mp4",
        duration_seconds=1500,
        purpose=purpose,
        participants=[{"role": "prosecutor", "id": "pros-1"}],
        at=at or day(12),
    )
    return sha


def _ready(db, store, *, crime="theft", admit_in_investigation=True, counsel="duty_lawyer"):
    """A defendant at prosecution review with rights notified, admission and counsel."""
    number = register(db, crime=crime)
    _run(
        db,
        plea.notify_rights,
        actor=POLICE,
        case_number=number,
        defendant_no=1,
        items=["leniency_rules", "right_to_counsel", "duty_lawyer"],
        at=day(1),
    )
    if admit_in_investigation:
        _run(db, plea.admit_guilt, actor=POLICE, case_number=number, defendant_no=1, at=day(2))
    _run(
        db,
        lifecycle.transfer_for_prosecution,
        actor=POLICE,
        case_number=number,
        defendant_no=1,
        at=day(10),
    )
    if not admit_in_investigation:
        _run(db, plea.admit_guilt, actor=PROSECUTOR, case_number=number, defendant_no=1, at=day(11))
    if counsel:
        _run(
            db,
            plea.assign_counsel,
            actor=PROSECUTOR,
            case_number=number,
            defendant_no=1,
            kind=counsel,
            lawyer_id="duty-1",
            office="county legal aid centre",
            at=day(11),
        )
    return number


def _consult(db, store, number, at=None, sha=None):
    sha = sha or _record(db, store, number, at=at)
    _run(
        db,
        plea.hold_consultation,
        actor=PROSECUTOR,
        store=store,
        case_number=number,
        defendant_no=1,
        participants=[
            {"role": "prosecutor", "id": "pros-1"},
            {"role": "duty_lawyer", "id": "duty-1"},
        ],
        defence_opinion="agrees; asks for probation",
        recording_sha256=sha,
        proposed_months=6,
        at=at or day(12),
    )
    return sha


def _sign(db, store, number, **kwargs):
    args = {
        "actor": PROSECUTOR,
        "store": store,
        "case_number": number,
        "defendant_no": 1,
        "counsel_present": "duty-1",
        "sentencing_input": THEFT,
        "at": day(13),
    }
    args.update(kwargs)
    return _run(db, statement.sign_statement, **args)


def test_signed_statement_carries_the_engines_explained_recommendation(db, store):
    number = _ready(db, store)
    _consult(db, store, number)
    row = _sign(db, store, number)
    assert (row.status, row.admitted_stage, row.recommendation_kind) == (
        "signed",
        "investigation",
        "definite",
    )
    with db.read() as s:
        payload = s.execute(
            select(Event.payload).where(Event.event_type == "plea.statement_signed")
        ).scalar_one()
    import json

    p = json.loads(payload)
    assert p["recommendation"]["plea"]["stage"] == "investigation"
    assert p["recommendation"]["explanation"]["zh"]
    assert p["definite_months"] == p["engine_definite_months"] == row.definite_months


def test_plea_stage_comes_from_the_ledger_and_sets_the_discount(db, store):
    early = _ready(db, store)
    _consult(db, store, early)
    late = _ready(db, store, admit_in_investigation=False)
    _consult(db, store, late, sha=_record(db, store, late, content=b"other video"))
    a, b = _sign(db, store, early), _sign(db, store, late)
    assert (a.admitted_stage, b.admitted_stage) == ("investigation", "prosecution")
    assert a.definite_months <= b.definite_months


def test_no_statement_without_counsel(db, store):
    number = _ready(db, store, counsel=None)
    err = _refused(
        db,
        SafeguardViolation,
        plea.hold_consultation,
        actor=PROSECUTOR,
        store=store,
        case_number=number,
        defendant_no=1,
        participants=[{"role": "prosecutor", "id": "p"}, {"role": "x", "id": "y"}],
        defence_opinion="-",
        recording_sha256="a" * 64,
        at=day(12),
    )
    assert "defender or a duty lawyer" in err.message
    _refused(
        db,
        SafeguardViolation,
        statement.sign_statement,
        actor=PROSECUTOR,
        store=store,
        case_number=number,
        defendant_no=1,
        counsel_present="duty-1",
        sentencing_input=THEFT,
        at=day(13),
    )


def test_counsel_must_be_present_and_not_bypassed(db, store):
    number = _ready(db, store, counsel="retained")
    _consult(db, store, number)
    _run(
        db,
        plea.assign_counsel,
        actor=PROSECUTOR,
        case_number=number,
        defendant_no=1,
        kind="duty_lawyer",
        lawyer_id="duty-9",
        office="legal aid",
        at=day(12),
    )
    err = _refused(
        db,
        SafeguardViolation,
        statement.sign_statement,
        actor=PROSECUTOR,
        store=store,
        case_number=number,
        defendant_no=1,
        counsel_present="duty-9",
        sentencing_input=THEFT,
        at=day(13),
    )
    assert "retained defender" in err.message
    _refused(
        db,
        SafeguardViolation,
        statement.sign_statement,
        actor=PROSECUTOR,
        store=store,
        case_number=number,
        defendant_no=1,
        counsel_present="nobody",
        sentencing_input=THEFT,
        at=day(13),
    )


def test_no_statement_without_a_recorded_consultation_in_the_store(db, store):
    number = _ready(db, store)
    err = _refused(
        db,
        SafeguardViolation,
        statement.sign_statement,
        actor=PROSECUTOR,
        store=store,
        case_number=number,
        defendant_no=1,
        counsel_present="duty-1",
        sentencing_input=THEFT,
        at=day(13),
    )
    assert "recorded consultation" in err.message
    interrogation = _record(db, store, number, purpose="interrogation", content=b"interrog")
    _refused(
        db,
        SafeguardViolation,
        plea.hold_consultation,
        actor=PROSECUTOR,
        store=store,
        case_number=number,
        defendant_no=1,
        participants=[{"role": "p", "id": "1"}, {"role": "d", "id": "2"}],
        defence_opinion="-",
        recording_sha256=interrogation,
        at=day(12),
    )
    sha = _consult(db, store, number)
    with open(store.path_for(sha), "r+b") as fh:
        fh.write(b"X")
    err = _refused(
        db,
        SafeguardViolation,
        statement.sign_statement,
        actor=PROSECUTOR,
        store=store,
        case_number=number,
        defendant_no=1,
        counsel_present="duty-1",
        sentencing_input=THEFT,
        at=day(13),
    )
    assert "no longer matches" in err.message


def test_consultation_dated_after_the_statement_is_refused(db, store):
    number = _ready(db, store)
    _consult(db, store, number, at=day(14))
    err = _refused(
        db,
        InvalidInput,
        statement.sign_statement,
        actor=PROSECUTOR,
        store=store,
        case_number=number,
        defendant_no=1,
        counsel_present="duty-1",
        sentencing_input=THEFT,
        at=day(13),
    )
    assert "after the statement" in err.message


def test_a_deviation_from_the_engine_needs_reasons(db, store):
    number = _ready(db, store)
    _consult(db, store, number)
    err = _refused(
        db,
        SafeguardViolation,
        statement.sign_statement,
        actor=PROSECUTOR,
        store=store,
        case_number=number,
        defendant_no=1,
        counsel_present="duty-1",
        sentencing_input=THEFT,
        definite_months=3,
        at=day(13),
    )
    assert "differs from the guideline result" in err.message
    row = _sign(
        db,
        store,
        number,
        definite_months=3,
        deviation_reason="the victim's family asked for leniency in writing",
    )
    assert row.deviates and "deviates_from_guideline" in row.quality_flags


def test_excluded_case_gets_no_leniency_without_an_attributed_override(db, store):
    serious = {"crime": "robbery", "facts": {}, "particularly_serious": True}
    number = _ready(db, store, crime="robbery")
    _consult(db, store, number)
    row = _sign(db, store, number, sentencing_input=serious)
    assert row.leniency_excluded and not row.override
    other = _ready(db, store, crime="robbery")
    _consult(db, store, other, sha=_record(db, store, other, content=b"robbery consultation"))
    _refused(
        db,
        InvalidInput,
        plea.override_leniency,
        actor=PROSECUTOR,
        case_number=other,
        defendant_no=1,
        reason="why",
        at=day(12),
    )
    _refused(
        db,
        PermissionDenied,
        plea.override_leniency,
        actor=POLICE,
        case_number=other,
        defendant_no=1,
        reason="a long enough reason",
        at=day(12),
    )
    _run(
        db,
        plea.override_leniency,
        actor=PROSECUTOR,
        case_number=other,
        defendant_no=1,
        reason="the defendant saved the victim's life after the robbery",
        at=day(12),
    )
    row = _sign(db, store, other, sentencing_input=serious)
    assert row.override and "leniency_override" in row.quality_flags
    assert not row.leniency_excluded


def test_statement_not_required_records_which_rule_applies(db, store):
    number = _ready(db, store)
    _consult(db, store, number)
    _refused(
        db,
        InvalidInput,
        statement.sign_statement,
        actor=PROSECUTOR,
        store=store,
        case_number=number,
        defendant_no=1,
        counsel_present="duty-1",
        sentencing_input=THEFT,
        not_required="disability",
        at=day(13),
    )
    row = _sign(
        db,
        store,
        number,
        not_required="disability",
        not_required_reason="the suspect is deaf and mute",
    )
    assert (row.status, row.statement, row.not_required_ground) == (
        "agreed",
        "not_required",
        "disability",
    )


def test_statement_for_a_defendant_not_in_the_case_and_uncharged_crime(db, store):
    number = _ready(db, store)
    _consult(db, store, number)
    _refused(
        db,
        NotFound,
        statement.sign_statement,
        actor=PROSECUTOR,
        store=store,
        case_number=number,
        defendant_no=2,
        counsel_present="duty-1",
        sentencing_input=THEFT,
        at=day(13),
    )
    _refused(
        db,
        InvalidInput,
        statement.sign_statement,
        actor=PROSECUTOR,
        store=store,
        case_number=number,
        defendant_no=1,
        counsel_present="duty-1",
        sentencing_input={"crime": "fraud", "facts": {"amount_yuan": 5000}},
        at=day(13),
    )


def test_withdrawal_voids_the_recommendation(db, store):
    number = _ready(db, store)
    _consult(db, store, number)
    _sign(db, store, number)
    row = _run(
        db,
        plea.withdraw,
        actor=PROSECUTOR,
        case_number=number,
        defendant_no=1,
        reason="the defendant now denies taking the phone",
        at=day(14),
    )
    assert (row.status, row.definite_months, row.admitted_stage) == ("withdrawn", None, None)
    _refused(
        db,
        PreconditionFailed,
        plea.withdraw,
        actor=PROSECUTOR,
        case_number=number,
        defendant_no=1,
        reason="again",
        at=day(15),
    )


def _to_trial_with_plea(db, store) -> str:
    number = _ready(db, store)
    _consult(db, store, number)
    _sign(db, store, number)
    _run(
        db,
        lifecycle.assess_evidence,
        actor=PROSECUTOR,
        case_number=number,
        defendant_no=1,
        sufficient=True,
        reasoning="CCTV, the phone, the victim",
        at=day(14),
    )
    _run(
        db,
        lifecycle.decide_prosecution,
        actor=PROSECUTOR,
        case_number=number,
        defendant_no=1,
        prosecute=True,
        at=day(15),
    )
    _run(
        db,
        trial.assign_procedure,
        actor=JUDGE,
        case_number=number,
        defendant_no=1,
        procedure="fast_track",
        facts=FAST_TRACK,
        at=day(16),
    )
    return number


def test_court_adopts_adjusts_or_rejects_on_a_cpl_201_ground(db, store):
    number = _to_trial_with_plea(db, store)
    _refused(
        db,
        InvalidInput,
        plea.court_decide,
        actor=JUDGE,
        case_number=number,
        defendant_no=1,
        decision="rejected",
        at=day(17),
    )
    _refused(
        db,
        PreconditionFailed,
        plea.court_decide,
        actor=JUDGE,
        case_number=number,
        defendant_no=1,
        decision="adjusted",
        at=day(17),
    )
    _run(
        db,
        plea.revise_recommendation,
        actor=PROSECUTOR,
        case_number=number,
        defendant_no=1,
        definite_months=7,
        reason="the court finds the amount larger",
        at=day(17),
    )
    row = _run(
        db,
        plea.court_decide,
        actor=JUDGE,
        case_number=number,
        defendant_no=1,
        decision="adjusted",
        at=day(18),
    )
    assert (row.court_decision, row.definite_months) == ("adjusted", 7)
    other = _to_trial_with_plea(db, store)
    row = _run(
        db,
        plea.court_decide,
        actor=JUDGE,
        case_number=other,
        defendant_no=1,
        decision="rejected",
        ground="denies_facts",
        at=day(17),
    )
    assert (row.court_decision, row.rejection_ground) == ("rejected", "denies_facts")


def test_insufficient_evidence_after_a_plea_means_non_prosecution(db, store):
    number = _ready(db, store)
    _consult(db, store, number)
    _sign(db, store, number)
    _run(
        db,
        lifecycle.assess_evidence,
        actor=PROSECUTOR,
        case_number=number,
        defendant_no=1,
        sufficient=False,
        reasoning="only the confession; the phone was never found",
        at=day(14),
    )
    _refused(
        db,
        PreconditionFailed,
        lifecycle.decide_prosecution,
        actor=PROSECUTOR,
        case_number=number,
        defendant_no=1,
        prosecute=True,
        at=day(15),
    )
    _run(
        db,
        lifecycle.decide_prosecution,
        actor=PROSECUTOR,
        case_number=number,
        defendant_no=1,
        prosecute=False,
        ground="insufficient_evidence",
        at=day(15),
    )


def test_plea_projection_is_rebuilt_from_events(db, store):
    _to_trial_with_plea(db, store)
    with db.read() as s:
        before = [
            (p.status, p.definite_months, p.admitted_stage, p.consultations)
            for p in s.execute(select(Plea)).scalars()
        ]
    db.run(projection.rebuild)
    with db.read() as s:
        after = [
            (p.status, p.definite_months, p.admitted_stage, p.consultations)
            for p in s.execute(select(Plea)).scalars()
        ]
    assert before == after and before[0][0] == "signed"
