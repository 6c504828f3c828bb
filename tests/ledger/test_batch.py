"""Group commit (``Database.batch``): live results, refusals undone alone, one transaction."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from caseledger.case import lifecycle, service
from caseledger.case.models import Case, Defendant
from caseledger.errors import CaseledgerError, InvalidInput, PermissionDenied
from caseledger.ledger import verify as verifier
from tests.factories import D0, POLICE, PROSECUTOR, day


def _types(db) -> list[tuple[str, int, str]]:
    with db.read() as s:
        return [
            tuple(r)
            for r in s.execute(
                text(
                    "SELECT c.case_number, e.seq, e.event_type FROM events e "
                    "JOIN cases c ON c.case_id = e.case_id ORDER BY c.case_number, e.seq"
                )
            )
        ]


def test_a_batch_acts_on_what_it_registered_and_undoes_refusals_alone(db, home):
    with db.batch() as b:
        case = b.run(
            service.register_case,
            actor=POLICE,
            reported_on=D0,
            summary="theft",
            at=D0,
            defendants=[service.NewDefendant(name="甲", charges=["theft"])],
        )
        assert isinstance(case, Case)
        number = case.case_number
        refused = b.run(
            lifecycle.decide_arrest,
            actor=POLICE,  # wrong role
            case_number=number,
            defendant_no=1,
            approved=True,
            at=day(1),
        )
        # refused after two of its events were appended: the whole command is undone
        half = b.run(
            service.register_case,
            actor=POLICE,
            reported_on=D0,
            summary="two suspects",
            at=D0,
            defendants=[
                service.NewDefendant(name="乙", charges=["theft"]),
                service.NewDefendant(name=" ", charges=["theft"]),
            ],
        )
        d = b.run(
            lifecycle.impose_measure,
            actor=POLICE,
            case_number=number,
            defendant_no=1,
            measure="criminal_detention",
            at=day(1),
        )
        assert d.measure == "criminal_detention"
        assert isinstance(refused, PermissionDenied) and isinstance(half, InvalidInput)
        assert [(i, type(e)) for i, e in b.errors] == [(1, PermissionDenied), (2, InvalidInput)]
        third = b.run(service.register_case, actor=POLICE, reported_on=D0, summary="later", at=D0)
    # the refused registration did not use up a case number
    assert third.case_number.endswith("000002")
    assert _types(db) == [
        (number, 1, "case.registered"),
        (number, 2, "defendant.added"),
        (number, 3, "charge.added"),
        (number, 4, "measure.imposed"),
        (third.case_number, 1, "case.registered"),
    ]
    with db.read() as s:
        assert s.execute(text("SELECT count(*) FROM personal_data")).scalar_one() == 1
        assert s.execute(text("SELECT count(*) FROM defendants")).scalar_one() == 1
        report = verifier.verify(s, key_path=home / "k.pem", checkpoint_dir=home / "c")
    assert report.ok


def test_an_exception_escaping_the_block_rolls_back_the_whole_batch(db):
    with pytest.raises(RuntimeError), db.batch() as b:
        b.run(service.register_case, actor=POLICE, reported_on=D0, summary="x", at=D0)
        raise RuntimeError("boom")
    assert _types(db) == []


def test_commit_makes_what_ran_durable_and_the_batch_goes_on(db):
    with pytest.raises(RuntimeError), db.batch() as b:
        b.run(service.register_case, actor=POLICE, reported_on=D0, summary="kept", at=D0)
        b.commit()
        b.run(service.register_case, actor=PROSECUTOR, reported_on=D0, summary="lost", at=D0)
        raise RuntimeError("boom")
    assert [t[2] for t in _types(db)] == ["case.registered"]


def test_run_batch_returns_one_result_or_error_per_command(db):
    number = db.run(
        lambda s: (
            service.register_case(
                s,
                actor=POLICE,
                reported_on=D0,
                summary="x",
                at=D0,
                defendants=[service.NewDefendant(name="甲", charges=["theft"])],
            ).case_number
        )
    )
    out = db.run_batch(
        [
            lambda s: lifecycle.request_arrest(
                s, actor=PROSECUTOR, case_number=number, defendant_no=1, at=day(1)
            ),
            lambda s: lifecycle.request_arrest(
                s, actor=POLICE, case_number=number, defendant_no=1, at=day(1)
            ),
            lambda s: lifecycle.request_arrest(
                s, actor=POLICE, case_number=number, defendant_no=1, at=day(1)
            ),
        ],
        stop_on_error=False,
    )
    assert [type(r).__name__ for r in out] == [
        "PermissionDenied",
        "Defendant",
        "TransitionNotAllowed",
    ]
    assert all(isinstance(r, CaseledgerError) for r in (out[0], out[2]))


def test_a_plain_query_in_a_command_sees_its_appends_and_a_refusal_still_undoes_them(db):
    number = db.run(
        lambda s: (
            service.register_case(
                s,
                actor=POLICE,
                reported_on=D0,
                summary="x",
                at=D0,
                defendants=[service.NewDefendant(name="甲", charges=["theft"])],
            ).case_number
        )
    )
    seen: list[str] = []

    def detain_look_then_refused(s):  # type: ignore[no-untyped-def]
        lifecycle.impose_measure(
            s,
            actor=POLICE,
            case_number=number,
            defendant_no=1,
            measure="criminal_detention",
            at=day(1),
        )
        seen.append(s.execute(select(Defendant.measure)).scalar_one())  # not through the unit
        return lifecycle.decide_arrest(
            s, actor=POLICE, case_number=number, defendant_no=1, approved=True, at=day(1)
        )

    with db.batch() as b:
        other = b.run(service.register_case, actor=POLICE, reported_on=D0, summary="y", at=D0)
        assert isinstance(b.run(detain_look_then_refused), PermissionDenied)
        d = b.run(
            lifecycle.impose_measure,
            actor=POLICE,
            case_number=number,
            defendant_no=1,
            measure="bail",
            at=day(2),
        )
        assert d.measure == "bail" and d.measure_since == day(2)
    assert seen == ["criminal_detention"]
    events = _types(db)
    assert (other.case_number, 1, "case.registered") in events
    assert [e for e in events if e[0] == number][3:] == [(number, 4, "measure.imposed")]
    with db.read() as s:
        payload = s.execute(text("SELECT payload FROM events WHERE seq = 4")).scalar_one()
        row = s.execute(select(Defendant.measure, Defendant.version)).one()
    assert '"replaces":"none"' in payload and tuple(row) == ("bail", 3)


def test_concurrent_batches_on_one_case_one_wins_on_postgresql(db, db_url):
    import threading

    from caseledger.db import Database
    from caseledger.errors import ConcurrencyConflict

    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite serialises writers with BEGIN IMMEDIATE; the race is PostgreSQL's")
    number = db.run(
        lambda s: (
            service.register_case(
                s,
                actor=POLICE,
                reported_on=D0,
                summary="x",
                at=D0,
                defendants=[service.NewDefendant(name="甲", charges=["theft"])],
            ).case_number
        )
    )
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def writer(measure: str) -> None:
        database = Database(db_url)
        try:
            with database.batch() as b:
                b.run(service.register_case, actor=POLICE, reported_on=D0, summary="m", at=D0)
                b.run(
                    lifecycle.impose_measure,
                    actor=POLICE,
                    case_number=number,
                    defendant_no=1,
                    measure=measure,
                    at=day(1),
                )
                barrier.wait(timeout=10)
            outcomes.append("won")
        except ConcurrencyConflict:
            outcomes.append("conflict")
        finally:
            database.dispose()

    threads = [threading.Thread(target=writer, args=(m,)) for m in ("bail", "criminal_detention")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "won"]
    with db.read() as s:
        cases = s.execute(text("SELECT count(*) FROM cases")).scalar_one()
        seqs = list(s.execute(text("SELECT seq FROM events ORDER BY case_id, seq")).scalars())
    assert cases == 2  # the loser's registration went with it
    assert sorted(seqs) == sorted([1, 2, 3, 4, 1])


def test_rows_loaded_through_the_orm_in_a_write_session_follow_the_commands(db):
    with db.write() as s:
        case = service.register_case(
            s,
            actor=POLICE,
            reported_on=D0,
            summary="x",
            at=D0,
            defendants=[service.NewDefendant(name="甲", charges=["theft"])],
        )
        orm = s.execute(select(Defendant)).scalar_one()  # an ORM instance, beside the unit's
        assert orm.measure == "none"
        lifecycle.impose_measure(
            s,
            actor=POLICE,
            case_number=case.case_number,
            defendant_no=1,
            measure="bail",
            at=day(1),
        )
        assert s.get(Defendant, orm.defendant_id).measure == "bail"
