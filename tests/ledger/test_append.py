"""Appending: envelope, hash chain, append-only triggers, conflicts between concurrent writers."""

from __future__ import annotations

import datetime as dt
import threading
import zoneinfo

import pytest
import time_machine
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from caseledger.db import Database
from caseledger.errors import ConcurrencyConflict, InvalidInput
from caseledger.ledger import store
from caseledger.ledger.envelope import GENESIS_HASH, HASHED_COLUMNS, compute_hash
from caseledger.ledger.registry import Payload, event_type
from tests.factories import D0, POLICE, register


@event_type("test.note", "A note used only by the ledger tests (no projector).")
class Note(Payload):
    text: str = ""


def test_chain_links_and_hashes_cover_the_envelope(db):
    register(db, defendants=2)
    with db.read() as s:
        events = list(s.execute(text("SELECT * FROM events ORDER BY seq")).mappings())
    prev = GENESIS_HASH
    for i, e in enumerate(events, start=1):
        assert e["seq"] == i and e["prev_hash"] == prev
        fields = {k: e[k] for k in HASHED_COLUMNS}
        assert compute_hash(**fields) == e["hash"]
        prev = e["hash"]
    assert events[0]["occurred_at"].endswith("Z") and len(events[0]["hash"]) == 64


@pytest.mark.parametrize("statement", ["UPDATE events SET actor_id = 'x'", "DELETE FROM events"])
def test_events_are_append_only(db, statement):
    register(db)
    with pytest.raises(DBAPIError, match="append-only"), db.write() as s:
        s.execute(text(statement))


def test_truncate_is_refused_on_postgresql(db):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("TRUNCATE exists only on PostgreSQL")
    register(db)
    with pytest.raises(DBAPIError, match="append-only"), db.write() as s:
        s.execute(text("TRUNCATE events"))


def test_unknown_event_type_and_invalid_payload_are_refused(db):
    when = dt.datetime(2026, 1, 5, tzinfo=dt.UTC)
    with pytest.raises(InvalidInput, match="unknown event type"), db.write() as s:
        store.append(
            s,
            case_id="c",
            event_type="nope",
            payload={},
            actor=POLICE,
            occurred_at=when,
            legal_basis="x",
        )
    with pytest.raises(InvalidInput, match="invalid payload"), db.write() as s:
        store.append(
            s,
            case_id="c",
            event_type="charge.added",
            payload={"crime": 1},
            actor=POLICE,
            occurred_at=when,
            legal_basis="x",
        )
    with pytest.raises(InvalidInput, match="legal basis"), db.write() as s:
        store.append(
            s,
            case_id="c",
            event_type="arrest.requested",
            payload={},
            actor=POLICE,
            occurred_at=when,
            legal_basis=" ",
        )


def test_an_act_dated_beyond_the_clock_skew_is_refused_and_recorded_at_is_stamped(db):
    now = dt.datetime(2026, 3, 2, 9, 30, 15, 250_000, tzinfo=dt.UTC)
    legal = dt.timezone(dt.timedelta(hours=8))

    def append(s, occurred_at, recorded_at=None):  # type: ignore[no-untyped-def]
        return store.append(
            s,
            case_id="c-future",
            event_type="test.note",
            payload=Note(text="x"),
            actor=POLICE,
            occurred_at=occurred_at,
            legal_basis="x",
            recorded_at=recorded_at,
        )

    with time_machine.travel(now, tick=False):
        # The limit is taken at the start of the current second (stricter by under a second,
        # never looser): an act dated then plus the skew is accepted, one beyond now plus the
        # skew refused.
        limit = now.replace(microsecond=0) + store.CLOCK_SKEW
        with db.write() as s:
            event = append(s, limit.astimezone(legal))
        assert event.recorded_at == "2026-03-02T09:30:15.250000Z"
        just_beyond = now + store.CLOCK_SKEW + dt.timedelta(milliseconds=1)
        for late in (just_beyond, just_beyond.astimezone(legal)):
            with pytest.raises(InvalidInput, match="dated in the future"), db.write() as s:
                append(s, late)
        # A zone with daylight saving is compared exactly too.
        new_york = zoneinfo.ZoneInfo("America/New_York")
        with db.write() as s:
            append(s, limit.astimezone(new_york))
        with pytest.raises(InvalidInput, match="dated in the future"), db.write() as s:
            append(s, just_beyond.astimezone(new_york))
        # An explicit recording time is the reference instead of the clock.
        with db.write() as s:
            append(s, just_beyond, recorded_at=now + dt.timedelta(seconds=1))


def test_expected_sequence_mismatch_is_a_conflict(db):
    number = register(db)
    with db.read() as s:
        case_id = s.execute(
            text("SELECT case_id FROM cases WHERE case_number = :n"), {"n": number}
        ).scalar_one()
    with pytest.raises(ConcurrencyConflict), db.write() as s:
        store.append(
            s,
            case_id=case_id,
            event_type="case.closed",
            payload={"reason": "merged", "note": "x"},
            actor=POLICE,
            occurred_at=dt.datetime.combine(D0, dt.time(), dt.UTC),
            legal_basis="x",
            expected_seq=2,
        )


