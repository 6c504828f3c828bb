"""Event types of the evidence domain."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from caseledger.ledger.registry import Payload, event_type


class RecordingPurpose(StrEnum):
    interrogation = "interrogation"
    plea_consultation = "plea_consultation"


class Participant(Payload):
    role: str = Field(min_length=1, max_length=32)
    id: str = Field(min_length=1, max_length=64)


@event_type(
    "recording.registered",
    "An audio-video recording was stored; the ledger keeps its SHA-256 and metadata only.",
)
class RecordingRegistered(Payload):
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    size_bytes: int = Field(ge=0)
    media_type: str = Field(pattern=r"^[a-z]+/[a-z0-9.+-]+$")
    duration_seconds: int = Field(ge=0)
    purpose: RecordingPurpose
    participants: list[Participant] = Field(min_length=1)


class EvidenceCategory(StrEnum):
    """The kinds of evidence of CPL art 50."""

    physical = "physical"
    documentary = "documentary"
    witness_testimony = "witness_testimony"
    victim_statement = "victim_statement"
    defendant_statement = "defendant_statement"
    expert_opinion = "expert_opinion"
    inspection_record = "inspection_record"
    audio_visual = "audio_visual"
    electronic_data = "electronic_data"


class ExclusionStage(StrEnum):
    investigation = "investigation"
    prosecution_review = "prosecution_review"
    pretrial_conference = "pretrial_conference"
    trial = "trial"


@event_type("evidence.collected", "An item of evidence was collected and registered on the case.")
class EvidenceCollected(Payload):
    item_no: int = Field(ge=1)
    category: EvidenceCategory
    description: str = Field(min_length=1, max_length=2000)
    method: str = Field(min_length=1, max_length=200)
    recording_sha256: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")
    imported: bool = False
    flags: list[str] = Field(default_factory=list)


@event_type("evidence.challenged", "The legality of an item of evidence was challenged.")
class EvidenceChallenged(Payload):
    item_no: int = Field(ge=1)
    ground: str = Field(min_length=1, max_length=500)


@event_type(
    "evidence.exclusion_decided",
    "A decision on excluding an item as illegally obtained (CPL art 56), at a given stage.",
)
class EvidenceExclusionDecided(Payload):
    item_no: int = Field(ge=1)
    excluded: bool
    stage: ExclusionStage
    ground: str = Field(min_length=1, max_length=500)
