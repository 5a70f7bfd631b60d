"""GET /api/v1/calendar/due and /working-days: public, ISO 8601 in and out, JSON errors."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from motcua.workdays.services import calendar_override_set

pytestmark = pytest.mark.django_db


def _due(client: Client, **params: str) -> tuple[int, dict]:
    response = client.get(reverse("api-v1:calendar-due"), params)
    return response.status_code, response.json()


def test_due_date_before_tet_2026() -> None:
    """Fri 13-02-2026 10:00 +07:00, 1 working day → Mon 23-02-2026 17:00 +07:00, no login."""
    # when
    status, body = _due(Client(), received_at="2026-02-13T10:00:00+07:00", working_days="1")

    # then
    assert status == 200
    assert body == {"due_at": "2026-02-23T17:00:00+07:00"}


def test_due_date_from_utc_input() -> None:
    """10:30Z is 17:30 in Vietnam (after closing Mon 09-03): 1 day → Wed 11-03 17:00 +07:00."""
    # when
    status, body = _due(Client(), received_at="2026-03-09T10:30:00Z", working_days="1")

    # then
    assert status == 200
    assert body == {"due_at": "2026-03-11T17:00:00+07:00"}


def test_unencoded_plus_in_the_offset_is_tolerated() -> None:
    """A raw "+07:00" in a query string arrives as " 07:00"; it is read as +07:00."""
    # when
    response = Client().get(
        reverse("api-v1:calendar-due") + "?received_at=2026-03-09T10:00:00+07:00&working_days=0"
    )

    # then
    assert response.status_code == 200
    assert response.json() == {"due_at": "2026-03-09T17:00:00+07:00"}


def test_due_date_follows_an_override() -> None:
    """Extra day off Tue 10-03-2026: Mon 09-03 + 1 → Wed 11-03."""
    # given
    calendar_override_set(date=dt.date(2026, 3, 10), kind="day_off", reason="Nghỉ bổ sung")

    # when
    status, body = _due(Client(), received_at="2026-03-09T10:00:00+07:00", working_days="1")

    # then
    assert (status, body) == (200, {"due_at": "2026-03-11T17:00:00+07:00"})


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"received_at": "2026-03-09T10:00:00", "working_days": "1"}, "missing_timezone"),
        ({"received_at": "09/03/2026 10:00", "working_days": "1"}, "invalid_datetime"),
        ({"received_at": "2026-02-30T10:00:00+07:00", "working_days": "1"}, "invalid_datetime"),
        ({"received_at": "2026-03-09T10:00:00+07:00", "working_days": "-1"}, "invalid_input"),
        ({"received_at": "2026-03-09T10:00:00+07:00", "working_days": "366"}, "invalid_input"),
        ({"received_at": "2026-03-09T10:00:00+07:00", "working_days": "ba"}, "invalid_input"),
        ({"working_days": "1"}, "invalid_input"),
        ({"received_at": "2026-03-09T10:00:00+07:00"}, "invalid_input"),
        ({"received_at": "2200-03-09T10:00:00+07:00", "working_days": "1"}, "out_of_range"),
        (
            {"received_at": "2026-03-09T10:00:00+07:00", "working_days": "1", "tz": "x"},
            "unknown_parameter",
        ),
    ],
)
def test_bad_input_is_a_400_with_an_api_error(params: dict[str, str], code: str) -> None:
    """Every mistake answers 400 with a stable code and messages in Vietnamese and English."""
    # when
    status, body = _due(Client(), **params)

    # then
    assert status == 400
    assert body["code"] == code
    assert body["message"]
    assert body["message_en"]


def test_working_days_of_2026() -> None:
    """2026 lists Tết, the swapped Mon 31-08 and an admin's day off; Sat 22-08 is worked."""
    # given
    calendar_override_set(date=dt.date(2026, 3, 10), kind="day_off", reason="Nghỉ bổ sung")

    # when
    response = Client().get(reverse("api-v1:calendar-working-days"), {"year": "2026"})

    # then
    assert response.status_code == 200
    body = response.json()
    days_off = {day["date"]: day["reason"] for day in body["days_off"]}
    assert body["year"] == 2026
    assert days_off["2026-02-17"] == "Tết Nguyên Đán"
    assert days_off["2026-08-31"] == "Ngày nghỉ (thay cho ngày 22/08/2026)"
    assert days_off["2026-03-10"] == "Nghỉ bổ sung"
    assert [day["date"] for day in body["make_up_working_days"]] == ["2026-08-22"]


@pytest.mark.parametrize(
    "params", [{}, {"year": "abc"}, {"year": "1800"}, {"year": "2026", "x": "1"}]
)
def test_working_days_bad_input(params: dict[str, str]) -> None:
    """A missing, malformed or out-of-range year, or an unknown parameter, is a 400."""
    # when
    response = Client().get(reverse("api-v1:calendar-working-days"), params)

    # then
    assert response.status_code == 400
    assert response.json()["code"] in {"invalid_input", "unknown_parameter"}
