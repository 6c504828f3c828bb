"""Monitoring a unit over time: CUSUM charts, VLAD, and a level-shift test for monthly rates.

Formulas from ``shared/analytics.md`` §1.8: the Bernoulli CUSUM and the risk-adjusted CUSUM of
Steiner, Cook, Farewell & Treasure (2000, Biostatistics 1:441), the VLAD (cumulative expected
minus observed). The level-shift test looks for the single month after which a binomial rate
changes most (maximised likelihood ratio) and judges it against the same maximum on series
simulated under no change, with a fixed seed so a result can be reproduced.

An alert says "look at this unit's cases", never "this unit is worse than that one".
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from caseledger.errors import InvalidInput


@dataclass(frozen=True)
class Cusum:
    statistic: list[float]
    signals: list[int]  # indexes where S_t > h (the chart is reset after each)
    h: float


def bernoulli_cusum(y: Sequence[int], p0: float, p1: float, h: float) -> Cusum:
    """CUSUM for a shift of an event probability from ``p0`` to ``p1`` (no case mix)."""
    if not (0 < p0 < 1 and 0 < p1 < 1):
        raise InvalidInput("probabilities must lie strictly between 0 and 1")
    up, down = math.log(p1 / p0), math.log((1 - p1) / (1 - p0))
    return _run([up if yi else down for yi in y], h)


def risk_adjusted_cusum(
    y: Sequence[int], p: Sequence[float], h: float, *, ra: float = 2.0, r0: float = 1.0
) -> Cusum:
    """Steiner et al. 2000: W_t = y_t log(RA/R0) − log((1 − p_t + RA p_t)/(1 − p_t + R0 p_t))."""
    if len(y) != len(p):
        raise InvalidInput("outcomes and predicted probabilities differ in length")
    weights = [
        yi * math.log(ra / r0) - math.log((1 - pi + ra * pi) / (1 - pi + r0 * pi))
        for yi, pi in zip(y, p, strict=True)
    ]
    return _run(weights, h)


def _run(weights: list[float], h: float) -> Cusum:
    s, out, signals = 0.0, [], []
    for t, w in enumerate(weights):
        s = max(0.0, s + w)
        out.append(s)
        if s > h:
            signals.append(t)
            s = 0.0
    return Cusum(out, signals, h)


def vlad(y: Sequence[int], p: Sequence[float]) -> list[float]:
    """Cumulative expected minus observed: rises when outcomes are better than expected."""
    return list(np.cumsum(np.asarray(p, dtype=float) - np.asarray(y, dtype=float)))


@dataclass(frozen=True)
class LevelShift:
    index: int  # the first period after the shift
    rate_before: float
    rate_after: float
    statistic: float
    p_value: float


def _max_lr(y: np.ndarray, n: np.ndarray, min_segment: int) -> tuple[float, int]:
    def loglik(ys: float, ns: float) -> float:
        if ns == 0:
            return 0.0
        p = ys / ns
        return (ys * math.log(p) if ys else 0.0) + ((ns - ys) * math.log(1 - p) if ns > ys else 0.0)

    total = loglik(y.sum(), n.sum())
    cy, cn = np.cumsum(y), np.cumsum(n)
    best, where = 0.0, -1
    for k in range(min_segment, len(y) - min_segment + 1):
        lr = 2 * (
            loglik(cy[k - 1], cn[k - 1]) + loglik(cy[-1] - cy[k - 1], cn[-1] - cn[k - 1]) - total
        )
        if lr > best:
            best, where = lr, k
    return best, where


def level_shift(
    numerators: Sequence[int],
    denominators: Sequence[int],
    *,
    min_segment: int = 3,
    simulations: int = 499,
    seed: int = 20261123,
) -> LevelShift | None:
    """The most likely single shift in a monthly rate, with a simulated p-value; None when
    the series is too short to test."""
    y = np.asarray(numerators, dtype=float)
    n = np.asarray(denominators, dtype=float)
    if len(y) != len(n):
        raise InvalidInput("numerators and denominators differ in length")
    if len(y) < 2 * min_segment or n.sum() == 0:
        return None
    stat, k = _max_lr(y, n, min_segment)
    if k < 0:
        return None
    rate = y.sum() / n.sum()
    rng = np.random.default_rng(seed)
    exceed = 0
    for _ in range(simulations):
        sim = rng.binomial(n.astype(np.int64), rate).astype(float)
        if _max_lr(sim, n, min_segment)[0] >= stat:
            exceed += 1
    before = y[:k].sum() / n[:k].sum() if n[:k].sum() else float("nan")
    after = y[k:].sum() / n[k:].sum() if n[k:].sum() else float("nan")
    return LevelShift(k, float(before), float(after), float(stat), (exceed + 1) / (simulations + 1))


def grouped_cusum(
    numerators: Sequence[int],
    denominators: Sequence[int],
    expected: Sequence[float],
    h: float,
    *,
    ra: float = 2.0,
) -> Cusum:
    """The risk-adjusted CUSUM of Steiner et al. (2000) checked once per period: period t holds
    n_t cases with y_t events, each with predicted probability p_t, so its weight is
    W_t = y_t log(RA) − n_t log(1 − p_t + RA p_t) (R0 = 1). ``ra`` < 1 watches for a fall."""
    if not (len(numerators) == len(denominators) == len(expected)):
        raise InvalidInput("numerators, denominators and expected rates differ in length")
    if ra <= 0:
        raise InvalidInput("the odds ratio must be positive")
    weights = [
        y * math.log(ra) - n * math.log(1 - p + ra * p) if n else 0.0
        for y, n, p in zip(numerators, denominators, expected, strict=True)
    ]
    return _run(weights, h)


def cusum_thresholds(
    denominators: Sequence[int],
    expected: Sequence[float],
    ratios: Sequence[float],
    *,
    false_alarm: float = 0.05,
    simulations: int = 2000,
    seed: int = 20261124,
) -> list[float]:
    """For each odds ratio in ``ratios``, the :func:`grouped_cusum` threshold at which a unit
    whose monthly counts follow ``expected`` exactly (``denominators`` cases a month) signals
    anywhere in the window with probability ``false_alarm``: the quantile of the chart's peak
    over ``simulations`` series drawn once (fixed seed) and shared by every ratio."""
    n = np.asarray(denominators, dtype=np.int64)
    p = np.clip(np.asarray(expected, dtype=float), 1e-12, 1 - 1e-12)
    rng = np.random.default_rng(seed)
    y = rng.binomial(n, p, size=(simulations, len(n)))
    out = []
    for ra in ratios:
        w = y * math.log(ra) - n * np.log(1 - p + ra * p)
        s = np.zeros(simulations)
        peak = np.zeros(simulations)
        for t in range(len(n)):
            s = np.maximum(0.0, s + w[:, t])
            peak = np.maximum(peak, s)
        out.append(float(np.quantile(peak, 1 - false_alarm)))
    return out
