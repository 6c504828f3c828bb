"""The four-step sentencing method of SG2021 二, applied to one case, every step recorded.

Owns: the arithmetic. Starting point (from the tier the facts select) -> baseline (per-unit
increments) -> first-tier circumstances applied to the baseline (multiplied or summed, as the pack
says) -> the others added to it (same direction added, opposite subtracted, SG2021 二(二)) with
the plea group capped against double counting (SG2021 三(十四)) -> proposed sentence kept inside
the statutory tier unless a cited reduction ground allows going below it (CL 63) -> rounding,
penalty type, definite and range recommendation, probation eligibility (CL 72-74), fine.

:func:`compute` works on plain dicts (the batch path); :func:`recommend` is the typed API.
``vector.py`` mirrors this arithmetic operation for operation; change both or neither.

Must never: hold a legal number (they come from the compiled pack), or depend on the ledger.
The rule citations for procedural steps below are citations, not figures.
"""

from __future__ import annotations

import math
from typing import Any

from caseledger.errors import InvalidInput
from caseledger.sentencing import conditions
from caseledger.sentencing.compiled import CCirc, Cite, Library, default_library
from caseledger.sentencing.explain import explain as explain_result
from caseledger.sentencing.inputs import check_circumstances, check_facts, check_plea, pick_view
from caseledger.sentencing.schemas import Recommendation, SentencingInput

EPS = 1e-9  # guards half-up rounding against binary representation (x.4999999999)
# Percentages are applied as p * PCT, never p / 100: Polars divides a column by a scalar through
# the reciprocal, so only multiplications give the vectorised mode the very same bits.
PCT = 0.01
CONF_ORDER = {"C": 0, "C17": 1, "R": 2}
PENALTY_ZH = {"imprisonment": "有期徒刑", "detention": "拘役", "surveillance": "管制"}
SEVERITY = {"surveillance": 0, "detention": 1, "imprisonment": 2}

STEP_KINDS = {
    "starting_point": "the starting point chosen inside the tier's starting-point range",
    "increment": "penalty quantity added to the baseline for a fact beyond the basic ones",
    "baseline_cap": "the baseline kept at the tier's statutory maximum",
    "tier1": "a first-tier circumstance applied to the baseline first (SG2021 二(二))",
    "tier2": "another circumstance, applied to the first-tier result and added",
    "excluded": "a circumstance not counted because another one excludes it (e.g. SG2021 三(八))",
    "plea": "the plea discount for the stage at which guilt was admitted",
    "plea_excluded": "no plea discount: the case is particularly serious and there is no override",
    "plea_group_cap": "the plea and related circumstances capped together (no double counting)",
    "below_minimum": "below the tier minimum on a statutory reduction ground (CL 63)",
    "raised_to_minimum": "raised to the tier minimum: no reduction ground (SG2021 二(三))",
    "capped_to_maximum": "capped at the tier maximum (SG2021 二(三))",
    "rounding": "rounded to whole months (pack policy)",
    "penalty_type": "moved into the legal range of the penalty type (detention ≤ 6 months ...)",
}

METHOD = Cite("SG2021 二(二)", "C", "national")
BOUNDS = Cite("SG2021 二(三)", "C", "national")
BELOW_MIN = Cite("CL 63", "C", "statute")
PLEA_EXCLUDED = Cite("Plea2019 para 5", "C", "national")


_TEXT: dict[tuple[Any, ...], Any] = {}  # formatted step texts, keyed by what they depend on


def _cached(key: tuple[Any, ...], make: Any) -> Any:
    hit = _TEXT.get(key)
    if hit is None:
        if len(_TEXT) > 50_000:
            _TEXT.clear()
        hit = _TEXT[key] = make()
    return hit


def round_half_up(x: float) -> int:
    return math.floor(x + 0.5 + EPS)


def whole_units(excess: float, per: float, inv: float) -> int:
    """floor(excess / per), exact for whole numbers, from multiplications only (see PCT)."""
    u = math.floor(excess * inv)
    if (u + 1) * per <= excess:
        return u + 1
    if u * per > excess:
        return u - 1
    return u


