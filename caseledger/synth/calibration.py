"""Load and validate ``calibration.yaml``: the figures the generator reproduces and the
assumptions it makes, each with its source.

Must never: hold a number itself — every figure lives in the YAML next to its citation.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from caseledger.errors import RulePackInvalid


class Target(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    value: float
    tolerance: float = Field(ge=0)
    measure: str
    source: str = Field(min_length=10)
    reading: str | None = None
    minimum: bool = False


class Assumption(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str = Field(min_length=10)
    value: Any


class Calibration(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    version: int
    targets: dict[str, Target]
    assumptions: dict[str, Assumption]

    def t(self, name: str) -> float:
        return self.targets[name].value

    def a(self, name: str) -> Any:
        return self.assumptions[name].value


REQUIRED_TARGETS = (
    "plea_rate",
    "definite_recommendation_share",
    "appeal_rate_plea",
    "appeal_gap_non_plea",
    "non_arrest_gap_plea",
    "probation_gap_plea",
    "acquittal_rate",
    "simple_case_share",
    "fast_track_within_10_days",
    "plea_insufficient_evidence_non_prosecution",
    "exclusion_non_prosecution",
    "retrial_acquittal_rate",
)


def parse(text: str, name: str = "calibration.yaml") -> Calibration:
    """Validate calibration YAML text; errors name the file and the key."""
    try:
        cal = Calibration.model_validate(yaml.safe_load(text))
    except ValidationError as exc:
        err = exc.errors()[0]
        key = ".".join(str(p) for p in err["loc"])
        raise RulePackInvalid(f"calibration invalid: {err['msg']}", file=name, key=key) from None
    missing = [t for t in REQUIRED_TARGETS if t not in cal.targets]
    if missing:
        raise RulePackInvalid("calibration lacks targets", file=name, key=",".join(missing))
    return cal


@cache
def load() -> Calibration:
    """The packaged calibration (read once)."""
    text = resources.files("caseledger.synth").joinpath("calibration.yaml").read_text("utf-8")
    return parse(text)
