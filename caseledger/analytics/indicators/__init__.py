"""Indicators defined once (issue 6): the registry.

``all_indicators()`` lists them in a fixed order, ``get(id)`` finds one (an unknown id is a
one-line :class:`~caseledger.errors.UnknownCode` error). Definitions live in :mod:`.catalogue`,
their shapes in :mod:`.base`, the per-case quality rules in ``rules.yaml``. The cube
(:mod:`caseledger.analytics.cube`) evaluates every measure in one query; statistics run on the
cube (:mod:`caseledger.analytics.query`).

Must never: hold a rank, percentile-of-units or top/bottom field, or order units by value.
"""

from __future__ import annotations

from caseledger.analytics.indicators.base import (
    AGENCY_COLUMNS,
    Family,
    Indicator,
    Measure,
    Rule,
)
from caseledger.analytics.indicators.catalogue import FAMILIES, INDICATORS
from caseledger.errors import UnknownCode

__all__ = [
    "AGENCY_COLUMNS",
    "FAMILIES",
    "Family",
    "Indicator",
    "Measure",
    "Rule",
    "all_indicators",
    "get",
    "ids",
]

_BY_ID = {i.id: i for i in INDICATORS}
if len(_BY_ID) != len(INDICATORS):  # pragma: no cover - a programming error
    raise RuntimeError("two indicators share an id")


def all_indicators(*, schema_version: int | None = None) -> tuple[Indicator, ...]:
    """Every indicator (those a warehouse of ``schema_version`` can feed, when given)."""
    if schema_version is None:
        return INDICATORS
    return tuple(i for i in INDICATORS if i.min_schema <= schema_version)


def ids() -> tuple[str, ...]:
    return tuple(_BY_ID)


def get(indicator_id: str) -> Indicator:
    try:
        return _BY_ID[indicator_id]
    except (KeyError, TypeError):
        raise UnknownCode(
            f"unknown indicator {indicator_id!r} (list them with indicators.ids())",
            field="indicator",
        ) from None
