"""Procedural law as data: time limits, trial-procedure conditions and the penalty frame.

Loaded from ``data/*.yaml`` and validated on load; an invalid file names itself, the key and
what is wrong. Code interprets these rules; it holds no legal number of its own.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from caseledger.errors import RulePackInvalid


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ExtensionRule(_Strict):
    id: str
    days: int = 0
    months: int = 0
    approver: str
    article: str


class Condition(_Strict):
    measure: str | None = None
    stage: str | None = None
    procedure: str | None = None


class TimeLimit(_Strict):
    id: str
    name: str
    applies_when: Condition
    days: int = 0
    months: int = 0
    starts: Literal["state_entered", "served_on"] = "state_entered"
    article: str
    extensions: list[ExtensionRule] = []
    note: str | None = None

    @model_validator(mode="after")
    def _one_length(self) -> TimeLimit:
        if (self.days > 0) == (self.months > 0):
            raise ValueError("give exactly one of days or months, greater than zero")
        return self


class TimeLimits(_Strict):
    version: int
    limits: list[TimeLimit]


class Requirement(_Strict):
    field: str
    equals: Any = None
    at_most: int | None = None
    article: str
    text: str


class ProcedureRule(_Strict):
    requires: list[Requirement]
    excludes: list[Requirement]


class ProcedureRules(_Strict):
    version: int
    procedures: dict[str, ProcedureRule]


class PenaltyFrame(_Strict):
    min_months: int | None = None
    max_months: int | None = None
    combined_max_months: int | None = None
    article: str


class ProbationRule(_Strict):
    eligible: dict[str, int]
    article: str
    period: dict[str, dict[str, int]]
    period_article: str


class Penalties(_Strict):
    version: int
    penalties: dict[str, PenaltyFrame]
    probation: ProbationRule


DATA = Path(__file__).parent / "data"


def load_file(path: Path, model: type[_Strict]) -> Any:
    """Load and validate one rule file; errors name the file, the key and what is wrong."""
    try:
        raw = yaml.safe_load(path.read_text("utf-8"))
        return model.model_validate(raw)
    except OSError as exc:
        raise RulePackInvalid(
            "cannot read the rule file", file=str(path), reason=str(exc)
        ) from None
    except yaml.YAMLError as exc:
        raise RulePackInvalid("not valid YAML", file=str(path), reason=str(exc)) from None
    except ValidationError as exc:
        errors = exc.errors()
        where = [".".join(str(p) for p in e["loc"]) for e in errors]
        detail = "; ".join(f"{w}: {e['msg']}" for w, e in zip(where, errors, strict=True))
        raise RulePackInvalid(
            f"rule file invalid: {detail}", file=str(path), key=where[0]
        ) from None


def _load(name: str, model: type[_Strict]) -> Any:
    return load_file(DATA / name, model)


@cache
def time_limits() -> TimeLimits:
    return _load("time_limits.yaml", TimeLimits)


@cache
def procedure_rules() -> ProcedureRules:
    return _load("procedures.yaml", ProcedureRules)


@cache
def penalties() -> Penalties:
    return _load("penalties.yaml", Penalties)
