"""Bring each drawn history within what the law allows and the ledger records.

The lifecycle draws its columns independently; a few combinations would be refused by the
ledger's commands (``caseledger synth --ledger`` records every act through them) or describe
acts the ledger records differently. This step, run after every other draw, settles them so
that the warehouse written directly and the one exported from the ledger are the same:

- the report date is the case's (``case.registered`` holds it), not each defendant's;
- a suspect is identified, at the earliest, when the case is registered;
- a plea at the prosecution or trial stage needs that stage (a defendant withdrawn before
  transfer has none); counsel is recorded only where it was assigned;
- a plea first made at trial has no statement and no recommendation: the court decides after
  hearing both sides (SPC-CPL-Interp art 356);
- every signed statement holds a recommendation, also when the defendant is later not
  prosecuted;
- sentences stay inside the statutory frame of ``case/data/penalties.yaml`` (CL arts 38, 42,
  45 for a single charge), and life imprisonment or a fine alone has no term;
- a case remanded on appeal is judged again at first instance (CPL art 236(1)(3), 239), and
  the judgment takes effect after that new judgment's appeal window: the dates that follow
  move with it;
- second-instance and retrial decisions have a judge of the court above (``appeal_judge``).

Must never: change a column that no rule here names, or draw before the lifecycle finished
(its own draws come last, so the rest of a chunk stays as drawn).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from caseledger.case import rules
from caseledger.synth.calibration import Calibration
from caseledger.synth.draws import NULL, uint, where
from caseledger.synth.geography import Geography
from caseledger.synth.sentences import DETENTION, FINE, LIFE, PRISON, SURVEILLANCE

REMAND_RETRIAL_DAYS = (10, 60)  # assumption: remand to the new first-instance judgment


def _frame() -> dict[int, tuple[int, int]]:
    """Single-charge term frames (months) of the penalties that have one."""
    p = rules.penalties().penalties
    out = {}
    for code, name in (
        (DETENTION, "criminal_detention"),
        (PRISON, "imprisonment"),
        (SURVEILLANCE, "public_surveillance"),
    ):
        frame = p[name]
        assert frame.min_months is not None and frame.max_months is not None
        out[code] = (frame.min_months, frame.max_months)
    return out


def apply(rng: np.random.Generator, rec: Any, cal: Calibration, geo: Geography) -> None:
    """Settle ``rec`` (a ``lifecycle.Records``) in place; see the module docstring."""
    n = rec.n
    case, dno = rec["case"], rec["defendant_no"]
    transferred = rec["transferred_on"] != NULL
    prosecuted = rec["prosecuted"]
    plea, stage = rec["plea"], rec["plea_stage"]

    if n:
        first = np.flatnonzero(dno == 1)
        rec["reported_on"] = rec["reported_on"][first][case].astype(np.int32)
    rec["suspect_identified_on"] = rec["added_on"].copy()

    # Pleas: the stage must exist; counsel only where assigned; no recommendation at trial.
    lost = plea & (stage >= 1) & ~transferred
    plea = plea & ~lost
    rec["plea"] = plea
    rec["plea_stage"] = np.where(plea, stage, -1).astype(np.int8)
    signs = plea & (stage < 2) & transferred
    at_trial = plea & (stage == 2) & prosecuted
    rec["counsel_type"] = np.where(signs | at_trial, rec["counsel_type"], -1).astype(np.int8)
    for key in ("recommended_months", "range_lo", "range_hi"):
        rec[key] = np.where(at_trial, NULL, rec[key]).astype(np.int32)
    rec["rec_type"] = np.where(at_trial, -1, rec["rec_type"]).astype(np.int8)
    rec["court_decision"] = np.where(at_trial, -1, rec["court_decision"]).astype(np.int8)

    # A statement signed by a defendant later not prosecuted still holds a recommendation.
    g = rec["g_months"]
    missing = signs & (rec["rec_type"] < 0)
    definite = rng.random(n) < cal.t("definite_recommendation_share")
    rec["rec_type"] = np.where(missing, np.where(definite, 0, 1), rec["rec_type"]).astype(np.int8)
    rec["recommended_months"] = np.where(missing & definite, g, rec["recommended_months"]).astype(
        np.int32
    )
    lo = np.floor(g * 0.85).astype(np.int32)
    hi = np.maximum(g + 1, np.ceil(g * 1.15)).astype(np.int32)
    rec["range_lo"] = np.where(missing & ~definite, lo, rec["range_lo"]).astype(np.int32)
    rec["range_hi"] = np.where(missing & ~definite, hi, rec["range_hi"]).astype(np.int32)

    # Sentences inside the statutory frame.
    months, penalty = rec["sentence_months"], rec["penalty_type"]
    for code, (low, high) in _frame().items():
        inside = (penalty == code) & (months != NULL)
        months = np.where(inside, np.clip(months, low, high), months)
    # Life imprisonment and a fine alone have no term (the warehouse's 0).
    months = np.where(np.isin(penalty, (LIFE, FINE)) & (months != NULL), 0, months)
    rec["sentence_months"] = months.astype(np.int32)

    # Remand: judged again at first instance; what follows moves with the final date.
    remanded = rec["appealed"] & (rec["appeal_outcome"] == 2)
    window = rules_appeal_window()
    rejudged = rec["appeal_decided_on"] + uint(rng, *REMAND_RETRIAL_DAYS, n)
    rec["rejudged_on"] = where(remanded, rejudged)
    new_final = rejudged + window + 1
    shift = np.where(remanded, new_final - rec["final_on"], 0).astype(np.int32)
    for key in ("final_on", "execution_on", "retrial_on", "reviewed_on"):
        col = rec[key]
        rec[key] = np.where(col != NULL, col + shift, col).astype(np.int32)
    rec["total_days"] = np.where(prosecuted, rec["total_days"] + shift, rec["total_days"]).astype(
        np.int32
    )

    # Judges of the courts above (appeal and retrial).
    n_c, n_p = geo.n_counties, int(geo.county_prefecture.max()) + 1
    above = np.where(
        rec["intermediate"],
        n_c + n_p + geo.county_province[rec["county"]],
        n_c + rec["prefecture"],
    ).astype(np.int64)
    rec["appeal_judge"] = geo.judges.draw(rng, above)


def rules_appeal_window() -> int:
    limit = next(x for x in rules.time_limits().limits if x.id == "appeal_window")
    return int(limit.days or 0)
