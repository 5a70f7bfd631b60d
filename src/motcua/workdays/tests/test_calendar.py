"""Deadline arithmetic of `WorkCalendar`, checked against hand-computed dates (no database).

Office hours are 07:30–17:00 (34,200 seconds a day). Holidays are what the `holidays`
package returns (pinned in test_holiday_data.py): Tết 2026 Mon 16-02 … Fri 20-02; Tết 2025
Mon 27-01 … Sat 01-02; Sat 22-08-2026 is a make-up working day for Mon 31-08-2026; Tue 01-09
and Wed 02-09-2026 are National Day.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from motcua.workdays.calendar import (
    ERR_NEGATIVE_DAYS,
    ERR_NEGATIVE_SECONDS,
    WorkCalendar,
)
from motcua.workdays.tests.conftest import at, vietnam_calendar

# --- Tết ------------------------------------------------------------------------------------


def test_one_day_procedure_received_the_friday_before_tet_2026_is_due_after_tet(
    vn_calendar: WorkCalendar,
) -> None:
    """Fri 13-02-2026 + 1 working day skips the weekend, Tết (16–20) and the next weekend."""
    # when
    due = vn_calendar.due_at(at(2026, 2, 13, 10, 0), 1)

    # then
    assert due == at(2026, 2, 23, 17, 0)


def test_three_day_procedure_spans_tet_2026(vn_calendar: WorkCalendar) -> None:
    """Thu 12-02 + 3: Fri 13, Mon 23, Tue 24-02-2026."""
    # when
    due = vn_calendar.due_at(at(2026, 2, 12, 9, 0), 3)

    # then
    assert due == at(2026, 2, 24, 17, 0)


def test_dossier_received_during_tet_2026_counts_from_the_first_day_back(
    vn_calendar: WorkCalendar,
) -> None:
    """Received Wed 18-02 (Mùng hai): receipt counts Mon 23-02; N=0 → Mon 23, N=2 → Wed 25."""
    # given
    received = at(2026, 2, 18, 9, 0)

    # when / then
    assert vn_calendar.due_at(received, 0) == at(2026, 2, 23, 17, 0)
    assert vn_calendar.due_at(received, 2) == at(2026, 2, 25, 17, 0)


def test_tet_2025_one_minute_before_closing_counts_that_friday(vn_calendar: WorkCalendar) -> None:
    """Fri 24-01-2025 16:59 counts that day: + 1 → Mon 03-02-2025 (Tết 27-01 … 01-02)."""
    # when
    due = vn_calendar.due_at(at(2025, 1, 24, 16, 59), 1)

    # then
    assert due == at(2025, 2, 3, 17, 0)


def test_tet_2025_at_closing_time_counts_from_after_tet(vn_calendar: WorkCalendar) -> None:
    """Fri 24-01-2025 17:00 is after closing: receipt counts Mon 03-02, so + 1 → Tue 04-02."""
    # when
    due = vn_calendar.due_at(at(2025, 1, 24, 17, 0), 1)

    # then
    assert due == at(2025, 2, 4, 17, 0)


def test_five_day_procedure_spans_tet_2025(vn_calendar: WorkCalendar) -> None:
    """Thu 23-01-2025 + 5: Fri 24-01, Mon 03, Tue 04, Wed 05, Thu 06-02-2025."""
    # when
    due = vn_calendar.due_at(at(2025, 1, 23, 10, 0), 5)

    # then
    assert due == at(2025, 2, 6, 17, 0)


# --- make-up Saturday and swapped day 2026 --------------------------------------------------


def test_make_up_saturday_22_august_2026_is_a_working_day(vn_calendar: WorkCalendar) -> None:
    """Sat 22-08-2026 is worked (for Mon 31-08); Sat 29-08 is an ordinary weekend."""
    # when / then
    assert vn_calendar.is_working_day(dt.date(2026, 8, 22)) is True
    assert vn_calendar.is_working_day(dt.date(2026, 8, 29)) is False
    assert vn_calendar.is_working_day(dt.date(2026, 8, 31)) is False


def test_due_date_can_fall_on_the_make_up_saturday(vn_calendar: WorkCalendar) -> None:
    """Fri 21-08-2026 + 1 → Sat 22-08 (make-up day); + 2 → Mon 24-08."""
    # given
    received = at(2026, 8, 21, 10, 0)

    # when / then
    assert vn_calendar.due_at(received, 1) == at(2026, 8, 22, 17, 0)
    assert vn_calendar.due_at(received, 2) == at(2026, 8, 24, 17, 0)


def test_receipt_on_the_make_up_saturday_counts_that_day(vn_calendar: WorkCalendar) -> None:
    """Received Sat 22-08-2026 08:00, N=0 → due that Saturday at 17:00."""
    # when
    due = vn_calendar.due_at(at(2026, 8, 22, 8, 0), 0)

    # then
    assert due == at(2026, 8, 22, 17, 0)


def test_swapped_monday_and_national_day_2026_are_skipped(vn_calendar: WorkCalendar) -> None:
    """Fri 28-08-2026: Sat, Sun, Mon 31 (swapped), Tue 01, Wed 02-09 off → +1 Thu 03, +3 Mon 07."""
    # given
    received = at(2026, 8, 28, 10, 0)

    # when / then
    assert vn_calendar.due_at(received, 1) == at(2026, 9, 3, 17, 0)
    assert vn_calendar.due_at(received, 3) == at(2026, 9, 7, 17, 0)


# --- overrides (pure) -----------------------------------------------------------------------


def test_extra_day_off_beats_a_make_up_day_and_extra_working_day_beats_a_holiday() -> None:
    """Overrides win: Sat 22-08-2026 made a day off, Mon 31-08-2026 made a working day."""
    # given
    calendar = vietnam_calendar(
        [2026],
        extra_days_off={dt.date(2026, 8, 22)},
        extra_working_days={dt.date(2026, 8, 31)},
    )

    # when / then
    assert calendar.due_at(at(2026, 8, 21, 10, 0), 1) == at(2026, 8, 24, 17, 0)
    assert calendar.due_at(at(2026, 8, 28, 10, 0), 1) == at(2026, 8, 31, 17, 0)


# --- receipt time ---------------------------------------------------------------------------


def test_receipt_in_office_hours_counts_that_day(vn_calendar: WorkCalendar) -> None:
    """Mon 09-03-2026 10:00 + 1 → Tue 10-03 17:00 (the product rule's own example)."""
    # when
    due = vn_calendar.due_at(at(2026, 3, 9, 10, 0), 1)

    # then
    assert due == at(2026, 3, 10, 17, 0)
    assert due.utcoffset() == dt.timedelta(hours=7)


def test_receipt_after_closing_counts_the_next_working_day(vn_calendar: WorkCalendar) -> None:
    """Mon 09-03-2026 18:00 counts as Tue 10-03, so + 1 → Wed 11-03 17:00."""
    # when
    due = vn_calendar.due_at(at(2026, 3, 9, 18, 0), 1)

    # then
    assert due == at(2026, 3, 11, 17, 0)


def test_receipt_on_sunday_counts_monday(vn_calendar: WorkCalendar) -> None:
    """Sun 08-03-2026 11:00 counts as Mon 09-03, so + 1 → Tue 10-03 17:00."""
    # when
    due = vn_calendar.due_at(at(2026, 3, 8, 11, 0), 1)

    # then
    assert due == at(2026, 3, 10, 17, 0)


def test_receipt_before_opening_counts_that_day(vn_calendar: WorkCalendar) -> None:
    """Mon 09-03-2026 06:00 starts at 07:30 that Monday; + 1 → Tue 10-03."""
    # when / then
    assert vn_calendar.effective_start(at(2026, 3, 9, 6, 0)) == at(2026, 3, 9, 7, 30)
    assert vn_calendar.due_at(at(2026, 3, 9, 6, 0), 1) == at(2026, 3, 10, 17, 0)


def test_receipt_given_in_utc_is_judged_by_vietnam_office_hours(vn_calendar: WorkCalendar) -> None:
    """10:30 UTC is 17:30 in Vietnam: after closing on Mon 09-03, so + 1 → Wed 11-03."""
    # given
    received = dt.datetime(2026, 3, 9, 10, 30, tzinfo=dt.UTC)

    # when
    due = vn_calendar.due_at(received, 1)

    # then
    assert due == at(2026, 3, 11, 17, 0)
    assert due.isoformat() == "2026-03-11T17:00:00+07:00"


def test_effective_start(vn_calendar: WorkCalendar) -> None:
    """In hours: unchanged; at closing, on Saturday, before Tết: next working day's opening."""
    # when / then
    assert vn_calendar.effective_start(at(2026, 3, 9, 10, 0)) == at(2026, 3, 9, 10, 0)
    assert vn_calendar.effective_start(at(2026, 3, 9, 17, 0)) == at(2026, 3, 10, 7, 30)
    assert vn_calendar.effective_start(at(2026, 3, 14, 10, 0)) == at(2026, 3, 16, 7, 30)
    assert vn_calendar.effective_start(at(2026, 2, 13, 17, 30)) == at(2026, 2, 23, 7, 30)


def test_zero_working_days_is_due_at_closing_of_the_receipt_day(
    vn_calendar: WorkCalendar,
) -> None:
    """N=0: Mon 10:00 → Mon 17:00; Mon 18:00 → Tue 17:00; Sat 14-03 → Mon 16-03 17:00."""
    # when / then
    assert vn_calendar.due_at(at(2026, 3, 9, 10, 0), 0) == at(2026, 3, 9, 17, 0)
    assert vn_calendar.due_at(at(2026, 3, 9, 18, 0), 0) == at(2026, 3, 10, 17, 0)
    assert vn_calendar.due_at(at(2026, 3, 14, 10, 0), 0) == at(2026, 3, 16, 17, 0)


def test_office_hours_are_configurable() -> None:
    """With 08:00–16:30, a dossier is due at 16:30 and 16:45 is already after closing."""
    # given
    calendar = WorkCalendar(
        opens=dt.time(8, 0), closes=dt.time(16, 30), tz=timezone.get_default_timezone()
    )

    # when / then
    assert calendar.due_at(at(2026, 3, 9, 10, 0), 1) == at(2026, 3, 10, 16, 30)
    assert calendar.due_at(at(2026, 3, 9, 16, 45), 1) == at(2026, 3, 11, 16, 30)


# --- supplement pause -----------------------------------------------------------------------


def test_waiting_over_a_weekend_counts_only_office_hours(vn_calendar: WorkCalendar) -> None:
    """Fri 13-03 15:00 → Mon 16-03 09:00: Fri 2 h + Mon 1 h 30 = 12,600 s."""
    # when
    seconds = vn_calendar.working_seconds_between(at(2026, 3, 13, 15, 0), at(2026, 3, 16, 9, 0))

    # then
    assert seconds == 12_600


def test_working_seconds_between_whole_days_and_empty_spans(vn_calendar: WorkCalendar) -> None:
    """Mon 07:30 → Tue 17:00 and Fri 00:00 → Mon 23:59 are 2 full days (68,400 s); end ≤ start 0."""
    # when / then
    assert vn_calendar.working_seconds_between(at(2026, 3, 9, 7, 30), at(2026, 3, 10, 17)) == 68_400
    assert vn_calendar.working_seconds_between(at(2026, 3, 13), at(2026, 3, 16, 23, 59)) == 68_400
    assert vn_calendar.working_seconds_between(at(2026, 3, 10), at(2026, 3, 9)) == 0
    assert vn_calendar.working_seconds_between(at(2026, 3, 9, 9), at(2026, 3, 9, 9)) == 0


def test_waiting_across_tet_2026_skips_the_holiday(vn_calendar: WorkCalendar) -> None:
    """Fri 13-02 16:00 → Mon 23-02-2026 08:00: 1 h + 30 min = 5,400 s."""
    # when
    seconds = vn_calendar.working_seconds_between(at(2026, 2, 13, 16, 0), at(2026, 2, 23, 8, 0))

    # then
    assert seconds == 5_400


def test_due_time_is_pushed_back_by_the_waiting_time(vn_calendar: WorkCalendar) -> None:
    """Due Tue 17-03 17:00, paused 12,600 s (3 h 30): new due Wed 18-03 07:30 + 3 h 30 = 11:00."""
    # when
    new_due = vn_calendar.add_working_seconds(at(2026, 3, 17, 17, 0), 12_600)

    # then
    assert new_due == at(2026, 3, 18, 11, 0)


def test_adding_working_seconds_crosses_a_weekend(vn_calendar: WorkCalendar) -> None:
    """Fri 13-03 16:00 + 2 h: 1 h on Friday, 1 h from Mon 16-03 07:30 → Mon 08:30."""
    # when / then
    assert vn_calendar.add_working_seconds(at(2026, 3, 13, 16, 0), 7_200) == at(2026, 3, 16, 8, 30)
    # from a Saturday, the time starts on Monday morning
    assert vn_calendar.add_working_seconds(at(2026, 3, 14, 12, 0), 3_600) == at(2026, 3, 16, 8, 30)


def test_adding_exactly_the_rest_of_the_day_ends_at_closing(vn_calendar: WorkCalendar) -> None:
    """Fri 13-03 15:00 + 2 h is Fri 17:00, not Monday; + 0 s changes nothing."""
    # when / then
    assert vn_calendar.add_working_seconds(at(2026, 3, 13, 15, 0), 7_200) == at(2026, 3, 13, 17)
    assert vn_calendar.add_working_seconds(at(2026, 3, 14, 12, 0), 0) == at(2026, 3, 14, 12, 0)


# --- electronic hand-over -------------------------------------------------------------------


def test_electronic_dossier_before_15_00_is_handed_over_at_once(vn_calendar: WorkCalendar) -> None:
    """Mon 09-03-2026 14:59 → hand-over at 14:59."""
    # when / then
    assert vn_calendar.electronic_handover_at(at(2026, 3, 9, 14, 59)) == at(2026, 3, 9, 14, 59)


def test_electronic_dossier_from_15_00_waits_for_the_next_working_morning(
    vn_calendar: WorkCalendar,
) -> None:
    """Mon 15:00 → Tue 07:30; Fri 15:30 → Mon 07:30; Sat → Mon 07:30; before Tết → 23-02."""
    # when / then
    assert vn_calendar.electronic_handover_at(at(2026, 3, 9, 15, 0)) == at(2026, 3, 10, 7, 30)
    assert vn_calendar.electronic_handover_at(at(2026, 3, 13, 15, 30)) == at(2026, 3, 16, 7, 30)
    assert vn_calendar.electronic_handover_at(at(2026, 3, 14, 10, 0)) == at(2026, 3, 16, 7, 30)
    assert vn_calendar.electronic_handover_at(at(2026, 2, 13, 16, 0)) == at(2026, 2, 23, 7, 30)
    # the next working morning may be the make-up Saturday
    assert vn_calendar.electronic_handover_at(at(2026, 8, 21, 15, 10)) == at(2026, 8, 22, 7, 30)


# --- exceptions of a year -------------------------------------------------------------------


def test_exceptions_of_2026_list_holidays_and_the_make_up_saturday(
    vn_calendar: WorkCalendar,
) -> None:
    """Named days off (even on a Sunday) and make-up days are listed; plain weekends are not."""
    # when
    exceptions = vn_calendar.exceptions_in_year(2026)

    # then
    days_off = [day.date for day in exceptions.days_off]
    assert [day.date for day in exceptions.make_up_working_days] == [dt.date(2026, 8, 22)]
    assert dt.date(2026, 2, 16) in days_off
    assert dt.date(2026, 4, 26) in days_off  # Giỗ Tổ Hùng Vương, a Sunday
    assert dt.date(2026, 8, 31) in days_off
    assert dt.date(2026, 3, 14) not in days_off  # an ordinary Saturday
    assert len(days_off) == 14


# --- validation -----------------------------------------------------------------------------


def test_naive_datetimes_are_refused(vn_calendar: WorkCalendar) -> None:
    """A moment without a zone is ambiguous: every entry point says so."""
    # given
    naive = dt.datetime(2026, 3, 9, 10, 0)

    # when / then
    with pytest.raises(ValueError, match="received_at must be a timezone-aware datetime"):
        vn_calendar.due_at(naive, 1)
    with pytest.raises(ValueError, match="received_at must be a timezone-aware datetime"):
        vn_calendar.effective_start(naive)
    with pytest.raises(ValueError, match="received_at must be a timezone-aware datetime"):
        vn_calendar.electronic_handover_at(naive)
    with pytest.raises(ValueError, match="end must be a timezone-aware datetime"):
        vn_calendar.working_seconds_between(at(2026, 3, 9), naive)
    with pytest.raises(ValueError, match="moment must be a timezone-aware datetime"):
        vn_calendar.add_working_seconds(naive, 60)


def test_negative_counts_are_refused(vn_calendar: WorkCalendar) -> None:
    """Negative working days or seconds are a caller's mistake, not "earlier"."""
    # when / then
    with pytest.raises(ValueError, match=re.escape(ERR_NEGATIVE_DAYS.format(value=-1))):
        vn_calendar.due_at(at(2026, 3, 9, 10, 0), -1)
    with pytest.raises(ValueError, match=re.escape(ERR_NEGATIVE_SECONDS.format(value=-5))):
        vn_calendar.add_working_seconds(at(2026, 3, 9, 10, 0), -5)


def test_wrong_types_and_office_hours_are_refused(vn_calendar: WorkCalendar) -> None:
    """A datetime is not a date; a day count is not a float; opening must precede closing."""
    # when / then
    with pytest.raises(TypeError):
        vn_calendar.is_working_day(at(2026, 3, 9, 10, 0))
    with pytest.raises(TypeError):
        vn_calendar.due_at(at(2026, 3, 9, 10, 0), 1.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="must be earlier than closing time"):
        WorkCalendar(
            opens=dt.time(17, 0), closes=dt.time(7, 30), tz=timezone.get_default_timezone()
        )
