"""Retrial of a final judgment under trial supervision (审判监督程序, CPL arts 252-258).

A judgment that has taken effect can be retried when a party's petition succeeds (CPL art
252-253), when the court itself finds an error (CPL art 254(1)-(2)) or on a procuratorate's
protest (CPL art 254(3)-(4)). The retrial upholds the judgment, amends it (a new verdict or
sentence, checked against the statutory frame) or acquits the defendant. Unless the
procuratorate protested, a retrial does not make the sentence heavier (SPC-CPL-Interp art 469;
confidence R, recalled). This is how wrongful convictions are corrected in the ledger: the
original judgment stays in the chain and the retrial is a new, attributed act on top of it.

Must never: rewrite or hide the original judgment, or retry a judgment that has not taken
effect (that is the appeal's job).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from caseledger.case import events as ev
from caseledger.case.enums import (
    PenaltyType,
    RetrialInitiator,
    RetrialOutcome,
    Verdict,
)
from caseledger.case.lifecycle import When, charges_of, prepare_act
from caseledger.case.models import Defendant
from caseledger.case.service import append, label
from caseledger.case.trial import _heavier, check_sentence
from caseledger.errors import InvalidInput, PreconditionFailed, enum_value
from caseledger.ledger.envelope import Actor

NO_HEAVIER_RULE = "SPC-CPL-Interp art 469 (confidence R)"
BASIS = {
    RetrialInitiator.petition: "CPL art 252-253, 256",
    RetrialInitiator.court: "CPL art 254(1)-(2), 256",
    RetrialInitiator.protest: "CPL art 254(3)-(4), 256",
}


def decide_retrial(
    session: Session,
    *,
    actor: Actor,
    case_number: str,
    defendant_no: int,
    outcome: RetrialOutcome | str,
    initiated_by: RetrialInitiator | str,
    reason: str,
    verdict: Verdict | str | None = None,
    penalty_type: PenaltyType | str | None = None,
    term_months: int | None = None,
    probation: bool = False,
    probation_months: int | None = None,
    fine_yuan: int | None = None,
    at: When = None,
) -> Defendant:
    """Record the retrial of a final judgment: upheld, amended (new verdict and sentence) or
    acquitted."""
    outcome = enum_value(RetrialOutcome, outcome, field="outcome")
    initiated_by = enum_value(RetrialInitiator, initiated_by, field="initiated_by")
    case, d, _act, when = prepare_act(
        session, actor, case_number, defendant_no, "decide_retrial", at
    )
    ctx = label(case, d)
    if not reason.strip():
        raise InvalidInput("a retrial decision states its reasons", field="reason", **ctx)
    given = [
        name
        for name, value in (
            ("verdict", verdict),
            ("penalty_type", penalty_type),
            ("term_months", term_months),
            ("probation_months", probation_months),
            ("fine_yuan", fine_yuan),
        )
        if value is not None
    ] + (["probation"] if probation else [])
    if outcome is not RetrialOutcome.amended:
        if given:
            raise InvalidInput(
                f"a retrial that is {outcome.value} carries no new sentence",
                field=given[0],
                **ctx,
            )
        if outcome is RetrialOutcome.acquitted and d.verdict == Verdict.acquitted.value:
            raise PreconditionFailed(
                "the defendant was already acquitted; there is nothing to acquit", **ctx
            )
        payload = ev.RetrialDecided(
            outcome=outcome, initiated_by=initiated_by, reason=reason.strip()
        )
    else:
        if verdict is None:
            raise InvalidInput("an amended judgment needs its verdict", field="verdict", **ctx)
        v = enum_value(Verdict, verdict, field="verdict", **ctx)
        if v is Verdict.acquitted:
            raise InvalidInput(
                "an acquittal on retrial is recorded with the outcome 'acquitted'",
                field="outcome",
                **ctx,
            )
        p = (
            enum_value(PenaltyType, penalty_type, field="penalty_type", **ctx)
            if penalty_type
            else None
        )
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
        if initiated_by is not RetrialInitiator.protest and _heavier(d, v, p, term_months):
            raise PreconditionFailed(
                "a retrial not started by a procuratorate protest may not make the sentence "
                "heavier",
                rule=NO_HEAVIER_RULE,
                **ctx,
            )
        payload = ev.RetrialDecided(
            outcome=outcome,
            initiated_by=initiated_by,
            reason=reason.strip(),
            verdict=v,
            penalty_type=p,
            term_months=term_months,
            probation=probation,
            probation_months=probation_months,
            fine_yuan=fine_yuan,
        )
    append(
        session, case=case, d=d, actor=actor, at=when, basis=BASIS[initiated_by], payload=payload
    )
    return d
