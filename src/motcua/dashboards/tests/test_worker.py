"""The background work on the real task worker (django-tasks-db's queue and `db_worker`): a
scheduled report mailed with both files, the day's early warnings naming a dossier about to be
late, and a report asked for on the page built, or retried and then reported when it fails."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from motcua.dashboards import services
from motcua.dashboards.models import Report, ReportSchedule, WarningDispatch
from motcua.dashboards.warnings import early_warnings, horizon
from motcua.facts.tests.rows import dossier_row

pytestmark = pytest.mark.django_db(transaction=True)


def _work() -> None:
    call_command("task_worker", "--batch", "--interval", "0.1")


@pytest.fixture
def leader(world):
    user = world.user("demo-leader")
    user.email = "lanhdao.sotp@haiphong.gov.vn"
    user.save()
    return user


def test_a_scheduled_report_arrives_with_its_excel_and_pdf(world):
    ReportSchedule.objects.create(
        agency=world.agency("SO-TP"),
        frequency=ReportSchedule.Frequency.MONTHLY,
        recipients="vanphong.sotp@haiphong.gov.vn\nsonoivu@haiphong.gov.vn",
        next_run_at=timezone.now() - dt.timedelta(minutes=1),
    )
    _work()
    reports = [m for m in mail.outbox if "Báo cáo" in m.subject]
    assert len(reports) == 1
    message = reports[0]
    assert message.to == ["vanphong.sotp@haiphong.gov.vn", "sonoivu@haiphong.gov.vn"]
    names = [name for name, _content, _type in message.attachments]
    assert [n.rsplit(".", 1)[1] for n in names] == ["xlsx", "pdf"]
    xlsx, pdf = (content for _n, content, _t in message.attachments)
    assert xlsx[:2] == b"PK" and pdf[:4] == b"%PDF"
    schedule = ReportSchedule.objects.get()
    assert schedule.next_run_at > timezone.now()
    assert schedule.last_period == services.period_just_ended("monthly", timezone.localdate())
    # and it is not sent twice
    _work()
    assert len([m for m in mail.outbox if "Báo cáo" in m.subject]) == 1


def test_the_daily_warning_names_a_dossier_about_to_be_late(world, leader, settings):
    settings.MOTCUA_WARNING_HOUR = 0
    tp = world.agency("SO-TP")
    now = timezone.now()
    soon = dossier_row(
        tp,
        timezone.localdate().isoformat(),
        status="processing",
        due_at=horizon(now) - dt.timedelta(minutes=5),
    )
    later = dossier_row(
        tp,
        timezone.localdate().isoformat(),
        status="processing",
        due_at=horizon(now) + dt.timedelta(days=5),
    )
    found = early_warnings(now=now, agency_ids=[tp.pk])
    assert [d["code"] for d in found.dossiers] == [soon.code]
    assert later.code not in {d["code"] for d in found.dossiers}
    _work()
    to_leader = [m for m in mail.outbox if leader.email in m.to]
    assert len(to_leader) == 1
    assert soon.code in to_leader[0].body
    assert "Cảnh báo sớm" in to_leader[0].subject
    assert WarningDispatch.objects.filter(scope="SO-TP").count() == 1
    # the next run the same day sends nothing more
    assert services.warnings_send() == 0


def test_a_requested_report_is_built_in_the_background(world):
    reform = world.user("demo-reform")
    last = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
    report = services.report_request(user=reform, period_text=f"{last:%Y-%m}")
    assert report.status == Report.Status.QUEUED
    _work()
    report.refresh_from_db()
    assert report.status == Report.Status.READY
    assert services.report_path(report.xlsx).read_bytes()[:2] == b"PK"
    assert services.report_path(report.pdf).read_bytes()[:4] == b"%PDF"


def test_a_failing_report_is_retried_then_reported_and_leaves_no_file(world, monkeypatch):
    reform = world.user("demo-reform")
    reform.email = "cchc@haiphong.gov.vn"
    reform.save()

    def broken(period):
        raise RuntimeError("hết dung lượng đĩa")

    monkeypatch.setattr(services.agencies_report, "build", broken)
    monkeypatch.setattr(services, "RETRY_SECONDS", 0)
    report = services.report_request(user=reform, period_text=str(timezone.localdate().year))
    for _attempt in range(services.MAX_ATTEMPTS):
        _work()
    report.refresh_from_db()
    assert report.status == Report.Status.FAILED
    assert report.attempts == services.MAX_ATTEMPTS
    assert "hết dung lượng đĩa" in report.error
    assert not report.xlsx and not report.pdf
    assert not list(services.reports_dir().glob(f"*-{report.pk}.*"))
    told = [m for m in mail.outbox if reform.email in m.to]
    assert len(told) == 1 and "Không lập được" in told[0].subject
