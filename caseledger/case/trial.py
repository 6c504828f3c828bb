"""Trial acts: procedure choice and conversion, judgment, appeal, finality and execution.

Same contract as :mod:`caseledger.case.lifecycle`: check the stage and role, the act's legal
conditions (procedure conditions as data, the statutory penalty frame, the appeal window, no
heavier sentence on the defendant's own appeal) and the order of dates; then append. A refusal
writes nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy.orm import Session

from caseledger.case import clock, deadlines, rules
from caseledger.case import events as ev
from caseledger.case.enums import (
    AppealKind,
    AppealOutcome,
    CourtLevel,
    PenaltyType,
    Procedure,
    Verdict,
)
from caseledger.case.lifecycle import When, charges_of, cite_evidence, prepare_act
from caseledger.case.models import Case, Defendant
from caseledger.case.service import append, label
from caseledger.errors import InvalidInput, PreconditionFailed
from caseledger.ledger.envelope import Actor


class ProcedureFacts(BaseModel):
    """What the court records when choosing a procedure; checked against data/procedures.yaml."""

    model_config = ConfigDict(extra="forbid")

    court_level: CourtLevel = CourtLevel.basic
    expected_sentence_months: int | None = None
    # The sentencing guideline pack the expected sentence was computed with, if any.
    expected_sentence_pack: str | None = None
    facts_clear_evidence_sufficient: bool | None = None
    pleaded: bool | None = None
    admits_crime: bool | None = None
    agrees_to_procedure: bool | None = None
    disability: bool = False
    minor: bool | None = None
    major_social_impact: bool = False
    codefendant_dispute: bool = False
    civil_compensation_unsettled: bool = False
    defender_pleads_not_guilty: bool = False


def procedure_refusals(procedure: Procedure, facts: ProcedureFacts) -> list[str]:
    """Every legal condition of ``procedure`` that the facts do not meet, with its article."""
    rule = rules.procedure_rules().procedures[procedure.value]
    values: dict[str, Any] = facts.model_dump(mode="json")
    out: list[str] = []
    for req in rule.requires:
        value = values.get(req.field)
        ok = value is not None and (
            (req.at_most is None or value <= req.at_most)
            and (req.equals is None or value == req.equals)
        )
        if not ok:
            out.append(f"requires {req.text} ({req.article}); recorded {req.field}={value}")
    for exc in rule.excludes:
        if values.get(exc.field) == exc.equals:
            out.append(f"excluded: {exc.text} ({exc.article})")
    return out


def assign_procedure(
    session: Session,
    *,
    actor: Actor,
    case_number: str,
    defendant_no: int,
    procedure: Procedure | str,
    facts: ProcedureFacts | None = None,
    at: When = None,
) -> Defendant:
    """Choose fast-track, summary or ordinary procedure, checking its legal conditions."""
    procedure = Procedure(procedure)
    case, d, _act, when = prepare_act(
        session, actor, case_number, defendant_no, "assign_procedure", at
    )
    facts = facts or ProcedureFacts()
    if facts.expected_sentence_pack is not None:
        from caseledger.sentencing.compiled import default_library

        packs = default_library().packs
        if facts.expected_sentence_pack not in packs:
            raise InvalidInput(
                f"unknown sentencing pack {facts.expected_sentence_pack!r}",
                field="expected_sentence_pack",
                allowed=",".join(sorted(packs)),
                **label(case, d),
            )
    if facts.minor is None and d.age_at_offence is not None:
        facts = facts.model_copy(update={"minor": d.age_at_offence < 18})
    refusals = procedure_refusals(procedure, facts)
    if refusals:
        raise PreconditionFailed(
            f"the {procedure.value} procedure cannot be used: " + "; ".join(refusals),
            rule="CPL art 214-215" if procedure is Procedure.summary else "CPL art 222-223",
            **label(case, d),
        )
    basis = {
        Procedure.fast_track: "CPL art 222",
        Procedure.summary: "CPL art 214",
        Procedure.ordinary: "CPL art 186-202",
    }[procedure]
    append(
        session,
        case=case,
        d=d,
        actor=actor,
        at=when,
        basis=basis,
        payload=ev.ProcedureAssigned(
            procedure=procedure,
            court_level=facts.court_level,
            expected_sentence_months=facts.expected_sentence_months,
            conditions=facts.model_dump(mode="json"),
        ),
    )
    return d


_FULLER = {
    Procedure.fast_track: (Procedure.summary, Procedure.ordinary),
    Procedure.summary: (Procedure.ordinary,),
    Procedure.ordinary: (),
}


def convert_procedure(
    session: Session,
    *,
    actor: Actor,
    case_number: str,
    defendant_no: int,
    to: Procedure | str,
    ground: str,
    at: When = None,
) -> Defendant:
    to = Procedure(to)
    case, d, act, when = prepare_act(
        session, actor, case_number, defendant_no, "convert_procedure", at
    )
    current = Procedure(d.procedure)
    if to not in _FULLER[current]:
        raise PreconditionFailed(
            f"a {current.value} trial can only be converted to a fuller procedure",
            rule="CPL art 221, 226; SPC-CPL-Interp art 368, 375",
            allowed=",".join(p.value for p in _FULLER[current]) or "none",
            **label(case, d),
        )
    if not ground.strip():
        raise InvalidInput("a conversion needs its ground", field="ground", **label(case, d))
    append(
        session,
        case=case,
        d=d,
        actor=actor,
        at=when,
        basis=act.basis,
        payload=ev.ProcedureConverted(
            from_procedure=current, to_procedure=to, ground=ground.strip()
        ),
    )
    return d


def check_sentence(
    *,
    case: Case,
    d: Defendant,
    verdict: Verdict,
    penalty_type: PenaltyType | None,
    term_months: int | None,
    probation: bool,
    probation_months: int | None,
    fine_yuan: int | None,
    charge_count: int,
) -> None:
    """Refuse a sentence outside the statutory frame (CL arts 33-53, 69, 72-73)."""
    ctx = label(case, d)
    if verdict is not Verdict.convicted:
        if penalty_type or term_months or probation or fine_yuan:
            raise InvalidInput(
                f"an {verdict.value} defendant receives no penalty",
                rule="CL art 37" if verdict is Verdict.exempted else "CPL art 200",
                **ctx,
            )
        return
    if penalty_type is None:
        raise InvalidInput(
            "a conviction needs its penalty type",
            field="penalty_type",
            allowed=",".join(p.value for p in PenaltyType),
            **ctx,
        )
    frame = rules.penalties().penalties[penalty_type.value]
    if frame.min_months is not None:
        if term_months is None:
            raise InvalidInput(
                f"{penalty_type.value} needs its term in months",
                field="term_months",
                rule=frame.article,
                **ctx,
            )
        top = frame.combined_max_months if charge_count > 1 else frame.max_months
        if not (frame.min_months <= term_months <= (top or term_months)):
            raise InvalidInput(
                f"{penalty_type.value} of {term_months} months is outside "
                f"{frame.min_months}-{top} months",
                field="term_months",
                rule=frame.article,
                **ctx,
            )
    elif term_months:
        raise InvalidInput(
            f"{penalty_type.value} has no term in months", field="term_months", **ctx
        )
    if penalty_type is PenaltyType.fine_only and not fine_yuan:
        raise InvalidInput(
            "a fine alone needs its amount", field="fine_yuan", rule=frame.article, **ctx
        )
    prob = rules.penalties().probation
    if probation:
        limit = prob.eligible.get(penalty_type.value)
        if limit is None or term_months is None or term_months > limit:
            raise InvalidInput(
                "probation only for criminal detention or imprisonment of 3 years or less",
                field="probation",
                rule=prob.article,
                **ctx,
            )
        period = prob.period[penalty_type.value]
        low = max(term_months, period["min_months"])
        if probation_months is None or not low <= probation_months <= period["max_months"]:
            raise InvalidInput(
                f"the probation period must be {low}-{period['max_months']} months",
                field="probation_months",
                rule=prob.period_article,
                **ctx,
            )
    elif probation_months:
        raise InvalidInput("a probation period without probation", field="probation_months", **ctx)


def render_judgment(
    session: Session,
    *,
    actor: Actor,
    case_number: str,
    defendant_no: int,
    verdict: Verdict | str,
    penalty_type: PenaltyType | str | None = None,
    term_months: int | None = None,
    probation: bool = False,
    probation_months: int | None = None,
    fine_yuan: int | None = None,
    served_on: dt.date | str | None = None,
    evidence: list[int] | None = None,
    at: When = None,
) -> Defendant:
    verdict = Verdict(verdict)
    ptype = PenaltyType(penalty_type) if penalty_type else None
    case, d, _act, when = prepare_act(
        session, actor, case_number, defendant_no, "render_judgment", at
    )
    check_sentence(
        case=case,
        d=d,
        verdict=verdict,
        penalty_type=ptype,
        term_months=term_months,
        probation=probation,
        probation_months=probation_months,
        fine_yuan=fine_yuan,
        charge_count=len(charges_of(session, d)),
    )
    cite_evidence(session, case, d, evidence or [])
    judged_on = clock.to_legal_date(when)
    served = (
        clock.parse_date(served_on, field="served_on")
        if isinstance(served_on, str)
        else (served_on or judged_on)
    )
    if served < judged_on or served > clock.today():
        raise InvalidInput(
            "the judgment must be served on or after its date, and not in the future",
            field="served_on",
            **label(case, d),
        )
    append(
        session,
        case=case,
        d=d,
        actor=actor,
        at=when,
        basis="CPL art 200",
        payload=ev.JudgmentRendered(
            verdict=verdict,
            penalty_type=ptype,
            term_months=term_months,
            probation=probation,
            probation_months=probation_months,
            fine_yuan=fine_yuan,
            served_on=served,
            evidence=sorted(set(evidence or [])),
        ),
    )
    return d


def _appeal_window(d: Defendant) -> tuple[dt.date, str]:
    limit = next(x for x in rules.time_limits().limits if x.id == "appeal_window")
    assert d.served_on is not None
    return deadlines.add_period(d.served_on, days=limit.days, months=limit.months), limit.article


def file_appeal(
    session: Session,
    *,
    actor: Actor,
    case_number: str,
    defendant_no: int,
    kind: AppealKind | str,
    at: When = None,
) -> Defendant:
    """Record an appeal by the defendant's side or a protest by the procuratorate, in time."""
    kind = AppealKind(kind)
    case, d, _act, when = prepare_act(session, actor, case_number, defendant_no, "file_appeal", at)
    last_day, article = _appeal_window(d)
    if clock.to_legal_date(when) > last_day:
        raise PreconditionFailed(
            f"the appeal window closed on {last_day}", rule=article, **label(case, d)
        )
    append(
        session,
        case=case,
        d=d,
        actor=actor,
        at=when,
        basis="CPL art 227, 230" if kind is AppealKind.appeal else "CPL art 228, 230",
        payload=ev.AppealFiled(kind=kind),
    )
    return d


