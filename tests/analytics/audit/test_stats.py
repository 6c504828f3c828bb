"""The audit's statistics against hand computations and the integrity primitives."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats as sps

from caseledger.analytics import integrity
from caseledger.analytics.audit import stats


def test_holm_matches_the_step_down_by_hand():
    p = np.array([0.01, 0.04, 0.03, 0.005])
    # sorted: 0.005*4=0.02, 0.01*3=0.03, 0.03*2=0.06, 0.04*1=0.04 -> monotone: .02 .03 .06 .06
    rejected, adjusted = stats.holm(p, 0.05)
    assert np.allclose(adjusted, [0.03, 0.06, 0.06, 0.02])
    assert rejected.tolist() == [True, False, False, True]


@given(st.lists(st.floats(0, 1), min_size=1, max_size=30))
def test_holm_never_rejects_more_than_bonferroni_allows_less(ps):
    p = np.array(ps)
    rejected, adjusted = stats.holm(p, 0.05)
    assert (adjusted >= p - 1e-15).all() and (adjusted <= 1).all()
    assert (p * len(p) <= 0.05)[~rejected].sum() == 0  # Bonferroni's rejections are Holm's too


def test_excess_check_is_the_exact_binomial_tail_without_overdispersion():
    k = np.array([3, 5, 4, 20])
    n = np.array([100, 100, 100, 100])
    e = np.array([4.0, 4.0, 4.0, 4.0])
    ex = stats.excess_check(k, n, e, alternative="greater", alpha=0.001)
    assert ex.method == "exact binomial"
    assert np.allclose(ex.p, sps.binom.sf(k - 1, n, 0.04))
    assert ex.flagged.tolist() == [False, False, False, True]


def test_two_sided_doubles_the_smaller_tail():
    ex = stats.excess_check(np.array([0, 4]), np.array([100, 100]), np.array([4.0, 4.0]),
                            alternative="two-sided", alpha=0.05)  # fmt: skip
    assert np.isclose(ex.p[0], 2 * sps.binom.cdf(0, 100, 0.04))


def test_real_differences_between_units_widen_the_judgement():
    rng = np.random.default_rng(1)
    n = np.full(200, 1000)
    rates = np.clip(rng.normal(0.2, 0.05, 200), 0.01, 0.99)  # units genuinely differ
    k = rng.binomial(n, rates)
    e = n * (k.sum() / n.sum())
    ex = stats.excess_check(k, n, e, alternative="two-sided", alpha=0.001)
    assert ex.tau2 > 0 and ex.method.startswith("random effects")
    assert ex.flagged.sum() <= 2  # without the random effect, dozens would be flagged:
    naive = sps.binom.sf(k - 1, n, e / n)
    assert (stats.holm(np.minimum(1, 2 * np.minimum(naive, sps.binom.cdf(k, n, e / n))),
                       0.001)[0]).sum() > 10  # fmt: skip


def test_series_check_agrees_with_the_integrity_primitive_and_zero_runs():
    rng = np.random.default_rng(3)
    months = 12
    n = rng.integers(40, 80, size=(3, months))
    y = rng.binomial(n, 0.3)
    y[1] = np.round(n[1] * 0.3)  # too steady
    y[2] = 0  # never
    unit = np.repeat(np.arange(3), months)
    s = stats.series_check(unit, y.ravel(), n.ravel(), 3, national_rate=0.3, alpha=0.001,
                           min_periods=6, min_expected=5)  # fmt: skip
    for u in (0, 1):
        d = integrity.series_underdispersion(y[u], n[u])
        assert d is not None
        assert np.isclose(s.statistic[u], d.statistic) and np.isclose(s.p[u], d.p_too_stable)
    assert s.method.tolist() == ["chi2", "chi2", "zero run"]
    assert np.isclose(s.p[2], integrity.zero_run_probability(int(n[2].sum()), 0.3))
    assert s.flagged.tolist() == [False, True, True]


def test_series_check_leaves_short_or_thin_series_unjudged():
    unit, y, n = np.array([0, 0, 1]), np.array([1, 2, 3]), np.array([10, 10, 10])
    s = stats.series_check(
        unit, y, n, 2, national_rate=0.2, alpha=0.001, min_periods=6, min_expected=5
    )
    assert s.method.tolist() == ["", ""] and not s.flagged.any()
