"""Appending events and reading them back.

:func:`append` is the command path: it validates the payload against its registered type,
chains the event to its case's head and runs the projectors, all in the caller's transaction,
through the transaction's write unit (:mod:`caseledger.ledger.unit`), which writes the event
with the projection changes before the commit. The sequence number is the head's plus one; the
``(case_id, seq)`` uniqueness constraint makes exactly one of two concurrent appends win, and
the loser gets a :class:`~caseledger.errors.ConcurrencyConflict` (its transaction is rolled
back whole).

:func:`bulk_append` is the import path for events from other systems: the same envelope and
hash chain, computed in memory and written with one multi-row insert per batch, without
projectors. It refuses to extend a case that already has events unless told its head.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from caseledger.errors import ConcurrencyConflict, InvalidInput
from caseledger.ledger import projection, registry
from caseledger.ledger.envelope import (
    GENESIS_HASH,
    HASHED_COLUMNS,
    Actor,
    StoredEvent,
    canonical_payload,
    compute_hash,
    format_time,
)
from caseledger.ledger.models import Event
from caseledger.ledger.unit import unit_of

# Acts may be recorded late, never early: a small allowance for clock skew between machines.
CLOCK_SKEW = dt.timedelta(minutes=5)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _second(second: int) -> tuple[int, str, dt.datetime]:
    """For the second ``second`` (since the epoch, UTC): the recording time's text up to the
    second, and the latest act time allowed then (the second's start plus :data:`CLOCK_SKEW`:
    within the second, a limit up to a second early, so stricter, never looser)."""
    start = dt.datetime.fromtimestamp(second, dt.UTC)
    return second, start.isoformat(timespec="seconds")[:19] + ".", start + CLOCK_SKEW


# Every append stamps its recording time and checks that its act is not in the future: what
# depends only on the second is made once per second.
_SECOND = _second(0)


_LIMIT: tuple[dt.datetime, dt.datetime] = (_SECOND[2], _SECOND[2])


def _limit_in(tz: dt.tzinfo) -> dt.datetime:
    """The latest act time allowed in the second just stamped, expressed in ``tz`` when it is
    a fixed offset: aware datetimes with the same ``tzinfo`` compare field by field, more than
    ten times faster than across time zones (acts are dated in legal time, the clock runs in
    UTC). A zone with daylight saving gets the UTC limit (compared exactly, whatever the
    fold)."""
    global _LIMIT
    if type(tz) is not dt.timezone:
        return _SECOND[2]
    limit, local = _LIMIT
    if limit is not _SECOND[2] or local.tzinfo is not tz:
        limit = _SECOND[2]
        local = limit.astimezone(tz)
        _LIMIT = (limit, local)
    return local


def _recorded_text(ns: int) -> str:
    """``format_time`` of the instant ``ns`` (nanoseconds since the epoch, UTC)."""
    global _SECOND
    second, micro = divmod(ns // 1000, 1_000_000)
    if _SECOND[0] != second:
        _SECOND = _second(second)
    return f"{_SECOND[1]}{micro:06d}Z"


def dated_in_future(value: dt.datetime) -> bool:
    """Whether the aware ``value`` is later than now by more than :data:`CLOCK_SKEW` (the check
    every append makes, for commands that refuse such a date with their own message first).
    Now is taken at the start of the current second: stricter by under a second, never
    looser."""
    _recorded_text(time.time_ns())
    return value > _limit_in(value.tzinfo)


def head(session: Session, case_id: str) -> tuple[int, str]:
    """The case chain's last sequence number and hash (0 and the genesis hash if empty)."""
    return unit_of(session).head(case_id)


def open_chain(session: Session, case_id: str) -> None:
    """Declare ``case_id`` new (an id just generated): its head is not looked up."""
    unit_of(session).open_chain(case_id)


def append(
    session: Session,
    *,
    case_id: str,
    event_type: str,
    payload: BaseModel | dict[str, Any],
    actor: Actor,
    occurred_at: dt.datetime,
    legal_basis: str,
    defendant_id: str | None = None,
    expected_seq: int | None = None,
    recorded_at: dt.datetime | None = None,
    event_id: str | None = None,
) -> StoredEvent:
    """Append one event to ``case_id``'s chain and project it; return the event."""
    data = registry.validate(event_type, payload)
    if occurred_at.tzinfo is None:
        raise InvalidInput("occurred_at must carry a time zone", event_type=event_type)
    if recorded_at is None:
        recorded_text = _recorded_text(time.time_ns())
        future = occurred_at > _limit_in(occurred_at.tzinfo)  # (the second just stamped)
    else:
        recorded_text = format_time(recorded_at)
        future = occurred_at > recorded_at + CLOCK_SKEW
    if future:
        raise InvalidInput(
            "the act is dated in the future",
            event_type=event_type,
            occurred_at=occurred_at.isoformat(),
        )
    if not legal_basis.strip():
        raise InvalidInput("every event needs its legal basis", event_type=event_type)
    unit = unit_of(session)
    last_seq, prev_hash = unit.head(case_id)
    seq = last_seq + 1
    if expected_seq is not None and expected_seq != seq:
        raise ConcurrencyConflict(
            "the case changed since it was read; re-read it and retry",
            case=case_id,
            expected_seq=expected_seq,
            actual_seq=seq,
        )
    row = (
        event_id or new_event_id(),
        case_id,
        seq,
        event_type,
        format_time(occurred_at),
        recorded_text,
        actor.id,
        actor.role.value,
        actor.agency,
        legal_basis,
        defendant_id,
        registry.canonical_json(event_type, data),
        prev_hash,
    )
    # The event and the projection changes are written when the write unit flushes (at the
    # latest before the commit), where the (case_id, seq) constraint decides between two
    # writers of the same case: the loser gets a ConcurrencyConflict and writes nothing.
    event = StoredEvent(*row, compute_hash(*row))
    unit.append_event(event)
    projection.project(session, event, data)
    return event