def decide_appeal(
    session: Session,
    *,
    actor: Actor,
    case_number: str,
    defendant_no: int,
    outcome: AppealOutcome | str,
    verdict: Verdict | str | None = None,
    penalty_type: PenaltyType | str | None = None,
    term_months: int | None = None,
    probation: bool = False,
    probation_months: int | None = None,
    fine_yuan: int | None = None,
    at: When = None,
) -> Defendant:
    outcome = AppealOutcome(outcome)
    case, d, _act, when = prepare_act(
        session, actor, case_number, defendant_no, "decide_appeal", at
    )
    if outcome is AppealOutcome.amended:
        if verdict is None:
            raise InvalidInput(
                "an amended judgment needs its verdict", field="verdict", **label(case, d)
            )
        v, p = Verdict(verdict), PenaltyType(penalty_type) if penalty_type else None
        check_sentence(
            case=case,
            d=d,
            verdict=v,
            penalty_type=p,
            term_months=term_months,
            probation=probation,
            probation_months=probation_months,
            fine_yuan=fine_yuan,
            charge_count=len(charges_of(session, d)),
        )
        if d.appeal_kind == AppealKind.appeal.value and _heavier(d, v, p, term_months):
            raise PreconditionFailed(
                "on the defendant's own appeal the sentence may not be made heavier",
                rule="CPL art 237",
                **label(case, d),
            )
        payload = ev.AppealDecided(
            outcome=outcome,
            verdict=v,
            penalty_type=p,
            term_months=term_months,
            probation=probation,
            fine_yuan=fine_yuan,
        )
    else:
        payload = ev.AppealDecided(outcome=outcome)
    append(session, case=case, d=d, actor=actor, at=when, basis="CPL art 236, 259", payload=payload)
    return d


