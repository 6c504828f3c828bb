"""Periods of the indicator cube: month numbers, labels, granularities and windows.

The cube dates every defendant by a month number ``year * 12 + (month - 1)`` (an integer both
engines compute the same way). This module turns month numbers into labels (``2024-03``,
``2024-Q1``, ``2024``), parses labels back into windows of months, and refuses anything else
with a one-line error.

Must never: read data or know about indicators.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from caseledger.errors import InvalidInput

Granularity = Literal["month", "quarter", "year", "all"]
GRANULARITIES: tuple[str, ...] = ("month", "quarter", "year", "all")
ALL = "all"

_LABEL = re.compile(r"^(\d{4})(?:-(?:Q([1-4])|(\d{2})))?$")


def month_number(year: int, month: int) -> int:
    return year * 12 + month - 1


def month_label(number: int) -> str:
    return f"{number // 12:04d}-{number % 12 + 1:02d}"


def quarter_label(number: int) -> str:
    return f"{number // 12:04d}-Q{number % 12 // 3 + 1}"


def year_label(number: int) -> str:
    return f"{number // 12:04d}"


def label(number: int, granularity: str) -> str:
    """The label of the period of ``granularity`` that holds month ``number``."""
    check_granularity(granularity)
    if granularity == "month":
        return month_label(number)
    if granularity == "quarter":
        return quarter_label(number)
    if granularity == "year":
        return year_label(number)
    return ALL


def check_granularity(granularity: str) -> Granularity:
    if granularity not in GRANULARITIES:
        raise InvalidInput(
            f"unknown period {granularity!r}", field="period", allowed=",".join(GRANULARITIES)
        )
    return granularity  # type: ignore[return-value]


@dataclass(frozen=True)
class Window:
    """Months ``first`` to ``last`` inclusive (month numbers); ``None`` means unbounded."""

    first: int | None = None
    last: int | None = None

    def contains(self, number: int) -> bool:
        return (self.first is None or number >= self.first) and (
            self.last is None or number <= self.last
        )

    def describe(self) -> str:
        if self.first is None and self.last is None:
            return "all months"
        lo = month_label(self.first) if self.first is not None else "start"
        hi = month_label(self.last) if self.last is not None else "end"
        return f"{lo} to {hi}"


def parse(text: str) -> Window:
    """A period label as a window: ``2024`` (a year), ``2024-Q2`` (a quarter), ``2024-05``."""
    m = _LABEL.match(text.strip()) if isinstance(text, str) else None
    if not m:
        raise InvalidInput(
            f"unknown period {text!r} (expected YYYY, YYYY-Qn or YYYY-MM)", field="period"
        )
    year = int(m.group(1))
    if m.group(2):
        q = int(m.group(2))
        first = month_number(year, 3 * q - 2)
        return Window(first, first + 2)
    if m.group(3):
        month = int(m.group(3))
        if not 1 <= month <= 12:
            raise InvalidInput(f"unknown period {text!r}: no month {month}", field="period")
        n = month_number(year, month)
        return Window(n, n)
    return Window(month_number(year, 1), month_number(year, 12))


def between(start: str | None, end: str | None) -> Window:
    """The window from the first month of ``start`` to the last month of ``end``."""
    first = parse(start).first if start else None
    last = parse(end).last if end else None
    if first is not None and last is not None and first > last:
        raise InvalidInput(f"period {start} starts after {end}", field="period")
    return Window(first, last)
