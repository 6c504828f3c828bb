"""Registrations read ahead for a batch (``service.read_ahead_registrations``): one query for
the serials of many agencies, numbers still gap-free, a used case id still refused, and two
concurrent writers on PostgreSQL never share a number."""

from __future__ import annotations

import threading
import uuid

import pytest
from sqlalchemy import event, text

from caseledger.case import service
from caseledger.db import Database
from caseledger.errors import ConcurrencyConflict, InvalidInput
from caseledger.ledger.envelope import Actor
from caseledger.ledger.tables import COPY_FROM
from tests.factories import D0, POLICE

OTHER = Actor("police-2", POLICE.role, "PSB110106")


def _serials(db: Database) -> list[tuple[str, int, int]]:
    with db.read() as s:
        rows = s.execute(text("SELECT agency_code, year, serial FROM cases ORDER BY 1, 2, 3"))
        return [tuple(r) for r in rows]


def _register(b, actor: Actor, case_id: str | None = None):  # type: ignore[no-untyped-def]
    return b.run(
        service.register_case,
        actor=actor,
        reported_on=D0,
        summary="x",
        at=D0,
        case_id=case_id,
    )


def _count_selects(db: Database) -> list[str]:
    seen: list[str] = []

    @event.listens_for(db.engine, "before_cursor_execute")
    def _seen(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append(statement)

    return seen


def test_read_ahead_numbers_continue_the_stored_ones_with_one_query(db):
    with db.batch() as b:
        _register(b, POLICE)
        _register(b, POLICE)
    seen = _count_selects(db)
    ids = [str(uuid.uuid4()) for _ in range(4)]
    with db.batch() as b:
        service.read_ahead_registrations(
            b.session, case_ids=ids, serials=[(POLICE.agency, 2026), (OTHER.agency, 2026)]
        )
        before = len(seen)
        numbers = [_register(b, POLICE, ids[0]).case_number]
        numbers.append(_register(b, OTHER, ids[1]).case_number)
        # refused after its number was counted and two events appended: nothing stays
        refused = b.run(
            service.register_case,
            actor=POLICE,
            reported_on=D0,
            summary="x",
            at=D0,
            defendants=[
                service.NewDefendant(name="甲", charges=["theft"]),
                service.NewDefendant(name=" ", charges=["theft"]),
            ],
        )
        numbers.append(_register(b, POLICE, ids[2]).case_number)
        numbers.append(_register(b, OTHER, ids[3]).case_number)
        assert len(seen) == before  # no serial query of their own
    assert isinstance(refused, InvalidInput)
    assert numbers == [
        "PSB110105-2026-000003",
        "PSB110106-2026-000001",
        "PSB110105-2026-000004",
        "PSB110106-2026-000002",
    ]
    assert _serials(db) == [("PSB110105", 2026, n) for n in range(1, 5)] + [
        ("PSB110106", 2026, 1),
        ("PSB110106", 2026, 2),
    ]


def test_a_case_id_read_ahead_that_has_events_is_still_refused(db):
    taken = str(uuid.uuid4())
    with db.batch() as b:
        _register(b, POLICE, taken)
    with db.batch() as b:
        service.read_ahead_registrations(b.session, case_ids=[taken], serials=[])
        again = _register(b, POLICE, taken)
    assert isinstance(again, InvalidInput) and "already has events" in again.message
    assert _serials(db) == [("PSB110105", 2026, 1)]


def test_two_writers_reading_ahead_at_once_never_share_a_number_on_postgresql(db, db_url):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite serialises writers with BEGIN IMMEDIATE; the race is PostgreSQL's")
    per_writer, rounds = COPY_FROM + 5, 3  # enough rows for the COPY path
    barrier = threading.Barrier(2)
    conflicts: list[int] = []
    errors: list[BaseException] = []

    def writer() -> None:
        database = Database(db_url)
        try:
            for r in range(rounds):
                for attempt in range(20):
                    try:
                        with database.batch() as b:
                            service.read_ahead_registrations(
                                b.session, case_ids=[], serials=[(POLICE.agency, 2026)]
                            )
                            for _ in range(per_writer):
                                _register(b, POLICE)
                            if attempt == 0:
                                # both have counted on from the same stored maximum
                                barrier.wait(timeout=20)
                        break
                    except ConcurrencyConflict:
                        conflicts.append(r)
        except BaseException as exc:  # surfaced below
            errors.append(exc)
        finally:
            database.dispose()

    threads = [threading.Thread(target=writer) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert conflicts, "the writers never raced"
    serials = [s for _a, _y, s in _serials(db)]
    assert serials == list(range(1, 2 * per_writer * rounds + 1))  # no gap, no duplicate
