"""Guideline sentences for generated defendants: from the sentencing engine where a pack
covers the crime, otherwise from a documented fallback.

Engine path: for a defendant transferred for prosecution whose crime the governing pack covers
on the day of the transfer (``as_of``; the pack of ``sentencing_jurisdiction``), ``facts`` draws
the facts and circumstances the pack needs and
:func:`caseledger.sentencing.vector.recommend_frame` (bit-identical to the per-case engine)
gives ``definite_months`` and the penalty type, with the plea discount of the plea's stage; the
pack's id goes to ``guideline_pack``.

Fallback (crimes no pack covers — 40 of the 60 in the catalogue, ~24 % of defendants — and
dates before a pack or crime came into force): plausible months per crime from
``calibration.yaml`` (``sentence_months``: median and log-normal spread by crime group, with
overrides), kept inside the statutory frame of the crime's heaviest penalty and, for plea
defendants, reduced by the average plea discount (``plea_discount``).

Must never: be used to sentence a real defendant.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import polars as pl

from caseledger.errors import InvalidInput
from caseledger.sentencing import vector
from caseledger.sentencing.compiled import Library, default_library
from caseledger.synth import facts
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


def fallback_months(
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


ENGINE_PENALTY = {"imprisonment": PRISON, "detention": DETENTION, "surveillance": SURVEILLANCE}
EPOCH = dt.date(1970, 1, 1)


@dataclass
class Guideline:
    """Guideline sentences of one chunk (per defendant; see :meth:`Sentencer.prepare`).

    ``months`` (int32, 0 for life or a fine only), ``penalty`` (int8 code), ``pack`` (int8
    index into ``Sentencer.packs``; -1: the fallback), ``probation_eligible`` (by the pack,
    CL 72-74; True on the fallback path); ``no_plea_months`` / ``no_plea_penalty`` hold, for
    the ``no_plea`` rows the engine computed, the result had there been no plea. ``inputs`` is
    the engine's input table (one row per engine-computed defendant, ``row`` = its index in
    the chunk; see ``facts.draw``). The engine columns are filled by :meth:`Sentencer.compute`.
    """

    months: np.ndarray
    penalty: np.ndarray
    pack: np.ndarray
    probation_eligible: np.ndarray
    no_plea_months: np.ndarray
    no_plea_penalty: np.ndarray
    rows: np.ndarray  # chunk indices computed by the engine (inputs order)
    no_plea_rows: np.ndarray  # chunk indices also computed without the plea
    inputs: pl.DataFrame | None
    done: bool = False

    def engine_rows(self) -> int:
        return int(self.rows.size + self.no_plea_rows.size)


class Sentencer:
    """The engine and fact plan of a run, and which crimes each day's pack covers."""

    def __init__(self, cal: Calibration, table: CrimeTable, lib: Library | None = None) -> None:
        self.cal, self.table = cal, table
        self.lib = lib or default_library()
        self.plan = facts.plan(cal, self.lib)
        self.packs = tuple(sorted({p.id for p in self.lib.selectable.values()}))
        self._in_plan = np.array([c in self.plan.crimes for c in table.codes])
        self._days: dict[int, np.ndarray] = {}
        pack = next(p for p in self.lib.selectable.values() if p.id == self.plan.pack)
        # The legal range of each penalty type (CL 38, 42, 45), from the pack.
        frame = self.lib.select(self.plan.jurisdiction, pack.valid_from).frame
        self.frame = {
            code: (int(frame[name][0]), int(frame[name][1]))
            for name, code in ENGINE_PENALTY.items()
        }

    def _covered_on(self, day: int) -> np.ndarray:
        hit = self._days.get(day)
        if hit is None:
            try:
                view = self.lib.select(self.plan.jurisdiction, EPOCH + dt.timedelta(days=day))
                hit = np.array([c in view.crimes for c in self.table.codes]) & self._in_plan
            except InvalidInput:  # no pack in force that day
                hit = np.zeros(len(self.table.codes), bool)
            self._days[day] = hit
        return hit

    def covered(self, crime: np.ndarray, as_of: np.ndarray, candidates: np.ndarray) -> np.ndarray:
        """Candidates whose crime the pack covers on their ``as_of`` day."""
        out = np.zeros(crime.size, bool)
        idx = np.flatnonzero(candidates & self._in_plan[crime])
        if idx.size:
            days, inv = np.unique(as_of[idx], return_inverse=True)
            table = np.stack([self._covered_on(int(d)) for d in days])
            out[idx] = table[inv, crime[idx]]
        return out

    def prepare(
        self,
        rng: np.random.Generator,
        *,
        crime: np.ndarray,
        plea: np.ndarray,
        plea_stage: np.ndarray,
        codefendant: np.ndarray,
        as_of: np.ndarray,
        candidates: np.ndarray,
        no_plea: np.ndarray,
    ) -> Guideline:
        """Fallback months for all, and the drawn engine inputs of the covered ``candidates``.

        ``no_plea`` marks defendants whose sentence without the plea is needed as well. The
        engine runs in :meth:`compute`, which can take many chunks at once (it pays a fixed
        cost per crime and pack period, so one call per batch of chunks is much faster).
        """
        n = crime.size
        months, penalty = fallback_months(rng, self.table, crime, plea, self.cal)
        rows = np.flatnonzero(self.covered(crime, as_of, candidates))
        g = Guideline(
            months=months,
            penalty=penalty,
            pack=np.full(n, -1, np.int8),
            probation_eligible=np.ones(n, bool),
            no_plea_months=np.rint(months / (1.0 - self.cal.a("plea_discount"))).astype(np.int32),
            no_plea_penalty=penalty.copy(),
            rows=rows,
            no_plea_rows=rows[no_plea[rows]],
            inputs=None,
        )
        if rows.size:
            g.inputs = facts.draw(
                rng,
                self.plan,
                crime_codes=self.table.codes,
                crime=crime,
                rows=rows,
                plea_stage=np.where(plea, plea_stage, -1),
                codefendant=codefendant,
                as_of=as_of,
            )
        return g

    def compute(self, batch: list[Guideline]) -> None:
        """Run the engine once over the prepared inputs of ``batch`` and fill in its results."""
        frames = []
        for g in batch:
            if g.inputs is None:
                continue
            frames.append(g.inputs)
            if g.no_plea_rows.size:
                frames.append(
                    g.inputs.filter(pl.Series(np.isin(g.rows, g.no_plea_rows))).with_columns(
                        pl.lit(None, pl.String).alias("plea_stage")
                    )
                )
        if frames:
            out = vector.recommend_frame(pl.concat(frames).drop("row"), lib=self.lib)
            months = out["definite_months"].to_numpy().astype(np.int32)
            penalty = out["penalty_type"].replace_strict(ENGINE_PENALTY, return_dtype=pl.Int8)
            pen = penalty.to_numpy().astype(np.int8)
            index = {p: i for i, p in enumerate(self.packs)}
            pack = out["pack"].replace_strict(index, return_dtype=pl.Int8).to_numpy()
            eligible = out["probation_eligible"].to_numpy()
        at = 0
        for g in batch:
            if g.inputs is not None:
                r, k = g.rows, g.rows.size
                g.months[r], g.penalty[r] = months[at : at + k], pen[at : at + k]
                g.pack[r], g.probation_eligible[r] = pack[at : at + k], eligible[at : at + k]
                at += k
                r, k = g.no_plea_rows, g.no_plea_rows.size
                g.no_plea_months[r], g.no_plea_penalty[r] = months[at : at + k], pen[at : at + k]
                at += k
            g.done = True

    def within_frame(self, penalty: np.ndarray, months: np.ndarray) -> np.ndarray:
        """``months`` kept inside the legal range of each penalty type (others unchanged)."""
        out = months.astype(np.int32)
        for code, (lo, hi) in self.frame.items():
            out = np.where(penalty == code, np.clip(out, lo, hi), out)
        return out.astype(np.int32)
