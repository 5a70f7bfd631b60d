"""The calendar rules mutation testing found unguarded (docs/mutation.md): years loaded when
first asked about, the reasons users see, office hours passed through, office time carried
over several days, and the errors that name what was wrong. No database."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from motcua.workdays.calendar import (
    PublicHolidays,
    WorkCalendar,
    vietnam_public_holidays,
)
from motcua.workdays.selectors import office_hours
from motcua.workdays.tests.conftest import at, vietnam_calendar

OFFICE_DAY = 34_200  # 07:30–17:00


# --- years read on demand -----------------------------------------------------------------


def calendar_of(**options: Any) -> WorkCalendar:
    """A calendar with the settings' office hours and zone unless the test gives its own."""
    opens, closes = office_hours()
    return WorkCalendar(
        **{"opens": opens, "closes": closes, "tz": timezone.get_default_timezone(), **options}
    )


def test_a_year_outside_the_loaded_range_is_read_when_first_asked_about() -> None:
    # given a calendar built for 2026 only
    calendar = vietnam_calendar([2026])
    # when / then: National Day 2027 (a Thursday) and the make-up Saturday of 2019 are known
    assert not calendar.is_working_day(dt.date(2027, 9, 2))
    assert calendar.is_working_day(dt.date(2019, 1, 5))
    assert calendar.is_working_day(dt.date(2027, 9, 6))


def test_a_year_read_on_demand_shows_its_reasons() -> None:
    # given
    calendar = vietnam_calendar([2026])
    # when
    year = calendar.exceptions_in_year(2019)
    # then
    assert year.year == 2019
    reasons = {d.date: d.reason for d in year.make_up_working_days}
    assert reasons[dt.date(2019, 1, 5)] == "Ngày làm bù (cho ngày nghỉ 31/12/2018)"
    days_off = {d.date: d.reason for d in year.days_off}
    assert days_off[dt.date(2019, 9, 2)] == "Quốc khánh"


def test_each_year_is_read_once() -> None:
    # given a loader that counts its calls
    calls: list[int] = []

    def load(year: int) -> PublicHolidays:
        calls.append(year)
        return PublicHolidays(days_off={dt.date(year, 5, 19): "Ngày nghỉ"}, make_up_working_days={})

    calendar = calendar_of(load_year=load)
    # when
    first = calendar.is_working_day(dt.date(2031, 5, 19))
    second = calendar.is_working_day(dt.date(2031, 5, 20))
    # then
    assert (first, second) == (False, True)
    assert calls == [2031]


def test_a_swap_across_new_year_is_found_from_the_year_after() -> None:
    """31-12-2018 off "thay cho ngày 05/01/2019": reading 2019 alone finds the make-up day."""
    assert dt.date(2019, 1, 5) in vietnam_public_holidays([2019]).make_up_working_days


def test_no_years_means_no_holidays() -> None:
    assert vietnam_public_holidays([]) == PublicHolidays(days_off={}, make_up_working_days={})


# --- reasons and office hours -------------------------------------------------------------


def test_reasons_of_holidays_make_up_days_and_overrides_are_shown() -> None:
    # given a storm day decreed off on top of Vietnam's holidays
    storm = dt.date(2026, 9, 7)
    calendar = vietnam_calendar([2026], extra_days_off=[storm], reasons={storm: "Nghỉ do bão số 7"})
    # when
    year = calendar.exceptions_in_year(2026)
    # then
    days_off = {d.date: d.reason for d in year.days_off}
    assert days_off[dt.date(2026, 2, 16)] == "Giao thừa Tết Nguyên Đán"
    assert days_off[storm] == "Nghỉ do bão số 7"
    assert {d.date: d.reason for d in year.make_up_working_days} == {
        dt.date(2026, 8, 22): "Ngày làm bù (cho ngày nghỉ 31/08/2026)"
    }


def test_a_day_without_a_reason_shows_an_empty_one() -> None:
    calendar = calendar_of(extra_days_off=[dt.date(2026, 3, 4)], extra_working_days=[])
    year = calendar.exceptions_in_year(2026)
    assert [(d.date, d.reason) for d in year.days_off] == [(dt.date(2026, 3, 4), "")]
    saturday = calendar_of(extra_working_days=[dt.date(2026, 3, 7)]).exceptions_in_year(2026)
    assert [(d.date, d.reason) for d in saturday.make_up_working_days] == [
        (dt.date(2026, 3, 7), "")
    ]


def test_the_provinces_office_hours_reach_the_deadline() -> None:
    # given a province open 08:00–16:30
    calendar = vietnam_calendar([2026], opens=dt.time(8, 0), closes=dt.time(16, 30))
    # when / then: due at its closing time, and 07:45 counts from its opening
    assert calendar.due_at(at(2026, 3, 2, 9, 0), 1) == at(2026, 3, 3, 16, 30)
    assert calendar.effective_start(at(2026, 3, 2, 7, 45)) == at(2026, 3, 2, 8, 0)


