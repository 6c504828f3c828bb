"""Bad input: each error names the field and the allowed values."""

from __future__ import annotations

import json
from typing import Any

import pytest

from caseledger.errors import InvalidInput, SafeguardViolation, UnknownCode
from caseledger.sentencing import Recommendation, SentencingInput, engine
from tests.sentencing.conftest import calc

THEFT = {"crime": "theft", "facts": {"amount_yuan": 12000}}


def _err(kind: type[Exception], **case: Any) -> Any:
    with pytest.raises(kind) as info:
        calc(**case)
    return info.value


def test_unknown_crime_lists_the_crimes():
    e = _err(UnknownCode, crime="larceny")
    assert e.context["field"] == "crime"
    assert "theft" in e.context["allowed"] and "opening_casino" in e.context["allowed"]


def test_unknown_fact_lists_the_crimes_facts():
    e = _err(UnknownCode, crime="theft", facts={"amount": 5000})
    assert e.context["field"] == "facts.amount"
    assert "amount_yuan" in e.context["allowed"]


@pytest.mark.parametrize(
    ("facts", "field", "allowed"),
    [
        ({"amount_yuan": "5000 yuan"}, "facts.amount_yuan", "a number in yuan"),
        ({"amount_yuan": True}, "facts.amount_yuan", "a number in yuan"),
        ({"count": 2.5}, "facts.count", "a whole number"),
        ({"burglary": "yes"}, "facts.burglary", "true or false"),
        ({"amount_yuan": -1}, "facts.amount_yuan", "≥ 0 in yuan"),
    ],
)
def test_fact_of_wrong_type_or_unit(facts, field, allowed):
    e = _err(InvalidInput, crime="theft", facts=facts)
    assert e.context == {"field": field, "allowed": allowed}


def test_enum_fact_lists_its_values():
    e = _err(InvalidInput, crime="intentional_injury", facts={"injury": "grievous"})
    assert e.context == {"field": "facts.injury", "allowed": "none, minor, serious, death"}


def test_required_fact():
    e = _err(InvalidInput, crime="drug_trafficking", facts={})
    assert e.context["field"] == "facts.drug_grams"


def test_facts_below_the_lowest_tier_say_what_is_needed():
    e = _err(InvalidInput, crime="fraud", facts={"amount_yuan": 1000})
    assert e.context["field"] == "facts"
    assert "amount_yuan ≥ 5000 (large)" in e.message


def test_unknown_circumstance():
    e = _err(UnknownCode, **THEFT, circumstances=[{"code": "remorse"}])
    assert e.context["field"] == "circumstances[0].code"
    assert "surrender" in e.context["allowed"] and "minor_14_16" in e.context["allowed"]


def test_crime_specific_circumstance_only_for_its_crime():
    e = _err(UnknownCode, **THEFT, circumstances=["beating_insult"])
    assert e.context["field"] == "circumstances[0].code"


@pytest.mark.parametrize(
    ("circ", "allowed"),
    [
        ({"code": "surrender", "pct": -50}, "-40..-0"),
        ({"code": "surrender", "pct": 10}, "-40..-0"),
        ({"code": "recidivist", "pct": 5}, "10..40"),
        ({"code": "recidivist", "pct": -20}, "10..40"),
        ({"code": "accessory", "pct": -10}, "-50..-20"),
        ({"code": "surrender", "pct": "-10"}, "-40..-0"),
    ],
)
def test_percentage_outside_legal_range(circ, allowed):
    e = _err(InvalidInput, **THEFT, circumstances=[circ])
    assert e.context == {"field": "circumstances[0].pct", "allowed": allowed}


def test_minor_crime_opens_the_exemption_extension():
    with pytest.raises(InvalidInput):
        calc(
            crime="theft",
            facts={"amount_yuan": 3000},
            circumstances=[{"code": "surrender", "pct": -60}],
        )
    r = calc(
        crime="theft",
        facts={"amount_yuan": 3000, "minor_crime": True},
        circumstances=[{"code": "surrender", "pct": -60}],
    )
    assert r["steps"][-1]["kind"] in {"below_minimum", "rounding", "penalty_type", "tier2"}


