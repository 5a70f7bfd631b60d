"""The worker's writes: claim what is due, deliver it, record the portal's answer (an
acknowledgement publishes `DOSSIER_SYNCHRONISED` in the transaction that records it).

State lives only in the outbox rows. A claim pushes the rows' `next_attempt_at` forward by a
lease in one short transaction (FOR UPDATE SKIP LOCKED on PostgreSQL, so two workers take
different rows; SQLite's IMMEDIATE transaction serialises the claims), then the deliveries run
outside any transaction. If the worker dies, its unanswered rows come due again when the lease
ends; one that reached the portal before the death is sent again and the portal, which
deduplicates by event id, acknowledges it without recording it twice."""

from __future__ import annotations

import datetime as dt
import json
import random
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from motcua.common.events import DOSSIER_SYNCHRONISED, Event, publish
from motcua.dossiers.models import Dossier

from .models import OutboxMessage
from .signing import EVENT_ID_HEADER, SIGNATURE_HEADER, portal_secret, signature

ERROR_TEXT_LIMIT = 500


@dataclass(frozen=True)
class Answer:
    """What the portal said to one delivery: an HTTP status, or none if it was not reached."""

    status: int | None
    error: str = ""

    @property
    def acknowledged(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


@dataclass
class BatchResult:
    claimed: int = 0
    acknowledged: int = 0
    failed: int = 0


def backoff_seconds(attempts: int, *, rng: random.Random | None = None) -> float:
    """Exponential backoff with jitter after the `attempts`-th failure: base × 2^(n−1), capped,
    then a random half to all of it, so workers retrying together spread out."""
    base = settings.MOTCUA_NATIONAL_PORTAL_BACKOFF_SECONDS
    ceiling = settings.MOTCUA_NATIONAL_PORTAL_BACKOFF_MAX_SECONDS
    delay = min(ceiling, base * 2 ** max(0, attempts - 1))
    return delay * (rng or random).uniform(0.5, 1.0)  # jitter, not a secret


def outbox_claim(*, limit: int, now: dt.datetime | None = None) -> list[OutboxMessage]:
    """Take up to `limit` due, unacknowledged messages for this worker for one lease.

    A message waits while an earlier message of the same dossier is unacknowledged, so the
    portal sees each dossier's changes in the order they happened."""
    now = now or timezone.now()
    earlier_pending = OutboxMessage.objects.filter(
        dossier_code=OuterRef("dossier_code"), id__lt=OuterRef("id"), acknowledged_at__isnull=True
    )
    due = (
        OutboxMessage.objects.filter(acknowledged_at__isnull=True, next_attempt_at__lte=now)
        .filter(~Exists(earlier_pending))
        .order_by("id")
    )
    with transaction.atomic():
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True, of=("self",))
        messages = list(due[:limit])
        lease_end = now + dt.timedelta(seconds=settings.MOTCUA_NATIONAL_PORTAL_LEASE_SECONDS)
        OutboxMessage.objects.filter(pk__in=[m.pk for m in messages]).update(
            next_attempt_at=lease_end
        )
    return messages


def portal_post(message: OutboxMessage, *, url: str, secret: str) -> Answer:
    """One signed POST of the message's payload; any failure to get an answer is an Answer
    without a status (retried like a refusal)."""
    body = json.dumps(message.payload, ensure_ascii=False, sort_keys=True).encode()
    request = urllib.request.Request(  # noqa: S310 - the URL is an http(s) setting (env.url)
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            EVENT_ID_HEADER: str(message.event_id),
            SIGNATURE_HEADER: signature(body, secret),
        },
    )
    timeout = settings.MOTCUA_NATIONAL_PORTAL_TIMEOUT_SECONDS
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return Answer(response.status)
    except urllib.error.HTTPError as exc:
        detail = exc.read(ERROR_TEXT_LIMIT).decode("utf-8", "replace")
        return Answer(exc.code, detail)
    except (OSError, ValueError) as exc:  # refused, timed out, DNS, a malformed URL
        return Answer(None, f"{type(exc).__name__}: {exc}")


def outbox_answer_record(
    message: OutboxMessage, answer: Answer, *, now: dt.datetime | None = None
) -> None:
    """Mark the message acknowledged, or schedule its next attempt with backoff."""
    now = now or timezone.now()
    attempts = message.attempts + 1
    rows = OutboxMessage.objects.filter(pk=message.pk, acknowledged_at__isnull=True)
    if answer.acknowledged:
        with transaction.atomic():
            marked = rows.update(
                attempts=attempts, acknowledged_at=now, last_status=answer.status, last_error=""
            )
            if marked:
                _synchronised_publish(message)
    else:
        rows.update(
            attempts=attempts,
            next_attempt_at=now + dt.timedelta(seconds=backoff_seconds(attempts)),
            last_status=answer.status,
            last_error=answer.error[:ERROR_TEXT_LIMIT],
        )
    message.attempts = attempts


def _synchronised_publish(message: OutboxMessage) -> None:
    """Tell the recorders (the facts' `synchronised`) in the acknowledging transaction, once:
    only the update that marked the message acknowledged publishes."""
    dossier_id = Dossier.objects.filter(code=message.dossier_code).values_list("pk", flat=True)
    for pk in dossier_id[:1]:
        details = {"event_id": str(message.event_id), "action": message.action}
        publish(Event(DOSSIER_SYNCHRONISED, pk, "synchronised", notify=False, details=details))


def outbox_deliver_batch(*, limit: int = 50, now: dt.datetime | None = None) -> BatchResult:
    """Claim one batch and deliver it to MOTCUA_NATIONAL_PORTAL_URL; nothing happens (the rows
    keep queueing) while no URL is configured. `now` is the clock (tests move it)."""
    url = settings.MOTCUA_NATIONAL_PORTAL_URL
    result = BatchResult()
    if not url:
        return result
    secret = portal_secret()
    messages = outbox_claim(limit=limit, now=now)
    result.claimed = len(messages)
    for message in messages:
        answer = portal_post(message, url=url, secret=secret)
        outbox_answer_record(message, answer, now=now)
        if answer.acknowledged:
            result.acknowledged += 1
        else:
            result.failed += 1
    return result
