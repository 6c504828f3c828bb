"""Which legal time limits are running for a defendant, and when each falls due.

A pure function of the defendant's projected state and the time-limit data: the projector
calls it after every event of the defendant and stores the result in ``deadlines``, so that
``caseledger overdue`` is one indexed query. Counting follows CPL art 105 (see the data file).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from dateutil.relativedelta import relativedelta

from caseledger.case import rules
from caseledger.case.models import Defendant
from caseledger.errors import InvalidInput


@dataclass(frozen=True)
class Running:
    limit_id: str
    started_on: dt.date
    due_on: dt.date
    article: str


def add_period(start: dt.date, *, days: int = 0, months: int = 0) -> dt.date:
    """The last day of a period starting on ``start`` (the start day itself is not counted)."""
    return _add_period(start, days, months)


@lru_cache(maxsize=65_536)
def _add_period(start: dt.date, days: int, months: int) -> dt.date:
    return start + relativedelta(days=days, months=months)


def running(defendant: Defendant) -> list[Running]:
    out: list[Running] = []
    stage, measure, procedure = defendant.stage, defendant.measure, defendant.procedure
    for limit_id, c_stage, c_measure, c_procedure, from_service, days, months, article in _limits(
        rules.time_limits()
    ):
        if c_stage is not None and c_stage != stage:
            continue
        if c_measure is not None and c_measure != measure:
            continue
        if c_procedure is not None and c_procedure != procedure:
            continue
        if from_service:
            start = defendant.served_on or defendant.stage_since
        elif c_measure is not None:
            start = defendant.measure_since or defendant.stage_since
        else:
            start = defendant.stage_since
        out.append(Running(limit_id, start, _add_period(start, days, months), article))
    return out


_COMPILED: tuple[rules.TimeLimits | None, list[tuple[Any, ...]]] = (None, [])


def _limits(data: rules.TimeLimits) -> list[tuple[Any, ...]]:
    """The limits as plain tuples (this runs for every event of a defendant)."""
    global _COMPILED
    if _COMPILED[0] is not data:
        _COMPILED = (
            data,
            [
                (
                    x.id,
                    x.applies_when.stage,
                    x.applies_when.measure,
                    x.applies_when.procedure,
                    x.starts == "served_on",
                    x.days,
                    x.months,
                    x.article,
                )
                for x in data.limits
            ],
        )
    return _COMPILED[1]


def extension_rule(limit_id: str, extension_id: str) -> rules.ExtensionRule:
    for limit in rules.time_limits().limits:
        if limit.id == limit_id:
            for ext in limit.extensions:
                if ext.id == extension_id:
                    return ext
            raise InvalidInput(
                f"time limit {limit_id!r} has no extension {extension_id!r}",
                field="extension",
                allowed=",".join(e.id for e in limit.extensions) or "none",
            )
    raise InvalidInput(
        f"unknown time limit {limit_id!r}",
        field="limit",
        allowed=",".join(lim.id for lim in rules.time_limits().limits),
    )