def test_as_of_not_covered():
    e = _err(InvalidInput, **THEFT, as_of="2020-01-01")
    assert e.context["field"] == "as_of"
    assert "cn-fj: 2021-07-01 to open" in e.context["allowed"]


def test_as_of_malformed():
    e = _err(InvalidInput, **THEFT, as_of="01/02/2024")
    assert e.context == {"field": "as_of", "allowed": "YYYY-MM-DD"}


def test_crime_not_yet_in_force():
    e = _err(InvalidInput, crime="opening_casino", facts={}, as_of="2023-01-01")
    assert e.context["field"] == "crime"
    assert "in force from 2024-07-01" in e.message


def test_unknown_jurisdiction():
    e = _err(InvalidInput, **THEFT, jurisdiction="CN-ZZ")
    assert e.context == {"field": "jurisdiction", "allowed": "CN-FJ"}


def test_plea_stage_and_pct():
    e = _err(InvalidInput, **THEFT, plea={"stage": "appeal"})
    assert e.context == {"field": "plea.stage", "allowed": "investigation, prosecution, trial"}
    e = _err(InvalidInput, **THEFT, plea={"stage": "trial", "pct": -20})
    assert e.context == {"field": "plea.pct", "allowed": "-10..0"}


def test_plea_is_not_a_circumstance():
    e = _err(InvalidInput, **THEFT, circumstances=["plea"])
    assert e.context["field"] == "circumstances[0].code"


def test_override_needs_reason_and_author():
    with pytest.raises(SafeguardViolation) as info:
        calc(**THEFT, plea={"stage": "trial"}, particularly_serious=True,
             leniency_override={"reason": " ", "by": "pros-1"})  # fmt: skip
    assert info.value.context["field"] == "leniency_override"
    with pytest.raises(InvalidInput):
        calc(**THEFT, plea={"stage": "trial"}, leniency_override={"reason": "x", "by": "y"})


@pytest.mark.parametrize(
    ("crime", "facts", "circs"),
    [
        ("theft", {"amount_yuan": 5000}, ["minor_16_18", "recidivist"]),  # CL 65: under 18
        ("traffic_accident", {"deaths": 1}, ["recidivist"]),  # CL 65: negligent crime
        ("theft", {"amount_yuan": 5000}, ["elderly_negligent"]),  # only negligent crimes
        ("traffic_accident", {"deaths": 1}, ["elderly_intentional"]),
        ("theft", {"amount_yuan": 5000}, ["surrender", "surrender"]),
    ],
)
def test_contradictory_circumstances(crime, facts, circs):
    _err(InvalidInput, crime=crime, facts=facts, circumstances=circs)


def test_unknown_top_level_key_and_starting_point():
    e = _err(InvalidInput, **THEFT, circumstance=[])
    assert e.context["field"] == "circumstance"
    e = _err(InvalidInput, **THEFT, starting_point_months=20)
    assert e.context == {"field": "starting_point_months", "allowed": "3..6"}


def test_aliases_resolve_and_are_recorded():
    r = calc(crime="theft", facts={"amount_yuan": 5000}, circumstances=["minor_14_16"])
    step = next(s for s in r["steps"] if s["rule"] == "minor_12_16")
    assert step["pct"] == -45 and step["note"] == "given as minor_14_16"


def test_input_order_does_not_matter():
    a = calc(**THEFT, circumstances=["surrender", "recidivist", "accessory"])
    b = calc(**THEFT, circumstances=["accessory", "recidivist", "surrender"])
    assert a == b


def test_typed_api_round_trips_through_json():
    case = SentencingInput(
        crime="theft",
        facts={"amount_yuan": 12000},
        circumstances=[{"code": "surrender", "pct": -20}],
        plea={"stage": "investigation"},
        as_of="2024-05-01",
    )
    rec = engine.recommend(case)
    assert rec.recommendation.definite_months == 4
    assert rec.explanation is not None
    assert "criminal detention" in rec.explanation.en and "拘役" in rec.explanation.zh
    dumped = rec.model_dump(mode="json")
    assert Recommendation.model_validate(json.loads(json.dumps(dumped))) == rec
    assert engine.compute(case.to_raw()) == {
        k: v for k, v in dumped.items() if k != "explanation"
    } | {"as_of": "2024-05-01"}
