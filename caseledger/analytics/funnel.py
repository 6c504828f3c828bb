"""Funnel-plot control limits for proportions and the category of each unit.

Methods (``shared/analytics.md`` §1.3–1.6; Spiegelhalter 2005, Stat Med 24:1185; Spiegelhalter
et al. 2012, JRSS A 175:1; FunnelPlotR ``od_adjustment.R``):

- **exact**: probability-based limits from the Binomial(n, θ0) distribution of the target,
  interpolated so that the band is smooth in n (Spiegelhalter 2005 appendix A.1.1);
- **multiplicative** over-dispersion: φ̂ from 10 %-Winsorised z-scores on the arcsine scale,
  limits widened by sqrt(φ̂) (only when φ̂ > 1);
- **additive** random effects: τ̂² by the DerSimonian–Laird moment estimator, limits
  sin²(T ± z·sqrt(1/(4n) + τ̂²)) clipped to [0, 1] with FunnelPlotR's monotonicity guard.

Each unit gets a category only — below 99.8 %, below 95 %, within, above 95 %, above 99.8 %,
or too few cases — with its observed value and expected range. Results are returned in the
order of the unit codes; nothing here sorts by value.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

import numpy as np
from scipy import stats

from caseledger.errors import InvalidInput

Z95 = 1.959963984540054  # two-sided 95 %: p = 0.025 / 0.975
Z998 = 3.090232306167813  # two-sided 99.8 %: p = 0.001 / 0.999
PROBS = (0.001, 0.025, 0.975, 0.999)
WINSOR = 0.10  # Spiegelhalter et al. 2012; CQC

Method = Literal["exact", "multiplicative", "additive"]


class Category(StrEnum):
    below_998 = "below 99.8%"
    below_95 = "below 95%"
    within = "within"
    above_95 = "above 95%"
    above_998 = "above 99.8%"
    too_few = "too few cases"


@dataclass(frozen=True)
class Limits:
    lower_998: float
    lower_95: float
    upper_95: float
    upper_998: float


# Not frozen: a national report makes half a million of these, and a frozen dataclass's
# __init__ costs about three times as much.
@dataclass(slots=True)
class UnitResult:
    unit: str
    numerator: int
    denominator: int
    observed: float | None
    expected_range_95: tuple[float, float] | None
    expected_range_998: tuple[float, float] | None
    category: Category


@dataclass
class Funnel:
    """One indicator at one unit level: the target, the dispersion and every unit's category."""

    target: float
    method: Method
    phi: float
    tau2: float
    min_denominator: int
    units: list[UnitResult] = field(default_factory=list)

    def outside(self, category: Category) -> list[str]:
        """Unit codes in a category, in code order (never ordered by value)."""
        return [u.unit for u in self.units if u.category is category]

    def expected_by_chance(self) -> dict[str, float]:
        """How many units would fall outside each band by chance alone (multiplicity)."""
        judged = sum(1 for u in self.units if u.category is not Category.too_few)
        return {"outside_95": 0.05 * judged, "outside_998": 0.002 * judged}


def exact_limit(n: int, theta: float, p: float) -> float:
    """The interpolated exact binomial limit at probability ``p`` for denominator ``n``."""
    if n <= 0:
        raise InvalidInput("a denominator must be positive", field="denominator")
    r = stats.binom.ppf(p, n, theta)
    f_r = stats.binom.cdf(r, n, theta)
    f_r1 = stats.binom.cdf(r - 1, n, theta)
    alpha = 0.0 if f_r == f_r1 else (f_r - p) / (f_r - f_r1)
    return float(min(max((r - alpha) / n, 0.0), 1.0))


def exact_limits(n: int, theta: float) -> Limits:
    lo998, lo95, hi95, hi998 = (exact_limit(n, theta, p) for p in PROBS)
    return Limits(lo998, lo95, hi95, hi998)


def exact_limits_many(n: np.ndarray, theta: float) -> np.ndarray:
    """:func:`exact_limit` for many denominators at once: an array of shape (len(n), 4), the
    columns in the order of :data:`PROBS` (one scipy call per probability, not per unit)."""
    n = np.asarray(n, dtype=float)
    if (n <= 0).any():
        raise InvalidInput("a denominator must be positive", field="denominator")
    out = np.empty((len(n), len(PROBS)))
    for j, p in enumerate(PROBS):
        r = stats.binom.ppf(p, n, theta)
        f_r = stats.binom.cdf(r, n, theta)
        f_r1 = stats.binom.cdf(r - 1, n, theta)
        step = f_r - f_r1
        alpha = np.where(step == 0, 0.0, (f_r - p) / np.where(step == 0, 1.0, step))
        out[:, j] = np.clip((r - alpha) / n, 0.0, 1.0)
    return out


def arcsine_z(y: np.ndarray, n: np.ndarray, theta: float) -> np.ndarray:
    """z-scores on the variance-stabilising arcsine scale (FunnelPlotR, proportions)."""
    return (np.arcsin(np.sqrt(y / n)) - math.asin(math.sqrt(theta))) * 2.0 * np.sqrt(n)


def winsorise(z: np.ndarray, fraction: float = WINSOR) -> np.ndarray:
    lo, hi = np.quantile(z, [fraction, 1.0 - fraction])
    return np.clip(z, lo, hi)


