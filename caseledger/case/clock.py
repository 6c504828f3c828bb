"""Legal time: acts are dated in China Standard Time (UTC+8), stored in UTC.

China has kept UTC+8 without daylight saving since 1991, so a fixed offset is exact and needs no
time-zone database. Dates of acts, deadlines and the "not in the future" rule all use it.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from caseledger.errors import InvalidInput

LEGAL_TZ = dt.timezone(dt.timedelta(hours=8), "CST")


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def today() -> dt.date:
    return now().astimezone(LEGAL_TZ).date()


@lru_cache(maxsize=8192)
def to_legal_date(value: dt.datetime) -> dt.date:
    return value.astimezone(LEGAL_TZ).date()


def when(value: dt.datetime | dt.date | str | None, *, field: str = "at") -> dt.datetime:
    """An aware datetime for an act: a date means 00:00 legal time; None means now."""
    if value is None:
        return now()
    if isinstance(value, str):
        value = parse(value, field=field)
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=LEGAL_TZ)
    return _start_of(value)


@lru_cache(maxsize=8192)
def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=LEGAL_TZ)


def parse(text: str, *, field: str) -> dt.datetime | dt.date:
    """Parse ``YYYY-MM-DD`` or an ISO-8601 date-time; a malformed value names its field."""
    text = text.strip()
    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text)
        return dt.datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            f"malformed date {text!r}; use YYYY-MM-DD or YYYY-MM-DDTHH:MM", field=field
        ) from None


def parse_date(text: str, *, field: str) -> dt.date:
    value = parse(text, field=field)
    return value.date() if isinstance(value, dt.datetime) else value
