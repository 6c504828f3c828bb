"""Reading many cases at once (``service.read_ahead``, ``Unit.load_cases``): the write unit
holds exactly what the store holds — every projection row and the head of every chain —
whatever the chains' lengths, for chains without projection rows, for ids with no events yet
and for numbers that name no case (SQLite and PostgreSQL, whose head query differs)."""

from __future__ import annotations

import uuid

from sqlalchemy import text

from caseledger.case import lifecycle, service
from caseledger.case.models import Charge, Deadline, Defendant
from caseledger.ledger import store
from caseledger.ledger.envelope import GENESIS_HASH
from caseledger.ledger.unit import unit_of
from tests.factories import D0, POLICE, PROSECUTOR, day, register
from tests.ledger.test_append import Note


def _stored_heads(db, case_ids):  # type: ignore[no-untyped-def]
    with db.read() as s:
        rows = s.execute(text("SELECT case_id, seq, hash FROM events ORDER BY case_id, seq"))
        heads = {r[0]: (r[1], r[2]) for r in rows}
    return {c: heads.get(c, (0, GENESIS_HASH)) for c in case_ids}


def _rows(unit, model, case_id):  # type: ignore[no-untyped-def]
    t = unit._t(model)
    return sorted(tuple(o.__dict__[c] for c in t.all_columns) for o in unit.rows(model, case_id))


def test_read_ahead_holds_the_stored_heads_and_rows(db):
    numbers = [register(db, defendants=1 + i % 2) for i in range(5)]
    # chains of different lengths: 0, 1, 2, 3 and 4 acts after registration
    acts = [
        (lifecycle.impose_measure, POLICE, {"measure": "criminal_detention"}, 0),
        (lifecycle.request_arrest, POLICE, {}, 2),
        (lifecycle.decide_arrest, PROSECUTOR, {"approved": True}, 5),
        (lifecycle.transfer_for_prosecution, POLICE, {}, 30),
    ]
    for k, number in enumerate(numbers):
        for fn, actor, kwargs, offset in acts[:k]:
            db.run(
                lambda s, fn=fn, actor=actor, kw=kwargs, o=offset, n=number: fn(
                    s, actor=actor, case_number=n, defendant_no=1, at=day(o), **kw
                )
            )
    bare = str(uuid.uuid4())  # a chain with no projection rows
    db.run(
        lambda s: [
            store.append(
                s,
                case_id=bare,
                event_type="test.note",
                payload=Note(text=str(i)),
                actor=POLICE,
                occurred_at=store.utcnow(),
                legal_basis="test",
            )
            for i in range(3)
        ]
    )
    with db.read() as s:
        ids = dict(s.execute(text("SELECT case_number, case_id FROM cases")).all())
    case_ids = [ids[n] for n in numbers]
    expected = _stored_heads(db, [*case_ids, bare])

    # what each case reads on its own (one case per transaction) is the reference
    alone = {}
    for case_id in case_ids:
        with db.write() as s:
            unit = unit_of(s)
            alone[case_id] = [_rows(unit, m, case_id) for m in (Defendant, Charge, Deadline)]
            assert unit.head(case_id) == expected[case_id]

    with db.write() as s:
        service.read_ahead(s, [*numbers, "NO-SUCH-NUMBER"])
        unit = unit_of(s)
        for case_id in case_ids:
            assert case_id in unit._loaded
            assert unit.head(case_id) == expected[case_id]
            assert [_rows(unit, m, case_id) for m in (Defendant, Charge, Deadline)] == (
                alone[case_id]
            )
        new = str(uuid.uuid4())
        unit.load_cases([bare, new])
        assert unit.head(bare) == expected[bare] and expected[bare][0] == 3
        assert unit.head(new) == (0, GENESIS_HASH)
        assert unit.rows(Defendant, new) == []


def test_read_ahead_then_acting_extends_the_stored_chain(db):
    number = register(db)
    with db.batch() as b:
        service.read_ahead(b.session, [number])
        b.run(
            lifecycle.impose_measure,
            actor=POLICE,
            case_number=number,
            defendant_no=1,
            measure="criminal_detention",
            at=D0,
        )
    with db.read() as s:
        rows = s.execute(text("SELECT seq, prev_hash, hash FROM events ORDER BY seq")).all()
    assert [r[0] for r in rows] == list(range(1, len(rows) + 1))
    assert all(rows[i][1] == rows[i - 1][2] for i in range(1, len(rows)))
