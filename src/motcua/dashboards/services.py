"""What the dashboards do in the background (run by `tasks`): build a requested report (retried,
then reported to its requester; never a half-written file), mail the scheduled reports with
their files, and mail each day's early warnings to the leaders concerned."""

from __future__ import annotations

import datetime as dt
import logging
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.common.errors import ApiError
from motcua.dossiers.models import Handover
from motcua.indices.service import evaluate, parse_period
from motcua.org.models import Agency, User
from motcua.org.permissions import Capability, can

from . import agencies_report, reports
from .figures import INPUTS
from .models import PROVINCE, Report, ReportSchedule, WarningDispatch
from .periods import current_quarter, previous
from .selectors import DASHBOARD_KINDS
from .warnings import Warnings, early_warnings

log = logging.getLogger(__name__)

# The daily run's own dispatch row: taken first, so a second run the same day sends nothing.
RUN = "run"
MAX_ATTEMPTS = 3
RETRY_SECONDS = 30
ERR_REPORT_DENIED = (
    "report_denied",
    _("Only the reform office and the city's leadership may ask for the province's report."),
)


def reports_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "reports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def report_path(name: str) -> Path:
    return reports_dir() / Path(name).name


def _write_whole(name: str, content: bytes) -> str:
    """Write the file under a temporary name and rename it: a crash leaves no partial file
    under the real name (a rename within a directory is atomic)."""
    target = report_path(name)
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".part-")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target.name


# --- the work of one person ----------------------------------------------------------------


def own_work(user: User, now: dt.datetime, days: int = 30) -> list[dict[str, Any]]:
    """The dossiers `user` handed on in the last `days` days, the latest first (the dossiers
    assigned to a specialist arrive with approval inside an agency)."""
    since = now - dt.timedelta(days=days)
    steps = (
        Handover.objects.filter(sent_by=user, sent_at__gte=since)
        .select_related("dossier__procedure", "to_agency")
        .order_by("-sent_at", "-pk")[:20]
    )
    return [
        {
            "code": h.dossier.code,
            "procedure": h.dossier.procedure.name,
            "to_agency": h.to_agency.name,
            "sent_at": h.sent_at,
            "status": h.dossier.get_status_display(),
        }
        for h in steps
    ]


# --- reports built by the worker -----------------------------------------------------------


def report_request(*, user: User, period_text: str) -> Report:
    """Queue the province's report by agency for a period (checked now, built by the worker)."""
    if not can(user, Capability.SEE_EVERY_AGENCY):
        raise ApiError(*ERR_REPORT_DENIED)
    period = parse_period(period_text, today=timezone.localdate())
    from .tasks import build_report

    with transaction.atomic():
        report = Report.objects.create(requested_by=user, period=period.label)
        build_report.enqueue(report.pk)
    return report


def report_build(report_id: int) -> Report.Status:
    """Build a queued report's files; on failure queue a retry, and after the last attempt
    mark it failed and tell its requester. Files are renamed into place only once whole."""
    from .tasks import build_report

    report = Report.objects.filter(pk=report_id).first()
    if report is None or report.status == Report.Status.READY:
        return Report.Status.READY
    Report.objects.filter(pk=report.pk).update(
        status=Report.Status.RUNNING, attempts=report.attempts + 1
    )
    report.attempts += 1
    try:
        period = parse_period(report.period, today=timezone.localdate())
        xlsx, pdf = agencies_report.build(period)
        stem = f"bao-cao-theo-co-quan-{period.label.replace('..', '_')}-{report.pk}"
        xlsx_name = _write_whole(f"{stem}.xlsx", xlsx)
        pdf_name = _write_whole(f"{stem}.pdf", pdf)
    except Exception as exc:  # any failure is retried, then reported
        log.exception("report %s failed (attempt %s)", report.pk, report.attempts)
        if report.attempts < MAX_ATTEMPTS:
            Report.objects.filter(pk=report.pk).update(status=Report.Status.QUEUED, error=str(exc))
            later = timezone.now() + dt.timedelta(seconds=RETRY_SECONDS * report.attempts)
            build_report.using(run_after=later).enqueue(report.pk)
            return Report.Status.QUEUED
        Report.objects.filter(pk=report.pk).update(
            status=Report.Status.FAILED, error=str(exc), finished_at=timezone.now()
        )
        _tell_failure(report, str(exc))
        return Report.Status.FAILED
    Report.objects.filter(pk=report.pk).update(
        status=Report.Status.READY,
        xlsx=xlsx_name,
        pdf=pdf_name,
        error="",
        finished_at=timezone.now(),
    )
    return Report.Status.READY


def _tell_failure(report: Report, error: str) -> None:
    user = report.requested_by
    if user is None or not user.email:
        return
    EmailMessage(
        subject=f"[Một cửa] Không lập được báo cáo kỳ {report.period}",
        body=(
            f"Báo cáo theo cơ quan kỳ {report.period} (yêu cầu số {report.pk}) không lập được "
            f"sau {report.attempts} lần thử.\nLỗi: {error}\n\nVui lòng thử lại hoặc báo quản "
            "trị hệ thống."
        ),
        to=[user.email],
    ).send()


# --- scheduled reports -------------------------------------------------------------------------


def period_just_ended(frequency: str, today: dt.date) -> str:
    """The month, quarter or year that ended most recently before `today`."""
    current: dict[str, str] = {
        ReportSchedule.Frequency.YEARLY: str(today.year),
        ReportSchedule.Frequency.QUARTERLY: current_quarter(today),
    }
    label = current.get(frequency, f"{today:%Y-%m}")
    return previous(parse_period(label, today=today), today).label


