"""A plea for a crime (or a date) no sentencing guideline covers: the prosecutor still makes the
recommendation (SPP-Rules art 274-275), with the penalty type and the reasons; it is stored
without an engine result and flagged ``no_guideline``. Without them nothing is written."""

from __future__ import annotations

import json

from sqlalchemy import select

from caseledger.errors import InvalidInput, SafeguardViolation
from caseledger.ledger.models import Event
from caseledger.plea import statement
from tests.factories import PROSECUTOR, day
from tests.factories import refused as _refused
from tests.plea.test_plea import _consult, _ready, _sign, store  # noqa: F401

KIDNAPPING = {"crime": "kidnapping", "facts": {}}


def test_no_guideline_needs_months_penalty_and_reasons(db, store):  # noqa: F811
    number = _ready(db, store, crime="kidnapping")
    _consult(db, store, number)
    base = {
        "actor": PROSECUTOR,
        "store": store,
        "case_number": number,
        "defendant_no": 1,
        "counsel_present": "duty-1",
        "sentencing_input": KIDNAPPING,
        "at": day(13),
    }
    err = _refused(db, InvalidInput, statement.sign_statement, **base)
    assert "no sentencing guideline for kidnapping" in err.message
    _refused(db, SafeguardViolation, statement.sign_statement, **base, definite_months=96)
    _refused(
        db,
        InvalidInput,
        statement.sign_statement,
        **base,
        definite_months=96,
        deviation_reason="by the general method of SG2021, from the statutory frame",
    )
    row = _sign(
        db,
        store,
        number,
        sentencing_input=KIDNAPPING,
        definite_months=96,
        penalty_type="imprisonment",
        deviation_reason="by the general method of SG2021, from the statutory frame",
    )
    assert row.definite_months == 96 and "no_guideline" in row.quality_flags
    with db.read() as s:
        payload = json.loads(
            s.execute(
                select(Event.payload).where(Event.event_type == "plea.statement_signed")
            ).scalar_one()
        )
    assert payload["engine_definite_months"] is None
    assert "kidnapping" in payload["recommendation"]["no_guideline"]


def test_a_date_before_every_pack_is_not_covered_either(db, store):  # noqa: F811
    number = _ready(db, store)
    _consult(db, store, number)
    row = _sign(
        db,
        store,
        number,
        sentencing_input={
            **{"crime": "theft", "facts": {"amount_yuan": 5000}},
            "as_of": "2019-05-01",
        },
        range_months=(6, 9),
        range_reason="uncommon circumstances",
        penalty_type="imprisonment",
        deviation_reason="no guideline in force on the date of the offence",
    )
    assert row.recommendation_kind == "range" and (row.range_low, row.range_high) == (6, 9)