_SEVERITY = {
    None: 0,
    "fine_only": 1,
    "public_surveillance": 2,
    "criminal_detention": 3,
    "imprisonment": 4,
    "life_imprisonment": 5,
    "death_suspended": 6,
    "death": 7,
}


def _heavier(d: Defendant, verdict: Verdict, ptype: PenaltyType | None, term: int | None) -> bool:
    if d.verdict != Verdict.convicted.value:
        return verdict is Verdict.convicted
    old = (_SEVERITY[d.penalty_type], d.term_months or 0)
    new = (_SEVERITY[ptype.value if ptype else None], term or 0)
    return new > old


def declare_final(
    session: Session, *, actor: Actor, case_number: str, defendant_no: int, at: When = None
) -> Defendant:
    case, d, _act, when = prepare_act(
        session, actor, case_number, defendant_no, "declare_final", at
    )
    last_day, article = _appeal_window(d)
    if clock.to_legal_date(when) <= last_day:
        raise PreconditionFailed(
            f"the appeal window is open until {last_day}", rule=article, **label(case, d)
        )
    append(
        session,
        case=case,
        d=d,
        actor=actor,
        at=when,
        basis="CPL art 259",
        payload=ev.JudgmentFinal(),
    )
    return d


EXECUTION_KIND = {
    "imprisonment": "prison",
    "life_imprisonment": "prison",
    "death_suspended": "prison",
    "criminal_detention": "detention_house",
    "public_surveillance": "community_correction",
    "fine_only": "fine",
    "death": "death_penalty_review",
}


def start_execution(
    session: Session, *, actor: Actor, case_number: str, defendant_no: int, at: When = None
) -> Defendant:
    case, d, _act, when = prepare_act(
        session, actor, case_number, defendant_no, "start_execution", at
    )
    if d.verdict != Verdict.convicted.value or d.penalty_type is None:
        raise PreconditionFailed(
            "there is no sentence to execute", rule="CPL art 260", **label(case, d)
        )
    kind = "community_correction" if d.probation else EXECUTION_KIND[d.penalty_type]
    append(
        session,
        case=case,
        d=d,
        actor=actor,
        at=when,
        basis="CPL art 264, 269",
        payload=ev.ExecutionStarted(kind=kind),
    )
    return d
