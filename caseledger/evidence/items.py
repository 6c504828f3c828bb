"""The evidence registry: collection, legality challenges, exclusion, and what may be cited.

Owns ``evidence_items``. Enforces two safeguards of the trial-centred reform (seed 004):
an interrogation record in a case where recording is mandatory (CPL art 123; MPS-Rules art
208: life imprisonment or death possible, or another major crime) needs the recording, which
must be registered on the case; data imported from another system is accepted but flagged
``unrecorded_interrogation`` instead. And an excluded item can never be cited by a later
prosecution decision or judgment (CPL art 56; SPC-CPL-Interp art 74): :func:`check_citable`
refuses it. Nothing here decides whether evidence is lawful: people do, and their decision is
an attributed event.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from caseledger.auth.roles import Role
from caseledger.case import catalogue
from caseledger.case.enums import Stage
from caseledger.case.lifecycle import charges_of
from caseledger.case.models import Case, Defendant
from caseledger.case.projector import local_date
from caseledger.case.service import act_time, append, get_case_defendant, label
from caseledger.errors import InvalidInput, NotFound, PermissionDenied, SafeguardViolation
from caseledger.evidence.events import (
    EvidenceCategory,
    EvidenceChallenged,
    EvidenceCollected,
    EvidenceExclusionDecided,
    ExclusionStage,
)
from caseledger.evidence.models import EvidenceItem, Recording
from caseledger.ledger.envelope import Actor, StoredEvent
from caseledger.ledger.projection import projector, register_tables
from caseledger.ledger.unit import unit_of

register_tables(EvidenceItem.__table__)  # type: ignore[arg-type]

UNRECORDED = "unrecorded_interrogation"

# Who decides exclusion at each stage, and in which defendant stages that stage exists.
EXCLUSION_STAGES: dict[ExclusionStage, tuple[Role, frozenset[Stage], str]] = {
    ExclusionStage.investigation: (
        Role.investigator,
        frozenset({Stage.investigation, Stage.arrest_review, Stage.supplementary_investigation}),
        "CPL art 56(2)",
    ),
    ExclusionStage.prosecution_review: (
        Role.prosecutor,
        frozenset({Stage.prosecution_review, Stage.arrest_review}),
        "CPL art 56(2)",
    ),
    ExclusionStage.pretrial_conference: (
        Role.judge,
        frozenset({Stage.awaiting_trial, Stage.trial}),
        "CPL art 187(2), 58",
    ),
    ExclusionStage.trial: (Role.judge, frozenset({Stage.trial}), "CPL art 58-60"),
}


def recording_required(session: Session, d: Defendant, *, major_case: bool) -> str | None:
    """The crime that makes recording interrogations mandatory for ``d``, if any."""
    for code in charges_of(session, d):
        crime = catalogue.get(code)
        if crime.interrogation_recording == "mandatory" or (
            major_case and crime.interrogation_recording == "depends"
        ):
            return code
    return None


def collect(
    session: Session,
    *,
    actor: Actor,
    case_number: str,
    defendant_no: int,
    category: EvidenceCategory | str,
    description: str,
    method: str,
    recording_sha256: str | None = None,
    major_case: bool = False,
    imported: bool = False,
    at: dt.datetime | dt.date | str | None = None,
) -> EvidenceItem:
    """Register an item; an interrogation record may need its registered recording."""
    category = EvidenceCategory(category)
    case, d = get_case_defendant(session, case_number, defendant_no)
    if actor.role not in (Role.investigator, Role.prosecutor, Role.system):
        raise PermissionDenied(
            "evidence is collected by investigators or prosecutors", **label(case, d)
        )
    when = act_time(at, case=case, d=d, what="collecting evidence")
    flags: list[str] = []
    if recording_sha256 is not None:
        registered = unit_of(session).get(Recording, case.case_id, recording_sha256)
        if registered is None:
            raise SafeguardViolation(
                "the recording is not registered on this case; add it with "
                "`caseledger recordings add` first",
                sha256=recording_sha256,
                **label(case, d),
            )
        if (
            category is EvidenceCategory.defendant_statement
            and registered.purpose != "interrogation"
        ):
            raise SafeguardViolation(
                "an interrogation record needs a recording of the interrogation, not of a "
                f"{registered.purpose}",
                rule="CPL art 123",
                **label(case, d),
            )
    elif category is EvidenceCategory.defendant_statement:
        crime = recording_required(session, d, major_case=major_case)
        if crime is not None:
            if not imported:
                raise SafeguardViolation(
                    f"interrogations in a {crime} case must be recorded in full; give the "
                    "registered recording's SHA-256",
                    rule="CPL art 123; MPS-Rules art 208",
                    **label(case, d),
                )
            flags.append(UNRECORDED)
    number = max((i.item_no for i in unit_of(session).rows(EvidenceItem, case.case_id)), default=0)
    number += 1
    append(
        session,
        case=case,
        d=d,
        actor=actor,
        at=when,
        basis="CPL art 50, 52",
        payload=EvidenceCollected(
            item_no=number,
            category=category,
            description=description.strip(),
            method=method.strip(),
            recording_sha256=recording_sha256,
            imported=imported,
            flags=flags,
        ),
    )
    return get_item(session, case, number)


def get_item(session: Session, case: Case, item_no: int) -> EvidenceItem:
    item = unit_of(session).get(EvidenceItem, case.case_id, item_no)
    if item is None:
        raise NotFound(
            f"case {case.case_number} has no evidence item {item_no}",
            case=case.case_number,
            item=item_no,
        )
    return item


def challenge(
    session: Session,
    *,
    actor: Actor,
    case_number: str,
    defendant_no: int,
    item_no: int,
    ground: str,
    at: dt.datetime | dt.date | str | None = None,
) -> EvidenceItem:
    """Record a challenge to an item's legality (by the defence, or raised by an official)."""
    case, d = get_case_defendant(session, case_number, defendant_no)
    item = get_item(session, case, item_no)
    if item.status == "excluded":
        raise InvalidInput("the item is already excluded", item=item_no, **label(case, d))
    when = act_time(at, case=case, d=d, what="the challenge")
    append(
        session,
        case=case,
        d=d,
        actor=actor,
        at=when,
        basis="CPL art 58",
        payload=EvidenceChallenged(item_no=item_no, ground=ground.strip()),
    )
    return item


