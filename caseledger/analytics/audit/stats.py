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

from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy import stats

from caseledger.analytics import funnel, integrity

Alternative = Literal["greater", "less", "two-sided"]
TINY = 1e-12
OVERDISPERSION_P = 0.001  # over-dispersion is taken as real when I·φ̂ is beyond this χ² tail


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
    units = int((n > 0).sum())
    z = (
        2.0
        * np.sqrt(n)
        * (np.arcsin(np.sqrt(np.where(n > 0, k / np.maximum(n, 1), 0))) - np.arcsin(np.sqrt(e)))
    )
    phi, tau2 = 1.0, 0.0
    if units >= 3:
        zw = funnel.winsorise(z[n > 0])
        phi = float(np.mean(zw**2))
        if units * phi > stats.chi2.ppf(1 - OVERDISPERSION_P, units - 1):
            w = 4.0 * n[n > 0]
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
    stat = np.full(units, np.nan)
    p = np.ones(units)
    method = np.full(units, "", dtype=object)
    order = np.argsort(unit_index, kind="stable")
    ui, ys, ns = unit_index[order], y[order], n[order]
    starts = np.flatnonzero(np.r_[True, ui[1:] != ui[:-1]]) if ui.size else np.zeros(0, int)
    ends = np.r_[starts[1:], ui.size]
    for s, t in zip(starts, ends, strict=True):
        u = int(ui[s])
        yy, nn = ys[s:t], ns[s:t]
        keep = nn > 0
        yy, nn = yy[keep], nn[keep]
        total, events = float(nn.sum()), float(yy.sum())
        if events == 0 and total > 0 and national_rate > 0:
            stat[u] = 0.0
            p[u] = integrity.zero_run_probability(int(total), national_rate)
            method[u] = "zero run"
            continue
        if keep.sum() < min_periods or events < min_expected or total - events < min_expected:
            continue
        d = integrity.series_underdispersion(yy, nn)
        if d is None:
            continue
        stat[u], p[u], method[u] = d.statistic, d.p_too_stable, "chi2"
    flagged, adjusted = holm(p, alpha)
    return Series(stat, p, adjusted, flagged, method)
