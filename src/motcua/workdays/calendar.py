"""Working-day arithmetic for one-stop deadlines: pure code over sets of dates, no database.

`WorkCalendar` answers "is this a working day?", "when does the clock start?" and "when is
this dossier due?"; `vietnam_public_holidays` reads Vietnam's public holidays (and the
make-up working Saturdays hidden in their labels) from the PyPI `holidays` package.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import holidays as holidays_package

# Office hours and the time zone are not defined here: they are the settings
# MOTCUA_OFFICE_OPENS / MOTCUA_OFFICE_CLOSES and TIME_ZONE, which `selectors` passes in.
# Decree 118/2025 Art. 18 as provinces apply it: electronic dossiers received after 15:00
# go to the processing agency at the start of the next working day.
ELECTRONIC_HANDOVER_CUTOFF = dt.time(15, 0)
# Years for which the `holidays` package knows Vietnam's (lunar) holidays.
HOLIDAY_DATA_FIRST_YEAR = 1901
HOLIDAY_DATA_LAST_YEAR = 2100

ERR_NOT_DATETIME = "{name} must be a datetime, got {type_name}."
ERR_NAIVE_DATETIME = (
    "{name} must be a timezone-aware datetime (e.g. 2026-02-13T10:00:00+07:00); got the "
    "naive datetime {value}."
)
ERR_NOT_DATE = "{name} must be a date (not a datetime), got {type_name}."
ERR_NOT_INT = "working_days must be an integer, got {type_name}."
ERR_NEGATIVE_DAYS = "working_days must be zero or more, got {value}."
ERR_NEGATIVE_SECONDS = "seconds must be zero or more, got {value}."
ERR_OFFICE_HOURS = "Opening time ({opens}) must be earlier than closing time ({closes})."
ERR_NO_WORKING_DAY = "No working day within {limit} days after {day}: check the calendar overrides."

# A day off swapped with a weekend day is labelled "Ngày nghỉ (thay cho ngày dd/mm/yyyy)";
# the date inside the label is the make-up working day (usually a Saturday).
_SWAP_LABEL = re.compile(r"thay cho ngày\s+(\d{1,2})/(\d{1,2})/(\d{4})")
_MAKE_UP_REASON = "Ngày làm bù (cho ngày nghỉ {day_off:%d/%m/%Y})"
# More consecutive days off than this means the calendar data is broken, not a long holiday.
_MAX_CONSECUTIVE_DAYS_OFF = 366


@dataclass(frozen=True)
class PublicHolidays:
    """Vietnam's public days off and the make-up working days decreed to swap with them."""

    days_off: Mapping[dt.date, str]
    make_up_working_days: Mapping[dt.date, str]


@dataclass(frozen=True)
class CalendarDay:
    """One exceptional day of a year, with the reason shown to users."""

    date: dt.date
    reason: str


@dataclass(frozen=True)
class YearExceptions:
    """What differs from "Monday to Friday" in one year."""

    year: int
    days_off: list[CalendarDay]
    make_up_working_days: list[CalendarDay]


def make_up_days_in_label(label: str) -> list[dt.date]:
    """Make-up working days named in a label such as "Ngày nghỉ (thay cho ngày 22/08/2026)"."""
    found = []
    for day, month, year in _SWAP_LABEL.findall(unicodedata.normalize("NFC", label)):
        found.append(dt.date(int(year), int(month), int(day)))
    return found


def vietnam_public_holidays(years: Iterable[int]) -> PublicHolidays:
    """Public holidays of the given years and the make-up working days falling in them.

    A swap label may point across New Year (31-12-2018 off "thay cho ngày 05/01/2019"), so
    the neighbouring years are read too and only dates inside `years` are kept: loading one
    year at a time gives the same answer as loading a range.
    """
    wanted = set(years)
    if not wanted:
        return PublicHolidays(days_off={}, make_up_working_days={})
    to_read = range(min(wanted) - 1, max(wanted) + 2)
    source = holidays_package.country_holidays("VN", language="vi", years=to_read)
    days_off: dict[dt.date, str] = {}
    make_up: dict[dt.date, str] = {}
    for day_off, label in sorted(source.items()):
        if day_off.year in wanted:
            days_off[day_off] = label
        for working_day in make_up_days_in_label(label):
            if working_day.year in wanted:
                make_up[working_day] = _MAKE_UP_REASON.format(day_off=day_off)
    return PublicHolidays(days_off=days_off, make_up_working_days=make_up)


