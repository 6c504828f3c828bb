"""Typed input and output of the sentencing engine (pydantic), for notebooks and other domains.

Owns: :class:`SentencingInput` (one case) and :class:`Recommendation` (the explained result),
whose ``model_dump(mode="json")`` is what the plea procedure stores in a ledger event. The JSONL
batch format is exactly these two shapes, one per line.

Must never: check legal ranges (that needs the governing pack, see ``inputs.py``); the models only
give structure, so that a JSON line and a Python call are judged by the same rules.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

PleaStage = Literal["investigation", "prosecution", "trial"]
PenaltyType = Literal["imprisonment", "detention", "surveillance"]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CircumstanceIn(_In):
    code: str = Field(description="circumstance code or alias, e.g. surrender, minor_16_18")
    pct: float | None = Field(
        None,
        description="chosen percentage inside the legal range, signed like the rule "
        "(mitigating negative, e.g. -30); default: the middle of the range",
    )


class PleaIn(_In):
    stage: PleaStage = Field(
        description="stage at which guilt was admitted and punishment accepted"
    )
    pct: float | None = Field(
        None, description="chosen plea discount (negative), default: the stage's maximum"
    )


class LeniencyOverride(_In):
    reason: str = Field(description="why leniency is granted although the case is excluded")
    by: str = Field(description="who decided (user id or name and role)")


class SentencingInput(_In):
    """One case: the crime, its facts and circumstances, the plea and the date of the act."""

    crime: str = Field(description="crime code, e.g. theft")
    facts: dict[str, Any] = Field(default_factory=dict, description="fact name -> value")
    circumstances: list[CircumstanceIn] = Field(default_factory=list)
    plea: PleaIn | None = None
    as_of: dt.date = Field(description="date that selects the pack (normally the date of the act)")
    jurisdiction: str | None = Field(
        None, description="e.g. CN-FJ; default: the only province installed"
    )
    starting_point_months: float | None = Field(
        None, description="chosen starting point inside the tier's range; default: pack policy"
    )
    particularly_serious: bool = Field(
        False, description="the case is excluded from plea leniency (Plea2019 para 5)"
    )
    leniency_override: LeniencyOverride | None = None
    id: Any = Field(None, description="caller's identifier, echoed in batch output")

    def to_raw(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_none=True)


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Names(_Out):
    en: str
    zh: str


class TierOut(_Out):
    id: str
    level: int
    en: str
    zh: str
    statutory_months: tuple[float, float]
    penalties: list[PenaltyType]


class Step(_Out):
    """One step of the computation, with the rule and citation it used."""

    kind: str = Field(description="see 'Step kinds'")
    rule: str = Field(description="rule id: circumstance code, increment id, tier or policy")
    citation: str = Field(description="document and item ('; ' between several)")
    confidence: Literal["C", "C17", "R"]
    provenance: str = Field(
        description="statute, national, provincial, local_practice, assumed ..."
    )
    pct: float | None = Field(description="signed percentage applied, if any")
    months_before: float | None = Field(description="months before the step (4 decimals)")
    months_after: float = Field(description="months after the step (4 decimals)")
    en: str = Field(description="what the step did, in English")
    zh: str = Field(description="what the step did, in Chinese")
    note: str | None = Field(description="alias used, a minimum applied, an assumption's reasoning")


class RecommendationCore(_Out):
    definite_months: int
    range_months: tuple[int, int]
    penalty_type: PenaltyType


class ProbationOut(_Out):
    """Eligibility by law as far as the facts show; the four conditions of CL 72 (minor
    circumstances, remorse, no risk of reoffending, no major adverse effect) are for the
    prosecutor and the court to assess."""

    eligible: bool = Field(description="detention or ≤ 3 years' imprisonment, no CL 74 bar")
    mandatory_if_conditions_hold: bool = Field(description="under 18, pregnant or aged 75+ (CL 72)")
    strict: bool = Field(description="the guideline says to apply probation strictly")
    reasons: list[str] = Field(description="why probation is not available")


class FineOut(_Out):
    min_yuan: float
    max_yuan: float
    citation: str


class PleaOut(_Out):
    stage: PleaStage
    pct: float
    excluded: bool
    override: LeniencyOverride | None


class CitationOut(_Out):
    src: str
    document: str | None
    number: str | None
    confidence: Literal["C", "C17", "R"]
    provenance: str


class Explanation(_Out):
    en: str
    zh: str


class Recommendation(_Out):
    """The explained recommendation. ``confidence`` is the weakest label of any figure used."""

    crime: str = Field(description="crime code")
    crime_name: Names = Field(description="crime name in English and Chinese")
    article: str = Field(description="Criminal Law article")
    as_of: dt.date = Field(description="the date that selected the pack")
    jurisdiction: str = Field(description="jurisdiction of the governing pack")
    pack: str = Field(description="governing pack id")
    packs: list[str] = Field(description="the pack and the packs it extends, national first")
    tier: TierOut = Field(description="statutory tier selected by the facts")
    starting_point_months: tuple[float, float] = Field(description="starting-point range [lo, hi]")
    starting_point: float = Field(description="the starting point used")
    baseline_months: float = Field(description="baseline after the per-unit increments")
    adjusted_months: float = Field(description="after all circumstances, before the tier bounds")
    proposed_months: float = Field(description="inside the tier (or below on a cited ground)")
    steps: list[Step] = Field(description="every step: rule, citation, pct, months before/after")
    recommendation: RecommendationCore = Field(description="definite and range recommendation")
    penalty_type: PenaltyType = Field(description="imprisonment, detention or surveillance")
    probation_eligible: bool = Field(description="probation legally possible on these facts")
    probation: ProbationOut = Field(description="probation details and reasons")
    fine_yuan: FineOut | None = Field(description="fine range where the pack has a rule")
    plea: PleaOut | None = Field(description="the plea discount applied, or null without a plea")
    leniency_excluded: bool = Field(description="plea leniency withheld (particularly serious)")
    leniency_override: LeniencyOverride | None = Field(description="attributed override, if any")
    confidence: Literal["C", "C17", "R"] = Field(description="weakest label of any figure used")
    assumed: bool = Field(description="some figure used is a caseledger assumption")
    citations: list[CitationOut] = Field(description="every source used, with its document")
    explanation: Explanation | None = Field(None, description="plain language, EN and ZH")