def decide_exclusion(
    session: Session,
    *,
    actor: Actor,
    case_number: str,
    defendant_no: int,
    item_no: int,
    excluded: bool,
    stage: ExclusionStage | str,
    ground: str,
    at: dt.datetime | dt.date | str | None = None,
) -> EvidenceItem:
    """Exclude an item as illegally obtained, or keep it, at the stage where it is decided."""
    stage = ExclusionStage(stage)
    case, d = get_case_defendant(session, case_number, defendant_no)
    item = get_item(session, case, item_no)
    role, stages, article = EXCLUSION_STAGES[stage]
    if actor.role is not role:
        raise PermissionDenied(
            f"exclusion at the {stage.value} stage is decided by a {role.value}",
            rule=article,
            **label(case, d),
        )
    if Stage(d.stage) not in stages:
        raise InvalidInput(
            f"the defendant is at stage {d.stage}, not at {stage.value}",
            rule=article,
            **label(case, d),
        )
    if item.status == "excluded":
        raise InvalidInput(
            "the item is already excluded; exclusion is final", item=item_no, **label(case, d)
        )
    when = act_time(at, case=case, d=d, what="the exclusion decision")
    append(
        session,
        case=case,
        d=d,
        actor=actor,
        at=when,
        basis=article,
        payload=EvidenceExclusionDecided(
            item_no=item_no, excluded=excluded, stage=stage, ground=ground.strip()
        ),
    )
    return item


def check_citable(session: Session, case: Case, d: Defendant, items: list[int]) -> None:
    """Refuse to cite an item that does not exist or was excluded (CPL art 56)."""
    for no in items:
        item = get_item(session, case, no)
        if item.status == "excluded":
            raise SafeguardViolation(
                f"evidence item {no} was excluded at the {item.exclusion_stage} stage and cannot "
                "be cited",
                rule="CPL art 56; SPC-CPL-Interp art 74",
                item=no,
                **label(case, d),
            )


@projector("evidence.collected")
def _collected(session: Session, event: StoredEvent, p: dict[str, Any]) -> None:
    unit_of(session).new(
        EvidenceItem,
        case_id=event.case_id,
        defendant_id=event.defendant_id,
        item_no=p["item_no"],
        category=p["category"],
        description=p["description"],
        recording_sha256=p.get("recording_sha256"),
        status="admitted",
        flags=",".join(p.get("flags", [])),
        collected_on=local_date(event),
    )


def _item(session: Session, event: StoredEvent, item_no: int) -> EvidenceItem:
    unit = unit_of(session)
    item = unit.get(EvidenceItem, event.case_id, item_no)
    assert item is not None, f"event {event.event_id} refers to an unknown evidence item"
    return unit.change(item)


@projector("evidence.challenged")
def _challenged(session: Session, event: StoredEvent, p: dict[str, Any]) -> None:
    item = _item(session, event, p["item_no"])
    item.status = "challenged"
    item.challenge_ground = p["ground"]


@projector("evidence.exclusion_decided")
def _decided(session: Session, event: StoredEvent, p: dict[str, Any]) -> None:
    item = _item(session, event, p["item_no"])
    item.status = "excluded" if p["excluded"] else "admitted"
    item.exclusion_stage = p["stage"]
    item.exclusion_ground = p["ground"]
