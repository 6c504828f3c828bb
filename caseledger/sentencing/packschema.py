"""The schema of a guideline pack file (YAML), validated on load.

Owns: the shape of ``guidelines/*.yaml`` and the checks that can be made on one file alone
(types, ranges, known documents, known facts in conditions). Cross-file checks (a provincial
threshold inside the national range, a complete pack after ``extends``) live in ``packs.py``.

Must never: hold a legal number. Every figure comes from the file and carries ``src`` (document
key + article/item), ``conf`` (C / C17 / R, see ``shared/law/sentencing.md`` §0.1) and dates.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Conf = Literal["C", "C17", "R"]
Penalty = Literal["imprisonment", "detention", "surveillance"]
DocKind = Literal[
    "statute",
    "national_guideline",
    "judicial_interpretation",
    "national_rule",
    "provincial_rule",
    "local_practice",
    "assumption",
]
CODE = re.compile(r"^[a-z][a-z0-9_]*$")
NonNeg = Annotated[float, Field(ge=0)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Document(Strict):
    title: str
    number: str | None = None
    kind: DocKind
    in_force: dt.date | None = None
    url: str | None = None
    note: str | None = None


class Sourced(Strict):
    """Anything that carries a legal figure: where it comes from and how sure we are."""

    src: str = Field(description="document key, a space, then the article or item")
    conf: Conf
    note: str | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None

    @field_validator("src")
    @classmethod
    def _src_has_item(cls, v: str) -> str:
        if len(v.split(" ", 1)) != 2:
            raise ValueError("src must be 'DOCUMENT item', e.g. 'SG2021 三(六)'")
        return v

    @property
    def doc(self) -> str:
        return self.src.split(" ", 1)[0]


class FactDef(Strict):
    type: Literal["number", "integer", "boolean", "enum"]
    en: str
    zh: str
    unit: str | None = None
    min: float | None = None
    values: list[str] | None = None
    default: Any = None
    general: bool = Field(False, description="applies to every crime (offender-level fact)")

    @model_validator(mode="after")
    def _enum_values(self) -> FactDef:
        if self.type == "enum" and not self.values:
            raise ValueError("an enum fact needs 'values'")
        if self.type != "enum" and self.values:
            raise ValueError("'values' is only for enum facts")
        if self.type == "enum" and self.default is not None and self.default not in self.values:
            raise ValueError(f"default {self.default!r} is not one of {self.values}")
        return self


class Circumstance(Sourced):
    en: str
    zh: str
    dir: Literal["mitigating", "aggravating"]
    min_pct: NonNeg | None = None
    max_pct: NonNeg | None = None
    tier: Literal[1, 2]
    modal: Literal["must", "may"]
    reduction: bool = Field(False, description="a statutory ground to go below the tier minimum")
    reduction_src: str | None = None
    minor_crime_max_pct: NonNeg | None = None
    min_months: NonNeg | None = None
    aliases: list[str] = []
    alias_negligent: str | None = None
    excluded_by: list[str] = []
    incompatible_with: list[str] = []
    not_for_negligent: bool = False
    only_for_negligent: bool = False
    via_plea_field: bool = False

    @model_validator(mode="after")
    def _range(self) -> Circumstance:
        if (self.min_pct is None) != (self.max_pct is None):
            raise ValueError("give both min_pct and max_pct, or neither (no national figure)")
        if self.min_pct is not None and self.max_pct is not None and self.min_pct > self.max_pct:
            raise ValueError(f"min_pct {self.min_pct:g} is above max_pct {self.max_pct:g}")
        if self.max_pct is not None and self.dir == "mitigating" and self.max_pct > 100:
            raise ValueError("a mitigating percentage cannot exceed 100")
        if self.reduction and not self.reduction_src:
            raise ValueError("a reduction ground needs reduction_src (the article allowing it)")
        return self


class CircumstanceOverride(Sourced):
    """A province supplies or narrows a percentage range (never widens a national one)."""

    min_pct: NonNeg
    max_pct: NonNeg

    @model_validator(mode="after")
    def _order(self) -> CircumstanceOverride:
        if self.min_pct > self.max_pct:
            raise ValueError(f"min_pct {self.min_pct:g} is above max_pct {self.max_pct:g}")
        return self


class Threshold(Sourced):
    range: tuple[float, float] | None = None
    value: float | None = None
    unit: str = "yuan"


class Increment(Sourced):
    id: str
    fact: str
    over: float | str = 0
    per: float = Field(gt=0)
    months: float = Field(gt=0)


class Span(Sourced):
    months: tuple[NonNeg, NonNeg]

    @field_validator("months")
    @classmethod
    def _ordered(cls, v: tuple[float, float]) -> tuple[float, float]:
        if v[0] > v[1]:
            raise ValueError(f"range {list(v)} is reversed")
        return v


class Tier(Strict):
    id: str
    level: int = Field(ge=1, description="statutory tier number (CL 63: reduce to the next lower)")
    en: str
    zh: str
    penalties: list[Penalty]
    statutory: Span
    start: Span | None = None
    when: Any
    increments: list[Increment] = []
    valid_from: dt.date | None = None


class TierOverride(Strict):
    start: Span | None = None
    increments: list[Increment] | None = None


class FineRule(Sourced):
    min_yuan: NonNeg
    fact: str
    factor: NonNeg
    fallback_max_yuan: NonNeg


class Crime(Sourced):
    en: str
    zh: str
    article: str
    negligent: bool = False
    probation_strict: bool = False
    facts: list[str]
    required_facts: list[str] = []
    thresholds: dict[str, Threshold] = {}
    tiers: list[Tier]
    circumstances: dict[str, Circumstance] = {}
    fine: FineRule | None = None


class CrimeOverride(Strict):
    thresholds: dict[str, Threshold] = {}
    tiers: dict[str, TierOverride] = {}
    circumstances: dict[str, CircumstanceOverride] = {}


class Setting(Sourced):
    value: Any


class RangeWidth(Strict):
    below_months: float | None
    width_months: int = Field(ge=0)


class PleaGroup(Sourced):
    members: list[str]
    plus_members: list[str]
    cap_pct: NonNeg
    plus_cap_pct: NonNeg
    minor_crime_cap_pct: NonNeg


class Policy(Strict):
    judicial_margin_pct: Setting | None = None
    tier1_combination: Setting | None = None
    rounding: Setting | None = None
    starting_point_pick: Setting | None = None
    range_widths: Setting | None = None
    plea_ladder: Setting | None = None
    plea_group: PleaGroup | None = None


class PenaltyFrame(Sourced):
    months: tuple[NonNeg, NonNeg]


class Probation(Sourced):
    max_months: NonNeg
    excluded_circumstances: list[str]
    excluded_facts: list[str]
    mandatory_circumstances: list[str]
    mandatory_facts: list[str]


class PackFile(Strict):
    """One file under ``guidelines/``."""

    pack: str
    title: str
    jurisdiction: str
    abstract: bool = False
    extends: str | None = None
    valid_from: dt.date
    valid_to: dt.date | None = None
    documents: dict[str, Document] = {}
    penalty_frame: dict[Penalty, PenaltyFrame] = {}
    probation: Probation | None = None
    policy: Policy = Policy()
    facts: dict[str, FactDef] = {}
    circumstances: dict[str, Circumstance] = {}
    circumstance_overrides: dict[str, CircumstanceOverride] = {}
    crimes: dict[str, Crime] = {}
    crime_overrides: dict[str, CrimeOverride] = {}

    @model_validator(mode="after")
    def _codes(self) -> PackFile:
        for section in ("facts", "circumstances", "crimes"):
            for code in getattr(self, section):
                if not CODE.match(code):
                    raise ValueError(f"{section}.{code}: codes are lower-case snake_case")
        return self
