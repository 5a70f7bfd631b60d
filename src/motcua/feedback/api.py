"""Petition report endpoint of the REST API (/api/v1/feedback/); petitions themselves are
served by the Open311 API under /open311/v2/."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema

from motcua.org.apiauth import PUBLIC

from .reports import petition_report

router = Router(tags=["feedback"])


class ReportQuery(Schema):
    start: dt.date | None = None
    end: dt.date | None = None
    agency: str | None = None


@router.get("/report", auth=PUBLIC, summary="Petitions per agency and period")
def report(request: HttpRequest, query: Query[ReportQuery]) -> dict[str, Any]:
    """Received, closed on time or late, open past the deadline, and satisfaction with the
    answers (ratings 4–5 of 5) per agency for the days start…end (default: this month)."""
    today = timezone.localdate()
    start = query.start or today.replace(day=1)
    end = query.end or today
    result = petition_report(start=start, end=end, agency_code=query.agency or None)
    return {
        "start": result.start.isoformat(),
        "end": result.end.isoformat(),
        "as_of": timezone.localtime(result.as_of).isoformat(timespec="seconds"),
        "agencies": [row.as_dict() for row in result.rows],
        "total": {
            k: v for k, v in result.total.as_dict().items() if k not in ("agency", "agency_name")
        },
    }