def test_opening_and_closing_at_the_same_time_is_refused() -> None:
    with pytest.raises(
        ValueError,
        match=r"^Opening time \(08:00:00\) must be earlier than closing time \(08:00:00\)\.$",
    ):
        calendar_of(opens=dt.time(8, 0), closes=dt.time(8, 0))


# --- moments ------------------------------------------------------------------------------


def test_a_moment_in_another_zone_is_judged_in_vietnam_time() -> None:
    """16:00 UTC on Fri 13-02-2026 is 23:00 in Hải Phòng: after closing, so the clock starts
    after Tết, whatever the server's own zone."""
    moment = dt.datetime(2026, 2, 13, 16, 0, tzinfo=dt.UTC)
    calendar = vietnam_calendar([2026])
    assert calendar.effective_start(moment) == at(2026, 2, 23, 7, 30)


def test_office_time_carried_over_several_days() -> None:
    """Thu 12-02-2026 12:00 + 5 h (the rest of Thursday) + a full Friday + 1 h: Tết and the
    weekends are skipped, 08:30 on Mon 23-02."""
    calendar = vietnam_calendar([2026])
    result = calendar.add_working_seconds(at(2026, 2, 12, 12, 0), 5 * 3600 + OFFICE_DAY + 3600)
    assert result == at(2026, 2, 23, 8, 30)


def test_a_calendar_with_no_working_day_says_so() -> None:
    first = dt.date(2026, 1, 1)
    every_day = [first + dt.timedelta(days=n) for n in range(400)]
    calendar = calendar_of(extra_days_off=every_day)
    with pytest.raises(ValueError) as error:
        calendar.next_working_day(first)
    assert str(error.value) == (
        "No working day within 366 days after 2026-01-01: check the calendar overrides."
    )


# --- what was wrong, named ------------------------------------------------------------------


@pytest.mark.parametrize("method", ["is_working_day", "next_working_day"])
def test_a_datetime_given_for_a_day_is_named(method: str) -> None:
    calendar = calendar_of()
    with pytest.raises(TypeError) as error:
        getattr(calendar, method)(at(2026, 3, 2, 9, 0))
    assert str(error.value) == "day must be a date (not a datetime), got datetime."


def test_a_date_given_for_a_moment_is_named() -> None:
    with pytest.raises(TypeError) as error:
        calendar_of().due_at(dt.date(2026, 3, 2), 1)  # type: ignore[arg-type]
    assert str(error.value) == "received_at must be a datetime, got date."


def test_a_naive_start_is_named_with_its_value() -> None:
    with pytest.raises(ValueError) as error:
        calendar_of().working_seconds_between(dt.datetime(2026, 3, 2, 9, 0), at(2026, 3, 3))
    assert str(error.value) == (
        "start must be a timezone-aware datetime (e.g. 2026-02-13T10:00:00+07:00); got the "
        "naive datetime 2026-03-02T09:00:00."
    )


class _NoOffset(dt.tzinfo):
    """A zone object that does not know its offset: the datetime is naive in Python's terms."""

    def utcoffset(self, moment: dt.datetime | None) -> None:
        return None

    def dst(self, moment: dt.datetime | None) -> None:
        return None

    def tzname(self, moment: dt.datetime | None) -> str:
        return "?"


def test_a_zone_without_an_offset_is_naive() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        calendar_of().due_at(dt.datetime(2026, 3, 2, 9, 0, tzinfo=_NoOffset()), 1)


@pytest.mark.parametrize(("days", "type_name"), [(1.5, "float"), ("3", "str"), (True, "bool")])
def test_working_days_must_be_a_whole_number(days: object, type_name: str) -> None:
    with pytest.raises(TypeError) as error:
        calendar_of().due_at(at(2026, 3, 2, 9, 0), days)  # type: ignore[arg-type]
    assert str(error.value) == f"working_days must be an integer, got {type_name}."


@pytest.mark.parametrize(
    ("moment", "open_"),
    [
        (at(2026, 3, 2, 7, 29), False),  # Monday, a minute before opening
        (at(2026, 3, 2, 7, 30), True),
        (at(2026, 3, 2, 16, 59), True),
        (at(2026, 3, 2, 17, 0), False),  # closing time is already closed
        (at(2026, 3, 7, 9, 0), False),  # Saturday
        (at(2026, 8, 22, 9, 0), True),  # the make-up Saturday
        (at(2026, 2, 17, 9, 0), False),  # Tết
        (dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC), True),  # 09:00 in Hải Phòng
    ],
)
def test_office_hours(moment: dt.datetime, open_: bool) -> None:
    assert vietnam_calendar([2026]).is_office_hours(moment) is open_
