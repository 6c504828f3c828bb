"""Projectors of the case domain: how each event changes ``cases``, ``defendants``, ``charges``
and ``deadlines``.

They apply facts and never check them (the commands did that before appending), so replaying
the same events always gives the same tables. They read nothing but the event and these tables.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from caseledger.case import deadlines
from caseledger.case.enums import CUSTODIAL, Measure, Stage
from caseledger.case.models import Case, Charge, Deadline, Defendant
from caseledger.ledger.envelope import parse_time
from caseledger.ledger.models import Event
from caseledger.ledger.projection import projector, register_tables

register_tables(Case.__table__, Defendant.__table__, Charge.__table__, Deadline.__table__)  # type: ignore[arg-type]


def local_date(event: Event) -> dt.date:
    """The legal date of the act (the envelope's UTC time in the configured legal time zone)."""
    from caseledger.case import clock

    return clock.to_legal_date(parse_time(event.occurred_at))


def _defendant(session: Session, event: Event) -> Defendant:
    d = session.get(Defendant, event.defendant_id)
    assert d is not None, f"event {event.event_id} refers to an unknown defendant"
    d.version += 1
    d.last_seq = event.seq
    d.__dict__["_running_before"] = deadlines.running(d)
    return d


def _touch_case(session: Session, event: Event) -> Case:
    case = session.get(Case, event.case_id)
    assert case is not None
    case.version += 1
    case.last_seq = event.seq
    return case


_DEADLINES = Deadline.__table__
_DELETE_DEADLINE = _DEADLINES.delete().where(
    _DEADLINES.c.defendant_id == bindparam("d"),
    _DEADLINES.c.limit_id == bindparam("limit_id"),
    _DEADLINES.c.started_on == bindparam("started_on"),
)


def refresh_deadlines(session: Session, d: Defendant) -> None:
    """Bring the defendant's stored time limits in line with its new state.

    Only the difference with the limits running before this event is written (the state
    before is computed by :func:`_defendant`), with Core statements: most acts change one
    limit or none, and this runs for every event.
    """
    before = {(r.limit_id, r.started_on): r for r in d.__dict__.get("_running_before", [])}
    after = {(r.limit_id, r.started_on): r for r in deadlines.running(d)}
    gone = [key for key in before if key not in after]
    new = [r for key, r in after.items() if key not in before]
    if gone:
        session.execute(
            _DELETE_DEADLINE,
            [{"d": d.defendant_id, "limit_id": k[0], "started_on": k[1]} for k in gone],
        )
    if new:
        session.execute(
            _DEADLINES.insert(),
            [
                {
                    "case_id": d.case_id,
                    "defendant_id": d.defendant_id,
                    "limit_id": r.limit_id,
                    "started_on": r.started_on,
                    "due_on": r.due_on,
                    "extended_days": 0,
                    "extended_months": 0,
                    "extensions": "",
                    "article": r.article,
                }
                for r in new
            ],
        )


def _move(d: Defendant, stage: Stage, on: dt.date) -> None:
    d.stage = stage.value
    d.stage_since = on
    if stage is Stage.prosecution_review:
        # A new review (also after supplementary investigation) needs a new assessment.
        d.evidence_sufficient = None


def _end_measure(d: Defendant, on: dt.date, *, custody_continues: bool = False) -> None:
    if d.measure in CUSTODIAL and d.measure_since is not None:
        # Days in custody, counting the first and the last day; when custody continues under
        # another measure (detention -> arrest), the changeover day is counted once.
        d.detained_days += max((on - d.measure_since).days, 0) + (0 if custody_continues else 1)
    d.measure = Measure.none.value
    d.measure_since = None


def _start_measure(d: Defendant, measure: Measure, on: dt.date) -> None:
    if d.measure != Measure.none.value:
        _end_measure(d, on, custody_continues=measure in CUSTODIAL)
    d.measure = measure.value
    d.measure_since = on


@projector("case.registered")
def _registered(session: Session, event: Event, p: dict[str, Any]) -> None:
    session.add(
        Case(
            case_id=event.case_id,
            case_number=p["case_number"],
            agency_code=p["agency_code"],
            year=p["year"],
            serial=p["serial"],
            reported_on=dt.date.fromisoformat(p["reported_on"]),
            registered_on=local_date(event),
            summary=p["summary"],
            source=p["source"],
            status="open",
            defendant_count=0,
            version=1,
            last_seq=event.seq,
        )
    )


@projector("case.closed")
def _closed(session: Session, event: Event, p: dict[str, Any]) -> None:
    case = _touch_case(session, event)
    case.status = "closed"
    case.close_reason = p["reason"]
    case.closed_on = local_date(event)


@projector("defendant.added")
def _defendant_added(session: Session, event: Event, p: dict[str, Any]) -> None:
    case = _touch_case(session, event)
    case.defendant_count += 1
    session.add(
        Defendant(
            defendant_id=p["defendant_id"],
            case_id=event.case_id,
            defendant_no=p["defendant_no"],
            person_ref=p["person_ref"],
            age_at_offence=p.get("age_at_offence"),
            stage=Stage.investigation.value,
            stage_since=local_date(event),
            measure=Measure.none.value,
            detained_days=0,
            returns=0,
            version=1,
            last_seq=event.seq,
        )
    )


@projector("charge.added")
def _charge(session: Session, event: Event, p: dict[str, Any]) -> None:
    d = _defendant(session, event)
    session.add(
        Charge(
            case_id=event.case_id,
            defendant_id=d.defendant_id,
            crime_code=p["crime_code"],
            charged_on=local_date(event),
        )
    )


@projector("measure.imposed")
def _imposed(session: Session, event: Event, p: dict[str, Any]) -> None:
    d = _defendant(session, event)
    _start_measure(d, Measure(p["measure"]), local_date(event))
    refresh_deadlines(session, d)


@projector("measure.ended")
def _ended(session: Session, event: Event, p: dict[str, Any]) -> None:
    d = _defendant(session, event)
    _end_measure(d, local_date(event))
    refresh_deadlines(session, d)


@projector("arrest.requested")
def _arrest_requested(session: Session, event: Event, p: dict[str, Any]) -> None:
    d = _defendant(session, event)
    _move(d, Stage.arrest_review, local_date(event))
    refresh_deadlines(session, d)


@projector("arrest.decided")
def _arrest_decided(session: Session, event: Event, p: dict[str, Any]) -> None:
    d = _defendant(session, event)
    on = local_date(event)
    d.arrest_decision = "approved" if p["approved"] else "refused"
    d.arrest_refusal_ground = None if p["approved"] else p["ground"]
    _move(d, Stage.investigation, on)
    if p["approved"]:
        _start_measure(d, Measure.arrest, on)
    else:
        then = Measure(p.get("then_measure") or Measure.none)
        if then is Measure.none:
            _end_measure(d, on)
        else:
            _start_measure(d, then, on)
    refresh_deadlines(session, d)


@projector("prosecution.transferred")
def _transferred(session: Session, event: Event, p: dict[str, Any]) -> None:
    d = _defendant(session, event)
    _move(d, Stage.prosecution_review, local_date(event))
    refresh_deadlines(session, d)


@projector("prosecution.returned")
def _returned(session: Session, event: Event, p: dict[str, Any]) -> None:
    d = _defendant(session, event)
    d.returns = p["round"]
    _move(d, Stage.supplementary_investigation, local_date(event))
    refresh_deadlines(session, d)


@projector("prosecution.resubmitted")
def _resubmitted(session: Session, event: Event, p: dict[str, Any]) -> None:
    d = _defendant(session, event)
    _move(d, Stage.prosecution_review, local_date(event))
    refresh_deadlines(session, d)


@projector("prosecution.evidence_assessed")
def _assessed(session: Session, event: Event, p: dict[str, Any]) -> None:
    d = _defendant(session, event)
    d.evidence_sufficient = p["sufficient"]


@projector("prosecution.decided")
def _prosecution_decided(session: Session, event: Event, p: dict[str, Any]) -> None:
    d = _defendant(session, event)
    on = local_date(event)
    if p["prosecute"]:
        d.prosecution_decision = "prosecuted"
        _move(d, Stage.awaiting_trial, on)
    else:
        d.prosecution_decision = "not_prosecuted"
        d.non_prosecution_ground = p["ground"]
        _end_measure(d, on)
        _move(d, Stage.not_prosecuted, on)
    refresh_deadlines(session, d)


@projector("trial.procedure_assigned")
def _procedure(session: Session, event: Event, p: dict[str, Any]) -> None:
    d = _defendant(session, event)
    d.procedure = p["procedure"]
    d.expected_sentence_months = p.get("expected_sentence_months")
    _move(d, Stage.trial, local_date(event))
    refresh_deadlines(session, d)


@projector("trial.procedure_converted")
def _converted(session: Session, event: Event, p: dict[str, Any]) -> None:
    d = _defendant(session, event)
    d.procedure = p["to_procedure"]
    # The time limit restarts from the conversion (SPC-CPL-Interp art 368, 375).
    _move(d, Stage.trial, local_date(event))
    refresh_deadlines(session, d)


def _apply_judgment(d: Defendant, p: dict[str, Any]) -> None:
    d.verdict = p["verdict"]
    d.penalty_type = p.get("penalty_type")
    d.term_months = p.get("term_months")
    d.probation = p.get("probation")


@projector("judgment.rendered")
def _judgment(session: Session, event: Event, p: dict[str, Any]) -> None:
    d = _defendant(session, event)
    on = local_date(event)
    _apply_judgment(d, p)
    d.judged_on = on
    d.served_on = dt.date.fromisoformat(p["served_on"])
    non_custodial = (
        p["verdict"] != "convicted"
        or p.get("probation")
        or p.get("penalty_type")
        in (
            "public_surveillance",
            "fine_only",
        )
    )
    # Acquitted, exempted or given a non-custodial sentence: released in court (CPL art 260).
    if non_custodial and d.measure in CUSTODIAL:
        _end_measure(d, on)
    _move(d, Stage.judged, on)
    refresh_deadlines(session, d)


@projector("appeal.filed")
def _appeal(session: Session, event: Event, p: dict[str, Any]) -> None:
    d = _defendant(session, event)
    d.appeal_kind = p["kind"]
    _move(d, Stage.appeal, local_date(event))
    refresh_deadlines(session, d)


@projector("appeal.decided")
def _appeal_decided(session: Session, event: Event, p: dict[str, Any]) -> None:
    d = _defendant(session, event)
    on = local_date(event)
    d.appeal_outcome = p["outcome"]
    if p["outcome"] == "remanded":
        # Retried by the first-instance court under the ordinary procedure (CPL art 236, 239).
        d.procedure = "ordinary"
        _move(d, Stage.trial, on)
    else:
        if p["outcome"] == "amended":
            _apply_judgment(d, {k: v for k, v in p.items() if k != "outcome"})
        d.final_on = on
        _move(d, Stage.final, on)
    refresh_deadlines(session, d)


@projector("judgment.final")
def _final(session: Session, event: Event, p: dict[str, Any]) -> None:
    d = _defendant(session, event)
    on = local_date(event)
    d.final_on = on
    _move(d, Stage.final, on)
    refresh_deadlines(session, d)


@projector("execution.started")
def _execution(session: Session, event: Event, p: dict[str, Any]) -> None:
    d = _defendant(session, event)
    on = local_date(event)
    if d.measure != Measure.none.value:
        _end_measure(d, on)
    _move(d, Stage.executing, on)
    refresh_deadlines(session, d)


@projector("judgment.retrial_decided")
def _retrial(session: Session, event: Event, p: dict[str, Any]) -> None:
    d = _defendant(session, event)
    on = local_date(event)
    d.retrial_on = on
    d.retrial_outcome = p["outcome"]
    if p["outcome"] == "amended":
        _apply_judgment(d, p)
    elif p["outcome"] == "acquitted":
        _apply_judgment(d, {"verdict": "acquitted"})
        # An acquitted person is released and any execution stops (CPL art 260).
        _end_measure(d, on)
        _move(d, Stage.final, on)
    refresh_deadlines(session, d)


@projector("defendant.withdrawn")
def _withdrawn(session: Session, event: Event, p: dict[str, Any]) -> None:
    d = _defendant(session, event)
    on = local_date(event)
    _end_measure(d, on)
    _move(d, Stage.withdrawn, on)
    refresh_deadlines(session, d)


@projector("deadline.extended")
def _extended(session: Session, event: Event, p: dict[str, Any]) -> None:
    d = _defendant(session, event)
    row = session.execute(
        select(_DEADLINES).where(
            _DEADLINES.c.defendant_id == d.defendant_id, _DEADLINES.c.limit_id == p["limit_id"]
        )
    ).one()
    rule = deadlines.extension_rule(p["limit_id"], p["extension_id"])
    session.execute(
        _DEADLINES.update()
        .where(_DEADLINES.c.id == row.id)
        .values(
            extended_days=row.extended_days + rule.days,
            extended_months=row.extended_months + rule.months,
            extensions=",".join(filter(None, [*row.extensions.split(","), p["extension_id"]])),
            due_on=deadlines.add_period(row.due_on, days=rule.days, months=rule.months),
        )
    )
