"""Reads for the working-day calendar: the process-wide `WorkCalendar` and office hours."""

from __future__ import annotations

import datetime as dt
import threading
import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from motcua.workdays.calendar import WorkCalendar
from motcua.workdays.models import CalendarOverride

# Holiday data is loaded eagerly for these years; others load on first use.
FIRST_EAGER_YEAR = 2015
EAGER_YEARS_AHEAD = 3

# The version lives in Django's cache so that, with a shared cache backend, an edit made in
# one process is seen by all; the module-level variable keeps the built calendar.
_VERSION_KEY = "motcua:workdays:calendar-version"
_cached: tuple[str, WorkCalendar] | None = None
_build_lock = threading.Lock()


def office_hours() -> tuple[dt.time, dt.time]:
    """Opening and closing time: the settings MOTCUA_OFFICE_OPENS / MOTCUA_OFFICE_CLOSES, the one
    place they are defined (settings/base.py gives the defaults 07:30 and 17:00)."""
    opens = _setting_time("MOTCUA_OFFICE_OPENS")
    closes = _setting_time("MOTCUA_OFFICE_CLOSES")
    if opens >= closes:
        raise ImproperlyConfigured(
            f"MOTCUA_OFFICE_OPENS ({opens:%H:%M}) must be earlier than "
            f"MOTCUA_OFFICE_CLOSES ({closes:%H:%M})."
        )
    return opens, closes


def calendar_version() -> str:
    version = cache.get(_VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        # add() keeps a version another process set in the meantime.
        if not cache.add(_VERSION_KEY, version, timeout=None):
            version = cache.get(_VERSION_KEY, version)
    return version


def invalidate_calendar() -> None:
    """Make the next `get_calendar()` rebuild from the holiday data and the override table."""
    global _cached
    cache.set(_VERSION_KEY, uuid.uuid4().hex, timeout=None)
    _cached = None


def get_calendar() -> WorkCalendar:
    """The working-day calendar: public holidays, their make-up days and the override table."""
    global _cached
    version = calendar_version()
    cached = _cached
    if cached is not None and cached[0] == version:
        return cached[1]
    with _build_lock:
        cached = _cached
        if cached is not None and cached[0] == version:
            return cached[1]
        calendar = _build_calendar()
        _cached = (version, calendar)
        return calendar


def _build_calendar() -> WorkCalendar:
    opens, closes = office_hours()
    this_year = timezone.localdate().year
    rows = list(CalendarOverride.objects.values_list("date", "kind", "reason"))
    return WorkCalendar.for_vietnam(
        range(FIRST_EAGER_YEAR, this_year + EAGER_YEARS_AHEAD + 1),
        extra_working_days={d for d, kind, _ in rows if kind == CalendarOverride.Kind.WORKING_DAY},
        extra_days_off={d for d, kind, _ in rows if kind == CalendarOverride.Kind.DAY_OFF},
        reasons={d: reason for d, _, reason in rows},
        opens=opens,
        closes=closes,
        tz=timezone.get_default_timezone(),
    )


def _setting_time(name: str) -> dt.time:
    value = getattr(settings, name)
    if isinstance(value, dt.time):
        return value
    try:
        return dt.time.fromisoformat(str(value))
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a time like HH:MM, got {value!r}.") from exc
