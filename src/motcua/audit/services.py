"""Appending to the event log; call it inside the transaction that changes the state."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from django.db import transaction

from motcua.common.locking import lock_rows

from .models import ChainHead, Event

GENESIS = "0" * 64


def event_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    canonical = json.dumps(
        fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    )
    return hashlib.sha256(f"{prev_hash}|{canonical}".encode()).hexdigest()


def hashed_fields(event: Event) -> dict[str, Any]:
    return {
        "at": event.at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "actor": event.actor_id,
        "agency": event.agency_id,
        "subject": f"{event.subject_type}:{event.subject_id}",
        "action": event.action,
        "from": event.from_state,
        "to": event.to_state,
        "reason": event.reason,
        "payload": event.payload,
    }


def _lock_head() -> ChainHead:
    """Lock the head before reading it, or two writers could read the same last hash and fork
    the chain."""
    if not lock_rows(ChainHead.objects.filter(pk=1), field="count"):
        ChainHead.objects.get_or_create(pk=1, defaults={"last_hash": GENESIS})
        lock_rows(ChainHead.objects.filter(pk=1), field="count")
    return ChainHead.objects.get(pk=1)


def events_append(events: list[Event]) -> list[Event]:
    """Chain and store `events` (unsaved, in order) after the current head."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("events_append must run inside the state change's transaction")
    head = _lock_head()
    prev = head.last_hash
    for event in events:
        event.prev_hash = prev
        event.hash = event_hash(prev, hashed_fields(event))
        prev = event.hash
    Event.objects.bulk_create(events, batch_size=500)
    ChainHead.objects.filter(pk=1).update(last_hash=prev, count=head.count + len(events))
    return events


def event_record(
    *,
    at: dt.datetime,
    actor_id: int | None,
    agency_id: int | None,
    subject_type: str,
    subject_id: str,
    action: str,
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
    payload: dict[str, Any] | None = None,
) -> Event:
    event = Event(
        at=at,
        actor_id=actor_id,
        agency_id=agency_id,
        subject_type=subject_type,
        subject_id=subject_id,
        action=action,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        payload=payload or {},
    )
    return events_append([event])[0]
