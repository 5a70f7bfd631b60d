"""Dossiers left waiting for payment: after MOTCUA_PAYING_EXPIRY_HOURS they are closed as
withdrawn (unpaid), their pending payments cancelled (by the payments app, through a hook),
and the applicant may apply again. Idempotent: run it as often as you like."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from motcua.common.locking import lock_rows

from .hooks import dossier_closed
from .models import Dossier, Status
from .services.base import dossier_event_record

EXPIRY_REASON = (
    "Quá {hours} giờ kể từ khi nộp mà chưa thanh toán phí, lệ phí: hồ sơ không được giải quyết."
)


def paying_deadline(dossier: Dossier) -> dt.datetime:
    """When a dossier waiting for payment expires."""
    return dossier.received_at + dt.timedelta(hours=settings.MOTCUA_PAYING_EXPIRY_HOURS)


def is_overdue(dossier: Dossier, at: dt.datetime | None = None) -> bool:
    return dossier.status == Status.PAYING and paying_deadline(dossier) <= (at or timezone.now())


@transaction.atomic
def dossier_expire_unpaid(*, dossier_id: int, at: dt.datetime | None = None) -> bool:
    """Close one dossier whose payment time ran out; False (and nothing written) when it was
    paid, closed or is not overdue any more by the time its lock is held."""
    at = at or timezone.now()
    if not lock_rows(Dossier.objects.filter(pk=dossier_id), field="version"):
        return False
    dossier = Dossier.objects.select_related("current_agency").get(pk=dossier_id)
    if not is_overdue(dossier, at):
        return False
    dossier.status = Status.WITHDRAWN
    dossier.closed_at = at
    dossier.stop_reason = EXPIRY_REASON.format(hours=settings.MOTCUA_PAYING_EXPIRY_HOURS)
    dossier.version += 1
    dossier.save(update_fields=["status", "closed_at", "stop_reason", "version", "updated_at"])
    dossier_closed(dossier, Status.PAYING, at)
    dossier_event_record(
        dossier,
        actor=None,
        action="expire",
        from_state=Status.PAYING,
        at=at,
        reason=dossier.stop_reason,
        payload={
            "expiry_hours": settings.MOTCUA_PAYING_EXPIRY_HOURS,
            "submitted_at": dossier.received_at.isoformat(),
        },
    )
    return True


def dossiers_expire_unpaid(*, at: dt.datetime | None = None) -> list[str]:
    """Expire every overdue dossier, each in its own transaction; the codes closed now."""
    at = at or timezone.now()
    cutoff = at - dt.timedelta(hours=settings.MOTCUA_PAYING_EXPIRY_HOURS)
    overdue = Dossier.objects.filter(status=Status.PAYING, received_at__lte=cutoff)
    closed = []
    for dossier_id, code in overdue.values_list("pk", "code").iterator(chunk_size=500):
        if dossier_expire_unpaid(dossier_id=dossier_id, at=at):
            closed.append(code)
    return closed


def expire_if_overdue(dossier: Dossier, at: dt.datetime | None = None) -> Dossier:
    """Lazily expire a dossier someone is looking at (or paying `at`); the dossier as it is."""
    if is_overdue(dossier, at) and dossier_expire_unpaid(dossier_id=dossier.pk, at=at):
        dossier.refresh_from_db()
    return dossier
