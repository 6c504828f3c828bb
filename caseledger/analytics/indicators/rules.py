"""Load and validate ``rules.yaml``: the per-case quality checks and their thresholds.

Must never: evaluate a check (the expressions live in :mod:`.catalogue`).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from caseledger.analytics.indicators.base import Rule
from caseledger.case.rules import load_file

RULES_FILE = Path(__file__).with_name("rules.yaml")

CHECK_IDS: tuple[str, ...] = (
    "near_limit_closure",
    "overdue_stage",
    "confession_only_conviction",
    "long_custody_release",
    "two_supplementary_rounds",
    "registration_lag",
    "suspect_known_at_registration",
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Threshold(_Strict):
    value: int
    unit: str


class CheckRule(_Strict):
    rule_id: str
    version: int
    threshold: Threshold
    source: str


class RuleFile(_Strict):
    version: int
    checks: dict[str, CheckRule]


def load(path: Path = RULES_FILE) -> RuleFile:
    """Read ``path``; a missing or extra check, or a bad field, names the file and the key."""
    from caseledger.errors import RulePackInvalid

    data: RuleFile = load_file(path, RuleFile)  # type: ignore[arg-type]
    missing = sorted(set(CHECK_IDS) - set(data.checks))
    extra = sorted(set(data.checks) - set(CHECK_IDS))
    if missing or extra:
        raise RulePackInvalid(
            "the checks of the rule file do not match the checks the code evaluates",
            file=str(path),
            missing=",".join(missing) or None,
            unknown=",".join(extra) or None,
        )
    return data


@cache
def checks() -> dict[str, CheckRule]:
    return load().checks


def threshold(check: str) -> int:
    return checks()[check].threshold.value


def rule(check: str) -> Rule:
    c = checks()[check]
    return Rule(
        rule_id=c.rule_id,
        version=c.version,
        threshold=f"{c.threshold.value} {c.threshold.unit}",
        source=" ".join(c.source.split()),
    )
