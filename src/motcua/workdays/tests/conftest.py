"""Shared fixtures: a Vietnam calendar built without the database, and a fresh calendar cache."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

import pytest
from django.utils import timezone

from motcua.workdays.calendar import WorkCalendar
from motcua.workdays.selectors import invalidate_calendar, office_hours


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    """A wall-clock moment in Hà Nội / Hải Phòng time."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=timezone.get_default_timezone())


@pytest.fixture(autouse=True)
def _fresh_calendar_cache() -> Iterator[None]:
    # The built calendar is process-wide; a test's overrides must not leak into the next.
    invalidate_calendar()
    yield
    invalidate_calendar()


@pytest.fixture
def vn_calendar() -> WorkCalendar:
    """Office hours 07:30–17:00, public holidays from the `holidays` package, no overrides."""
    return vietnam_calendar(range(2024, 2028))


def vietnam_calendar(years: Iterable[int], **overrides: Any) -> WorkCalendar:
    """The calendar `selectors` builds, without the database: office hours and time zone from
    the settings, with a test's own overrides (extra days, other hours)."""
    opens, closes = office_hours()
    options = {"opens": opens, "closes": closes, "tz": timezone.get_default_timezone()}
    return WorkCalendar.for_vietnam(years, **{**options, **overrides})
