"""Read-only views of cases: the case file with its timeline, case lists and overdue limits."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseledger.case import clock
from caseledger.case.enums import MEASURE_DESCRIPTIONS, STAGE_DESCRIPTIONS, Measure, Stage
from caseledger.case.models import Case, Charge, Deadline, Defendant, PersonalData
from caseledger.case.service import get_case
from caseledger.ledger import registry
from caseledger.ledger.envelope import parse_time
from caseledger.ledger.models import Event


@dataclass
class DeadlineView:
    limit_id: str
    started_on: dt.date
    due_on: dt.date
    article: str
    overdue_days: int


@dataclass
class DefendantView:
    defendant_no: int
    name: str
    age_at_offence: int | None
    stage: str
    stage_description: str
    stage_since: dt.date
    measure: str
    measure_description: str
    measure_since: dt.date | None
    charges: list[str]
    detained_days: int
    returns: int
    arrest_decision: str | None
    arrest_refusal_ground: str | None
    prosecution_decision: str | None
    non_prosecution_ground: str | None
    procedure: str | None
    verdict: str | None
    penalty_type: str | None
    term_months: int | None
    probation: bool | None
    deadlines: list[DeadlineView]


@dataclass
class TimelineEntry:
    seq: int
    occurred_at: dt.datetime
    recorded_at: dt.datetime
    event_type: str
    description: str
    defendant_no: int | None
    actor_id: str
    actor_role: str
    agency_code: str
    legal_basis: str
    payload: dict
    hash: str


@dataclass
class CaseView:
    case_number: str
    case_id: str
    agency_code: str
    status: str
    close_reason: str | None
    reported_on: dt.date
    registered_on: dt.date
    summary: str
    source: str
    defendants: list[DefendantView] = field(default_factory=list)
    timeline: list[TimelineEntry] = field(default_factory=list)


def _deadline_view(row: Deadline, today: dt.date) -> DeadlineView:
    return DeadlineView(
        row.limit_id, row.started_on, row.due_on, row.article, max((today - row.due_on).days, 0)
    )


def show_case(session: Session, case_number: str, *, today: dt.date | None = None) -> CaseView:
    """The case file: defendants with their stage, measures and deadlines, and the timeline."""
    today = today or clock.today()
    case = get_case(session, case_number)
    view = CaseView(
        case.case_number,
        case.case_id,
        case.agency_code,
        case.status,
        case.close_reason,
        case.reported_on,
        case.registered_on,
        case.summary,
        case.source,
    )
    numbers: dict[str, int] = {}
    rows = session.execute(
        select(Defendant, PersonalData.name)
        .outerjoin(PersonalData, PersonalData.person_ref == Defendant.person_ref)
        .where(Defendant.case_id == case.case_id)
        .order_by(Defendant.defendant_no)
    ).all()
    for d, name in rows:
        numbers[d.defendant_id] = d.defendant_no
        charges = list(
            session.execute(
                select(Charge.crime_code)
                .where(Charge.defendant_id == d.defendant_id)
                .order_by(Charge.id)
            ).scalars()
        )
        limits = session.execute(
            select(Deadline)
            .where(Deadline.defendant_id == d.defendant_id)
            .order_by(Deadline.due_on)
        ).scalars()
        view.defendants.append(
            DefendantView(
                d.defendant_no,
                name or "(personal data erased)",
                d.age_at_offence,
                d.stage,
                STAGE_DESCRIPTIONS[Stage(d.stage)],
                d.stage_since,
                d.measure,
                MEASURE_DESCRIPTIONS[Measure(d.measure)],
                d.measure_since,
                charges,
                d.detained_days,
                d.returns,
                d.arrest_decision,
                d.arrest_refusal_ground,
                d.prosecution_decision,
                d.non_prosecution_ground,
                d.procedure,
                d.verdict,
                d.penalty_type,
                d.term_months,
                d.probation,
                [_deadline_view(x, today) for x in limits],
            )
        )
    for e in session.execute(
        select(Event).where(Event.case_id == case.case_id).order_by(Event.seq)
    ).scalars():
        view.timeline.append(
            TimelineEntry(
                e.seq,
                parse_time(e.occurred_at),
                parse_time(e.recorded_at),
                e.event_type,
                registry.get(e.event_type).description,
                numbers.get(e.defendant_id or ""),
                e.actor_id,
                e.actor_role,
                e.agency_code,
                e.legal_basis,
                json.loads(e.payload),
                e.hash,
            )
        )
    return view


@dataclass
class CaseSummary:
    case_number: str
    status: str
    registered_on: dt.date
    defendants: int
    summary: str


def list_cases(
    session: Session, *, limit: int = 50, status: str | None = None
) -> list[CaseSummary]:
    """Cases, newest registrations first (never ordered by any indicator)."""
    q = select(Case).order_by(Case.registered_on.desc(), Case.case_number.desc()).limit(limit)
    if status:
        q = q.where(Case.status == status)
    return [
        CaseSummary(c.case_number, c.status, c.registered_on, c.defendant_count, c.summary)
        for c in session.execute(q).scalars()
    ]


@dataclass
class OverdueItem:
    case_number: str
    defendant_no: int
    stage: str
    measure: str
    limit_id: str
    started_on: dt.date
    due_on: dt.date
    overdue_days: int
    article: str


def overdue(session: Session, *, as_of: dt.date | None = None) -> list[OverdueItem]:
    """Every running time limit that has passed, oldest due date first."""
    as_of = as_of or clock.today()
    rows = session.execute(
        select(Deadline, Case.case_number, Defendant)
        .join(Case, Case.case_id == Deadline.case_id)
        .join(Defendant, Defendant.defendant_id == Deadline.defendant_id)
        .where(Deadline.due_on < as_of)
        .order_by(Deadline.due_on, Case.case_number, Defendant.defendant_no)
    ).all()
    return [
        OverdueItem(
            number,
            d.defendant_no,
            d.stage,
            d.measure,
            dl.limit_id,
            dl.started_on,
            dl.due_on,
            (as_of - dl.due_on).days,
            dl.article,
        )
        for dl, number, d in rows
    ]