@dataclass(frozen=True)
class NewEvent:
    """One event for :func:`bulk_append` (times already aware, payload already validated)."""

    case_id: str
    event_type: str
    payload: dict[str, Any]
    actor: Actor
    occurred_at: dt.datetime
    legal_basis: str
    defendant_id: str | None = None
    event_id: str | None = None


def bulk_append(
    session: Session,
    events: Iterable[NewEvent],
    *,
    validate: bool = True,
    batch_size: int = 10_000,
    recorded_at: dt.datetime | None = None,
    known_new_cases: bool = False,
) -> int:
    """Chain and insert many events fast.

    A case's head is read from the store the first time the batch meets it, unless the caller
    knows all cases are new (``known_new_cases``, e.g. a first import); if one is not, the
    ``(case_id, seq)`` constraint refuses the whole transaction rather than fork a chain.
    """
    recorded = format_time(recorded_at or utcnow())
    heads: dict[str, tuple[int, str]] = {}
    # This path writes around the write unit: let it write what it holds first, and forget
    # the heads it knew afterwards.
    unit = unit_of(session)
    unit.evict()
    rows: list[tuple[Any, ...]] = []
    conn = session.connection()
    # One pre-compiled INSERT sent with the driver's executemany: SQLAlchemy's per-row parameter
    # processing costs more than the hashing. (A writer thread overlapping insert and hashing
    # was measured slower: the GIL.)
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    sql = f"INSERT INTO events ({', '.join(_BULK_COLUMNS)}) VALUES ({', '.join([mark] * 14)})"
    written = 0
    for ev in events:
        text = (
            registry.canonical(ev.event_type, ev.payload)
            if validate
            else canonical_payload(ev.payload)
        )
        state = heads.get(ev.case_id)
        if state is None:
            state = (0, GENESIS_HASH) if known_new_cases else unit.head(ev.case_id)
        seq, prev = state[0] + 1, state[1]
        row = (
            ev.event_id or new_event_id(),
            ev.case_id,
            seq,
            ev.event_type,
            format_time(ev.occurred_at),
            recorded,
            ev.actor.id,
            ev.actor.role.value,
            ev.actor.agency,
            ev.legal_basis,
            ev.defendant_id,
            text,
            prev,
        )
        digest = compute_hash(*row)
        heads[ev.case_id] = (seq, digest)
        rows.append((*row, digest))
        if len(rows) >= batch_size:
            conn.exec_driver_sql(sql, rows)
            written += len(rows)
            rows = []
    if rows:
        conn.exec_driver_sql(sql, rows)
        written += len(rows)
    unit.evict()
    return written


_last_ms = 0
_counter = 0
_prefix = ""
_hex = ""
_taken = 0
_ID_LOCK = threading.Lock()
# The hex digit that opens the fourth group, from a random one: the variant bits 10, then two
# random bits.
_VARIANT = {f"{i:x}": "89ab"[i & 3] for i in range(16)}
_HEX3 = [f"{i:03x}" for i in range(4096)]


def new_event_id() -> str:
    """A time-ordered UUID (version 7, RFC 9562): 48-bit milliseconds, then random bits.

    Ids that grow with time keep the unique index on ``event_id`` append-mostly, which makes
    inserts markedly cheaper than with random version-4 ids. Within one millisecond a counter
    in the ``rand_a`` field (seeded with 10 random bits at each new millisecond) keeps them
    increasing. The 62 random bits come from the operating system's generator, drawn 2 KiB at
    a time as hex text (one system call per 200 ids); the text up to the counter is made once
    per millisecond.
    """
    global _last_ms, _counter, _prefix, _hex, _taken
    with _ID_LOCK:
        at = _taken
        if at + 19 > len(_hex):
            _hex, at = os.urandom(2048).hex(), 0
        _taken = at + 19
        ms = time.time_ns() // 1_000_000
        if ms > _last_ms:
            _last_ms = ms
            _counter = int(_hex[at + 16 : at + 19], 16) & 0x3FF  # 10 random bits
            t = f"{ms & 0xFFFF_FFFF_FFFF:012x}"
            _prefix = f"{t[:8]}-{t[8:]}-7"
        else:
            _counter += 1
        counter, prefix = _counter & 0xFFF, _prefix
    r = _hex[at : at + 16]
    return f"{prefix}{_HEX3[counter]}-{_VARIANT[r[0]]}{r[1:4]}-{r[4:]}"


def _forget_random() -> None:
    global _hex, _taken, _ID_LOCK
    _hex, _taken, _ID_LOCK = "", 0, threading.Lock()


# A forked child must not reuse the parent's random bits.
os.register_at_fork(after_in_child=_forget_random)

_BULK_COLUMNS = (*HASHED_COLUMNS, "hash")


def case_events(session: Session, case_id: str) -> Sequence[Event]:
    return (
        session.execute(select(Event).where(Event.case_id == case_id).order_by(Event.seq))
        .scalars()
        .all()
    )


def payload_of(event: Event) -> dict[str, Any]:
    return json.loads(event.payload)


def event_count(session: Session) -> int:
    return session.execute(select(func.count()).select_from(Event)).scalar_one()
