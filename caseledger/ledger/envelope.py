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
from functools import lru_cache
from typing import Any, NamedTuple

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


class StoredEvent(NamedTuple):
    """One event as stored: the envelope fields in their hashed order, then its hash.

    What :func:`caseledger.ledger.store.append` returns and what projectors receive (on append
    and on rebuild); the attribute names are those of the ``events`` columns, and the tuple is
    the row as inserted (:data:`HASHED_COLUMNS` plus ``hash``).
    """

    event_id: str
    case_id: str
    seq: int
    event_type: str
    occurred_at: str
    recorded_at: str
    actor_id: str
    actor_role: str
    agency_code: str
    legal_basis: str
    defendant_id: str | None
    payload: str
    prev_hash: str
    hash: str


def format_time(value: dt.datetime) -> str:
    """UTC text form of an aware datetime (naive values are refused upstream)."""
    # isoformat is several times faster than strftime on the bulk path; same text.
    if value.tzinfo is dt.UTC:
        return value.isoformat(timespec="microseconds")[:26] + "Z"
    if value.tzinfo is None:
        raise ValueError("naive datetime in an event envelope")
    return _format_other(value)


@lru_cache(maxsize=4096)
def _format_other(value: dt.datetime) -> str:
    # Acts are mostly dated in the legal time zone, and the same days recur.
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")[:26] + "Z"


def parse_time(text: str) -> dt.datetime:
    # fromisoformat reads the stored form exactly (it is what format_time writes) and is
    # ten times faster than strptime; anything else falls back to the strict format.
    if len(text) == 27 and text[10] == "T" and text[-1] == "Z":
        try:
            return dt.datetime.fromisoformat(text[:-1]).replace(tzinfo=dt.UTC)
        except ValueError:
            pass
    return dt.datetime.strptime(text, _TIME_FORMAT).replace(tzinfo=dt.UTC)


_PAYLOAD_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)
_escape = json.encoder.encode_basestring  # type: ignore[attr-defined]


def canonical_payload(payload: dict[str, Any]) -> str:
    """Canonical JSON text of a payload: sorted keys, no spaces, UTF-8 characters kept."""
    return _PAYLOAD_ENCODER.encode(payload)


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
    # Exactly the bytes of json.dumps([HASH_VERSION, event_id, ..., prev_hash],
    # separators=(",", ":"), ensure_ascii=False), built with the C string escaper: the
    # envelope is hashed for every event, so this is the ledger's hot path.
    e = _escape
    canonical = (
        f"[{HASH_VERSION},{e(event_id)},{e(case_id)},{int(seq)},{e(event_type)},"
        f"{e(occurred_at)},{e(recorded_at)},{e(actor_id)},{e(actor_role)},{e(agency_code)},"
        f"{e(legal_basis)},{'null' if defendant_id is None else e(defendant_id)},"
        f"{e(payload)},{e(prev_hash)}]"
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