def _step(
    kind: str,
    rule: str,
    cite: Cite,
    pct: float | None,
    before: float | None,
    after: float,
    en: str,
    zh: str,
    note: str | None = None,
) -> dict[str, Any]:
    return {
        "kind": kind,
        "rule": rule,
        "citation": cite.src,
        "confidence": cite.conf,
        "provenance": cite.provenance,
        "pct": pct,
        "months_before": None if before is None else round(before, 4),
        "months_after": round(after, 4),
        "en": en,
        "zh": zh,
        "note": note,
    }


def compute(raw: dict[str, Any], lib: Library | None = None) -> dict[str, Any]:
    """One recommendation as a JSON-ready dict; raises InvalidInput/UnknownCode/... on bad input."""
    if not isinstance(raw, dict):
        raise InvalidInput("a case must be a JSON object", field="(root)")
    extra = set(raw) - INPUT_KEYS
    if extra:
        raise InvalidInput(
            f"unknown key(s) {sorted(extra)}",
            field=sorted(extra)[0],
            allowed=", ".join(sorted(INPUT_KEYS)),
        )
    lib = lib or default_library()
    view, crime, on = pick_view(lib, raw)
    facts = check_facts(crime, raw.get("facts"))
    minor_crime = bool(facts.get("minor_crime"))
    circs = check_circumstances(crime, raw.get("circumstances"), minor_crime)
    stage, plea_pct, plea_excluded, override = check_plea(view, crime, raw)

    tier = None
    for t in crime.tiers:
        if t.test(facts):
            tier = t
            break
    if tier is None:
        need = conditions.describe(crime.tiers[-1].node)
        raise InvalidInput(
            f"the facts do not reach the lowest tier of {crime.code}: it needs {need}",
            field="facts",
            allowed=need,
        )
    steps: list[dict[str, Any]] = []

    # 1. starting point
    chosen = raw.get("starting_point_months")
    if chosen is None:
        sp = tier.start_lo if view.pick_min else (tier.start_lo + tier.start_hi) / 2
        how = view.pick_cite
    else:
        if (
            not isinstance(chosen, int | float)
            or isinstance(chosen, bool)
            or not (tier.start_lo <= chosen <= tier.start_hi)
        ):
            raise InvalidInput(
                f"starting_point_months {chosen!r} is outside the tier's starting-point range",
                field="starting_point_months",
                allowed=f"{tier.start_lo:g}..{tier.start_hi:g}",
            )
        sp = float(chosen)
        how = None
    rule, en, zh, note = _cached(
        (view.pack, crime.code, tier.id, how is None),
        lambda: (
            f"{crime.code}.{tier.id}.start",
            f"starting point chosen in the range {tier.start_lo:g}-{tier.start_hi:g} months",
            f"在{tier.start_lo:g}至{tier.start_hi:g}个月幅度内确定量刑起点",
            None if how is None else f"point chosen by policy {how.src}",
        ),
    )
    steps.append(_step("starting_point", rule, tier.start_cite, None, None, sp, en, zh, note))

    # 2. baseline: penalty quantity for facts beyond the basic ones
    m = sp
    for inc in tier.increments:
        excess = facts[inc.fact] - inc.over
        if excess >= inc.per:
            units = whole_units(excess, inc.per, inc.inv)
            after = m + units * inc.months
            steps.append(
                _step(
                    "increment",
                    inc.id,
                    inc.cite,
                    None,
                    m,
                    after,
                    *_cached(
                        (inc.id, units, crime.code),
                        lambda inc=inc, units=units: (
                            f"{inc.fact}: {units} × {inc.per:g} above {inc.over:g}"
                            f" → +{units * inc.months:g} months",
                            f"{crime.facts[inc.fact].zh}：超出{inc.over:g}部分每{inc.per:g}"
                            f"增加{inc.months:g}个月",
                        ),
                    ),
                )
            )
            m = after
    if m > tier.stat_hi:
        steps.append(
            _step(
                "baseline_cap",
                f"{crime.code}.{tier.id}.statutory",
                tier.stat_cite,
                None,
                m,
                tier.stat_hi,
                "baseline kept at the tier's statutory maximum",
                "基准刑不超过法定最高刑",
            )
        )
        m = tier.stat_hi
    baseline = m

    # 3a. first-tier circumstances adjust the baseline first
    present = {c.code for c, _, _ in circs}
    if stage is not None:
        present.add("plea")
    t1 = [x for x in circs if x[0].tier == 1]
    if view.tier1_multiply:
        for c, p, alias in t1:
            after = m * (1 + p * PCT)
            steps.append(_circ_step("tier1", c, p, m, after, alias, view.tier1_cite))
            m = after
    elif t1:
        m0, s = m, 0.0
        for c, p, alias in t1:
            s = s + p
            steps.append(
                _circ_step(
                    "tier1",
                    c,
                    p,
                    m0 * (1 + (s - p) * PCT),
                    m0 * (1 + s * PCT),
                    alias,
                    view.tier1_cite,
                )
            )
        m = m0 * (1 + s * PCT)
    b1 = m

    # 3b. the others, summed on the first-tier result
    t2: list[tuple[CCirc, float, str | None]] = [x for x in circs if x[0].tier == 2]
    if stage is not None:
        plea_c = crime.circumstances["plea"]
        t2.append((plea_c, 0.0 if plea_excluded else plea_pct, None))
        t2.sort(key=lambda x: x[0].order)
    gsum, plus = 0.0, False
    reducers = [c for c, _, _ in t1 if c.reduction]
    for c, p, alias in t2:
        blocked = [x for x in c.excluded_by if x in present]
        if blocked:
            steps.append(
                _step(
                    "excluded",
                    c.code,
                    c.cite,
                    0.0,
                    m,
                    m,
                    f"{c.en}: not counted with {', '.join(blocked)}",
                    f"{c.zh}：已认定{', '.join(blocked)}，不再适用",
                )
            )
            continue
        if c.via_plea and plea_excluded:
            steps.append(
                _step(
                    "plea_excluded",
                    f"plea.{stage}",
                    PLEA_EXCLUDED,
                    0.0,
                    m,
                    m,
                    "plea leniency withheld: particularly serious case (no override)",
                    "犯罪性质和危害后果特别严重等，不足以从宽：不予从宽",
                )
            )
            continue
        contrib = b1 * (p * PCT)
        if c.min_months is not None and abs(contrib) < c.min_months:
            contrib = c.sign * c.min_months
        after = m + contrib
        if c.via_plea:
            cite, rule, en, zh = _cached(
                (view.pack, view.period, stage, p),
                lambda c=c, p=p: (
                    Cite(
                        f"{c.cite.src}; {view.ladder_cite.src}",
                        view.ladder_cite.conf,
                        view.ladder_cite.provenance,
                    ),
                    f"plea.{stage}",
                    f"plea at the {stage} stage ({p:g} %, stage maximum {-view.ladder[stage]:g} %)",
                    f"{STAGE_ZH[stage]}阶段认罪认罚（{p:g}%）",
                ),
            )
            note = "leniency granted by explicit override" if override else None
            steps.append(_step("plea", rule, cite, p, m, after, en, zh, note))
        else:
            steps.append(
                _circ_step(
                    "tier2",
                    c,
                    p,
                    m,
                    after,
                    alias,
                    METHOD,
                    f"at least {c.min_months:g} months" if c.min_months else None,
                )
            )
        m = after
        if c.reduction:
            reducers.append(c)
        if c.code in view.group_members:
            gsum = gsum + p
            if c.code in view.group_plus:
                plus = True
    if stage is not None and not plea_excluded:
        cap = (
            (view.group_minor_cap if minor_crime else view.group_plus_cap)
            if plus
            else view.group_cap
        )
        if -gsum > cap:
            excess = -gsum - cap
            after = m + b1 * (excess * PCT)
            steps.append(
                _step(
                    "plea_group_cap",
                    "plea.group_cap",
                    view.group_cite,
                    excess,
                    m,
                    after,
                    f"no double counting: plea and related circumstances capped at -{cap:g} %",
                    f"认罪认罚与相关情节不重复评价：合计从宽不超过{cap:g}%",
                )
            )
            m = after
    adjusted = m

    # 4. proposed sentence inside the statutory tier (SG2021 二(三); CL 63)
    below = adjusted < tier.stat_lo
    lower = tier.floor_if_reduced if reducers else tier.stat_lo
    if below and reducers:
        proposed = adjusted if adjusted > lower else lower
        srcs = "; ".join(dict.fromkeys(c.reduction_src or "" for c in reducers))
        steps.append(
            _step(
                "below_minimum",
                "reduction",
                Cite(f"CL 63; {srcs}", "C", "statute"),
                None,
                adjusted,
                proposed,
                f"below the tier minimum {tier.stat_lo:g} on a statutory reduction ground "
                f"({', '.join(c.code for c in reducers)}); floor {lower:g}",
                f"具有减轻处罚情节，可在法定最低刑以下判处（不低于{lower:g}个月）",
            )
        )
    elif below:
        proposed = tier.stat_lo
        steps.append(
            _step(
                "raised_to_minimum",
                "bounds.minimum",
                BOUNDS,
                None,
                adjusted,
                proposed,
                "raised to the statutory minimum: no reduction ground",
                "无减轻处罚情节，依法在法定最低刑判处",
            )
        )
    elif adjusted > tier.stat_hi:
        proposed = tier.stat_hi
        steps.append(
            _step(
                "capped_to_maximum",
                "bounds.maximum",
                BOUNDS,
                None,
                adjusted,
                proposed,
                "capped at the statutory maximum",
                "超出法定最高刑的，以法定最高刑为宣告刑",
            )
        )
    else:
        proposed = adjusted
    d = round_half_up(proposed)
    if d != proposed:
        steps.append(
            _step(
                "rounding",
                "policy.rounding",
                view.rounding_cite,
                None,
                proposed,
                float(d),
                "rounded to whole months, half up",
                "按整月四舍五入",
            )
        )

    ptype, months = _penalty(
        view, tier.reduced_penalties if below and reducers else tier.penalties, d
    )
    if months != d:
        steps.append(
            _step(
                "penalty_type",
                f"frame.{ptype}",
                view.frame[ptype][2],
                None,
                float(d),
                float(months),
                f"{ptype} has its own legal range",
                f"{PENALTY_ZH[ptype]}的法定期限",
            )
        )
    lo_t, hi_t, _ = view.frame[ptype]
    width = next(w for below_m, w in view.widths if below_m is None or months < below_m)
    half = width // 2
    r_lo = max(
        months - half,
        round_half_up(months * view.margin_lo),
        int(lo_t),
        math.ceil(lower),
    )
    r_hi = min(
        months + half,
        round_half_up(months * view.margin_hi),
        int(hi_t),
        int(tier.stat_hi),
    )
    r_lo = min(r_lo, months)
    r_hi = max(r_hi, months)

    prob = view.probation
    reasons = []
    if ptype == "surveillance":
        reasons.append(
            "public surveillance is not suspended (CL 72 covers detention and imprisonment)"
        )
    if months > prob.max_months:
        reasons.append(f"sentence above {prob.max_months:g} months ({view.probation_cite.src})")
    reasons += [f"{x} (CL 74)" for x in prob.excluded_circumstances if x in present]
    reasons += [f"{x} (CL 74)" for x in prob.excluded_facts if facts.get(x)]
    eligible = not reasons
    mandatory = eligible and (
        any(x in present for x in prob.mandatory_circumstances)
        or any(facts.get(x) for x in prob.mandatory_facts)
    )
    fine = None
    if crime.fine is not None:
        f = crime.fine
        v = facts[f.fact]
        hi = f.factor * v if v > 0 else f.fallback_max_yuan
        fine = {
            "min_yuan": f.min_yuan,
            "max_yuan": hi if hi > f.min_yuan else f.min_yuan,
            "citation": f.cite.src,
        }

    conf = "C"
    seen: dict[str, dict[str, Any]] = {}
    for s in steps:
        if CONF_ORDER[s["confidence"]] > CONF_ORDER[conf]:
            conf = s["confidence"]
        for src in s["citation"].split("; "):
            if src not in seen:
                entry = _cached(
                    (view.pack, view.period, src, s["confidence"], s["provenance"]),
                    lambda src=src, s=s: _citation(view, crime, src, s),
                )
                seen[src] = dict(entry)
    return {
        "crime": crime.code,
        "crime_name": {"en": crime.en, "zh": crime.zh},
        "article": crime.article,
        "as_of": on.isoformat(),
        "jurisdiction": view.jurisdiction,
        "pack": view.pack,
        "packs": list(view.lineage),
        "tier": {
            "id": tier.id,
            "level": tier.level,
            "en": tier.en,
            "zh": tier.zh,
            "statutory_months": [tier.stat_lo, tier.stat_hi],
            "penalties": list(tier.penalties),
        },
        "starting_point_months": [tier.start_lo, tier.start_hi],
        "starting_point": sp,
        "baseline_months": baseline,
        "adjusted_months": adjusted,
        "proposed_months": proposed,
        "steps": steps,
        "recommendation": {
            "definite_months": months,
            "range_months": [r_lo, r_hi],
            "penalty_type": ptype,
        },
        "penalty_type": ptype,
        "probation_eligible": eligible,
        "probation": {
            "eligible": eligible,
            "mandatory_if_conditions_hold": mandatory,
            "strict": crime.probation_strict,
            "reasons": reasons,
        },
        "fine_yuan": fine,
        "plea": None
        if stage is None
        else {
            "stage": stage,
            "pct": 0.0 if plea_excluded else plea_pct,
            "excluded": plea_excluded,
            "override": override,
        },
        "leniency_excluded": plea_excluded,
        "leniency_override": override,
        "confidence": conf,
        "assumed": any(s["provenance"] == "assumed" for s in steps),
        "citations": list(seen.values()),
    }


