"""Projections: current-state tables that are a pure function of the events.

Domains register a projector per event type and the tables it fills. :func:`project` runs in
the same transaction as the append, so no event exists without its state change and no state
change without its event. :func:`rebuild` empties every registered table and replays all events
in storage order; a test checks that the result equals the incrementally maintained state.
A projector must never read the clock, the environment or anything but the event and the
projection tables, or a rebuild would differ.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Table, delete, select
from sqlalchemy.orm import Session

from caseledger.ledger.models import Event

Projector = Callable[[Session, Event, dict[str, Any]], None]

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


def project(session: Session, event: Event, payload: dict[str, Any]) -> None:
    for fn in _PROJECTORS.get(event.event_type, ()):
        fn(session, event, payload)


def rebuild(session: Session, batch: int = 5000) -> int:
    """Rebuild every projection from the events; return the number of events replayed."""
    import json

    for table in reversed(_TABLES):
        session.execute(delete(table))
    session.flush()
    count = 0
    last_id = 0
    while True:
        events = (
            session.execute(select(Event).where(Event.id > last_id).order_by(Event.id).limit(batch))
            .scalars()
            .all()
        )
        if not events:
            break
        for event in events:
            project(session, event, json.loads(event.payload))
            # Flush per event, as append does: a projector may read rows the last one added.
            session.flush()
            count += 1
        last_id = events[-1].id
        session.flush()
        session.expunge_all()
    return count