def _race(db_url: str, case_id: str, rounds: int) -> tuple[int, int]:
    """Two writers append to the same case at the same moment; count wins and conflicts."""
    wins = conflicts = 0
    lock = threading.Lock()
    dbs = [Database(db_url), Database(db_url)]
    for _ in range(rounds):
        barrier = threading.Barrier(2)

        def writer(database: Database, barrier: threading.Barrier = barrier) -> None:
            nonlocal wins, conflicts
            try:
                with database.write() as s:
                    seq, _ = store.head(s, case_id)
                    barrier.wait(timeout=10)
                    store.append(
                        s,
                        case_id=case_id,
                        event_type="test.note",
                        payload={},
                        actor=POLICE,
                        occurred_at=dt.datetime(2026, 1, 6, tzinfo=dt.UTC),
                        legal_basis="race",
                        expected_seq=seq + 1,
                    )
                with lock:
                    wins += 1
            except ConcurrencyConflict:
                with lock:
                    conflicts += 1

        threads = [threading.Thread(target=writer, args=(d,)) for d in dbs]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    for d in dbs:
        d.dispose()
    return wins, conflicts


def test_concurrent_appends_exactly_one_wins_on_postgresql(db, db_url):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite serialises writers with BEGIN IMMEDIATE; the race is PostgreSQL's")
    rounds = 50
    wins, conflicts = _race(db_url, "race-case", rounds)
    assert (wins, conflicts) == (rounds, rounds)
    with db.read() as s:
        seqs = list(
            s.execute(
                text("SELECT seq FROM events WHERE case_id = 'race-case' ORDER BY seq")
            ).scalars()
        )
        prevs = list(s.execute(text("SELECT prev_hash FROM events")).scalars())
    assert seqs == list(range(1, rounds + 1))
    assert len(prevs) == len(set(prevs)), "two events share a prev_hash"


def test_many_concurrent_writers_keep_the_chain_gapless(db, db_url):
    n_writers, per_writer = 8, 25
    errors: list[BaseException] = []

    def writer() -> None:
        database = Database(db_url)
        try:
            for _ in range(per_writer):
                database.run(
                    lambda s: store.append(
                        s,
                        case_id="busy",
                        event_type="test.note",
                        payload={},
                        actor=POLICE,
                        occurred_at=dt.datetime(2026, 1, 6, tzinfo=dt.UTC),
                        legal_basis="load",
                    ),
                    retries=50,
                )
        except BaseException as exc:  # surfaced below
            errors.append(exc)
        finally:
            database.dispose()

    threads = [threading.Thread(target=writer) for _ in range(n_writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    with db.read() as s:
        seqs = list(
            s.execute(text("SELECT seq FROM events WHERE case_id = 'busy' ORDER BY seq")).scalars()
        )
    assert seqs == list(range(1, n_writers * per_writer + 1))


def test_bulk_append_chains_new_and_existing_cases(db, home):
    from caseledger.ledger import verify as verifier

    number = register(db)
    with db.read() as s:
        existing = s.execute(
            text("SELECT case_id FROM cases WHERE case_number = :n"), {"n": number}
        ).scalar_one()
    when = dt.datetime(2026, 1, 6, tzinfo=dt.UTC)
    batch = [
        store.NewEvent(
            case_id=c,
            event_type="test.note",
            payload={"text": f"{i}"},
            actor=POLICE,
            occurred_at=when,
            legal_basis="import",
        )
        for i in range(60)
        for c in (existing, f"imported-{i % 7}")
    ]
    with db.write() as s:
        assert store.bulk_append(s, batch, batch_size=25) == 120
    with db.read() as s:
        report = verifier.verify(s, key_path=home / "k.pem", checkpoint_dir=home / "c")
        top = s.execute(
            text("SELECT max(seq) FROM events WHERE case_id = :c"), {"c": existing}
        ).scalar_one()
    assert report.ok and report.events == 3 + 120 and top == 3 + 60


def test_bulk_append_refuses_to_fork_an_existing_chain(db):
    number = register(db)
    with db.read() as s:
        existing = s.execute(
            text("SELECT case_id FROM cases WHERE case_number = :n"), {"n": number}
        ).scalar_one()
    when = dt.datetime(2026, 1, 6, tzinfo=dt.UTC)
    with pytest.raises(DBAPIError), db.write() as s:
        store.bulk_append(
            s,
            [
                store.NewEvent(
                    case_id=existing,
                    event_type="test.note",
                    payload={},
                    actor=POLICE,
                    occurred_at=when,
                    legal_basis="import",
                )
            ],
            known_new_cases=True,
        )
    with pytest.raises(InvalidInput), db.write() as s:
        store.bulk_append(
            s,
            [
                store.NewEvent(
                    case_id="x",
                    event_type="test.note",
                    payload={"bad": 1},
                    actor=POLICE,
                    occurred_at=when,
                    legal_basis="import",
                )
            ],
        )


def test_group_commit_keeps_refused_commands_out(db):
    from caseledger.case import lifecycle
    from tests.factories import day

    number = register(db, defendants=2)
    results = db.run_batch(
        [
            lambda s: lifecycle.impose_measure(
                s,
                actor=POLICE,
                case_number=number,
                defendant_no=1,
                measure="criminal_detention",
                at=day(1),
            ),
            lambda s: lifecycle.decide_arrest(
                s, actor=POLICE, case_number=number, defendant_no=1, approved=True, at=day(2)
            ),  # wrong role: refused
            lambda s: lifecycle.impose_measure(
                s, actor=POLICE, case_number=number, defendant_no=2, measure="bail", at=day(2)
            ),
        ]
    )
    assert [type(r).__name__ for r in results] == ["Defendant", "PermissionDenied", "Defendant"]
    with db.read() as s:
        types = list(s.execute(text("SELECT event_type FROM events ORDER BY seq")).scalars())
        measures = list(
            s.execute(text("SELECT measure FROM defendants ORDER BY defendant_no")).scalars()
        )
    assert types[-2:] == ["measure.imposed", "measure.imposed"]
    assert measures == ["criminal_detention", "bail"]