STAGE_ZH = {"investigation": "侦查", "prosecution": "审查起诉", "trial": "审判"}
INPUT_KEYS = frozenset(
    {
        "crime",
        "facts",
        "circumstances",
        "plea",
        "as_of",
        "jurisdiction",
        "starting_point_months",
        "particularly_serious",
        "leniency_override",
        "id",
    }
)


def _circ_step(
    kind: str,
    c: CCirc,
    p: float,
    before: float,
    after: float,
    alias: str | None,
    method: Cite,
    note: str | None = None,
) -> dict[str, Any]:
    if alias:
        note = f"given as {alias}" + (f"; {note}" if note else "")
    if c.cite.note and c.cite.provenance == "assumed":
        note = (note + "; " if note else "") + c.cite.note
    en, zh = _cached((c.code, c.en, p), lambda: (f"{c.en} ({p:+g} %)", f"{c.zh}（{p:+g}%）"))
    return _step(kind, c.code, c.cite, p, before, after, en, zh, note)


def _citation(view: Any, crime: Any, src: str, step: dict[str, Any]) -> dict[str, Any]:
    doc = view.documents.get(src.split(" ", 1)[0])
    plea = crime.circumstances["plea"].cite
    known = plea if src == plea.src else None
    return {
        "src": src,
        "document": doc.title if doc else None,
        "number": doc.number if doc else None,
        "confidence": known.conf if known else step["confidence"],
        "provenance": known.provenance if known else step["provenance"],
    }


def _penalty(view: Any, allowed: tuple[str, ...], d: int) -> tuple[str, int]:
    imp_lo = view.frame["imprisonment"][0]
    det_lo, det_hi, _ = view.frame["detention"]
    if "imprisonment" in allowed and d >= imp_lo:
        return "imprisonment", d
    if "detention" in allowed and d >= det_lo:
        return "detention", int(min(d, det_hi))
    if "surveillance" in allowed:
        return "surveillance", int(max(d, view.frame["surveillance"][0]))
    if "detention" in allowed:
        return "detention", int(det_lo)
    return "imprisonment", int(imp_lo)


def recommend(
    case: SentencingInput | dict[str, Any], *, lib: Library | None = None, explain: bool = True
) -> Recommendation:
    """The explained recommendation for one case (typed; see the package docstring)."""
    raw = case.to_raw() if isinstance(case, SentencingInput) else case
    out = compute(raw, lib)
    if explain:
        out["explanation"] = explain_result(out)
    return Recommendation.model_validate(out)
