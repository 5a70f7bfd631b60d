"""Override table → calendar: services and the admin move due dates at once (cache invalidated)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

import motcua
from motcua.workdays.models import CalendarOverride
from motcua.workdays.selectors import get_calendar
from motcua.workdays.services import calendar_override_delete, calendar_override_set
from motcua.workdays.tests.conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(django_user_model: Any) -> Client:
    """A superuser of our own: the demo world's "admin" account depends on demo mode."""
    user = django_user_model.objects.create_superuser(
        username="workdays-superuser", email="workdays@example.test", password="unused-pw-1"
    )
    client = Client()
    client.force_login(user)
    return client


# Mon 09-03-2026 10:00 + 1 working day is Tue 10-03-2026 17:00 with no override.
RECEIVED = at(2026, 3, 9, 10, 0)
EXTRA_DAY_OFF = dt.date(2026, 3, 10)


def test_extra_day_off_moves_the_due_date() -> None:
    """Declaring Tue 10-03-2026 a day off moves a Mon + 1 deadline from Tue to Wed 11-03."""
    # given
    assert get_calendar().due_at(RECEIVED, 1) == at(2026, 3, 10, 17, 0)

    # when
    calendar_override_set(
        date=EXTRA_DAY_OFF, kind=CalendarOverride.Kind.DAY_OFF, reason="Nghỉ theo Quyết định 1/QĐ"
    )

    # then
    assert get_calendar().due_at(RECEIVED, 1) == at(2026, 3, 11, 17, 0)


def test_deleting_the_override_restores_the_due_date() -> None:
    """After the override of Tue 10-03-2026 is removed, Mon + 1 is Tue again."""
    # given
    calendar_override_set(date=EXTRA_DAY_OFF, kind="day_off", reason="Nghỉ đột xuất")
    assert get_calendar().due_at(RECEIVED, 1) == at(2026, 3, 11, 17, 0)

    # when
    deleted = calendar_override_delete(date=EXTRA_DAY_OFF)

    # then
    assert deleted is True
    assert get_calendar().due_at(RECEIVED, 1) == at(2026, 3, 10, 17, 0)
    assert calendar_override_delete(date=EXTRA_DAY_OFF) is False


def test_make_up_working_saturday_from_the_table() -> None:
    """Sat 14-03-2026 declared a working day: Fri 13-03 + 1 is that Saturday, not Mon 16-03."""
    # when
    calendar_override_set(
        date=dt.date(2026, 3, 14), kind=CalendarOverride.Kind.WORKING_DAY, reason="Làm bù"
    )

    # then
    assert get_calendar().due_at(at(2026, 3, 13, 10, 0), 1) == at(2026, 3, 14, 17, 0)


def test_table_beats_the_holiday_package() -> None:
    """The table wins: make-up Sat 22-08-2026 made a day off, swapped Mon 31-08 made working."""
    # given
    calendar_override_set(date=dt.date(2026, 8, 22), kind="day_off", reason="Hủy làm bù")
    calendar_override_set(date=dt.date(2026, 8, 31), kind="working_day", reason="Hủy nghỉ")

    # when
    calendar = get_calendar()

    # then
    assert calendar.due_at(at(2026, 8, 21, 10, 0), 1) == at(2026, 8, 24, 17, 0)
    assert calendar.due_at(at(2026, 8, 28, 10, 0), 1) == at(2026, 8, 31, 17, 0)


def test_setting_an_existing_date_updates_it() -> None:
    """One row per date: setting it again changes kind and reason."""
    # given
    calendar_override_set(date=EXTRA_DAY_OFF, kind="day_off", reason="Lần một")

    # when
    calendar_override_set(date=EXTRA_DAY_OFF, kind="working_day", reason="  Lần hai ")

    # then
    override = CalendarOverride.objects.get()
    assert (override.kind, override.reason) == ("working_day", "Lần hai")


def test_invalid_kind_and_empty_reason_are_refused() -> None:
    """full_clean runs: an unknown kind or a blank reason never reaches the table."""
    # when / then
    with pytest.raises(ValidationError):
        calendar_override_set(date=EXTRA_DAY_OFF, kind="holiday", reason="x")
    with pytest.raises(ValidationError):
        calendar_override_set(date=EXTRA_DAY_OFF, kind="day_off", reason="   ")
    assert not CalendarOverride.objects.exists()


