"""CUSUM, VLAD and the level-shift test against hand computations and planted shifts."""

from __future__ import annotations

import math

import numpy as np
import pytest

from caseledger.analytics import monitor as m


def test_bernoulli_cusum_by_hand():
    # p0 = 0.1 -> p1 = 0.2: an event adds log 2 = 0.6931, a non-event log(0.8/0.9) = -0.1178.
    c = m.bernoulli_cusum([1, 1, 0, 1, 1], 0.1, 0.2, h=2.5)
    up, down = math.log(2), math.log(0.8 / 0.9)
    expected = [up, 2 * up, 2 * up + down, 3 * up + down]
    assert c.statistic[:4] == pytest.approx(expected)
    # the fifth step reaches 4 up + 1 down = 2.6548 > 2.5: a signal, then the chart resets
    assert c.signals == [4]


def test_risk_adjusted_cusum_weights():
    c = m.risk_adjusted_cusum([1, 0], [0.2, 0.5], h=10)
    w1 = math.log(2) - math.log(1.2)
    w2 = max(0.0, w1 - math.log(1.5))
    assert c.statistic == pytest.approx([w1, w2])


def test_vlad_is_expected_minus_observed():
    assert m.vlad([0, 1, 0], [0.2, 0.5, 0.1]) == pytest.approx([0.2, -0.3, -0.2])


def test_level_shift_finds_a_planted_change_and_not_a_stationary_one():
    rng = np.random.default_rng(1)
    n = np.full(36, 400)
    rates = np.r_[np.full(20, 0.10), np.full(16, 0.04)]
    y = rng.binomial(n, rates)
    found = m.level_shift(y, n)
    assert found is not None and found.p_value < 0.01 and abs(found.index - 20) <= 1
    assert found.rate_before > found.rate_after
    flat = rng.binomial(n, 0.08)
    quiet = m.level_shift(flat, n)
    assert quiet is None or quiet.p_value > 0.01


def test_short_series_are_not_tested():
    assert m.level_shift([1, 2, 3], [10, 10, 10]) is None
