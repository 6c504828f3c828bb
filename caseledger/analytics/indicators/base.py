"""The shapes of an indicator: date families, measures, histograms, quality rules, indicators.

A **family** is the date that places a defendant in a period (registration, arrest decision,
prosecution decision, judgment, disposition ...) and, optionally, an integer **value** (days) by
which its counts are also split — a histogram, so that quantiles are exact and stay additive
across units and periods. A **measure** counts the defendants of one family for whom a condition
holds. An **indicator** is ``numerator / denominator`` of two measures of the same family (a
rate) or quantiles of its family's value over the denominator's defendants, with its definition,
the unit of count (defendants), the agency responsible for it and the seed or rule that motivates
it.

Conditions are functions of an Ibis table of the warehouse's ``defendants`` rows, so one
definition compiles to DuckDB and to Spark SQL alike.

Must never: run a query, or carry a field that orders units (rank, percentile, top/bottom).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

Expr = Callable[[Any], Any]  # ibis Table -> ibis value expression

Kind = Literal["rate", "quantiles"]

AGENCY_COLUMNS: dict[str, str] = {
    "police": "police_agency_id",
    "procuratorate": "procuratorate_id",
    "court": "court_id",
}


@dataclass(frozen=True)
class Family:
    """A date that places a defendant in a month (and optionally an integer value that splits
    the counts, e.g. days); each family is one aggregate of the cube."""

    id: str
    dated_by: str  # plain words, for docs and results
    date: Expr  # table -> date (or timestamp) expression; rows where it is null are not counted
    value: Expr | None = None  # table -> integer expression; rows where it is null are not counted
    value_label: str = ""
    min_schema: int = 1


@dataclass(frozen=True)
class Measure:
    """The number of defendants of ``family`` for whom ``where`` holds (null counts as false)."""

    name: str
    family: str
    where: Expr
    description: str
    min_schema: int = 1


@dataclass(frozen=True)
class Rule:
    """The per-case rule behind a quality-check indicator (``rules.yaml``)."""

    rule_id: str
    version: int
    threshold: str
    source: str


@dataclass(frozen=True)
class Indicator:
    """One indicator, defined once; engines and the cube only ever read this."""

    id: str
    title: str
    definition: str
    kind: Kind
    family: str
    agency: str  # key of AGENCY_COLUMNS: the agency a unit level "agency" means for it
    denominator: Measure
    source: str
    topic: str
    numerator: Measure | None = None
    quantiles: tuple[int, ...] = ()  # percents of defendants, of the family's value, e.g. (50, 90)
    rule: Rule | None = None
    unit: str = "defendants"
    min_denominator: int = 30
    min_schema: int = 1

    @property
    def measures(self) -> tuple[Measure, ...]:
        return (self.denominator,) if self.numerator is None else (self.numerator, self.denominator)


def rate(
    id: str,
    *,
    title: str,
    definition: str,
    denominator: Measure,
    condition: Expr,
    agency: str,
    source: str,
    topic: str,
    rule: Rule | None = None,
    min_schema: int = 1,
) -> Indicator:
    """A rate whose numerator is the denominator's defendants for whom ``condition`` holds, so
    the numerator can never exceed the denominator."""
    den = denominator

    def where(t: Any) -> Any:
        return den.where(t) & condition(t)

    numerator = Measure(
        name=id,
        family=den.family,
        where=where,
        description=title,
        min_schema=max(min_schema, den.min_schema),
    )
    return Indicator(
        id=id,
        title=title,
        definition=definition,
        kind="rate",
        family=den.family,
        agency=agency,
        denominator=den,
        numerator=numerator,
        source=source,
        topic=topic,
        rule=rule,
        min_schema=max(min_schema, den.min_schema),
    )
