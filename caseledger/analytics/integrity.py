"""Data-integrity tests: the signatures targets leave in records (``shared/analytics.md`` §2).

- **Deadline bunching** (§2.1): closures piling up in the last days before a legal limit,
  compared with the mass a smooth density would put there (a local binomial test against a
  counterfactual extrapolated from the days before the window).
- **Under-dispersion** (§2.2): rates that vary less than binomial chance allows, across units
  (I·φ̂ in the lower tail of χ²_{I−1}) or over time for one unit (X² in the lower tail of
  χ²_{T−1}); a rate stuck at 0 or 1 is judged by the exact probability of the run.

A finding means "audit a sample of these records", never a verdict on a unit, and nothing here
orders units by a statistic.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

from caseledger.errors import InvalidInput


@dataclass(frozen=True)
class Bunching:
    in_window: int  # closures in the last `window` days before the limit
    expected: float  # what a smooth density would put there
    before: int  # closures in the reference days used for the counterfactual
    excess_ratio: float  # in_window / expected
    p_value: float  # one-sided: P(X >= in_window)


def deadline_bunching(
    days_before_limit: Sequence[int] | np.ndarray, *, window: int = 3, reference: int = 21
) -> Bunching | None:
    """Test for excess closures in the last ``window`` days before a limit.

    ``days_before_limit`` is, per closure, how many days remained (0 = on the last day; negative
    = late). The counterfactual daily count in the window is the linear trend fitted to the
    ``reference`` days just before it, so a density that rises or falls smoothly towards the
    limit is not taken for bunching. Returns None with too few closures to judge.
    """
    d = np.asarray(days_before_limit)
    if window <= 0 or reference < 2:
        raise InvalidInput("window must be positive and reference at least 2 days")
    counts = np.array([(d == k).sum() for k in range(window + reference)])
    in_window = int(counts[:window].sum())
    ref = counts[window:]
    if in_window + ref.sum() < 20:
        return None
    x = np.arange(window, window + reference)
    slope, intercept = np.polyfit(x, ref, 1)
    shape = np.clip(intercept + slope * np.arange(window + reference), 1e-9, None)
    # Conditional test: given all closures in window + reference, the window's share under the
    # smooth (fitted) density is its share of the fitted curve.
    ratio = float(shape[:window].sum() / shape.sum())
    total = in_window + int(ref.sum())
    expected = ratio * total
    p = float(stats.binom.sf(in_window - 1, total, ratio))
    return Bunching(in_window, expected, int(ref.sum()), in_window / expected, p)


@dataclass(frozen=True)
class Dispersion:
    statistic: float
    df: int
    p_too_stable: float  # lower-tail probability: small means less variation than chance


def cross_section_underdispersion(y: Sequence[int], n: Sequence[int]) -> Dispersion | None:
    """Do units' rates vary less than binomial chance around the common rate? (§2.2)"""
    ya, na = np.asarray(y, dtype=float), np.asarray(n, dtype=float)
    keep = na > 0
    ya, na = ya[keep], na[keep]
    if len(na) < 3:
        return None
    p = ya.sum() / na.sum()
    if p in (0.0, 1.0):
        return None
    stat = float((((ya - na * p) ** 2) / (na * p * (1 - p))).sum())
    df = len(na) - 1
    return Dispersion(stat, df, float(stats.chi2.cdf(stat, df)))


def series_underdispersion(y: Sequence[int], n: Sequence[int]) -> Dispersion | None:
    """Is one unit's rate steadier over time than chance allows? X² ~ χ²_{T−1} (§2.2)."""
    return cross_section_underdispersion(y, n)


def zero_run_probability(cases: int, national_rate: float) -> float:
    """Chance of seeing no event at all in ``cases`` cases at the national rate: (1 − q)^n."""
    if not 0 <= national_rate <= 1:
        raise InvalidInput("a rate lies between 0 and 1")
    return float((1 - national_rate) ** cases)
