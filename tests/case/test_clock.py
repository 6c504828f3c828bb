"""Legal time (:mod:`caseledger.case.clock`): the "not in the future" check, whose idea of now
is read at most once a second, is never looser than the exact check."""

from __future__ import annotations

import datetime as dt

import time_machine

from caseledger.case import clock

SKEW = dt.timedelta(minutes=5)
NOW = dt.datetime(2025, 6, 1, 8, 0, tzinfo=dt.UTC)


def test_an_act_beyond_the_allowed_skew_is_in_the_future():
    with time_machine.travel(NOW, tick=False):
        assert not clock.is_future(NOW, allowance=SKEW)
        assert not clock.is_future(NOW + SKEW, allowance=SKEW)
        assert clock.is_future(NOW + SKEW + dt.timedelta(microseconds=1), allowance=SKEW)
        # The same instant in legal time (UTC+8) and another allowance.
        legal = (NOW + dt.timedelta(minutes=1)).astimezone(clock.LEGAL_TZ)
        assert clock.is_future(legal, allowance=dt.timedelta(0))
        assert not clock.is_future(legal, allowance=SKEW)


def test_now_follows_the_clock_forward_and_backward():
    later = NOW + dt.timedelta(days=1)
    act = NOW + dt.timedelta(hours=12)
    with time_machine.travel(NOW, tick=False):
        assert clock.is_future(act, allowance=SKEW)
    with time_machine.travel(later, tick=False):
        assert not clock.is_future(act, allowance=SKEW)
    with time_machine.travel(NOW, tick=False):  # back again, within the same real second
        assert clock.is_future(act, allowance=SKEW)


def test_a_limit_read_up_to_a_second_ago_is_stricter_never_looser():
    with time_machine.travel(NOW, tick=False):
        clock.is_future(NOW, allowance=SKEW)
    # Half a second on, the limit may still be the one read at NOW: an act dated within the
    # allowance of that earlier moment is accepted, one just beyond it refused.
    with time_machine.travel(NOW + dt.timedelta(milliseconds=500), tick=False):
        assert not clock.is_future(NOW + SKEW, allowance=SKEW)
        assert clock.is_future(NOW + SKEW + dt.timedelta(seconds=1), allowance=SKEW)