class WorkCalendar:
    """Working days and office hours, and the deadline arithmetic built on them.

    A day is a working day unless it is a weekend day or a holiday; `extra_working_days`
    (make-up days, administrators' overrides) beat weekends and holidays, and
    `extra_days_off` beat everything. With `load_year`, holidays of years outside `years`
    are fetched the first time a date there is asked about; `extra_*` still win over them.
    """

    def __init__(
        self,
        holidays: Iterable[dt.date] = (),
        extra_working_days: Iterable[dt.date] = (),
        extra_days_off: Iterable[dt.date] = (),
        *,
        opens: dt.time,
        closes: dt.time,
        tz: dt.tzinfo,
        reasons: Mapping[dt.date, str] | None = None,
        years: Iterable[int] = (),
        load_year: Callable[[int], PublicHolidays] | None = None,
    ) -> None:
        if opens >= closes:
            raise ValueError(ERR_OFFICE_HOURS.format(opens=opens, closes=closes))
        self.opens = opens
        self.closes = closes
        self.tz = tz
        self._holidays: set[dt.date] = set(holidays)
        self._working: set[dt.date] = set(extra_working_days)
        self._off: frozenset[dt.date] = frozenset(extra_days_off)
        self._reasons: dict[dt.date, str] = dict(reasons or {})
        self._years: set[int] = set(years)
        self._load_year = load_year
        self._lock = threading.Lock()

    @classmethod
    def for_vietnam(
        cls,
        years: Iterable[int],
        *,
        extra_working_days: Iterable[dt.date] = (),
        extra_days_off: Iterable[dt.date] = (),
        reasons: Mapping[dt.date, str] | None = None,
        opens: dt.time,
        closes: dt.time,
        tz: dt.tzinfo,
    ) -> WorkCalendar:
        """Vietnam's public holidays and make-up days for `years` (more loaded on demand),
        with overrides given as `extra_*` and their `reasons`."""
        years = set(years)
        public = vietnam_public_holidays(years)
        return cls(
            holidays=public.days_off,
            extra_working_days=set(public.make_up_working_days) | set(extra_working_days),
            extra_days_off=extra_days_off,
            opens=opens,
            closes=closes,
            tz=tz,
            reasons={**public.days_off, **public.make_up_working_days, **(reasons or {})},
            years=years,
            load_year=lambda year: vietnam_public_holidays([year]),
        )

    # --- days -------------------------------------------------------------------------

    def is_working_day(self, day: dt.date) -> bool:
        _check_date(day, "day")
        self._ensure_year(day.year)
        if day in self._off:
            return False
        if day in self._working:
            return True
        if day in self._holidays:
            return False
        return day.weekday() < 5

    def next_working_day(self, day: dt.date) -> dt.date:
        """The first working day strictly after `day`."""
        _check_date(day, "day")
        candidate = day
        for _ in range(_MAX_CONSECUTIVE_DAYS_OFF):
            candidate += dt.timedelta(days=1)
            if self.is_working_day(candidate):
                return candidate
        raise ValueError(ERR_NO_WORKING_DAY.format(limit=_MAX_CONSECUTIVE_DAYS_OFF, day=day))

    def opening_on(self, day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, self.opens, tzinfo=self.tz)

    def closing_on(self, day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, self.closes, tzinfo=self.tz)

    def exceptions_in_year(self, year: int) -> YearExceptions:
        """Days off other than plain weekends, and working days that are weekends or holidays."""
        self._ensure_year(year)
        days_off: list[CalendarDay] = []
        working: list[CalendarDay] = []
        day = dt.date(year, 1, 1)
        while day.year == year:
            weekend = day.weekday() >= 5
            holiday = day in self._holidays
            if self.is_working_day(day):
                if weekend or holiday:
                    working.append(CalendarDay(day, self._reasons.get(day, "")))
            elif not weekend or holiday or day in self._off:
                days_off.append(CalendarDay(day, self._reasons.get(day, "")))
            day += dt.timedelta(days=1)
        return YearExceptions(year=year, days_off=days_off, make_up_working_days=working)

    # --- moments ------------------------------------------------------------------------

    def is_office_hours(self, moment: dt.datetime) -> bool:
        local = self._local(moment, "moment")
        return self.is_working_day(local.date()) and self.opens <= local.time() < self.closes

    def effective_start(self, received_at: dt.datetime) -> dt.datetime:
        """When the clock starts for something received at `received_at`.

        Within office hours on a working day: that moment. Before opening on a working day:
        opening that day. At or after closing, or on a day off: opening of the next working day.
        """
        local = self._local(received_at, "received_at")
        day = local.date()
        if self.is_working_day(day):
            if local.time() < self.opens:
                return self.opening_on(day)
            if local.time() < self.closes:
                return local
        return self.opening_on(self.next_working_day(day))

    def due_at(self, received_at: dt.datetime, working_days: int) -> dt.datetime:
        """Closing time of the `working_days`-th working day after the day receipt counts from.

        Receipt on a working day before closing counts from that day; otherwise from the next
        working day. With 0 working days a dossier is due at closing time of that day.
        """
        _check_working_days(working_days)
        day = self.effective_start(received_at).date()
        for _ in range(working_days):
            day = self.next_working_day(day)
        return self.closing_on(day)

    def working_seconds_between(self, start: dt.datetime, end: dt.datetime) -> int:
        """Whole seconds of office hours on working days between `start` and `end`."""
        start = self._local(start, "start")
        end = self._local(end, "end")
        if end <= start:
            return 0
        total = dt.timedelta(0)
        day = start.date()
        while day <= end.date():
            if self.is_working_day(day):
                low = max(start, self.opening_on(day))
                high = min(end, self.closing_on(day))
                if high > low:
                    total += high - low
            day += dt.timedelta(days=1)
        return int(total.total_seconds())

    def add_working_seconds(self, moment: dt.datetime, seconds: float) -> dt.datetime:
        """The moment `seconds` of office time after `moment`, skipping nights and days off.

        Used to push a due time back by the working time a dossier spent waiting for the
        applicant. Time that fills a day exactly ends at that day's closing time.
        """
        local = self._local(moment, "moment")
        if seconds < 0:
            raise ValueError(ERR_NEGATIVE_SECONDS.format(value=seconds))
        if seconds == 0:
            return local
        remaining = dt.timedelta(seconds=seconds)
        cursor = self.effective_start(local)
        while True:
            available = self.closing_on(cursor.date()) - cursor
            if remaining <= available:
                return cursor + remaining
            remaining -= available
            cursor = self.opening_on(self.next_working_day(cursor.date()))

    def electronic_handover_at(
        self, received_at: dt.datetime, cutoff: dt.time = ELECTRONIC_HANDOVER_CUTOFF
    ) -> dt.datetime:
        """When an electronic dossier must reach the processing agency.

        Received on a working day before `cutoff`: at once. At or after `cutoff`, or on a day
        off: at opening time of the next working day.
        """
        local = self._local(received_at, "received_at")
        if self.is_working_day(local.date()) and local.time() < cutoff:
            return local
        return self.opening_on(self.next_working_day(local.date()))

    # --- helpers ------------------------------------------------------------------------

    def _local(self, moment: dt.datetime, name: str) -> dt.datetime:
        if not isinstance(moment, dt.datetime):
            raise TypeError(ERR_NOT_DATETIME.format(name=name, type_name=type(moment).__name__))
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError(ERR_NAIVE_DATETIME.format(name=name, value=moment.isoformat()))
        return moment.astimezone(self.tz)

    def _ensure_year(self, year: int) -> None:
        if self._load_year is None or year in self._years:
            return
        with self._lock:
            if year in self._years:
                return
            public = self._load_year(year)
            for day, reason in {**public.days_off, **public.make_up_working_days}.items():
                self._reasons.setdefault(day, reason)
            self._holidays.update(public.days_off)
            self._working.update(public.make_up_working_days)
            # Marked last, so a reader that sees the year as loaded also sees its dates.
            self._years.add(year)


def _check_date(day: object, name: str) -> None:
    if isinstance(day, dt.datetime) or not isinstance(day, dt.date):
        raise TypeError(ERR_NOT_DATE.format(name=name, type_name=type(day).__name__))


def _check_working_days(working_days: object) -> None:
    if isinstance(working_days, bool) or not isinstance(working_days, int):
        raise TypeError(ERR_NOT_INT.format(type_name=type(working_days).__name__))
    if working_days < 0:
        raise ValueError(ERR_NEGATIVE_DAYS.format(value=working_days))
