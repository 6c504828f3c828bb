"""Defendant lifecycle commands: one function per legal act of the Criminal Procedure Law.

Each command loads the defendant, checks the act against the transition table (stage and
role), checks the act's own legal conditions (grounds, time windows, procedure conditions,
penalty frame) and the order of dates, and only then appends its event. On any refusal
nothing is written. Errors name the case, the defendant and the rule.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from caseledger.case import deadlines
from caseledger.case import events as ev
from caseledger.case.enums import (
    NON_PROSECUTION_BASIS,
    ArrestGround,
    CloseReason,
    Measure,
    NonProsecutionGround,
    Stage,
)
from caseledger.case.models import Case, Charge, Deadline, Defendant
from caseledger.case.service import (
    act_time,
    append,
    get_case,
    get_case_defendant,
    get_defendant,
    label,
)
from caseledger.case.transitions import Act, check
from caseledger.errors import InvalidInput, PreconditionFailed, enum_value
from caseledger.ledger.envelope import Actor

When = dt.datetime | dt.date | str | None


def prepare_act(
    session: Session,
    actor: Actor,
    case_number: str,
    defendant_no: int,
    act_name: str,
    at: When,
    *,
    not_before: dt.date | None = None,
) -> tuple[Case, Defendant, Act, dt.datetime]:
    case, d = get_case_defendant(session, case_number, defendant_no)
    act = check(act_name, Stage(d.stage), actor.role, **label(case, d))
    floor = max(filter(None, [d.stage_since, d.measure_since, not_before]))
    when = act_time(at, case=case, d=d, not_before=floor, what=f"'{act.description}'")
    return case, d, act, when


def impose_measure(
    session: Session,
    *,
    actor: Actor,
    case_number: str,
    defendant_no: int,
    measure: Measure | str,
    at: When = None,
) -> Defendant:
    """Start criminal detention, bail or residential surveillance (replacing the current one)."""
    measure = Measure(measure)
    acts = {
        Measure.criminal_detention: "impose_detention",
        Measure.bail: "impose_bail",
        Measure.residential_surveillance: "impose_surveillance",
    }
    if measure not in acts:
        raise InvalidInput(
            "arrest is imposed only by an approved arrest decision",
            field="measure",
            allowed=",".join(m.value for m in acts),
            rule="CPL art 80",
        )
    case, d, act, when = prepare_act(session, actor, case_number, defendant_no, acts[measure], at)
    if d.measure == measure.value:
        raise PreconditionFailed(
            f"the defendant is already under {measure.value}", **label(case, d)
        )
    if measure is Measure.criminal_detention and d.measure == Measure.arrest.value:
        raise PreconditionFailed(
            "an arrested defendant cannot be put under criminal detention",
            rule="CPL art 82",
            **label(case, d),
        )
    append(
        session,
        case=case,
        d=d,
        actor=actor,
        at=when,
        basis=act.basis,
        payload=ev.MeasureImposed(measure=measure, replaces=Measure(d.measure)),
    )
    return d


def release(
    session: Session,
    *,
    actor: Actor,
    case_number: str,
    defendant_no: int,
    reason: str,
    at: When = None,
) -> Defendant:
    case, d, act, when = prepare_act(session, actor, case_number, defendant_no, "release", at)
    if d.measure == Measure.none.value:
        raise PreconditionFailed("the defendant is under no compulsory measure", **label(case, d))
    if not reason.strip():
        raise InvalidInput("a release needs its reason", field="reason", **label(case, d))
    append(
        session,
        case=case,
        d=d,
        actor=actor,
        at=when,
        basis=act.basis,
        payload=ev.MeasureEnded(measure=Measure(d.measure), reason=reason.strip()),
    )
    return d


def request_arrest(
    session: Session, *, actor: Actor, case_number: str, defendant_no: int, at: When = None
) -> Defendant:
    case, d, act, when = prepare_act(
        session, actor, case_number, defendant_no, "request_arrest", at
    )
    _require_charge(session, case, d, "requesting arrest")
    append(
        session, case=case, d=d, actor=actor, at=when, basis=act.basis, payload=ev.ArrestRequested()
    )
    return d


def decide_arrest(
    session: Session,
    *,
    actor: Actor,
    case_number: str,
    defendant_no: int,
    approved: bool,
    ground: ArrestGround | str | None = None,
    then_measure: Measure | str = Measure.none,
    at: When = None,
) -> Defendant:
    """Approve or refuse arrest; a refusal names its ground and what happens to the suspect."""
    case, d, _act, when = prepare_act(
        session, actor, case_number, defendant_no, "decide_arrest", at
    )
    then = Measure(then_measure)
    if approved:
        if ground is not None:
            raise InvalidInput(
                "an approved arrest has no refusal ground", field="ground", **label(case, d)
            )
        basis = "CPL art 81, 88-91"
    else:
        if ground is None:
            raise InvalidInput(
                "a refused arrest needs its ground",
                field="ground",
                allowed=",".join(g.value for g in ArrestGround),
                **label(case, d),
            )
        ground = ArrestGround(ground)
        if then not in (Measure.none, Measure.bail, Measure.residential_surveillance):
            raise InvalidInput(
                "after a refused arrest the suspect is released, bailed or under "
                "residential surveillance",
                field="then_measure",
                rule="CPL art 91",
                **label(case, d),
            )
        basis = "CPL art 90-91"
    append(
        session,
        case=case,
        d=d,
        actor=actor,
        at=when,
        basis=basis,
        payload=ev.ArrestDecided(
            approved=approved,
            ground=None if approved else ground,
            then_measure=Measure.none if approved else then,
        ),
    )
    return d


def transfer_for_prosecution(
    session: Session, *, actor: Actor, case_number: str, defendant_no: int, at: When = None
) -> Defendant:
    case, d, act, when = prepare_act(
        session, actor, case_number, defendant_no, "transfer_for_prosecution", at
    )
    _require_charge(session, case, d, "transferring for prosecution")
    append(
        session,
        case=case,
        d=d,
        actor=actor,
        at=when,
        basis=act.basis,
        payload=ev.ProsecutionTransferred(),
    )
    return d


def return_for_supplementary_investigation(
    session: Session,
    *,
    actor: Actor,
    case_number: str,
    defendant_no: int,
    reason: str,
    at: When = None,
) -> Defendant:
    case, d, act, when = prepare_act(
        session, actor, case_number, defendant_no, "return_for_supplementary_investigation", at
    )
    if d.returns >= 2:
        raise PreconditionFailed(
            "a case may be returned for supplementary investigation at most twice; decide on "
            "prosecution now (after two rounds with insufficient evidence: do not prosecute)",
            rule="CPL art 175(3)-(4)",
            **label(case, d),
        )
    if not reason.strip():
        raise InvalidInput("a return needs the reason", field="reason", **label(case, d))
    append(
        session,
        case=case,
        d=d,
        actor=actor,
        at=when,
        basis=act.basis,
        payload=ev.ProsecutionReturned(round=d.returns + 1, reason=reason.strip()),
    )
    return d


def resubmit(
    session: Session, *, actor: Actor, case_number: str, defendant_no: int, at: When = None
) -> Defendant:
    case, d, act, when = prepare_act(session, actor, case_number, defendant_no, "resubmit", at)
    append(
        session,
        case=case,
        d=d,
        actor=actor,
        at=when,
        basis=act.basis,
        payload=ev.ProsecutionResubmitted(round=d.returns),
    )
    return d


def decide_prosecution(
    session: Session,
    *,
    actor: Actor,
    case_number: str,
    defendant_no: int,
    prosecute: bool,
    ground: NonProsecutionGround | str | None = None,
    evidence: list[int] | None = None,
    at: When = None,
) -> Defendant:
    """Prosecute, citing the evidence relied on, or decline on a ground of CPL 175(4)/177."""
    case, d, _act, when = prepare_act(
        session, actor, case_number, defendant_no, "decide_prosecution", at
    )
    cite_evidence(session, case, d, evidence or [])
    charges = charges_of(session, d)
    if prosecute:
        if ground is not None:
            raise InvalidInput(
                "a decision to prosecute has no non-prosecution ground",
                field="ground",
                **label(case, d),
            )
        if not charges:
            raise PreconditionFailed(
                "nothing to prosecute: the defendant has no charge",
                rule="CPL art 176",
                **label(case, d),
            )
        basis = "CPL art 176"
    else:
        if ground is None:
            raise InvalidInput(
                "a decision not to prosecute needs its ground",
                field="ground",
                allowed=",".join(g.value for g in NonProsecutionGround),
                **label(case, d),
            )
        ground = NonProsecutionGround(ground)
        basis = NON_PROSECUTION_BASIS[ground]
    check_evidence_assessment(case, d, prosecute=prosecute, ground=ground)
    append(
        session,
        case=case,
        d=d,
        actor=actor,
        at=when,
        basis=basis,
        payload=ev.ProsecutionDecided(
            prosecute=prosecute,
            ground=None if prosecute else ground,
            charges=charges if prosecute else [],
            evidence=sorted(set(evidence or [])),
        ),
    )
    return d


def assess_evidence(
    session: Session,
    *,
    actor: Actor,
    case_number: str,
    defendant_no: int,
    sufficient: bool,
    reasoning: str,
    at: When = None,
) -> Defendant:
    """Record the prosecutor's assessment of the evidence, which every decision rests on."""
    case, d, act, when = prepare_act(
        session, actor, case_number, defendant_no, "assess_evidence", at
    )
    if not reasoning.strip():
        raise InvalidInput(
            "the assessment needs its reasoning", field="reasoning", **label(case, d)
        )
    append(
        session,
        case=case,
        d=d,
        actor=actor,
        at=when,
        basis=act.basis,
        payload=ev.EvidenceAssessed(sufficient=sufficient, reasoning=reasoning.strip()),
    )
    return d


