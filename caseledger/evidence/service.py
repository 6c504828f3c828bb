"""Recording commands: store a file and register it on a case, verify the whole store.

Registration refuses a hash whose file is not in the store (the ledger must never point at
nothing) and a file whose size differs from what was stored.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseledger.auth.roles import Role
from caseledger.case.enums import TERMINAL_STAGES, Stage
from caseledger.case.projector import local_date
from caseledger.case.service import act_time, append, get_case_defendant, label
from caseledger.errors import InvalidInput, PermissionDenied, PreconditionFailed
from caseledger.evidence.events import Participant, RecordingPurpose, RecordingRegistered
from caseledger.evidence.models import Recording
from caseledger.evidence.recordings import Damage, RecordingStore, check_hash
from caseledger.ledger.envelope import Actor, StoredEvent
from caseledger.ledger.projection import projector, register_tables
from caseledger.ledger.unit import unit_of

register_tables(Recording.__table__)  # type: ignore[arg-type]

BASIS = {
    RecordingPurpose.interrogation: "CPL art 123; MPS-Rules art 208",
    RecordingPurpose.plea_consultation: "SPP-AV2021 arts 2-4 (synchronous recording of plea "
    "consultations)",
}


def register_recording(
    session: Session,
    *,
    actor: Actor,
    store: RecordingStore,
    case_number: str,
    defendant_no: int,
    sha256: str,
    media_type: str,
    duration_seconds: int,
    purpose: RecordingPurpose | str,
    participants: list[dict[str, str]],
    at: dt.datetime | dt.date | str | None = None,
) -> Recording:
    """Register a stored recording on a defendant's case; the file must already be stored."""
    purpose = RecordingPurpose(purpose)
    sha256 = check_hash(sha256)
    case, d = get_case_defendant(session, case_number, defendant_no)
    if actor.role not in (Role.investigator, Role.prosecutor, Role.judge):
        raise PermissionDenied(
            "recordings are registered by the agency that made them", **label(case, d)
        )
    if Stage(d.stage) in TERMINAL_STAGES:
        raise PreconditionFailed(
            f"the proceedings against this defendant have ended ({d.stage})", **label(case, d)
        )
    size = store.size_of(sha256)
    if size is None:
        raise PreconditionFailed(
            "no file with this SHA-256 is in the recording store; upload it first",
            rule="recordings are content-addressed",
            sha256=sha256,
            **label(case, d),
        )
    if not participants:
        raise InvalidInput(
            "a recording names its participants", field="participants", **label(case, d)
        )
    when = act_time(at, case=case, d=d, what="the recording")
    unit = unit_of(session)
    if unit.get(Recording, case.case_id, sha256) is not None:
        raise InvalidInput(
            "this recording is already registered on the case", sha256=sha256, **label(case, d)
        )
    payload = RecordingRegistered(
        sha256=sha256,
        size_bytes=size,
        media_type=media_type,
        duration_seconds=duration_seconds,
        purpose=purpose,
        participants=[Participant(**p) for p in participants],
    )
    append(session, case=case, d=d, actor=actor, at=when, basis=BASIS[purpose], payload=payload)
    row = unit.get(Recording, case.case_id, sha256)
    assert row is not None
    return row


@projector("recording.registered")
def _registered(session: Session, event: StoredEvent, p: dict[str, Any]) -> None:
    unit_of(session).new(
        Recording,
        case_id=event.case_id,
        defendant_id=event.defendant_id,
        sha256=p["sha256"],
        size_bytes=p["size_bytes"],
        media_type=p["media_type"],
        duration_seconds=p["duration_seconds"],
        purpose=p["purpose"],
        recorded_on=local_date(event),
    )


@dataclass
class StoreReport:
    files_checked: int
    referenced: int
    damage: list[Damage]

    @property
    def ok(self) -> bool:
        return not self.damage


def verify_store(session: Session, store: RecordingStore) -> StoreReport:
    """Re-hash every stored file and check every recording the ledger refers to is there."""
    referenced = set(session.execute(select(Recording.sha256)).scalars())
    checked, damage = store.verify(referenced)
    return StoreReport(checked, len(referenced), damage)


def store_for(root: Path) -> RecordingStore:
    return RecordingStore(root)
