"""Properties of the engine on random cases (hypothesis): monotonic, bounded, capped, and the
vectorised mode equal to the per-case engine."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from caseledger.errors import InvalidInput
from caseledger.sentencing import engine, vector
from caseledger.sentencing.compiled import default_library

LIB = default_library()
DATES = [dt.date(2021, 7, 1), dt.date(2023, 5, 5), dt.date(2024, 9, 1)]
VIEW = LIB.select(None, DATES[-1])
CRIMES = sorted(VIEW.crimes)
SEVERITY = {"surveillance": 0, "detention": 1, "imprisonment": 2}
NUMBERS = {
    "drug_grams": [0.5, 5, 9, 10, 12.5, 30, 49, 50, 80],
    "blood_alcohol_mg": [0, 50, 80, 119, 120, 200, 310],
}
YUAN = [0, 500, 1500, 2000, 2500, 6000, 12000, 45000, 50000, 60000, 120000, 350000, 450000, 2e6]
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                HealthCheck.filter_too_much])  # fmt: skip


def _pct(draw: Any, c: Any, minor: bool) -> float | None:
    if draw(st.booleans()):
        return None
    hi = c.minor_crime_hi if minor and c.minor_crime_hi is not None else c.hi
    whole = st.integers(int(c.lo + 0.999), int(hi)).map(float)
    fraction = st.floats(c.lo, hi, allow_nan=False).map(lambda x: round(x, 2))
    magnitude = draw(st.one_of(whole, fraction))
    magnitude = min(max(magnitude, c.lo), hi)
    return c.sign * magnitude if magnitude else 0.0


@st.composite
def cases(draw: Any, *, with_plea: bool = True) -> dict[str, Any]:
    code = draw(st.sampled_from(CRIMES))
    crime = VIEW.crimes[code]
    on = draw(st.sampled_from(DATES))
    if code not in LIB.select(None, on).crimes:
        on = DATES[-1]
    facts: dict[str, Any] = {}
    for name, d in crime.facts.items():
        if name not in crime.required and draw(st.integers(0, 2)) == 0:
            continue
        if d.type == "boolean":
            facts[name] = draw(st.booleans())
        elif d.type == "enum":
            facts[name] = draw(st.sampled_from(d.values or []))
        elif d.type == "integer":
            facts[name] = draw(st.integers(int(d.min or 0), 7))
        else:
            facts[name] = draw(st.sampled_from(NUMBERS.get(name, YUAN)))
    minor = bool(facts.get("minor_crime"))
    usable = [
        c for c in crime.circumstances.values()
        if not c.via_plea and not (c.not_for_negligent and crime.negligent)
        and not (c.only_for_negligent and not crime.negligent)
    ]  # fmt: skip
    chosen = draw(st.lists(st.sampled_from(usable), max_size=5, unique_by=lambda c: c.code))
    codes = {c.code for c in chosen}
    chosen = [c for c in chosen if not set(c.incompatible_with) & codes or c.code != "recidivist"]
    circs = []
    for c in chosen:
        pct = _pct(draw, c, minor)
        circs.append({"code": c.code} if pct is None else {"code": c.code, "pct": pct})
    case: dict[str, Any] = {
        "crime": code,
        "facts": facts,
        "circumstances": circs,
        "as_of": on.isoformat(),
    }
    if with_plea and draw(st.booleans()):
        stage = draw(st.sampled_from(sorted(VIEW.ladder)))
        plea: dict[str, Any] = {"stage": stage}
        if draw(st.booleans()):
            plea["pct"] = -float(draw(st.integers(0, int(VIEW.ladder[stage]))))
        case["plea"] = plea
        if draw(st.integers(0, 3)) == 0:
            case["particularly_serious"] = True
            if draw(st.booleans()):
                case["leniency_override"] = {"reason": "reasons on file", "by": "pros-1"}
    return case


def _compute(case: dict[str, Any]) -> dict[str, Any]:
    try:
        return engine.compute(case)
    except InvalidInput as exc:  # facts below the lowest tier: not a case
        assume(exc.context.get("field") != "facts")
        raise


def _severity(r: dict[str, Any]) -> tuple[int, int]:
    rec = r["recommendation"]
    return (SEVERITY[rec["penalty_type"]], rec["definite_months"])


@FAST
@given(st.lists(cases(), min_size=1, max_size=12))
def test_vectorised_equals_per_case(batch: list[dict[str, Any]]) -> None:
    expected = []
    for case in batch:
        expected.append(vector.result_row(_compute(case)))
    out = vector.recommend_frame(vector.inputs_to_frame(batch))
    for i, want in enumerate(expected):
        got = {k: out[k][i] for k in want}
        assert got == want, (batch[i], got, want)


def _mitigation_total(case: dict[str, Any]) -> float:
    total = 0.0
    for item in case["circumstances"]:
        c = VIEW.crimes[case["crime"]].circumstances[item["code"]]
        if c.tier == 2 and c.sign < 0:
            total += c.hi
    return total + (30 if case.get("plea") else 0)


@FAST
@given(cases(), st.data())
def test_adding_a_circumstance_moves_the_result_its_way(case: dict[str, Any], data: Any) -> None:
    crime = VIEW.crimes[case["crime"]]
    base = _compute(case)
    present = {c["code"] for c in case["circumstances"]}
    candidates = [
        c for c in crime.circumstances.values()
        if c.code not in present and not c.via_plea
        and not (c.not_for_negligent and crime.negligent)
        and not (c.only_for_negligent and not crime.negligent)
        and not set(c.incompatible_with) & present
        and not any(c.code in crime.circumstances[p].incompatible_with for p in present)
        # an exclusion (SG2021 三(八)) removes another circumstance by law: not monotonic
        and not c.excluded_by
        and not any(c.code in crime.circumstances[p].excluded_by for p in present)
    ]  # fmt: skip
    assume(candidates)
    extra = data.draw(st.sampled_from(candidates))
    more = dict(case, circumstances=[*case["circumstances"], {"code": extra.code}])
    # A fixed minimum (recidivism's +3 months) is not proportional: once reductions above 100 %
    # have exhausted the baseline it can outweigh them, so keep the reductions meaningful.
    assume(_mitigation_total(more) <= 100)
    after = _compute(more)
    if extra.sign > 0:
        assert after["adjusted_months"] >= base["adjusted_months"] - 1e-9
        assert after["proposed_months"] >= base["proposed_months"] - 1e-9
        assert _severity(after) >= _severity(base)
    else:
        assert after["adjusted_months"] <= base["adjusted_months"] + 1e-9
        assert after["proposed_months"] <= base["proposed_months"] + 1e-9
        assert _severity(after) <= _severity(base)


@FAST
@given(cases())
def test_results_stay_in_the_tier_unless_a_reduction_is_cited(case: dict[str, Any]) -> None:
    r = _compute(case)
    lo, hi = r["tier"]["statutory_months"]
    proposed = r["proposed_months"]
    assert proposed <= hi
    below = [s for s in r["steps"] if s["kind"] == "below_minimum"]
    if proposed < lo:
        assert len(below) == 1 and below[0]["citation"].startswith("CL 63; CL ")
    rec = r["recommendation"]
    rlo, rhi = rec["range_months"]
    assert rlo <= rec["definite_months"] <= rhi
    frame = {"imprisonment": (6, 180), "detention": (1, 6), "surveillance": (3, 24)}
    flo, fhi = frame[rec["penalty_type"]]
    assert flo <= rlo and rhi <= fhi
    assert rhi <= hi and rec["definite_months"] <= hi


@FAST
@given(cases())
def test_plea_discount_never_exceeds_its_caps(case: dict[str, Any]) -> None:
    r = _compute(case)
    if r["plea"] is None:
        return
    stage = r["plea"]["stage"]
    assert -VIEW.ladder[stage] <= r["plea"]["pct"] <= 0
    assert VIEW.ladder[stage] <= 30  # SG2021 三(十四): the plea alone
    if r["leniency_excluded"]:
        assert r["plea"]["pct"] == 0
        return
    group = [
        s
        for s in r["steps"]
        if s["rule"] in VIEW.group_members or s["kind"] in {"plea", "plea_group_cap"}
    ]
    total = sum(s["pct"] for s in group if s["pct"] is not None)
    plus = any(s["rule"] in VIEW.group_plus and s["kind"] == "tier2" for s in r["steps"])
    minor = bool(case["facts"].get("minor_crime"))
    cap = (VIEW.group_minor_cap if minor else VIEW.group_plus_cap) if plus else VIEW.group_cap
    assert total >= -cap - 1e-9


@FAST
@given(cases())
def test_deterministic_and_order_free(case: dict[str, Any]) -> None:
    r = _compute(case)
    shuffled = dict(
        case,
        circumstances=random.Random(7).sample(case["circumstances"], len(case["circumstances"])),
    )
    assert engine.compute(shuffled) == r == engine.compute(case)
