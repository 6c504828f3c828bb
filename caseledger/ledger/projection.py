"""Projections: current-state tables that are a pure function of the events.

Domains register a projector per event type and the tables it fills. :func:`project` runs in
the same transaction as the append, so no event exists without its state change and no state
change without its event. Projectors read and change rows only through the transaction's write
unit (:func:`caseledger.ledger.unit.unit_of`: ``get``, ``rows``, ``change``, ``add``,
``remove``), which writes them with the events and can take a refused batch command back.
:func:`rebuild` empties every registered table and replays all events in storage order; a test
checks that the result equals the incrementally maintained state.
A projector must never read the clock, the environment or anything but the event and the
projection tables, or a rebuild would differ.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from sqlalchemy import Table, bindparam, delete, select
from sqlalchemy.orm import Session

from caseledger.ledger.envelope import HASHED_COLUMNS, StoredEvent
from caseledger.ledger.models import Event
from caseledger.ledger.unit import unit_of

Projector = Callable[[Session, StoredEvent, dict[str, Any]], None]

_PROJECTORS: dict[str, list[Projector]] = {}
_TABLES: list[Table] = []


def projector(*event_types: str) -> Callable[[Projector], Projector]:
    def register(fn: Projector) -> Projector:
        for name in event_types:
            _PROJECTORS.setdefault(name, []).append(fn)
        return fn

    return register


def register_tables(*tables: Table) -> None:
    """Declare tables as projections (emptied and refilled by :func:`rebuild`), parents first."""
    for table in tables:
        if table not in _TABLES:
            _TABLES.append(table)


def projection_tables() -> list[Table]:
    return list(_TABLES)


def project(session: Session, event: StoredEvent, payload: dict[str, Any]) -> None:
    for fn in _PROJECTORS.get(event.event_type, ()):
        fn(session, event, payload)


def rebuild(session: Session, batch: int = 5000) -> int:
    """Rebuild every projection from the events; return the number of events replayed.

    Events are replayed in storage order through the write unit, as appends are: the rows
    change in memory and are written with one statement per table every ``batch`` events.
    """
    unit = unit_of(session)
    unit.evict()
    for table in reversed(_TABLES):
        session.execute(delete(table))
    conn = session.connection()
    events = Event.__table__
    columns = [events.c.id, *(events.c[name] for name in HASHED_COLUMNS), events.c.hash]
    stmt = select(*columns).where(events.c.id > bindparam("last")).order_by(events.c.id)
    count = 0
    last_id = 0
    while True:
        rows = conn.execute(stmt.limit(batch), {"last": last_id}).all()
        if not rows:
            break
        for row in rows:
            event = StoredEvent(*row[1:])
            if event.seq == 1:
                unit.open_chain(event.case_id)  # the tables were emptied: nothing to read
            project(session, event, json.loads(event.payload))
        count += len(rows)
        last_id = rows[-1][0]
        unit.flush()
        if unit.size >= 200_000:
            unit.evict()
    unit.flush()
    return count
