"""Reads of the outbox: the synchronised counts the service index's facts are built from, and
the queue's state for the operator."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from django.db.models import Count, Min, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from .models import OutboxMessage


@dataclass(frozen=True)
class SynchronisedCount:
    day: dt.date
    agency_id: int
    procedure_id: int
    channel: str
    acknowledged: int


def synchronised_counts(
    *,
    start: dt.date,
    end: dt.date,
    by: Literal["acknowledged", "occurred"] = "acknowledged",
    agency_ids: list[int] | None = None,
) -> list[SynchronisedCount]:
    """Deliveries the national portal acknowledged, per day × lead agency × procedure ×
    channel, for the days `start`..`end` inclusive (Vietnam time).

    `by="acknowledged"` (the default) files each under the day the portal acknowledged it, so
    a past day's count never changes again; `by="occurred"` under the day the change happened
    (a day's count then grows while its late deliveries arrive). Each event counts once."""
    column = "acknowledged_at" if by == "acknowledged" else "occurred_at"
    zone = timezone.get_default_timezone()
    since = dt.datetime.combine(start, dt.time.min, tzinfo=zone)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    rows = OutboxMessage.objects.filter(
        acknowledged_at__isnull=False,
        **{f"{column}__gte": since, f"{column}__lt": until},
    )
    if agency_ids is not None:
        rows = rows.filter(agency_id__in=agency_ids)
    grouped = (
        rows.annotate(day=TruncDate(column, tzinfo=zone))
        .values("day", "agency_id", "procedure_id", "channel")
        .annotate(acknowledged=Count("id"))
        .order_by("day", "agency_id", "procedure_id", "channel")
    )
    return [SynchronisedCount(**row) for row in grouped]


@dataclass(frozen=True)
class OutboxState:
    waiting: int
    failing: int
    acknowledged: int
    oldest_waiting: dt.datetime | None


def outbox_state() -> OutboxState:
    """How the queue stands: what waits, what has failed at least once, what the portal has."""
    summary = OutboxMessage.objects.aggregate(
        waiting=Count("id", filter=Q(acknowledged_at__isnull=True)),
        failing=Count("id", filter=Q(acknowledged_at__isnull=True, attempts__gt=0)),
        acknowledged=Count("id", filter=Q(acknowledged_at__isnull=False)),
        oldest_waiting=Min("occurred_at", filter=Q(acknowledged_at__isnull=True)),
    )
    return OutboxState(**summary)
