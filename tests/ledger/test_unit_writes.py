"""How the write unit's rows reach the store: many rows per statement (PostgreSQL: COPY from
``tables.COPY_FROM`` new rows on, ``executemany`` below), values and types kept, nothing
silently cut."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from caseledger.case.models import PersonalData
from caseledger.ledger.tables import COPY_FROM
from caseledger.ledger.unit import unit_of


def _people(n: int) -> list[dict[str, object]]:
    return [
        {
            "person_ref": f"p{i:03d}",
            "name": f"甲{i}",
            "birth_date": dt.date(1990, 1, 1) + dt.timedelta(days=i) if i % 2 else None,
            "id_number": None if i % 3 else f"ID{i}",
            "salt": "s",
        }
        for i in range(n)
    ]


@pytest.mark.parametrize("n", [3, 30, COPY_FROM + 10])
def test_many_rows_are_inserted_updated_and_deleted_as_given(db, n):
    people = _people(n)
    with db.write() as s:
        unit = unit_of(s)
        for p in people:
            unit.new(PersonalData, **p)
    with db.write() as s:
        unit = unit_of(s)
        for i in range(0, n, 3):
            row = unit.get(PersonalData, f"p{i:03d}")
            unit.change(row)
            row.name = f"乙{i}"
            row.birth_date = dt.date(2000, 2, 29)
        for i in range(1, n, 3):
            unit.remove(unit.get(PersonalData, f"p{i:03d}"))
    expected = {}
    for i, p in enumerate(people):
        if i % 3 == 1:
            continue
        if i % 3 == 0:
            p = {**p, "name": f"乙{i}", "birth_date": dt.date(2000, 2, 29)}
        expected[p["person_ref"]] = (p["name"], p["birth_date"], p["id_number"])
    with db.read() as s:
        rows = s.execute(
            select(
                PersonalData.person_ref,
                PersonalData.name,
                PersonalData.birth_date,
                PersonalData.id_number,
            )
        ).all()
    assert {r[0]: tuple(r[1:]) for r in rows} == expected


@pytest.mark.parametrize("n", [1, COPY_FROM + 10])
def test_an_over_long_value_is_refused_not_cut_on_postgresql(db, n):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite does not enforce VARCHAR lengths")
    people = _people(n)
    people[-1] = {**people[-1], "id_number": "9" * 33}
    with pytest.raises(DBAPIError, match="too long"), db.write() as s:
        unit = unit_of(s)
        for p in people:
            unit.new(PersonalData, **p)
    with db.read() as s:
        assert s.execute(select(PersonalData)).first() is None
