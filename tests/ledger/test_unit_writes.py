"""How the write unit's rows reach the store: many rows per statement (PostgreSQL: COPY from
``tables.COPY_FROM`` new rows on, ``executemany`` below), values and types kept, nothing
silently cut."""

from __future__ import annotations

import datetime as dt
from typing import Any

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
    assert _stored_people(db) == expected


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


def _updates():  # type: ignore[no-untyped-def]
    """The UPDATE statements the write unit sends (driver level), as they are sent."""
    from caseledger.ledger import unit as unit_module

    sent: list[tuple[str, list[Any]]] = []
    original = unit_module.write_many

    def spy(driver, sqlite, statements):  # type: ignore[no-untyped-def]
        sent.extend((sql, list(rows)) for sql, rows, _copy in statements if sql.startswith("UPD"))
        return original(driver, sqlite, statements)

    return sent, spy


def test_an_update_sets_only_the_columns_that_changed(db, monkeypatch):
    from caseledger.ledger import unit as unit_module

    people = _people(9)
    with db.write() as s:
        unit = unit_of(s)
        for p in people:
            unit.new(PersonalData, **p)
    sent, spy = _updates()
    monkeypatch.setattr(unit_module, "write_many", spy)
    with db.write() as s:
        unit = unit_of(s)
        for i in range(0, 9, 3):  # the name only
            row = unit.change(unit.get(PersonalData, f"p{i:03d}"))
            row.name = f"乙{i}"
        for i in range(1, 9, 3):  # a date, changed twice, and the number set back as it was
            row = unit.change(unit.get(PersonalData, f"p{i:03d}"))
            row.birth_date = dt.date(1999, 1, 1)
            row.id_number = "changed"
            unit.change(row)
            row.birth_date = dt.date(2000, 2, 29)
            row.id_number = people[i]["id_number"]
        for i in range(2, 9, 3):  # declared changed, changed nothing: not written
            row = unit.change(unit.get(PersonalData, f"p{i:03d}"))
            row.name = people[i]["name"]
    assert sorted(len(rows) for _sql, rows in sent) == [3, 3]
    assert all(sql.count("=") == 2 for sql, _rows in sent)  # one column set, one key
    expected = {
        p["person_ref"]: (
            f"乙{i}" if i % 3 == 0 else p["name"],
            dt.date(2000, 2, 29) if i % 3 == 1 else p["birth_date"],
            p["id_number"],
        )
        for i, p in enumerate(people)
    }
    assert _stored_people(db) == expected


def _stored_people(db):  # type: ignore[no-untyped-def]
    """person_ref -> (name, birth_date, id_number) as stored."""
    with db.read() as s:
        rows = s.execute(
            select(
                PersonalData.person_ref,
                PersonalData.name,
                PersonalData.birth_date,
                PersonalData.id_number,
            )
        ).all()
    return {r[0]: tuple(r[1:]) for r in rows}
