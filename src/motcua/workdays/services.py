"""Writes to the override table; every write makes the cached calendar rebuild."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from motcua.workdays.models import CalendarOverride
from motcua.workdays.selectors import invalidate_calendar


@transaction.atomic
def calendar_override_set(
    *, date: dt.date, kind: CalendarOverride.Kind | str, reason: str
) -> CalendarOverride:
    """Make `date` a day off or a working day, whatever the holiday data says."""
    override = CalendarOverride.objects.select_for_update().filter(date=date).first()
    if override is None:
        override = CalendarOverride(date=date)
    override.kind = kind
    override.reason = reason.strip()
    override.full_clean()
    override.save()
    _invalidate_now_and_on_commit()
    return override


@transaction.atomic
def calendar_override_delete(*, date: dt.date) -> bool:
    """Remove the override of `date` (the holiday data applies again); False if there was none."""
    deleted, _ = CalendarOverride.objects.filter(date=date).delete()
    if deleted:
        _invalidate_now_and_on_commit()
    return bool(deleted)


def _invalidate_now_and_on_commit() -> None:
    # Now, so this request sees its own write; after commit, because another thread may have
    # rebuilt the calendar from the old rows in between.
    invalidate_calendar()
    transaction.on_commit(invalidate_calendar)
