"""Plain-language explanation of a recommendation, in English and Chinese.

Owns: turning the recorded steps of a result into sentences a defendant, a lawyer or a judge can
follow. Reads only the result dict; every number in the text is one the engine recorded.

Must never: compute or round anything new (apart from display formatting).
"""

from __future__ import annotations

from typing import Any

PENALTY = {
    "imprisonment": ("fixed-term imprisonment", "有期徒刑"),
    "detention": ("criminal detention", "拘役"),
    "surveillance": ("public surveillance", "管制"),
}
CONF = {
    "C": ("read in the official text", "均经核对原文"),
    "C17": ("some figures were read only in the 2017 text", "部分数字仅核对2017年文本"),
    "R": (
        "some figures are provincial, local practice or assumptions not yet checked against the "
        "official text",
        "部分数字为地方规定、地方实践或未经核对的假定",
    ),
}


def _n(x: float | None) -> str:
    if x is None:
        return "-"
    return f"{x:.2f}".rstrip("0").rstrip(".")


def explain(r: dict[str, Any]) -> dict[str, str]:
    """``{"en": ..., "zh": ...}`` for a result of :func:`engine.compute`."""
    tier = r["tier"]
    rec = r["recommendation"]
    p_en, p_zh = PENALTY[rec["penalty_type"]]
    lo, hi = tier["statutory_months"]
    en = [
        f"{r['crime_name']['en']} ({r['article']}), as of {r['as_of']}, under the guideline pack "
        f"{r['pack']} ({r['jurisdiction']}).",
        f"The facts fall in tier {tier['id']}: {tier['en']}; the statutory range is "
        f"{_n(lo)}-{_n(hi)} months.",
    ]
    zh = [
        f"{r['crime_name']['zh']}（{r['article']}），适用{r['as_of']}有效的量刑规则 "
        f"{r['pack']}（{r['jurisdiction']}）。",
        f"犯罪事实对应量刑档次 {tier['id']}：{tier['zh']}，法定刑幅度为{_n(lo)}至{_n(hi)}个月。",
    ]
    for n, s in enumerate(r["steps"], start=1):
        cite = f"[{s['citation']}; {s['confidence']}]"
        if s["kind"] == "starting_point":
            en.append(f"{n}. Starting point {_n(s['months_after'])} months, {s['en']} {cite}.")
            zh.append(f"{n}. 量刑起点{_n(s['months_after'])}个月（{s['zh']}）{cite}。")
        elif s["pct"] is None:
            en.append(
                f"{n}. {s['en']}: {_n(s['months_before'])} → {_n(s['months_after'])} months {cite}."
            )
            zh.append(
                f"{n}. {s['zh']}：{_n(s['months_before'])} → {_n(s['months_after'])}个月 {cite}。"
            )
        else:
            en.append(
                f"{n}. {s['en']}: {_n(s['months_before'])} → {_n(s['months_after'])} months {cite}."
            )
            zh.append(
                f"{n}. {s['zh']}：{_n(s['months_before'])} → {_n(s['months_after'])}个月 {cite}。"
            )
        if s["note"]:
            en[-1] += f" Note: {s['note']}."
    en.append(
        f"Baseline {_n(r['baseline_months'])} months; after the circumstances "
        f"{_n(r['adjusted_months'])} months; proposed {_n(r['proposed_months'])} months."
    )
    zh.append(
        f"基准刑{_n(r['baseline_months'])}个月；调节后{_n(r['adjusted_months'])}个月；"
        f"拟宣告刑{_n(r['proposed_months'])}个月。"
    )
    rl, rh = rec["range_months"]
    en.append(
        f"Recommendation: {rec['definite_months']} months of {p_en} (range {rl}-{rh} months)."
    )
    zh.append(f"量刑建议：{p_zh}{rec['definite_months']}个月（幅度{rl}至{rh}个月）。")
    prob = r["probation"]
    if prob["eligible"]:
        must = (
            " and mandatory if the CL 72 conditions hold"
            if prob["mandatory_if_conditions_hold"]
            else ""
        )
        en.append(f"Probation: legally possible{must}; the CL 72 conditions still need assessing.")
        zh.append(
            "缓刑：依法可以适用"
            + ("，符合条件的应当适用" if prob["mandatory_if_conditions_hold"] else "")
            + "；仍需评估刑法第七十二条规定的条件。"
        )
    else:
        en.append(f"Probation: not available ({'; '.join(prob['reasons'])}).")
        zh.append(f"缓刑：不得适用（{'；'.join(prob['reasons'])}）。")
    if prob["strict"]:
        en.append("Probation is to be applied strictly for this crime.")
        zh.append("本罪从严把握缓刑的适用。")
    fine = r["fine_yuan"]
    if fine:
        en.append(
            f"Fine: {fine['min_yuan']:,.0f}-{fine['max_yuan']:,.0f} yuan [{fine['citation']}]."
        )
        zh.append(
            f"罚金：{fine['min_yuan']:,.0f}至{fine['max_yuan']:,.0f}元 [{fine['citation']}]。"
        )
    if r["leniency_excluded"]:
        en.append("Plea leniency was withheld: the case is marked particularly serious.")
        zh.append("本案属于犯罪性质和危害后果特别严重的情形，不予认罪认罚从宽。")
    elif r["leniency_override"]:
        o = r["leniency_override"]
        en.append(f"Plea leniency granted by explicit override ({o['by']}): {o['reason']}.")
        zh.append(f"经明确决定（{o['by']}）仍予从宽：{o['reason']}。")
    c_en, c_zh = CONF[r["confidence"]]
    en.append(f"Confidence {r['confidence']}: {c_en}.")
    zh.append(f"可信度 {r['confidence']}：{c_zh}。")
    return {"en": "\n".join(en), "zh": "\n".join(zh)}
