"""Event types of the case domain and their payload schemas.

One class per legal act. Payloads hold the legal facts of the act; who, when, for which agency
and on what legal basis are in the ledger envelope. Personal details are not here: a defendant
is referred to by ``defendant_id`` and a ``person_ref`` into ``personal_data``.
"""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from caseledger.case.enums import (
    AppealKind,
    AppealOutcome,
    ArrestGround,
    CloseReason,
    CourtLevel,
    Measure,
    NonProsecutionGround,
    PenaltyType,
    Procedure,
    RetrialInitiator,
    RetrialOutcome,
    Verdict,
)
from caseledger.ledger.registry import Payload, event_type


@event_type("case.registered", "A reported case was registered and given its case number.")
class CaseRegistered(Payload):
    case_number: str
    agency_code: str
    year: int
    serial: int
    reported_on: dt.date
    summary: str
    source: str


@event_type("case.closed", "The case was closed, with the recorded reason.")
class CaseClosed(Payload):
    reason: CloseReason
    note: str


@event_type("defendant.added", "A suspect was identified in the case.")
class DefendantAdded(Payload):
    defendant_id: str
    defendant_no: int
    person_ref: str
    age_at_offence: int | None = Field(default=None, ge=0, le=130)


@event_type("charge.added", "A suspected crime was recorded against a defendant.")
class ChargeAdded(Payload):
    crime_code: str


@event_type("measure.imposed", "A compulsory measure started (detention, bail, surveillance).")
class MeasureImposed(Payload):
    measure: Measure
    replaces: Measure = Measure.none


@event_type("measure.ended", "The current compulsory measure ended.")
class MeasureEnded(Payload):
    measure: Measure
    reason: str


@event_type("arrest.requested", "The police asked the procuratorate to approve arrest.")
class ArrestRequested(Payload):
    pass


@event_type("arrest.decided", "The procuratorate approved or refused the arrest.")
class ArrestDecided(Payload):
    approved: bool
    ground: ArrestGround | None = None
    then_measure: Measure = Measure.none


@event_type("prosecution.transferred", "The case was transferred for prosecution review.")
class ProsecutionTransferred(Payload):
    pass


@event_type("prosecution.returned", "The case was returned for supplementary investigation.")
class ProsecutionReturned(Payload):
    round: int = Field(ge=1, le=2)
    reason: str


@event_type("prosecution.resubmitted", "The case came back after supplementary investigation.")
class ProsecutionResubmitted(Payload):
    round: int = Field(ge=1, le=2)


@event_type(
    "prosecution.evidence_assessed",
    "The prosecutor recorded whether the evidence is reliable and sufficient (a plea does not "
    "replace this).",
)
class EvidenceAssessed(Payload):
    sufficient: bool
    reasoning: str = Field(min_length=1, max_length=4000)


@event_type("prosecution.decided", "The procuratorate decided to prosecute or not.")
class ProsecutionDecided(Payload):
    prosecute: bool
    ground: NonProsecutionGround | None = None
    charges: list[str] = Field(default_factory=list)
    evidence: list[int] = Field(default_factory=list)


@event_type("trial.procedure_assigned", "The court chose the trial procedure.")
class ProcedureAssigned(Payload):
    procedure: Procedure
    court_level: CourtLevel
    expected_sentence_months: int | None = Field(default=None, ge=0)
    conditions: dict[str, bool | int | str | None]


@event_type("trial.procedure_converted", "The court converted the trial to another procedure.")
class ProcedureConverted(Payload):
    from_procedure: Procedure
    to_procedure: Procedure
    ground: str


@event_type("judgment.rendered", "A first-instance judgment was given.")
class JudgmentRendered(Payload):
    verdict: Verdict
    penalty_type: PenaltyType | None = None
    term_months: int | None = Field(default=None, ge=0)
    probation: bool = False
    probation_months: int | None = Field(default=None, ge=0)
    fine_yuan: int | None = Field(default=None, ge=0)
    served_on: dt.date
    evidence: list[int] = Field(default_factory=list)


@event_type("appeal.filed", "An appeal (defendant) or protest (procuratorate) was filed.")
class AppealFiled(Payload):
    kind: AppealKind


@event_type("appeal.decided", "The second-instance court decided the appeal.")
class AppealDecided(Payload):
    outcome: AppealOutcome
    verdict: Verdict | None = None
    penalty_type: PenaltyType | None = None
    term_months: int | None = Field(default=None, ge=0)
    probation: bool | None = None
    fine_yuan: int | None = Field(default=None, ge=0)


@event_type("judgment.final", "The judgment took legal effect.")
class JudgmentFinal(Payload):
    pass


@event_type("execution.started", "The offender was delivered for execution of the sentence.")
class ExecutionStarted(Payload):
    kind: str


@event_type(
    "judgment.retrial_decided",
    "A final judgment was retried under trial supervision (CPL arts 252-258): upheld, amended or "
    "the defendant acquitted.",
)
class RetrialDecided(Payload):
    outcome: RetrialOutcome
    initiated_by: RetrialInitiator
    reason: str = Field(min_length=1, max_length=4000)
    verdict: Verdict | None = None
    penalty_type: PenaltyType | None = None
    term_months: int | None = Field(default=None, ge=0)
    probation: bool | None = None
    probation_months: int | None = Field(default=None, ge=0)
    fine_yuan: int | None = Field(default=None, ge=0)


@event_type("defendant.withdrawn", "The case against this defendant was withdrawn.")
class DefendantWithdrawn(Payload):
    reason: CloseReason


@event_type("deadline.extended", "An approved extension of a time limit.")
class DeadlineExtended(Payload):
    limit_id: str
    extension_id: str
    approver: str
