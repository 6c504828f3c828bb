"""The statistics of the audit, on small per-unit aggregates (numpy/scipy only).

- :func:`excess_check`: each unit's count against its expected count — exact binomial tail
  probabilities, or, when the units are over-dispersed beyond chance, z-scores on the arcsine
  scale with the DerSimonian–Laird between-unit variance (``shared/analytics.md`` §1.5); then
  Holm's step-down correction across the units, so that the chance of any false finding in a
  clean warehouse stays below the check's α.
- :func:`series_check`: each unit's monthly rate against its own mean — X² in the lower tail
  of χ²_{T−1} ("too stable"), or, for a rate stuck at 0, the exact probability of that run at
  the national rate (§2.2).

Must never: order units by a value; results come back in the order of the unit codes given.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy import stats

from caseledger.analytics import funnel

Alternative = Literal["greater", "less", "two-sided"]
TINY = 1e-12
OVERDISPERSION_P = 0.001  # over-dispersion is taken as real when I·φ̂ is beyond this χ² tail
MIN_EXPECTED = 5  # expected events (and non-events) for a unit to inform the dispersion


def holm(p: np.ndarray, alpha: float) -> tuple[np.ndarray, np.ndarray]:
    """(rejected, adjusted p) by Holm's step-down method, in the input order."""
    p = np.asarray(p, dtype=float)
    m = p.size
    if m == 0:
        return np.zeros(0, bool), np.zeros(0)
    order = np.argsort(p, kind="stable")
    scaled = np.minimum(1.0, (m - np.arange(m)) * p[order])
    adjusted_sorted = np.maximum.accumulate(scaled)
    adjusted = np.empty(m)
    adjusted[order] = adjusted_sorted
    return adjusted <= alpha, adjusted


@dataclass(frozen=True)
class Excess:
    """Per unit (input order): p-values, Holm-adjusted p-values and the verdict."""

    p: np.ndarray
    adjusted: np.ndarray
    flagged: np.ndarray
    phi: float
    tau2: float
    method: str


def _binomial_p(k: np.ndarray, n: np.ndarray, e: np.ndarray, alternative: Alternative):
    upper = stats.binom.sf(k - 1, n, e)
    lower = stats.binom.cdf(k, n, e)
    if alternative == "greater":
        return upper
    if alternative == "less":
        return lower
    return np.minimum(1.0, 2.0 * np.minimum(upper, lower))


def excess_check(
    k: np.ndarray,
    n: np.ndarray,
    expected: np.ndarray,
    *,
    alternative: Alternative,
    alpha: float,
) -> Excess:
    """Judge counts ``k`` of ``n`` records against ``expected`` counts (same order).

    Exact binomial at each unit's expected share (a sum over strata of differing shares is less
    variable than one binomial, so this errs on the side of no finding). If the z-scores are
    over-dispersed beyond chance (I·φ̂ above the χ²_{I−1} 0.999 quantile), units genuinely
    differ and each unit is judged against N(0, 1 + 4nτ̂²) instead (additive random effects).
    """
    k = np.asarray(k, dtype=float)
    n = np.asarray(n, dtype=float)
    e = np.clip(np.asarray(expected, dtype=float) / np.maximum(n, 1), TINY, 1 - TINY)
    share = np.where(n > 0, k / np.maximum(n, 1), 0.0)
    z = 2.0 * np.sqrt(n) * (np.arcsin(np.sqrt(share)) - np.arcsin(np.sqrt(e)))
    # The arcsine scale stabilises the variance only with enough expected events: units with
    # fewer than MIN_EXPECTED expected events or non-events do not inform φ̂ (their z-scores
    # lean to the tails, a zero count most of all).
    informs = (n * e >= MIN_EXPECTED) & (n * (1 - e) >= MIN_EXPECTED)
    units = int(informs.sum())
    phi, tau2 = math.nan, 0.0  # φ̂ stays unknown with fewer than three informative units
    if units >= 3:
        zw = funnel.winsorise(z[informs])
        phi = float(np.mean(zw**2))
        if units * phi > stats.chi2.ppf(1 - OVERDISPERSION_P, units - 1):
            w = 4.0 * n[informs]
            tau2 = float(max(0.0, (units * phi - (units - 1)) / (w.sum() - (w**2).sum() / w.sum())))
    if tau2 > 0:
        zd = z / np.sqrt(1.0 + 4.0 * n * tau2)
        if alternative == "greater":
            p = stats.norm.sf(zd)
        elif alternative == "less":
            p = stats.norm.cdf(zd)
        else:
            p = 2.0 * stats.norm.sf(np.abs(zd))
        method = "random effects (arcsine z with between-unit variance)"
    else:
        p = _binomial_p(k, n, e, alternative)
        method = "exact binomial"
    p = np.where(n > 0, p, 1.0)
    flagged, adjusted = holm(p, alpha)
    return Excess(p, adjusted, flagged, phi, tau2, method)


@dataclass(frozen=True)
class Series:
    """Per unit (input order): the statistic, p-value of "too stable", verdict, method."""

    statistic: np.ndarray
    p: np.ndarray
    adjusted: np.ndarray
    flagged: np.ndarray
    method: np.ndarray  # "chi2" or "zero run" or "" (not judged)


def series_check(
    unit_index: np.ndarray,
    y: np.ndarray,
    n: np.ndarray,
    units: int,
    *,
    national_rate: float,
    alpha: float,
    min_periods: int,
    min_expected: float,
) -> Series:
    """Is each unit's monthly rate steadier than chance allows?

    ``unit_index`` (0..units−1), ``y`` and ``n`` are one row per unit-month. A unit is judged
    with X² (lower tail of χ²_{T−1}) when it has ``min_periods`` months with records and at
    least ``min_expected`` expected events and non-events; a unit whose rate is 0 in every month
    is judged by the exact probability of that run at the national rate, (1 − q)^n.
    """
    ui = np.asarray(unit_index, dtype=np.int64)
    y = np.asarray(y, dtype=float)
    n = np.asarray(n, dtype=float)
    used = n > 0
    ui, y, n = ui[used], y[used], n[used]
    tot_y = np.bincount(ui, weights=y, minlength=units)
    tot_n = np.bincount(ui, weights=n, minlength=units)
    months = np.bincount(ui, minlength=units)
    rate = np.divide(tot_y, tot_n, out=np.zeros(units), where=tot_n > 0)
    # X² = Σ_t (y_t − n_t p̂)² / (n_t p̂ (1 − p̂)), per unit (integrity.series_underdispersion).
    var = n * rate[ui] * (1 - rate[ui])
    cell = np.divide((y - n * rate[ui]) ** 2, var, out=np.zeros(y.size), where=var > 0)
    x2 = np.bincount(ui, weights=cell, minlength=units)
    chi = (months >= max(min_periods, 2)) & (tot_y >= min_expected)
    chi &= tot_n - tot_y >= min_expected
    zero = (tot_y == 0) & (tot_n > 0) & (national_rate > 0)
    stat = np.where(chi | zero, np.where(zero, 0.0, x2), np.nan)
    p = np.ones(units)
    p[chi] = stats.chi2.cdf(x2[chi], months[chi] - 1)
    p[zero] = np.exp(tot_n[zero] * np.log1p(-min(national_rate, 1 - TINY)))  # (1 − q)^n
    method = np.full(units, "", dtype=object)
    method[chi], method[zero] = "chi2", "zero run"
    flagged, adjusted = holm(p, alpha)
    return Series(stat, p, adjusted, flagged, method)
