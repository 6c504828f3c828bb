from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from caseledger.case import queries, service
from caseledger.case.models import Case, Defendant, PersonalData
from caseledger.errors import InvalidInput, NotFound, PermissionDenied, UnknownCode
from caseledger.ledger.models import Event
from tests.factories import D0, JUDGE, POLICE, register


def test_every_report_gets_a_number_even_without_a_suspect(db):
    first = db.run(
        lambda s: (
            service.register_case(s, actor=POLICE, reported_on=D0, summary="", at=D0).case_number
        )
    )
    second = register(db)
    assert first == "PSB110105-2026-000001"
    assert second == "PSB110105-2026-000002"
    with db.read() as s:
        view = queries.show_case(s, first)
    assert view.summary == "(no summary given)" and view.defendants == []


def test_defendants_and_charges_are_events_and_personal_data_stays_off_chain(db):
    number = register(db, defendants=2)
    with db.read() as s:
        view = queries.show_case(s, number)
        events = s.execute(select(Event).order_by(Event.seq)).scalars().all()
        names = s.execute(select(PersonalData.name)).scalars().all()
    assert [d.defendant_no for d in view.defendants] == [1, 2]
    assert [e.event_type for e in events] == [
        "case.registered",
        "defendant.added",
        "charge.added",
        "defendant.added",
        "charge.added",
    ]
    assert all("嫌疑人" not in e.payload for e in events)
    assert sorted(names) == ["嫌疑人0", "嫌疑人1"]
    assert view.defendants[0].charges == ["theft"]


def test_unknown_crime_code_writes_nothing(db):
    with pytest.raises(UnknownCode, match="unknown crime code 'stealing'"):
        register(db, crime="stealing")
    with db.read() as s:
        assert s.execute(select(Case)).first() is None
        assert s.execute(select(Event)).first() is None


@pytest.mark.parametrize(
    ("reported", "at", "message"),
    [
        (D0, dt.date.today() + dt.timedelta(days=3), "future"),
        (D0 + dt.timedelta(days=5), D0, "after the registration date"),
    ],
)
def test_bad_dates_are_refused(db, reported, at, message):
    with pytest.raises(InvalidInput, match=message):
        db.run(
            lambda s: service.register_case(
                s, actor=POLICE, reported_on=reported, summary="x", at=at
            )
        )


def test_malformed_date_names_the_field(db):
    with pytest.raises(InvalidInput) as info:
        db.run(
            lambda s: service.register_case(s, actor=POLICE, reported_on="2026-13-45", summary="x")
        )
    assert info.value.context["field"] == "reported_on"


def test_judges_do_not_register_cases(db):
    with pytest.raises(PermissionDenied):
        db.run(lambda s: service.register_case(s, actor=JUDGE, reported_on=D0, summary="x", at=D0))


def test_closing_needs_a_reason_and_withdraws_suspects(db):
    number = register(db)
    with pytest.raises(InvalidInput, match="note"):
        db.run(
            lambda s: service.close_case(
                s, actor=POLICE, case_number=number, reason="no_crime", note=" ", at=D0
            )
        )
    db.run(
        lambda s: service.close_case(
            s, actor=POLICE, case_number=number, reason="no_crime", note="no crime happened", at=D0
        )
    )
    with db.read() as s:
        case = s.execute(select(Case)).scalar_one()
        d = s.execute(select(Defendant)).scalar_one()
    assert (case.status, case.close_reason, d.stage) == ("closed", "no_crime", "withdrawn")


def test_concluded_only_when_all_proceedings_ended(db):
    number = register(db)
    with pytest.raises(Exception, match="every defendant"):
        db.run(
            lambda s: service.close_case(
                s, actor=POLICE, case_number=number, reason="concluded", note="done", at=D0
            )
        )


def test_unknown_case_is_not_found(db):
    with db.read() as s, pytest.raises(NotFound):
        queries.show_case(s, "nope")
