"""The one place that reads the wall clock, so tests can move time."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

VN_TZ = timezone(timedelta(hours=7), "ICT")
_offset = timedelta(0)


def now() -> datetime:
    """Local Vietnamese time, naive (the store keeps naive ICT datetimes)."""
    return (datetime.now(VN_TZ) + _offset).replace(tzinfo=None)


def today() -> date:
    return now().date()


def set_offset(delta: timedelta) -> None:
    """Shift the clock (tests and demos)."""
    global _offset
    _offset = delta
