"""Which legal time limits are running for a defendant, and when each falls due.

A pure function of the defendant's projected state and the time-limit data: the projector
calls it after every event of the defendant and stores the result in ``deadlines``, so that
``caseledger overdue`` is one indexed query. Counting follows CPL art 105 (see the data file).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

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
    return start + relativedelta(days=days, months=months)


def running(defendant: Defendant) -> list[Running]:
    out: list[Running] = []
    for limit in rules.time_limits().limits:
        cond = limit.applies_when
        if cond.stage is not None and cond.stage != defendant.stage:
            continue
        if cond.measure is not None and cond.measure != defendant.measure:
            continue
        if cond.procedure is not None and cond.procedure != defendant.procedure:
            continue
        if limit.starts == "served_on":
            start = defendant.served_on or defendant.stage_since
        elif cond.measure is not None:
            start = defendant.measure_since or defendant.stage_since
        else:
            start = defendant.stage_since
        due = add_period(start, days=limit.days, months=limit.months)
        out.append(Running(limit.id, start, due, limit.article))
    return out


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