def check_evidence_assessment(
    case: Case, d: Defendant, *, prosecute: bool, ground: NonProsecutionGround | str | None
) -> None:
    """No lower standard of proof: prosecution needs evidence assessed as sufficient, whatever
    the defendant admitted; insufficient evidence means non-prosecution on that ground."""
    if d.evidence_sufficient is None:
        raise PreconditionFailed(
            "record the evidence assessment (`case assess-evidence`) before deciding; a plea "
            "does not replace it",
            rule="CPL art 55, 176",
            **label(case, d),
        )
    if prosecute and not d.evidence_sufficient:
        raise PreconditionFailed(
            "the evidence was assessed as insufficient: the defendant is not prosecuted, even "
            "after admitting guilt",
            rule="CPL art 55, 175(4); seed 002 (standard of proof)",
            **label(case, d),
        )
    if not prosecute and not d.evidence_sufficient and ground != "insufficient_evidence":
        raise PreconditionFailed(
            "the evidence was assessed as insufficient: the ground is insufficient_evidence",
            rule="CPL art 175(4)",
            **label(case, d),
        )


def cite_evidence(session: Session, case: Case, d: Defendant, items: list[int]) -> None:
    """Refuse to cite excluded or unknown evidence (the registry lives in the evidence domain)."""
    if items:
        from caseledger.evidence import items as registry  # the evidence domain imports this one

        registry.check_citable(session, case, d, items)


