"""The dashboards' background work on Django's tasks framework (django-tasks, queued in the
database by django-tasks-db and run by `motcua task-worker`). Each task is a thin call into
`services`; `tick` runs the scheduled reports and the daily early warnings, then queues itself
for the next hour, so one worker keeps the schedule without cron."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from . import services

TICK_SECONDS = 3600


@task()
def build_report(report_id: int) -> str:
    return str(services.report_build(report_id))


@task()
def tick() -> dict[str, int]:
    now = timezone.now()
    sent = services.schedules_run(now)
    warned = 0
    if timezone.localtime(now).hour >= settings.MOTCUA_WARNING_HOUR:
        warned = services.warnings_send(now)
    tick_ensure(now + dt.timedelta(seconds=TICK_SECONDS))
    return {"reports": sent, "warnings": warned}


def tick_ensure(at: dt.datetime | None = None) -> bool:
    """Queue the next tick unless one is already waiting; whether one was queued."""
    path = f"{tick.func.__module__}.{tick.func.__qualname__}"
    if DBTaskResult.objects.filter(task_path=path, status="READY").exists():
        return False
    tick.using(run_after=at or timezone.now()).enqueue()
    return True
