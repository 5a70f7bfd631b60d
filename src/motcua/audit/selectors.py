"""Reading and verifying the event log."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db.models import QuerySet

from .models import ChainHead, Event
from .services import GENESIS, event_hash, hashed_fields


@dataclass(frozen=True)
class ChainReport:
    intact: bool
    checked: int
    first_bad_id: int | None = None
    problem: str = ""


def events_for(subject_type: str, subject_id: str) -> QuerySet[Event]:
    return Event.objects.filter(subject_type=subject_type, subject_id=subject_id).select_related(
        "actor", "agency"
    )


def _iter_events(chunk: int = 5000) -> Iterator[Event]:
    last_id = 0
    while True:
        batch = list(Event.objects.filter(id__gt=last_id).order_by("id")[:chunk])
        if not batch:
            return
        yield from batch
        last_id = batch[-1].id


def audit_verify(progress: Callable[[int], None] | None = None) -> ChainReport:
    """Recompute every hash in order; the first mismatch names the event that was altered."""
    prev = GENESIS
    checked = 0
    for event in _iter_events():
        if event.prev_hash != prev:
            return ChainReport(False, checked, event.id, "previous hash does not match")
        if event_hash(prev, hashed_fields(event)) != event.hash:
            return ChainReport(False, checked, event.id, "content does not match its hash")
        prev = event.hash
        checked += 1
        if progress and checked % 1000 == 0:
            progress(1000)
    head = ChainHead.objects.filter(pk=1).first()
    if head is not None and (head.last_hash != prev or head.count != checked):
        return ChainReport(False, checked, None, "events missing at the end of the log")
    return ChainReport(True, checked)