def next_run(frequency: str, after: dt.datetime) -> dt.datetime:
    """The first day of the next month, quarter or year after `after`, at the warning hour."""
    local = timezone.localtime(after).date()
    month = local.month
    if frequency == ReportSchedule.Frequency.YEARLY:
        first = dt.date(local.year + 1, 1, 1)
    elif frequency == ReportSchedule.Frequency.QUARTERLY:
        start = ((month - 1) // 3 + 1) * 3 + 1
        first = dt.date(local.year + (start > 12), (start - 1) % 12 + 1, 1)
    else:
        first = dt.date(local.year + (month == 12), month % 12 + 1, 1)
    moment = dt.datetime.combine(first, dt.time(settings.MOTCUA_WARNING_HOUR))
    return timezone.make_aware(moment)


def recipients_of(text: str) -> list[str]:
    return [line.strip() for line in text.replace(",", "\n").splitlines() if line.strip()]


def schedule_send(schedule: ReportSchedule, now: dt.datetime) -> str:
    """Mail the schedule's report of the period just ended, Excel and PDF attached; the
    period sent."""
    period = parse_period(
        period_just_ended(schedule.frequency, timezone.localdate(now)),
        today=timezone.localdate(now),
    )
    data = reports.report_data(schedule.agency, period, now=now)
    message = EmailMessage(
        subject=f"[Một cửa] {data['title']} – {data['subject']}",
        body=(
            f"Kính gửi quý cơ quan,\n\nHệ thống một cửa gửi {data['title'].lower()} của "
            f"{data['subject']} (từ {period.first:%d/%m/%Y} đến {period.last:%d/%m/%Y}), gồm "
            "bảng số liệu (Excel) và báo cáo in (PDF).\n\nThư gửi tự động theo lịch báo cáo."
        ),
        to=recipients_of(schedule.recipients),
    )
    message.attach(
        reports.filename(schedule.agency, period, "xlsx"),
        reports.report_xlsx(data),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    message.attach(
        reports.filename(schedule.agency, period, "pdf"),
        reports.report_pdf(data),
        "application/pdf",
    )
    message.send()
    return period.label


def schedules_run(now: dt.datetime | None = None) -> int:
    """Send every active schedule that is due, and move it to its next date; how many sent."""
    now = now or timezone.now()
    sent = 0
    for schedule in ReportSchedule.objects.filter(active=True, next_run_at__lte=now):
        label = schedule_send(schedule, now)
        ReportSchedule.objects.filter(pk=schedule.pk).update(
            last_sent_at=now, last_period=label, next_run_at=next_run(schedule.frequency, now)
        )
        sent += 1
    return sent


# --- daily early warnings ----------------------------------------------------------------------


def _leaders(agency: Agency) -> list[str]:
    return list(
        User.objects.filter(
            agency=agency, role=User.Role.AGENCY_LEADER, is_active=True, email__gt=""
        ).values_list("email", flat=True)
    )


def _province_readers() -> list[str]:
    return list(
        User.objects.filter(
            role__in=[User.Role.REFORM_OFFICE, User.Role.CITY_LEADER], is_active=True, email__gt=""
        ).values_list("email", flat=True)
    )


def _claim(day: dt.date, scope: str) -> WarningDispatch | None:
    """The day's dispatch for the scope, if not sent already (one per day, even with two
    workers)."""
    try:
        with transaction.atomic():
            return WarningDispatch.objects.create(day=day, scope=scope)
    except IntegrityError:
        return None


def _mail_warnings(subject: str, found: Warnings, to: Iterable[str], agency: str) -> None:
    body = render_to_string(
        "dashboards/warnings_mail.txt",
        {"warnings": found, "subject": agency, "site": settings.MOTCUA_PUBLIC_URL},
    )
    EmailMessage(subject=subject, body=body, to=list(to)).send()


def warnings_send(now: dt.datetime | None = None) -> int:
    """Mail today's early warnings: each agency's to its leaders, the province's digest (with
    the agencies whose index fell) to the reform office and the city's leadership. Each once
    a day; the number of mails sent."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    if _claim(today, RUN) is None:
        return 0
    quarter = parse_period(current_quarter(today), today=today)
    current = evaluate(quarter, now=now, extra=INPUTS)
    before = evaluate(previous(quarter, today), now=now, extra=INPUTS)
    sent = 0
    for agency in Agency.objects.filter(kind__in=DASHBOARD_KINDS).order_by("code"):
        found = early_warnings(now=now, agency_ids=[agency.pk], evaluations=(current, before))
        to = _leaders(agency)
        if not found.count or not to:
            continue
        dispatch = _claim(today, agency.code)
        if dispatch is None:
            continue
        _mail_warnings(
            f"[Một cửa] Cảnh báo sớm {today:%d/%m/%Y} – {agency.name}", found, to, agency.name
        )
        WarningDispatch.objects.filter(pk=dispatch.pk).update(
            warnings=found.count, recipients=len(to)
        )
        sent += 1
    found = early_warnings(now=now, evaluations=(current, before))
    to = _province_readers()
    if found.count and to and (dispatch := _claim(today, PROVINCE)) is not None:
        _mail_warnings(
            f"[Một cửa] Cảnh báo sớm toàn tỉnh {today:%d/%m/%Y}", found, to, "toàn tỉnh / thành phố"
        )
        WarningDispatch.objects.filter(pk=dispatch.pk).update(
            warnings=found.count, recipients=len(to)
        )
        sent += 1
    return sent
