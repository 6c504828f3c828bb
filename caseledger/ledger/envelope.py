"""The event envelope, its canonical serialisation and its SHA-256 hash.

The hash covers every envelope field, in a fixed order, as a compact JSON array of strings and
integers; the payload enters as its stored canonical JSON text, so the hash is computed over
exactly the bytes that are stored and a verifier never re-serialises a payload. Times are
stored and hashed as UTC ISO-8601 text with microseconds (``2024-03-01T08:30:00.000000Z``):
text sorts in time order and reads back byte for byte on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from caseledger.auth.roles import Role

HASH_VERSION = 1
GENESIS_HASH = "0" * 64
_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


@dataclass(frozen=True, slots=True)
class Actor:
    """Who decides: a person, in a role, for an agency."""

    id: str
    role: Role
    agency: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "role", Role(self.role))


def format_time(value: dt.datetime) -> str:
    """UTC text form of an aware datetime (naive values are refused upstream)."""
    if value.tzinfo is None:
        raise ValueError("naive datetime in an event envelope")
    return value.astimezone(dt.UTC).strftime(_TIME_FORMAT)


def parse_time(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, _TIME_FORMAT).replace(tzinfo=dt.UTC)


def canonical_payload(payload: dict[str, Any]) -> str:
    """Canonical JSON text of a payload: sorted keys, no spaces, UTF-8 characters kept."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def compute_hash(
    event_id: str,
    case_id: str,
    seq: int,
    event_type: str,
    occurred_at: str,
    recorded_at: str,
    actor_id: str,
    actor_role: str,
    agency_code: str,
    legal_basis: str,
    defendant_id: str | None,
    payload: str,
    prev_hash: str,
) -> str:
    """SHA-256 (hex) over the canonical serialisation of the envelope minus its own hash."""
    canonical = json.dumps(
        [
            HASH_VERSION,
            event_id,
            case_id,
            seq,
            event_type,
            occurred_at,
            recorded_at,
            actor_id,
            actor_role,
            agency_code,
            legal_basis,
            defendant_id,
            payload,
            prev_hash,
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# The order of Event columns that compute_hash takes, for verifiers that read raw rows.
HASHED_COLUMNS = (
    "event_id",
    "case_id",
    "seq",
    "event_type",
    "occurred_at",
    "recorded_at",
    "actor_id",
    "actor_role",
    "agency_code",
    "legal_basis",
    "defendant_id",
    "payload",
    "prev_hash",
)
