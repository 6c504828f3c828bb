"""Funnel limits against hand-computed values; categories only, never ranks."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from caseledger.analytics import funnel as f
from caseledger.errors import InvalidInput


def binom_cdf(r: int, n: int, p: float) -> float:
    """An independent oracle: the binomial CDF summed by hand."""
    return sum(math.comb(n, k) * p**k * (1 - p) ** (n - k) for k in range(r + 1))


def test_exact_limit_matches_the_hand_computation():
    # Binomial(20, 0.5): F(5) = 0.020695, F(6) = 0.057659. For p = 0.025 the smallest r with
    # F(r) >= p is 6; alpha = (F(6) - 0.025) / (F(6) - F(5)) = 0.032659 / 0.036964 = 0.88354;
    # limit = (6 - 0.88354) / 20 = 0.25582 (Spiegelhalter 2005, appendix A.1.1).
    f5, f6 = binom_cdf(5, 20, 0.5), binom_cdf(6, 20, 0.5)
    expected = (6 - (f6 - 0.025) / (f6 - f5)) / 20
    assert f.exact_limit(20, 0.5, 0.025) == pytest.approx(expected, abs=1e-12)
    assert expected == pytest.approx(0.25582, abs=1e-5)
    # The interpolation is not symmetric: for p = 0.975, r = 14 (F(13) = 0.94234,
    # F(14) = 0.97931), alpha = (0.97931 - 0.975) / (0.97931 - 0.94234) = 0.11652,
    # limit = (14 - 0.11652) / 20 = 0.69417.
    f13, f14 = binom_cdf(13, 20, 0.5), binom_cdf(14, 20, 0.5)
    upper = (14 - (f14 - 0.975) / (f14 - f13)) / 20
    assert f.exact_limit(20, 0.5, 0.975) == pytest.approx(upper, abs=1e-12)
    assert upper == pytest.approx(0.69417, abs=1e-5)


@given(n=st.integers(1, 3000), theta=st.floats(0.01, 0.99), p=st.sampled_from(f.PROBS))
def test_exact_limit_lies_on_the_step_the_binomial_says(n, theta, p):
    limit = f.exact_limit(n, theta, p)
    r = math.ceil(limit * n - 1e-9)
    assert (r - 1) / n - 1e-9 <= limit <= r / n + 1e-9


def test_large_denominators_approach_the_normal_limits():
    n, theta = 100_000, 0.2
    lim = f.exact_limits(n, theta)
    half = f.Z998 * math.sqrt(theta * (1 - theta) / n)
    assert lim.upper_998 == pytest.approx(theta + half, abs=2e-4)
    assert lim.lower_998 == pytest.approx(theta - half, abs=2e-4)


def test_dispersion_follows_the_dersimonian_laird_formula():
    rng = np.random.default_rng(7)
    n = rng.integers(200, 5000, 60).astype(float)
    true = np.clip(rng.normal(0.3, 0.05, 60), 0.01, 0.99)
    y = np.round(true * n)
    theta = y.sum() / n.sum()
    phi, tau2 = f.dispersion(y, n, theta)
    z = (np.arcsin(np.sqrt(y / n)) - math.asin(math.sqrt(theta))) * 2 * np.sqrt(n)
    lo, hi = np.quantile(z, [0.1, 0.9])
    zw = np.clip(z, lo, hi)
    assert phi == pytest.approx(np.mean(zw**2))
    w = 4 * n
    assert tau2 == pytest.approx((60 * phi - 59) / (w.sum() - (w**2).sum() / w.sum()))
    assert tau2 > 0


def test_no_overdispersion_gives_no_random_effect():
    n = np.full(40, 1000.0)
    y = np.full(40, 200.0)
    assert f.dispersion(y, n, 0.2) == (0.0, 0.0)


def test_units_get_categories_in_code_order_and_small_units_are_kept():
    units = ["C", "A", "B", "D", "E"]
    # target = (100 + 300 + 450 + 2 + 900) / 4010 = 0.4369
    result = f.funnel(units, [100, 300, 450, 2, 900], [1000, 1000, 1000, 10, 1000])
    assert [u.unit for u in result.units] == ["A", "B", "C", "D", "E"]
    cats = {u.unit: u.category for u in result.units}
    assert cats["D"] is f.Category.too_few
    assert cats["A"] is f.Category.below_998 and cats["E"] is f.Category.above_998
    assert cats["B"] is f.Category.within
    assert result.outside(f.Category.above_998) == ["E"]


def test_additive_limits_keep_a_floor_and_widen_with_tau():
    narrow = f.additive_limits(1_000_000, 0.3, 0.0)
    wide = f.additive_limits(1_000_000, 0.3, 0.01)
    assert wide.upper_998 - wide.lower_998 > 0.1 > narrow.upper_998 - narrow.lower_998
    for method in ("exact", "multiplicative", "additive"):
        out = f.funnel(
            list("ABCDEFGHIJ"),
            [50, 80, 120, 90, 60, 150, 30, 100, 95, 85],
            [500] * 10,
            method=method,
        )
        assert all(u.category is not f.Category.too_few for u in out.units)


def test_nothing_ranks_units():
    for cls in (f.Funnel, f.UnitResult, f.Limits):
        names = {fl.name for fl in dataclasses.fields(cls)}
        assert not names & {"rank", "percentile", "position", "order", "top", "bottom"}


def test_minimum_denominator_from_power():
    # analytics.md §1.6: theta 0.10, delta 0.05, 99.8 % limits, 80 % power -> about 556.
    assert 555 <= f.min_denominator_for(0.10, 0.05) <= 558


def test_bad_input_is_a_clear_error():
    with pytest.raises(InvalidInput, match="between 0"):
        f.funnel(["A"], [5], [3])
    with pytest.raises(InvalidInput, match="no data"):
        f.funnel(["A"], [0], [0])
    with pytest.raises(InvalidInput, match="unknown funnel method"):
        f.funnel(["A"], [1], [3], method="rank")  # type: ignore[arg-type]
