"""Guideline sentence months for generated defendants — the hook to the sentencing engine.

Today this draws plausible months per crime from ``calibration.yaml`` (``sentence_months``:
median and log-normal spread by crime group, with overrides), then applies the statutory frame
of the crime's heaviest penalty and, for plea defendants, the plea discount. The result stands
for "what the guidelines give" and is what recommendations are compared with.

Hook: :func:`guideline_months` is the only entry point the generator uses. To switch to
``caseledger.sentencing.vector.recommend_frame`` the generator must first draw each crime's
facts (amounts, injuries, circumstances) that the packs need; replace the body here with a call
that builds that frame and returns ``definite_months`` and ``penalty_type`` — the callers do not
change.

Must never: be used to sentence a real defendant.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from caseledger.synth.calibration import Calibration

# Penalty codes used in the generated columns (names from caseledger.case.enums.PenaltyType).
PENALTIES = (
    "criminal_detention",
    "imprisonment",
    "life_imprisonment",
    "public_surveillance",
    "fine_only",
)
DETENTION, PRISON, LIFE, SURVEILLANCE, FINE = range(5)


@dataclass(frozen=True)
class CrimeTable:
    """Per-crime arrays (index = crime index in the catalogue order)."""

    codes: list[str]
    groups: list[str]
    median: np.ndarray
    sigma: np.ndarray
    max_months: np.ndarray  # heaviest fixed-term months (detention-only crimes: 6)
    detention_only: np.ndarray
    life_possible: np.ndarray


def crime_table(
    cal: Calibration, codes: list[str], groups: list[str], max_penalty: list[str]
) -> CrimeTable:
    spec = cal.a("sentence_months")
    med = np.empty(len(codes))
    sig = np.empty(len(codes))
    for i, (code, group) in enumerate(zip(codes, groups, strict=True)):
        m, s = spec["crimes"].get(code, spec["groups"][group])
        med[i], sig[i] = m, s
    det = np.array([p == "detention" for p in max_penalty])
    life = np.array([p in ("life", "death") for p in max_penalty])
    cap = np.array(
        [
            6 if p == "detention" else 180 if p in ("life", "death") else int(p) * 12
            for p in max_penalty
        ]
    )
    # Fixed-term imprisonment is at most 15 years (CL art 45); life crimes may exceed it.
    return CrimeTable(codes, groups, med, sig, cap.astype(np.float64), det, life)


def guideline_months(
    rng: np.random.Generator,
    table: CrimeTable,
    crime: np.ndarray,
    plea: np.ndarray,
    cal: Calibration,
) -> tuple[np.ndarray, np.ndarray]:
    """Guideline months (int32, 0 for life) and penalty code (int8, see :data:`PENALTIES`)."""
    n = crime.size
    raw = table.median[crime] * np.exp(rng.standard_normal(n) * table.sigma[crime])
    life = table.life_possible[crime] & (raw > 240)
    months = np.clip(raw, 1, table.max_months[crime])
    months = np.where(plea, months * (1.0 - cal.a("plea_discount")), months)
    months = np.maximum(1, np.rint(months)).astype(np.int32)
    penalty = np.where(months <= 6, DETENTION, PRISON).astype(np.int8)
    penalty[table.detention_only[crime]] = DETENTION
    months = np.where(penalty == DETENTION, np.minimum(months, 6), months)
    u = rng.random(n)
    light = ~table.detention_only[crime] & (months <= 12)
    penalty[light & (u < 0.03)] = FINE
    penalty[light & (u >= 0.03) & (u < 0.04)] = SURVEILLANCE
    months = np.where(penalty == FINE, 0, months)
    months = np.where(penalty == SURVEILLANCE, np.clip(months * 2, 3, 24), months)
    penalty[life] = LIFE
    months[life] = 0
    return months.astype(np.int32), penalty
