"""The evidence registry: mandatory interrogation recordings, exclusion, and citing."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from caseledger.case import lifecycle, trial
from caseledger.errors import InvalidInput, PermissionDenied, SafeguardViolation
from caseledger.evidence import items, service
from caseledger.evidence.models import EvidenceItem
from caseledger.evidence.recordings import RecordingStore
from caseledger.ledger import projection
from tests.factories import JUDGE, POLICE, PROSECUTOR, day, event_count, register, to_trial


def _collect(db, number, **kw):
    args = {
        "actor": POLICE,
        "case_number": number,
        "defendant_no": 1,
        "category": "defendant_statement",
        "description": "first interrogation",
        "method": "interrogation at the detention centre",
        "at": day(1),
    }
    args.update(kw)
    return db.run(lambda s: items.collect(s, **args))


def test_interrogation_in_a_mandatory_case_needs_its_registered_recording(db, tmp_path):
    number = register(db, crime="intentional_homicide")
    before = event_count(db)
    with pytest.raises(SafeguardViolation, match="must be recorded"):
        _collect(db, number)
    assert event_count(db) == before
    store = RecordingStore(tmp_path)
    sha = store.ingest(io.BytesIO(b"full interrogation video")).sha256
    with pytest.raises(SafeguardViolation, match="not registered"):
        _collect(db, number, recording_sha256=sha)
    db.run(
        lambda s: service.register_recording(
            s,
            actor=POLICE,
            store=store,
            case_number=number,
            defendant_no=1,
            sha256=sha,
            media_type="video/mp4",
            duration_seconds=3600,
            purpose="interrogation",
            participants=[{"role": "investigator", "id": "police-1"}],
            at=day(1),
        )
    )
    item = _collect(db, number, recording_sha256=sha)
    assert (item.item_no, item.status, item.flags) == (1, "admitted", "")


def test_imported_unrecorded_interrogation_is_flagged_not_refused(db):
    number = register(db, crime="kidnapping")
    item = _collect(db, number, imported=True)
    assert item.flags == items.UNRECORDED


def test_depends_crimes_need_a_recording_only_in_major_cases(db):
    number = register(db, crime="intentional_injury")
    assert _collect(db, number).item_no == 1
    with pytest.raises(SafeguardViolation):
        _collect(db, number, major_case=True)


def test_excluded_evidence_cannot_be_cited(db):
    number = register(db)
    confession = _collect(db, number).item_no
    witness = _collect(db, number, category="witness_testimony", description="neighbour").item_no
    db.run(
        lambda s: items.challenge(
            s,
            actor=POLICE,
            case_number=number,
            defendant_no=1,
            item_no=confession,
            ground="obtained by threats",
            at=day(2),
        )
    )
    with pytest.raises(PermissionDenied):
        db.run(
            lambda s: items.decide_exclusion(
                s,
                actor=JUDGE,
                case_number=number,
                defendant_no=1,
                item_no=confession,
                excluded=True,
                stage="investigation",
                ground="threats",
                at=day(3),
            )
        )
    db.run(
        lambda s: lifecycle.transfer_for_prosecution(
            s, actor=POLICE, case_number=number, defendant_no=1, at=day(4)
        )
    )
    db.run(
        lambda s: items.decide_exclusion(
            s,
            actor=PROSECUTOR,
            case_number=number,
            defendant_no=1,
            item_no=confession,
            excluded=True,
            stage="prosecution_review",
            ground="obtained by threats",
            at=day(5),
        )
    )
    db.run(
        lambda s: lifecycle.assess_evidence(
            s,
            actor=PROSECUTOR,
            case_number=number,
            defendant_no=1,
            sufficient=True,
            reasoning="witness and CCTV",
            at=day(6),
        )
    )
    before = event_count(db)
    with pytest.raises(SafeguardViolation, match="excluded at the prosecution_review stage"):
        db.run(
            lambda s: lifecycle.decide_prosecution(
                s,
                actor=PROSECUTOR,
                case_number=number,
                defendant_no=1,
                prosecute=True,
                evidence=[confession, witness],
                at=day(6),
            )
        )
    assert event_count(db) == before
    with pytest.raises(InvalidInput, match="exclusion is final"):
        db.run(
            lambda s: items.decide_exclusion(
                s,
                actor=PROSECUTOR,
                case_number=number,
                defendant_no=1,
                item_no=confession,
                excluded=False,
                stage="prosecution_review",
                ground="x",
                at=day(6),
            )
        )
    db.run(
        lambda s: lifecycle.decide_prosecution(
            s,
            actor=PROSECUTOR,
            case_number=number,
            defendant_no=1,
            prosecute=True,
            evidence=[witness],
            at=day(6),
        )
    )


def test_judgment_cannot_cite_evidence_excluded_at_trial(db):
    number = register(db)
    item = _collect(db, number, category="physical", description="knife").item_no
    to_trial(db, number, procedure="ordinary")
    db.run(
        lambda s: items.decide_exclusion(
            s,
            actor=JUDGE,
            case_number=number,
            defendant_no=1,
            item_no=item,
            excluded=True,
            stage="trial",
            ground="seized without a warrant, chain of custody broken",
            at=day(45),
        )
    )
    with pytest.raises(SafeguardViolation):
        db.run(
            lambda s: trial.render_judgment(
                s,
                actor=JUDGE,
                case_number=number,
                defendant_no=1,
                verdict="acquitted",
                evidence=[item],
                at=day(50),
            )
        )


def test_registry_is_rebuilt_fromevent_count(db):
    number = register(db)
    _collect(db, number)
    db.run(
        lambda s: items.challenge(
            s, actor=POLICE, case_number=number, defendant_no=1, item_no=1, ground="g", at=day(2)
        )
    )
    with db.read() as s:
        before = [
            (i.item_no, i.status, i.challenge_ground)
            for i in s.execute(select(EvidenceItem)).scalars()
        ]
    db.run(projection.rebuild)
    with db.read() as s:
        after = [
            (i.item_no, i.status, i.challenge_ground)
            for i in s.execute(select(EvidenceItem)).scalars()
        ]
    assert before == after == [(1, "challenged", "g")]
