"""The checks a case meets after the facts: exclusion of illegally obtained evidence, retrial of
a final conviction, and an individual case-quality review.

Drawn after the rest of the lifecycle, from what happened to the defendant (the outcome is
known, so exclusions can be placed where the evidence proved weak, and reviewers can grade what
they would find). Adds these columns to the records (``NULL`` / -1 where the step did not happen):

- ``challenged`` (bool): the defence challenged the legality of an item (kept for a ledger
  output; not in the warehouse);
- ``evidence_excluded`` (int16 count, 0-2), ``excl_item1``/``excl_item2`` (evidence item number,
  1-based, into :data:`EVIDENCE_CYCLE`; -1 none), ``excl_stage`` (into
  :data:`EXCLUSION_STAGES`), ``excl_on`` (date);
- ``retrial_on`` (date), ``retrial_outcome`` (into :data:`RETRIAL_OUTCOMES`),
  ``retrial_initiator`` (into :data:`RETRIAL_INITIATORS`; kept for a ledger output),
  ``retrial_judge`` (index into ``geo.judges.ids``: another judge of the trial court);
- ``reviewed_on`` (date), ``review_grade`` (into :data:`GRADES`), ``review_finding`` (into
  :data:`FINDINGS`, what decided the grade), ``quality_officer`` (index into
  ``geo.quality_officers.ids``).

Must never: change a column drawn before (no feedback into the lifecycle), or let a plant's
unit change anything here except through the facts the plant itself planted.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from caseledger.synth.calibration import Calibration
from caseledger.synth.draws import NULL, pick, pick_rows, uint, where
from caseledger.synth.geography import Geography

# The category of the i-th evidence item collected for a defendant (item i+1; emitted as
# ``evidence.collected`` in this order; a confession-only case has statements only).
EVIDENCE_CYCLE = (
    "physical", "witness_testimony", "defendant_statement", "documentary", "electronic_data",
    "expert_opinion", "inspection_record", "victim_statement", "audio_visual", "physical",
)  # fmt: skip
# ExclusionStage values of caseledger.evidence.events.
EXCLUSION_STAGES = ("investigation", "prosecution_review", "pretrial_conference", "trial")
RETRIAL_OUTCOMES = ("upheld", "amended", "acquitted")
RETRIAL_INITIATORS = ("petition", "court", "protest")  # caseledger.case.enums.RetrialInitiator
GRADES = ("excellent", "qualified", "flawed", "unqualified")
FINDINGS = (
    "confession_only", "acquitted", "excluded", "off_guideline", "appeal_corrected",
    "near_limit", "none",
)  # fmt: skip
OFF_GUIDELINE = 0.20  # the judicial margin of SG2021 二(三) (pack policy judicial_margin_pct)
REVIEW, PRETRIAL, TRIAL = 1, 2, 3


def _first_item(items: dict[str, float]) -> tuple[list[float], np.ndarray]:
    """Weights and the item number (1-based) of each excludable category."""
    numbers = np.array([EVIDENCE_CYCLE.index(c) + 1 for c in items], dtype=np.int8)
    return list(items.values()), numbers


def draw(rng: np.random.Generator, rec: Any, cal: Calibration, geo: Geography) -> None:
    """Add the exclusion, retrial and review columns to ``rec`` (a ``lifecycle.Records``)."""
    n = rec.n
    transferred = rec["transferred_on"] != NULL
    prosecuted = rec["prosecuted"]
    verdict = rec["verdict"]
    convicted = prosecuted & (verdict == 0)
    acquitted = prosecuted & (verdict == 1)
    confession = rec["evidence_basis"] == 1
    np_insufficient = transferred & ~prosecuted & (rec["non_prosecution_ground"] == 0)

    # Exclusion of illegally obtained evidence (CPL art 56): only after a challenge.
    ch = cal.a("evidence_challenge")
    weak = np_insufficient | acquitted
    p_ch = np.where(weak, ch["weak"], np.where(rec["plea"], ch["plea"], ch["non_plea"]))
    challenged = transferred & ~confession & (rng.random(n) < p_ch)
    ex = cal.a("evidence_exclusion")
    wanted = cal.t("exclusion_non_prosecution") * transferred.sum()
    p_np = min(1.0, wanted / max(1, int((challenged & np_insufficient).sum())))
    p_ex = np.where(
        np_insufficient,
        p_np,
        np.where(acquitted, ex["acquitted_given_challenge"], ex["given_challenge"]),
    )
    excluded = challenged & (rng.random(n) < p_ex)
    weights, numbers = _first_item(ex["items"])
    first = numbers[pick(rng, weights, n)]
    order = np.array([3, 2, 1, 4], dtype=np.int8)  # next item excluded with the first
    second = np.where(first == order[0], order[1], order[0]).astype(np.int8)
    two = excluded & (rng.random(n) < ex["second_item"])
    at_court = prosecuted & (acquitted | (rng.random(n) < ex["at_court"]))
    court_stage = np.where(rec["procedure"] == 2, PRETRIAL, TRIAL)
    stage = np.where(at_court, court_stage, REVIEW)
    accepted, judged = rec["trial_accepted_on"], rec["judgment_on"]
    in_trial = accepted + (rng.random(n) * (judged - accepted + 1)).astype(np.int32)
    excl_on = np.where(at_court, np.minimum(in_trial, judged), rec["prosecution_decided_on"])
    rec["challenged"] = challenged
    rec["evidence_excluded"] = (excluded.astype(np.int16) + two).astype(np.int16)
    rec["excl_item1"] = np.where(excluded, first, -1).astype(np.int8)
    rec["excl_item2"] = np.where(two, second, -1).astype(np.int8)
    rec["excl_stage"] = np.where(excluded, stage, -1).astype(np.int8)
    rec["excl_on"] = where(excluded, excl_on)

    # Retrial of a final conviction (trial supervision, CPL arts 252-258).
    rt = cal.a("retrial")
    p_rt = (
        rt["rate"]
        * np.where(confession, rt["confession_only_factor"], 1.0)
        * np.where(excluded, rt["excluded_factor"], 1.0)
    )
    retried = convicted & (rng.random(n) < p_rt)
    outcome = np.where(
        confession,
        pick(rng, list(rt["outcome_confession_only"].values()), n),
        pick(rng, list(rt["outcome"].values()), n),
    )
    lo, hi = rt["delay_days"]
    rec["retrial_on"] = where(retried, rec["final_on"] + uint(rng, lo, hi, n))
    # The trial court retries with a new panel (CPL art 256): the next judge of that court.
    court = np.where(rec["intermediate"], geo.n_counties + rec["prefecture"], rec["county"])
    start, count = geo.judges.start[court], geo.judges.count[court]
    rec["retrial_judge"] = start + (rec["judge_idx"] - start + 1) % count
    rec["retrial_outcome"] = np.where(retried, outcome, -1).astype(np.int8)
    initiator = pick(rng, [rt["initiator"][k] for k in RETRIAL_INITIATORS], n)
    rec["retrial_initiator"] = np.where(retried, initiator, -1).astype(np.int8)

    # Individual case-quality review of concluded cases, graded by what the reviewer finds.
    q = cal.a("quality_review")
    appealed = rec["appealed"]
    corrected = appealed & np.isin(rec["appeal_outcome"], (1, 2))
    key = acquitted | excluded | (appealed & (rec["appeal_kind"] == 1)) | corrected
    flagged = rec["flag_count"] > 0
    p_rv = np.where(key, q["key"], np.where(flagged, q["flagged"], q["sample"]))
    reviewed = transferred & (rng.random(n) < p_rv)
    concluded = np.where(prosecuted, rec["final_on"], rec["prosecution_decided_on"])
    lo, hi = q["delay_days"]
    g = rec["guideline_months"]
    definite = rec["rec_type"] == 0
    ratio = rec["recommended_months"] / np.where(definite & (g > 0), g, 1)
    off = definite & (g > 0) & (np.abs(ratio - 1.0) > OFF_GUIDELINE)
    finding = np.select(
        [confession & convicted, acquitted, excluded, off, corrected, rec["near_limit_count"] > 0],
        list(range(len(FINDINGS) - 1)),
        len(FINDINGS) - 1,
    ).astype(np.int8)
    table = cal.a("review_grade")
    probs = np.array([[table[f][gr] for gr in GRADES] for f in FINDINGS], dtype=np.float64)
    grade = pick_rows(rng, probs[finding])
    agency = np.where(
        rec["intermediate"], geo.n_counties + rec["prefecture"], rec["county"]
    ).astype(np.int64)
    rec["reviewed_on"] = where(reviewed, concluded + uint(rng, lo, hi, n))
    rec["review_grade"] = np.where(reviewed, grade, -1).astype(np.int8)
    rec["review_finding"] = np.where(reviewed, finding, -1).astype(np.int8)
    rec["quality_officer"] = geo.quality_officers.draw(rng, agency)
