"""Small hand-built warehouses for the audit: regular units, and optionally one unit with each
problem, written through the real warehouse writer."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

from tests.analytics import warehouse_fixture as wf

UNITS = 16
PLANTED = 3  # the unit (index) that gets the problems
D = dt.date


def county(i: int) -> tuple[str, str, str]:
    """County i of its own prefecture (so every level has one unit per index)."""
    return f"11{i + 1:02d}01", f"11{i + 1:02d}00", "110000"


def code(i: int) -> str:
    return county(i)[0]


def _row(serial: int, i: int, reg: D, **values: Any) -> dict[str, Any]:
    return wf.defendant(serial, county(i), reg, **values)


def rows(plants: frozenset[str] = frozenset(), seed: int = 11) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    out: list[dict[str, Any]] = []
    serial = 0
    for i in range(UNITS):
        planted = i == PLANTED
        c = code(i)
        for j in range(240):
            serial += 1
            reg = D(2024, 1, 1) + dt.timedelta(days=(j * 3) % 360 // 30 * 30 + rng.randrange(0, 5))
            v: dict[str, Any] = {
                "crime_code": "theft",
                "reported_on": reg - dt.timedelta(days=rng.choice([0, 0, 1, 2, 3])),
                "suspect_identified_on": reg + dt.timedelta(days=rng.choice([0, 0, 5, 20])),
            }
            if planted and "under_recording" in plants:
                v["reported_on"] = reg - dt.timedelta(days=40)
                v["suspect_identified_on"] = reg
            # arrest review: 20 requests a month (months from the registration date)
            refused = rng.random() < 0.3
            if planted and "steady_zero" in plants:
                refused = False
            v.update(
                detained=True, arrest_requested=True, arrest_decided_on=reg + dt.timedelta(days=3),
                arrest_approved=not refused, pretrial_measure="bail" if refused else "arrest",
                non_arrest_ground="no_necessity" if refused else None,
            )  # fmt: skip
            transferred = reg + dt.timedelta(days=20)
            decided = transferred + dt.timedelta(days=10)
            confession = planted and "confession_only" in plants and j % 4 == 0
            prosecuted = rng.random() >= 0.1  # about one in ten not prosecuted
            v.update(transferred_on=transferred, prosecution_decided_on=decided,
                     prosecuted=prosecuted, evidence_items=5, evidence_excluded=0,
                     evidence_basis="confession_only" if confession else "corroborated",
                     plea=j % 2 == 0, prosecutor_id=f"PRO{c}-P001")  # fmt: skip
            if not prosecuted:
                v["non_prosecution_ground"] = "minor"
                out.append(_row(serial, i, reg, **v))
                continue
            trial_days = 1 + j % 20  # uniform over the 20 days of the summary limit
            if planted and "deadline_bunching" in plants:
                trial_days = 19
            g = 6 + j % 25
            v.update(procedure="summary", trial_accepted_on=decided + dt.timedelta(days=2),
                     trial_days=trial_days, trial_limit_days=20,
                     judgment_on=decided + dt.timedelta(days=2 + trial_days), verdict="convicted",
                     guideline_pack="cn-fj", guideline_months=g, sentence_months=g,
                     judge_id=f"CRT{c}-J001")  # fmt: skip
            if v["plea"]:
                rec = g * 3 // 2 if planted and "deviating_prosecutor" in plants else g
                v.update(recommendation_type="definite", recommended_months=rec,
                         court_decision="adopted", recommendation_adopted=True,
                         sentence_months=rec)  # fmt: skip
            out.append(_row(serial, i, reg, **v))
    return out


def build(path: Path, plants: frozenset[str] = frozenset()) -> Path:
    return wf.write(path, rows(plants))
