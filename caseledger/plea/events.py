"""Event types of the plea procedure."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import Field

from caseledger.evidence.events import Participant
from caseledger.ledger.registry import Payload, event_type


class CounselKind(StrEnum):
    retained = "retained"
    duty_lawyer = "duty_lawyer"
    appointed = "appointed"


class NotRequiredGround(StrEnum):
    """CPL art 174(2): when no plea statement is signed."""

    disability = "disability"
    minor_representative_objects = "minor_representative_objects"
    other = "other"


class RejectionGround(StrEnum):
    """CPL art 201(1): when the court need not adopt the recommendation."""

    not_a_crime = "not_a_crime"
    involuntary = "involuntary"
    denies_facts = "denies_facts"
    charge_differs = "charge_differs"
    fair_trial = "fair_trial"


class CourtDecision(StrEnum):
    adopted = "adopted"
    adjusted = "adjusted"
    rejected = "rejected"


@event_type("plea.rights_notified", "The defendant was told of the plea-leniency rules and rights.")
class RightsNotified(Payload):
    items: list[str] = Field(min_length=1)


@event_type("plea.guilt_admitted", "The defendant admitted guilt and accepted punishment.")
class GuiltAdmitted(Payload):
    stage: str = Field(pattern="^(investigation|prosecution|trial)$")


@event_type("plea.counsel_assigned", "A retained, duty or appointed lawyer was assigned.")
class CounselAssigned(Payload):
    kind: CounselKind
    lawyer_id: str = Field(min_length=1, max_length=64)
    office: str = Field(min_length=1, max_length=200)


@event_type(
    "plea.consultation_held",
    "A recorded consultation between prosecution and defence on the recommendation.",
)
class ConsultationHeld(Payload):
    participants: list[Participant] = Field(min_length=2)
    proposed_months: int | None = Field(default=None, ge=0)
    defence_opinion: str = Field(min_length=1, max_length=4000)
    recording_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


@event_type(
    "plea.leniency_override",
    "A prosecutor grants plea leniency in a case the rules exclude; flagged for quality review.",
)
class LeniencyOverridden(Payload):
    reason: str = Field(min_length=10, max_length=4000)


class _Agreement(Payload):
    sentencing_input: dict[str, Any]
    recommendation: dict[str, Any]
    kind: str = Field(pattern="^(definite|range)$")
    definite_months: int | None = None
    range_months: tuple[int, int] | None = None
    penalty_type: str
    range_reason: str | None = None
    deviation_reason: str | None = None
    engine_definite_months: int | None  # None: no guideline covers the case
    counsel_id: str
    counsel_kind: CounselKind
    consultations: list[str] = Field(min_length=1)


@event_type(
    "plea.statement_signed",
    "The plea statement was signed by the defendant in the presence of counsel, with the "
    "engine's recommendation and its explanation.",
)
class StatementSigned(_Agreement):
    pass


@event_type(
    "plea.agreed_without_statement",
    "The recommendation was agreed where the law requires no signed statement (CPL art 174(2)).",
)
class AgreedWithoutStatement(_Agreement):
    ground: NotRequiredGround
    reason: str = Field(min_length=1, max_length=2000)


@event_type("plea.withdrawn", "The defendant withdrew the plea; statement and recommendation void.")
class PleaWithdrawn(Payload):
    reason: str = Field(min_length=1, max_length=2000)


@event_type(
    "plea.recommendation_revised", "The prosecutor revised the recommendation (CPL 201(2))."
)
class RecommendationRevised(Payload):
    definite_months: int = Field(ge=0)
    reason: str = Field(min_length=1, max_length=2000)


@event_type("plea.court_decided", "The court adopted, adjusted or rejected the recommendation.")
class CourtDecided(Payload):
    decision: CourtDecision
    ground: RejectionGround | None = None
