"""The "not in the future" check every append makes (``store.dated_in_future``, also what the
commands' own date check calls): now is taken at the start of the current second, so the
check is stricter by under a second, never looser; it follows the clock both ways."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import time_machine

from caseledger.case import clock
from caseledger.ledger import store

SKEW = store.CLOCK_SKEW
NOW = dt.datetime(2025, 6, 1, 8, 0, tzinfo=dt.UTC)


def test_an_act_beyond_the_allowed_skew_is_in_the_future():
    with time_machine.travel(NOW, tick=False):
        for tz in (dt.UTC, clock.LEGAL_TZ, zoneinfo.ZoneInfo("America/New_York")):
            assert not store.dated_in_future(NOW.astimezone(tz))
            assert not store.dated_in_future((NOW + SKEW).astimezone(tz))
            late = NOW + SKEW + dt.timedelta(microseconds=1)
            assert store.dated_in_future(late.astimezone(tz))


def test_now_follows_the_clock_forward_and_backward():
    act = (NOW + dt.timedelta(hours=12)).astimezone(clock.LEGAL_TZ)
    with time_machine.travel(NOW, tick=False):
        assert store.dated_in_future(act)
    with time_machine.travel(NOW + dt.timedelta(days=1), tick=False):
        assert not store.dated_in_future(act)
    with time_machine.travel(NOW, tick=False):  # back again, within the same real second
        assert store.dated_in_future(act)


def test_within_a_second_the_limit_is_stricter_never_looser():
    with time_machine.travel(NOW + dt.timedelta(milliseconds=500), tick=False):
        # The limit is NOW + SKEW (the second's start), half a second before the exact one.
        assert not store.dated_in_future(NOW + SKEW)
        assert store.dated_in_future(NOW + SKEW + dt.timedelta(milliseconds=1))
