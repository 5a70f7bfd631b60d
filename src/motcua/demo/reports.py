"""The demo's scheduled reports: Sở Tư pháp's monthly report to its office and the province's
quarterly report to the Department of Home Affairs, first sent at the next period's start."""

from __future__ import annotations

from django.utils import timezone

from motcua.dashboards.models import ReportSchedule
from motcua.dashboards.services import next_run
from motcua.org.models import Agency

SCHEDULES = (
    ("SO-TP", ReportSchedule.Frequency.MONTHLY, "vanphong.sotp@haiphong.gov.vn"),
    (None, ReportSchedule.Frequency.QUARTERLY, "cchc.sonoivu@haiphong.gov.vn"),
)


def load_demo_schedules() -> int:
    """The demo schedules that do not exist yet; how many were made."""
    made = 0
    for code, frequency, recipients in SCHEDULES:
        agency = Agency.objects.filter(code=code).first() if code else None
        if code and agency is None:
            continue
        _schedule, created = ReportSchedule.objects.get_or_create(
            agency=agency,
            frequency=frequency,
            defaults={"recipients": recipients, "next_run_at": next_run(frequency, timezone.now())},
        )
        made += created
    return made
