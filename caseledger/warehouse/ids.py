"""How ledger ids (UUID text) become warehouse ids (int64), and back for synthetic runs.

The warehouse's ids are readable int64 (``defendant_id`` = year·10⁹ + province prefix·10⁷ +
serial, ``case_id`` likewise). ``caseledger synth --ledger`` records each generated case and
defendant under a UUID that *embeds* that number — ``5e7ca5e0-0000-8000-8000-<12 hex digits>``
for a case, ``5e7cdef0-…`` for a defendant (UUID version 8, "custom") — so the export gives back
exactly the generator's ids. Any other UUID (a case registered by hand) maps to
2⁶² + the first 62 bits of its SHA-256: stable (the same UUID always gives the same id, on any
machine, with no state to keep), never colliding with a synthetic id (those stay below 2⁴⁸)
and, at 62 bits, colliding with another hand-registered id only with negligible probability.

Must never: depend on anything but the UUID text (no counters, no database).
"""

from __future__ import annotations

import hashlib

CASE_PREFIX = "5e7ca5e0-0000-8000-8000-"
DEFENDANT_PREFIX = "5e7cdef0-0000-8000-8000-"
SYNTHETIC_LIMIT = 16**12  # 12 hex digits
HAND_BASE = 1 << 62


def synthetic_case_uuid(case_id: int) -> str:
    return f"{CASE_PREFIX}{_hex(case_id)}"


def synthetic_defendant_uuid(defendant_id: int) -> str:
    return f"{DEFENDANT_PREFIX}{_hex(defendant_id)}"


def _hex(value: int) -> str:
    if not 0 <= value < SYNTHETIC_LIMIT:
        raise ValueError(f"synthetic id {value} does not fit 12 hex digits")
    return f"{value:012x}"


def warehouse_id(ledger_id: str) -> int:
    """The int64 warehouse id of a ledger case or defendant id."""
    if ledger_id.startswith(CASE_PREFIX) or ledger_id.startswith(DEFENDANT_PREFIX):
        return int(ledger_id[24:], 16)
    digest = hashlib.sha256(ledger_id.encode("utf-8")).digest()
    return HAND_BASE | (int.from_bytes(digest[:8], "big") >> 2)
