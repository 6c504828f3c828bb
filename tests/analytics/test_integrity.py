"""Integrity tests find planted patterns and stay quiet on chance."""

from __future__ import annotations

import numpy as np

from caseledger.analytics import integrity as ig


def _closures(rng, n, bunch=0.0):
    """Days left before a 30-day limit for n closures; a share `bunch` is pushed to the end."""
    days = rng.integers(0, 30, n)
    k = int(bunch * n)
    days[:k] = rng.integers(0, 3, k)
    return days


def test_bunching_before_a_deadline_is_found_and_chance_is_not():
    rng = np.random.default_rng(3)
    planted = ig.deadline_bunching(_closures(rng, 3000, bunch=0.3))
    assert planted is not None and planted.p_value < 1e-6 and planted.excess_ratio > 2
    clean = ig.deadline_bunching(_closures(rng, 3000))
    assert clean is not None and clean.p_value > 0.001


def test_a_smooth_rise_towards_the_limit_is_not_bunching():
    rng = np.random.default_rng(5)
    # density rising linearly as the limit approaches (fewer days left -> more closures)
    weights = np.linspace(3, 1, 30)
    days = rng.choice(30, size=5000, p=weights / weights.sum())
    found = ig.deadline_bunching(days)
    assert found is not None and found.p_value > 0.001


def test_too_few_closures_are_not_judged():
    assert ig.deadline_bunching([0, 1, 2, 5]) is None


def test_a_too_steady_rate_is_flagged_and_a_binomial_one_is_not():
    rng = np.random.default_rng(11)
    n = np.full(36, 500)
    steady = np.full(36, 100)  # exactly 20 % every month
    assert ig.series_underdispersion(steady, n).p_too_stable < 1e-6
    honest = rng.binomial(n, 0.2)
    assert ig.series_underdispersion(honest, n).p_too_stable > 0.001


def test_a_zero_rate_is_judged_by_the_exact_run_probability():
    # 300 decisions without a single non-arrest where the national rate is 20 %
    assert ig.zero_run_probability(300, 0.2) < 1e-28
    assert ig.cross_section_underdispersion([0, 0, 0], [10, 10, 10]) is None
