"""Public calendar endpoints: when is a dossier due, and which days are off in a year."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Schema

from motcua.common.errors import ApiError, reject_unknown_params
from motcua.org.apiauth import PUBLIC
from motcua.workdays.calendar import HOLIDAY_DATA_FIRST_YEAR, HOLIDAY_DATA_LAST_YEAR
from motcua.workdays.selectors import get_calendar

router = Router(tags=["calendar"])

MAX_WORKING_DAYS = 365
# A due date may lie up to ~1.5 years after receipt: keep it inside the holiday data.
LAST_RECEIPT_YEAR = HOLIDAY_DATA_LAST_YEAR - 2
# "+07:00" sent unencoded in a query string arrives as " 07:00".
_OFFSET_SENT_AS_SPACE = re.compile(r" (\d{2}(?::?\d{2})?)$")


class DueOut(Schema):
    due_at: str


class CalendarDayOut(Schema):
    date: dt.date
    reason: str


class WorkingDaysOut(Schema):
    year: int
    days_off: list[CalendarDayOut]
    make_up_working_days: list[CalendarDayOut]


@router.get(
    "/due",
    response=DueOut,
    auth=PUBLIC,
    url_name="calendar-due",
    summary="Due date of a dossier",
    description=(
        "A dossier received on a working day before closing time counts from that day; one "
        "received after closing or on a day off counts from the opening of the next working "
        "day. A procedure of N working days is due at closing time of the N-th working day "
        "after the day of receipt. `received_at` is ISO 8601 with a zone (encode `+` as `%2B`)."
    ),
)
def due(
    request: HttpRequest,
    received_at: str,
    working_days: Annotated[int, Query(ge=0, le=MAX_WORKING_DAYS)],
) -> dict[str, str]:
    reject_unknown_params(request.GET, {"received_at", "working_days"})
    moment = _parse_received_at(received_at)
    due_at = get_calendar().due_at(moment, working_days)
    return {"due_at": due_at.isoformat()}


@router.get(
    "/working-days",
    response=WorkingDaysOut,
    auth=PUBLIC,
    url_name="calendar-working-days",
    summary="Days off and make-up working days of a year",
    description=(
        "Days off other than ordinary weekends (public holidays, swapped days, administrators' "
        "extra days off) and working days that fall on a weekend or holiday (make-up days)."
    ),
)
def working_days(
    request: HttpRequest,
    year: Annotated[int, Query(ge=HOLIDAY_DATA_FIRST_YEAR, le=HOLIDAY_DATA_LAST_YEAR)],
) -> WorkingDaysOut:
    reject_unknown_params(request.GET, {"year"})
    exceptions = get_calendar().exceptions_in_year(year)
    return WorkingDaysOut(
        year=year,
        days_off=[CalendarDayOut(date=d.date, reason=d.reason) for d in exceptions.days_off],
        make_up_working_days=[
            CalendarDayOut(date=d.date, reason=d.reason) for d in exceptions.make_up_working_days
        ],
    )


def _parse_received_at(text: str) -> dt.datetime:
    text = _OFFSET_SENT_AS_SPACE.sub(r"+\1", text.strip())
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ApiError(
            "invalid_datetime",
            _("received_at is not a valid ISO 8601 date-time (e.g. 2026-02-13T10:00:00+07:00)."),
            errors=[{"field": "received_at", "message": "invalid date-time"}],
        ) from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ApiError(
            "missing_timezone",
            _("received_at must include a time zone (e.g. +07:00 or Z)."),
            errors=[{"field": "received_at", "message": "time zone required"}],
        )
    if not HOLIDAY_DATA_FIRST_YEAR <= moment.year <= LAST_RECEIPT_YEAR:
        raise ApiError(
            "out_of_range",
            _("received_at must fall in the years {HOLIDAY_DATA_FIRST_YEAR}–{LAST_RECEIPT_YEAR}."),
            HOLIDAY_DATA_FIRST_YEAR=HOLIDAY_DATA_FIRST_YEAR,
            LAST_RECEIPT_YEAR=LAST_RECEIPT_YEAR,
            errors=[{"field": "received_at", "message": "year out of range"}],
        )
    return moment
