"""Quality commands: record a case-quality review of one defendant's handling.

The review is an attributed event on the case's chain like every other act, so a grade can
never be changed silently: a second review is a new event, and the projection keeps every one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from caseledger.auth.roles import Role
from caseledger.case.enums import Stage
from caseledger.case.models import Defendant
from caseledger.case.projector import local_date
from caseledger.case.service import act_time, append, get_case_defendant, label
from caseledger.errors import InvalidInput, PermissionDenied, PreconditionFailed, enum_value
from caseledger.ledger.envelope import Actor
from caseledger.ledger.models import Event
from caseledger.ledger.projection import projector, register_tables
from caseledger.quality.events import CaseReviewed, ReviewGrade
from caseledger.quality.models import QualityReview

register_tables(QualityReview.__table__)  # type: ignore[arg-type]

BASIS = "SPP case-quality review (案件质量评查); seed 001 (micro-level assessment of cases)"
# A review assesses handling that has reached a decision: non-prosecution, withdrawal, or a
# judgment (also while an appeal runs and after it took effect).
REVIEWABLE = frozenset(
    {
        Stage.not_prosecuted,
        Stage.withdrawn,
        Stage.judged,
        Stage.appeal,
        Stage.final,
        Stage.executing,
    }
)

_ACTED_IN_CASE = (
    select(Event.id)
    .where(
        Event.case_id == bindparam("case_id"),
        Event.actor_id == bindparam("actor_id"),
        Event.event_type != "quality.case_reviewed",
    )
    .limit(1)
)


def review_case(
    session: Session,
    *,
    actor: Actor,
    case_number: str,
    defendant_no: int,
    grade: ReviewGrade | str,
    reason: str,
    at: dt.datetime | dt.date | str | None = None,
) -> Defendant:
    """Grade the handling of one defendant's case, with reasons."""
    grade = enum_value(ReviewGrade, grade, field="grade")
    case, d = get_case_defendant(session, case_number, defendant_no)
    ctx = label(case, d)
    if actor.role is not Role.quality_officer:
        raise PermissionDenied(
            f"case-quality reviews are recorded by a quality_officer, not a {actor.role.value}",
            **ctx,
        )
    if Stage(d.stage) not in REVIEWABLE:
        raise PreconditionFailed(
            f"the defendant is at stage {d.stage}; a review grades handling that has reached a "
            "decision (non-prosecution, withdrawal or judgment)",
            allowed_from=",".join(sorted(s.value for s in REVIEWABLE)),
            **ctx,
        )
    if session.execute(_ACTED_IN_CASE, {"case_id": case.case_id, "actor_id": actor.id}).first():
        raise PreconditionFailed(
            f"{actor.id} acted in this case and may not review it",
            rule="reviews are independent of the officials who handled the case",
            **ctx,
        )
    if not reason.strip():
        raise InvalidInput("a review states its reasons", field="reason", **ctx)
    when = act_time(at, case=case, d=d, not_before=d.stage_since, what="the review")
    append(
        session,
        case=case,
        d=d,
        actor=actor,
        at=when,
        basis=BASIS,
        payload=CaseReviewed(grade=grade, reason=reason.strip()),
    )
    return d


def reviews_of(session: Session, d: Defendant) -> list[QualityReview]:
    """Every review of ``d``, oldest first."""
    return list(
        session.execute(
            select(QualityReview)
            .where(QualityReview.defendant_id == d.defendant_id)
            .order_by(QualityReview.seq)
        ).scalars()
    )


@projector("quality.case_reviewed")
def _reviewed(session: Session, event: Event, p: dict[str, Any]) -> None:
    assert event.defendant_id is not None
    session.add(
        QualityReview(
            case_id=event.case_id,
            defendant_id=event.defendant_id,
            reviewed_on=local_date(event),
            grade=p["grade"],
            reason=p["reason"],
            reviewer_id=event.actor_id,
            agency_code=event.agency_code,
            seq=event.seq,
        )
    )
