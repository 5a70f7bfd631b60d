"""Pins what the `holidays` package says about Vietnam, the data every deadline depends on."""

from __future__ import annotations

import datetime as dt

from motcua.workdays.calendar import (
    make_up_days_in_label,
    vietnam_public_holidays,
)
from motcua.workdays.tests.conftest import vietnam_calendar


def _days_off_between(first: dt.date, last: dt.date) -> list[dt.date]:
    public = vietnam_public_holidays([first.year])
    return sorted(day for day in public.days_off if first <= day <= last)


def test_tet_2026_is_monday_16_to_friday_20_february() -> None:
    """Tết Bính Ngọ 2026: the package gives Mon 16-02 (Giao thừa) to Fri 20-02 (Mùng bốn)."""
    # given / when
    days = _days_off_between(dt.date(2026, 2, 1), dt.date(2026, 2, 28))

    # then
    assert days == [dt.date(2026, 2, d) for d in (16, 17, 18, 19, 20)]


def test_tet_2025_is_monday_27_january_to_saturday_1_february() -> None:
    """Tết Ất Tỵ 2025: the package gives Mon 27-01 (29 Tết) to Sat 01-02 (Mùng bốn)."""
    # given / when
    days = _days_off_between(dt.date(2025, 1, 20), dt.date(2025, 2, 10))

    # then
    assert days == [
        dt.date(2025, 1, 27),
        dt.date(2025, 1, 28),
        dt.date(2025, 1, 29),
        dt.date(2025, 1, 30),
        dt.date(2025, 1, 31),
        dt.date(2025, 2, 1),
    ]


def test_swap_labels_give_the_make_up_saturdays() -> None:
    """Days off "thay cho ngày dd/mm/yyyy" name the Saturday worked instead, all read as dates."""
    # given / when
    make_up_2026 = vietnam_public_holidays([2026]).make_up_working_days
    make_up_2025 = vietnam_public_holidays([2025]).make_up_working_days
    make_up_2024 = vietnam_public_holidays([2024]).make_up_working_days

    # then: Mon 31-08-2026 off for Sat 22-08-2026; Fri 02-05-2025 for Sat 26-04-2025;
    # Mon 29-04-2024 for Sat 04-05-2024
    assert sorted(make_up_2026) == [dt.date(2026, 8, 22)]
    assert sorted(make_up_2025) == [dt.date(2025, 4, 26)]
    assert sorted(make_up_2024) == [dt.date(2024, 5, 4)]
    assert dt.date(2026, 8, 31) in vietnam_public_holidays([2026]).days_off


def test_a_swap_across_new_year_is_found_from_either_year() -> None:
    """Mon 31-12-2018 was off "thay cho ngày 05/01/2019": loading 2019 alone finds Sat 05-01."""
    # given
    calendar = vietnam_calendar([2019])

    # when / then
    assert calendar.is_working_day(dt.date(2019, 1, 5)) is True
    assert calendar.is_working_day(dt.date(2018, 12, 31)) is False  # loaded on demand
    assert calendar.is_working_day(dt.date(2019, 4, 27)) is False  # an ordinary Saturday
    assert calendar.is_working_day(dt.date(2019, 5, 4)) is True  # for Mon 29-04-2019


def test_label_parser_reads_day_month_year() -> None:
    """The label's date is dd/mm/yyyy, not the US order the English labels use."""
    # when / then
    assert make_up_days_in_label("Ngày nghỉ (thay cho ngày 05/01/2019)") == [dt.date(2019, 1, 5)]
    assert make_up_days_in_label("Quốc khánh (nghỉ bù)") == []
