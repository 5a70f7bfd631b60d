"""The periods a dashboard is read for: the one chosen (the service index's period syntax), the
one before it to compare with, and the months of its trend."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from motcua.indices.service import Period, parse_period

TREND_MONTHS = 12


def current_quarter(today: dt.date) -> str:
    return f"{today.year}-Q{(today.month - 1) // 3 + 1}"


def chosen(query: Mapping[str, str], today: dt.date) -> Period:
    """The period of a dashboard's query: a custom range from `from` and `to` (dates), or
    `period` (YYYY, YYYY-Qn, YYYY-MM or A..B), by default the current quarter so far. A
    malformed, reversed or future period is the service index's ApiError."""
    first, last = (query.get("from") or "").strip(), (query.get("to") or "").strip()
    if first or last:
        return parse_period(f"{first}..{last}", today=today)
    return parse_period(query.get("period") or current_quarter(today), today=today)


def _shift_month(year: int, month: int, by: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + by
    return index // 12, index % 12 + 1


def previous(period: Period, today: dt.date) -> Period:
    """The period just before: the year, quarter or month before, or for a custom range the
    same number of days ending the day before it starts."""
    label = period.label
    if len(label) == 4:
        text = str(int(label) - 1)
    elif "-Q" in label:
        year, quarter = int(label[:4]), int(label[-1])
        text = f"{year - 1}-Q4" if quarter == 1 else f"{year}-Q{quarter - 1}"
    elif len(label) == 7:
        year, month = _shift_month(int(label[:4]), int(label[5:7]), -1)
        text = f"{year:04d}-{month:02d}"
    else:
        days = (period.last - period.first).days + 1
        last = period.first - dt.timedelta(days=1)
        text = f"{(last - dt.timedelta(days=days - 1)).isoformat()}..{last.isoformat()}"
    return parse_period(text, today=today)


def trend_months(last: dt.date, months: int = TREND_MONTHS) -> list[dt.date]:
    """The first days of the `months` months ending with the month of `last`."""
    year, month = last.year, last.month
    result = []
    for back in range(months - 1, -1, -1):
        y, m = _shift_month(year, month, -back)
        result.append(dt.date(y, m, 1))
    return result


def months_of(period: Period) -> list[dt.date]:
    """The first days of the months the period touches."""
    result = []
    month = period.first.replace(day=1)
    while month <= period.last:
        result.append(month)
        y, m = _shift_month(month.year, month.month, 1)
        month = dt.date(y, m, 1)
    return result
