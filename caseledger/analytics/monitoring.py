"""CUSUM monitoring of every unit of a level at once: which units' monthly rates signal.

For each unit, the same test as :func:`caseledger.analytics.query.trend` — two-sided
risk-adjusted CUSUM (Steiner et al. 2000) of the unit's monthly counts against the overall rate
of the same month, with the threshold ``h`` simulated on the unit's own monthly volumes so that
a unit following the overall rate signals anywhere in the window with probability
``false_alarm`` — but from two tables of the cube (the level by month and the national figure
by month) instead of two per unit. A unit's signals here equal ``query.trend`` for that unit.

The threshold simulations are the cost (two per unit); ``workers`` > 1 spreads units over
worker processes.

Must never: order units by a statistic, or say more than "look at this unit's cases": units
that signal are listed by code.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Any

from caseledger.analytics import monitor, periods, query
from caseledger.analytics.cube import Cube
from caseledger.errors import InvalidInput

PARALLEL_FROM = 100  # units


@dataclass(frozen=True)
class UnitSignals:
    """One unit that signalled: the months where each chart crossed ``h`` (then reset)."""

    unit: str
    h: float
    up: list[str]  # months where the rate rose above the overall rate (odds × ratio)
    down: list[str]  # months where it fell below (odds ÷ ratio)


@dataclass(frozen=True)
class LevelMonitoring:
    """Every unit of ``level`` monitored for one rate indicator over ``months``."""

    indicator: str
    title: str
    level: str
    selection: str
    months: list[str]
    odds_ratio: float
    false_alarm: float
    units_monitored: int
    signals: list[UnitSignals] = field(default_factory=list)  # in unit-code order
    no_data: str | None = None

    @property
    def expected_by_chance(self) -> float:
        """Units expected to signal by chance alone, in each direction at most."""
        return self.false_alarm * self.units_monitored


def _unit_job(
    args: tuple[str, list[int], list[int], list[float], float, float],
) -> tuple[str, float | None, list[int], list[int]]:
    """The CUSUM of one unit (runs in a worker process when asked)."""
    unit, y, n, p, ratio, alarm = args
    if not (any(0 < pi < 1 for pi in p) and sum(n) > 0):
        return unit, None, [], []
    h = max(monitor.cusum_thresholds(n, p, (ratio, 1 / ratio), false_alarm=alarm))
    up = monitor.grouped_cusum(y, n, p, h, ra=ratio)
    down = monitor.grouped_cusum(y, n, p, h, ra=1 / ratio)
    return unit, h, up.signals, down.signals


def monitor_level(
    cube: Cube,
    indicator: str,
    *,
    level: str,
    selection: query.Selection | None = None,
    odds_ratio: float = 2.0,
    false_alarm: float = 0.05,
    executor: Executor | None = None,
) -> LevelMonitoring:
    """Monitor every unit of ``level`` for a rate ``indicator`` over the months of
    ``selection``; ``executor`` (e.g. a process pool) runs the per-unit simulations."""
    return monitor_levels(
        cube,
        [indicator],
        level=level,
        selection=selection,
        odds_ratio=odds_ratio,
        false_alarm=false_alarm,
        executor=executor,
    )[0]


def monitor_levels(
    cube: Cube,
    indicators: Sequence[str],
    *,
    level: str,
    selection: query.Selection | None = None,
    odds_ratio: float = 2.0,
    false_alarm: float = 0.05,
    executor: Executor | None = None,
) -> list[LevelMonitoring]:
    """:func:`monitor_level` for several rate indicators, their tables made in one pass per
    date family."""
    specs = [query._rate_indicator(i, "CUSUM monitoring") for i in indicators]
    query.check_level(level)
    if level == query.NATIONAL:
        raise InvalidInput("monitoring compares units: choose a unit level", field="level")
    if not odds_ratio > 1:
        raise InvalidInput("the CUSUM odds ratio must be above 1", field="odds_ratio")
    if not 0 < false_alarm < 1:
        raise InvalidInput("the false-alarm probability lies between 0 and 1", field="false_alarm")
    if not specs:
        return []
    sel = selection or query.Selection()
    ids = [s.id for s in specs]
    national = query.tables(cube, ids, level=query.NATIONAL, period="month", selection=sel)
    units = query.tables(cube, ids, level=level, period="month", selection=sel)
    return [
        _monitor(spec, level, sel, overall, mine, odds_ratio, false_alarm, executor)
        for spec, overall, mine in zip(specs, national, units, strict=True)
    ]


def _monitor(
    spec: Any,
    level: str,
    sel: query.Selection,
    overall: query.IndicatorTable,
    mine: query.IndicatorTable,
    odds_ratio: float,
    false_alarm: float,
    executor: Executor | None,
) -> LevelMonitoring:
    result = LevelMonitoring(
        spec.id, spec.title, level, sel.describe(), [], odds_ratio, false_alarm, 0
    )
    if overall.no_data:
        return _no_data(result, overall.no_data)
    if mine.no_data:
        return _no_data(result, mine.no_data)
    first = periods.parse(overall.rows["period"][0]).first
    last = periods.parse(overall.rows["period"][-1]).first
    assert first is not None and last is not None
    labels = [periods.month_label(m) for m in range(first, last + 1)]
    index = {m: i for i, m in enumerate(labels)}
    tot = dict(zip(overall.rows["period"], overall.rows["value"], strict=True))
    p = [float(tot.get(m) or 0.0) for m in labels]
    jobs = []
    rows = mine.rows  # ordered by unit code, then period
    for unit, part in rows.group_by("unit", maintain_order=True):
        y, n = [0] * len(labels), [0] * len(labels)
        for month, num, den in zip(
            part["period"], part["numerator"], part["denominator"], strict=True
        ):
            if month in index:
                y[index[month]], n[index[month]] = int(num), int(den)
        jobs.append((str(unit[0]), y, n, p, odds_ratio, false_alarm))
    # worker processes pay off only for many units (pickling and start-up cost the rest)
    if executor is not None and len(jobs) >= PARALLEL_FROM:
        outcomes = executor.map(_unit_job, jobs, chunksize=16)
    else:
        outcomes = map(_unit_job, jobs)
    signals = [
        UnitSignals(unit, h, [labels[i] for i in up], [labels[i] for i in down])
        for unit, h, up, down in outcomes
        if h is not None and (up or down)
    ]
    return LevelMonitoring(
        spec.id,
        spec.title,
        level,
        sel.describe(),
        labels,
        odds_ratio,
        false_alarm,
        len(jobs),
        signals,
        None,
    )


def _no_data(result: LevelMonitoring, why: str) -> LevelMonitoring:
    from dataclasses import replace

    return replace(result, no_data=why)
