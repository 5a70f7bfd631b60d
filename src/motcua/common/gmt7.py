"""yyyyMMddHHmmss at GMT+7: how Vietnamese protocols (VNPay, the national public service
portal's sync) write a moment, whatever zone the installation runs in (settings.TIME_ZONE).
A fixed offset of their specifications, not the province's time zone."""

from __future__ import annotations

import datetime as dt

GMT7 = dt.timezone(dt.timedelta(hours=7), "GMT+7")
STAMP_FORMAT = "%Y%m%d%H%M%S"


def gmt7_stamp(moment: dt.datetime) -> str:
    return moment.astimezone(GMT7).strftime(STAMP_FORMAT)


def parse_gmt7_stamp(text: str) -> dt.datetime | None:
    try:
        return dt.datetime.strptime(text, STAMP_FORMAT).replace(tzinfo=GMT7)
    except ValueError:
        return None