WITHDRAWAL_REASONS = (CloseReason.no_crime, CloseReason.not_liable, CloseReason.merged)


def withdraw_defendant(
    session: Session,
    *,
    actor: Actor,
    case_number: str,
    defendant_no: int,
    reason: CloseReason | str,
    at: When = None,
) -> Defendant:
    """Withdraw the case against one suspect before transfer (CPL art 163); the case and its
    other defendants go on."""
    reason = enum_value(CloseReason, reason, field="reason")
    case, d, act, when = prepare_act(session, actor, case_number, defendant_no, "withdraw", at)
    if reason not in WITHDRAWAL_REASONS:
        raise InvalidInput(
            f"a suspect is not withdrawn as {reason.value}",
            field="reason",
            allowed=",".join(r.value for r in WITHDRAWAL_REASONS),
            **label(case, d),
        )
    append(
        session,
        case=case,
        d=d,
        actor=actor,
        at=when,
        basis=act.basis,
        payload=ev.DefendantWithdrawn(reason=reason),
    )
    return d


def extend_deadline(
    session: Session,
    *,
    actor: Actor,
    case_number: str,
    defendant_no: int,
    limit_id: str,
    extension_id: str,
    approver: str,
    at: When = None,
) -> Defendant:
    """Record an approved extension of a running time limit (only those the law provides)."""
    case = get_case(session, case_number)
    d = get_defendant(session, case, defendant_no)
    rule = deadlines.extension_rule(limit_id, extension_id)
    running = session.execute(
        select(Deadline).where(
            Deadline.defendant_id == d.defendant_id, Deadline.limit_id == limit_id
        )
    ).scalar_one_or_none()
    if running is None:
        raise PreconditionFailed(
            f"time limit {limit_id} is not running for this defendant", **label(case, d)
        )
    if extension_id in running.extensions.split(","):
        raise PreconditionFailed(
            f"extension {extension_id} was already granted", rule=rule.article, **label(case, d)
        )
    when = act_time(at, case=case, d=d, not_before=running.started_on, what="the extension")
    if not approver.strip():
        raise InvalidInput("an extension names who approved it", field="approver", **label(case, d))
    append(
        session,
        case=case,
        d=d,
        actor=actor,
        at=when,
        basis=rule.article,
        payload=ev.DeadlineExtended(
            limit_id=limit_id, extension_id=extension_id, approver=approver.strip()
        ),
    )
    return d


def charges_of(session: Session, d: Defendant) -> list[str]:
    return list(session.execute(_CHARGES_OF, {"d": d.defendant_id}).scalars())


_CHARGES_OF = (
    select(Charge.crime_code).where(Charge.defendant_id == bindparam("d")).order_by(Charge.id)
)


def _require_charge(session: Session, case: Case, d: Defendant, what: str) -> None:
    if not charges_of(session, d):
        raise PreconditionFailed(f"{what} needs at least one charge", **label(case, d))