def test_office_hours_come_from_settings(settings: Any) -> None:
    """MOTCUA_OFFICE_OPENS / _CLOSES set the hours: due at 16:30 with "08:00"–"16:30"."""
    # given
    settings.MOTCUA_OFFICE_OPENS = "08:00"
    settings.MOTCUA_OFFICE_CLOSES = "16:30"

    # when
    calendar = get_calendar()

    # then
    assert calendar.due_at(RECEIVED, 1) == at(2026, 3, 10, 16, 30)


def test_the_time_zone_comes_from_settings(settings: Any) -> None:
    """TIME_ZONE is the calendar's clock: with Tokyo's, a dossier is due at 17:00 in Tokyo."""
    # given
    settings.TIME_ZONE = "Asia/Tokyo"
    tokyo = ZoneInfo("Asia/Tokyo")

    # when
    calendar = get_calendar()

    # then
    assert calendar.tz == tokyo
    received = dt.datetime(2026, 3, 9, 10, 0, tzinfo=tokyo)
    assert calendar.due_at(received, 1) == dt.datetime(2026, 3, 10, 17, 0, tzinfo=tokyo)


def test_office_hours_and_the_time_zone_are_defined_only_in_the_settings() -> None:
    """No module but settings/base.py names the zone or the 07:30–17:00 hours."""
    # given
    root = Path(motcua.__file__).parent
    sources = [
        p
        for p in root.rglob("*.py")
        if "tests" not in p.parts and "settings" not in p.relative_to(root).parts[:1]
    ]
    pattern = re.compile(
        r"Asia/Ho_Chi_Minh|ZoneInfo\(|time\(17, 0\)|time\(7, 30\)|\"17:00\"|\"07:30\""
    )

    # when
    found = [
        f"{p.relative_to(root)}:{n}"
        for p in sources
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1)
        if pattern.search(line) and not line.lstrip().startswith("#")
    ]

    # then
    assert found == []


def test_admin_edits_go_through_the_services(admin_client: Client) -> None:
    """An administrator adds and then deletes an extra day off; due dates follow at once."""
    # given
    assert get_calendar().due_at(RECEIVED, 1) == at(2026, 3, 10, 17, 0)

    # when: added in the admin
    response = admin_client.post(
        reverse("admin:workdays_calendaroverride_add"),
        {"date": "2026-03-10", "kind": "day_off", "reason": "Nghỉ bổ sung"},
    )

    # then
    assert response.status_code == 302
    assert get_calendar().due_at(RECEIVED, 1) == at(2026, 3, 11, 17, 0)

    # when: deleted in the admin
    override = CalendarOverride.objects.get(date=EXTRA_DAY_OFF)
    response = admin_client.post(
        reverse("admin:workdays_calendaroverride_delete", args=[override.pk]), {"post": "yes"}
    )

    # then
    assert response.status_code == 302
    assert not CalendarOverride.objects.exists()
    assert get_calendar().due_at(RECEIVED, 1) == at(2026, 3, 10, 17, 0)


def test_admin_moving_an_override_to_another_date(admin_client: Client) -> None:
    """Changing the date in the admin frees the old date: Tue 10-03 off → Wed 11-03 off."""
    # given
    override = calendar_override_set(date=EXTRA_DAY_OFF, kind="day_off", reason="Nghỉ")

    # when
    response = admin_client.post(
        reverse("admin:workdays_calendaroverride_change", args=[override.pk]),
        {"date": "2026-03-11", "kind": "day_off", "reason": "Nghỉ"},
    )

    # then: Mon + 1 → Tue 10-03 again; Tue + 1 → Thu 12-03
    assert response.status_code == 302
    assert list(CalendarOverride.objects.values_list("date", flat=True)) == [dt.date(2026, 3, 11)]
    assert get_calendar().due_at(RECEIVED, 1) == at(2026, 3, 10, 17, 0)
    assert get_calendar().due_at(at(2026, 3, 10, 10, 0), 1) == at(2026, 3, 12, 17, 0)


def test_admin_changelist_renders(admin_client: Client) -> None:
    """The list with its weekday column, kind filter and date hierarchy renders."""
    # given
    calendar_override_set(date=EXTRA_DAY_OFF, kind="day_off", reason="Nghỉ bổ sung")

    # when
    response = admin_client.get(reverse("admin:workdays_calendaroverride_changelist"))

    # then
    assert response.status_code == 200
    assert "Nghỉ bổ sung" in response.content.decode()
