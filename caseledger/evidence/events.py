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
