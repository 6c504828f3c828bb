"""What an audit returns: tests that ran, their checks and their findings.

A finding names the units it points to by code (in code order, never ordered by a statistic),
the statistic and the threshold that decided, the inputs it read, a plain explanation and what
to do about it. A test that found nothing still reports what it computed ("ran, nothing
found"), so a reader can see that it ran and on how much data.

Must never: hold a rank, a percentile or an order of units by value.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

ALPHA = 0.001  # family-wise error rate of each check across its units (Holm)
ACTION = (
    "audit a sample of these records: pull the case files behind them and check them against "
    "the source documents; a finding is a reason to look, never a verdict on a unit"
)

Status = Literal["finding", "nothing found", "no data"]


@dataclass(frozen=True)
class UnitEvidence:
    """One flagged unit: its records, the observed and expected counts and its p-value."""

    unit: str
    records: int
    observed: int
    expected: float
    p_value: float
    adjusted_p: float  # Holm-adjusted across the units of the check


@dataclass(frozen=True)
class Finding:
    test: str
    version: int
    check: str
    level: str  # the kind of unit: court_id, procuratorate_id ...
    units: list[str]  # codes, in code order
    statistic: str  # what was computed, in words
    threshold: str  # what decides, with the multiple-testing control
    inputs: list[str]  # warehouse columns read
    explanation: str
    action: str
    evidence: list[UnitEvidence] = field(default_factory=list)  # in code order


@dataclass(frozen=True)
class CheckSummary:
    """What one check computed, whether or not it found anything."""

    check: str
    level: str
    units_tested: int
    records: int
    events: int  # records counted by the check's numerator
    expected_share: float | None  # national share (or expected) the units were judged against
    method: str  # exact binomial, random effects, χ² lower tail, zero run ...
    phi: float | None  # dispersion ratio of the units' z-scores (1: binomial chance)
    tau2: float | None  # between-unit variance used (0: none)
    units_flagged: int
    threshold: str
    note: str = ""


@dataclass
class TestRun:
    test: str
    version: int
    title: str
    question: str
    method: str  # plain words, with its source in shared/analytics.md
    status: Status
    checks: list[CheckSummary] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    no_data: str | None = None


@dataclass
class AuditResult:
    warehouse: Path
    schema_version: int
    engine: str
    years: list[int]  # cohort years audited
    defendants: int
    tests: list[TestRun] = field(default_factory=list)
    no_data: str | None = None

    @property
    def findings(self) -> list[Finding]:
        return [f for t in self.tests for f in t.findings]

    def to_json(self) -> dict[str, Any]:
        """Plain JSON values (paths as text; a non-finite number as null)."""
        return _plain(dataclasses.asdict(self))


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
