"""Shared fixtures: a Vietnam calendar built without the database, and a fresh calendar cache."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from motcua.workdays.calendar import VIETNAM_TZ, WorkCalendar
from motcua.workdays.selectors import invalidate_calendar


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    """A wall-clock moment in Hà Nội / Hải Phòng time."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=VIETNAM_TZ)


@pytest.fixture(autouse=True)
def _fresh_calendar_cache() -> Iterator[None]:
    # The built calendar is process-wide; a test's overrides must not leak into the next.
    invalidate_calendar()
    yield
    invalidate_calendar()


@pytest.fixture
def vn_calendar() -> WorkCalendar:
    """Office hours 07:30–17:00, public holidays from the `holidays` package, no overrides."""
    return WorkCalendar.for_vietnam(range(2024, 2028))