def dispersion(y: np.ndarray, n: np.ndarray, theta: float) -> tuple[float, float]:
    """(φ̂, τ̂²): the Winsorised dispersion ratio and the DerSimonian–Laird between-unit
    variance on the arcsine scale (τ̂² = 0 when I·φ̂ <= I − 1)."""
    units = len(n)
    if units < 2:
        return 1.0, 0.0
    z = winsorise(arcsine_z(y, n, theta))
    phi = float(np.mean(z**2))
    w = 4.0 * n  # 1 / s_i², s_i = 1 / (2 sqrt(n_i))
    if units * phi <= units - 1:
        return phi, 0.0
    tau2 = (units * phi - (units - 1)) / (w.sum() - (w**2).sum() / w.sum())
    return phi, float(max(tau2, 0.0))


def additive_limits(n: int, theta: float, tau2: float) -> Limits:
    return Limits(*additive_limits_many(np.asarray([n]), theta, tau2)[0])


def additive_limits_many(n: np.ndarray, theta: float, tau2: float) -> np.ndarray:
    """:func:`additive_limits` for many denominators: shape (len(n), 4), columns in the order
    of :data:`PROBS`."""
    t = math.asin(math.sqrt(theta))
    width = np.sqrt(1.0 / (4.0 * np.asarray(n, dtype=float)) + tau2)
    z = np.array([-Z998, -Z95, Z95, Z998])
    # sin² of an angle outside [0, π/2] is not a proportion: clip (FunnelPlotR's guard).
    return np.sin(np.clip(t + width[:, None] * z[None, :], 0.0, math.pi / 2)) ** 2


def multiplicative_limits(n: int, theta: float, phi: float) -> Limits:
    """Exact limits widened by sqrt(φ̂) around the target (only ever widened)."""
    return _widen(exact_limits(n, theta), theta, phi)


def _widen(base: Limits, theta: float, phi: float) -> Limits:
    k = math.sqrt(max(phi, 1.0))
    return Limits(
        *(
            min(max(theta + k * (x - theta), 0.0), 1.0)
            for x in (base.lower_998, base.lower_95, base.upper_95, base.upper_998)
        )
    )


def classify(p: float, lim: Limits) -> Category:
    if p < lim.lower_998:
        return Category.below_998
    if p < lim.lower_95:
        return Category.below_95
    if p > lim.upper_998:
        return Category.above_998
    if p > lim.upper_95:
        return Category.above_95
    return Category.within


def funnel(
    units: Sequence[str],
    numerators: Sequence[int],
    denominators: Sequence[int],
    *,
    method: Method = "exact",
    target: float | None = None,
    min_denominator: int = 30,
) -> Funnel:
    """Categorise every unit against the limits for its denominator.

    ``target`` defaults to the overall rate Σy/Σn. Units with fewer than ``min_denominator``
    cases are shown as "too few cases", not dropped.
    """
    if not (len(units) == len(numerators) == len(denominators)):
        raise InvalidInput("units, numerators and denominators differ in length")
    if method not in ("exact", "multiplicative", "additive"):
        raise InvalidInput(
            f"unknown funnel method {method!r}",
            field="method",
            allowed="exact,multiplicative,additive",
        )
    y = np.asarray(numerators, dtype=float)
    n = np.asarray(denominators, dtype=float)
    if (n < 0).any() or (y < 0).any() or (y > n).any():
        raise InvalidInput("numerators must lie between 0 and their denominators")
    if n.sum() == 0:
        raise InvalidInput("no data: every denominator is zero", field="denominator")
    theta = float(y.sum() / n.sum()) if target is None else float(target)
    judged = n >= max(min_denominator, 1)
    phi, tau2 = dispersion(y[judged], n[judged], theta) if 0 < theta < 1 else (1.0, 0.0)
    result = Funnel(theta, method, phi, tau2, min_denominator)
    order = sorted(range(len(units)), key=list(units).__getitem__)  # sorts by unit code
    codes = [units[i] for i in order]
    y, n, judged = y[order], n[order], judged[order]
    lims = np.full((len(n), 4), np.nan)
    if judged.any():
        if method == "additive":
            lims[judged] = additive_limits_many(n[judged], theta, tau2)
        else:
            sizes, where = np.unique(n[judged], return_inverse=True)
            table = exact_limits_many(sizes, theta)
            if method == "multiplicative":
                k = math.sqrt(max(phi, 1.0))
                table = np.clip(theta + k * (table - theta), 0.0, 1.0)
            lims[judged] = table[where]
    with np.errstate(invalid="ignore", divide="ignore"):
        p = np.where(n > 0, y / np.where(n > 0, n, 1.0), np.nan)
    cats = np.select(
        [~judged, p < lims[:, 0], p < lims[:, 1], p > lims[:, 3], p > lims[:, 2]],
        [5, 0, 1, 4, 3],
        default=2,
    )
    kinds = (
        Category.below_998,
        Category.below_95,
        Category.within,
        Category.above_95,
        Category.above_998,
        Category.too_few,
    )
    # plain Python numbers, converted in bulk (a per-element conversion costs more than the rest)
    rows = zip(
        codes,
        y.astype(np.int64).tolist(),
        n.astype(np.int64).tolist(),
        p.tolist(),
        lims.tolist(),
        cats.tolist(),
        strict=True,
    )
    result.units = [
        UnitResult(code, yi, ni, pi if ni else None, None, None, Category.too_few)
        if c == 5
        else UnitResult(code, yi, ni, pi, (lim[1], lim[2]), (lim[0], lim[3]), kinds[c])
        for code, yi, ni, pi, lim, c in rows
    ]
    return result


def min_denominator_for(
    theta: float, delta: float, *, z_alpha: float = Z998, power: float = 0.80
) -> int:
    """Cases a unit needs to detect an absolute shift ``delta`` (analytics.md §1.6)."""
    z_beta = float(stats.norm.ppf(power))
    return math.ceil((z_alpha + z_beta) ** 2 * theta * (1 - theta) / delta**2)
